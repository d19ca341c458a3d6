"""The scheme pool's row, built in Python, is the HTML its template wrote, whatever a profile holds."""

from __future__ import annotations

import uuid

from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

from safemoves.reciprocal.codes import AccessNeed, AgeBand
from safemoves.reciprocal.profile import ProfileView
from safemoves.reciprocal.tables import pool_row

# The row as reciprocal/pool.html wrote it before (the oracle).
TEMPLATE_ROW = Template(
    """<tr>
    <td><a href="{% url 'reciprocal:pool_request' profile.request_id %}">{{ profile.reference }}</a>{% if profile.is_own %} (ours){% endif %}</td>
    <td>{{ profile.adults }} adult{{ profile.adults|pluralize }}{% if profile.children_age_bands %}, children {{ profile.children_labels|join:", " }}{% endif %}</td>
    <td>{{ profile.bedrooms_needed }}</td>
    <td>{{ profile.access_label }}</td>
    <td>{{ profile.safe_area_labels|join:", " }}</td>
    <td>{{ profile.urgent|yesno:"Yes,No" }}</td>
    <td>{{ profile.days_waiting }}</td>
    <td>{{ profile.status|capfirst }}</td>
  </tr>"""  # noqa: E501 - the template's own lines
)
TEXT = st.text(alphabet=st.sampled_from("aZ09 &<>\"'/=é—-"), max_size=20)
AREAS = st.one_of(st.sampled_from(["E07000110", "E06000035", "E07000105"]), TEXT)


@settings(deadline=None)  # the first example loads the URL resolver
@given(
    reference=TEXT,
    adults=st.integers(min_value=0, max_value=12_000),
    children=st.lists(st.sampled_from(AgeBand.values), max_size=4),
    bedrooms=st.integers(min_value=0, max_value=9),
    access=st.one_of(st.sampled_from(AccessNeed.values), TEXT),
    areas=st.lists(AREAS, max_size=4),
    urgent=st.booleans(),
    days=st.integers(min_value=0, max_value=100_000),
    status=TEXT,
    own=st.booleans(),
)
def test_the_row_is_what_the_template_wrote(
    reference: str,
    adults: int,
    children: list[str],
    bedrooms: int,
    access: str,
    areas: list[str],
    urgent: bool,
    days: int,
    status: str,
    own: bool,
) -> None:
    profile = ProfileView(
        request_id=uuid.uuid4(),
        reference=reference,
        adults=adults,
        children_age_bands=tuple(children),
        bedrooms_needed=bedrooms,
        access_need=access,
        pets=False,
        safe_areas=tuple(areas),
        risk_band="",
        tenure_to_keep="",
        urgent=urgent,
        days_waiting=days,
        status=status,
        is_own=own,
    )
    assert pool_row(profile) == TEMPLATE_ROW.render(Context({"profile": profile}))
