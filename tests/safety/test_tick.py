"""`safemoves tick`: each breach e-mailed to the landlord's managers exactly once."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from io import StringIO
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from safemoves.audit.models import AuditEvent
from safemoves.cases.models import Case
from safemoves.cases.services import case_restrict
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.safety.models import SafetyAction
from safemoves.safety.services import safety_action_complete, safety_actions_for_new_case
from tests.factories import World, make_member
from tests.safety.factories import make_case

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _tick(capture: Capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("tick", stdout=out)
    return out.getvalue()


def _overdue_case(world: World) -> Case:
    case = make_case(world, received_at=timezone.now() - timedelta(hours=30))
    with organisation_scope(world.a.organisation.pk):
        safety_actions_for_new_case(case, None)
    return case


def test_tick_twice_sends_each_breach_exactly_once(world: World, django_capture_on_commit_callbacks: Capture) -> None:
    second_manager = make_member(world.a.organisation, Role.MANAGER, email="second.manager@alpha.test")
    overdue = _overdue_case(world)
    make_case(world)  # received now: its lock change is not due for 24 hours
    with organisation_scope(world.a.organisation.pk):
        safety_actions_for_new_case(Case.objects.exclude(pk=overdue.pk).get(), None)

    assert (
        _tick(django_capture_on_commit_callbacks) == "job outputs: 0 expired job output(s) deleted.\n"
        "moves ledger: 0 move(s) posted to the ledger on their date.\n"
        "offers: 0 offer(s) expired.\n"
        "requests waiting: 0 waiting request(s) notified.\n"
        "safety breaches: 1 new breach(es) notified.\n"
        "tasks overdue: 0 overdue task(s) notified.\n"
    )
    breach_mail = [sent for sent in mail.outbox if sent.subject.startswith("Safety action overdue")]
    assert len(breach_mail) == 1
    [message] = breach_mail
    # The case officer's notification (issue 14) goes separately, with a reference and a link only.
    [notice] = [sent for sent in mail.outbox if sent not in breach_mail]
    assert notice.to == [world.a[Role.OFFICER].email]
    assert notice.subject == f"SafeMoves: Clock breached, {overdue.reference}"
    assert f"/cases/{overdue.pk}/" in notice.body
    assert "Dana" not in notice.body
    assert "Example Street" not in notice.body
    assert message.to == sorted([world.a[Role.MANAGER].email, second_manager.email])
    assert message.subject == f"Safety action overdue: Change the locks, case {overdue.reference}"
    assert overdue.reference in message.body
    for personal in ("Dana", "Example Street", "ME4"):
        assert personal not in message.subject
        assert personal not in message.body

    assert (
        _tick(django_capture_on_commit_callbacks) == "job outputs: 0 expired job output(s) deleted.\n"
        "moves ledger: 0 move(s) posted to the ledger on their date.\n"
        "offers: 0 offer(s) expired.\n"
        "requests waiting: 0 waiting request(s) notified.\n"
        "safety breaches: 0 new breach(es) notified.\n"
        "tasks overdue: 0 overdue task(s) notified.\n"
    )
    assert len(mail.outbox) == 2  # nothing new the second time
    with scopes_disabled():
        action = SafetyAction.objects.get(case=overdue)
        events = list(AuditEvent.objects.filter(action="safety.breach_notified"))
    assert action.breach_notified_at is not None
    assert len(events) == 1
    assert events[0].reason == f"action {action.pk}: lock_change, 2 manager(s)"
    assert events[0].object_id == str(overdue.pk)


def test_done_actions_and_other_landlords_are_left_alone(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    case = _overdue_case(world)
    with organisation_scope(world.a.organisation.pk):
        action = SafetyAction.objects.get(case=case)
        safety_action_complete(action=action, actor=world.a[Role.OFFICER], evidence_note="Done late")
    assert (
        _tick(django_capture_on_commit_callbacks) == "job outputs: 0 expired job output(s) deleted.\n"
        "moves ledger: 0 move(s) posted to the ledger on their date.\n"
        "offers: 0 offer(s) expired.\n"
        "requests waiting: 0 waiting request(s) notified.\n"
        "safety breaches: 0 new breach(es) notified.\n"
        "tasks overdue: 0 overdue task(s) notified.\n"
    )
    assert mail.outbox == []


def test_a_restricted_case_is_reported_only_to_named_managers(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    named_manager = make_member(world.a.organisation, Role.MANAGER, email="named.manager@alpha.test")
    case = _overdue_case(world)
    with organisation_scope(world.a.organisation.pk):
        case_restrict(case=case, actor=named_manager, restricted=True, named_staff=[world.a[Role.OFFICER]])
    _tick(django_capture_on_commit_callbacks)
    # The named officer's in-application notice may also go by e-mail (notifications app).
    [message] = [sent for sent in mail.outbox if sent.subject.startswith("Safety action overdue")]
    assert message.to == [named_manager.email]
