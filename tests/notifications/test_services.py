"""Notifications: at the scheme's turning points, to the right landlord's staff, with no personal data."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.notifications import selectors, services
from safemoves.notifications.codes import NotificationKind
from safemoves.notifications.models import Notification
from safemoves.organisations.models import Role
from safemoves.reciprocal.models import MoveRequest
from safemoves.reciprocal.pool import services as reciprocal_services
from safemoves.reciprocal.pool.waiting import notify_requests_waiting
from tests.factories import World, sign_in
from tests.reciprocal.factories import accept, circulated_request, make_home, offer_home, reciprocal_case

pytestmark = pytest.mark.django_db
Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
# What the referring landlord knows of the household; none of it may reach a notification.
PERSONAL = ("Jane", "Example Street", "ME4", "Sam", "John Harmer", "07700")


def _rows(organisation_id: int) -> list[Notification]:
    with organisation_scope(organisation_id):
        return list(Notification.objects.order_by("created_at", "kind", "recipient_id"))


def _no_personal_data(texts: list[str]) -> None:
    for text in texts:
        for personal in PERSONAL:
            assert personal not in text


def test_an_offer_by_b_notifies_a_officers_with_the_reference_only(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b)
    with django_capture_on_commit_callbacks(execute=True):
        offer = offer_home(world.b, home, request)
    # A's case officer (also the nominating officer, notified once); nobody at B.
    rows = _rows(world.a.organisation.pk)
    assert [(row.recipient, row.kind, row.reference) for row in rows] == [
        (world.a[Role.OFFICER], NotificationKind.OFFER_RECEIVED, request.reference),
    ]
    assert {row.link for row in rows} == {f"/reciprocal/requests/{request.pk}/"}
    assert _rows(world.b.organisation.pk) == []
    [message] = mail.outbox
    assert message.to == [world.a[Role.OFFICER].email]
    assert message.subject == f"SafeMoves: Offer received, {request.reference}"
    assert f"/reciprocal/requests/{request.pk}/" in message.body
    _no_personal_data([str(message.subject), str(message.body), *(row.message for row in rows)])
    assert offer.pk is not None


def test_answer_release_and_move_reach_the_other_side(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    offer = offer_home(world.b, make_home(world.b), request)
    accept(world.a, offer)
    with organisation_scope(world.b.organisation.pk):
        reciprocal_services.move_record(
            offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=timezone.localdate()
        )
    b_rows = _rows(world.b.organisation.pk)
    assert [(row.recipient, row.kind) for row in b_rows] == [
        (world.b[Role.LETTINGS_OFFICER], NotificationKind.OFFER_ANSWERED),
        (world.b[Role.LETTINGS_OFFICER], NotificationKind.IDENTITY_RELEASED),
    ]
    assert {row.link for row in b_rows} == {f"/reciprocal/offers/{offer.pk}/"}
    a_kinds = sorted(row.kind for row in _rows(world.a.organisation.pk))
    assert a_kinds == ["move_recorded", "offer_received"]


def test_the_header_count_list_and_mark_read(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    offer_home(world.b, make_home(world.b), request)
    officer = world.a[Role.OFFICER]
    client = sign_in(Client(), officer)
    home = client.get(reverse("web:home")).content.decode()
    assert '<span class="count-badge">1<span class="visually-hidden"> unread</span></span>' in home
    page = client.get(reverse("notifications:list")).content.decode()
    assert f"A home has been offered to move request {request.reference}." in page
    [row] = _rows(world.a.organisation.pk)
    services.notify(
        organisation_id=world.a.organisation.pk,
        recipients=[world.a[Role.MANAGER]],
        kind=NotificationKind.CLOCK_BREACHED,
        reference="DA-TEST",
        link="/",
    )
    # Another member cannot open it: "not found", and it stays unread.
    other = sign_in(Client(), world.a[Role.MANAGER])
    assert other.post(reverse("notifications:open", args=[row.pk])).status_code == 404
    response = client.post(reverse("notifications:open", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/reciprocal/requests/{request.pk}/"
    with organisation_scope(world.a.organisation.pk):
        assert selectors.unread_count(officer.membership) == 0
        assert selectors.unread_count(world.a[Role.MANAGER].membership) == 1
    client.post(reverse("notifications:read_all"))
    assert other.post(reverse("notifications:read_all")).status_code == 302
    with organisation_scope(world.a.organisation.pk):
        assert selectors.unread_count(world.a[Role.MANAGER].membership) == 0


def test_preferences_choose_which_kinds_are_mailed(world: World, django_capture_on_commit_callbacks: Capture) -> None:
    officer = world.a[Role.OFFICER]
    with organisation_scope(world.a.organisation.pk):
        membership = officer.membership
        assert services.preferences_update(membership=membership, email_kinds=list(NotificationKind.values)) == []
        changed = services.preferences_update(membership=membership, email_kinds=["move_recorded"])
        assert "offer_received" in changed
        assert "move_recorded" not in changed
        assert selectors.email_kinds(membership) == ["move_recorded"]
        with pytest.raises(ValidationError) as caught:
            services.preferences_update(membership=membership, email_kinds=["nonsense"])
        assert caught.value.message_dict == {"email_kinds": ["Choose from the kinds listed."]}
    request = circulated_request(world.a, reciprocal_case(world.a))
    with django_capture_on_commit_callbacks(execute=True):
        offer_home(world.b, make_home(world.b), request)
    assert mail.outbox == []
    # The officer still has the notification in the application.
    assert officer in {row.recipient for row in _rows(world.a.organisation.pk)}
    client = sign_in(Client(), officer)
    response = client.post(reverse("notifications:preferences"), {"email_kinds": ["offer_received", "move_recorded"]})
    assert response.status_code == 302
    with organisation_scope(world.a.organisation.pk):
        assert selectors.email_kinds(membership) == ["move_recorded", "offer_received"]


def test_notify_never_writes_to_a_person_of_another_landlord(world: World) -> None:
    created = services.notify(
        organisation_id=world.a.organisation.pk,
        recipients=[world.b[Role.OFFICER], world.a[Role.OFFICER]],
        kind=NotificationKind.OFFER_RECEIVED,
        reference="KMR-TEST2",
        link="/",
    )
    assert [row.recipient for row in created] == [world.a[Role.OFFICER]]


def test_a_request_waiting_too_long_notifies_coordinators_and_its_officer_once(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    assert notify_requests_waiting() == []
    with scopes_disabled():
        MoveRequest.objects.filter(pk=request.pk).update(circulated_at=timezone.now() - timedelta(days=31))
    assert notify_requests_waiting() == [request.reference]
    assert notify_requests_waiting() == []
    for landlord in (world.a, world.b):
        rows = [row for row in _rows(landlord.organisation.pk) if row.kind == NotificationKind.REQUEST_WAITING]
        recipients = {row.recipient for row in rows}
        expected = {landlord[Role.COORDINATOR]} | ({world.a[Role.OFFICER]} if landlord is world.a else set())
        assert recipients == expected


def test_a_notification_row_holds_no_field_for_personal_data() -> None:
    """The table itself cannot carry a name or an address: only these columns, none free text
    but the reference (a case or move-request code) and the link (a path inside SafeMoves)."""
    columns = {field.name for field in Notification._meta.get_fields() if field.concrete}
    assert columns == {
        "id",
        "organisation",
        "recipient",
        "kind",
        "reference",
        "link",
        "once_key",
        "created_at",
        "read_at",
    }
