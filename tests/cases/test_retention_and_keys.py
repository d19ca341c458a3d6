from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from safemoves.audit.models import AuditEvent
from safemoves.cases import services
from safemoves.cases.models import Case
from safemoves.common.crypto import generate_keyring_file
from safemoves.common.fields import Sealed
from safemoves.common.keyring import reload_keyring
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World


def _close(world: World, case: Case, *, days_ago: int) -> None:
    with organisation_scope(world.a.organisation.pk):
        services.case_close(case=case, actor=world.a[Role.MANAGER], outcome="safe_at_home")
        Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))


def test_retention_is_a_dry_run_unless_applied(world: World) -> None:
    old, recent = make_case(world.a, full=True), make_case(world.a, name="Recent Case")
    _close(world, old, days_ago=7 * 366)
    _close(world, recent, days_ago=30)
    out = StringIO()
    call_command("retention", "run", stdout=out)
    assert out.getvalue().splitlines() == [
        f"Alpha Homes: would purge 1: {old.reference}",
        "Would purge 1 closed case(s). Dry run: add --apply.",
    ]
    with scopes_disabled():
        assert Case.objects.count() == 2
    out = StringIO()
    call_command("retention", "run", "--apply", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Purged 1 closed case(s)."
    with scopes_disabled():
        assert list(Case.objects.values_list("pk", flat=True)) == [recent.pk]
        actions = list(AuditEvent.objects.filter(action__startswith="retention.").values_list("action", flat=True))
    assert actions == ["retention.dry_run", "retention.applied"]


def test_cases_still_decrypt_after_rotation_and_removal_of_the_old_key(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    keyring = tmp_path / "keyring.json"
    generate_keyring_file(keyring)
    settings.SAFEMOVES_KEYRING_FILE = keyring
    reload_keyring()
    case = make_case(world.a, full=True)
    with scopes_disabled():
        old_token = Case.objects.values_list("lead_name", flat=True).get(pk=case.pk)
    old_key = old_token.split(".")[1]
    call_command("keys", "rotate", "--settle-seconds", "0", stdout=StringIO())
    call_command("keys", "retire", old_key, stdout=StringIO())
    reload_keyring()
    with scopes_disabled():
        stored = Case.objects.get(pk=case.pk)
        new_token = Case.objects.values_list("lead_name", flat=True).get(pk=case.pk)
        assert isinstance(new_token, Sealed)
        assert new_token.split(".")[1] != old_key
        assert (stored.lead_name, stored.address) == ("Jane Example", "12 Example Street\nChatham")
        assert stored.contact_rules.safe_phone == "07700 900123"
        assert [member.school for member in stored.household.all()] == ["Riverside Primary"]
        assert [person.name for person in stored.perpetrators.all()] == ["John Harmer"]


def test_open_cases_are_never_due_for_retention(world: World) -> None:
    make_case(world.a)
    out = StringIO()
    call_command("retention", "run", "--apply", stdout=out)
    assert out.getvalue().strip() == "Purged 0 closed case(s)."
