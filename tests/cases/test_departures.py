"""Who may hold or be named on a case: a member who stops doing casework leaves no case behind
(their open cases return to triage) and no open work (their open tasks and safety actions pass
to the case's officer, else a manager), and only people who could read a case are named on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from safemoves.accounts.models import User
from safemoves.audit.models import AuditEvent
from safemoves.cases import selectors, services
from safemoves.cases.codes import CaseSource, CaseStatus
from safemoves.cases.models import Case
from safemoves.common.clock import LONDON
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.notifications.models import Notification
from safemoves.organisations.models import Membership, Role
from safemoves.organisations.services import member_change_role, member_deactivate
from safemoves.safety.codes import ActionStatus
from safemoves.safety.models import SafetyAction, SafetyActionType
from safemoves.safety.services import (
    safety_action_cancel,
    safety_action_complete,
    safety_action_create,
    safety_actions_of_departing_member,
)
from safemoves.tasks import services as task_services
from safemoves.tasks.codes import TaskKind, TaskStatus
from safemoves.tasks.models import Task
from tests.cases.factories import make_case
from tests.factories import World, make_member, sign_in


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
    # Each police referral set a lock change at intake, which followed the case to its officer
    # when it was assigned; it passes on with the officer's other open work.
    assert done == [
        "2 open cases went back to the triage inbox for a manager to assign.",
        "2 open safety actions passed to Manager of Alpha Homes.",
    ]
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
    passed = ["1 open case went back to the triage inbox for a manager to assign."]
    passed.append("1 open safety action passed to Manager of Alpha Homes.")  # its lock change (see above)
    assert done == (passed if returned else [])
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


# --- open tasks and safety actions ------------------------------------------------------------

MONDAY = date(2027, 1, 4)  # a working day
NOT_HERE = "its owner no longer does casework here"


def _task(case: Case, actor: User, owner: User) -> Task:
    values = {"kind": TaskKind.TASK, "title": "Ring the school", "owner": owner, "due_on": MONDAY}
    return task_services.task_create(case=case, actor=actor, values=values)


def _action(case: Case, actor: User, owner: User, code: str = "police_flag") -> SafetyAction:
    return safety_action_create(case=case, actor=actor, type_code=code, owner=owner)


@dataclass
class Work:
    """A leaving officer's work at landlord A: on their own case (Ann), on a colleague's (Bea)
    and on a closed case (Cat)."""

    leaver: User
    colleague: User
    ann: Case
    bea: Case
    cat: Case
    open_task: Task  # Ann's, already reported overdue
    done_task: Task
    colleagues_task: Task  # on Bea's case
    closed_task: Task  # on Cat's case, left open when it closed
    open_action: SafetyAction
    done_action: SafetyAction
    cancelled_action: SafetyAction
    colleagues_action: SafetyAction
    closed_action: SafetyAction


def _work(world: World) -> Work:
    leaver, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    colleague = make_member(world.a.organisation, Role.OFFICER, email="pat@a.test", name="Pat Officer")
    # Staff cases with nothing said of a key: no lock change is set on opening.
    ann, bea, cat = (
        make_case(world.a, name=name, assigned_to=officer, source=CaseSource.STAFF)
        for name, officer in (("Ann Example", leaver), ("Bea Example", colleague), ("Cat Example", leaver))
    )
    with organisation_scope(world.a.organisation.pk):
        work = Work(
            leaver=leaver,
            colleague=colleague,
            ann=ann,
            bea=bea,
            cat=cat,
            open_task=_task(ann, manager, leaver),
            done_task=_task(ann, manager, leaver),
            colleagues_task=_task(bea, manager, leaver),
            closed_task=_task(cat, manager, leaver),
            open_action=_action(ann, manager, leaver),
            done_action=_action(ann, manager, leaver, "lock_change"),
            cancelled_action=_action(ann, manager, leaver, "sanctuary_survey"),
            colleagues_action=_action(bea, manager, leaver),
            closed_action=_action(cat, manager, leaver),
        )
        task_services.task_complete(task=work.done_task, actor=leaver)
        safety_action_complete(action=work.done_action, actor=leaver, evidence_note="Locks changed, job 123")
        safety_action_cancel(action=work.cancelled_action, actor=leaver, reason="Tenant is moving instead")
        services.case_close(case=cat, actor=manager, outcome="safe_at_home")
        Task.objects.filter(pk=work.open_task.pk).update(overdue_notified_at=datetime(2027, 1, 5, 9, 0, tzinfo=LONDON))
    return work


def _tasks(work: Work) -> dict[str, tuple[int, str, int]]:
    """Each task's owner, status and version."""
    names = ("open_task", "done_task", "colleagues_task", "closed_task")
    with scopes_disabled():
        rows = {
            task.pk: (task.owner_id, task.status, task.version)
            for task in Task.objects.filter(pk__in=[getattr(work, name).pk for name in names])
        }
    return {name: rows[getattr(work, name).pk] for name in names}


