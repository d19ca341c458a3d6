from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safemoves.cases.codes import CaseSource, CaseStatus
from safemoves.cases.models import Case, CaseSettings
from safemoves.cases.services import case_settings_for
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.intake.models import ReferralLink
from safemoves.intake.ratelimit import SUBMISSIONS_PER_HOUR
from safemoves.intake.services import POSTCODE_ERROR, referral_link_deactivate
from safemoves.organisations.models import Role
from tests.factories import World, sign_in
from tests.intake.factories import CONTACT_FORM, REFERRAL_FORM, make_link

pytestmark = pytest.mark.django_db

EMERGENCY = (
    "<strong>In an emergency call 999.</strong> If you cannot speak, call 999 and then press 55 on a mobile "
    "(Silent Solution)."
)


def _cases() -> list[Case]:
    with scopes_disabled():
        return list(Case.objects.all())


def _assert_keeps_nothing_in_the_browser(response: Any) -> None:
    assert "Set-Cookie" not in response.headers
    assert len(response.cookies) == 0
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store, max-age=0"
    html = response.content.decode()
    fields = re.findall(r"<(?:input|textarea|select)\b[^>]*>", html)
    assert fields, "the page has a form"
    assert [field for field in fields if 'autocomplete="off"' not in field] == []
    assert re.findall(r"<script\b(?![^>]*\bsrc=)[^>]*>", html) == [], "no inline script"
    assert '<a href="https://www.bbc.co.uk/weather" class="exit-this-page"' in html


def _title(response: Any) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match is not None
    return match.group(1)


# The agency referral form.


def test_referral_form_is_public_and_keeps_nothing_in_the_browser(world: World) -> None:
    _, token = make_link(world.a)

    response = Client().get(reverse("intake:agency_referral", args=[token]))

    assert response.status_code == 200
    assert _title(response) == "Refer a tenant to Alpha Homes"
    assert "Referral from Kent Police." in response.content.decode()
    assert EMERGENCY in response.content.decode()
    _assert_keeps_nothing_in_the_browser(response)


def test_referral_opens_a_case_and_shows_the_referrer_only_its_reference(world: World) -> None:
    _, token = make_link(world.a)
    client = Client()

    response = client.post(reverse("intake:agency_referral", args=[token]), REFERRAL_FORM)

    assert response.status_code == 200
    [case] = _cases()
    reference = f"DA-AH-{timezone.localdate().year}-00001"
    assert case.reference == reference
    assert (case.status, case.source, case.organisation_id) == (
        CaseStatus.NEW,
        CaseSource.POLICE,
        world.a.organisation.pk,
    )
    html = response.content.decode()
    assert _title(response) == "Referral received"
    assert (
        f'Your referral reference is <strong class="reference">{reference}</strong>. Keep it to quote when you call.'
        in html
    )
    for value in ("Jane Example", "Example Street", "ME4 4AA", "ex-partner", "07700 900123", "Alpha Homes"):
        assert value not in html
    assert "Set-Cookie" not in response.headers
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("state", ["unknown", "inactive"])
def test_unknown_and_inactive_links_are_the_same_not_found(world: World, state: str) -> None:
    link, token = make_link(world.a)
    if state == "inactive":
        with organisation_scope(world.a.organisation.pk):
            referral_link_deactivate(membership=world.a[Role.MANAGER].membership, link=link)
    else:
        token = token[:-4] + "abcd"
    client = Client()

    for response in (
        client.get(reverse("intake:agency_referral", args=[token])),
        client.post(reverse("intake:agency_referral", args=[token]), REFERRAL_FORM),
    ):
        assert response.status_code == 404
        assert "<h1>Page not found</h1>" in response.content.decode()
    assert _cases() == []


