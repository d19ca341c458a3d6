from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safemoves.audit.models import AuditEvent
from safemoves.cases import selectors, services
from safemoves.cases.codes import CaseSource, CaseStatus, ContactChannel
from safemoves.cases.contact import ContactRefused, plan_contact
from safemoves.cases.models import Case
from safemoves.cases.services import opening
from safemoves.common.clock import LONDON, due_after_working_days
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.safety.models import SafetyAction
from tests.cases.factories import make_case
from tests.factories import World


def test_opened_case_lands_in_triage_with_a_first_contact_clock(world: World) -> None:
    case = make_case(world.a)
    assert case.status == CaseStatus.NEW
    assert case.reference == f"DA-AH-{timezone.localdate().year}-00001"
    assert case.first_contact_due_at == due_after_working_days(case.received_at, 1)
    assert case.next_due_at == case.first_contact_due_at
    manager = world.a[Role.MANAGER]
    with organisation_scope(world.a.organisation.pk):
        assert list(selectors.triage_inbox(manager.membership)) == [case]


def test_references_count_up_per_landlord(world: World) -> None:
    first, second = make_case(world.a), make_case(world.a, name="Ann Other")
    other = make_case(world.b)
    year = timezone.localdate().year
    assert [first.reference, second.reference, other.reference] == [
        f"DA-AH-{year}-00001",
        f"DA-AH-{year}-00002",
        f"DA-BH-{year}-00001",
    ]


def test_first_contact_clock_follows_the_landlord_setting(world: World) -> None:
    with organisation_scope(world.a.organisation.pk):
        settings = services.case_settings_for(world.a.organisation.pk)
        settings.first_contact_working_days = 2
        settings.save()
    case = make_case(world.a)
    assert case.first_contact_due_at == due_after_working_days(case.received_at, 2)


def test_assignment_opens_the_case_and_is_audited(world: World) -> None:
    officer = world.a[Role.OFFICER]
    case = make_case(world.a, assigned_to=officer)
    assert (case.status, case.assigned_officer_id) == (CaseStatus.OPEN, officer.pk)
    with scopes_disabled():
        actions = list(
            AuditEvent.objects.filter(object_id=str(case.pk)).order_by("seq").values_list("action", "fields")
        )
    # A police case gets its lock change as it is opened (issue 10 item 5), owned by no one while
    # the case waits in triage; it passes to the officer the case is assigned to (ADR 0031).
    assert actions == [("case.opened", ["address", "lead_date_of_birth", "lead_name", "postcode", "referral_summary",
                                        "tenure"]), ("safety.action_set", ["action_type", "due_at", "owner"]),
                       ("case.assigned", ["assigned_officer", "status"]),
                       ("safety.action_reassigned", ["owner"])]  # fmt: skip


def test_cannot_assign_to_someone_outside_the_landlord(world: World) -> None:
    case = make_case(world.a)
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as error:
        services.case_assign(case=case, actor=world.a[Role.MANAGER], officer=world.b[Role.OFFICER])
    assert error.value.message_dict == {"officer": ["Choose an officer or manager of your organisation."]}


