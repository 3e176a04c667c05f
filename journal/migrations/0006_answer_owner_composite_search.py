import django.db.models.deletion
from django.conf import settings
from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations, models

import journal.search


def fill_owner(apps, schema_editor):
    Answer = apps.get_model("journal", "Answer")
    Entry = apps.get_model("journal", "Entry")
    Answer.objects.update(
        owner_id=models.Subquery(
            Entry.objects.filter(pk=models.OuterRef("entry_id")).values("owner_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0005_packets_exports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # GIN over (owner, search vector) needs btree_gin on PostgreSQL; a no-op elsewhere.
        BtreeGinExtension(),
        migrations.AddField(
            model_name="answer",
            name="owner",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(fill_owner, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="answer",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(fields=["owner", "prompt"], name="answer_owner_prompt"),
        ),
        migrations.RemoveIndex(model_name="entry", name="entry_search"),
        migrations.RemoveIndex(model_name="repairnote", name="repair_search"),
        migrations.AddIndex(
            model_name="entry",
            index=journal.search.DocumentIndex(
                fields=["owner", "search_vector"], name="entry_owner_search"
            ),
        ),
        migrations.AddIndex(
            model_name="repairnote",
            index=journal.search.DocumentIndex(
                fields=["owner", "search_vector"], name="repair_owner_search"
            ),
        ),
    ]
