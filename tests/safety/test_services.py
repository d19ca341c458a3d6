from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safemoves.audit.models import AuditEvent
from safemoves.cases.codes import ConsentBasis
from safemoves.cases.models import Case
from safemoves.common.fields import Sealed
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership, Role
from safemoves.safety.codes import AgencyKind, Option, PlaceKind, Priority
from safemoves.safety.models import Agency, AgencyReferral, OptionsAppraisal, Place, SafetyAction
from safemoves.safety.selectors import appraisal_for_matching, overdue_actions
from safemoves.safety.services import (
    agency_create,
    agency_referral_create,
    agency_referral_transition,
    appraisal_save,
    place_add,
    place_remove,
    safety_action_cancel,
    safety_action_complete,
    safety_action_create,
    safety_actions_for_new_case,
)
from tests.factories import World, make_member
from tests.safety.factories import give_consent, make_case


def _agency(world: World, kind: str = AgencyKind.WOMENS_AID, name: str = "Kent Women's Aid") -> Agency:
    return agency_create(
        organisation_id=world.a.organisation.pk,
        actor=world.a[Role.MANAGER],
        name=name,
        kind=kind,
        area_codes=["E06000035"],
        phone="0300 000 0001",
    )


def _appraisal(world: World, case: Case, **changes: object) -> OptionsAppraisal:
    values: dict[str, object] = {
        "options_considered": [Option.OWN_STOCK_TRANSFER, Option.RECIPROCAL],
        "own_stock_unsuitable": True,
        "own_stock_reason": "Every home we have is near his family",
        "priorities": [Priority.SCHOOLS],
        "priorities_other": "",
        "tenant_wishes": "Keep the children at school",
        "decision": Option.RECIPROCAL,
        "decision_reason": "Cannot be made safe in our stock",
    }
    values.update(changes)
    return appraisal_save(case=case, actor=world.a[Role.OFFICER], **values)  # type: ignore[arg-type]


# --- safety actions ---------------------------------------------------------------------


def test_first_day_actions_set_the_lock_change_once(scoped: World) -> None:
    case = make_case(scoped)
    [lock] = safety_actions_for_new_case(case, scoped.a[Role.OFFICER])
    assert lock.action_type.code == "lock_change"
    assert lock.due_at == case.received_at + timedelta(hours=24)
    assert safety_actions_for_new_case(case, scoped.a[Role.OFFICER]) == []
    assert SafetyAction.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.next_due_at == min(case.first_contact_due_at, lock.due_at)


