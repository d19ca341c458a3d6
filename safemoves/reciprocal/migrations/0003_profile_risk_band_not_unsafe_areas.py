"""Shared profiles drop the areas to avoid and carry the risk level band (issue 10 item 4).

Areas to avoid never leave the referring landlord (ADR 0012); the band comes from the latest
DASH assessment of the case, as in ``profile.risk_band``. Rerunnable: a row already in the
new shape is left alone. Batched by primary key.
"""

from typing import Any

from django.db import migrations

_BATCH = 500


def forwards(apps: Any, schema_editor: Any) -> None:
    profile_model = apps.get_model("reciprocal", "SharedProfile")
    assessment_model = apps.get_model("risk", "RiskAssessment")
    last_pk = None
    while True:
        batch = profile_model._base_manager.select_related("request").order_by("pk")
        if last_pk is not None:
            batch = batch.filter(pk__gt=last_pk)
        rows = list(batch[:_BATCH])
        if not rows:
            return
        for profile in rows:
            last_pk = profile.pk
            data = dict(profile.data)
            if "unsafe_areas" not in data and "risk_band" in data:
                continue
            data.pop("unsafe_areas", None)
            latest = (
                assessment_model._base_manager.filter(case_id=profile.request.case_id)
                .order_by("-assessed_at")
                .values_list("final_band", flat=True)
                .first()
            )
            data["risk_band"] = latest or "not_assessed"
            # The model's save() checks the allow-list; historical models have no such save.
            profile_model._base_manager.filter(pk=profile.pk).update(data=data)


def backwards(apps: Any, schema_editor: Any) -> None:
    profile_model = apps.get_model("reciprocal", "SharedProfile")
    for profile in profile_model._base_manager.order_by("pk").iterator(chunk_size=_BATCH):
        data = dict(profile.data)
        data.pop("risk_band", None)
        data.setdefault("unsafe_areas", [])  # the areas are not restored into what crosses landlords
        profile_model._base_manager.filter(pk=profile.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [
        ("reciprocal", "0002_offer_tenancy_proposals_policy_checkin"),
        ("risk", "0001_risk_assessments_and_marac"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
