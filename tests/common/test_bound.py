"""Bound statements: built once per process, each use binds its own values (ADR 0033)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any, cast
from uuid import UUID

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django_scopes import ScopeError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safemoves.cases.models import Case, CaseNote, HouseholdMember
from safemoves.common import bound as bound_module
from safemoves.common.bound import BoundStatementRefused, bound, cache_size
from safemoves.common.prepared import PreparedSQLMismatch
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    bound_module.clear_cache()
    yield
    bound_module.clear_cache()


def _case(case_id: UUID) -> QuerySet[Case]:
    return Case.objects.filter(pk=case_id).select_related("assigned_officer")


def _all_cases() -> QuerySet[Case]:
    return Case.objects.order_by("reference")


def _notes_of_kind(case_id: UUID, kind: str) -> QuerySet[CaseNote]:
    return CaseNote.objects.filter(case_id=case_id, kind=kind)


def _household(case_id: UUID) -> QuerySet[HouseholdMember]:
    return HouseholdMember.objects.filter(case_id=case_id)


def _plain_sql(queryset: QuerySet[Any]) -> tuple[str, Any]:
    with CaptureQueriesContext(connection) as queries:
        list(queryset)
    return queries.captured_queries[-1]["sql"], len(queries.captured_queries)


def test_each_use_binds_its_own_values_into_one_statement(world: World) -> None:
    officer = world.a[Role.OFFICER]
    first, second = make_case(world.a, name="Ann Example", assigned_to=officer), make_case(world.a, name="Bea Example")
    with organisation_scope(world.a.organisation.pk):
        shown = [list(bound("test.case", _case, case_id=case.pk)) for case in (first, second)]
        with CaptureQueriesContext(connection) as queries:
            again = list(bound("test.case", _case, case_id=second.pk))
        plain, _ = _plain_sql(_case(second.pk))
    assert cache_size() == 1  # one statement, three uses
    assert [[case.pk for case in rows] for rows in shown] == [[first.pk], [second.pk]]
    assert shown[0][0].assigned_officer == officer  # select_related still fills the joined row
    assert shown[1][0].assigned_officer is None
    assert [case.pk for case in again] == [second.pk]
    assert queries.captured_queries[0]["sql"] == plain  # exactly what Django sends for it


def test_the_organisation_scope_is_bound_on_every_use(world: World) -> None:
    ours, theirs = make_case(world.a, name="Ann Example"), make_case(world.b, name="Cat Example")
    seen = []
    for landlord in (world.a, world.b, world.a):
        with organisation_scope(landlord.organisation.pk):
            seen.append([case.pk for case in bound("test.scope", _all_cases)])
    assert seen == [[ours.pk], [theirs.pk], [ours.pk]]
    assert cache_size() == 1


def test_another_organisations_row_is_not_found_by_its_id(world: World) -> None:
    theirs = make_case(world.b, name="Cat Example")
    with organisation_scope(world.b.organisation.pk):
        assert [case.pk for case in bound("test.case", _case, case_id=theirs.pk)] == [theirs.pk]
    with organisation_scope(world.a.organisation.pk):
        assert list(bound("test.case", _case, case_id=theirs.pk)) == []


def test_scopes_disabled_and_no_scope_are_statements_of_their_own(world: World) -> None:
    ours, theirs = make_case(world.a, name="Ann Example"), make_case(world.b, name="Cat Example")
    with scopes_disabled():
        everyone = {case.pk for case in bound("test.scope", _all_cases)}
    with organisation_scope(world.a.organisation.pk):
        scoped = [case.pk for case in bound("test.scope", _all_cases)]
    assert {ours.pk, theirs.pk} <= everyone
    assert scoped == [ours.pk]
    assert cache_size() == 2
    with pytest.raises(ScopeError):  # no scope: the scoped manager refuses, as without bound()
        list(bound("test.scope", _all_cases))


def test_known_gives_the_rows_their_case_without_reading_it(world: World) -> None:
    case = make_case(world.a, name="Ann Example", full=True)
    with organisation_scope(world.a.organisation.pk), CaptureQueriesContext(connection) as queries:
        members = list(bound("test.household", _household, known={"case": case}, case_id=case.pk))
        cases = {member.case.pk for member in members}
    assert members
    assert cases == {case.pk}
    assert all(member.case is case for member in members)
    assert len(queries.captured_queries) == 1


def test_the_kept_statements_hold_no_value(world: World) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        list(bound("test.values", _notes_of_kind, case_id=case.pk, kind="a-secret-word"))
        list(bound("test.case", _case, case_id=case.pk))
    kept = repr([(statement.sql, statement.plan) for statement in bound_module._statements.values()])
    assert cache_size() == 2
    for value in (str(case.pk), case.pk.hex, "a-secret-word", str(world.a.organisation.pk)):
        assert value not in kept


def test_verify_mode_catches_a_statement_that_differs_from_the_builders(world: World) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        list(bound("test.verify", _case, case_id=case.pk))
        (statement,) = bound_module._statements.values()
        statement.sql = statement.sql.replace("SELECT ", "SELECT DISTINCT ", 1)
        with override_settings(SAFEMOVES_VERIFY_PREPARED_SQL=True), pytest.raises(PreparedSQLMismatch):
            list(bound("test.verify", _case, case_id=case.pk))
        with override_settings(SAFEMOVES_VERIFY_PREPARED_SQL=False), CaptureQueriesContext(connection) as queries:
            list(bound("test.verify", _case, case_id=case.pk))
    assert "SELECT DISTINCT " in queries.captured_queries[0]["sql"]  # without verify mode, it is used as kept


def test_the_bound_queryset_cannot_be_changed(world: World) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        rows = bound("test.case", _case, case_id=case.pk)
        for change in (lambda: rows.filter(status="closed"), lambda: rows[:1], rows.count, rows.first):
            with pytest.raises(BoundStatementRefused):
                change()
        assert len(rows) == 1
        assert bool(rows)


# Builders that must be refused, each for the reason named.


def _with_clock(case_id: UUID) -> QuerySet[Case]:
    return Case.objects.filter(pk=case_id, created_at__lt=timezone.now())


def _with_today(case_id: UUID) -> QuerySet[Case]:
    return Case.objects.filter(pk=case_id, created_at__date__lt=datetime.date(2026, 1, 1))


def _computed(case_id: UUID) -> QuerySet[Case]:
    return Case.objects.filter(reference=str(case_id)[:8])


def _unused(case_id: UUID) -> QuerySet[Case]:
    return Case.objects.all()


def _prefetching(case_id: UUID) -> QuerySet[Case]:
    return Case.objects.filter(pk=case_id).prefetch_related("household")


def _locking(case_id: UUID) -> QuerySet[Case]:
    return Case.objects.filter(pk=case_id).select_for_update()


def _values(case_id: UUID) -> QuerySet[Any]:
    return Case.objects.filter(pk=case_id).values("pk")


def _in_text(limit: int) -> QuerySet[Case]:
    return Case.objects.order_by("pk")[:limit]


@pytest.mark.parametrize(
    ("builder", "reason"),
    [
        (_with_clock, "changes between builds"),
        (_with_today, "date or time"),
        (_computed, "changes between builds"),
        (_unused, "never reaches the statement"),
        (_prefetching, "prefetch_related"),
        (_locking, "select_for_update"),
        (_values, "values()"),
        (lambda case_id: Case.objects.filter(pk=case_id), "module-level function"),
    ],
)
def test_a_builder_that_could_keep_more_than_its_values_is_refused(world: World, builder: Any, reason: str) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk), pytest.raises(BoundStatementRefused, match=reason):
        bound("test.refused", builder, case_id=case.pk)
    assert cache_size() == 0


def test_a_value_written_into_the_sql_text_is_refused(world: World) -> None:
    with organisation_scope(world.a.organisation.pk), pytest.raises(BoundStatementRefused, match="SQL"):
        bound("test.limit", _in_text, limit=5)


def test_only_ids_and_strings_are_bound(world: World) -> None:
    with organisation_scope(world.a.organisation.pk), pytest.raises(BoundStatementRefused, match="datetime"):
        bound("test.type", _case, case_id=timezone.now())  # type: ignore[arg-type]


def _references(organisation_id: int) -> QuerySet[Any]:
    return (
        Case.objects.filter(organisation_id=organisation_id).order_by("reference").values_list("reference", flat=True)
    )


def test_values_list_rows_are_bound_too(world: World) -> None:
    cases = [make_case(world.a, name=f"Case Example {index}") for index in range(2)]
    with organisation_scope(world.a.organisation.pk):
        first = list(bound("test.references", _references, organisation_id=world.a.organisation.pk))
        again = list(bound("test.references", _references, organisation_id=world.a.organisation.pk))
    assert first == again == sorted(case.reference for case in cases)
    assert cache_size() == 1


def _sorted_cases(case_id: UUID) -> QuerySet[Case]:
    return Case.objects.filter(pk=case_id).order_by("pk")


def _rows(queryset: QuerySet[Any]) -> list[Any]:
    """What a read gave: each row's key and landlord, or the values of a values_list()."""
    return [row if isinstance(row, str) else (row.pk, row.organisation_id) for row in queryset]


