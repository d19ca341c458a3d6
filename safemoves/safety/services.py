"""Writes of safety actions, the agency directory, agency referrals and the options appraisal.

Each service is atomic, validates before writing and records its audit event in the same
transaction (ids, codes and field names only). Mail goes out after commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.services import record_event
from safemoves.cases.codes import Answer, CaseSource, CaseStatus, ConsentPurpose
from safemoves.cases.extensions import CaseOpened
from safemoves.cases.models import Case, Perpetrator
from safemoves.cases.policies import can_view_case
from safemoves.cases.services import consent_in_force, perpetrator_keys_cleared, refresh_next_due
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.geo import PostcodeError, area_name, is_known_area, lookup_postcode
from safemoves.notifications.codes import NotificationKind
from safemoves.notifications.services import notify
from safemoves.organisations.models import Membership, Role
from safemoves.safety.catalogue import (
    AFTER_SURVEY,
    CATALOGUE,
    LOCK_CHANGE,
    SANCTUARY_MEASURES,
    SANCTUARY_SURVEY,
)
from safemoves.safety.clocks import due_at
from safemoves.safety.codes import (
    REFERRAL_TRANSITIONS,
    ActionStatus,
    AgencyKind,
    Option,
    PlaceKind,
    Priority,
    ReferralStatus,
    RelativeTo,
)
from safemoves.safety.models import (
    Agency,
    AgencyReferral,
    OptionsAppraisal,
    Place,
    SafetyAction,
    SafetyActionType,
    SanctuaryAgreement,
)

logger = logging.getLogger(__name__)

MAX_RADIUS_KM = Decimal("100")


# --- safety actions ---------------------------------------------------------------------


def ensure_action_catalogue() -> None:
    """Create any catalogue type that is missing (the data migration normally has).

    Only missing codes are added: a type an operator has deactivated stays deactivated.
    """
    present = set(SafetyActionType.objects.values_list("code", flat=True))
    SafetyActionType.objects.bulk_create(
        [SafetyActionType(**item) for item in CATALOGUE if item["code"] not in present], ignore_conflicts=True
    )


def _catalogue_type(code: str) -> SafetyActionType | None:
    found = SafetyActionType.objects.filter(code=code).first()
    if found is None and any(item["code"] == code for item in CATALOGUE):
        ensure_action_catalogue()
        found = SafetyActionType.objects.filter(code=code).first()
    return found if found is not None and found.is_active else None


def _action_type(code: str) -> SafetyActionType:
    action_type = _catalogue_type(code)
    if action_type is None:
        raise ValidationError({"action_type": "Choose a safety action from the list."})
    return action_type


def _check_owner(case: Case, owner: User) -> None:
    worker = Membership.objects.filter(
        user=owner, organisation_id=case.organisation_id, is_active=True, role__in=[Role.OFFICER, Role.MANAGER]
    ).exists()
    if not worker:
        raise ValidationError({"owner": "Choose an officer or manager of your organisation."})


def _clock_start(case: Case, action_type: SafetyActionType, starts_at: datetime | None) -> datetime:
    if starts_at is not None:
        # A move can be booked ahead; every other clock starts from something that has happened.
        if starts_at > timezone.now() and action_type.relative_to != RelativeTo.MOVE_DATE:
            raise ValidationError({"starts_at": "The clock cannot start in the future."})
        return starts_at
    if action_type.relative_to == RelativeTo.REFERRAL:
        return case.received_at
    if action_type.relative_to == RelativeTo.CREATED:
        return timezone.now()
    what = RelativeTo(action_type.relative_to).label.lower()
    raise ValidationError({"starts_at": f"Enter when the clock starts ({what})."})


def _create_action(
    *,
    case: Case,
    actor: User | None,
    action_type: SafetyActionType,
    owner: User | None,
    starts_at: datetime,
    follows: SafetyAction | None = None,
) -> SafetyAction:
    if SafetyAction.objects.filter(case=case, action_type=action_type, status=ActionStatus.OPEN).exists():
        raise ValidationError({"action_type": f"“{action_type.label}” is already open on this case."})
    action = SafetyAction.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        action_type=action_type,
        owner=owner,
        starts_at=starts_at,
        due_at=due_at(clock_kind=action_type.clock_kind, amount=action_type.amount, starts_at=starts_at),
        follows=follows,
        created_by=actor,
    )
    record_event(
        action="safety.action_set",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=["action_type", "owner", "due_at"],
        reason=f"action {action.pk}: {action_type.code}",
    )
    return action


PERPETRATOR_AT_HOME = (
    "Sanctuary is not safe while the perpetrator lives at the address: a survey or measures cannot be set. "
    "Record that they have left the address first."
)
NO_SANCTUARY_AGREEMENT = (
    "Record the tenant's choice to stay at home and the landlord's agreement (Sanctuary: choice and agreement) "
    "before sanctuary measures are set."
)


def _check_sanctuary(case: Case, code: str) -> None:
    """Sanctuary only where it is safe, chosen by the tenant and agreed by the landlord."""
    if code not in (SANCTUARY_SURVEY, SANCTUARY_MEASURES):
        return
    if Perpetrator.objects.filter(case=case, lives_at_address=True).exists():
        raise ValidationError(PERPETRATOR_AT_HOME)
    if code == SANCTUARY_MEASURES:
        agreement = SanctuaryAgreement.objects.filter(case=case).first()
        if agreement is None or not agreement.is_in_place:
            raise ValidationError(NO_SANCTUARY_AGREEMENT)


@transaction.atomic
def safety_action_create(
    *, case: Case, actor: User, type_code: str, owner: User | None = None, starts_at: datetime | None = None
) -> SafetyAction:
    """Set a safety action on its clock; ``starts_at`` is needed for survey- or move-relative clocks."""
    if case.is_closed:
        raise ValidationError("A closed case has no open safety actions.")
    action_type = _action_type(type_code)
    _check_sanctuary(case, action_type.code)
    owner = owner or case.assigned_officer or actor
    _check_owner(case, owner)
    action = _create_action(
        case=case,
        actor=actor,
        action_type=action_type,
        owner=owner,
        starts_at=_clock_start(case, action_type, starts_at),
    )
    refresh_next_due(case)
    return action


@transaction.atomic
def safety_actions_for_new_case(case: Case, actor: User | None) -> list[SafetyAction]:
    """The first-day actions of a new case: the lock change, due 24 hours from the referral.

    Safe to call more than once: an action type already on the case is not set again.
    """
    action_type = _catalogue_type(LOCK_CHANGE)
    if action_type is None or case.is_closed:
        return []
    if SafetyAction.objects.filter(case=case, action_type=action_type).exists():
        return []
    action = _create_action(
        case=case,
        actor=actor,
        action_type=action_type,
        owner=case.assigned_officer,
        starts_at=case.received_at,
    )
    refresh_next_due(case)
    return [action]


# Who opened the case does not matter: these facts put the lock change on the first day.
LOCK_CHANGE_ANSWERS = (Answer.YES, Answer.NOT_KNOWN)


def lock_change_needed(*, source: str, perpetrator_at_address: str, perpetrator_has_key: str) -> bool:
    """A police report, or a perpetrator who has (or had, or may have) a key or lives at the address."""
    return (
        source == CaseSource.POLICE
        or perpetrator_at_address in LOCK_CHANGE_ANSWERS
        or perpetrator_has_key in LOCK_CHANGE_ANSWERS
    )


def lock_change_on_case_opened(event: CaseOpened) -> None:
    """Case-opened hook: the lock change on its 24-hour clock from the referral, when needed."""
    if lock_change_needed(
        source=event.case.source,
        perpetrator_at_address=event.perpetrator_at_address,
        perpetrator_has_key=event.perpetrator_has_key,
    ):
        safety_actions_for_new_case(event.case, event.actor)


def lock_change_on_perpetrator(case: Case, perpetrator: Perpetrator, actor: User | None) -> None:
    """Perpetrator hook: one with a key or living at the address, on an open case whose locks
    are not changed or being changed, sets the lock change, due 24 hours from now (when we learnt it)."""
    if case.is_closed or not (perpetrator.has_key or perpetrator.lives_at_address):
        return
    action_type = _catalogue_type(LOCK_CHANGE)
    if action_type is None:
        return
    if SafetyAction.objects.filter(
        case=case, action_type=action_type, status__in=[ActionStatus.OPEN, ActionStatus.DONE]
    ).exists():
        return
    _create_action(
        case=case,
        actor=actor,
        action_type=action_type,
        owner=case.assigned_officer or actor,
        starts_at=timezone.now(),
    )
    refresh_next_due(case)


@transaction.atomic
def safety_action_complete(
    *, action: SafetyAction, actor: User, evidence_note: str, done_at: datetime | None = None
) -> list[SafetyAction]:
    """Mark the action done with its evidence; a sanctuary survey sets the measures and reviews.

    Returns the follow-up actions it set.
    """
    current = SafetyAction.objects.select_for_update().select_related("action_type", "case").get(pk=action.pk)
    if current.status != ActionStatus.OPEN:
        raise ValidationError(f"This action is already {current.get_status_display().lower()}.")
    if not evidence_note.strip():
        raise ValidationError(
            {"evidence_note": "Say what was done (for example: locks changed by the contractor, job number)."}
        )
    now = timezone.now()
    done_at = done_at or now
    if done_at > now:
        raise ValidationError({"done_at": "The time it was done cannot be in the future."})
    if current.action_type.code == SANCTUARY_SURVEY:
        # Completing the survey sets the measures on their clock: both must be allowed now.
        _check_sanctuary(current.case, SANCTUARY_SURVEY)
        _check_sanctuary(current.case, SANCTUARY_MEASURES)
    current.status = ActionStatus.DONE
    current.done_at = done_at
    current.evidence_note = evidence_note.strip()
    current.save(update_fields=["status", "done_at", "evidence_note"])
    record_event(
        action="safety.action_done",
        actor=actor,
        organisation_id=current.organisation_id,
        object_type="case",
        object_id=current.case_id,
        fields=["status", "done_at", "evidence_note"],
        reason=f"action {current.pk}: {current.action_type.code}{' late' if current.done_late else ''}",
    )
    if current.action_type.code == LOCK_CHANGE:
        perpetrator_keys_cleared(case=current.case, actor=actor, reason=f"locks changed, action {current.pk}")
    follow_ups: list[SafetyAction] = []
    if current.action_type.code == SANCTUARY_SURVEY:
        for code in AFTER_SURVEY:
            action_type = _catalogue_type(code)
            if action_type is None:
                continue
            follow_ups.append(
                _create_action(
                    case=current.case,
                    actor=actor,
                    action_type=action_type,
                    owner=current.owner,
                    starts_at=done_at,
                    follows=current,
                )
            )
    refresh_next_due(current.case)
    action.refresh_from_db()
    return follow_ups


@transaction.atomic
def safety_action_cancel(*, action: SafetyAction, actor: User, reason: str) -> None:
    current = SafetyAction.objects.select_for_update().select_related("action_type", "case").get(pk=action.pk)
    if current.status != ActionStatus.OPEN:
        raise ValidationError(f"This action is already {current.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the action is no longer needed."})
    current.status = ActionStatus.CANCELLED
    current.evidence_note = reason.strip()
    current.save(update_fields=["status", "evidence_note"])
    record_event(
        action="safety.action_cancelled",
        actor=actor,
        organisation_id=current.organisation_id,
        object_type="case",
        object_id=current.case_id,
        fields=["status", "evidence_note"],
        reason=f"action {current.pk}: {current.action_type.code}",
    )
    refresh_next_due(current.case)
    action.refresh_from_db()


@transaction.atomic
def sanctuary_agreement_save(
    *,
    case: Case,
    actor: User,
    tenant_chooses_to_stay: bool,
    tenant_choice_note: str,
    landlord_agrees: bool,
    landlord_agreement_note: str,
) -> SanctuaryAgreement:
    """Record the tenant's choice to stay at home and the landlord's agreement to sanctuary."""
    errors: dict[str, str] = {}
    if tenant_chooses_to_stay and not tenant_choice_note.strip():
        errors["tenant_choice_note"] = "Say how and when the tenant told us they choose to stay."
    if landlord_agrees and not tenant_chooses_to_stay:
        errors["landlord_agrees"] = "The landlord can agree to sanctuary only once the tenant has chosen to stay."
    if landlord_agrees and not landlord_agreement_note.strip():
        errors["landlord_agreement_note"] = "Give the reasons for agreeing (for example, the home can be made safe)."
    if errors:
        raise ValidationError(errors)
    if case.is_closed:
        raise ValidationError("This case is closed.")
    agreement = SanctuaryAgreement.objects.select_for_update().filter(case=case).first()
    if agreement is None:
        agreement = SanctuaryAgreement(organisation_id=case.organisation_id, case=case, version=0)
    values = {
        "tenant_chooses_to_stay": tenant_chooses_to_stay,
        "tenant_choice_note": tenant_choice_note.strip() if tenant_chooses_to_stay else "",
        "landlord_agrees": landlord_agrees,
        "landlord_agreement_note": landlord_agreement_note.strip() if landlord_agrees else "",
    }
    changed = [name for name, value in values.items() if getattr(agreement, name) != value]
    if not changed and agreement.pk and agreement.version:
        return agreement
    for name in changed:
        setattr(agreement, name, values[name])
    if "landlord_agrees" in changed:
        agreement.agreed_by = actor if landlord_agrees else None
        agreement.agreed_at = timezone.now() if landlord_agrees else None
    agreement.version += 1
    agreement.updated_at = timezone.now()
    agreement.save()
    record_event(
        action="safety.sanctuary_agreement_saved",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=changed,
        reason=f"agreement {agreement.pk}: {'in place' if agreement.is_in_place else 'not in place'}",
    )
    return agreement


def next_open_due(case: Case) -> datetime | None:
    """Clock source for ``Case.next_due_at``: the earliest open safety action."""
    first = SafetyAction.objects.filter(case_id=case.pk, status=ActionStatus.OPEN).order_by("due_at").first()
    return first.due_at if first else None


# --- breach notices (``safemoves tick``) --------------------------------------------------


@dataclass(frozen=True)
class BreachNotice:
    action_id: str
    case_reference: str
    action_label: str
    recipients: tuple[str, ...]


def _breach_recipients(case: Case) -> list[str]:
    managers = Membership.objects.filter(
        organisation_id=case.organisation_id, role=Role.MANAGER, is_active=True, user__is_active=True
    ).select_related("user")
    # A restricted case is reported only to the managers named on it.
    return sorted(member.user.email for member in managers if member.user.email and can_view_case(member, case))


def _notify_breach(action: SafetyAction, emailed: list[str]) -> None:
    """In-application notice of the breach to the case's officer and the managers who may see
    the case (the managers' e-mail has gone by ``_send_breach_mail``)."""
    case = action.case
    managers = Membership.objects.filter(
        organisation_id=case.organisation_id, role=Role.MANAGER, is_active=True, user__is_active=True
    ).select_related("user")
    people = [member.user for member in managers if can_view_case(member, case)]
    notify(
        organisation_id=case.organisation_id,
        recipients=[*people, case.assigned_officer],
        kind=NotificationKind.CLOCK_BREACHED,
        reference=case.reference,
        link=reverse("cases:detail", kwargs={"case_id": case.pk}),
        once_key=f"breach:{action.pk}",
        already_emailed=emailed,
    )


def _send_breach_mail(notice: BreachNotice) -> None:
    subject = f"Safety action overdue: {notice.action_label}, case {notice.case_reference}"
    body = (
        f"A safety action on case {notice.case_reference} has passed its deadline and is not done.\n\n"
        f"Action: {notice.action_label}\n\n"
        "Sign in to SafeMoves and open Overdue actions to see it.\n"
        "This message holds no personal details on purpose; do not forward it outside your organisation.\n"
    )
    send_mail(subject, body, None, list(notice.recipients))


def safety_breaches_notify(*, now: datetime | None = None) -> list[BreachNotice]:
    """Tell each landlord's managers, once, of every open safety action past its deadline.

    Each breach is claimed in its own transaction (``breach_notified_at`` set, audit event
    written) and its e-mail sent after that commit, so a second run finds nothing to send
    and a failure part-way leaves the rest for the next run.
    """
    now = now or timezone.now()
    with scopes_disabled():
        due = list(
            SafetyAction.objects.filter(
                status=ActionStatus.OPEN, done_at__isnull=True, breach_notified_at__isnull=True, due_at__lt=now
            )
            # A closed case's clocks have stopped: nobody is told of a breach on it.
            .exclude(case__status=CaseStatus.CLOSED)
            .order_by("due_at")
            .values_list("pk", "organisation_id")
        )
    notices: list[BreachNotice] = []
    for action_id, organisation_id in due:
        with organisation_scope(organisation_id), transaction.atomic():
            action = (
                SafetyAction.objects.select_for_update()
                .select_related("action_type", "case", "case__organisation")
                .filter(pk=action_id, breach_notified_at__isnull=True, status=ActionStatus.OPEN)
                .first()
            )
            if action is None:
                continue
            action.breach_notified_at = now
            action.save(update_fields=["breach_notified_at"])
            recipients = _breach_recipients(action.case)
            notice = BreachNotice(
                action_id=str(action.pk),
                case_reference=action.case.reference,
                action_label=action.action_type.label,
                recipients=tuple(recipients),
            )
            record_event(
                action="safety.breach_notified",
                actor=None,
                organisation_id=organisation_id,
                object_type="case",
                object_id=action.case_id,
                fields=["breach_notified_at"],
                reason=f"action {action.pk}: {action.action_type.code}, {len(recipients)} manager(s)",
            )
            _notify_breach(action, recipients)
            if recipients:
                transaction.on_commit(lambda notice=notice: _send_breach_mail(notice))  # type: ignore[misc]
            else:
                logger.warning("Overdue safety action %s has no manager to notify", action.pk)
            notices.append(notice)
    return notices


# --- agency directory and referrals -------------------------------------------------------


@transaction.atomic
def agency_create(
    *,
    organisation_id: int,
    actor: User,
    name: str,
    kind: str,
    area_codes: Sequence[str] = (),
    phone: str = "",
    email: str = "",
    website: str = "",
    notes: str = "",
) -> Agency:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the service's name."
    elif Agency.objects.filter(organisation_id=organisation_id, name__iexact=name.strip()).exists():
        errors["name"] = "Your directory already has a service with this name."
    if kind not in AgencyKind.values:
        errors["kind"] = "Choose the kind of service."
    unknown = [code for code in area_codes if not is_known_area(code)]
    if unknown:
        errors["area_codes"] = "Choose the areas from the list."
    if not phone.strip() and not email.strip():
        errors["phone"] = "Enter the service's phone number or e-mail address."
    if errors:
        raise ValidationError(errors)
    agency = Agency.objects.create(
        organisation_id=organisation_id,
        name=name.strip(),
        kind=kind,
        area_codes=sorted(set(area_codes)),
        phone=phone.strip(),
        email=email.strip(),
        website=website.strip(),
        notes=notes.strip(),
    )
    record_event(
        action="safety.agency_created",
        actor=actor,
        organisation_id=organisation_id,
        object_type="agency",
        object_id=agency.pk,
        fields=["name", "kind", "area_codes", "phone", "email"],
    )
    return agency


@transaction.atomic
def agency_referral_create(*, case: Case, actor: User, agency: Agency, purpose: str = "") -> AgencyReferral:
    """Refer the household to a support agency, on her consent or a recorded lawful basis."""
    if case.is_closed:
        raise ValidationError("This case is closed.")
    if agency.organisation_id != case.organisation_id or not agency.is_active:
        raise ValidationError({"agency": "Choose a service from your directory."})
    consent = consent_in_force(case, ConsentPurpose.AGENCY_REFERRAL)
    if consent is None:
        raise ValidationError(
            "No consent to referrals is in force for this case. Record the tenant's consent, or the lawful basis "
            "for referring without it, before referring to an agency."
        )
    if AgencyReferral.objects.filter(
        case=case, agency=agency, status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]
    ).exists():
        raise ValidationError({"agency": f"There is already a live referral to {agency.name}."})
    referral = AgencyReferral.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        agency=agency,
        consent=consent,
        sharing_basis=consent.basis,
        purpose=purpose.strip(),
        created_by=actor,
    )
    record_event(
        action="safety.agency_referred",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=["agency", *(["purpose"] if purpose.strip() else [])],
        reason=f"referral {referral.pk} to agency {agency.pk}: {consent.basis}",
    )
    return referral