def test_completing_needs_evidence_and_clears_the_clock(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    [lock] = safety_actions_for_new_case(case, officer)
    with pytest.raises(ValidationError) as caught:
        safety_action_complete(action=lock, actor=officer, evidence_note=" ")
    assert list(caught.value.message_dict) == ["evidence_note"]
    with pytest.raises(ValidationError) as future:
        safety_action_complete(
            action=lock, actor=officer, evidence_note="Done", done_at=timezone.now() + timedelta(hours=1)
        )
    assert future.value.message_dict == {"done_at": ["The time it was done cannot be in the future."]}
    assert safety_action_complete(action=lock, actor=officer, evidence_note="Locks changed, job 4471") == []
    assert (lock.status, lock.done_late) == ("done", False)
    stored = SafetyAction.objects.filter(pk=lock.pk).values("evidence_note").get()
    assert isinstance(stored["evidence_note"], Sealed)
    case.refresh_from_db()
    assert case.next_due_at == case.first_contact_due_at
    with pytest.raises(ValidationError, match="already done"):
        safety_action_complete(action=lock, actor=officer, evidence_note="Again")
    event = AuditEvent.objects.get(action="safety.action_done")
    assert event.reason == f"action {lock.pk}: lock_change"
    assert event.fields == ["done_at", "evidence_note", "status"]


def test_one_open_action_of_each_type_and_clocks_that_need_a_start(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    safety_action_create(case=case, actor=officer, type_code="police_flag")
    with pytest.raises(ValidationError) as duplicate:
        safety_action_create(case=case, actor=officer, type_code="police_flag")
    assert duplicate.value.message_dict == {
        "action_type": ["“Police / 999 flag on the address” is already open on this case."]
    }
    with pytest.raises(ValidationError) as no_start:
        safety_action_create(case=case, actor=officer, type_code="old_address_flags")
    assert no_start.value.message_dict == {"starts_at": ["Enter when the clock starts (the move)."]}
    with pytest.raises(ValidationError) as unknown:
        safety_action_create(case=case, actor=officer, type_code="fly_to_the_moon")
    assert unknown.value.message_dict == {"action_type": ["Choose a safety action from the list."]}


def test_an_action_is_owned_by_a_case_worker(scoped: World) -> None:
    case = make_case(scoped)
    with pytest.raises(ValidationError) as caught:
        safety_action_create(
            case=case, actor=scoped.a[Role.OFFICER], type_code="police_flag", owner=scoped.a[Role.AUDITOR]
        )
    assert caught.value.message_dict == {"owner": ["Choose an officer or manager of your organisation."]}


def test_cancelling_needs_a_reason(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    action = safety_action_create(case=case, actor=officer, type_code="police_flag")
    with pytest.raises(ValidationError) as caught:
        safety_action_cancel(action=action, actor=officer, reason="")
    assert list(caught.value.message_dict) == ["reason"]
    safety_action_cancel(action=action, actor=officer, reason="She has moved to a refuge")
    assert action.status == "cancelled"
    case.refresh_from_db()
    assert case.next_due_at == case.first_contact_due_at


def test_overdue_actions_are_the_officers_own_or_all_for_a_manager(scoped: World) -> None:
    colleague = make_member(scoped.a.organisation, Role.OFFICER, email="colleague@alpha.test")
    mine = make_case(scoped, received_at=timezone.now() - timedelta(hours=30))
    theirs = make_case(scoped, officer=colleague, received_at=timezone.now() - timedelta(hours=30))
    on_time = make_case(scoped)
    for case in (mine, theirs, on_time):
        safety_actions_for_new_case(case, None)
    with scopes_disabled():
        officer = Membership.objects.get(user=scoped.a[Role.OFFICER])
        manager = Membership.objects.get(user=scoped.a[Role.MANAGER])
    assert [action.case for action in overdue_actions(officer)] == [mine]
    assert {action.case for action in overdue_actions(manager)} == {mine, theirs}


# --- agencies and referrals --------------------------------------------------------------


def test_the_directory_refuses_duplicates_and_personal_gaps(scoped: World) -> None:
    agency = _agency(scoped)
    assert (agency.kind, agency.area_codes) == ("womens_aid", ["E06000035"])
    with pytest.raises(ValidationError) as caught:
        agency_create(
            organisation_id=scoped.a.organisation.pk,
            actor=scoped.a[Role.MANAGER],
            name="kent women's aid",
            kind="astrologers",
            area_codes=["Z99"],
        )
    assert caught.value.message_dict == {
        "name": ["Your directory already has a service with this name."],
        "kind": ["Choose the kind of service."],
        "area_codes": ["Choose the areas from the list."],
        "phone": ["Enter the service's phone number or e-mail address."],
    }


def test_a_referral_needs_consent_or_a_lawful_basis(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    agency = _agency(scoped)
    with pytest.raises(ValidationError, match="No consent to referrals is in force for this case"):
        agency_referral_create(case=case, actor=officer, agency=agency)
    give_consent(case, officer, ConsentBasis.REFUSED)
    with pytest.raises(ValidationError, match="No consent to referrals is in force for this case"):
        agency_referral_create(case=case, actor=officer, agency=agency)
    assert AgencyReferral.objects.count() == 0
    give_consent(case, officer, ConsentBasis.VITAL_INTERESTS)
    referral = agency_referral_create(case=case, actor=officer, agency=agency, purpose="Outreach")
    assert (referral.status, referral.sharing_basis) == ("sent", "vital_interests")
    with pytest.raises(ValidationError) as live:
        agency_referral_create(case=case, actor=officer, agency=agency)
    assert live.value.message_dict == {"agency": ["There is already a live referral to Kent Women's Aid."]}


def test_referrals_move_only_along_legal_transitions(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    give_consent(case, officer)
    womens_aid = _agency(scoped)
    ncdv = _agency(scoped, AgencyKind.NCDV, "NCDV")
    referral = agency_referral_create(case=case, actor=officer, agency=womens_aid)
    with pytest.raises(ValidationError) as skipped:
        agency_referral_transition(referral=referral, actor=officer, to_status="done")
    assert skipped.value.message_dict == {"status": ["A referral that is sent cannot become done."]}
    agency_referral_transition(referral=referral, actor=officer, to_status="accepted")
    agency_referral_transition(referral=referral, actor=officer, to_status="done")
    assert referral.status == "done"
    declined = agency_referral_create(case=case, actor=officer, agency=ncdv)
    with pytest.raises(ValidationError) as no_reason:
        agency_referral_transition(referral=declined, actor=officer, to_status="declined")
    assert no_reason.value.message_dict == {"reason": ["Give the reason the agency declined."]}
    agency_referral_transition(referral=declined, actor=officer, to_status="declined", reason="Outside their area")
    assert AgencyReferral.objects.get(pk=declined.pk).decline_reason == "Outside their area"
    with pytest.raises(ValidationError, match="declined cannot become accepted"):
        agency_referral_transition(referral=declined, actor=officer, to_status="accepted")


def test_another_landlords_agency_cannot_be_used(scoped: World) -> None:
    case = make_case(scoped)
    give_consent(case, scoped.a[Role.OFFICER])
    with organisation_scope(scoped.b.organisation.pk):
        foreign = agency_create(
            organisation_id=scoped.b.organisation.pk, actor=scoped.b[Role.MANAGER], name="B Aid", kind="idva", phone="1"
        )
    with pytest.raises(ValidationError) as caught:
        agency_referral_create(case=case, actor=scoped.a[Role.OFFICER], agency=foreign)
    assert caught.value.message_dict == {"agency": ["Choose a service from your directory."]}


# --- options appraisal -------------------------------------------------------------------


def test_reciprocal_needs_own_stock_recorded_unsuitable_with_a_reason(scoped: World) -> None:
    case = make_case(scoped)
    message = (
        "A reciprocal move can be chosen only once a transfer within our own stock is recorded as unsuitable, "
        "with the reason."
    )
    with pytest.raises(ValidationError) as not_ruled_out:
        _appraisal(scoped, case, own_stock_unsuitable=False, own_stock_reason="")
    assert not_ruled_out.value.message_dict == {"decision": [message]}
    with pytest.raises(ValidationError) as no_reason:
        _appraisal(scoped, case, own_stock_reason=" ")
    assert no_reason.value.message_dict == {
        "own_stock_reason": ["Say why a transfer within our own stock is not suitable."],
        "decision": [message],
    }
    assert OptionsAppraisal.objects.count() == 0
    saved = _appraisal(scoped, case)
    assert (saved.decision, saved.decided_by, saved.version) == ("reciprocal", scoped.a[Role.OFFICER], 1)
    assert saved.decided_at is not None


def test_the_decision_is_one_of_the_options_and_has_reasons(scoped: World) -> None:
    case = make_case(scoped)
    with pytest.raises(ValidationError) as caught:
        _appraisal(scoped, case, decision=Option.PRIVATE_RENTED, decision_reason="", priorities=["other"])
    assert caught.value.message_dict == {
        "priorities_other": ["Say what the other priority is."],
        "decision": ["The decision must be one of the options considered."],
        "decision_reason": ["Give the reasons for the decision."],
    }
    undecided = _appraisal(scoped, case, decision="", decision_reason="")
    assert (undecided.decision, undecided.decided_at) == ("", None)


def test_places_are_resolved_offline_and_kept_encrypted(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    avoid = place_add(
        case=case, actor=officer, kind=PlaceKind.AVOID, label="His flat", postcode="me14 1xx", radius_km="5"
    )
    assert (avoid.postcode, avoid.area_code, avoid.radius_km, avoid.is_area) == (
        "ME14 1XX",
        "E07000110",
        Decimal("5.0"),
        False,
    )
    stored = Place.objects.filter(pk=avoid.pk).values("label", "postcode", "lat", "lon").get()
    assert all(isinstance(value, Sealed) for value in stored.values())
    area = place_add(case=case, actor=officer, kind=PlaceKind.NEAR, area_code="E07000106")
    assert (area.is_area, area.area_label, area.radius_km) == (True, "Canterbury", None)
    event = AuditEvent.objects.filter(action="safety.place_added").order_by("seq").first()
    assert event is not None
    assert "ME14" not in event.reason
    assert event.fields == ["area_code", "kind", "label", "lat", "lon", "postcode", "radius_km"]


@pytest.mark.parametrize(
    ("postcode", "area_code", "radius", "errors"),
    [
        (
            "ZZ99 9ZZ",
            "",
            "5",
            {"postcode": ["Enter a full UK postcode that exists, like ME1 1AA; this one was not found."]},
        ),
        (
            "not a postcode",
            "",
            "5",
            {"postcode": ["Enter a full UK postcode that exists, like ME1 1AA; this one was not found."]},
        ),
        ("ME4 4TR", "", "", {"radius_km": ["Enter a distance from 0.1 to 100 km."]}),
        ("ME4 4TR", "", "250", {"radius_km": ["Enter a distance from 0.1 to 100 km."]}),
        ("", "", "", {"postcode": ["Enter a postcode, or choose an area from the list (not both)."]}),
        ("ME4 4TR", "E07000106", "5", {"postcode": ["Enter a postcode, or choose an area from the list (not both)."]}),
        ("", "E99999999", "", {"area_code": ["Choose the area from the list."]}),
    ],
)
def test_bad_places_are_a_clear_error_on_their_field(
    scoped: World, postcode: str, area_code: str, radius: str, errors: dict[str, list[str]]
) -> None:
    case = make_case(scoped)
    with pytest.raises(ValidationError) as caught:
        place_add(
            case=case,
            actor=scoped.a[Role.OFFICER],
            kind=PlaceKind.AVOID,
            postcode=postcode,
            area_code=area_code,
            radius_km=radius,
        )
    assert caught.value.message_dict == errors
    assert Place.objects.count() == 0


def test_appraisal_for_matching_gives_areas_points_and_priorities(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    assert appraisal_for_matching(case) == {
        "decision": "",
        "own_stock_unsuitable": False,
        "priorities": [],
        "areas": [],
        "avoid_areas": [],
        "near": [],
        "avoid": [],
    }
    _appraisal(scoped, case)
    for code in ("E07000114", "E07000106", "E07000108", "E07000105", "E07000112"):
        place_add(case=case, actor=officer, kind=PlaceKind.NEAR, area_code=code)
    place_add(case=case, actor=officer, kind=PlaceKind.AVOID, area_code="E06000035")
    place_add(case=case, actor=officer, kind=PlaceKind.AVOID, postcode="ME14 1XX", radius_km="8")
    near_school = place_add(case=case, actor=officer, kind=PlaceKind.NEAR, postcode="CT1 2EH", radius_km="15")
    profile = appraisal_for_matching(case)
    assert profile["decision"] == "reciprocal"
    assert profile["own_stock_unsuitable"] is True
    assert profile["priorities"] == ["schools"]
    assert profile["areas"] == ["E07000105", "E07000106", "E07000108", "E07000112", "E07000114"]
    assert profile["avoid_areas"] == ["E06000035"]
    [avoid] = profile["avoid"]
    assert (round(avoid["lat"], 3), round(avoid["lon"], 3), avoid["km"]) == (51.279, 0.521, 8.0)
    [near] = profile["near"]
    assert near["km"] == 15.0
    place_remove(case=case, actor=officer, place=near_school)
    assert appraisal_for_matching(case)["near"] == []
