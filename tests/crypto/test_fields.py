"""Encrypted model fields against a real database."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import pytest
from django.core import serializers
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.test.utils import isolate_apps
from pytest_django.fixtures import Settings

from safemoves.common.crypto import DecryptionError, key_id_of
from safemoves.common.fields import (
    EncryptedTextField,
    Sealed,
    all_models_with_encrypted_fields,
    encrypted_fields,
)
from safemoves.common.keyring import get_keyring
from tests.testapp.models import SecretNote

pytestmark = pytest.mark.usefixtures("keyring_file")

NAME = "CANARY-NAME Zoë Ó Súilleabháin"
ADDRESS = "CANARY-ADDR 12 Flat B, Rose Lane, CT1 2AB"
BORN = datetime.date(1987, 6, 5)


def _raw_rows() -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, org_ref, name, address, born FROM testapp_secretnote")
        return [tuple(str(v) for v in row) for row in cursor.fetchall()]


def _note(**overrides: object) -> SecretNote:
    values: dict[str, object] = {"org_ref": "org-1", "name": NAME, "address": ADDRESS}
    values["born"] = BORN
    values.update(overrides)
    return SecretNote.objects.create(**values)


@pytest.mark.django_db
def test_save_and_reload_decrypts() -> None:
    note = _note()
    loaded = SecretNote.objects.get(pk=note.pk)

    assert loaded.name == NAME
    assert loaded.address == ADDRESS
    assert loaded.born == BORN


@pytest.mark.django_db
def test_raw_row_holds_no_plaintext() -> None:
    _note()
    ((_pk, org_ref, name, address, born),) = _raw_rows()

    for column in (name, address, born):
        assert column.startswith("sm1.")
    raw = " ".join((name, address, born))
    assert "CANARY" not in raw
    assert "1987" not in raw
    assert org_ref == "org-1"


@pytest.mark.django_db
def test_nulls_stay_null_and_empty_text_is_sealed() -> None:
    note = _note(address=None, born=None, name="")
    ((_, _, name, address, born),) = _raw_rows()
    assert name.startswith("sm1.")
    assert address == "None"
    assert born == "None"
    loaded = SecretNote.objects.get(pk=note.pk)
    assert loaded.name == ""
    assert loaded.address is None
    assert loaded.born is None
    assert SecretNote.objects.filter(address__isnull=True).count() == 1
    assert SecretNote.objects.filter(address=None).count() == 1


@pytest.mark.django_db
def test_values_list_returns_tokens_not_plaintext() -> None:
    _note()
    ((name, born),) = SecretNote.objects.values_list("name", "born")
    assert isinstance(name, Sealed)
    assert isinstance(born, Sealed)
    assert "CANARY" not in name


@pytest.mark.django_db
def test_decryption_is_lazy_and_cached() -> None:
    note = _note()
    loaded = SecretNote.objects.get(pk=note.pk)
    assert isinstance(loaded.__dict__["name"], Sealed)
    assert loaded.name == NAME
    assert loaded.__dict__["name"] == NAME


@pytest.mark.django_db
def test_deferred_field_loads_and_decrypts() -> None:
    note = _note()
    loaded = SecretNote.objects.only("org_ref").get(pk=note.pk)
    assert loaded.get_deferred_fields() == {"name", "address", "born"}
    assert loaded.address == ADDRESS


@pytest.mark.django_db
def test_edit_and_save_round_trips() -> None:
    note = _note()
    loaded = SecretNote.objects.get(pk=note.pk)
    loaded.address = "CANARY-NEW 1 Safe Street"
    loaded.born = "1990-01-02"
    loaded.save()
    again = SecretNote.objects.get(pk=note.pk)
    assert again.address == "CANARY-NEW 1 Safe Street"
    assert again.born == datetime.date(1990, 1, 2)
    assert again.name == NAME


@pytest.mark.django_db
def test_untouched_values_keep_their_token_on_save() -> None:
    note = _note()
    before = SecretNote.objects.values_list("name", flat=True).get(pk=note.pk)
    loaded = SecretNote.objects.get(pk=note.pk)
    loaded.org_ref = "org-2"
    loaded.save()
    assert SecretNote.objects.values_list("name", flat=True).get(pk=note.pk) == before


@pytest.mark.django_db
def test_update_with_plaintext_is_refused() -> None:
    note = _note()
    with pytest.raises(TypeError, match="refusing to write plaintext"), transaction.atomic():
        SecretNote.objects.filter(pk=note.pk).update(name="CANARY-LEAK")
    assert "CANARY-LEAK" not in str(_raw_rows())


@pytest.mark.django_db
def test_bulk_update_with_plaintext_is_refused() -> None:
    note = _note()
    note.name = "CANARY-LEAK"
    with pytest.raises(TypeError, match="refusing to write plaintext"), transaction.atomic():
        SecretNote.objects.bulk_update([note], ["name"])
    assert "CANARY-LEAK" not in str(_raw_rows())


@pytest.mark.django_db
def test_bulk_create_seals() -> None:
    SecretNote.objects.bulk_create([SecretNote(org_ref="o", name=f"CANARY-{i}") for i in range(3)])
    assert "CANARY" not in str(_raw_rows())
    assert sorted(n.name for n in SecretNote.objects.all()) == [f"CANARY-{i}" for i in range(3)]


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", ["name", "name__icontains", "name__startswith", "born__gte"])
def test_filtering_on_plaintext_is_refused(lookup: str) -> None:
    _note()
    with pytest.raises(TypeError, match="encrypted"):
        SecretNote.objects.filter(**{lookup: "CANARY"}).count()


@pytest.mark.django_db
def test_exact_match_on_a_sealed_token_is_allowed() -> None:
    note = _note()
    token = SecretNote.objects.values_list("name", flat=True).get(pk=note.pk)
    assert SecretNote.objects.filter(name=token).count() == 1


@pytest.mark.django_db
def test_token_copied_to_another_row_or_field_does_not_decrypt() -> None:
    first = _note()
    second = _note(name="CANARY-OTHER")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE testapp_secretnote SET name = (SELECT name FROM testapp_secretnote "
            "WHERE id = %s), address = name WHERE id = %s",
            [first.pk.hex, second.pk.hex],
        )
    moved = SecretNote.objects.get(pk=second.pk)
    with pytest.raises(DecryptionError, match=r"testapp\.SecretNote\.name") as raised:
        _ = moved.name
    assert "CANARY" not in str(raised.value)
    with pytest.raises(DecryptionError):
        _ = moved.address


@pytest.mark.django_db
def test_serialisers_get_tokens_only() -> None:
    _note()
    dumped = serializers.serialize("json", SecretNote.objects.all())
    assert "CANARY" not in dumped
    assert "1987" not in dumped
    assert dumped.count('"sm1.') == 3


@pytest.mark.django_db
def test_full_clean_validates_plaintext() -> None:
    note = SecretNote(org_ref="o", name=NAME, born="2001-02-03")
    note.full_clean()
    assert note.born == datetime.date(2001, 2, 3)
    bad = SecretNote(org_ref="o", name=NAME, born="not a date")
    with pytest.raises(Exception, match="valid date"):
        bad.full_clean()


@pytest.mark.django_db
def test_a_datetime_is_not_silently_truncated() -> None:
    with pytest.raises(TypeError, match="not a datetime"):
        _note(born=datetime.datetime(2001, 2, 3, 4, 5, tzinfo=datetime.UTC))


def test_helpers_list_encrypted_fields() -> None:
    assert [f.name for f in encrypted_fields(SecretNote)] == ["name", "address", "born"]
    assert SecretNote in all_models_with_encrypted_fields()


@isolate_apps("tests.testapp")
def test_model_without_python_assigned_pk_fails_the_check() -> None:
    class Unbindable(models.Model):
        secret = EncryptedTextField(unique=True)

        class Meta:
            app_label = "testapp"

        def __str__(self) -> str:
            return "unbindable"

    ids = {error.id for error in Unbindable._meta.get_field("secret").check()}
    assert ids == {"safemoves.E601", "safemoves.E602"}


def test_missing_keyring_without_autocreate_is_loud(settings: Settings, tmp_path: Path) -> None:
    settings.SAFEMOVES_KEYRING_FILE = tmp_path / "absent.json"
    settings.SAFEMOVES_KEYRING_AUTOCREATE = False
    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        get_keyring()
    assert not (tmp_path / "absent.json").exists()


def test_autocreate_makes_a_private_keyring(keyring_file: Path) -> None:
    assert get_keyring().active_id == "k1"
    assert keyring_file.stat().st_mode & 0o777 == 0o600
    token = get_keyring().seal("x", b"aad")
    assert key_id_of(token) == "k1"


@pytest.mark.django_db
def test_uuid_pk_given_as_text_binds_canonically() -> None:
    pk = uuid.uuid4()
    SecretNote.objects.create(id=str(pk).upper(), org_ref="o", name=NAME)
    assert SecretNote.objects.get(pk=pk).name == NAME
