"""A lock change on every way in (issue 10, item 5).

Every new case reported by the police, or where the perpetrator has (or had, or may have) a
key or lives at the address, gets the lock change on its 24-hour clock from the referral,
whoever opened the case; so does an open case when such a perpetrator is recorded later.
Marking it not needed takes a reason; once the locks are changed nobody still "has a key".
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safemoves.audit.models import AuditEvent
from safemoves.cases.codes import CaseSource, Relationship
from safemoves.cases.models import Case, Perpetrator
from safemoves.cases.services import (
    NewCase,
    SelfReferral,
    case_close,
    case_open,
    perpetrator_add,
    perpetrator_update,
)
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.intake.services import NO, NOT_KNOWN, YES, agency_referral_submit, contact_request_submit
from safemoves.organisations.models import Membership, Role
from safemoves.safety.models import SafetyAction
from safemoves.safety.services import safety_action_cancel, safety_action_complete
from tests.factories import World, sign_in
from tests.intake.factories import make_link, referral
from tests.safety.factories import lock_change_of, make_case


def _locks(case: Case) -> list[SafetyAction]:
    with organisation_scope(case.organisation_id):
        return list(SafetyAction.objects.filter(case=case, action_type__code="lock_change").order_by("created_at"))


def _open(world: World, *, source: str, perpetrator_at_address: str = "", perpetrator_has_key: str = "") -> Case:
    with scopes_disabled():
        membership = Membership.objects.get(user=world.a[Role.OFFICER])
    data = NewCase(
        lead_name="Alex Example",
        source=source,
        perpetrator_at_address=perpetrator_at_address,
        perpetrator_has_key=perpetrator_has_key,
    )
    with organisation_scope(world.a.organisation.pk):
        return case_open(membership=membership, data=data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"source": CaseSource.POLICE}, True),
        ({"source": CaseSource.STAFF, "perpetrator_has_key": YES}, True),
        ({"source": CaseSource.STAFF, "perpetrator_at_address": YES}, True),
        ({"source": CaseSource.IDVA, "perpetrator_has_key": NOT_KNOWN}, True),
        ({"source": CaseSource.STAFF, "perpetrator_at_address": NO, "perpetrator_has_key": NO}, False),
        ({"source": CaseSource.STAFF}, False),
    ],
)
def test_a_case_opened_by_staff_gets_the_lock_change_from_the_referral(
    world: World, data: dict[str, str], expected: bool
) -> None:
    case = _open(world, **data)
    locks = _locks(case)
    if not expected:
        assert locks == []
        return
    [lock] = locks
    assert (lock.status, lock.starts_at, lock.due_at) == (
        "open",
        case.received_at,
        case.received_at + timedelta(hours=24),
    )
    with scopes_disabled():
        case.refresh_from_db()
    assert case.next_due_at == min(case.first_contact_due_at, lock.due_at)
    with scopes_disabled():
        actions = list(
            AuditEvent.objects.filter(object_id=str(case.pk)).order_by("seq").values_list("action", flat=True)
        )
    assert actions == ["case.opened", "safety.action_set"]


def test_the_open_case_page_asks_about_the_key_and_sets_the_lock_change(world: World) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    page = client.get(reverse("cases:open")).content.decode()
    assert "Does the perpetrator have, or have they had, a key to the home?" in page
    response = client.post(
        reverse("cases:open"), {"source": "staff", "lead_name": "Alex Example", "perpetrator_has_key": "not_known"}
    )
    assert response.status_code == 302
    with organisation_scope(world.a.organisation.pk):
        case = Case.objects.get()
        assert lock_change_of(case).due_at == case.received_at + timedelta(hours=24)


@pytest.mark.parametrize(
    ("source", "at_address", "has_key", "expected"),
    [
        (CaseSource.POLICE, NO, NO, 1),
        (CaseSource.WOMENS_AID, NO, YES, 1),
        (CaseSource.IDVA, YES, NO, 1),
        (CaseSource.IDVA, NO, NO, 0),
    ],
)
def test_an_agency_referral_gets_the_lock_change_on_the_same_rule(
    world: World, source: str, at_address: str, has_key: str, expected: int
) -> None:
    link, _ = make_link(world.a, agency_name=f"{source} service", source=source)
    case = agency_referral_submit(
        link=link, referral=referral(perpetrator_at_address=at_address, perpetrator_has_key=has_key)
    )
    locks = _locks(case)
    assert len(locks) == expected
    if locks:
        assert locks[0].due_at == case.received_at + timedelta(hours=24)


def test_the_tenants_own_request_sets_no_lock_change(world: World) -> None:
    case = contact_request_submit(
        organisation=world.a.organisation,
        request=SelfReferral(name="Alex Example", contact_method="phone", phone="07700 900123"),
    )
    assert _locks(case) == []


def test_a_key_holder_recorded_later_sets_the_lock_change_once(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    assert _locks(case) == []
    before = timezone.now()
    perpetrator_add(
        case=case, actor=officer, name="Chris Harmer", relationship=Relationship.EX_PARTNER,
        lives_at_address=False, joint_tenant=False, has_key=True,
    )  # fmt: skip
    [lock] = _locks(case)
    # Learnt now: the 24 hours run from when we were told.
    assert before <= lock.starts_at <= timezone.now()
    assert lock.due_at == lock.starts_at + timedelta(hours=24)
    assert lock.owner == officer
    perpetrator_add(
        case=case, actor=officer, name="Sam Harmer", relationship=Relationship.FAMILY,
        lives_at_address=True, joint_tenant=False, has_key=False,
    )  # fmt: skip
    assert len(_locks(case)) == 1


def test_a_perpetrator_who_moves_back_in_sets_the_lock_change(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    perpetrator = perpetrator_add(
        case=case, actor=officer, name="Chris Harmer", relationship=Relationship.EX_PARTNER,
        lives_at_address=False, joint_tenant=False, has_key=False,
    )  # fmt: skip
    assert _locks(case) == []
    with pytest.raises(ValidationError) as caught:
        perpetrator_update(case=case, actor=officer, perpetrator=perpetrator, changes={"relationship": "landlord"})
    assert caught.value.message_dict == {"relationship": ["Choose the relationship from the list."]}
    assert perpetrator_update(
        case=case, actor=officer, perpetrator=perpetrator, changes={"lives_at_address": True}
    ) == ["lives_at_address"]
    assert len(_locks(case)) == 1


def test_a_closed_case_gets_no_lock_change(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    case_close(case=case, actor=scoped.a[Role.MANAGER], outcome="no_further_action")
    perpetrator_add(
        case=case, actor=officer, name="Chris Harmer", relationship=Relationship.EX_PARTNER,
        lives_at_address=True, joint_tenant=False, has_key=True,
    )  # fmt: skip
    assert _locks(case) == []


def test_marking_the_lock_change_not_needed_takes_a_reason_and_is_audited(world: World) -> None:
    case = _open(world, source=CaseSource.POLICE)
    officer = world.a[Role.OFFICER]
    with organisation_scope(world.a.organisation.pk):
        lock = lock_change_of(case)
        with pytest.raises(ValidationError) as caught:
            safety_action_cancel(action=lock, actor=officer, reason="  ")
        assert caught.value.message_dict == {"reason": ["Say why the action is no longer needed."]}
        assert SafetyAction.objects.get(pk=lock.pk).status == "open"
        safety_action_cancel(action=lock, actor=officer, reason="The perpetrator is in prison until 2030")
        assert SafetyAction.objects.get(pk=lock.pk).evidence_note == "The perpetrator is in prison until 2030"
    with scopes_disabled():
        event = AuditEvent.objects.get(action="safety.action_cancelled")
    assert (event.actor_id, event.fields, event.reason) == (
        officer.pk,
        ["evidence_note", "status"],
        f"action {lock.pk}: lock_change",
    )


def test_changing_the_locks_clears_has_a_key_with_an_audit_event(world: World) -> None:
    case = _open(world, source=CaseSource.POLICE)
    officer = world.a[Role.OFFICER]
    with organisation_scope(world.a.organisation.pk):
        holder = perpetrator_add(
            case=case, actor=officer, name="Chris Harmer", relationship=Relationship.EX_PARTNER,
            lives_at_address=False, joint_tenant=False, has_key=True,
        )  # fmt: skip
        other = perpetrator_add(
            case=case, actor=officer, name="Sam Harmer", relationship=Relationship.FAMILY,
            lives_at_address=False, joint_tenant=False, has_key=False,
        )  # fmt: skip
        lock = lock_change_of(case)
        safety_action_complete(action=lock, actor=officer, evidence_note="Locks changed by the contractor, job 4471")
        keys = dict(Perpetrator.objects.filter(case=case).values_list("pk", "has_key"))
    assert keys == {holder.pk: False, other.pk: False}
    with scopes_disabled():
        events = list(AuditEvent.objects.filter(action="case.perpetrator_key_cleared").values_list("fields", "reason"))
    assert events == [(["has_key"], f"perpetrator {holder.pk}: locks changed, action {lock.pk}")]
