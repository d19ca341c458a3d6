from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from safemoves.audit.models import AuditEvent
from safemoves.cases import services as case_services
from safemoves.cases.contact import ContactRefused
from safemoves.cases.export import case_export
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.letters import selectors, services
from safemoves.letters.models import LetterTemplate, SentLetter
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World, sign_in
from tests.letters.helpers import send_letter


def _no_letters(world: World, case: Case) -> None:
    with organisation_scope(world.a.organisation.pk):
        case_services.contact_rules_update(
            case=case, actor=world.a[Role.MANAGER], expected_version=None, changes={"letter_ok": False}
        )


def test_a_letter_goes_only_to_the_safe_postal_address(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    letter = send_letter(world, case, body="Dear {tenant_name}, we write to {safe_address} on {date}.")
    with organisation_scope(world.a.organisation.pk):
        letter = SentLetter.objects.get(pk=letter.pk)
        assert letter.address == "Jane Example\nc/o Women's Aid\nPO Box 1\nMaidstone"
        assert letter.body.startswith("Dear Jane Example, we write to c/o Women's Aid, PO Box 1, Maidstone on ")
        assert letter.subject == f"Offer {case.reference}"
        assert "Example Street" not in letter.address + letter.body  # the case (home) address never
        pdf = base64.b64decode(letter.pdf)
    assert pdf.startswith(b"%PDF-")
    with scopes_disabled():
        event = AuditEvent.objects.get(action="case.letter_sent")
    assert (event.object_id, event.fields) == (str(case.pk), ["address", "body", "pdf", "subject"])


def test_no_letter_when_letters_are_not_agreed(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    _no_letters(world, case)
    with pytest.raises(ContactRefused, match="the tenant has not agreed to letters"):
        send_letter(world, case)
    client = sign_in(Client(), world.a[Role.OFFICER])
    response = client.get(reverse("letters:write", kwargs={"case_id": case.pk}))
    assert response.status_code == 409
    assert "A letter is not allowed: the tenant has not agreed to letters." in response.content.decode()
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    letters_section = page.split('id="letters-heading"')[1].split("</section>")[0]
    assert "A letter is not allowed: the tenant has not agreed to letters." in letters_section
    assert reverse("letters:write", kwargs={"case_id": case.pk}) not in letters_section
    with scopes_disabled():
        assert SentLetter.objects.count() == 0


def test_no_letter_without_a_safe_postal_address(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    with pytest.raises(ContactRefused, match="No safe-contact rules"):
        send_letter(world, case)


def test_write_choose_edit_produce_and_download(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    client = sign_in(Client(), world.a[Role.OFFICER])
    url = reverse("letters:write", kwargs={"case_id": case.pk})
    page = client.get(url, {"template": "std:sign_up_pack"}).content.decode()
    assert "Your tenancy sign-up pack (our reference {reference})" in page
    assert "PO Box 1" in page
    assert "Example Street" not in page
    response = client.post(url, {"template": "std:sign_up_pack", "subject": "Pack {reference}", "body": "Hello"})
    assert response.status_code == 302
    with organisation_scope(world.a.organisation.pk):
        letter = SentLetter.objects.get(case=case)
    assert letter.template_name == "Tenancy sign-up pack (cover letter)"
    response = client.get(reverse("letters:pdf", kwargs={"case_id": case.pk, "letter_id": letter.pk}))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith(f'attachment; filename="{case.reference}-letter-')
    assert response["X-Content-Type-Options"] == "nosniff"
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="case.letter_viewed", object_id=str(case.pk)).count() == 1


def test_unknown_merge_fields_are_named(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    client = sign_in(Client(), world.a[Role.OFFICER])
    url = reverse("letters:write", kwargs={"case_id": case.pk})
    response = client.post(url, {"template": "std:offer", "subject": "S", "body": "Dear {tenant_name} {home_address}"})
    assert response.status_code == 400
    assert "Unknown merge field {home_address}." in response.content.decode()
    with scopes_disabled():
        assert SentLetter.objects.count() == 0


def test_a_managers_own_version_replaces_the_standard_one(world: World) -> None:
    client = sign_in(Client(), world.a[Role.MANAGER])
    new = reverse("letters:template_new") + "?standard=offer"
    form = client.get(new).content.decode()
    assert "We are pleased to offer you a home" in form
    data = {
        "name": "Our offer letter",
        "letterhead": "Alpha Homes\n1 High Street",
        "sender_name": "{officer_name}",
        "sender_role": "Tenancy services",
        "subject": "Offer {reference}",
        "body": "Dear {tenant_name}",
        "is_active": "on",
    }
    assert client.post(new, data).status_code == 302
    with organisation_scope(world.a.organisation.pk):
        template = LetterTemplate.objects.get()
        assert template.standard_key == "offer"
        names = [choice.name for choice in selectors.template_list(world.a.organisation, active_only=True)]
    assert names == ["Appointment", "Our offer letter", "Tenancy sign-up pack (cover letter)"]
    edit = reverse("letters:template_edit", kwargs={"template_id": template.pk})
    with scopes_disabled():
        before = AuditEvent.objects.filter(action="letters.template_saved").count()
    assert client.post(edit, data).status_code == 302  # unchanged save: nothing written
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="letters.template_saved").count() == before == 1
    with organisation_scope(world.a.organisation.pk):
        assert LetterTemplate.objects.get().updated_at == template.updated_at


def test_a_template_with_an_unknown_field_is_refused(world: World) -> None:
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as refused:
        services.letter_template_save(
            organisation_id=world.a.organisation.pk,
            actor=world.a[Role.MANAGER],
            template=None,
            standard_key="",
            changes={
                "name": "X", "letterhead": "A", "sender_name": "B", "sender_role": "", "subject": "{ref}",
                "body": "{tenant_name}", "is_active": True,
            },
        )  # fmt: skip
    assert list(refused.value.message_dict) == ["subject"]


def test_letters_are_in_the_export(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    send_letter(world, case, body="Exported letter")
    with organisation_scope(world.a.organisation.pk):
        [exported] = case_export(case=case, actor=world.a[Role.MANAGER])["letters"]
    assert exported["body"] == "Exported letter"
    assert exported["addressed_to"] == "Jane Example\nc/o Women's Aid\nPO Box 1\nMaidstone"
