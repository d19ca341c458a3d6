from __future__ import annotations

from safemoves.accounts.models import User
from safemoves.common.scoping import organisation_scope
from safemoves.demo.safety import RiskSafetySeedReport, seed_demo_risk_and_safety
from safemoves.risk.models import MaracReferral, RiskAssessment
from safemoves.risk.selectors import marac_required
from safemoves.safety.models import AgencyReferral, SafetyAction
from safemoves.safety.selectors import appraisal_for_matching
from tests.factories import World
from tests.safety.factories import make_case


def test_demo_seed_varies_the_cases_and_runs_once(world: World) -> None:
    User.objects.filter(pk__in=[user.pk for user in world.a.users.values()]).update(is_demo=True)
    cases = [make_case(world) for _ in range(4)]
    report = seed_demo_risk_and_safety()
    assert report == RiskSafetySeedReport(
        cases=4, assessments=4, marac_referrals=1, actions=6, agency_referrals=2, appraisals=1
    )
    assert seed_demo_risk_and_safety() == RiskSafetySeedReport(0, 0, 0, 0, 0, 0)
    with organisation_scope(world.a.organisation.pk):
        bands = [RiskAssessment.objects.get(case=case).final_band for case in cases]
        assert bands == ["high", "medium", "standard", "standard"]
        assert MaracReferral.objects.get().case == cases[0]
        assert AgencyReferral.objects.filter(case=cases[0]).count() == 2
        assert SafetyAction.objects.get(case=cases[1]).is_overdue is True
        assert marac_required(cases[3]) is True
        profile = appraisal_for_matching(cases[0])
        assert profile["decision"] == "reciprocal"
        assert len(profile["areas"]) >= 5
        assert profile["avoid_areas"] == ["E06000035"]
        assert len(profile["avoid"]) == 1
