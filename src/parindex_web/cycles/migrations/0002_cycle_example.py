"""``Cycle.example``: an explicit flag for example data (it was guessed from the name).

Existing cycles keep their warning: those whose methodology is an example, or whose name says
"ví dụ" (the demo data's convention before this flag), are flagged.
"""

from typing import Any

from django.db import migrations, models


def flag_existing(apps: Any, schema_editor: Any) -> None:
    Cycle = apps.get_model("cycles", "Cycle")
    for cycle in Cycle.objects.select_related("methodology"):
        if cycle.methodology.example or "ví dụ" in cycle.name.lower():
            cycle.example = True
            cycle.save(update_fields=["example"])


class Migration(migrations.Migration):
    dependencies = [("cycles", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="cycle",
            name="example",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Every page, download and API answer of this cycle says it is example data."
                ),
                verbose_name="example data (not official)",
            ),
        ),
        migrations.RunPython(flag_existing, migrations.RunPython.noop),
    ]
