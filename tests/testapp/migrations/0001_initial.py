import uuid

from django.db import migrations, models

import safemoves.common.fields


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SecretNote",
            fields=[
                (
                    "id",
                    models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
                ),
                ("org_ref", models.CharField(max_length=20)),
                ("name", safemoves.common.fields.EncryptedTextField()),
                ("address", safemoves.common.fields.EncryptedTextField(blank=True, null=True)),
                ("born", safemoves.common.fields.EncryptedDateField(blank=True, null=True)),
            ],
            options={"ordering": ["org_ref"]},
        ),
    ]
