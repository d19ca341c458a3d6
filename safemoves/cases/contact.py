"""Safe-contact enforcement: every way SafeMoves would reach the tenant asks here first."""

from __future__ import annotations

from dataclasses import dataclass

from safemoves.cases.codes import ContactChannel
from safemoves.cases.models import Case, SafeContactRules


class ContactRefused(Exception):
    """Contact by this channel is not safe or not agreed; ``reason`` says why, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ContactPlan:
    channel: str
    destination: str
    safe_times: str
    code_word: str


def _rules(case: Case) -> SafeContactRules:
    try:
        return case.contact_rules
    except SafeContactRules.DoesNotExist:
        raise ContactRefused(
            "No safe-contact rules are recorded for this case. Ask the tenant (or the referrer) how and "
            "when it is safe to make contact before any contact."
        ) from None


def plan_contact(case: Case, channel: str) -> ContactPlan:
    """Return where and how to make contact, or raise :class:`ContactRefused` with the reason."""
    rules = _rules(case)
    label = ContactChannel(channel).label.lower()

    def refuse(why: str) -> ContactRefused:
        return ContactRefused(f"A {label} is not allowed: {why}")

    if channel in (ContactChannel.PHONE, ContactChannel.SMS, ContactChannel.VOICEMAIL):
        allowed = {
            ContactChannel.PHONE: rules.phone_ok,
            ContactChannel.SMS: rules.sms_ok,
            ContactChannel.VOICEMAIL: rules.voicemail_ok,
        }[ContactChannel(channel)]
        if not allowed:
            raise refuse("the tenant has not agreed to it.")
        if not rules.safe_phone:
            raise refuse("no safe phone number is recorded.")
        destination = rules.safe_phone
    elif channel == ContactChannel.EMAIL:
        if not rules.email_ok:
            raise refuse("the tenant has not agreed to e-mail.")
        if not rules.safe_email:
            raise refuse("no safe e-mail address is recorded.")
        destination = rules.safe_email
    elif channel == ContactChannel.LETTER:
        if not rules.letter_ok:
            raise refuse("the tenant has not agreed to letters.")
        if not rules.safe_postal_address:
            raise refuse("no safe postal address is recorded; letters never go anywhere else.")
        destination = rules.safe_postal_address
    elif channel == ContactChannel.VISIT:
        if not rules.visit_ok:
            raise refuse("the tenant has not agreed to visits.")
        if case.perpetrators.filter(lives_at_address=True).exists():
            raise refuse("a perpetrator is recorded as living at the address.")
        destination = case.address
    else:  # pragma: no cover - ContactChannel() above already rejected unknown values
        raise refuse("unknown channel.")
    return ContactPlan(channel=channel, destination=destination, safe_times=rules.safe_times, code_word=rules.code_word)
