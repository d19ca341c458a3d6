"""A structured agency referral becomes the case's own records, not free text to retype."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from safemoves.audit.models import AuditEvent
from safemoves.cases.codes import CourtOrderType, MemberKind, Relationship
from safemoves.cases.models import Case, CourtOrder, HouseholdMember, Perpetrator, SafeContactRules
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.intake.services import NO, YES, agency_referral_submit
from tests.factories import World
from tests.intake.factories import make_link, referral

pytestmark = pytest.mark.django_db

POLICE = {
    "crime_reference": "46/123456/26",
    "police_officer": "PC 1234 Amy Taylor",
    "police_station": "Medway police station",
    "police_dash_level": "high",
    "marac_referred": YES,
    "children_ages": (4, 9),
    "perpetrator_name": "John Example",
    "perpetrator_relationship": Relationship.EX_PARTNER,
    "perpetrator_at_address": NO,
    "perpetrator_has_key": YES,
    "court_orders": (CourtOrderType.NON_MOLESTATION, CourtOrderType.BAIL),
    "contact_directly": YES,
    "voicemail_ok": YES,
}


def test_police_referral_fills_household_perpetrator_and_contact_rules(world: World) -> None:
    link, _ = make_link(world.a)

    case = agency_referral_submit(link=link, referral=referral(**POLICE))

    with organisation_scope(world.a.organisation.pk):
        children = list(HouseholdMember.objects.filter(case=case))
        perpetrator = Perpetrator.objects.get(case=case)
        orders = sorted(CourtOrder.objects.filter(perpetrator=perpetrator).values_list("order_type", flat=True))
        rules = SafeContactRules.objects.get(case=case)
        stored = Case.objects.get(pk=case.pk)
    assert [(child.kind, child.name) for child in children] == [
        (MemberKind.CHILD, "Child aged 4 at referral (name to confirm)"),
        (MemberKind.CHILD, "Child aged 9 at referral (name to confirm)"),
    ]
    assert (perpetrator.name, perpetrator.relationship) == ("John Example", Relationship.EX_PARTNER)
    assert (perpetrator.lives_at_address, perpetrator.has_key) == (False, True)
    assert orders == [CourtOrderType.BAIL, CourtOrderType.NON_MOLESTATION]
    assert (rules.safe_phone, rules.safe_times) == ("07700 900123", "Weekdays 10am to 2pm")
    assert (rules.phone_ok, rules.voicemail_ok, rules.letter_ok, rules.is_safe_to_talk_checked) == (
        True,
        True,
        False,
        False,
    )
    assert "Crime reference: 46/123456/26" in stored.referrer_details
    assert "Police officer: PC 1234 Amy Taylor" in stored.referrer_details
    assert "Police DASH risk level: High" in stored.referral_summary
    assert "MARAC referral already made: Yes" in stored.referral_summary
    with scopes_disabled():
        actions = set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {"case.referred", "case.household_member_added", "case.perpetrator_added"} <= actions
    assert "case.contact_rules_updated" in actions


def test_no_direct_contact_means_no_phone_or_voicemail(world: World) -> None:
    link, _ = make_link(world.a)

    case = agency_referral_submit(link=link, referral=referral(**{**POLICE, "contact_directly": NO}))

    with organisation_scope(world.a.organisation.pk):
        rules = SafeContactRules.objects.get(case=case)
    assert (rules.safe_phone, rules.phone_ok, rules.voicemail_ok) == ("07700 900123", False, False)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"children_ages": (4,)}, "children_ages"),
        ({"children_ages": (4, 19)}, "children_ages"),
        ({"police_dash_level": "extreme"}, "police_dash_level"),
        ({"marac_referred": "maybe"}, "marac_referred"),
        ({"perpetrator_relationship": "neighbour"}, "perpetrator_relationship"),
        ({"court_orders": ("curfew",)}, "court_orders"),
        ({"court_orders": ("bail", "bail")}, "court_orders"),
    ],
)
def test_bad_structured_field_is_named_and_nothing_is_written(
    world: World, changes: dict[str, object], field: str
) -> None:
    link, _ = make_link(world.a)

    with pytest.raises(ValidationError) as caught:
        agency_referral_submit(link=link, referral=referral(**{**POLICE, **changes}))

    assert list(caught.value.message_dict) == [field]
    with organisation_scope(world.a.organisation.pk):
        assert not Case.objects.exists()
        assert not Perpetrator.objects.exists()