def _actions(work: Work) -> dict[str, tuple[int | None, str]]:
    """Each safety action's owner and status."""
    names = ("open_action", "done_action", "cancelled_action", "colleagues_action", "closed_action")
    with scopes_disabled():
        rows = {
            action.pk: (action.owner_id, action.status)
            for action in SafetyAction.objects.filter(pk__in=[getattr(work, name).pk for name in names])
        }
    return {name: rows[getattr(work, name).pk] for name in names}


def _events(action: str) -> list[tuple[int | None, str, list[str], str]]:
    """Every event of ``action``: actor, case, fields and reason, in a stable order."""
    with scopes_disabled():
        events = AuditEvent.objects.filter(action=action).values_list("actor_id", "object_id", "fields", "reason")
        return sorted((actor, case, list(fields), reason) for actor, case, fields, reason in events)


def _unchanged(work: Work) -> tuple[dict[str, tuple[int, str, int]], dict[str, tuple[int | None, str]]]:
    """What ``_tasks`` and ``_actions`` read when nothing has passed on."""
    leaver = work.leaver.pk
    tasks: dict[str, tuple[int, str, int]] = {
        "open_task": (leaver, TaskStatus.OPEN, 1),
        "done_task": (leaver, TaskStatus.DONE, 2),
        "colleagues_task": (leaver, TaskStatus.OPEN, 1),
        "closed_task": (leaver, TaskStatus.OPEN, 1),
    }
    actions: dict[str, tuple[int | None, str]] = {
        "open_action": (leaver, ActionStatus.OPEN),
        "done_action": (leaver, ActionStatus.DONE),
        "cancelled_action": (leaver, ActionStatus.CANCELLED),
        "colleagues_action": (leaver, ActionStatus.OPEN),
        "closed_action": (leaver, ActionStatus.OPEN),
    }
    return tasks, actions


LEAVING = ["deactivated", Role.LETTINGS_OFFICER, Role.AUDITOR]


def _leave(world: World, leaver: User, how: str, *, actor: User | None = None) -> list[str]:
    actor = actor or world.a[Role.ADMIN]
    with organisation_scope(world.a.organisation.pk):
        if how == "deactivated":
            return member_deactivate(membership=leaver.membership, actor=actor)
        return member_change_role(membership=leaver.membership, actor=actor, role=how)


