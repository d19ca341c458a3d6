"""Fictional domestic-abuse cases for the demo consortium: about 30 per officer, in every state."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.cases import services
from safemoves.cases.codes import CaseOutcome, CaseSource, ConsentBasis, ConsentPurpose, MemberKind, Relationship
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership, Organisation, Role
from safemoves.reports.services import time_to_safety_refresh

CASES_PER_OFFICER = 30

FIRST = (
    "Aisha", "Bethany", "Carla", "Danielle", "Emma", "Fatima", "Gemma", "Hannah", "Imogen", "Jodie", "Kerry",
    "Laura", "Megan", "Naomi", "Olivia", "Paige", "Rachel", "Sadia", "Tanya", "Vicky", "Zoe", "Agnieszka",
)  # fmt: skip
LAST = ("Archer", "Barnes", "Carter", "Dixon", "Ellis", "Foster", "Grant", "Hart", "Irwin", "Kaur", "Lambert",
        "Morgan", "Norris", "Okafor", "Price", "Quinn", "Rahman", "Shaw", "Thorne", "Walsh", "Young")  # fmt: skip
CHILD = ("Alfie", "Bella", "Charlie", "Daisy", "Ethan", "Freya", "George", "Harper", "Isaac", "Lily", "Mason")
MEN = ("Craig", "Darren", "Gary", "Jason", "Kevin", "Lee", "Mark", "Paul", "Ryan", "Scott", "Wayne")
STREETS = ("Orchard Way", "Mill Lane", "Station Road", "Church Street", "Victoria Road", "Hop Garden Close",
           "Oast Court", "Cherry Tree Avenue", "Marsh Road", "Downs View")  # fmt: skip
SCHOOLS = ("St Mary's Primary", "Hillview Primary", "Oakwood Academy", "Riverside Infant School", "Meadow Primary")
SUMMARIES = (
    "Police report an assault by her ex-partner at the address last night; he still holds a key.",
    "Women's Aid referral: controlling behaviour and threats, escalating since the separation.",
    "She disclosed to the income officer that her partner takes her money and watches her phone.",
    "Neighbours reported shouting and a child crying; police attended and arrested the partner.",
    "IDVA referral after a high-risk incident; non-molestation order applied for.",
)
# (source, chance) for demo variety
SOURCES = (CaseSource.POLICE, CaseSource.POLICE, CaseSource.WOMENS_AID, CaseSource.IDVA, CaseSource.STAFF,
           CaseSource.TENANT, CaseSource.CHILDRENS_SERVICES)  # fmt: skip


def _case_for(rng: random.Random, organisation: Organisation, officer: User, manager: User, index: int) -> Case:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    town = organisation.name.split()[0]
    membership = Membership.objects.get(user=manager)
    case = services.case_open(
        membership=membership,
        data=services.NewCase(
            lead_name=name,
            source=rng.choice(SOURCES),
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}\n{town}",
            referral_summary=rng.choice(SUMMARIES),
            lead_date_of_birth=date(rng.randint(1975, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            tenure=rng.choice(["7", "7", "2", "2", "6", "4"]),
        ),
    )
    # Spread the referral dates over the last three months, so clocks and ages look lived-in.
    received = timezone.now() - timedelta(days=rng.randint(0, 90), hours=rng.randint(0, 12))
    due = received + timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(received_at=received, first_contact_due_at=due, next_due_at=due)
    time_to_safety_refresh(case_id=case.pk)  # the report summary follows the referral time
    case.refresh_from_db()
    state = index % 10
    if state == 0:
        return case  # new, in the triage inbox
    services.case_assign(case=case, actor=manager, officer=officer)
    for _ in range(rng.randint(0, 3)):
        born = date(rng.randint(2010, 2024), rng.randint(1, 12), rng.randint(1, 28))
        services.household_member_add(
            case=case, actor=officer, kind=MemberKind.CHILD, name=f"{rng.choice(CHILD)} {name.split()[-1]}",
            date_of_birth=born, school=rng.choice(SCHOOLS) if born.year < 2021 else "",
        )  # fmt: skip
    perpetrator = services.perpetrator_add(
        case=case, actor=officer, name=f"{rng.choice(MEN)} {rng.choice(LAST)}",
        relationship=rng.choice([Relationship.EX_PARTNER, Relationship.PARTNER, Relationship.FAMILY]),
        lives_at_address=rng.random() < 0.2, joint_tenant=rng.random() < 0.15, has_key=rng.random() < 0.5,
    )  # fmt: skip
    if rng.random() < 0.4:
        made = timezone.localdate() - timedelta(days=rng.randint(1, 60))
        services.court_order_add(
            case=case, actor=officer, perpetrator=perpetrator, order_type="non_molestation", made_on=made,
            expires_on=made + timedelta(days=365), conditions="Not to contact her or attend the address.",
        )  # fmt: skip
    if state >= 2:
        services.contact_rules_update(
            case=case, actor=officer, expected_version=None,
            changes={"safe_phone": f"07700 900{rng.randint(100, 999)}", "safe_times": "Weekdays 10:00 to 14:00",
                     "phone_ok": True, "voicemail_ok": rng.random() < 0.5, "is_safe_to_talk_checked": True},
        )  # fmt: skip
        services.contact_record(
            case=case, actor=officer, channel="phone", summary="Spoke to her at a safe time; safety plan started."
        )
        services.consent_record(
            case=case, actor=officer, purpose=ConsentPurpose.AGENCY_REFERRAL, basis=ConsentBasis.CONSENT,
            how_given="Verbally, by phone",
        )  # fmt: skip
    if state == 9:
        services.case_close(case=case, actor=manager, outcome=rng.choice(list(CaseOutcome.values)))
    if index % 13 == 5:
        services.case_restrict(case=case, actor=manager, restricted=True, named_staff=[officer])
    return case


def seed_demo_cases(*, per_officer: int = CASES_PER_OFFICER) -> int:
    """Create demo cases for every demo landlord that has none yet; returns how many were created."""
    rng = random.Random(20261125)  # noqa: S311 - fictional demo data, not security
    created = 0
    with scopes_disabled():
        organisations = list(Organisation.objects.order_by("name"))
    for organisation in organisations:
        with organisation_scope(organisation.pk):
            if Case.objects.exists():
                continue
            officers = list(
                User.objects.filter(membership__organisation=organisation, membership__role=Role.OFFICER, is_demo=True)
            )
            manager = User.objects.filter(membership__organisation=organisation, membership__role=Role.MANAGER).first()
            if manager is None:
                continue
            for officer in officers:
                for index in range(per_officer):
                    _case_for(rng, organisation, officer, manager, index)
                    created += 1
    return created
