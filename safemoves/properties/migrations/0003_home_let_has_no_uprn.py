"""A let home keeps no UPRN (issue 10 item 15): clear it on homes already let, then insist."""

from typing import Any

from django.db import migrations, models


def clear_let_uprns(apps: Any, schema_editor: Any) -> None:
    home_model = apps.get_model("properties", "Home")
    # Rerunnable: only rows still breaking the rule are touched.
    home_model._base_manager.filter(status="let").exclude(uprn="").update(uprn="")


class Migration(migrations.Migration):
    dependencies = [
        ("properties", "0002_home_position_uncertainty"),
    ]

    operations = [
        migrations.RunPython(clear_let_uprns, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="home",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("status", "let"), _negated=True), ("uprn", ""), _connector="OR"),
                name="home_let_has_no_uprn",
            ),
        ),
    ]