@transaction.atomic
def agency_referral_transition(
    *, referral: AgencyReferral, actor: User, to_status: str, reason: str = ""
) -> AgencyReferral:
    """Move a referral on: sent → accepted or declined (with reason) → done, or withdrawn."""
    current = AgencyReferral.objects.select_for_update().select_related("agency").get(pk=referral.pk)
    if to_status not in ReferralStatus.values:
        raise ValidationError({"status": "Choose what happened from the list."})
    if to_status not in REFERRAL_TRANSITIONS[current.status]:
        raise ValidationError(
            {
                "status": f"A referral that is {current.get_status_display().lower()} cannot become "
                f"{ReferralStatus(to_status).label.lower()}."
            }
        )
    if to_status == ReferralStatus.DECLINED and not reason.strip():
        raise ValidationError({"reason": "Give the reason the agency declined."})
    fields = ["status"]
    current.status = to_status
    current.status_changed_at = timezone.now()
    if to_status == ReferralStatus.DECLINED:
        current.decline_reason = reason.strip()
        fields.append("decline_reason")
    current.save(update_fields=[*fields, "status_changed_at"])
    record_event(
        action="safety.agency_referral_updated",
        actor=actor,
        organisation_id=current.organisation_id,
        object_type="case",
        object_id=current.case_id,
        fields=fields,
        reason=f"referral {current.pk}: {to_status}",
    )
    referral.refresh_from_db()
    return current


