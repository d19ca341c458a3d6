from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safemoves.audit.models import AuditEvent
from safemoves.cases.codes import CaseSource, CaseStatus
from safemoves.cases.models import Case, CaseSettings, SafeContactRules
from safemoves.cases.selectors import triage_inbox
from safemoves.cases.services import SelfReferral, case_settings_for
from safemoves.common.clock import due_after_working_days
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.intake.services import POSTCODE_ERROR, agency_referral_submit, contact_request_submit
from safemoves.organisations.models import Role
from tests.factories import World
from tests.intake.factories import make_link, referral

pytestmark = pytest.mark.django_db

EXPECTED_SUMMARY = (
    "Assaulted by her ex-partner on Saturday night; he left before officers arrived.\n"
    "\n"
    "Children in the household: 2\n"
    "Perpetrator still living at the address: No\n"
    "Perpetrator has or had a key: Yes\n"
    "\n"
    "Safe contact, as the referrer understands it (confirm with the tenant before relying on it):\n"
    "Safe for us to contact the tenant directly: Yes\n"
    "Safe phone: 07700 900123\n"
    "Safe times: Weekdays 10am to 2pm\n"
    "Safe to leave a voicemail: No\n"
    "Safe to send a letter: Not known"
)


def test_agency_referral_lands_in_the_triage_inbox_with_its_clock(world: World) -> None:
    link, _ = make_link(world.a)
    year = timezone.localdate().year

    case = agency_referral_submit(link=link, referral=referral())

    with organisation_scope(world.a.organisation.pk):
        stored = Case.objects.get(pk=case.pk)
        inbox = list(triage_inbox(world.a[Role.MANAGER].membership))
    assert inbox == [stored]
    assert stored.reference == f"DA-AH-{year}-00001"
    assert stored.status == CaseStatus.NEW
    assert stored.source == CaseSource.POLICE
    assert stored.assigned_officer is None
    assert stored.first_contact_due_at == due_after_working_days(stored.received_at, 1)
    assert stored.next_due_at == stored.first_contact_due_at
    assert stored.lead_name == "Jane Example"
    assert str(stored.lead_date_of_birth) == "1990-05-17"
    assert stored.address == "12 Example Street\nChatham"
    assert stored.postcode == "ME4 4AA"
    assert stored.referral_summary == EXPECTED_SUMMARY
    assert stored.referrer_details == (
        "Name: PC Amy Taylor\n"
        "Role and organisation: Domestic abuse officer, Kent Police\n"
        "Phone: 01622 690690\n"
        "E-mail: amy.taylor@police.example"
    )


def test_the_clock_follows_the_landlords_own_setting(world: World) -> None:
    link, _ = make_link(world.a)
    with organisation_scope(world.a.organisation.pk):
        settings = case_settings_for(world.a.organisation.pk)
        CaseSettings.objects.filter(pk=settings.pk).update(first_contact_working_days=3)

    case = agency_referral_submit(link=link, referral=referral())

    assert case.first_contact_due_at == due_after_working_days(case.received_at, 3)


def test_the_source_comes_from_the_link_and_the_audit_names_fields_only(world: World) -> None:
    link, _ = make_link(world.a, agency_name="Medway IDVA service", source=CaseSource.IDVA)

    case = agency_referral_submit(link=link, referral=referral())

    assert case.source == CaseSource.IDVA
    with scopes_disabled():
        event = AuditEvent.objects.get(action="case.referred")
    assert event.actor is None
    assert event.organisation_id == world.a.organisation.pk
    assert event.object_id == str(case.pk)
    assert event.reason == f"referral link {link.pk}"
    assert list(event.fields) == ["address", "lead_date_of_birth", "lead_name", "postcode", "referral_summary"]


def test_a_malformed_postcode_is_refused_and_nothing_is_stored(world: World) -> None:
    link, _ = make_link(world.a)

    with pytest.raises(ValidationError) as refused:
        agency_referral_submit(link=link, referral=referral(postcode="ME4 XYZ1"))

    assert refused.value.message_dict == {"postcode": [POSTCODE_ERROR]}
    with scopes_disabled():
        assert Case.objects.count() == 0


def test_missing_answers_are_named_field_by_field(world: World) -> None:
    link, _ = make_link(world.a)

    with pytest.raises(ValidationError) as refused:
        agency_referral_submit(
            link=link,
            referral=referral(tenant_name=" ", what_happened="", referrer_phone="", referrer_email=""),
        )

    assert refused.value.message_dict == {
        "referrer_phone": ["Enter a phone number or an e-mail address so that we can reach you."],
        "tenant_name": ["Enter the tenant's name."],
        "what_happened": ["Tell us what happened."],
    }


def test_an_inactive_link_opens_no_case(world: World) -> None:
    link, _ = make_link(world.a)
    link.is_active = False

    with pytest.raises(ValidationError) as refused:
        agency_referral_submit(link=link, referral=referral())

    assert refused.value.messages == ["This referral link is no longer active."]
    with scopes_disabled():
        assert Case.objects.count() == 0


def test_contact_request_opens_a_tenant_case_with_her_contact_rules(world: World) -> None:
    request = SelfReferral(
        name="Jane Example",
        contact_method="phone",
        phone="07700 900123",
        safe_times="Weekdays 10am to 2pm",
        voicemail_ok=False,
        letter_ok=True,
        message="Please call, do not text.",
    )

    case = contact_request_submit(organisation=world.a.organisation, request=request)

    with organisation_scope(world.a.organisation.pk):
        stored = Case.objects.get(pk=case.pk)
        rules = SafeContactRules.objects.get(case=stored)
        inbox = list(triage_inbox(world.a[Role.MANAGER].membership))
    assert inbox == [stored]
    assert (stored.status, stored.source, stored.lead_name) == (CaseStatus.NEW, CaseSource.TENANT, "Jane Example")
    assert stored.first_contact_due_at == due_after_working_days(stored.received_at, 1)
    assert stored.referral_summary == "Please call, do not text."
    assert (rules.safe_phone, rules.safe_times) == ("07700 900123", "Weekdays 10am to 2pm")
    assert (rules.phone_ok, rules.voicemail_ok, rules.email_ok) == (True, False, False)
