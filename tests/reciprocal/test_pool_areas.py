"""The pool's area rule in SQL: a profile is matched by the areas it names exactly, as
``PoolAccess.admits`` matches them, on both databases (the statement is bound, ADR 0033)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Role
from safemoves.reciprocal.models import SharedProfile
from safemoves.reciprocal.pool.access import NamesAnArea, PoolAccess, _with_keys
from tests.factories import World
from tests.reciprocal.factories import circulated_request, reciprocal_case

NAMED = {
    "one": ["E07000105"],
    "two": ["E07000105", "E07000110"],
    "none": [],
}


@pytest.fixture
def profiles(world: World) -> dict[str, SharedProfile]:
    made = {}
    with scopes_disabled():
        for label, areas in NAMED.items():
            request = circulated_request(world.a, reciprocal_case(world.a, name=f"Tenant {label}"))
            profile = SharedProfile.objects.get(request=request)
            SharedProfile.objects.filter(pk=profile.pk).update(data=profile.data | {"safe_areas": areas})
            made[label] = profile
    return made


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        ("E07000105", {"one", "two"}),
        ("E07000110", {"two"}),
        ("E07000106,E07000110", {"two"}),
        ("E0700010", set()),  # a prefix of a named area is not that area
        ("07000105", set()),  # nor is a suffix
        ("e07000105", set()),  # nor another case
        ("", set()),
    ],
)
def test_a_profile_is_matched_by_the_areas_it_names_exactly(
    profiles: dict[str, SharedProfile], areas: str, expected: set[str]
) -> None:
    ids = {profile.pk: label for label, profile in profiles.items()}
    with scopes_disabled():
        found = set(SharedProfile.objects.filter(NamesAnArea("data", areas)).values_list("pk", flat=True))
    assert {ids[pk] for pk in found if pk in ids} == expected


@pytest.mark.parametrize("role", [Role.LETTINGS_OFFICER, Role.COORDINATOR])
@pytest.mark.parametrize(
    "areas",
    [frozenset(), frozenset({"E07000105"}), frozenset({"E07000110", "E07000111"}), frozenset({"E07000105,E07000110"})],
)
def test_the_bound_pool_statement_reads_what_the_general_one_reads(
    world: World, profiles: dict[str, SharedProfile], role: Role, areas: frozenset[str]
) -> None:
    """For every landlord's areas (one, several, none, and a value that is not an area code,
    which takes the general statement): the same rows as the statement built through the ORM."""
    access = replace(PoolAccess.of(world.b[role].membership), areas=areas)
    with scopes_disabled():
        general = sorted(_with_keys(access.profiles()))
        bound = sorted(access.key_rows())
    assert bound == general
    named = {str(profile.request_id) for label, profile in profiles.items() if set(NAMED[label]) & areas}
    if role == Role.LETTINGS_OFFICER:
        assert {str(row[0]) for row in bound} == named  # world.b refers none of these itself
