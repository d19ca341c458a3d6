"""Safety clocks across the clock changes and bank holidays (Europe/London)."""

from __future__ import annotations

import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps

from safemoves.cases.models import Case
from safemoves.organisations.models import Role
from safemoves.safety.catalogue import CATALOGUE
from safemoves.safety.clocks import due_at
from safemoves.safety.models import SafetyAction, SafetyActionType
from safemoves.safety.services import safety_action_complete, safety_action_create, safety_actions_for_new_case
from tests.factories import World
from tests.safety.factories import agree_sanctuary, make_case

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("kind", "amount", "start", "due"),
    [
        # 24 real hours across the spring change: the Sunday is 23 hours long.
        ("hours", 24, london(2026, 3, 28, 22), london(2026, 3, 29, 23)),
        # ... and across the autumn change: the Sunday is 25 hours long.
        ("hours", 24, london(2026, 10, 24, 22), london(2026, 10, 25, 21)),
        # 72 hours from a survey on the Thursday before the spring change.
        ("hours", 72, london(2026, 3, 26, 12), london(2026, 3, 29, 13)),
        # Weekends and bank holidays count for hour clocks: Good Friday 2026 is 3 April.
        ("hours", 24, london(2026, 4, 2, 16), london(2026, 4, 3, 16)),
        # 5 working days over Easter 2026 (Good Friday 3 April, Easter Monday 6 April).
        ("working_days", 5, london(2026, 4, 1, 10), london(2026, 4, 10, 10)),
        # 5 working days over Christmas 2026: Boxing Day falls on Saturday, substitute Monday 28th.
        ("working_days", 5, london(2026, 12, 24, 15), london(2027, 1, 5, 15)),
        # A working-day clock started on a Saturday in BST runs from Monday's start.
        ("working_days", 1, london(2026, 3, 28, 10), london(2026, 3, 31, 0)),
        # Month clocks keep the wall-clock time across the changes.
        ("months", 3, london(2026, 1, 15, 10), london(2026, 4, 15, 10)),
        ("months", 6, london(2026, 4, 30, 10), london(2026, 10, 30, 10)),
        # ... and clamp to the end of a shorter month.
        ("months", 3, london(2026, 8, 31, 9), london(2026, 11, 30, 9)),
    ],
)
def test_due_at(kind: str, amount: int, start: datetime, due: datetime) -> None:
    result = due_at(clock_kind=kind, amount=amount, starts_at=start)
    assert result == due
    assert result.utcoffset() == due.utcoffset()


def test_an_unknown_clock_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="'fortnights' is not a clock kind"):
        due_at(clock_kind="fortnights", amount=1, starts_at=london(2026, 1, 1))


def test_the_catalogue_migration_seeds_every_type_and_can_run_again(db: None) -> None:
    migration = importlib.import_module("safemoves.safety.migrations.0002_seed_action_types")
    SafetyActionType.objects.all().delete()
    migration.seed(django_apps, None)
    SafetyActionType.objects.filter(code="lock_change").update(amount=1)
    migration.seed(django_apps, None)
    seeded = {row.code: (row.clock_kind, row.amount, row.relative_to) for row in SafetyActionType.objects.all()}
    assert seeded == {item["code"]: (item["clock_kind"], item["amount"], item["relative_to"]) for item in CATALOGUE}
    assert seeded["lock_change"] == ("hours", 24, "referral")
    assert seeded["sanctuary_measures"] == ("hours", 72, "survey_done")
    assert seeded["sanctuary_review_3m"] == ("months", 3, "survey_done")
    assert seeded["sanctuary_review_6m"] == ("months", 6, "survey_done")


def test_a_lock_change_from_a_referral_on_the_night_the_clocks_go_forward(scoped: World) -> None:
    case = make_case(scoped, received_at=london(2026, 3, 28, 22, 30))
    [lock] = safety_actions_for_new_case(case, None)
    assert lock.due_at == london(2026, 3, 29, 23, 30)
    assert lock.owner == scoped.a[Role.OFFICER]
    case.refresh_from_db()
    assert case.next_due_at == min(case.first_contact_due_at, lock.due_at) == lock.due_at


def test_the_survey_sets_measures_and_reviews_across_the_autumn_change(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped, received_at=london(2026, 10, 19, 9))
    agree_sanctuary(case, officer)
    survey = safety_action_create(case=case, actor=officer, type_code="sanctuary_survey")
    # 5 working days from Monday 19 October 2026 09:00.
    assert survey.due_at == london(2026, 10, 26, 9)
    follow_ups = safety_action_complete(
        action=survey, actor=officer, evidence_note="Survey done with her", done_at=london(2026, 10, 23, 14)
    )
    assert [(item.action_type.code, item.due_at) for item in follow_ups] == [
        ("sanctuary_measures", london(2026, 10, 26, 13)),  # 72 real hours; the Sunday had 25
        ("sanctuary_review_3m", london(2027, 1, 23, 14)),
        ("sanctuary_review_6m", london(2027, 4, 23, 14)),
    ]
    assert all(item.follows == survey for item in follow_ups)
    assert survey.done_late is False
    case = Case.objects.get(pk=case.pk)
    assert case.next_due_at == min(case.first_contact_due_at, london(2026, 10, 26, 13))
    assert SafetyAction.objects.filter(case=case, status="open").count() == 3


def test_flags_at_the_old_address_run_from_the_move_over_christmas(scoped: World) -> None:
    case = make_case(scoped)
    action = safety_action_create(
        case=case, actor=scoped.a[Role.OFFICER], type_code="old_address_flags", starts_at=london(2026, 12, 24, 15)
    )
    assert action.due_at == london(2027, 1, 5, 15)
