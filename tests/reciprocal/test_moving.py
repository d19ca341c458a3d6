"""Issue 14 item 8, the move itself: viewings, the sign-up date, the consented handover and
the safe address after the move (ADR 0028)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from safemoves.audit.models import AuditEvent
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.reciprocal.codes import ViewingOutcome
from safemoves.reciprocal.models import Handover, Move, Offer, SignUp, Viewing
from safemoves.reciprocal.pool import moving, services
from safemoves.safety import services as safety_services
from safemoves.safety.codes import PlaceKind
from tests.factories import World, sign_in
from tests.reciprocal.factories import accept, circulated_request, make_home, offer_home, reciprocal_case

pytestmark = pytest.mark.django_db

NEW_ADDRESS = "Flat 2, 9 Orchard Row\nWhitstable"
NEW_POSTCODE = "CT5 1BQ"
SAFE_RULES = {"safe_phone": "07700 900999", "safe_email": "", "safe_times": "Evenings", "phone_ok": True}


def _accepted(world: World, *, release: bool = True) -> tuple[Case, Offer]:
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    offer = offer_home(world.b, make_home(world.b), request)
    accept(world.a, offer, release=release)
    return case, offer


def _arrange(world: World, offer: Offer, *, hours: int = 24, note: str = "Meet at the side gate") -> Viewing:
    with organisation_scope(world.b.organisation.pk):
        return services.viewing_arrange(
            offer=offer,
            actor=world.b[Role.LETTINGS_OFFICER],
            starts_at=timezone.now() + timedelta(hours=hours),
            place_note=note,
        )


def _consent(world: World, offer: Offer, *, support: str = "Needs a support worker at sign-up") -> None:
    with organisation_scope(world.a.organisation.pk):
        services.handover_consent_record(
            offer=offer,
            actor=world.a[Role.OFFICER],
            given_by="The tenant, in person",
            given_on=timezone.localdate(),
            how_given="Signed form",
            support_needs=support,
        )


def _move(world: World, offer: Offer) -> Move:
    with organisation_scope(world.b.organisation.pk):
        return services.move_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=timezone.localdate())


def _events(action: str) -> list[tuple[int, str]]:
    with scopes_disabled():
        return sorted(AuditEvent.objects.filter(action=action).values_list("organisation_id", "object_type"))


# --- viewings -----------------------------------------------------------------------------------


def test_a_viewing_is_arranged_by_the_rehousing_landlord_and_audited_on_both_sides(world: World) -> None:
    _case, offer = _accepted(world)
    viewing = _arrange(world, offer)
    with scopes_disabled():
        stored = Viewing.objects.get(pk=viewing.pk)
    assert (stored.organisation_id, stored.referring_organisation_id, stored.outcome) == (
        world.b.organisation.pk,
        world.a.organisation.pk,
        ViewingOutcome.ARRANGED,
    )
    assert _events("reciprocal.viewing_arranged") == [
        (world.a.organisation.pk, "case"),
        (world.b.organisation.pk, "viewing"),
    ]


def test_a_viewing_needs_an_accepted_offer_and_a_future_time(world: World) -> None:
    case = reciprocal_case(world.a)
    offer = offer_home(world.b, make_home(world.b), circulated_request(world.a, case))
    with pytest.raises(ValidationError) as caught:
        _arrange(world, offer)
    assert caught.value.messages == [
        "A home can be viewed only while the offer is accepted and before the move "
        "(this offer is offered, awaiting the tenant's decision)."
    ]
    accept(world.a, offer)
    with pytest.raises(ValidationError) as caught:
        _arrange(world, offer, hours=-1)
    assert caught.value.message_dict == {"starts_at": ["Enter a date and time for the viewing in the future."]}
    with scopes_disabled():
        assert Viewing.objects.count() == 0


def test_a_home_that_no_longer_fits_cannot_be_viewed_or_signed_up_for(world: World) -> None:
    case, offer = _accepted(world)
    with organisation_scope(world.a.organisation.pk):
        safety_services.place_add(
            case=case, actor=world.a[Role.MANAGER], kind=PlaceKind.AVOID, postcode="CT1 1AA", radius_km="3"
        )
    with pytest.raises(ValidationError) as caught:
        _arrange(world, offer)
    assert caught.value.message_dict == {
        "home": [
            "Fit rule: this home no longer fits the request (size, access, pets, areas or safety); it cannot be viewed."
        ]
    }
    with organisation_scope(world.b.organisation.pk), pytest.raises(ValidationError) as caught:
        services.sign_up_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], sign_up_on=timezone.localdate())
    assert caught.value.message_dict["home"][0].startswith("Fit rule:")
    with scopes_disabled():
        assert (Viewing.objects.count(), SignUp.objects.count()) == (0, 0)


def test_a_less_secure_tenancy_cannot_be_viewed(world: World) -> None:
    _case, offer = _accepted(world)
    with scopes_disabled():
        Offer.objects.filter(pk=offer.pk).update(tenancy="4")
    with pytest.raises(ValidationError) as caught:
        _arrange(world, offer)
    assert caught.value.message_dict["home"][0].startswith("Tenure rule:")


def test_the_referring_officer_records_the_outcome_and_the_rehousing_landlord_may_only_cancel(world: World) -> None:
    _case, offer = _accepted(world)
    later = _arrange(world, offer)
    with pytest.raises(ValidationError) as caught:
        services.viewing_outcome(
            viewing=later, actor=world.a[Role.OFFICER], outcome=ViewingOutcome.ATTENDED, referring_side=True
        )
    assert caught.value.messages == ["What happened at a viewing can be recorded only once its time has come."]
    with pytest.raises(ValidationError):
        services.viewing_outcome(
            viewing=later, actor=world.b[Role.LETTINGS_OFFICER], outcome=ViewingOutcome.ATTENDED, referring_side=False
        )
    services.viewing_outcome(
        viewing=later, actor=world.b[Role.LETTINGS_OFFICER], outcome=ViewingOutcome.CANCELLED, referring_side=False
    )
    assert later.outcome == ViewingOutcome.CANCELLED
    with pytest.raises(ValidationError) as caught:
        services.viewing_outcome(
            viewing=later, actor=world.a[Role.OFFICER], outcome=ViewingOutcome.ATTENDED, referring_side=True
        )
    assert caught.value.messages == ["This viewing is already recorded as cancelled."]
    done = _arrange(world, offer)
    with scopes_disabled():
        Viewing.objects.filter(pk=done.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    services.viewing_outcome(
        viewing=done, actor=world.a[Role.OFFICER], outcome=ViewingOutcome.ATTENDED, referring_side=True
    )
    assert (done.outcome, done.outcome_by_id) == (ViewingOutcome.ATTENDED, world.a[Role.OFFICER].pk)
    assert _events("reciprocal.viewing_attended") == [
        (world.a.organisation.pk, "case"),
        (world.b.organisation.pk, "viewing"),
    ]


def test_the_referring_side_sees_the_time_but_not_the_place_note(world: World) -> None:
    _case, offer = _accepted(world)
    _arrange(world, offer, note="Meet at the side gate")
    url = reverse("reciprocal:moving", kwargs={"offer_id": offer.pk})
    referring = sign_in(Client(), world.a[Role.OFFICER]).get(url)
    rehousing = sign_in(Client(), world.b[Role.LETTINGS_OFFICER]).get(url)
    assert (referring.status_code, rehousing.status_code) == (200, 200)
    assert "Meet at the side gate" not in referring.content.decode()
    assert "Arranged" in referring.content.decode()
    assert "Meet at the side gate" in rehousing.content.decode()
    # Other members of landlord B who do not let homes, and every member of a third party: not found.
    assert sign_in(Client(), world.b[Role.OFFICER]).get(url).status_code == 404


# --- sign-up ------------------------------------------------------------------------------------


def test_the_sign_up_date_is_recorded_moved_and_an_unchanged_save_changes_nothing(world: World) -> None:
    _case, offer = _accepted(world)
    lettings = world.b[Role.LETTINGS_OFFICER]
    day = timezone.localdate() + timedelta(days=3)
    with organisation_scope(world.b.organisation.pk):
        services.sign_up_record(offer=offer, actor=lettings, sign_up_on=day)
        services.sign_up_record(offer=offer, actor=lettings, sign_up_on=day)
        assert len(_events("reciprocal.sign_up_recorded")) == 2  # one save: an event on each side
        services.sign_up_record(offer=offer, actor=lettings, sign_up_on=day + timedelta(days=1))
        with pytest.raises(ValidationError) as caught:
            services.sign_up_record(offer=offer, actor=lettings, sign_up_on=timezone.localdate() - timedelta(days=30))
    assert caught.value.message_dict == {"sign_up_on": ["The sign-up date cannot be before the offer was made."]}
    with scopes_disabled():
        assert list(SignUp.objects.values_list("sign_up_on", flat=True)) == [day + timedelta(days=1)]
    assert len(_events("reciprocal.sign_up_recorded")) == 4
    for user in (world.a[Role.OFFICER], lettings):
        page = sign_in(Client(), user).get(reverse("reciprocal:moving", kwargs={"offer_id": offer.pk}))
        assert (day + timedelta(days=1)).strftime("%-d %B %Y") in page.content.decode()


def test_sign_up_after_the_move_is_refused(world: World) -> None:
    _case, offer = _accepted(world)
    _move(world, offer)
    with pytest.raises(ValidationError) as caught:
        services.sign_up_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], sign_up_on=timezone.localdate())
    assert caught.value.messages == [
        "A home can be signed up for only while the offer is accepted and before the move (this offer is moved in)."
    ]


# --- the handover -------------------------------------------------------------------------------


def test_without_consent_nothing_transfers_and_the_page_says_so(world: World) -> None:
    _case, offer = _accepted(world)
    _move(world, offer)
    with scopes_disabled():
        assert Handover.objects.count() == 0
    for user in (world.a[Role.OFFICER], world.b[Role.LETTINGS_OFFICER]):
        page = sign_in(Client(), user).get(reverse("reciprocal:moving", kwargs={"offer_id": offer.pk}))
        assert "No consent to a handover is recorded, so nothing about the household is passed on" in (
            page.content.decode()
        )


def _decrypted(handover: Handover) -> str:
    with organisation_scope(handover.organisation_id):
        stored = Handover.objects.get(pk=handover.pk)
        return " ".join(
            str(getattr(stored, name))
            for name in ("lead_name", "household", "support_needs", "contact_rules", "safe_address", "safe_postcode")
        )


def test_with_consent_the_minimal_handover_set_is_copied_at_the_move(world: World) -> None:
    _case, offer = _accepted(world)
    _consent(world, offer)
    with scopes_disabled():
        assert Handover.objects.count() == 0  # not before the move
    move = _move(world, offer)
    with organisation_scope(world.b.organisation.pk):
        handover = Handover.objects.get(move=move)
        household = json.loads(handover.household)
        rules = json.loads(handover.contact_rules)
        assert handover.organisation_id == world.b.organisation.pk
        assert handover.lead_name == "Jane Example"
        assert household == [{"kind": "Child", "name": "Sam Example", "date_of_birth": "2016-02-03"}]
        assert (handover.access_need, handover.pets, handover.risk_band) == ("3", False, "not_assessed")
        assert handover.support_needs == "Needs a support worker at sign-up"
    assert rules == {
        "safe_phone": "07700 900123",
        "safe_email": "",
        "safe_times": "Weekdays 10:00-12:00",
        "code_word": "",
        "phone_ok": True,
        "sms_ok": False,
        "voicemail_ok": False,
        "email_ok": False,
        "letter_ok": False,  # until the rehousing landlord records the new safe address
        "visit_ok": False,
    }
    # What stays with the original landlord: history, notes, referral, perpetrator, old address, school.
    text = _decrypted(handover)
    for stays in ("John Harmer", "Other Road", "Not to enter", "Example Street", "Assaulted", "Riverside", "PO Box"):
        assert stays not in text
    assert _events("reciprocal.case_handed_over") == [
        (world.a.organisation.pk, "case"),
        (world.b.organisation.pk, "handover"),
    ]


def test_consent_recorded_after_the_move_hands_over_then(world: World) -> None:
    _case, offer = _accepted(world)
    move = _move(world, offer)
    _consent(world, offer)
    with scopes_disabled():
        assert Handover.objects.filter(move=move).count() == 1
    with pytest.raises(ValidationError) as caught:
        _consent(world, offer)
    assert caught.value.messages == ["Consent to the handover is already recorded for this offer."]


def test_consent_needs_who_and_how_and_an_accepted_offer(world: World) -> None:
    case = reciprocal_case(world.a)
    offer = offer_home(world.b, make_home(world.b), circulated_request(world.a, case))
    with pytest.raises(ValidationError) as caught:
        services.handover_consent_record(
            offer=offer,
            actor=world.a[Role.OFFICER],
            given_by=" ",
            given_on=timezone.localdate() + timedelta(days=1),
            how_given="",
        )
    assert set(caught.value.message_dict) == {"given_by", "given_on", "how_given"}
    with pytest.raises(ValidationError) as caught:
        _consent(world, offer)
    assert caught.value.messages == [
        "Consent to a handover can be recorded only once the tenant has accepted the offer."
    ]


# --- the safe address after the move --------------------------------------------------------------


def _handed_over(world: World) -> tuple[Case, Offer, Handover]:
    case, offer = _accepted(world)
    _consent(world, offer)
    move = _move(world, offer)
    with scopes_disabled():
        return case, offer, Handover.objects.get(move=move)


def test_the_safe_address_is_validated_and_an_unchanged_save_changes_nothing(world: World) -> None:
    _case, _offer, handover = _handed_over(world)
    lettings = world.b[Role.LETTINGS_OFFICER]
    with organisation_scope(world.b.organisation.pk):
        with pytest.raises(ValidationError) as caught:
            services.handover_update_safe_contact(
                handover=handover, actor=lettings, safe_address="", safe_postcode="NOPE", rules={"letter_ok": True}
            )
        assert caught.value.message_dict == {
            "safe_postcode": ["Enter the safe address's postcode in the format CT1 1AA."],
            "safe_address": ["Enter the safe address before allowing letters."],
        }
        with pytest.raises(ValidationError) as caught:
            services.handover_update_safe_contact(
                handover=handover, actor=lettings, safe_address=NEW_ADDRESS, safe_postcode="", rules={"sms_ok": True}
            )
        assert set(caught.value.message_dict) == {"safe_postcode", "safe_phone"}
        assert services.handover_update_safe_contact(
            handover=handover, actor=lettings, safe_address=NEW_ADDRESS, safe_postcode="ct51bq", rules=SAFE_RULES
        )
        assert not services.handover_update_safe_contact(
            handover=handover, actor=lettings, safe_address=NEW_ADDRESS, safe_postcode=NEW_POSTCODE, rules=SAFE_RULES
        )
        stored = Handover.objects.get(pk=handover.pk)
        assert (stored.safe_address, stored.safe_postcode) == (NEW_ADDRESS, NEW_POSTCODE)
        assert json.loads(stored.contact_rules)["safe_times"] == "Evenings"
        assert json.loads(stored.contact_rules)["letter_ok"] is False
    # Recorded only in the rehousing landlord's log, once.
    assert _events("reciprocal.handover_safe_contact_updated") == [(world.b.organisation.pk, "handover")]


def test_the_handover_page_round_trips_every_field(world: World) -> None:
    _case, _offer, handover = _handed_over(world)
    client = sign_in(Client(), world.b[Role.LETTINGS_OFFICER])
    url = reverse("reciprocal:handover_detail", kwargs={"handover_id": handover.pk})
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    response = client.post(url, data)
    assert response.status_code == 302
    assert _events("reciprocal.handover_safe_contact_updated") == []
    bad = client.post(url, {**data, "safe_postcode": "NOPE"})
    assert bad.status_code == 200
    assert "Postcode of the safe address: Enter the safe address&#x27;s postcode" in bad.content.decode()


def _original_landlord_pages(ids: dict[str, Any]) -> list[str]:
    """Every GET page whose parameters are among the ids of this request and case (or none)."""
    urls: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif pattern.name:
                params = set(pattern.pattern.converters) if hasattr(pattern.pattern, "converters") else set()
                if params <= set(ids):
                    urls.append(reverse(f"{namespace}{pattern.name}", kwargs={name: ids[name] for name in params}))

    walk(get_resolver().url_patterns, "")
    return urls


def test_the_original_landlord_never_sees_the_new_safe_address(world: World) -> None:
    case, offer, handover = _handed_over(world)
    with organisation_scope(world.b.organisation.pk):
        services.handover_update_safe_contact(
            handover=handover,
            actor=world.b[Role.LETTINGS_OFFICER],
            safe_address=NEW_ADDRESS,
            safe_postcode=NEW_POSTCODE,
            rules=SAFE_RULES,
        )
    with scopes_disabled():
        move = Move.objects.get(offer=offer)
        viewing_id = _arrange_after_move(offer)
    ids = {
        "case_id": case.pk,
        "request_id": offer.request_id,
        "offer_id": offer.pk,
        "move_id": move.pk,
        "handover_id": handover.pk,
        "viewing_id": viewing_id,
    }
    urls = _original_landlord_pages(ids)
    assert reverse("reciprocal:moving", kwargs={"offer_id": offer.pk}) in urls
    assert reverse("cases:detail", kwargs={"case_id": case.pk}) in urls
    reached = 0
    for role in Role:
        client = sign_in(Client(), world.a[role])
        for url in urls:
            response = client.get(url)
            body = response.content.decode(errors="replace")
            reached += response.status_code == 200
            for secret in ("Orchard Row", "CT5 1BQ", "CT51BQ", "07700 900999"):
                assert secret not in body, f"{secret} shown to {role} at {url}"
        assert client.get(reverse("reciprocal:handover_detail", kwargs={"handover_id": handover.pk})).status_code == (
            404
        )
    assert reached > 20
    # The rehousing landlord sees it (so the check above is not vacuous).
    page = sign_in(Client(), world.b[Role.LETTINGS_OFFICER]).get(
        reverse("reciprocal:handover_detail", kwargs={"handover_id": handover.pk})
    )
    assert "Orchard Row" in page.content.decode()
    assert "CT5 1BQ" in page.content.decode()


def _arrange_after_move(offer: Offer) -> Any:
    """A viewing row exists for the walk (arranged before the move in real use)."""
    viewing = Viewing.objects.create(
        organisation_id=offer.organisation_id,
        referring_organisation_id=offer.referring_organisation_id,
        offer=offer,
        starts_at=timezone.now(),
        arranged_by=offer.offered_by,
    )
    return viewing.pk


def test_an_offer_withdrawn_before_the_move_cancels_its_arranged_viewings(world: World) -> None:
    _case, offer = _accepted(world)
    viewing = _arrange(world, offer)
    with organisation_scope(world.b.organisation.pk):
        services.offer_withdraw(offer=offer, actor=world.b[Role.LETTINGS_OFFICER])
    with scopes_disabled():
        viewing.refresh_from_db()
    assert (viewing.outcome, viewing.outcome_by_id) == (ViewingOutcome.CANCELLED, world.b[Role.LETTINGS_OFFICER].pk)
    with pytest.raises(Http404):
        moving.moving_view(world.a[Role.OFFICER].membership, offer.pk)
