"""Find cases by postcode, address, safe phone and perpetrator (ADR 0022).

Adds the perpetrator's whole-name blind index and refills every case's search tokens with the
new token spaces. Batched by primary key and rerunnable: each case's tokens are replaced whole.
"""

from typing import Any

from django.db import migrations, models


def fill_search_index(apps: Any, schema_editor: Any) -> None:
    from safemoves.common.scoping import scopes_disabled

    # A migration runs for every landlord at once; each case's tokens use its own landlord's key.
    with scopes_disabled():
        _fill(apps)


def _fill(apps: Any) -> None:
    from safemoves.cases.finding import case_tokens, index_texts, perpetrator_match_token

    Case = apps.get_model("cases", "Case")
    Perpetrator = apps.get_model("cases", "Perpetrator")
    SafeContactRules = apps.get_model("cases", "SafeContactRules")
    CaseSearchToken = apps.get_model("cases", "CaseSearchToken")
    batch = 200
    last = None
    while True:
        rows = Case.objects.order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        chunk = list(rows[:batch])
        if not chunk:
            return
        for case in chunk:
            perpetrators = list(Perpetrator.objects.filter(case_id=case.pk))
            for person in perpetrators:
                person.name_index = perpetrator_match_token(case.organisation_id, person.name)
                person.save(update_fields=["name_index"])
            rules = SafeContactRules.objects.filter(case_id=case.pk).first()
            texts = index_texts(
                lead_name=case.lead_name,
                address=case.address,
                postcode=case.postcode,
                phones=[rules.safe_phone] if rules is not None else [],
                perpetrator_names=[person.name for person in perpetrators],
            )
            CaseSearchToken.objects.filter(case_id=case.pk).delete()
            CaseSearchToken.objects.bulk_create(
                CaseSearchToken(organisation_id=case.organisation_id, case_id=case.pk, token=token)
                for token in sorted(case_tokens(case.organisation_id, texts))
            )
        last = chunk[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_source_label_neutral"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="perpetrator",
            name="name_index",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddIndex(
            model_name="perpetrator",
            index=models.Index(fields=["organisation", "name_index"], name="perpetrator_name_index_idx"),
        ),
        # Backwards, the old name tokens still find every case (the extra tokens are harmless).
        migrations.RunPython(fill_search_index, migrations.RunPython.noop),
    ]
