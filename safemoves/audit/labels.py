"""Plain-English names for audit actions and the fields they name (ADR 0023, item 10).

The log stores stable codes (``case.document_viewed``, ``lead_name``); people read labels.
An action or field not listed here is shown from its code with underscores as spaces, so a
new event is never hidden, only less polished.
"""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    "auth.login": "Signed in",
    "auth.logout": "Signed out",
    "auth.second_factor_enrolled": "Set up the second factor",
    "case.opened": "Opened the case",
    "case.self_referred": "The tenant asked for contact",
    "case.referred": "Referral received",
    "case.viewed": "Viewed the case",
    "case.exported": "Exported the case (subject access)",
    "case.updated": "Changed case details",
    "case.assigned": "Assigned the case",
    "case.closed": "Closed the case",
    "case.purged": "Deleted the case (retention)",
    "case.restriction_changed": "Changed who may see the case",
    "case.contact_rules_updated": "Changed the safe-contact rules",
    "case.contacted": "Recorded contact with the tenant",
    "case.consent_recorded": "Recorded a consent decision",
    "case.note_added": "Added a note",
    "case.household_member_added": "Added someone to the household",
    "case.household_member_removed": "Removed someone from the household",
    "case.perpetrator_added": "Recorded a perpetrator",
    "case.perpetrator_updated": "Changed perpetrator details",
    "case.perpetrator_key_cleared": "Recorded the perpetrator no longer has a key",
    "case.court_order_added": "Recorded a court order",
    "case.document_uploaded": "Uploaded a document",
    "case.document_viewed": "Opened a document",
    "case.letter_sent": "Produced a letter",
    "case.letter_viewed": "Opened a letter",
    "case.summary_printed": "Printed the MARAC summary",
    "letters.template_saved": "Saved a letter template",
    "risk.assessed": "Recorded a DASH risk assessment",
    "risk.marac_referred": "Referred to MARAC",
    "risk.marac_updated": "Updated the MARAC referral",
    "risk.marac_transferred": "Transferred the MARAC referral",
    "risk.settings_saved": "Changed the risk settings",
    "safety.action_set": "Set a safety action",
    "safety.action_done": "Completed a safety action",
    "safety.action_cancelled": "Marked a safety action not needed",
    "safety.agency_referred": "Referred to a support agency",
    "safety.agency_referral_updated": "Updated an agency referral",
    "safety.agency_created": "Added a support agency",
    "safety.options_saved": "Saved the options appraisal",
    "safety.place_added": "Added a place",
    "safety.place_removed": "Removed a place",
    "safety.sanctuary_agreement_saved": "Saved the sanctuary agreement",
    "safety.breach_notified": "Sent a breach notice",
    "reciprocal.request_created": "Created a move request",
    "reciprocal.request_approved": "Approved a move request",
    "reciprocal.request_circulated": "Circulated a move request",
    "reciprocal.offer_made": "Made an offer",
    "reciprocal.offer_received": "Received an offer",
    "reciprocal.offer_accepted": "Accepted an offer",
    "reciprocal.offer_refused": "Refused an offer",
    "reciprocal.offer_withdrawn": "Withdrew an offer",
    "reciprocal.offer_expired": "An offer expired",
    "reciprocal.identity_released": "Released the household's identity",
    "reciprocal.identity_viewed": "Viewed the household's identity",
    "reciprocal.protected_address_viewed": "Viewed a protected address",
    "reciprocal.move_recorded": "Recorded the move",
    "retention.applied": "Applied retention",
    "retention.dry_run": "Checked retention (no change)",
    "staff.invited": "Invited a member of staff",
    "staff.joined": "Joined",
    "staff.role_changed": "Changed a role",
    "staff.deactivated": "Deactivated a member of staff",
    "staff.reactivated": "Reactivated a member of staff",
}

FIELD_LABELS: dict[str, str] = {
    "lead_name": "Tenant's name",
    "lead_date_of_birth": "Date of birth",
    "address": "Address",
    "postcode": "Postcode",
    "referral_summary": "What happened",
    "referrer_details": "Referrer",
    "tenure": "Tenure",
    "tenancy_start": "Tenancy start",
    "introductory_period_ends": "Introductory period ends",
    "safe_phone": "Safe phone",
    "safe_email": "Safe e-mail",
    "safe_postal_address": "Safe postal address",
    "safe_times": "Safe times",
    "code_word": "Code word",
    "phone_ok": "Phone agreed",
    "sms_ok": "Texts agreed",
    "voicemail_ok": "Voicemail agreed",
    "email_ok": "E-mail agreed",
    "letter_ok": "Letters agreed",
    "visit_ok": "Visits agreed",
    "is_safe_to_talk_checked": "Checked it is safe to talk",
    "has_key": "Has a key",
    "lives_at_address": "Lives at the address",
    "joint_tenant": "Joint tenant",
    "known_address": "Known address",
    "assigned_officer": "Officer",
    "named_staff": "Named staff",
    "restricted": "Restricted",
    "file_name": "File name",
    "pdf": "PDF",
    "body": "Text",
    "how_given": "How it was given",
    "date_of_birth": "Date of birth",
    "relationship_to_lead": "Relationship",
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    return action.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
