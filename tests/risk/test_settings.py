"""Risk settings can only be made stricter (issue 10, item 7)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from safemoves.audit.models import AuditEvent
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.risk.models import RiskSettings
from safemoves.risk.scoring import EscalationRule, Thresholds
from safemoves.risk.selectors import risk_rules_for
from safemoves.risk.services import risk_settings_save
from tests.factories import World, sign_in

MEDWAY = "E06000035"
MAIDSTONE = "E07000110"


def _save(world: World, area_code: str = "", **changes: int) -> RiskSettings:
    values = {"high_threshold": 14, "medium_threshold": 10, "escalation_callouts": 3, "escalation_window_months": 12}
    values.update(changes)
    return risk_settings_save(
        organisation_id=world.a.organisation.pk, actor=world.a[Role.MANAGER], area_code=area_code, **values
    )


@pytest.mark.parametrize(
    ("area_code", "changes", "field", "message"),
    [
        (
            "",
            {"high_threshold": 15},
            "high_threshold",
            "The high-risk threshold can be lowered, never raised above 14: a higher threshold would leave "
            "high-risk cases without a MARAC referral.",
        ),
        (
            "",
            {"medium_threshold": 11},
            "medium_threshold",
            "The medium threshold can be lowered, never raised above 10.",
        ),
        (
            MEDWAY,
            {"escalation_callouts": 4, "escalation_window_months": 6},
            "escalation_callouts",
            "The escalation count can be lowered, never raised above 3 call-outs.",
        ),
        (
            MEDWAY,
            {"escalation_window_months": 5},
            "escalation_window_months",
            "The escalation window can be lengthened, never shortened below 6 months for this area.",
        ),
        (
            "",
            {"escalation_window_months": 6},
            "escalation_window_months",
            "The escalation window can be lengthened, never shortened below 12 months for the default setting, "
            "which may apply to any area.",
        ),
    ],
)
def test_a_laxer_setting_is_refused_with_a_clear_message(
    world: World, area_code: str, changes: dict[str, int], field: str, message: str
) -> None:
    with organisation_scope(world.a.organisation.pk):
        with pytest.raises(ValidationError) as caught:
            _save(world, area_code, **changes)
        assert caught.value.message_dict == {field: [message]}
        assert not RiskSettings.objects.exists()


def test_a_stricter_setting_is_saved_and_used(world: World) -> None:
    organisation_id = world.a.organisation.pk
    with organisation_scope(organisation_id):
        _save(world, MEDWAY, high_threshold=12, medium_threshold=8, escalation_callouts=2, escalation_window_months=9)
        assert risk_rules_for(organisation_id=organisation_id, area_code=MEDWAY) == (
            Thresholds(high=12, medium=8),
            EscalationRule(callouts=2, window_months=9),
        )
        # Kent and Medway's own default window is 6 months; elsewhere it is 12.
        assert risk_rules_for(organisation_id=organisation_id, area_code=MAIDSTONE)[1] == EscalationRule(
            callouts=3, window_months=6
        )


def test_a_laxer_row_stored_before_the_rule_is_read_as_the_default(world: World) -> None:
    organisation_id = world.a.organisation.pk
    with organisation_scope(organisation_id):
        RiskSettings.objects.create(
            organisation_id=organisation_id,
            area_code="",
            high_threshold=18,
            medium_threshold=12,
            escalation_callouts=5,
            escalation_window_months=3,
        )
        assert risk_rules_for(organisation_id=organisation_id, area_code="") == (
            Thresholds(high=14, medium=10),
            EscalationRule(callouts=3, window_months=12),
        )


def test_the_risk_settings_page_saves_stricter_rules_and_refuses_laxer_ones(world: World) -> None:
    client = sign_in(Client(), world.a[Role.MANAGER])
    url = reverse("risk:settings")
    page = client.get(url).content.decode()
    assert "No settings yet: every area uses the default" in page
    refused = client.post(
        url,
        {
            "area_code": "",
            "high_threshold": "16",
            "medium_threshold": "10",
            "escalation_callouts": "3",
            "escalation_window_months": "12",
        },
    )
    assert refused.status_code == 200
    assert "The high-risk threshold can be lowered, never raised above 14" in refused.content.decode()
    with scopes_disabled():
        assert not RiskSettings.objects.exists()
    saved = client.post(
        url,
        {
            "area_code": MEDWAY,
            "high_threshold": "13",
            "medium_threshold": "9",
            "escalation_callouts": "2",
            "escalation_window_months": "6",
        },
    )
    assert saved.status_code == 302
    with scopes_disabled():
        row = RiskSettings.objects.get()
        event = AuditEvent.objects.get(action="risk.settings_saved")
    assert (row.area_code, row.high_threshold, row.escalation_callouts) == (MEDWAY, 13, 2)
    assert event.actor_id == world.a[Role.MANAGER].pk
