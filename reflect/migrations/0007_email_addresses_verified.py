"""Every account made before allauth keeps signing in: its email becomes a verified,
primary allauth EmailAddress (these addresses were trusted as sign-in names before)."""

from django.db import migrations

BATCH = 500


def verify_existing_emails(apps, schema_editor):
    User = apps.get_model("reflect", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.filter(primary=True).values_list("user_id", flat=True))
    batch = []
    for user_id, email in User.objects.exclude(email="").values_list("pk", "email").iterator():
        if user_id in have:
            continue
        batch.append(EmailAddress(user_id=user_id, email=email.lower(), verified=True, primary=True))
        if len(batch) >= BATCH:
            EmailAddress.objects.bulk_create(batch)
            batch = []
    if batch:
        EmailAddress.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("reflect", "0006_security_event"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(verify_existing_emails, migrations.RunPython.noop, elidable=False),
    ]
