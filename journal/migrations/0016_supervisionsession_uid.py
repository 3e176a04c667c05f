import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    # One uid each: a default on AddField would give every existing row the same one.
    model = apps.get_model("journal", "SupervisionSession")
    for pk in model.objects.values_list("pk", flat=True).iterator():
        model.objects.filter(pk=pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("journal", "0015_answer_and_commitment_indexes")]

    operations = [
        migrations.AddField(
            model_name="supervisionsession",
            name="uid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="supervisionsession",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
    ]