# --- options appraisal --------------------------------------------------------------------


def _appraisal_for_update(case: Case) -> OptionsAppraisal:
    appraisal = OptionsAppraisal.objects.select_for_update().filter(case=case).first()
    if appraisal is None:
        appraisal = OptionsAppraisal.objects.create(organisation_id=case.organisation_id, case=case, version=0)
    return appraisal


@transaction.atomic
def appraisal_save(
    *,
    case: Case,
    actor: User,
    options_considered: Iterable[str],
    own_stock_unsuitable: bool,
    own_stock_reason: str,
    priorities: Iterable[str],
    priorities_other: str,
    tenant_wishes: str,
    decision: str,
    decision_reason: str,
) -> OptionsAppraisal:
    """Record the options weighed with her, her priorities and (when made) the decision.

    A reciprocal move can be chosen only once a transfer in our own stock is recorded as
    unsuitable, with the reason.
    """
    options = sorted(set(options_considered))
    chosen_priorities = sorted(set(priorities))
    errors: dict[str, str] = {}
    if set(options) - set(Option.values):
        errors["options_considered"] = "Choose the options from the list."
    if set(chosen_priorities) - set(Priority.values):
        errors["priorities"] = "Choose the tenant's priorities from the list."
    if Priority.OTHER in chosen_priorities and not priorities_other.strip():
        errors["priorities_other"] = "Say what the other priority is."
    if own_stock_unsuitable and not own_stock_reason.strip():
        errors["own_stock_reason"] = "Say why a transfer within our own stock is not suitable."
    if decision:
        if decision not in Option.values:
            errors["decision"] = "Choose the decision from the list."
        elif decision not in options:
            errors["decision"] = "The decision must be one of the options considered."
        elif decision == Option.RECIPROCAL and not (own_stock_unsuitable and own_stock_reason.strip()):
            errors["decision"] = (
                "A reciprocal move can be chosen only once a transfer within our own stock is recorded "
                "as unsuitable, with the reason."
            )
        if not decision_reason.strip():
            errors["decision_reason"] = "Give the reasons for the decision."
    if errors:
        raise ValidationError(errors)
    if case.is_closed:
        raise ValidationError("This case is closed.")
    appraisal = _appraisal_for_update(case)
    values = {
        "options_considered": options,
        "own_stock_unsuitable": own_stock_unsuitable,
        "own_stock_reason": own_stock_reason.strip() if own_stock_unsuitable else "",
        "priorities": chosen_priorities,
        "priorities_other": priorities_other.strip() if Priority.OTHER in chosen_priorities else "",
        "tenant_wishes": tenant_wishes.strip(),
        "decision": decision,
        "decision_reason": decision_reason.strip() if decision else "",
    }
    changed = [name for name, value in values.items() if getattr(appraisal, name) != value]
    if not changed and appraisal.version:
        return appraisal  # An unchanged save changes nothing.
    for name in changed:
        setattr(appraisal, name, values[name])
    if "decision" in changed or "decision_reason" in changed:
        appraisal.decided_by = actor if decision else None
        appraisal.decided_at = timezone.now() if decision else None
    appraisal.version += 1
    appraisal.updated_at = timezone.now()
    appraisal.save()
    record_event(
        action="safety.options_saved",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=changed,
        reason=f"appraisal {appraisal.pk}: {decision or 'no decision'}",
    )
    return appraisal


