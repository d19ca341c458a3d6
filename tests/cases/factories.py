from __future__ import annotations

from datetime import date

from safemoves.accounts.models import User
from safemoves.cases import services
from safemoves.cases.codes import CaseSource, ConsentBasis, ConsentPurpose, MemberKind, Relationship
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.factories import Landlord


def make_case(
    landlord: Landlord,
    *,
    name: str = "Jane Example",
    assigned_to: User | None = None,
    full: bool = False,
    source: str = CaseSource.POLICE,
) -> Case:
    """A case of ``landlord``; ``full`` adds a child, a perpetrator with an order, contact rules and consent."""
    manager = landlord[Role.MANAGER]
    with organisation_scope(landlord.organisation.pk):
        membership = manager.membership
        case = services.case_open(
            membership=membership,
            data=services.NewCase(
                lead_name=name,
                source=source,
                address="12 Example Street\nChatham",
                postcode="ME4 4AA",
                referral_summary="Assaulted by ex-partner in front of the children; he still has a key.",
                lead_date_of_birth=date(1990, 5, 17),
                tenure="7",
            ),
        )
        if assigned_to is not None:
            services.case_assign(case=case, actor=manager, officer=assigned_to)
        if full:
            services.household_member_add(
                case=case, actor=manager, kind=MemberKind.CHILD, name="Sam Example", date_of_birth=date(2016, 2, 3),
                school="Riverside Primary",
            )  # fmt: skip
            perpetrator = services.perpetrator_add(
                case=case, actor=manager, name="John Harmer", relationship=Relationship.EX_PARTNER,
                lives_at_address=False, joint_tenant=False, has_key=True, known_address="3 Other Road, Gillingham",
            )  # fmt: skip
            services.court_order_add(
                case=case, actor=manager, perpetrator=perpetrator, order_type="non_molestation",
                made_on=date(2026, 11, 1), expires_on=date(2027, 11, 1), conditions="Not to enter Example Street",
            )  # fmt: skip
            services.contact_rules_update(
                case=case,
                actor=manager,
                expected_version=None,
                changes={
                    "safe_phone": "07700 900123",
                    "safe_postal_address": "c/o Women's Aid\nPO Box 1\nMaidstone",
                    "safe_times": "Weekdays 10:00-12:00",
                    "phone_ok": True,
                    "letter_ok": True,
                    "is_safe_to_talk_checked": True,
                },
            )
            services.consent_record(
                case=case, actor=manager, purpose=ConsentPurpose.AGENCY_REFERRAL, basis=ConsentBasis.CONSENT,
                how_given="Verbally, by phone",
            )  # fmt: skip
        case.refresh_from_db()
        return case
