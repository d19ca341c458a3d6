"""Canary scan: marker strings in every personal field never reach storage, logs or the audit log in clear."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from safemoves.common.fields import EncryptedDateField, all_models_with_encrypted_fields, encrypted_fields
from safemoves.common.scoping import scopes_disabled
from safemoves.notifications.codes import NotificationKind
from safemoves.notifications.models import Notification
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World, make_world, sign_in

CANARY_DATE = date(1911, 11, 11)
# Models only the test suite uses.
NOT_PRODUCT = {"testapp.secretnote"}


def _canary(model: type[Any], field: str) -> str:
    return f"CANARY-{model._meta.model_name}-{field}-Zq7"


def _case_rows(world: World) -> dict[str, list[Any]]:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    from safemoves.cases import services

    with scopes_disabled():
        services.note_add(case=case, actor=world.a[Role.MANAGER], body="placeholder")
        return {
            "cases.case": [case],
            "cases.householdmember": list(case.household.all()),
            "cases.perpetrator": list(case.perpetrators.all()),
            "cases.courtorder": [order for person in case.perpetrators.all() for order in person.court_orders.all()],
            "cases.safecontactrules": [case.contact_rules],
            "cases.consent": list(case.consents.all()),
            "cases.casenote": list(case.notes.all()),
        }


def _home_rows(world: World) -> dict[str, list[Any]]:
    import io

    from safemoves.properties.models import Home, HomeImport
    from safemoves.properties.services import homes_import
    from tests.properties.helpers import GOOD_ROW, csv_bytes

    with scopes_disabled():
        membership = world.a[Role.LETTINGS_OFFICER].membership
        homes_import(
            membership=membership, rows_file=io.BytesIO(csv_bytes([GOOD_ROW])), file_name="voids.csv",
            mode="all_or_nothing",
        )  # fmt: skip
        return {"properties.home": list(Home.objects.all()), "properties.homeimport": list(HomeImport.objects.all())}


# Each app with personal fields adds a builder of rows for its models here.
def _risk_safety_rows(world: World) -> dict[str, list[Any]]:
    from tests.safety.canary import risk_and_safety_rows

    return risk_and_safety_rows(world)


def _reciprocal_rows(world: World) -> dict[str, list[Any]]:
    from tests.reciprocal.canary import reciprocal_rows

    return reciprocal_rows(world)


def _api_rows(world: World) -> dict[str, list[Any]]:
    from tests.api.canary import api_rows

    return api_rows(world)


def _emergency_rows(world: World) -> dict[str, list[Any]]:
    from tests.emergency.canary import emergency_rows

    return emergency_rows(world)


def _documents_letters_rows(world: World) -> dict[str, list[Any]]:
    from tests.documents.canary import documents_and_letters_rows

    return documents_and_letters_rows(world)


def _task_rows(world: World) -> dict[str, list[Any]]:
    from tests.tasks.canary import task_rows

    return task_rows(world)


def _job_rows(world: World) -> dict[str, list[Any]]:
    from tests.ops.canary import job_rows

    return job_rows(world)


ROW_BUILDERS: list[Callable[[World], dict[str, list[Any]]]] = [
    _case_rows,
    _home_rows,
    _risk_safety_rows,
    _reciprocal_rows,
    _api_rows,
    _emergency_rows,
    _documents_letters_rows,
    _task_rows,
    _job_rows,
]


def _all_rows(world: World) -> dict[str, list[Any]]:
    rows: dict[str, list[Any]] = {}
    for build in ROW_BUILDERS:
        rows.update(build(world))
    return rows


def _raw_cells() -> list[str]:
    """Every cell of every table, read with the database driver, not the ORM."""
    if connection.vendor == "sqlite":
        raw = connection.connection  # the sqlite3 module's own connection object
        tables = [row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [str(cell) for table in tables for row in raw.execute(f'SELECT * FROM "{table}"') for cell in row]  # noqa: S608
    import psycopg

    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname=connection.settings_dict["NAME"], user=db.get("USER") or "postgres", host=db.get("HOST") or None,
        port=db.get("PORT") or None, password=db.get("PASSWORD") or None,
    ) as raw:  # fmt: skip
        tables = [row[0] for row in raw.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        cells: list[str] = []
        for table in tables:
            for row in raw.execute(f'SELECT * FROM "{table}"'):  # noqa: S608
                cells.extend(str(cell) for cell in row)
        return cells


@pytest.mark.django_db(transaction=True)
def test_no_personal_value_is_stored_or_logged_in_clear(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    world = make_world()
    rows = _all_rows(world)
    product_models = [m for m in all_models_with_encrypted_fields() if m._meta.label_lower not in NOT_PRODUCT]
    missing = [m._meta.label_lower for m in product_models if not rows.get(m._meta.label_lower)]
    assert missing == [], "models with personal fields and no canary rows: add a builder to ROW_BUILDERS"

    markers: list[str] = []
    with scopes_disabled():
        for label, instances in rows.items():
            model = apps.get_model(label)
            for instance in instances:
                names = []
                for field in encrypted_fields(model):
                    if isinstance(field, EncryptedDateField):
                        setattr(instance, field.name, CANARY_DATE)
                    else:
                        setattr(instance, field.name, _canary(model, field.name))
                        markers.append(_canary(model, field.name))
                    names.append(field.name)
                instance.save(update_fields=names)
    case = rows["cases.case"][0]
    # Read and change the case through the web as staff would, so views and logs are exercised too.
    client = sign_in(Client(), world.a[Role.MANAGER])
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert _canary(apps.get_model("cases.case"), "lead_name") in page  # the member of staff sees it
    client.post(reverse("cases:note_add", kwargs={"case_id": case.pk}), {"body": "CANARY-posted-note-Zq7"})
    markers.append("CANARY-posted-note-Zq7")

    # The clocks run over the canary rows too: their notices and e-mails carry references only.
    call_command("tick", stdout=StringIO())
    with scopes_disabled():
        notified = set(Notification.objects.values_list("kind", flat=True))
    assert notified >= {NotificationKind.OFFER_RECEIVED}, "the scan must cover notification rows"
    mailed = [f"{message.subject}\n{message.body}" for message in mail.outbox]
    assert mailed != []

    cells = _raw_cells()
    leaked = sorted({marker for marker in markers for cell in cells if marker in cell})
    assert leaked == [], "personal values stored in clear"
    dates = {cell for cell in cells if "1911-11-11" in cell or "11/11/1911" in cell}
    assert dates == set(), "dates of birth stored in clear"
    assert sorted({marker for marker in markers for text in mailed if marker in text}) == [], "personal values e-mailed"
    logged = sorted({marker for marker in markers if marker in caplog.text})
    assert logged == [], "personal values written to the application log"
    assert len(markers) >= 20