def test_second_save_of_a_stale_edit_is_refused_and_nothing_is_overwritten(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    manager, officer = world.a[Role.MANAGER], world.a[Role.OFFICER]
    opened_version = case.version
    with organisation_scope(world.a.organisation.pk):
        services.case_update(
            case=case, actor=manager, expected_version=opened_version, changes={"address": "New Safe Street"}
        )
        with pytest.raises(services.EditConflict) as conflict:
            services.case_update(
                case=case, actor=officer, expected_version=opened_version, changes={"address": "Stale Street"}
            )
        stored = Case.objects.get(pk=case.pk)
    assert stored.address == "New Safe Street"
    message = str(conflict.value)
    assert message.startswith(f"{manager.full_name} changed this record at ")
    assert "(address) after you opened it. Your changes have not been saved" in message


def test_contact_rules_refuse_every_channel_she_has_not_agreed(world: World) -> None:
    case = make_case(world.a, full=True)  # phone and letter agreed; nothing else
    with organisation_scope(world.a.organisation.pk):
        assert plan_contact(case, ContactChannel.PHONE).destination == "07700 900123"
        assert plan_contact(case, ContactChannel.LETTER).destination == "c/o Women's Aid\nPO Box 1\nMaidstone"
        refusals = {}
        for channel in (ContactChannel.SMS, ContactChannel.EMAIL, ContactChannel.VOICEMAIL, ContactChannel.VISIT):
            with pytest.raises(ContactRefused) as refused:
                plan_contact(case, channel)
            refusals[channel.value] = refused.value.reason
    assert refusals == {
        "sms": "A text message is not allowed: the tenant has not agreed to it.",
        "email": "A e-mail is not allowed: the tenant has not agreed to e-mail.",
        "voicemail": "A voicemail is not allowed: the tenant has not agreed to it.",
        "visit": "A home visit is not allowed: the tenant has not agreed to visits.",
    }


def test_no_rules_means_no_contact_and_nothing_is_recorded(world: World) -> None:
    case = make_case(world.a)
    with organisation_scope(world.a.organisation.pk):
        with pytest.raises(ContactRefused, match="No safe-contact rules are recorded"):
            services.contact_record(case=case, actor=world.a[Role.MANAGER], channel="phone", summary="Called")
        assert case.notes.count() == 0
        assert Case.objects.get(pk=case.pk).first_contact_at is None


def test_recorded_contact_stops_the_first_contact_clock(world: World) -> None:
    # A staff-opened case; its perpetrator has a key, so the lock change's clock runs on.
    case = make_case(world.a, full=True, source=CaseSource.STAFF)
    with organisation_scope(world.a.organisation.pk):
        [lock_due] = SafetyAction.objects.filter(case=case, status="open").values_list("due_at", flat=True)
        services.contact_record(case=case, actor=world.a[Role.MANAGER], channel="phone", summary="Safe to talk.")
        stored = Case.objects.get(pk=case.pk)
    assert stored.first_contact_at is not None
    assert stored.next_due_at == lock_due


def test_consent_without_consent_needs_a_reason(world: World) -> None:
    case = make_case(world.a)
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as error:
        services.consent_record(
            case=case, actor=world.a[Role.MANAGER], purpose="agency_referral", basis="marac_high_risk"
        )
    assert error.value.message_dict == {"notes": ["Explain why sharing without consent is justified."]}


def test_withdrawn_consent_is_no_longer_in_force(world: World) -> None:
    case = make_case(world.a, full=True)
    with organisation_scope(world.a.organisation.pk):
        assert services.consent_in_force(case, "agency_referral") is not None
        services.consent_record(case=case, actor=world.a[Role.MANAGER], purpose="agency_referral", basis="withdrawn")
        assert services.consent_in_force(case, "agency_referral") is None


def test_search_finds_cases_by_name_words_and_reference_within_the_landlord(world: World) -> None:
    jane = make_case(world.a, name="Jane Amelia Example")
    make_case(world.a, name="Someone Else")
    make_case(world.b, name="Jane Amelia Example")
    manager = world.a[Role.MANAGER]
    with organisation_scope(world.a.organisation.pk):
        membership = manager.membership
        assert list(selectors.search(membership, "jane example")) == [jane]
        assert list(selectors.search(membership, "EXAMPLE")) == [jane]
        assert list(selectors.search(membership, jane.reference.lower())) == [jane]
        assert list(selectors.search(membership, "jane nobody")) == []


def test_restricted_case_is_invisible_to_unnamed_colleagues(world: World) -> None:
    case = make_case(world.a)
    manager = world.a[Role.MANAGER]
    from tests.factories import make_member

    second_manager = make_member(world.a.organisation, Role.MANAGER, email="second.manager@alpha.test")
    with organisation_scope(world.a.organisation.pk):
        services.case_restrict(case=case, actor=manager, restricted=True, named_staff=[])
        assert list(selectors.visible_cases(manager.membership)) == [case]
        assert list(selectors.visible_cases(second_manager.membership)) == []
        assert list(selectors.visible_cases(world.a[Role.OFFICER].membership)) == []
        assert list(selectors.visible_cases(world.a[Role.AUDITOR].membership)) == []


def test_purge_removes_everything_personal_and_keeps_an_id_only_event(world: World) -> None:
    case = make_case(world.a, full=True)
    with organisation_scope(world.a.organisation.pk):
        services.case_close(case=case, actor=world.a[Role.MANAGER], outcome="safe_at_home")
        services.case_purge(case=case, actor=None, reason="test")
        assert not Case.objects.filter(pk=case.pk).exists()
    from django.apps import apps

    with scopes_disabled():
        for model in ("HouseholdMember", "Perpetrator", "CourtOrder", "SafeContactRules", "Consent", "CaseNote"):
            assert apps.get_model("cases", model).objects.count() == 0, model
        purge = AuditEvent.objects.get(action="case.purged")
    assert (purge.object_id, purge.fields) == (str(case.pk), [])


def test_clock_uses_london_working_days_for_a_friday_evening_referral(world: World) -> None:
    friday_evening = datetime(2026, 12, 18, 19, 30, tzinfo=LONDON)
    with organisation_scope(world.a.organisation.pk):
        case = opening._create_case(
            organisation_id=world.a.organisation.pk,
            data=services.NewCase(lead_name="Weekend Referral", source="police"),
            actor=None,
            received_at=friday_evening,
        )
    assert case.first_contact_due_at == datetime(2026, 12, 21, 19, 30, tzinfo=LONDON)