READS = ("case", "household", "references")
STEPS = st.tuples(st.sampled_from(["a", "b", "every"]), st.integers(0, 3), st.sampled_from(READS))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEPS, min_size=1, max_size=10))
def test_in_any_order_of_scopes_and_ids_a_bound_read_is_its_builders_read(
    world: World, steps: list[tuple[str, int, str]]
) -> None:
    """Whatever was bound before, under whichever scope, each use reads exactly what its builder
    reads now, and under a landlord's scope nothing of another landlord."""
    if "cases" not in world.extra:
        world.extra["cases"] = [
            make_case(world.a, name="Ann Example", full=True).pk,
            make_case(world.a, name="Bea Example").pk,
            make_case(world.b, name="Cat Example", full=True).pk,
            UUID("0b5e55ed-0000-4000-8000-000000000000"),  # no such case
        ]
    cases = cast(list[UUID], world.extra["cases"])
    landlords = {"a": world.a.organisation.pk, "b": world.b.organisation.pk}
    for where, index, what in steps:
        build: Any = {"case": _sorted_cases, "household": _household, "references": _references}[what]
        values: dict[str, Any] = (
            {"organisation_id": landlords["a" if index % 2 else "b"]}
            if what == "references"
            else {"case_id": cases[index]}
        )
        with scopes_disabled() if where == "every" else organisation_scope(landlords[where]):
            read, expected = _rows(bound(f"test.{what}", build, **values)), _rows(build(**values))
        assert read == expected
        if where != "every" and what != "references":
            assert {organisation for _, organisation in read} <= {landlords[where]}


def test_whether_the_columns_hold_a_composite_key_is_asked_once_per_statement(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.models.sql.compiler import SQLCompiler

    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    asked: list[int] = []
    real = SQLCompiler.has_composite_fields

    def counted(self: SQLCompiler, expressions: Any) -> bool:
        asked.append(len(expressions))
        return bool(real(self, expressions))

    monkeypatch.setattr(SQLCompiler, "has_composite_fields", counted)
    with organisation_scope(world.a.organisation.pk):
        for _ in range(3):
            assert [row.pk for row in bound("test.case", _case, case_id=case.pk)] == [case.pk]
    assert len(asked) == 1  # the first use; the next two take the statement's answer
    assert asked[0] > 10  # every column of the case and its officer was looked at, once
