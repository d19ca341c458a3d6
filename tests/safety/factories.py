"""Cases for the risk and safety tests, made through the case services."""

from __future__ import annotations

from datetime import datetime

from safemoves.accounts.models import User
from safemoves.cases.codes import CaseSource, ConsentBasis, ConsentPurpose
from safemoves.cases.models import Case
from safemoves.cases.services import NewCase, case_assign, case_open, consent_record
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership, Role
from safemoves.risk.questions import question_set
from safemoves.safety.models import SafetyAction
from tests.factories import World


def make_case(
    world: World,
    *,
    officer: User | None = None,
    postcode: str = "ME4 4TR",
    source: str = CaseSource.STAFF,
    received_at: datetime | None = None,
) -> Case:
    """A case of landlord A opened by its staff, assigned to A's officer (or ``officer``).

    Opened with nothing said of the perpetrator's key, so no lock change is set on opening
    (a police case would get one): the safety tests set their own actions.
    """
    landlord = world.a
    with scopes_disabled():
        manager_membership = Membership.objects.get(user=landlord[Role.MANAGER])
    with organisation_scope(landlord.organisation.pk):
        case = case_open(
            membership=manager_membership,
            data=NewCase(lead_name="Dana Example", source=source, postcode=postcode, address="1 Example Street"),
        )
        case_assign(case=case, actor=landlord[Role.MANAGER], officer=officer or landlord[Role.OFFICER])
        if received_at is not None:
            Case.objects.filter(pk=case.pk).update(received_at=received_at)
        case.refresh_from_db()
    return case


def answers(yes: int, *, rest: str = "no") -> dict[str, str]:
    """The first ``yes`` questions answered yes, the others ``rest``."""
    return {key: "yes" if index < yes else rest for index, key in enumerate(question_set().keys)}


def give_consent(case: Case, actor: User, basis: str = ConsentBasis.CONSENT) -> None:
    consent_record(
        case=case,
        actor=actor,
        purpose=ConsentPurpose.AGENCY_REFERRAL,
        basis=basis,
        how_given="Verbally on the safe phone" if basis == ConsentBasis.CONSENT else "",
        notes="" if basis in (ConsentBasis.CONSENT, ConsentBasis.REFUSED, ConsentBasis.WITHDRAWN) else "Risk to life",
    )


def lock_change_of(case: Case) -> SafetyAction:
    """The case's open lock change (set when a police case, or one with a key holder, is opened)."""
    from safemoves.safety.catalogue import LOCK_CHANGE

    return SafetyAction.objects.get(case=case, action_type__code=LOCK_CHANGE, status="open")


def agree_sanctuary(case: Case, actor: User) -> None:
    """The tenant chose to stay and the landlord agreed, so sanctuary measures may be set."""
    from safemoves.safety.services import sanctuary_agreement_save

    sanctuary_agreement_save(
        case=case,
        actor=actor,
        tenant_chooses_to_stay=True,
        tenant_choice_note="In person at the office, with the IDVA",
        landlord_agrees=True,
        landlord_agreement_note="The perpetrator has left; the home can be made safe",
    )
