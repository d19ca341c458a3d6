"""The API's keys to referral links follow the model to intake (ADR 0029). State only: the
table, and so the database's foreign keys, are unchanged."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_tokens_referrals_idempotency"),
        ("intake", "0001_referral_link_from_cases"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="apireferral",
                    name="referral_link",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="intake.referrallink"
                    ),
                ),
                migrations.AlterField(
                    model_name="apitoken",
                    name="referral_link",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="api_tokens",
                        to="intake.referrallink",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
