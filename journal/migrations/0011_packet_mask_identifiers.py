"""Packets hide what the identifier check finds, and client codes, unless the clinician
chooses otherwise. Packets saved before are masked too: the preview shows the change."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0010_search_fts5"),
    ]

    operations = [
        migrations.AddField(
            model_name="packet",
            name="mask_identifiers",
            field=models.BooleanField(
                default=True,
                verbose_name="hide what looks identifying (names, places, dates, numbers…) "
                "behind its kind, such as [name]",
            ),
        ),
        migrations.AlterField(
            model_name="packet",
            name="pseudonymise_codes",
            field=models.BooleanField(
                default=True, verbose_name="replace client codes with Client A, B, …"
            ),
        ),
    ]
