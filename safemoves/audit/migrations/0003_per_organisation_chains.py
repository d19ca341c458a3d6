"""Per-organisation audit chains with HMAC-sealed heads (ADR 0015).

Events written so far stay exactly as they are, in the system chain (0) with their old
numbers and hashes; the old single head becomes that chain's head, sealed with the key.
"""

from django.conf import settings
from django.db import migrations, models

from safemoves.audit import triggers
from safemoves.audit.chain import head_mac


def seal_system_head(apps, schema_editor):
    legacy_head = apps.get_model("audit", "LegacyAuditChainHead")
    head = apps.get_model("audit", "AuditChainHead")
    key = str(settings.AUDIT_HMAC_KEY).encode("utf-8")
    for old in legacy_head.objects.all():
        head.objects.update_or_create(
            chain=0,
            defaults={
                "seq": old.seq,
                "hash": old.hash,
                "mac": head_mac(key, chain=0, seq=old.seq, last_hash=old.hash),
            },
        )


def reinstall_triggers(apps, schema_editor):
    # SQLite rebuilds the table to change its constraints, which drops its triggers.
    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.RenameModel("AuditChainHead", "LegacyAuditChainHead"),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("chain", models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
                ("mac", models.CharField(max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.PositiveBigIntegerField(db_default=0, default=0),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_chain_seq_uniq"),
        ),
        migrations.AlterModelOptions(name="auditevent", options={"ordering": ["pk"]}),
        migrations.RunPython(seal_system_head, migrations.RunPython.noop),
        migrations.DeleteModel("LegacyAuditChainHead"),
        migrations.RunPython(reinstall_triggers, reinstall_triggers),
    ]
