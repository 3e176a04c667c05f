import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    for name in ("Entry", "RepairNote"):
        model = apps.get_model("journal", name)
        for pk in model.objects.values_list("pk", flat=True).iterator():
            model.objects.filter(pk=pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("journal", "0006_answer_owner_composite_search")]

    operations = [
        migrations.AddField(
            model_name="entry", name="uid", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.AddField(
            model_name="repairnote", name="uid", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="entry",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="repairnote",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
    ]