@pytest.mark.parametrize("how", LEAVING)
def test_a_leavers_open_tasks_and_actions_pass_to_the_cases_officer_else_a_manager(world: World, how: str) -> None:
    work = _work(world)
    admin, manager, pat = world.a[Role.ADMIN], world.a[Role.MANAGER].pk, work.colleague.pk
    done = _leave(world, work.leaver, how)
    assert done == [
        "1 open case went back to the triage inbox for a manager to assign.",
        "2 open safety actions passed on: 1 to Manager of Alpha Homes and 1 to Pat Officer.",
        "2 open tasks passed on: 1 to Manager of Alpha Homes and 1 to Pat Officer.",
    ]
    tasks, actions = _unchanged(work)
    # An administrator made the change, and cannot read cases: Ann's work goes to the manager
    # (Ann's case is back in triage), Bea's to Bea's officer. Done, cancelled and closed-case
    # items stay with the leaver.
    assert _tasks(work) == {
        **tasks,
        "open_task": (manager, TaskStatus.OPEN, 2),
        "colleagues_task": (pat, TaskStatus.OPEN, 2),
    }
    assert _actions(work) == {
        **actions,
        "open_action": (manager, ActionStatus.OPEN),
        "colleagues_action": (pat, ActionStatus.OPEN),
    }
    with scopes_disabled():
        open_task = Task.objects.get(pk=work.open_task.pk)
    assert (open_task.overdue_notified_at, open_task.updated_by_id) == (None, admin.pk)  # the new owner is told
    ann, bea = str(work.ann.pk), str(work.bea.pk)
    assert _events("task.reassigned") == sorted(
        [
            (
                admin.pk,
                ann,
                ["overdue_notified_at", "owner"],
                f"task {work.open_task.pk}: to user {manager}, {NOT_HERE}",
            ),
            (admin.pk, bea, ["owner"], f"task {work.colleagues_task.pk}: to user {pat}, {NOT_HERE}"),
        ]
    )
    assert _events("safety.action_reassigned") == sorted(
        [
            (admin.pk, ann, ["owner"], f"action {work.open_action.pk}: police_flag, to user {manager}, {NOT_HERE}"),
            (admin.pk, bea, ["owner"], f"action {work.colleagues_action.pk}: police_flag, to user {pat}, {NOT_HERE}"),
        ]
    )


def test_the_new_owner_is_told_once_of_a_task_already_reported_overdue(world: World) -> None:
    leaver, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    case = make_case(world.a, assigned_to=leaver, source=CaseSource.STAFF)
    with organisation_scope(world.a.organisation.pk):
        task = _task(case, manager, leaver)
    later = task.due_at + timedelta(minutes=1)
    assert task_services.tasks_overdue_notify(now=later) == [str(task.pk)]  # to the officer, before leaving
    _leave(world, leaver, "deactivated")
    assert task_services.tasks_overdue_notify(now=later) == [str(task.pk)]
    assert task_services.tasks_overdue_notify(now=later) == []
    with organisation_scope(world.a.organisation.pk):
        told = sorted((notice.recipient_id, notice.kind) for notice in Notification.objects.all())
    assert told == sorted([(leaver.pk, "task_overdue"), (manager.pk, "task_overdue")])


def test_a_move_between_casework_roles_passes_nothing_on(world: World) -> None:
    work = _work(world)
    assert _leave(world, work.leaver, Role.MANAGER) == []
    assert (_tasks(work), _actions(work)) == _unchanged(work)
    assert (_events("task.reassigned"), _events("safety.action_reassigned")) == ([], [])


def test_a_manager_who_makes_the_change_takes_the_work(world: World) -> None:
    work = _work(world)
    manager = world.a[Role.MANAGER]
    done = _leave(world, work.leaver, "deactivated", actor=manager)
    assert done == [
        "1 open case went back to the triage inbox for a manager to assign.",
        "2 open safety actions passed on: 1 to Pat Officer and 1 to you.",
        "2 open tasks passed on: 1 to Pat Officer and 1 to you.",
    ]
    assert (_tasks(work)["open_task"][0], _actions(work)["open_action"][0]) == (manager.pk, manager.pk)


def test_without_an_active_manager_the_administrator_holds_the_work(world: World) -> None:
    leaver, admin = world.a[Role.OFFICER], world.a[Role.ADMIN]
    case = make_case(world.a, assigned_to=leaver, source=CaseSource.STAFF)
    with organisation_scope(world.a.organisation.pk):
        task = _task(case, world.a[Role.MANAGER], leaver)
        action = _action(case, world.a[Role.MANAGER], leaver)
    _leave(world, world.a[Role.MANAGER], "deactivated")
    done = _leave(world, leaver, "deactivated")
    assert done[1:] == ["1 open safety action passed to you.", "1 open task passed to you."]
    with scopes_disabled():
        assert (Task.objects.get(pk=task.pk).owner_id, SafetyAction.objects.get(pk=action.pk).owner_id) == (
            admin.pk,
            admin.pk,
        )


