from __future__ import annotations

import re

import pytest
from django.db import connection

from safemoves.audit.models import AuditEvent
from safemoves.cases.concurrency import expected_marks, race_edits
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World

pytestmark = pytest.mark.django_db(transaction=True)

EDITORS, EDITS_EACH = 4, 6


def test_concurrent_edits_of_one_case_never_lose_an_update(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real threads need a database shared between connections: SQLite's test database is in memory")
    officer = world.a[Role.OFFICER]
    case = make_case(world.a, assigned_to=officer)
    with organisation_scope(world.a.organisation.pk):
        before = Case.objects.get(pk=case.pk)
    tally = race_edits(
        case_id=case.pk, organisation_id=world.a.organisation.pk, actor=officer, editors=EDITORS, edits_each=EDITS_EACH
    )
    assert tally.edits == EDITORS * EDITS_EACH
    with organisation_scope(world.a.organisation.pk):
        after = Case.objects.get(pk=case.pk)
        updates = AuditEvent.objects.filter(action="case.updated", object_id=str(case.pk)).count()
    assert after.referral_summary.startswith(before.referral_summary)
    marks = re.findall(r"\[e\d+\.\d+\]", after.referral_summary[len(before.referral_summary) :])
    assert sorted(marks) == expected_marks(EDITORS, EDITS_EACH), "an edit was lost or applied twice"
    assert after.version == before.version + EDITORS * EDITS_EACH
    assert updates == EDITORS * EDITS_EACH
