"""ReferralLink moves from the cases app to intake (ADR 0029). State only: the table keeps its
name (``cases_referrallink``, its rows, sequence, constraints and row-level security policy);
``cases.0007_referral_link_to_intake`` drops the model from the cases app's state."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0006_case_reference_with_landlord_code"),
        ("organisations", "0002_organisation_short_code"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReferralLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("agency_name", models.CharField(max_length=200)),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("staff", "Our staff"),
                                    ("police", "Police"),
                                    ("womens_aid", "Women's Aid"),
                                    ("idva", "IDVA service"),
                                    ("childrens_services", "Children's services"),
                                    ("other_agency", "Other agency"),
                                    ("tenant", "The tenant (contact-me page)"),
                                ],
                                max_length=32,
                            ),
                        ),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("is_active", models.BooleanField(default=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="referral_links",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "cases_referrallink",
                        "ordering": ["agency_name"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