def test_a_leaving_manager_passes_the_work_to_another_manager(world: World) -> None:
    leaver = world.a[Role.MANAGER]  # the longest-serving manager
    other = make_member(world.a.organisation, Role.MANAGER, email="mo@a.test", name="Mo Manager")
    case = make_case(world.a, source=CaseSource.STAFF)  # in triage: no officer
    with organisation_scope(world.a.organisation.pk):
        task = _task(case, leaver, leaver)
    assert _leave(world, leaver, Role.AUDITOR) == ["1 open task passed to Mo Manager."]
    with scopes_disabled():
        assert Task.objects.get(pk=task.pk).owner_id == other.pk


def test_the_hooks_do_not_rely_on_the_cases_hook_running_first(world: World) -> None:
    """Run alone, with the leaver still the case's officer, the work still goes to a manager."""
    leaver, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    case = make_case(world.a, assigned_to=leaver, source=CaseSource.STAFF)
    with organisation_scope(world.a.organisation.pk):
        task = _task(case, manager, leaver)
        action = _action(case, manager, leaver)
        said = [
            task_services.tasks_of_departing_member(leaver.membership, world.a[Role.ADMIN]),
            safety_actions_of_departing_member(leaver.membership, world.a[Role.ADMIN]),
        ]
    assert said == [
        "1 open task passed to Manager of Alpha Homes.",
        "1 open safety action passed to Manager of Alpha Homes.",
    ]
    with scopes_disabled():
        assert Case.objects.get(pk=case.pk).assigned_officer_id == leaver.pk
        assert (Task.objects.get(pk=task.pk).owner_id, SafetyAction.objects.get(pk=action.pk).owner_id) == (
            manager.pk,
            manager.pk,
        )


def test_another_landlords_tasks_and_actions_are_untouched(world: World) -> None:
    leaver, elsewhere = world.a[Role.OFFICER], world.b[Role.OFFICER]
    case_b = make_case(world.b, assigned_to=elsewhere, source=CaseSource.STAFF)
    with organisation_scope(world.b.organisation.pk):
        theirs = _task(case_b, world.b[Role.MANAGER], elsewhere)
        # Not possible through the services (a member belongs to one landlord): the hooks must
        # still touch only the landlord of the membership.
        stray_task = Task.objects.create(
            organisation=world.b.organisation, case=case_b, title="Ring the school", owner=leaver, due_on=MONDAY,
            due_at=task_services.due_at_for(MONDAY), created_by=elsewhere, updated_by=elsewhere,
        )  # fmt: skip
        stray_action = SafetyAction.objects.create(
            organisation=world.b.organisation, case=case_b, owner=leaver, starts_at=case_b.received_at,
            due_at=case_b.received_at, action_type=SafetyActionType.objects.get(code="police_flag"),
        )  # fmt: skip
    assert _leave(world, leaver, "deactivated") == []
    with scopes_disabled():
        assert [Task.objects.get(pk=pk).owner_id for pk in (theirs.pk, stray_task.pk)] == [elsewhere.pk, leaver.pk]
        assert SafetyAction.objects.get(pk=stray_action.pk).owner_id == leaver.pk
    assert (_events("task.reassigned"), _events("safety.action_reassigned")) == ([], [])


OFFICER_A = "Tenancy services officer of Alpha Homes"


@pytest.mark.parametrize(
    ("url", "data", "first"),
    [
        ("organisations:deactivate", {}, f"{OFFICER_A} can no longer sign in; their sessions have ended."),
        ("organisations:change_role", {"role": Role.LETTINGS_OFFICER}, f"{OFFICER_A} is now: Lettings officer."),
    ],
)
def test_the_staff_page_says_where_the_work_went(world: World, url: str, data: dict[str, str], first: str) -> None:
    work = _work(world)
    with scopes_disabled():
        membership = Membership.objects.get(user=work.leaver)
    client = sign_in(Client(), world.a[Role.ADMIN])
    response = client.post(reverse(url, kwargs={"membership_id": membership.pk}), data)
    assert response.status_code == 302
    assert [message.message for message in get_messages(response.wsgi_request)] == [
        f"{first} 1 open case went back to the triage inbox for a manager to assign. "
        "2 open safety actions passed on: 1 to Manager of Alpha Homes and 1 to Pat Officer. "
        "2 open tasks passed on: 1 to Manager of Alpha Homes and 1 to Pat Officer."
    ]
