"""Void-home pages: list and filters, the form, details, withdrawal, import and its report."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership, Role
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home
from safemoves.properties.services import home_create, home_mark_let
from tests.factories import World, sign_in
from tests.properties.helpers import GOOD_ROW, csv_bytes, home_input, row

FORM = {
    "address": "3 Oast Lane, Rochester",
    "postcode": "me1 1aa",
    "uprn": "",
    "area_code": "",
    "latitude": "",
    "longitude": "",
    "bedrooms": "2",
    "floor": "0",
    "step_free": "on",
    "wheelchair_standard": "2",
    "weekly_rent": "99.95",
    "tenancy_offered": "7",
    "available_from": "2026-06-01",
}


def _lettings(world: World, client: Client | None = None) -> Client:
    return sign_in(client or Client(), world.a[Role.LETTINGS_OFFICER])


def _home(world: World, **changes: object) -> Home:
    with scopes_disabled():
        membership = Membership.objects.get(user=world.a[Role.LETTINGS_OFFICER])
    with organisation_scope(membership.organisation_id):
        return home_create(membership=membership, data=home_input(**changes))


def test_list_shows_own_listed_homes_with_filters(world: World) -> None:
    _home(world, address="1 Kingfisher Court", bedrooms=1)
    _home(world, address="2 Bramley Gardens", bedrooms=3, postcode="ME1 1AA", step_free=True)
    client = _lettings(world)

    page = client.get(reverse("properties:list")).content.decode()
    assert "1 Kingfisher Court, CT1 1AA" in page
    assert "2 Bramley Gardens, ME1 1AA" in page
    assert "2 homes, soonest available first" in page

    page = client.get(reverse("properties:list"), {"bedrooms": "2", "step_free": "on"}).content.decode()
    assert "1 Kingfisher Court" not in page
    assert "2 Bramley Gardens" in page

    page = client.get(reverse("properties:list"), {"area": "E07000106"}).content.decode()
    assert "1 Kingfisher Court" in page
    assert "2 Bramley Gardens" not in page

    other = sign_in(Client(), world.b[Role.LETTINGS_OFFICER]).get(reverse("properties:list")).content.decode()
    assert "Kingfisher" not in other
    assert "0 homes" in other


def test_navigation_offers_void_homes_to_lettings_officers_and_managers_only(world: World) -> None:
    link = f'href="{reverse("properties:list")}"'
    for role in Role:
        page = sign_in(Client(), world.a[role]).get(reverse("web:home")).content.decode()
        assert (link in page) == (role in (Role.LETTINGS_OFFICER, Role.MANAGER)), role


def test_create_lists_the_home_and_shows_it(world: World) -> None:
    client = _lettings(world)

    response = client.post(reverse("properties:create"), FORM)

    with scopes_disabled():
        home = Home.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("properties:detail", kwargs={"home_id": home.pk})
    assert (home.postcode, home.area_code, home.bedrooms, home.step_free) == ("ME1 1AA", "E06000035", 2, True)
    page = client.get(response["Location"]).content.decode()
    assert "3 Oast Lane, Rochester" in page
    assert "Medway (E06000035)" in page
    assert "51.386, 0.507 (to about 100 metres)" in page


def test_create_shows_each_problem_on_its_field(world: World) -> None:
    client = _lettings(world)

    response = client.post(reverse("properties:create"), {**FORM, "bedrooms": "three", "postcode": "ME1 9ZZ"})

    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_bedrooms">Bedrooms: Must be a whole number from 1 to 7, got &#x27;three&#x27;</a>' in page
    with scopes_disabled():
        assert Home.objects.count() == 0
    # The postcode is checked once the values themselves are right.
    response = client.post(reverse("properties:create"), {**FORM, "postcode": "ME1 9ZZ"})
    assert (
        '<a href="#id_postcode">Postcode: &#x27;ME1 9ZZ&#x27; was not found in the ONS Postcode Directory</a>'
        in response.content.decode()
    )


def test_edit_saves_and_a_stale_form_is_refused(world: World) -> None:
    home = _home(world, postcode="ME1 1AA")
    client = _lettings(world)
    url = reverse("properties:edit", kwargs={"home_id": home.pk})

    form = client.get(url).content.decode()
    assert 'name="version" value="1"' in form
    # The coordinates are the postcode's centre, so they are left empty.
    assert '<input type="text" name="latitude" inputmode="decimal"' in form
    assert 'name="latitude" value=' not in form

    response = client.post(url, {**FORM, "version": "1", "bedrooms": "4"})
    assert response.status_code == 302
    response = client.post(url, {**FORM, "version": "1", "bedrooms": "5"})
    assert response.status_code == 409
    assert "changed this record at" in response.content.decode()
    assert 'name="version" value="2"' in response.content.decode()  # saving again overwrites knowingly
    with scopes_disabled():
        assert Home.objects.get(pk=home.pk).bedrooms == 4


def test_withdraw_takes_the_home_off_the_list(world: World) -> None:
    home = _home(world)
    client = _lettings(world)

    response = client.post(reverse("properties:withdraw", kwargs={"home_id": home.pk}), {"version": "1"})

    assert response.status_code == 302
    with scopes_disabled():
        assert Home.objects.get(pk=home.pk).status == HomeStatus.WITHDRAWN
    assert "14 Hopfield Close" not in client.get(reverse("properties:list")).content.decode()
    listed = client.get(reverse("properties:list"), {"status": "withdrawn"}).content.decode()
    assert "14 Hopfield Close" in listed


def test_a_let_home_does_not_show_its_address(world: World) -> None:
    home = _home(world)
    with organisation_scope(home.organisation_id):
        home_mark_let(home=home, actor=world.a[Role.LETTINGS_OFFICER])
    client = _lettings(world)

    detail = client.get(reverse("properties:detail", kwargs={"home_id": home.pk})).content.decode()
    listed = client.get(reverse("properties:list"), {"status": "let"}).content.decode()

    for page in (detail, listed):
        assert "Hopfield" not in page
        assert "CT1 1AA" not in page
    assert "this is a protected address" in detail
    assert "Protected address (let)" in listed
    assert "Change details" not in detail


def test_import_shows_a_row_by_row_report(world: World) -> None:
    client = _lettings(world)
    content = csv_bytes([GOOD_ROW, row(uprn="", bedrooms="three"), row(uprn="", postcode="ZZ99 9ZZ")])

    response = client.post(
        reverse("properties:import"),
        {"rows_file": SimpleUploadedFile("voids.csv", content, "text/csv"), "mode": "keep_good_rows"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 home added; 2 rows left out because of the problems below." in page
    assert (
        '<li><a href="#import-error-1">line 3, bedrooms: must be a whole number from 1 to 7, got &#x27;three&#x27;'
        "</a></li>" in page
    )
    assert (
        '<tr id="import-error-2"><td>4</td><td>postcode</td>'
        "<td>&#x27;ZZ99 9ZZ&#x27; is not a valid UK postcode</td></tr>" in page
    )
    with scopes_disabled():
        assert Home.objects.count() == 1


def test_import_all_or_nothing_says_nothing_was_added(world: World) -> None:
    client = _lettings(world)
    content = csv_bytes([GOOD_ROW, row(uprn="", lift="maybe")])

    page = client.post(
        reverse("properties:import"),
        {"rows_file": SimpleUploadedFile("voids.csv", content, "text/csv"), "mode": "all_or_nothing"},
    ).content.decode()

    assert "2 rows read; 1 has problems. You chose all or nothing, so no home was added" in page
    with scopes_disabled():
        assert Home.objects.count() == 0


def test_import_without_a_file_asks_for_one(world: World) -> None:
    page = _lettings(world).post(reverse("properties:import"), {"mode": "keep_good_rows"}).content.decode()
    assert "Choose a .csv or .xlsx file to import." in page


def test_template_download_is_the_header_row(world: World) -> None:
    response = _lettings(world).get(reverse("properties:import_template"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="void-homes-template.csv"'
    assert response.content.decode() == (
        "address,postcode,uprn,area_code,latitude,longitude,bedrooms,floor,lift,step_free,wheelchair,pets,"
        "weekly_rent,tenancy,available_from\r\n"
    )


def test_a_listed_home_cannot_be_moved_by_an_edit(world: World) -> None:
    home = _home(world)  # listed at CT1 1AA
    client = _lettings(world)
    url = reverse("properties:edit", kwargs={"home_id": home.pk})

    response = client.post(url, {**FORM, "version": "1"})  # the form says ME1 1AA

    assert response.status_code == 200
    assert "A listed home cannot be moved" in response.content.decode()
    with scopes_disabled():
        stored = Home.objects.get(pk=home.pk)
    assert (stored.postcode, stored.latitude, stored.longitude, stored.version) == ("CT1 1AA", 51.284, 1.094, 1)
