"""Seed the safety-action catalogue. Rerunnable: each code is created or brought up to date."""

from django.db import migrations

# Frozen here (not imported from the app) so the migration means the same thing forever;
# a later change to the catalogue is a new data migration.
CATALOGUE = (
    {
        "code": "lock_change",
        "label": "Change the locks",
        "clock_kind": "hours",
        "amount": 24,
        "relative_to": "referral",
        "order": 10,
    },
    {
        "code": "police_flag",
        "label": "Police / 999 flag on the address",
        "clock_kind": "hours",
        "amount": 24,
        "relative_to": "referral",
        "order": 20,
    },
    {
        "code": "sanctuary_survey",
        "label": "Sanctuary survey",
        "clock_kind": "working_days",
        "amount": 5,
        "relative_to": "referral",
        "order": 30,
    },
    {
        "code": "sanctuary_measures",
        "label": "Fit the sanctuary measures",
        "clock_kind": "hours",
        "amount": 72,
        "relative_to": "survey_done",
        "order": 40,
    },
    {
        "code": "sanctuary_review_3m",
        "label": "Sanctuary review at 3 months",
        "clock_kind": "months",
        "amount": 3,
        "relative_to": "survey_done",
        "order": 50,
    },
    {
        "code": "sanctuary_review_6m",
        "label": "Sanctuary review at 6 months",
        "clock_kind": "months",
        "amount": 6,
        "relative_to": "survey_done",
        "order": 60,
    },
    {
        "code": "old_address_flags",
        "label": "Review or remove flags at the old address",
        "clock_kind": "working_days",
        "amount": 5,
        "relative_to": "move_date",
        "order": 70,
    },
)

BATCH = 100


def seed(apps, schema_editor):
    SafetyActionType = apps.get_model("safety", "SafetyActionType")
    existing = {row.code: row for row in SafetyActionType.objects.filter(code__in=[item["code"] for item in CATALOGUE])}
    fields = ["label", "clock_kind", "amount", "relative_to", "order"]
    to_create, to_update = [], []
    for item in CATALOGUE:
        row = existing.get(item["code"])
        if row is None:
            to_create.append(SafetyActionType(**item))
            continue
        for field in fields:
            setattr(row, field, item[field])
        to_update.append(row)
    SafetyActionType.objects.bulk_create(to_create, batch_size=BATCH)
    SafetyActionType.objects.bulk_update(to_update, fields, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("safety", "0001_safety_actions_agencies_options")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
