"""The standard letter templates every landlord starts with, and the merge fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

MERGE_FIELDS: dict[str, str] = {
    "reference": "the case reference",
    "tenant_name": "the tenant's name",
    "safe_address": "the safe postal address, on one line",
    "officer_name": "the officer sending the letter",
    "landlord_name": "the landlord's name",
    "date": "today's date",
}
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class StandardTemplate:
    key: str
    name: str
    subject: str
    body: str


STANDARD_TEMPLATES: tuple[StandardTemplate, ...] = (
    StandardTemplate(
        key="offer",
        name="Offer of a home",
        subject="An offer of a home (our reference {reference})",
        body=(
            "Dear {tenant_name},\n\n"
            "We are pleased to offer you a home through the reciprocal rehousing scheme. Your tenancy "
            "rights are kept: the new tenancy will give you the same security as the one you have now.\n\n"
            "Please contact {officer_name} on your agreed safe number or in person within five working "
            "days to tell us whether you accept the offer, or to arrange a viewing. If you need more time "
            "or support to decide, tell us and we will help.\n\n"
            "Please keep this letter somewhere safe."
        ),
    ),
    StandardTemplate(
        key="sign_up_pack",
        name="Tenancy sign-up pack (cover letter)",
        subject="Your tenancy sign-up pack (our reference {reference})",
        body=(
            "Dear {tenant_name},\n\n"
            "With this letter is your tenancy sign-up pack: the tenancy agreement, the tenant's handbook "
            "and the forms we need you to complete. {officer_name} will go through them with you at the "
            "sign-up appointment and answer any questions.\n\n"
            "Please bring proof of identity and this letter. You do not need to sign anything before the "
            "appointment."
        ),
    ),
    StandardTemplate(
        key="appointment",
        name="Appointment",
        subject="An appointment with your housing officer (our reference {reference})",
        body=(
            "Dear {tenant_name},\n\n"
            "{officer_name} would like to meet you to talk about your housing and your safety. Please "
            "contact us in the way you told us is safe to arrange a time and place that suits you.\n\n"
            "You are welcome to bring a support worker or a friend."
        ),
    ),
)
STANDARD_BY_KEY = {template.key: template for template in STANDARD_TEMPLATES}


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in MERGE_FIELDS})


def merge(text: str, values: dict[str, str]) -> str:
    """Replace each ``{field}`` by its value (plain substitution, no format language)."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)
