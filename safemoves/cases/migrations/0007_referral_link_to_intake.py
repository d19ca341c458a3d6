"""ReferralLink now belongs to intake (``intake.0001_referral_link_from_cases``). State only: the
table ``cases_referrallink`` and its rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_case_reference_with_landlord_code"),
        ("intake", "0001_referral_link_from_cases"),
        ("api", "0002_referral_link_in_intake"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReferralLink")],
            database_operations=[],
        ),
    ]
