import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Prompt = apps.get_model("reflect", "Prompt")
    for pk in Prompt.objects.values_list("pk", flat=True).iterator():
        Prompt.objects.filter(pk=pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("reflect", "0003_user_time_zone")]

    operations = [
        migrations.AddField(
            model_name="prompt", name="uid", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="prompt",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
    ]