def test_malformed_postcode_is_an_error_on_its_field(world: World) -> None:
    _, token = make_link(world.a)

    response = Client().post(reverse("intake:agency_referral", args=[token]), {**REFERRAL_FORM, "postcode": "ME4 XYZ1"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="#id_postcode">Postcode (optional): {POSTCODE_ERROR}</a>' in html
    field_error = '<p class="field-error" id="id_postcode-error"><span class="visually-hidden">Error:</span>'
    assert f"{field_error} {POSTCODE_ERROR}</p>" in html
    assert _cases() == []


def test_missing_required_answers_are_listed(world: World) -> None:
    _, token = make_link(world.a)

    response = Client().post(reverse("intake:agency_referral", args=[token]), {"children": "0"})

    html = response.content.decode()
    summary = re.findall(r'<li><a href="#([a-z0-9_]+)">', html)
    assert summary == [
        "id_referrer_name",
        "id_referrer_role",
        "id_tenant_name",
        "id_perpetrator_at_address_0",
        "id_perpetrator_has_key_0",
        "id_what_happened",
        "id_contact_directly_0",
        "id_voicemail_ok_0",
        "id_letter_ok_0",
    ]
    assert _cases() == []


def test_public_submissions_are_rate_limited_per_address(world: World) -> None:
    _, token = make_link(world.a)
    url = reverse("intake:agency_referral", args=[token])
    client = Client()
    for _ in range(SUBMISSIONS_PER_HOUR):
        assert client.post(url, {}).status_code == 200

    refused = client.post(url, REFERRAL_FORM)
    other_address = Client(REMOTE_ADDR="192.0.2.7").post(url, REFERRAL_FORM)

    assert refused.status_code == 429
    assert "A lot of forms have been sent from this connection in the last hour" in refused.content.decode()
    assert "Please try again in an hour, or phone our team." in refused.content.decode()
    assert other_address.status_code == 200
    assert len(_cases()) == 1


# The "get in touch" page.


def test_contact_page_is_neutral_and_keeps_nothing_in_the_browser(world: World) -> None:
    url = reverse("intake:contact", args=["alpha-homes"])

    response = Client().get(url)

    assert url == "/get-in-touch/alpha-homes/"
    assert response.status_code == 200
    assert _title(response) == "Get in touch"
    html = response.content.decode()
    assert EMERGENCY in html
    assert "We will contact you within 1 working day, at the time you told us is safe." in html
    words = re.sub(r"<[^>]+>", " ", html).lower()
    for word in ("abuse", "safemoves", "violence", "refuge", "domestic"):
        assert word not in words
    _assert_keeps_nothing_in_the_browser(response)


def test_contact_page_promises_the_landlords_own_first_contact_time(world: World) -> None:
    with organisation_scope(world.a.organisation.pk):
        settings = case_settings_for(world.a.organisation.pk)
        CaseSettings.objects.filter(pk=settings.pk).update(first_contact_working_days=2)

    response = Client().get(reverse("intake:contact", args=["alpha-homes"]))

    assert "We will contact you within 2 working days, at the time you told us is safe." in response.content.decode()


def test_contact_request_opens_a_case_and_confirms_neutrally(world: World) -> None:
    response = Client().post(reverse("intake:contact", args=["alpha-homes"]), CONTACT_FORM)

    assert response.status_code == 200
    assert _title(response) == "Message sent"
    assert "Thank you. We will contact you within 1 working day, at the time you told us is safe." in (
        response.content.decode()
    )
    assert "Set-Cookie" not in response.headers
    [case] = _cases()
    assert (case.source, case.status, case.organisation_id) == (
        CaseSource.TENANT,
        CaseStatus.NEW,
        world.a.organisation.pk,
    )


def test_contact_request_needs_the_way_to_reach_her(world: World) -> None:
    response = Client().post(
        reverse("intake:contact", args=["alpha-homes"]), {**CONTACT_FORM, "contact_method": "email", "email": ""}
    )

    assert '<a href="#id_email">E-mail address: Enter an e-mail address that is safe to use.</a>' in (
        response.content.decode()
    )
    assert _cases() == []


def test_contact_page_of_an_unknown_landlord_is_not_found(world: World) -> None:
    client = Client()
    assert client.get(reverse("intake:contact", args=["gamma-homes"])).status_code == 404
    assert client.post(reverse("intake:contact", args=["gamma-homes"]), CONTACT_FORM).status_code == 404
    assert _cases() == []


# The staff page for referral links.


def test_manager_creates_a_link_and_sees_its_address_once(world: World) -> None:
    client = sign_in(Client(), world.a[Role.MANAGER])

    created = client.post(reverse("intake:links"), {"agency_name": "Medway IDVA service", "source": "idva"})

    html = created.content.decode()
    match = re.search(r'value="http://testserver/refer/([A-Za-z0-9_-]+)/"', html)
    assert match is not None
    with scopes_disabled():
        link = ReferralLink.objects.get()
    assert (link.agency_name, link.source, link.organisation_id, link.is_active) == (
        "Medway IDVA service",
        CaseSource.IDVA,
        world.a.organisation.pk,
        True,
    )
    assert Client().get(reverse("intake:agency_referral", args=[match.group(1)])).status_code == 200
    listed = client.get(reverse("intake:links")).content.decode()
    assert match.group(1) not in listed
    assert '<th scope="row">Medway IDVA service</th>' in listed
    assert '<a href="http://testserver/get-in-touch/alpha-homes/">' in listed


def test_switching_a_link_off_stops_it_working(world: World) -> None:
    link, token = make_link(world.a)
    client = sign_in(Client(), world.a[Role.ADMIN])

    response = client.post(reverse("intake:link_deactivate", args=[link.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("intake:links")
    with scopes_disabled():
        assert ReferralLink.objects.get(pk=link.pk).is_active is False
    assert Client().get(reverse("intake:agency_referral", args=[token])).status_code == 404


def test_another_landlords_link_cannot_be_switched_off(world: World) -> None:
    link, _ = make_link(world.a)
    client = sign_in(Client(), world.b[Role.MANAGER])

    response = client.post(reverse("intake:link_deactivate", args=[link.pk]))

    assert response.status_code == 404
    with scopes_disabled():
        assert ReferralLink.objects.get(pk=link.pk).is_active is True
