"""Encrypt how consent was given: people write where and on whose phone it was given."""

from typing import Any

from django.db import migrations, models

import safemoves.common.fields


def encrypt_how_given(apps: Any, schema_editor: Any) -> None:
    Consent = apps.get_model("cases", "Consent")
    batch = 500
    last = None
    while True:
        rows = Consent.objects.order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        chunk = list(rows[:batch])
        if not chunk:
            return
        for consent in chunk:
            # Every row, empty ones too: the column must hold only sealed values.
            consent.how_given = consent.how_given_plain
            consent.save(update_fields=["how_given"])
        last = chunk[-1].pk


def decrypt_how_given(apps: Any, schema_editor: Any) -> None:
    Consent = apps.get_model("cases", "Consent")
    for consent in Consent.objects.order_by("pk").iterator():
        consent.how_given_plain = str(consent.how_given)[:120]
        consent.save(update_fields=["how_given_plain"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RenameField("consent", "how_given", "how_given_plain"),
        # Added as plain text, then declared encrypted: an encrypted field refuses to write the
        # plain default that adding a column would fill existing rows with. The rows are sealed
        # one by one below before anything reads them.
        migrations.AddField(model_name="consent", name="how_given", field=models.TextField(blank=True, default="")),
        migrations.AlterField(
            model_name="consent",
            name="how_given",
            field=safemoves.common.fields.EncryptedTextField(
                blank=True, default="", help_text="e.g. signed form, verbal on the phone"
            ),
        ),
        migrations.RunPython(encrypt_how_given, decrypt_how_given),
        migrations.RemoveField("consent", "how_given_plain"),
    ]
