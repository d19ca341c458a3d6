"""Prepared queries: the SQL is built once per shape, the WHERE values every time (ADR 0030)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext, override_settings

from safemoves.cases.models import Case, CaseNote
from safemoves.common import prepared as prepared_module
from safemoves.common.prepared import PreparedSQLMismatch, cache_size, prepared
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    prepared_module.clear_cache()
    yield
    prepared_module.clear_cache()


def _plain_sql(queryset: object) -> str:
    """What Django alone sends for this queryset, with its values in place."""
    with CaptureQueriesContext(connection) as queries:
        list(queryset)  # type: ignore[call-overload]
    return queries.captured_queries[-1]["sql"]


def test_a_second_case_reuses_the_statement_with_its_own_values(world: World) -> None:
    officer = world.a[Role.OFFICER]
    first, second = make_case(world.a, name="Ann Example", assigned_to=officer), make_case(world.a, name="Bea Example")
    with organisation_scope(world.a.organisation.pk):
        shown = [
            list(prepared(Case.objects.filter(pk=case.pk).select_related("assigned_officer"), "test.case"))
            for case in (first, second)
        ]
        assert cache_size() == 1  # one shape, two uses
        with CaptureQueriesContext(connection) as queries:
            again = list(prepared(Case.objects.filter(pk=second.pk).select_related("assigned_officer"), "test.case"))
        plain = _plain_sql(Case.objects.filter(pk=second.pk).select_related("assigned_officer"))
    assert [[case.pk for case in rows] for rows in shown] == [[first.pk], [second.pk]]
    assert shown[0][0].assigned_officer == officer  # select_related still fills the joined row
    assert shown[1][0].assigned_officer is None
    assert [case.pk for case in again] == [second.pk]
    assert queries.captured_queries[0]["sql"] == plain


def test_the_organisation_scope_is_a_value_of_each_use_never_of_the_statement(world: World) -> None:
    ours, theirs = make_case(world.a, name="Ann Example"), make_case(world.b, name="Cat Example")
    seen = []
    for landlord in (world.a, world.b, world.a):
        with organisation_scope(landlord.organisation.pk):
            seen.append([case.pk for case in prepared(Case.objects.all(), "test.scope")])
    assert seen == [[ours.pk], [theirs.pk], [ours.pk]]
    assert cache_size() == 1


def test_other_shapes_of_the_same_name_compile_their_own_statements(world: World) -> None:
    for index in range(3):
        make_case(world.a, name=f"Case Example {index}")
    with organisation_scope(world.a.organisation.pk):
        cases = prepared(Case.objects.order_by("reference"), "test.shapes")
        everything = [case.pk for case in cases]
        assert [case.pk for case in cases[:2]] == everything[:2]
        assert cases.count() == 3
        assert cases.filter(status="closed").count() == 0  # a different WHERE text
        assert [row["pk"] for row in cases.values("pk")] == everything
        assert list(cases.only("pk", "organisation").values_list("pk", flat=True)) == everything
        first = cases.first()
        assert first is not None
        assert first.pk == everything[0]
    assert len(everything) == 3


def test_a_statement_with_values_outside_the_where_clause_is_never_kept(world: World) -> None:
    make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        rows = list(prepared(Case.objects.annotate(marker=Value("first")), "test.value"))
        again = list(prepared(Case.objects.annotate(marker=Value("second")), "test.value"))
    assert [row.marker for row in rows + again] == ["first", "second"]  # type: ignore[attr-defined]
    assert cache_size() == 0


def test_the_cache_holds_statements_not_values(world: World) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        list(prepared(CaseNote.objects.filter(case_id=case.pk, kind="a-secret-word"), "test.values"))
        list(prepared(Case.objects.filter(pk=case.pk), "test.values"))
    kept = " ".join(entry.sql for entry in prepared_module._statements.values())
    assert cache_size() == 2
    assert str(case.pk) not in kept
    assert case.pk.hex not in kept
    assert "a-secret-word" not in kept


def test_verify_mode_catches_a_reused_statement_that_differs(world: World) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        list(prepared(Case.objects.filter(pk=case.pk), "test.verify"))
        (entry,) = prepared_module._statements.values()
        entry.sql = entry.sql.replace("SELECT ", "SELECT DISTINCT ", 1)  # as if two shapes shared a key
        with override_settings(SAFEMOVES_VERIFY_PREPARED_SQL=True), pytest.raises(PreparedSQLMismatch):
            list(prepared(Case.objects.filter(pk=case.pk), "test.verify"))
        with override_settings(SAFEMOVES_VERIFY_PREPARED_SQL=False), CaptureQueriesContext(connection) as queries:
            list(prepared(Case.objects.filter(pk=case.pk), "test.verify"))
    assert "SELECT DISTINCT " in queries.captured_queries[0]["sql"]  # without verify mode, the entry is used as kept


def test_a_call_site_whose_shape_never_repeats_stops_being_kept(world: World) -> None:
    make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        for index in range(prepared_module._MAX_PER_NAME + 5):
            list(
                prepared(Case.objects.filter(pk__in=list(range(index + 1))), "test.growing")
            )  # a new IN length each time
        list(prepared(Case.objects.all(), "test.other"))
    assert prepared_module._kept_per_name == {"test.growing": prepared_module._MAX_PER_NAME, "test.other": 1}
    assert cache_size() == prepared_module._MAX_PER_NAME + 1
