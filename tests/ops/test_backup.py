"""The restore drill, on whichever database the suite runs against (CI runs both)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safemoves.audit.verify import verify_chain
from safemoves.cases.services import note_add
from safemoves.common.backup import manifest_path, table_fingerprints
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World

pytestmark = pytest.mark.django_db(transaction=True)


def _changed_fingerprints(before: dict[str, dict[str, object]]) -> set[str]:
    after = table_fingerprints()
    return {table for table in before.keys() | after.keys() if before.get(table) != after.get(table)}


def test_restore_drill_brings_back_every_row_and_the_audit_chain(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    officer = world.a[Role.OFFICER]
    case = make_case(world.a, assigned_to=officer, full=True)
    with organisation_scope(world.a.organisation.pk):
        note_add(case=case, actor=officer, body="Locks changed at the back door.")
    assert verify_chain()[1] == []
    before = table_fingerprints()
    assert before["cases_case"]["rows"] == 1
    assert before["audit_auditevent"]["rows"] > 0

    target = tmp_path / "safemoves.backup"
    call_command("backup", str(target))
    out, err = capsys.readouterr()
    assert "THE ENCRYPTION KEYRING IS NOT IN THIS BACKUP" in err
    manifest = json.loads(manifest_path(target).read_text())
    assert manifest["keyring_included"] is False
    assert target.stat().st_mode & 0o777 == 0o600

    # Life goes on after the backup: more writes, which the restore must take away again.
    with organisation_scope(world.a.organisation.pk):
        note_add(case=case, actor=officer, body="A note written after the backup.")
    make_case(world.a, name="Later Case")
    assert {"cases_case", "cases_casenote", "audit_auditevent"} <= _changed_fingerprints(before)

    call_command("restore", str(target), "--yes")
    out, err = capsys.readouterr()
    assert "THE ENCRYPTION KEYRING IS NOT IN THIS BACKUP" in err
    assert "audit chain intact" in out
    assert _changed_fingerprints(before) == set()
    counted, problems = verify_chain()
    assert problems == []
    assert counted == before["audit_auditevent"]["rows"]


def test_a_damaged_backup_is_refused_and_nothing_is_replaced(world: World, tmp_path: Path) -> None:
    target = tmp_path / "safemoves.backup"
    call_command("backup", str(target))
    before = table_fingerprints()
    with target.open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00damaged\x00")
    with pytest.raises(CommandError, match="does not match its manifest's checksum"):
        call_command("restore", str(target), "--yes")
    assert _changed_fingerprints(before) == set()


def test_a_file_without_manifest_is_refused(db: None, tmp_path: Path) -> None:
    stray = tmp_path / "stray.dump"
    stray.write_bytes(b"not a backup")
    with pytest.raises(CommandError, match=r"stray\.dump\.manifest\.json is missing"):
        call_command("restore", str(stray), "--yes")
