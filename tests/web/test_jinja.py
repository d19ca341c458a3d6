"""The pages rendered through Jinja2 (ADR 0037) write what Django's templates wrote.

The frame exists in both engines (``web/templates/base.html`` for Django's pages,
``web/jinja2/base.html`` for the case page): one page given to both must come out the same,
byte for byte, for every state the header has. Values are escaped as Django escapes them, the
filters with Django's names give Django's text, and a name a template lacks is an error.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import jinja2
import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.paginator import Paginator
from django.template import engines
from django.test import Client, RequestFactory, override_settings
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from safemoves.common.scoping import organisation_scope
from safemoves.notifications.codes import NotificationKind
from safemoves.notifications.services import notify
from safemoves.organisations.models import Role
from safemoves.organisations.selectors import membership_for_user
from tests.cases.factories import make_case
from tests.factories import World, sign_in

PAGE = '{% extends "base.html" %}{% block title %}A page{% endblock %}{% block content %}<p>Body</p>{% endblock %}'
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _request(path: str, user: Any = None, *, notes: tuple[str, ...] = ()) -> Any:
    request = RequestFactory().get(path)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]  # as MessageMiddleware sets it
    for note in notes:
        messages.success(request, note)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
    else:
        request.user = user
        request.membership = membership_for_user(user)  # type: ignore[attr-defined]  # as StaffSessionMiddleware sets it
    return request


def _both(request: Any) -> tuple[str, str]:
    pages = []
    for engine in ("django", "jinja2"):
        html = engines[engine].from_string(PAGE).render({}, request)
        pages.append(_CSRF.sub('name="csrfmiddlewaretoken" value="masked"', html))
    return pages[0], pages[1]


def test_the_frame_is_the_same_for_someone_signed_out() -> None:
    django_page, jinja_page = _both(_request("/account/sign-in/"))
    assert jinja_page == django_page
    assert "<title>A page \u2013 SafeMoves</title>" in jinja_page
    assert 'href="/account/sign-in/">SafeMoves</a>' in jinja_page


@pytest.mark.django_db
@pytest.mark.parametrize("demo", [False, True])
def test_the_frame_is_the_same_for_staff_with_messages_and_unread_notifications(world: World, demo: bool) -> None:
    officer = world.a[Role.OFFICER]
    with organisation_scope(world.a.organisation.pk):
        for reference in ("C-1", "C-2"):
            kind = NotificationKind.CLOCK_BREACHED
            notify(
                organisation_id=world.a.organisation.pk, recipients=[officer], kind=kind, reference=reference, link="/"
            )
        with override_settings(DEMO=demo):
            django_page, jinja_page = _both(_request("/cases/", officer, notes=("Saved <it> & 'done'.",)))
    assert jinja_page == django_page
    assert '<span class="count-badge">2<span class="visually-hidden"> unread</span></span>' in jinja_page
    assert '<li><a href="/cases/" aria-current="page">Cases</a></li>' in jinja_page
    assert '<p class="message message--success">Saved &lt;it&gt; &amp; &#x27;done&#x27;.</p>' in jinja_page
    assert ("demo-banner" in jinja_page) is demo
    assert 'name="csrfmiddlewaretoken" value="masked"' in jinja_page


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="&<>\"' ab"), st.integers(), st.none(), st.booleans()))
def test_a_value_is_escaped_as_django_escapes_it(value: object) -> None:
    django_text = engines["django"].from_string("[{{ value }}]").render({"value": value})
    jinja_text = engines["jinja2"].from_string("[{{ value }}]").render({"value": value})
    assert jinja_text == django_text


def test_safe_text_goes_out_as_it_is_and_autoescaping_is_on() -> None:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    assert env.autoescape is True
    template = engines["jinja2"].from_string("{{ safe }}|{{ unsafe }}")
    rendered = template.render({"safe": mark_safe("<b>x</b>"), "unsafe": "<b>x</b>"})
    assert rendered == "<b>x</b>|&lt;b&gt;x&lt;/b&gt;"


def test_a_missing_name_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(jinja2.UndefinedError, match="'case' is undefined"):
        engines["jinja2"].from_string("{{ case.reference }}").render({})
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'refrence'"):
        engines["jinja2"].from_string("{{ case.refrence }}").render({"case": date(2026, 1, 1)})


@pytest.mark.parametrize(
    ("django_source", "jinja_source", "value"),
    [
        # British summer time: Django's date filter is given the local time, and so is ours.
        ('{{ v|date:"j F Y H:i" }}', '{{ v|date("j F Y H:i") }}', datetime(2026, 7, 1, 12, 30, tzinfo=UTC)),
        ('{{ v|date:"D j M Y, H:i" }}', '{{ v|date("D j M Y, H:i") }}', datetime(2026, 12, 1, 23, 59, tzinfo=UTC)),
        ('{{ v|date:"j M Y" }}', '{{ v|date("j M Y") }}', date(2026, 3, 29)),
        ('{{ v|date:"j M Y"|default:"—" }}', '{{ v|date("j M Y")|default("—", true) }}', None),
        ("{{ v|linebreaksbr }}", "{{ v|linebreaksbr }}", "c/o Women's Aid\nPO Box 1 <b>"),
        ("{{ v|linebreaks }}", "{{ v|linebreaks }}", "One & two\n\nThree"),
        ('{{ v|yesno:"Yes,No" }}', '{{ v|yesno("Yes,No") }}', False),
        ('{{ v|join:"; " }}', '{{ v|join("; ") }}', ["Tenant's wish", "<near> school"]),
        ("{{ v|length }} case{{ v|length|pluralize }}", "{{ v|length }} case{{ v|length|pluralize }}", [1, 2]),
        ("{{ v|filesizeformat }}", "{{ v|filesizeformat }}", 1_536_000),
        ("{{ v|lower }}", "{{ v|lower }}", "Ex-Partner"),
        ("{{ v|action_label }}", "{{ v|action_label }}", "case.viewed"),
        ("{{ v|field_labels }}", "{{ v|field_labels }}", ["lead_name", "postcode"]),
    ],
)
def test_a_filter_gives_djangos_text(django_source: str, jinja_source: str, value: object) -> None:
    with override_settings(TIME_ZONE="Europe/London"):
        django_text = engines["django"].from_string("{% load audit_labels %}" + django_source).render({"v": value})
        jinja_text = engines["jinja2"].from_string(jinja_source).render({"v": value})
    assert jinja_text == django_text
    assert jinja_text


@pytest.mark.django_db
def test_the_case_page_escapes_what_the_tenant_and_officers_wrote(world: World) -> None:
    officer = world.a[Role.OFFICER]
    case = make_case(world.a, assigned_to=officer, name="<script>alert('x')</script> O'Brien", full=True)
    page = sign_in(Client(), officer).get(f"/cases/{case.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "Case " + case.reference + ": &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; O&#x27;Brien</h1>" in page


@pytest.mark.parametrize("number", [1, 2, 4])
@pytest.mark.parametrize("query", ["", "all=1&q=%3Cb%3E"])
def test_the_page_links_are_the_same_in_both_engines(number: int, query: str) -> None:
    page = Paginator(list(range(100)), 25).page(number)
    django_links = engines["django"].get_template("_pagination.html").render({"page": page, "query": query})
    jinja_links = engines["jinja2"].get_template("_pagination.html").render({"page": page, "query": query})
    assert jinja_links == django_links
    assert f"<span>Page {number} of 4</span>" in jinja_links
    assert ("Previous<span" in jinja_links) is (number > 1)


def test_a_single_page_has_no_page_links_in_either_engine() -> None:
    page = Paginator([1, 2], 25).page(1)
    for engine in ("django", "jinja2"):
        assert "pagination" not in engines[engine].get_template("_pagination.html").render({"page": page, "query": ""})


@pytest.mark.django_db
def test_every_form_of_a_page_carries_the_one_token_django_would_write(world: World) -> None:
    officer = world.a[Role.OFFICER]
    case = make_case(world.a, assigned_to=officer)
    page = sign_in(Client(), officer).get(f"/cases/{case.pk}/").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 2  # signing out, and the safety panel's lock change
    assert len(set(tokens)) == 1


@pytest.mark.django_db
def test_a_django_page_shows_a_jinja2_panel_as_html(world: World) -> None:
    """The risk, safety and access-log pages (Django's engine) include the panels' one source."""
    officer, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    case = make_case(world.a, assigned_to=officer, full=True)
    client = sign_in(Client(), officer)
    safety = client.get(f"/safety/cases/{case.pk}/").content.decode()
    for heading in ("safety-actions-heading", "agency-referrals-heading", "options-heading"):
        assert f'<h2 id="{heading}">' in safety
    assert "&lt;section" not in safety
    # Signing out (the frame) and the panel's lock-change form each carry a token.
    assert safety.count('name="csrfmiddlewaretoken"') >= 2
    assert '<h2 id="risk-heading">Risk (DASH) and MARAC</h2>' in client.get(f"/risk/cases/{case.pk}/").content.decode()
    access = sign_in(Client(), manager).get(f"/cases/{case.pk}/access-log/").content.decode()
    assert "Views and exports of this case and its documents and letters, newest first" in access
    assert "&lt;table" not in access


def test_the_frames_assets_are_djangos_addresses_and_follow_the_settings() -> None:
    from django.templatetags.static import static
    from django.urls import set_script_prefix
    from django_htmx.jinja import htmx_script

    from safemoves.web.jinja import htmx_tags, static_asset

    template = engines["jinja2"].from_string("{{ static('safemoves/site.css') }}|{{ htmx_script() }}")
    assert static_asset("safemoves/site.css") == static("safemoves/site.css")
    assert template.render({}) == f"{static('safemoves/site.css')}|{htmx_script()}"
    with override_settings(STATIC_URL="/assets/"):
        assert static_asset("safemoves/site.css") == static("safemoves/site.css") == "/assets/safemoves/site.css"
        assert htmx_tags() == htmx_script()
        assert "/assets/django_htmx/" in htmx_tags()
    with override_settings(DEBUG=True):
        assert htmx_tags() == htmx_script()
        assert "data-debug" in htmx_tags()  # the debug script, as django-htmx adds it under DEBUG
    assert "data-debug" not in htmx_tags()
    assert static_asset("safemoves/site.css") == static("safemoves/site.css") != "/assets/safemoves/site.css"
    try:
        set_script_prefix("/safemoves/")
        assert static_asset("safemoves/site.css") == static("safemoves/site.css")
    finally:
        set_script_prefix("/")
