"""Referral links moved from the cases app to intake without moving a row (ADR 0029)."""

from __future__ import annotations

import pytest
from django.db import connection

from safemoves.common import rls
from safemoves.common.scoping import organisation_scope
from safemoves.intake.models import ReferralLink
from tests.factories import World
from tests.intake.factories import make_link

pytestmark = pytest.mark.django_db


def test_referral_links_keep_their_table() -> None:
    assert ReferralLink._meta.db_table == "cases_referrallink"
    assert "cases_referrallink" in connection.introspection.table_names()


def test_the_table_stays_under_row_level_security() -> None:
    assert ("cases_referrallink", "organisation_id") in rls.organisation_tables()


def test_a_link_is_written_and_read_in_the_moved_table(world: World) -> None:
    link, _ = make_link(world.a)
    with connection.cursor() as cursor, organisation_scope(world.a.organisation.pk):
        cursor.execute("SELECT agency_name FROM cases_referrallink WHERE id = %s", [link.pk])
        assert cursor.fetchall() == [(link.agency_name,)]
