"""Code lists used on cases. CORE codes are versioned data: they change by collection year."""

from __future__ import annotations

from django.db import models


class CoreTenancy(models.TextChoices):
    """CORE lettings `tenancy` codes (2024/25 collection)."""

    ASSURED_LIFETIME = "2", "Assured (lifetime)"
    OTHER = "3", "Other"
    AST_FIXED = "4", "Assured shorthold (fixed term)"
    LICENCE = "5", "Licence"
    SECURE_FIXED = "6", "Secure (fixed term)"
    SECURE_LIFETIME = "7", "Secure (lifetime)"
    PERIODIC = "8", "Periodic"


CORE_TENANCY_COLLECTION = "2024/25"

# How secure each tenure is, for "same or better" comparisons (higher is more secure).
# Lifetime secure and assured tenancies are equally secure for a move between landlords.
TENURE_SECURITY: dict[str, int] = {
    CoreTenancy.SECURE_LIFETIME: 4,
    CoreTenancy.ASSURED_LIFETIME: 4,
    CoreTenancy.SECURE_FIXED: 3,
    CoreTenancy.PERIODIC: 2,
    CoreTenancy.AST_FIXED: 2,
    CoreTenancy.OTHER: 1,
    CoreTenancy.LICENCE: 0,
}


class Answer(models.TextChoices):
    """A yes / no / not known answer about the household's safety."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class CaseStatus(models.TextChoices):
    NEW = "new", "New (triage)"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


# The status of a closed case, and of a new one, as constants written into a statement
# (``status__in_constants``): the open-case and triage indexes are partial on these, and a
# prepared statement's generic plan can use them only if the status is in its text (ADR 0034).
CLOSED = (CaseStatus.CLOSED,)
NEW = (CaseStatus.NEW,)


class CaseSource(models.TextChoices):
    STAFF = "staff", "Our staff"
    POLICE = "police", "Police"
    WOMENS_AID = "womens_aid", "Women's Aid"
    IDVA = "idva", "IDVA service"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    OTHER_AGENCY = "other_agency", "Other agency"
    TENANT = "tenant", "The tenant (contact-me page)"


AGENCY_SOURCES = (
    CaseSource.POLICE,
    CaseSource.WOMENS_AID,
    CaseSource.IDVA,
    CaseSource.CHILDRENS_SERVICES,
    CaseSource.OTHER_AGENCY,
)


class CaseOutcome(models.TextChoices):
    SAFE_AT_HOME = "safe_at_home", "Made safe at home (sanctuary or other measures)"
    MOVED_OWN_STOCK = "moved_own_stock", "Moved within our own stock"
    MOVED_RECIPROCAL = "moved_reciprocal", "Moved through the reciprocal scheme"
    MOVED_OTHER = "moved_other", "Moved elsewhere (private rented, family, other)"
    REFUGE = "refuge", "Went to a refuge"
    DISENGAGED = "disengaged", "No longer engaging"
    NO_FURTHER_ACTION = "no_further_action", "No further action needed"
    TRANSFERRED = "transferred", "Transferred to another landlord"


class MemberKind(models.TextChoices):
    ADULT = "adult", "Adult"
    CHILD = "child", "Child"


class Relationship(models.TextChoices):
    PARTNER = "partner", "Partner"
    EX_PARTNER = "ex_partner", "Ex-partner"
    FAMILY = "family", "Family member"
    OTHER = "other", "Other"


class CourtOrderType(models.TextChoices):
    NON_MOLESTATION = "non_molestation", "Non-molestation order"
    OCCUPATION = "occupation", "Occupation order"
    RESTRAINING = "restraining", "Restraining order"
    DVPO = "dvpo", "Domestic violence protection order"
    DAPO = "dapo", "Domestic abuse protection order"
    BAIL = "bail", "Bail conditions"
    OTHER = "other", "Other"


class ConsentPurpose(models.TextChoices):
    SCHEME_SHARING = "scheme_sharing", "Sharing with the reciprocal scheme"
    AGENCY_REFERRAL = "agency_referral", "Referral to support agencies"
    MONITORING = "monitoring", "Monitoring and reporting"


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", "Consent given"
    WITHDRAWN = "withdrawn", "Consent withdrawn"
    REFUSED = "refused", "Consent refused"
    VITAL_INTERESTS = "vital_interests", "Without consent: vital interests (risk to life)"
    MARAC_HIGH_RISK = "marac_high_risk", "Without consent: high-risk MARAC referral"
    LEGAL_OBLIGATION = "legal_obligation", "Without consent: legal obligation"
    SAFEGUARDING = "safeguarding", "Without consent: safeguarding children"


PERMITTING_BASES = frozenset(
    {
        ConsentBasis.CONSENT,
        ConsentBasis.VITAL_INTERESTS,
        ConsentBasis.MARAC_HIGH_RISK,
        ConsentBasis.LEGAL_OBLIGATION,
        ConsentBasis.SAFEGUARDING,
    }
)


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone call"
    SMS = "sms", "Text message"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    VISIT = "visit", "Home visit"
    VOICEMAIL = "voicemail", "Voicemail"


class NoteKind(models.TextChoices):
    NOTE = "note", "Case note"
    CONTACT = "contact", "Contact with the tenant"
    SYSTEM = "system", "Recorded by SafeMoves"
