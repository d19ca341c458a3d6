"""Every edit form survives an unchanged save (issue 10, item 1).

For each page that edits something already stored, the test GETs the page, submits its form
exactly as rendered (``tests.formparse`` reads it as a browser would) and checks that every
stored field of the record is unchanged, encrypted fields compared decrypted.

Edit forms covered: case details, safe-contact rules, perpetrator, assignment, restriction
(cases); MARAC meeting and actions, risk settings (risk); options appraisal, sanctuary choice
and agreement (safety); an emergency accommodation offer (emergency); home (properties);
scheme policy (reciprocal); a member's role (organisations). The intake and accounts pages
only create (referrals, links, sign-in), so they have no edit form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.cases import services as case_services
from safemoves.cases.models import Case, Perpetrator, SafeContactRules
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership, Role
from safemoves.properties.models import Home
from safemoves.reciprocal.models import SchemePolicy
from safemoves.risk.models import MaracReferral, RiskSettings
from safemoves.risk.services import marac_referral_record, risk_assessment_record, risk_settings_save
from safemoves.safety.codes import Option, Priority
from safemoves.safety.models import OptionsAppraisal, SanctuaryAgreement
from safemoves.safety.services import appraisal_save, sanctuary_agreement_save
from tests.cases.factories import make_case
from tests.factories import World, sign_in
from tests.formparse import form_data
from tests.reciprocal.factories import make_home
from tests.safety.factories import answers


@dataclass(frozen=True)
class EditPage:
    url: str
    user: User
    model: type[models.Model]
    pk: Any
    organisation_id: int
    # The page the form is on, when it is not the edit URL itself (inline forms on a list).
    page: str | None = None


def stored(model: type[models.Model], pk: Any, organisation_id: int) -> dict[str, Any]:
    """Every stored field of the row (encrypted ones decrypted) and its many-to-many links."""
    with organisation_scope(organisation_id):
        instance = model._default_manager.get(pk=pk)
        values = {field.attname: getattr(instance, field.attname) for field in model._meta.concrete_fields}
        for field in model._meta.many_to_many:
            values[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return values


def _full_case(world: World) -> Case:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    with organisation_scope(world.a.organisation.pk):
        case_services.case_update(
            case=case,
            actor=world.a[Role.MANAGER],
            expected_version=case.version,
            changes={"tenancy_start": date(2019, 4, 1), "introductory_period_ends": date(2020, 4, 1)},
        )
    return case


def _case_edit(world: World) -> EditPage:
    case = _full_case(world)
    url = reverse("cases:edit", kwargs={"case_id": case.pk})
    return EditPage(url, world.a[Role.OFFICER], Case, case.pk, case.organisation_id)


def _contact_rules(world: World) -> EditPage:
    case = _full_case(world)
    with organisation_scope(case.organisation_id):
        rules = SafeContactRules.objects.get(case=case)
    url = reverse("cases:contact_rules", kwargs={"case_id": case.pk})
    return EditPage(url, world.a[Role.OFFICER], SafeContactRules, rules.pk, case.organisation_id)


def _perpetrator(world: World) -> EditPage:
    case = _full_case(world)
    with organisation_scope(case.organisation_id):
        perpetrator = Perpetrator.objects.get(case=case)
    url = reverse("cases:perpetrator_edit", kwargs={"case_id": case.pk, "perpetrator_id": perpetrator.pk})
    return EditPage(url, world.a[Role.OFFICER], Perpetrator, perpetrator.pk, case.organisation_id)


def _assign(world: World) -> EditPage:
    case = _full_case(world)
    url = reverse("cases:assign", kwargs={"case_id": case.pk})
    return EditPage(url, world.a[Role.MANAGER], Case, case.pk, case.organisation_id)


def _restrict(world: World) -> EditPage:
    case = _full_case(world)
    with organisation_scope(case.organisation_id):
        case_services.case_restrict(
            case=case, actor=world.a[Role.MANAGER], restricted=True, named_staff=[world.a[Role.OFFICER]]
        )
    url = reverse("cases:restrict", kwargs={"case_id": case.pk})
    return EditPage(url, world.a[Role.MANAGER], Case, case.pk, case.organisation_id)


def _marac(world: World) -> EditPage:
    case = _full_case(world)
    officer = world.a[Role.OFFICER]
    with organisation_scope(case.organisation_id):
        risk_assessment_record(case=case, actor=officer, answers=answers(15))
        referral = marac_referral_record(
            case=case,
            actor=officer,
            area_code="E06000035",
            referred_on=date(2026, 1, 5),
            meeting_on=date(2026, 1, 20),
            actions_agreed="Police marker on the address\nIDVA to call weekly",
        )
    url = reverse("risk:marac_update", kwargs={"case_id": case.pk, "referral_id": referral.pk})
    return EditPage(url, officer, MaracReferral, referral.pk, case.organisation_id)


def _risk_settings(world: World) -> EditPage:
    manager = world.a[Role.MANAGER]
    with organisation_scope(world.a.organisation.pk):
        row = risk_settings_save(
            organisation_id=world.a.organisation.pk,
            actor=manager,
            area_code="E06000035",
            high_threshold=12,
            medium_threshold=8,
            escalation_callouts=2,
            escalation_window_months=9,
        )
    url = reverse("risk:settings") + "?area=E06000035"
    return EditPage(url, manager, RiskSettings, row.pk, world.a.organisation.pk)


def _appraisal(world: World) -> EditPage:
    case = _full_case(world)
    with organisation_scope(case.organisation_id):
        appraisal = appraisal_save(
            case=case,
            actor=world.a[Role.OFFICER],
            options_considered=[Option.STAY_SANCTUARY, Option.OWN_STOCK_TRANSFER, Option.RECIPROCAL],
            own_stock_unsuitable=True,
            own_stock_reason="Every home we have is near the perpetrator's family",
            priorities=[Priority.SCHOOLS, Priority.OTHER],
            priorities_other="Near the hospital",
            tenant_wishes="Stay in Kent\nKeep the children's school",
            decision=Option.RECIPROCAL,
            decision_reason="Cannot be made safe in our stock",
        )
    url = reverse("safety:appraisal", kwargs={"case_id": case.pk})
    return EditPage(url, world.a[Role.OFFICER], OptionsAppraisal, appraisal.pk, case.organisation_id)


def _sanctuary(world: World) -> EditPage:
    case = _full_case(world)
    with organisation_scope(case.organisation_id):
        agreement = sanctuary_agreement_save(
            case=case,
            actor=world.a[Role.OFFICER],
            tenant_chooses_to_stay=True,
            tenant_choice_note="In person, with the IDVA",
            landlord_agrees=True,
            landlord_agreement_note="The perpetrator has left",
        )
    url = reverse("safety:sanctuary", kwargs={"case_id": case.pk})
    return EditPage(url, world.a[Role.OFFICER], SanctuaryAgreement, agreement.pk, case.organisation_id)


def _home(world: World) -> EditPage:
    home = make_home(world.a, address="4 Bramley Gardens\nCanterbury")
    url = reverse("properties:edit", kwargs={"home_id": home.pk})
    return EditPage(url, world.a[Role.LETTINGS_OFFICER], Home, home.pk, world.a.organisation.pk)


def _role(world: World) -> EditPage:
    with scopes_disabled():
        member = Membership.objects.get(user=world.a[Role.OFFICER])
    url = reverse("organisations:change_role", kwargs={"membership_id": member.pk})
    return EditPage(
        url, world.a[Role.ADMIN], Membership, member.pk, world.a.organisation.pk, page=reverse("organisations:staff")
    )


def _emergency_offer(world: World, *, postcode: str) -> EditPage:
    from safemoves.emergency.models import EmergencyOffer
    from safemoves.emergency.services import OfferDetails, emergency_offer_record
    from safemoves.safety.services import place_add

    case = _full_case(world)
    officer = world.a[Role.OFFICER]
    with organisation_scope(case.organisation_id):
        place_add(case=case, actor=officer, kind="near", label="Parent's home", postcode="ME1 1AA", radius_km="5")
        offer = emergency_offer_record(
            case=case,
            actor=officer,
            details=OfferDetails(
                kind="refuge",
                provider="Women's Aid refuge service",
                offered_on=date(2026, 1, 5),
                postcode=postcode,
                area_code="" if postcode else "E07000105",
                decision="refused",
                refusal_reason="other",
                decision_note="Line one\nLine two",
            ),
        )
    url = reverse("emergency:offer_edit", kwargs={"case_id": case.pk, "offer_id": offer.pk})
    return EditPage(url, officer, EmergencyOffer, offer.pk, case.organisation_id)


def _letter_template(world: World) -> EditPage:
    from safemoves.letters.models import LetterTemplate
    from safemoves.letters.services import letter_template_save

    manager = world.a[Role.MANAGER]
    with organisation_scope(world.a.organisation.pk):
        template, _ = letter_template_save(
            organisation_id=world.a.organisation.pk,
            actor=manager,
            template=None,
            standard_key="offer",
            changes={
                "name": "Our offer",
                "letterhead": "Alpha Homes\n1 High Street\nChatham",
                "sender_name": "{officer_name}",
                "sender_role": "Tenancy services",
                "subject": "Offer {reference}",
                "body": "Dear {tenant_name},\n\nAn offer.\n\nYours",
                "is_active": False,
            },
        )
    url = reverse("letters:template_edit", kwargs={"template_id": template.pk})
    return EditPage(url, manager, LetterTemplate, template.pk, world.a.organisation.pk)


EDIT_PAGES: dict[str, Callable[[World], EditPage]] = {
    "emergency:offer_edit (postcode)": lambda world: _emergency_offer(world, postcode="CT20 1AA"),
    "emergency:offer_edit (district)": lambda world: _emergency_offer(world, postcode=""),
    "cases:edit": _case_edit,
    "cases:contact_rules": _contact_rules,
    "cases:perpetrator_edit": _perpetrator,
    "cases:assign": _assign,
    "cases:restrict": _restrict,
    "risk:marac_update": _marac,
    "risk:settings": _risk_settings,
    "safety:appraisal": _appraisal,
    "safety:sanctuary": _sanctuary,
    "properties:edit": _home,
    "organisations:change_role": _role,
    "letters:template_edit": _letter_template,
}


@pytest.mark.parametrize("name", sorted(EDIT_PAGES))
def test_saving_an_edit_form_unchanged_keeps_every_stored_field(world: World, name: str) -> None:
    target = EDIT_PAGES[name](world)
    before = stored(target.model, target.pk, target.organisation_id)
    client = sign_in(Client(), target.user)
    for _ in range(2):
        page = client.get(target.page or target.url)
        assert page.status_code == 200
        data = form_data(page.content.decode(), action=target.url.split("?")[0] if target.page else None)
        response = client.post(target.url, data)
        assert response.status_code == 302, response.content.decode()
        assert stored(target.model, target.pk, target.organisation_id) == before


def test_the_dates_on_the_case_form_are_in_the_format_the_date_input_expects(world: World) -> None:
    case = _full_case(world)
    page = sign_in(Client(), world.a[Role.OFFICER]).get(reverse("cases:edit", kwargs={"case_id": case.pk}))
    data = form_data(page.content.decode())
    assert (data["lead_date_of_birth"], data["tenancy_start"], data["introductory_period_ends"]) == (
        "1990-05-17",
        "2019-04-01",
        "2020-04-01",
    )


def test_the_scheme_policy_saved_unchanged_makes_no_new_version(world: World) -> None:
    coordinator = world.a[Role.COORDINATOR]
    client = sign_in(Client(), coordinator)
    url = reverse("reciprocal:policy")
    # A first version, saved through the form as rendered with one value changed.
    first = form_data(client.get(url).content.decode())
    first["offer_expiry_days"] = "9"
    assert client.post(url, first).status_code == 302
    with scopes_disabled():
        versions = list(SchemePolicy.objects.order_by("version").values_list("version", flat=True))
    for _ in range(2):
        data = form_data(client.get(url).content.decode())
        assert {key: value for key, value in data.items() if key != "csrfmiddlewaretoken"} == {
            key: value for key, value in first.items() if key != "csrfmiddlewaretoken"
        }
        assert client.post(url, data).status_code == 302
    with scopes_disabled():
        assert list(SchemePolicy.objects.order_by("version").values_list("version", flat=True)) == versions
        latest = SchemePolicy.objects.order_by("-version").first()
    assert latest is not None
    assert latest.offer_expiry_days == 9


def test_the_tenancy_dates_given_when_opening_a_case_are_saved(world: World) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    response = client.post(
        reverse("cases:open"),
        {
            "source": "staff",
            "lead_name": "Robin Example",
            "lead_date_of_birth": "1988-02-29",
            "tenure": "7",
            "tenancy_start": "2021-06-14",
            "introductory_period_ends": "2022-06-14",
        },
    )
    assert response.status_code == 302
    with organisation_scope(world.a.organisation.pk):
        case = Case.objects.get()
    assert (case.lead_date_of_birth, case.tenancy_start, case.introductory_period_ends) == (
        date(1988, 2, 29),
        date(2021, 6, 14),
        date(2022, 6, 14),
    )
    assert case.received_at <= timezone.now()
