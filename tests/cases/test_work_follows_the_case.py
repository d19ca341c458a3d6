"""A case's open work follows it to its new officer (ADR 0031): the open tasks and safety actions
its previous officer owned, or, out of the triage inbox, all of its open work."""

from __future__ import annotations

from datetime import date, datetime

from safemoves.accounts.models import User
from safemoves.audit.models import AuditEvent
from safemoves.cases import services
from safemoves.cases.codes import CaseSource
from safemoves.cases.models import Case
from safemoves.common.clock import LONDON
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.organisations.services import member_deactivate
from safemoves.safety.models import SafetyAction
from safemoves.safety.services import safety_action_create
from safemoves.tasks import services as task_services
from safemoves.tasks.codes import TaskKind
from safemoves.tasks.models import Task
from tests.cases.factories import make_case
from tests.factories import World, make_member

MONDAY = date(2027, 1, 4)


def _task(case: Case, actor: User, owner: User) -> Task:
    values = {"kind": TaskKind.TASK, "title": "Ring the school", "owner": owner, "due_on": MONDAY}
    return task_services.task_create(case=case, actor=actor, values=values)


def _action(case: Case, actor: User, owner: User, code: str = "police_flag") -> SafetyAction:
    return safety_action_create(case=case, actor=actor, type_code=code, owner=owner)


def _owners(*items: Task | SafetyAction) -> list[int | None]:
    with scopes_disabled():
        return [type(item).objects.get(pk=item.pk).owner_id for item in items]


def _reasons(case: Case, action: str) -> list[str]:
    with scopes_disabled():
        return sorted(AuditEvent.objects.filter(object_id=str(case.pk), action=action).values_list("reason", flat=True))


def _staff_case(world: World, officer: User | None) -> Case:
    # A staff referral saying nothing of a key: no lock change is set on opening.
    return make_case(world.a, name="Ann Example", assigned_to=officer, source=CaseSource.STAFF)


def test_reassigning_a_case_passes_its_previous_officers_open_work_to_the_new_one(world: World) -> None:
    officer, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    newcomer = make_member(world.a.organisation, Role.OFFICER, email="pat@a.test", name="Pat Officer")
    case = _staff_case(world, officer)
    with organisation_scope(world.a.organisation.pk):
        task, done, managers_task = (
            _task(case, manager, officer),
            _task(case, manager, officer),
            _task(case, manager, manager),
        )
        action, managers_action = _action(case, manager, officer), _action(case, manager, manager, "lock_change")
        task_services.task_complete(task=done, actor=officer)
        Task.objects.filter(pk=task.pk).update(overdue_notified_at=datetime(2027, 1, 5, 9, 0, tzinfo=LONDON))
        services.case_assign(case=case, actor=manager, officer=newcomer)
    assert _owners(task, action) == [newcomer.pk, newcomer.pk]
    assert _owners(done, managers_task, managers_action) == [officer.pk, manager.pk, manager.pk]
    with scopes_disabled():
        moved = Task.objects.get(pk=task.pk)
    assert (moved.version, moved.updated_by_id, moved.overdue_notified_at) == (2, manager.pk, None)  # told once
    assert _reasons(case, "task.reassigned") == [f"task {task.pk}: to user {newcomer.pk}, with the case"]
    assert _reasons(case, "safety.action_reassigned") == [
        f"action {action.pk}: police_flag, to user {newcomer.pk}, with the case"
    ]


def test_out_of_triage_all_open_work_goes_to_the_officer_including_what_a_manager_held(world: World) -> None:
    leaver, manager, admin = world.a[Role.OFFICER], world.a[Role.MANAGER], world.a[Role.ADMIN]
    newcomer = make_member(world.a.organisation, Role.OFFICER, email="pat@a.test", name="Pat Officer")
    case = _staff_case(world, leaver)
    with organisation_scope(world.a.organisation.pk):
        task, action = _task(case, manager, leaver), _action(case, manager, leaver)
        member_deactivate(membership=leaver.membership, actor=admin)
    assert _owners(task, action) == [manager.pk, manager.pk]  # held by a manager while in triage
    with organisation_scope(world.a.organisation.pk):
        services.case_assign(case=case, actor=manager, officer=newcomer)
    assert _owners(task, action) == [newcomer.pk, newcomer.pk]


def test_an_unchanged_assignment_moves_nothing_and_other_cases_are_untouched(world: World) -> None:
    officer, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    newcomer = make_member(world.a.organisation, Role.OFFICER, email="pat@a.test", name="Pat Officer")
    case, other = _staff_case(world, officer), _staff_case(world, officer)
    theirs = make_case(world.b, name="Bea Example", assigned_to=world.b[Role.OFFICER], source=CaseSource.STAFF)
    with organisation_scope(world.a.organisation.pk):
        task, others_task = _task(case, manager, officer), _task(other, manager, officer)
        services.case_assign(case=case, actor=manager, officer=officer)  # already theirs
        assert _owners(task) == [officer.pk]
        services.case_assign(case=case, actor=manager, officer=newcomer)
    with organisation_scope(world.b.organisation.pk):
        their_task = _task(theirs, world.b[Role.MANAGER], world.b[Role.OFFICER])
    assert _owners(task, others_task, their_task) == [newcomer.pk, officer.pk, world.b[Role.OFFICER].pk]