def _radius(radius_km: Decimal | str | None) -> Decimal:
    try:
        radius = Decimal(str(radius_km)) if radius_km not in (None, "") else None
    except InvalidOperation:
        radius = None
    if radius is None or not Decimal("0.1") <= radius <= MAX_RADIUS_KM:
        raise ValidationError({"radius_km": f"Enter a distance from 0.1 to {MAX_RADIUS_KM} km."})
    return radius.quantize(Decimal("0.1"))


@transaction.atomic
def place_add(
    *,
    case: Case,
    actor: User,
    kind: str,
    label: str = "",
    postcode: str = "",
    area_code: str = "",
    radius_km: Decimal | str | None = None,
) -> Place:
    """A place she wants to be near, or must avoid: a postcode with a radius, or a whole council area.

    The postcode is resolved offline; the exact point stays encrypted inside this landlord.
    """
    if kind not in PlaceKind.values:
        raise ValidationError({"kind": "Choose whether the tenant wants to be near this place or avoid it."})
    postcode, area_code = postcode.strip(), area_code.strip()
    if bool(postcode) == bool(area_code):
        raise ValidationError({"postcode": "Enter a postcode, or choose an area from the list (not both)."})
    if case.is_closed:
        raise ValidationError("This case is closed.")
    if postcode:
        try:
            found = lookup_postcode(postcode)
        except PostcodeError:
            raise ValidationError(
                {"postcode": "Enter a full UK postcode that exists, like ME1 1AA; this one was not found."}
            ) from None
        radius = _radius(radius_km)
        appraisal = _appraisal_for_update(case)
        place = Place.objects.create(
            organisation_id=case.organisation_id,
            appraisal=appraisal,
            kind=kind,
            label=label.strip(),
            postcode=found.postcode,
            lat=f"{found.lat:.6f}",
            lon=f"{found.lon:.6f}",
            radius_km=radius,
            area_code=found.area_code,
            is_area=False,
        )
        fields = ["kind", "label", "postcode", "lat", "lon", "radius_km", "area_code"]
    else:
        if not is_known_area(area_code):
            raise ValidationError({"area_code": "Choose the area from the list."})
        appraisal = _appraisal_for_update(case)
        if Place.objects.filter(appraisal=appraisal, is_area=True, area_code=area_code).exists():
            raise ValidationError({"area_code": f"{area_name(area_code)} is already on the list."})
        place = Place.objects.create(
            organisation_id=case.organisation_id,
            appraisal=appraisal,
            kind=kind,
            label=label.strip(),
            area_code=area_code,
            is_area=True,
        )
        fields = ["kind", "area_code", *(["label"] if label.strip() else [])]
    record_event(
        action="safety.place_added",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=fields,
        reason=f"place {place.pk}: {kind}",
    )
    return place


@transaction.atomic
def place_remove(*, case: Case, actor: User, place: Place) -> None:
    if place.appraisal.case_id != case.pk:
        raise ValidationError("That place is not on this case.")
    place_id = place.pk
    place.delete()
    record_event(
        action="safety.place_removed",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        reason=f"place {place_id}",
    )
