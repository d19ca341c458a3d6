"""Demo data for the officer's working day (issue 14): tasks on the demo cases (some overdue,
some support-plan reviews) and the notifications the clocks raise from them. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Organisation
from safemoves.tasks.codes import TaskKind
from safemoves.tasks.models import Task
from safemoves.tasks.services import next_working_day, task_create, tasks_overdue_notify

TASK_TITLES = (
    "Ring the school about the pick-up plan",
    "Check the lock change invoice with the contractor",
    "Book the housing options interview",
    "Chase the IDVA referral",
)


def seed_demo_working_day() -> int:
    """Tasks on every third open demo case, then the overdue notices; returns tasks created."""
    created = 0
    today = timezone.localdate()
    with scopes_disabled():
        organisation_ids = list(
            Organisation.objects.filter(memberships__user__is_demo=True).distinct().values_list("pk", flat=True)
        )
    for organisation_id in organisation_ids:
        with organisation_scope(organisation_id), transaction.atomic():
            if Task.objects.exists():
                continue
            cases = list(
                Case.objects.filter(assigned_officer__isnull=False)
                .exclude(status=CaseStatus.CLOSED)
                .select_related("assigned_officer")
                .order_by("reference")
            )
            for index, case in enumerate(cases[::3]):
                officer = case.assigned_officer
                if officer is None:
                    continue
                review = index % 4 == 3
                # A spread of due dates: two working days ago (overdue), today, next week.
                offset = (-3, 0, 7)[index % 3]
                task_create(
                    case=case,
                    actor=officer,
                    values={
                        "kind": TaskKind.SUPPORT_PLAN_REVIEW if review else TaskKind.TASK,
                        "title": "Review the support plan" if review else TASK_TITLES[index % len(TASK_TITLES)],
                        "notes": "",
                        "owner": officer,
                        "due_on": next_working_day(today + timedelta(days=offset)),
                        "repeat_every_months": 3 if review else None,
                    },
                )
                created += 1
    tasks_overdue_notify()
    return created
