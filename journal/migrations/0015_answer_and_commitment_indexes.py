"""Indexes for pages that count or list thousands of rows (issue 14, point 8b).

Answers by (owner, prompt, entry): counts by prompt, less those in trashed entries, come
from the index alone on SQLite (it replaces the narrower (owner, prompt) index). Open and
done commitments each have a partial index in the order they are listed.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0014_supervision"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(
                fields=["owner", "prompt", "entry"], name="answer_owner_prompt_entry"
            ),
        ),
        migrations.RemoveIndex(
            model_name="answer",
            name="answer_owner_prompt",
        ),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)),
                fields=["owner", "-created_at", "-id"],
                name="commitment_owner_open",
            ),
        ),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                condition=models.Q(("done_at__isnull", False)),
                fields=["owner", "-done_at", "-id"],
                name="commitment_owner_done",
            ),
        ),
    ]
