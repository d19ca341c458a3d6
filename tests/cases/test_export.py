"""Subject-access exports are complete (issue 10, item 13).

Every model that points at a case (a ForeignKey or OneToOne to Case) must be read by the
export (its table is queried while the export is built) or be on the written allow-list
``EXPORT_EXEMPT`` with its reason. A new model that holds data about a case therefore fails
this test until its app adds it to an export section or says why it is exempt.
"""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safemoves.cases.export import EXPORT_EXEMPT, case_export
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from safemoves.risk.services import marac_referral_record, risk_assessment_record
from tests.cases.factories import make_case
from tests.factories import World
from tests.safety.factories import answers


def models_pointing_at_a_case() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is Case:
                found.append(model)
                break
    return sorted(found, key=lambda model: model._meta.label)


def test_every_model_that_points_at_a_case_is_exported_or_exempt(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    with organisation_scope(world.a.organisation.pk), CaptureQueriesContext(connection) as queries:
        case_export(case=case, actor=world.a[Role.MANAGER])
    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    pointing = models_pointing_at_a_case()
    labels = {model._meta.label for model in pointing}
    # The domain models this test exists for are found (the walk itself works).
    assert {"risk.RiskAssessment", "risk.MaracReferral", "safety.SafetyAction", "reciprocal.MoveRequest"} <= labels
    read = {model._meta.label for model in pointing if f'"{model._meta.db_table}"' in sql}
    missing = sorted(labels - read - set(EXPORT_EXEMPT))
    assert missing == [], "models about a case in no export section: add them to a section or to EXPORT_EXEMPT"
    # The allow-list names only real models that point at a case and gives a reason for each.
    assert set(EXPORT_EXEMPT) <= labels
    assert all(len(reason) > 20 for reason in EXPORT_EXEMPT.values())


def test_the_export_has_the_risk_section_with_dash_answers_and_marac(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    officer = world.a[Role.OFFICER]
    with organisation_scope(world.a.organisation.pk):
        risk_assessment_record(
            case=case,
            actor=officer,
            answers=answers(15),
            comments={"q1": "Bruising to the face"},
            police_callouts=2,
        )
        marac_referral_record(
            case=case,
            actor=officer,
            area_code="E06000035",
            referred_on=timezone.localdate(),
            meeting_on=date(2027, 1, 14),
            actions_agreed="Police marker on the address",
        )
        document = case_export(case=case, actor=world.a[Role.MANAGER])
    risk = document["risk"]
    [assessment] = risk["dash_assessments"]
    assert (assessment["score"], assessment["final_band"], assessment["police_callouts"]) == (15, "high", 2)
    assert assessment["assessor"] == str(officer)
    assert len(assessment["answers"]) == 24
    first = assessment["answers"][0]
    assert (first["answer"], first["comment"]) == ("Yes", "Bruising to the face")
    assert first["question"].startswith("1. ")
    assert assessment["answers"][23]["answer"] == "No"
    [referral] = risk["marac_referrals"]
    assert referral == {
        "area": "Medway",
        "referred_on": timezone.localdate().isoformat(),
        "meeting_on": "2027-01-14",
        "actions_agreed": "Police marker on the address",
        "sharing_basis": referral["sharing_basis"],
        "is_repeat": False,
        "transferred_on": None,
    }
