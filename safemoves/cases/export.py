"""Subject-access export: everything held about a case, in one JSON document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.labels import field_label
from safemoves.audit.services import record_case_event
from safemoves.cases.extensions import export_sections
from safemoves.cases.models import Case, SafeContactRules
from safemoves.geo import area_name, is_known_area

CASE_EXPORT_FIELDS = (
    "reference", "status", "outcome", "source", "received_at", "first_contact_due_at", "first_contact_at",
    "closed_at", "lead_name", "lead_date_of_birth", "address", "postcode", "tenure", "tenancy_start",
    "introductory_period_ends", "referral_summary", "referrer_details",
)  # fmt: skip
MEMBER_EXPORT_FIELDS = ("kind", "name", "date_of_birth", "relationship_to_lead", "school")
PERPETRATOR_EXPORT_FIELDS = (
    "name", "relationship", "lives_at_address", "joint_tenant", "has_key", "known_address", "description",
)  # fmt: skip
ORDER_EXPORT_FIELDS = ("order_type", "made_on", "expires_on", "conditions")
CONTACT_EXPORT_FIELDS = (
    "safe_phone", "safe_email", "safe_postal_address", "safe_times", "code_word", "phone_ok", "sms_ok",
    "voicemail_ok", "email_ok", "letter_ok", "visit_ok",
)  # fmt: skip
CONSENT_EXPORT_FIELDS = ("purpose", "basis", "recorded_on", "expires_on", "how_given", "notes")

# Models that point at a case (ForeignKey or OneToOne) yet are in no export section, each with
# the reason it is exempt. A test fails for any model that is in neither (tests/cases/test_export.py).
EXPORT_EXEMPT: dict[str, str] = {
    "cases.CaseSearchToken": (
        "keyed blind-index hashes of the name, postcode, address, safe phone and perpetrators' names, "
        "for search inside the landlord only; "
        "they hold nothing the case section does not already give in full, and cannot be read back"
    ),
    "api.ApiReferral": (
        "which agency's API token opened the case, so that agency may read its status; "
        "no personal data, and the referrer is already named in the case section"
    ),
    "reports.TimeToSafety": (
        "a derived figure for the dashboards: the seconds from the referral to the first lock change done, "
        "both of which the case and safety sections already give in full"
    ),
}


SECTION_TITLES = {
    "case": "The case",
    "household": "Household",
    "perpetrators": "Perpetrators",
    "safe_contact": "Safe-contact rules",
    "consents": "Consent decisions",
    "notes": "Notes",
    "documents": "Documents",
    "letters": "Letters sent",
}


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _record(instance: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of ``instance``; a coded value (a choice) is given as its label."""
    record = {}
    for name in fields:
        value = getattr(instance, name)
        if value != "" and instance._meta.get_field(name).choices:
            value = getattr(instance, f"get_{name}_display")()
        record[name] = _value(value)
    return record


def readable(value: Any) -> Any:
    """``value`` with every local-authority code (E07000110) given as its district's name."""
    if isinstance(value, str) and is_known_area(value):
        return f"{area_name(value)} ({value})"
    if isinstance(value, list):
        return [readable(item) for item in value]
    if isinstance(value, dict):
        return {key: readable(item) for key, item in value.items()}
    return value


@transaction.atomic
def case_export(*, case: Case, actor: User) -> dict[str, Any]:
    record_case_event(
        action="case.exported",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        reason="subject access",
    )
    try:
        rules: SafeContactRules | None = case.contact_rules
    except SafeContactRules.DoesNotExist:
        rules = None
    document: dict[str, Any] = {
        "exported_at": _value(timezone.now()),
        "landlord": case.organisation.name,
        "case": _record(case, CASE_EXPORT_FIELDS),
        "household": [_record(member, MEMBER_EXPORT_FIELDS) for member in case.household.all()],
        "perpetrators": [
            {
                **_record(person, PERPETRATOR_EXPORT_FIELDS),
                "court_orders": [_record(order, ORDER_EXPORT_FIELDS) for order in person.court_orders.all()],
            }
            for person in case.perpetrators.all()
        ],
        "safe_contact": _record(rules, CONTACT_EXPORT_FIELDS) if rules else None,
        "consents": [_record(consent, CONSENT_EXPORT_FIELDS) for consent in case.consents.all()],
        "notes": [
            {**_record(note, ("kind", "channel", "body", "created_at")), "author": str(note.author or "")}
            for note in case.notes.select_related("author")
        ],
    }
    for name, section in export_sections().items():
        document[name] = section(case)
    return readable(document)  # type: ignore[no-any-return]


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(_display(item) for item in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{field_label(k)}: {_display(v)}" for k, v in value.items())
    return str(value)


def _row(key: str, value: Any) -> tuple[str, str]:
    if key.endswith("_base64"):
        # A file (a document): the JSON download carries it; the printed page names it only.
        return ("File", "Included as a file in the JSON download")
    return (field_label(key), _display(value))


def printable_sections(document: dict[str, Any]) -> list[tuple[str, list[list[tuple[str, str]]]]]:
    """The export as titled sections of records of (label, text) pairs, for the printable page."""
    sections = []
    for name, content in document.items():
        if name in ("exported_at", "landlord"):
            continue
        records = content if isinstance(content, list) else ([content] if content else [])
        rows = [
            [_row(key, value) for key, value in record.items()]
            if isinstance(record, dict)
            else [("Value", _display(record))]
            for record in records
        ]
        sections.append((SECTION_TITLES.get(name, field_label(name)), rows))
    return sections
