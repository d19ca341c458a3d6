"""An open safety action can be handed on by hand to someone who may hold it (ADR 0031)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from safemoves.audit.models import AuditEvent
from safemoves.cases import services as case_services
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.safety.models import SafetyAction
from safemoves.safety.services import safety_action_cancel, safety_action_reassign, safety_actions_for_new_case
from tests.factories import World, make_member, sign_in
from tests.safety.factories import make_case


def _owner(action: SafetyAction) -> int | None:
    with scopes_disabled():
        return SafetyAction.objects.get(pk=action.pk).owner_id


def _handed_on() -> list[str]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action="safety.action_reassigned").values_list("reason", flat=True))


def test_the_page_hands_an_open_action_to_a_colleague_and_an_unchanged_save_writes_nothing(world: World) -> None:
    officer = world.a[Role.OFFICER]
    colleague = make_member(world.a.organisation, Role.OFFICER, email="pat@a.test", name="Pat Officer")
    case = make_case(world)
    with organisation_scope(world.a.organisation.pk):
        [action] = safety_actions_for_new_case(case, officer)
    client = sign_in(Client(), officer)
    url = reverse("safety:action_owner", kwargs={"case_id": case.pk, "action_id": action.pk})
    form = client.get(url).content.decode()
    assert f'<option value="{officer.pk}" selected>' in form  # the form opens on the current owner
    assert f'<option value="{colleague.pk}">Pat Officer</option>' in form
    unchanged = client.post(url, {"owner": officer.pk}, follow=True)
    assert "Nothing had changed." in unchanged.content.decode()
    assert _handed_on() == []
    moved = client.post(url, {"owner": colleague.pk})
    assert (moved.status_code, moved["Location"]) == (302, reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert _owner(action) == colleague.pk
    assert _handed_on() == [f"action {action.pk}: lock_change, to user {colleague.pk}, handed on"]
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert 'Hand on<span class="visually-hidden"> Change the locks</span>' in page


def test_only_someone_who_may_hold_it_can_be_given_it(world: World) -> None:
    officer, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    lettings, elsewhere = world.a[Role.LETTINGS_OFFICER], world.b[Role.OFFICER]
    colleague = make_member(world.a.organisation, Role.OFFICER, email="pat@a.test", name="Pat Officer")
    case = make_case(world)
    with organisation_scope(world.a.organisation.pk):
        [action] = safety_actions_for_new_case(case, officer)
        for someone in (lettings, elsewhere, world.a[Role.AUDITOR]):
            with pytest.raises(ValidationError) as refused:
                safety_action_reassign(action=action, actor=manager, owner=someone)
            assert refused.value.message_dict == {"owner": ["Choose an officer or manager of your organisation."]}
        # A restricted case: only staff named on it (here the officer and the restricting
        # manager) can hold its actions.
        case_services.case_restrict(case=case, actor=manager, restricted=True, named_staff=[officer])
        with pytest.raises(ValidationError) as restricted:
            safety_action_reassign(action=action, actor=manager, owner=colleague)
        assert restricted.value.message_dict == {
            "owner": ["Choose an officer or manager of your organisation named on this restricted case."]
        }
    assert _owner(action) == officer.pk
    assert _handed_on() == []


def test_a_closed_action_or_case_keeps_its_owner(world: World) -> None:
    officer, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    case = make_case(world)
    with organisation_scope(world.a.organisation.pk):
        [action] = safety_actions_for_new_case(case, officer)
        safety_action_cancel(action=action, actor=officer, reason="Tenant moved out")
        with pytest.raises(ValidationError, match=r"Only an open action can be handed on\."):
            safety_action_reassign(action=action, actor=manager, owner=manager)
    client = sign_in(Client(), officer)
    url = reverse("safety:action_owner", kwargs={"case_id": case.pk, "action_id": action.pk})
    page = client.get(url, follow=True).content.decode()
    assert "“Change the locks” is no longer open: it stays with its owner." in page
    assert _owner(action) == officer.pk
