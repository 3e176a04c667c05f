"""Accounts made before allauth keep their password and sign in after the migration."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reflect", "0006_security_event"), ("account", "0009_emailaddress_unique_primary_email")]
AFTER = [("reflect", "0007_email_addresses_verified")]


def test_an_existing_account_is_verified_and_signs_in() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldUser = old_apps.get_model("reflect", "User")
    OldUser.objects.create(email="veteran@example.org", password=make_password(PASSWORD))
    OldUser.objects.create(email="second@example.org", password=make_password(PASSWORD))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    EmailAddress = new_apps.get_model("account", "EmailAddress")
    rows = sorted(EmailAddress.objects.values_list("email", "verified", "primary"))
    assert rows == [("second@example.org", True, True), ("veteran@example.org", True, True)]

    call_command("migrate", verbosity=0)  # the rest of the schema, for the requests below
    client = Client()
    r = client.post("/accounts/login/", {"login": "Veteran@example.org", "password": PASSWORD})
    assert r.status_code == 302
    assert r["Location"] == "/"
    assert client.get("/entries/").status_code == 200
