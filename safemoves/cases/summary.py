"""A one-page case summary for a MARAC meeting (issue 14, item 10): the page and the PDF share it.

It holds what partner agencies need at the meeting — who is at risk, the household, the
perpetrator and any court orders, the latest risk assessment, open safety actions and how to
make contact safely — and leaves out what they do not (the code word, notes, documents).
Risk and safety come through the export sections those apps register, so ``cases`` still
imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import dateformat, timezone

from safemoves.cases.export import readable
from safemoves.cases.extensions import export_sections
from safemoves.cases.models import Case, SafeContactRules
from safemoves.common.pdf import PdfDocument


@dataclass
class SummarySection:
    title: str
    pairs: list[tuple[str, str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    empty: str = "None recorded."


def _date(value: Any) -> str:
    return dateformat.format(value, "j F Y") if value else "Not recorded"


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def marac_summary(case: Case) -> list[SummarySection]:
    today = timezone.localdate()
    sections = [
        SummarySection(
            "The person at risk",
            pairs=[
                ("Case reference", case.reference),
                ("Name", case.lead_name),
                ("Date of birth", _date(case.lead_date_of_birth)),
                ("Address", ", ".join(case.address.splitlines()) or "Not recorded"),
                ("Referred by", f"{case.get_source_display()}, {_date(timezone.localtime(case.received_at).date())}"),
                ("Officer", str(case.assigned_officer or "Not assigned")),
                ("Landlord", case.organisation.name),
            ],
        ),
        SummarySection(
            "Household",
            headers=["Name", "Adult or child", "Age", "School"],
            rows=[
                [member.name, member.get_kind_display(), str(member.age_on(today) or "—"), member.school]
                for member in case.household.all()
            ],
        ),
    ]
    perpetrators = list(case.perpetrators.prefetch_related("court_orders"))
    sections.append(
        SummarySection(
            "Perpetrator",
            headers=["Name", "Relationship", "Lives at the address", "Has a key", "Court orders"],
            rows=[
                [
                    person.name,
                    person.get_relationship_display(),
                    _yes(person.lives_at_address),
                    _yes(person.has_key),
                    "; ".join(
                        f"{order.get_order_type_display()} until {_date(order.expires_on)}"
                        for order in person.court_orders.all()
                        if order.is_current
                    )
                    or "None current",
                ]
                for person in perpetrators
            ],
        )
    )
    extra = {name: section(case) for name, section in export_sections().items() if name in ("risk", "safety")}
    risk = extra.get("risk") or {}
    latest = risk.get("dash_assessments", [])[:1]
    sections.append(
        SummarySection(
            "Risk",
            pairs=[
                (
                    "Latest DASH",
                    f"score {latest[0]['score']}, {latest[0]['final_band']} risk, {latest[0]['assessed_at'][:10]}",
                )
                if latest
                else ("Latest DASH", "No assessment recorded"),
                *[
                    ("MARAC referral", f"{referral['area']}, referred {referral['referred_on'] or '—'}")
                    for referral in risk.get("marac_referrals", [])
                ],
            ],
        )
    )
    safety = extra.get("safety") or {}
    sections.append(
        SummarySection(
            "Open safety actions",
            headers=["Action", "Due"],
            rows=[
                [action["action"], action["due_at"][:10]]
                for action in safety.get("safety_actions", [])
                if action.get("status") == "open"
            ],
        )
    )
    try:
        rules: SafeContactRules | None = case.contact_rules
    except SafeContactRules.DoesNotExist:
        rules = None
    ways = (
        [
            label
            for label, ok in (
                ("phone", rules.phone_ok),
                ("texts", rules.sms_ok),
                ("voicemail", rules.voicemail_ok),
                ("e-mail", rules.email_ok),
                ("letters", rules.letter_ok),
                ("visits", rules.visit_ok),
            )
            if ok
        ]
        if rules
        else []
    )
    sections.append(
        SummarySection(
            "Contacting the person safely",
            pairs=[
                ("Agreed ways", ", ".join(ways).capitalize() or "None agreed: do not make contact"),
                ("Safe phone", rules.safe_phone if rules and rules.safe_phone else "None recorded"),
                ("Safe times", rules.safe_times if rules and rules.safe_times else "None recorded"),
            ],
        )
    )
    for section in sections:
        section.pairs = [(label, str(readable(value))) for label, value in section.pairs]
    return sections


def marac_summary_pdf(case: Case, sections: list[SummarySection]) -> bytes:
    document = PdfDocument(title=f"MARAC summary {case.reference}", author=case.organisation.name)
    document.letterhead([case.organisation.name, "OFFICIAL-SENSITIVE: for the MARAC meeting only"])
    document.heading(f"Case summary for MARAC: {case.reference}")
    document.paragraph(f"Printed {dateformat.format(timezone.localdate(), 'j F Y')}.")
    for section in sections:
        document.heading(section.title, level=2)
        if section.pairs:
            document.key_values(section.pairs)
        if section.headers:
            if section.rows:
                document.table(section.headers, section.rows)
            else:
                document.paragraph(section.empty)
    return document.output()
