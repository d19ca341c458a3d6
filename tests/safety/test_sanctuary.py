"""Sanctuary only where it is safe (issue 10, item 6).

No sanctuary survey or measures while the perpetrator lives at the address; measures only
after the tenant's choice to stay and the landlord's agreement are recorded.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from safemoves.audit.models import AuditEvent
from safemoves.cases.codes import Relationship
from safemoves.cases.models import Case
from safemoves.cases.services import perpetrator_add, perpetrator_update
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.safety.models import SafetyAction, SanctuaryAgreement
from safemoves.safety.services import (
    NO_SANCTUARY_AGREEMENT,
    PERPETRATOR_AT_HOME,
    safety_action_complete,
    safety_action_create,
    sanctuary_agreement_save,
)
from tests.factories import World, sign_in
from tests.safety.factories import agree_sanctuary, make_case


def _codes(case: Case) -> list[str]:
    return sorted(SafetyAction.objects.filter(case=case).values_list("action_type__code", flat=True))


def test_no_sanctuary_while_the_perpetrator_lives_at_the_address(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    agree_sanctuary(case, officer)
    perpetrator = perpetrator_add(
        case=case, actor=officer, name="Chris Harmer", relationship=Relationship.PARTNER,
        lives_at_address=True, joint_tenant=True, has_key=True,
    )  # fmt: skip
    before = _codes(case)
    for code in ("sanctuary_survey", "sanctuary_measures"):
        with pytest.raises(ValidationError) as caught:
            safety_action_create(case=case, actor=officer, type_code=code)
        assert caught.value.messages == [PERPETRATOR_AT_HOME]
    assert PERPETRATOR_AT_HOME.startswith("Sanctuary is not safe while the perpetrator lives at the address")
    assert _codes(case) == before
    perpetrator_update(case=case, actor=officer, perpetrator=perpetrator, changes={"lives_at_address": False})
    survey = safety_action_create(case=case, actor=officer, type_code="sanctuary_survey")
    assert survey.status == "open"


def test_a_survey_done_while_the_perpetrator_moved_back_sets_nothing(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    agree_sanctuary(case, officer)
    survey = safety_action_create(case=case, actor=officer, type_code="sanctuary_survey")
    perpetrator_add(
        case=case, actor=officer, name="Chris Harmer", relationship=Relationship.PARTNER,
        lives_at_address=True, joint_tenant=False, has_key=False,
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        safety_action_complete(action=survey, actor=officer, evidence_note="Survey done")
    assert caught.value.messages == [PERPETRATOR_AT_HOME]
    assert SafetyAction.objects.get(pk=survey.pk).status == "open"
    assert "sanctuary_measures" not in _codes(case)


def test_measures_need_the_tenants_choice_and_the_landlords_agreement(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    survey = safety_action_create(case=case, actor=officer, type_code="sanctuary_survey")
    with pytest.raises(ValidationError) as direct:
        safety_action_create(case=case, actor=officer, type_code="sanctuary_measures")
    assert direct.value.messages == [NO_SANCTUARY_AGREEMENT]
    with pytest.raises(ValidationError) as by_survey:
        safety_action_complete(action=survey, actor=officer, evidence_note="Survey done")
    assert by_survey.value.messages == [NO_SANCTUARY_AGREEMENT]
    assert SafetyAction.objects.get(pk=survey.pk).status == "open"
    # The tenant's choice alone is not enough.
    sanctuary_agreement_save(
        case=case,
        actor=officer,
        tenant_chooses_to_stay=True,
        tenant_choice_note="By phone on the safe number",
        landlord_agrees=False,
        landlord_agreement_note="",
    )
    with pytest.raises(ValidationError):
        safety_action_create(case=case, actor=officer, type_code="sanctuary_measures")
    agree_sanctuary(case, officer)
    follow_ups = safety_action_complete(action=survey, actor=officer, evidence_note="Survey done")
    assert [item.action_type.code for item in follow_ups] == [
        "sanctuary_measures",
        "sanctuary_review_3m",
        "sanctuary_review_6m",
    ]


def test_the_agreement_is_validated_and_audited(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    with pytest.raises(ValidationError) as caught:
        sanctuary_agreement_save(
            case=case,
            actor=officer,
            tenant_chooses_to_stay=False,
            tenant_choice_note="",
            landlord_agrees=True,
            landlord_agreement_note="",
        )
    assert caught.value.message_dict == {
        "landlord_agrees": ["The landlord can agree to sanctuary only once the tenant has chosen to stay."],
        "landlord_agreement_note": ["Give the reasons for agreeing (for example, the home can be made safe)."],
    }
    assert not SanctuaryAgreement.objects.exists()
    agreement = sanctuary_agreement_save(
        case=case,
        actor=officer,
        tenant_chooses_to_stay=True,
        tenant_choice_note="In person, with the IDVA",
        landlord_agrees=True,
        landlord_agreement_note="The perpetrator has left; the home can be made safe",
    )
    assert (agreement.is_in_place, agreement.agreed_by, agreement.version) == (True, officer, 1)
    with scopes_disabled():
        event = AuditEvent.objects.get(action="safety.sanctuary_agreement_saved")
    assert event.fields == [
        "landlord_agreement_note",
        "landlord_agrees",
        "tenant_choice_note",
        "tenant_chooses_to_stay",
    ]
    assert event.reason == f"agreement {agreement.pk}: in place"


def test_the_sanctuary_page_records_the_choice_and_warns_while_the_perpetrator_lives_there(world: World) -> None:
    officer = world.a[Role.OFFICER]
    case = make_case(world)
    with organisation_scope(world.a.organisation.pk):
        perpetrator_add(
            case=case, actor=officer, name="Chris Harmer", relationship=Relationship.PARTNER,
            lives_at_address=True, joint_tenant=False, has_key=False,
        )  # fmt: skip
    client = sign_in(Client(), officer)
    url = reverse("safety:sanctuary", kwargs={"case_id": case.pk})
    page = client.get(url).content.decode()
    assert "The perpetrator is recorded as living at the address: sanctuary is not safe" in page
    response = client.post(
        url,
        {
            "tenant_chooses_to_stay": "on",
            "tenant_choice_note": "In person",
            "landlord_agrees": "on",
            "landlord_agreement_note": "Order in place",
        },
    )
    assert response.status_code == 302
    with organisation_scope(world.a.organisation.pk):
        assert SanctuaryAgreement.objects.get(case=case).is_in_place
