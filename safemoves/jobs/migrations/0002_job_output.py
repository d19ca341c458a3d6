# The sealed output of a job (an export, a board pack, a matching run), kept for a while.

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import safemoves.common.fields


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_job"),
        ("organisations", "0002_organisation_short_code"),
    ]

    operations = [
        migrations.CreateModel(
            name="JobOutput",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("file_name", models.CharField(max_length=120)),
                ("content_type", models.CharField(max_length=100)),
                ("size_bytes", models.PositiveIntegerField()),
                ("data", safemoves.common.fields.EncryptedTextField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField()),
                (
                    "job",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="output", to="jobs.job"
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisations.organisation"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["expires_at"], name="job_output_expiry_idx")],
            },
        ),
    ]
