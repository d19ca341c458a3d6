from __future__ import annotations

from django.test import Client
from django.urls import reverse

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from safemoves.risk.models import RiskAssessment
from tests.factories import World, sign_in
from tests.safety.factories import answers, make_case


def test_a_dash_is_scored_and_the_case_page_asks_for_marac(world: World) -> None:
    case = make_case(world)
    client = sign_in(Client(), world.a[Role.OFFICER])
    url = reverse("risk:assessment_new", kwargs={"case_id": case.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.count(b"<fieldset") == 24
    assert b"Police call-outs to the household in the last 6 months" in page.content
    response = client.post(url, {**answers(16), "comment_q1": "Cut lip"})
    with organisation_scope(world.a.organisation.pk):
        assessment = RiskAssessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "risk:assessment_detail", kwargs={"case_id": case.pk, "assessment_id": assessment.pk}
    )
    detail = client.get(response["Location"])
    assert b"MARAC referral required." in detail.content
    assert b"Cut lip" in detail.content
    case_page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert b"MARAC referral required." in case_page.content
    assert b"16 of 24 answered yes" in case_page.content


def test_missing_answers_are_shown_on_their_questions(world: World) -> None:
    case = make_case(world)
    client = sign_in(Client(), world.a[Role.OFFICER])
    partial = answers(3)
    del partial["q5"]
    response = client.post(reverse("risk:assessment_new", kwargs={"case_id": case.pk}), partial)
    assert response.status_code == 200
    assert b"Answer question 5: yes, no or not known." in response.content
    assert b'href="#id_q5"' in response.content
    with organisation_scope(world.a.organisation.pk):
        assert RiskAssessment.objects.count() == 0


def test_the_auditor_reads_but_cannot_assess(world: World) -> None:
    case = make_case(world)
    client = sign_in(Client(), world.a[Role.AUDITOR])
    assert client.get(reverse("risk:case", kwargs={"case_id": case.pk})).status_code == 200
    assert client.get(reverse("risk:assessment_new", kwargs={"case_id": case.pk})).status_code == 404
