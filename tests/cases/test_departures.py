"""Who may hold or be named on a case: a member who stops doing casework leaves no case behind
(their open cases return to triage), and only people who could read a case are named on it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from safemoves.audit.models import AuditEvent
from safemoves.cases import selectors, services
from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.organisations.services import member_change_role, member_deactivate
from tests.cases.factories import make_case
from tests.factories import World, make_member


def _state(case: Case) -> tuple[int | None, str]:
    with scopes_disabled():
        stored = Case.objects.get(pk=case.pk)
    return stored.assigned_officer_id, stored.status


def _returned(case: Case) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(object_id=str(case.pk), action="case.returned_to_triage").values_list(
                "reason", flat=True
            )
        )


def test_deactivating_an_officer_returns_their_open_cases_to_triage(world: World) -> None:
    officer, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    colleague = make_member(world.a.organisation, Role.OFFICER, email="second.officer@a.test")
    first, second = make_case(world.a, name="Ann Example", assigned_to=officer), make_case(world.a, assigned_to=officer)
    closed = make_case(world.a, name="Cat Example", assigned_to=officer)
    theirs = make_case(world.a, name="Dee Example", assigned_to=colleague)
    with organisation_scope(world.a.organisation.pk):
        services.case_close(case=closed, actor=manager, outcome="safe_at_home")
        done = member_deactivate(membership=officer.membership, actor=world.a[Role.ADMIN])
        inbox = {case.pk for case in selectors.triage_inbox(manager.membership)}
    assert [_state(case) for case in (first, second)] == [(None, CaseStatus.NEW), (None, CaseStatus.NEW)]
    assert {first.pk, second.pk} <= inbox
    assert done == ["2 open cases went back to the triage inbox for a manager to assign."]
    assert _returned(first) == ["its officer no longer does casework here"]
    assert _state(closed) == (officer.pk, CaseStatus.CLOSED)  # a closed case keeps its history
    assert _state(theirs) == (colleague.pk, CaseStatus.OPEN)
    assert (_returned(closed), _returned(theirs)) == ([], [])


@pytest.mark.parametrize(
    ("role", "returned"), [(Role.LETTINGS_OFFICER, True), (Role.AUDITOR, True), (Role.MANAGER, False)]
)
def test_a_role_without_casework_returns_the_cases(world: World, role: Role, returned: bool) -> None:
    officer = world.a[Role.OFFICER]
    case = make_case(world.a, assigned_to=officer)
    with organisation_scope(world.a.organisation.pk):
        done = member_change_role(membership=officer.membership, actor=world.a[Role.ADMIN], role=role)
    assert _state(case) == ((None, CaseStatus.NEW) if returned else (officer.pk, CaseStatus.OPEN))
    assert done == (["1 open case went back to the triage inbox for a manager to assign."] if returned else [])
    assert len(_returned(case)) == (1 if returned else 0)


def test_another_landlords_cases_are_untouched(world: World) -> None:
    ours, elsewhere = world.a[Role.OFFICER], world.b[Role.OFFICER]
    case_b = make_case(world.b, assigned_to=elsewhere)
    with organisation_scope(world.a.organisation.pk):
        done = member_deactivate(membership=ours.membership, actor=world.a[Role.ADMIN])
    assert _state(case_b) == (elsewhere.pk, CaseStatus.OPEN)
    assert done == []  # nothing of theirs at landlord A


@pytest.mark.parametrize("who", ["another landlord's officer", "a lettings officer", "someone who has left"])
def test_only_people_who_could_read_the_case_may_be_named_on_it(world: World, who: str) -> None:
    case = make_case(world.a)
    manager = world.a[Role.MANAGER]
    leaver = make_member(world.a.organisation, Role.OFFICER, email="leaver@a.test")
    with organisation_scope(world.a.organisation.pk):
        member_deactivate(membership=leaver.membership, actor=world.a[Role.ADMIN])
    named = {
        "another landlord's officer": world.b[Role.OFFICER],
        "a lettings officer": world.a[Role.LETTINGS_OFFICER],
        "someone who has left": leaver,
    }[who]
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as refused:
        services.case_restrict(case=case, actor=manager, restricted=True, named_staff=[world.a[Role.OFFICER], named])
    assert refused.value.message_dict == {
        "named_staff": ["Name only active officers, managers or auditors of your organisation."]
    }
    with scopes_disabled():
        stored = Case.objects.get(pk=case.pk)
        assert (stored.restricted, list(stored.named_staff.all())) == (False, [])
