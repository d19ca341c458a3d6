from __future__ import annotations

from django.test import Client
from django.urls import reverse

from safemoves.audit.models import AuditEvent
from safemoves.cases import services
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World, sign_in


def test_the_summary_holds_what_the_meeting_needs_and_is_logged_as_a_read(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    with organisation_scope(world.a.organisation.pk):
        services.contact_rules_update(
            case=case, actor=world.a[Role.MANAGER], expected_version=None, changes={"code_word": "Bluebell"}
        )
    officer = sign_in(Client(), world.a[Role.OFFICER])
    html = officer.get(reverse("cases:marac_summary", kwargs={"case_id": case.pk})).content.decode()
    for text in (
        f"Case summary for MARAC: {case.reference}",
        "Jane Example",
        "Sam Example",
        "Riverside Primary",
        "John Harmer",
        "Non-molestation order until 1 November 2027",
        "07700 900123",
        "Weekdays 10:00-12:00",
    ):
        assert text in html
    assert "Bluebell" not in html  # the code word stays with the landlord
    pdf = officer.get(reverse("cases:marac_summary_pdf", kwargs={"case_id": case.pk}))
    assert pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"] == f'attachment; filename="{case.reference}-marac-summary.pdf"'
    with scopes_disabled():
        printed = AuditEvent.objects.filter(action="case.summary_printed", object_id=str(case.pk))
        assert [event.actor_id for event in printed] == [world.a[Role.OFFICER].pk] * 2
    manager = sign_in(Client(), world.a[Role.MANAGER])
    log = manager.get(reverse("cases:access_log", kwargs={"case_id": case.pk})).content.decode()
    assert "Printed the MARAC summary" in log
