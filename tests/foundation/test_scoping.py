from __future__ import annotations

import pytest

from safemoves.common.scoping import ScopeError, organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership
from tests.factories import World


def test_unscoped_query_on_a_domain_model_raises(world: World) -> None:
    with pytest.raises(ScopeError):
        list(Membership.objects.all())
    with pytest.raises(ScopeError):
        Membership.objects.filter(role="admin").count()


def test_scope_of_none_is_refused_rather_than_meaning_everyone(world: World) -> None:
    from django_scopes import scope

    with scope(organisation=None), pytest.raises(ScopeError):
        list(Membership.objects.all())


def test_scope_shows_only_the_organisation_s_rows(world: World) -> None:
    with organisation_scope(world.a.organisation.pk):
        organisations = set(Membership.objects.values_list("organisation_id", flat=True))
    assert organisations == {world.a.organisation.pk}
    with scopes_disabled():
        assert Membership.objects.count() == 12


def test_organisation_scope_needs_an_id() -> None:
    with pytest.raises(TypeError), organisation_scope(None):  # type: ignore[arg-type]
        pass
