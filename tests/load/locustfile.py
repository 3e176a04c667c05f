"""50 clinicians writing, autosaving, editing, listing and searching (run by tests/load/run.py).

Each simulated clinician signs in as one of the accounts run.py made, then
writes new entries (the form, three autosaves as the text grows, the final
save), edits earlier ones, lists them and searches. Every write the server
acknowledged is remembered with its text, and run.py checks afterwards that
the database holds exactly that text: a write that answered 200 and is not
there is a lost write.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from datetime import date
from typing import Any

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-password-1")
ACCOUNT = "load-{:02d}@example.org"
RECORD_PATH = os.environ.get("LOAD_RECORD", "var/load/acknowledged.json")

# Ordinary words that are neither names nor anything the identifier check flags.
WORDS = [
    *("reflection", "curiosity", "silence", "pause", "listening", "repair", "trust"),
    *("rhythm", "breath", "noticing", "tension", "warmth", "distance", "pacing"),
    *("language", "gesture", "boundary", "humility", "question", "attune", "uncertain"),
    *("steady", "gentle", "careful", "patient", "slower", "clearer", "softer", "explore"),
]
SEARCH_WORDS = ["curiosity", "repair", "silence", "humility", "listening", "trust pacing"]

HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"')

accounts = itertools.count(1)

# entry pk -> {"acked": last text the server acknowledged, "tried": texts sent since}
acknowledged: dict[int, dict[str, Any]] = {}


def sentence(n: int) -> str:
    return " ".join(random.choice(WORDS) for _ in range(n)) + "."


def hidden_fields(html: str) -> dict[str, str]:
    return dict(HIDDEN.findall(html))


def entry_fields(hidden: dict[str, str], body: str) -> dict[str, Any]:
    return {
        "csrfmiddlewaretoken": hidden.get("csrfmiddlewaretoken", ""),
        "edit_session": hidden.get("edit_session", ""),
        "draft_key": hidden.get("draft_key", ""),
        "version": hidden.get("version", ""),
        "template_slug": "",
        "session_date": date.today().isoformat(),
        "client_code": "C-7Q4",
        "session_kind": "ongoing",
        "cultural_moment": "yes",
        "my_response": "explored",
        "feelings": "curious",
        "addressing_domains": ["religion"],
        "tags": "load",
        "body": body,
        "status": "complete",
    }


class Clinician(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.email = ACCOUNT.format(next(accounts))
        self.entries: list[int] = []
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = hidden_fields(page.text).get("csrfmiddlewaretoken", "")
        with self.client.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "login": self.email, "password": PASSWORD},
            name="/accounts/login/ POST",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"login answered {r.status_code}")

    def tried(self, pk: int, body: str) -> None:
        acknowledged.setdefault(pk, {"acked": None, "tried": []})["tried"].append(body)

    def acked(self, pk: int, body: str) -> None:
        acknowledged[pk] = {"acked": body, "tried": []}

    def autosave(self, url: str, name: str, fields: dict[str, Any]) -> dict[str, Any] | None:
        with self.client.post(
            url,
            fields,
            name=name,
            headers={"X-Requested-With": "fetch"},
            catch_response=True,
        ) as r:
            try:
                data = r.json()
            except ValueError:
                r.failure(f"{r.status_code}, not JSON")
                return None
            if r.status_code != 200 or not data.get("saved"):
                r.failure(f"{r.status_code} {data.get('error', '')}")
                return None
            return data

    def save(self, pk: int, fields: dict[str, Any]) -> None:
        self.tried(pk, fields["body"])
        with self.client.post(
            f"/entries/{pk}/edit/",
            fields,
            name="/entries/[id]/edit/ POST",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code == 302 and r.headers.get("Location", "").endswith(f"/entries/{pk}/"):
                self.acked(pk, fields["body"])
            else:
                r.failure(f"save answered {r.status_code}")

    def type_and_autosave(self, pk: int, fields: dict[str, Any], times: int) -> None:
        for _ in range(times):
            fields["body"] += " " + sentence(random.randint(4, 12))
            self.tried(pk, fields["body"])
            data = self.autosave(f"/entries/{pk}/autosave/", "/entries/[id]/autosave/", fields)
            if data is None:
                return
            self.acked(pk, fields["body"])
            fields["version"] = str(data["version"])

    @task(4)
    def write_an_entry(self) -> None:
        page = self.client.get("/entries/new/?template=", name="/entries/new/")
        if page.status_code != 200:
            return
        fields = entry_fields(hidden_fields(page.text), sentence(8))
        data = self.autosave("/entries/autosave/", "/entries/autosave/", fields)
        if data is None:
            return
        pk = int(data["id"])
        self.acked(pk, fields["body"])
        self.entries.append(pk)
        fields["version"] = str(data["version"])
        self.type_and_autosave(pk, fields, times=2)
        self.save(pk, fields)

    @task(3)
    def edit_an_entry(self) -> None:
        if not self.entries:
            return
        pk = random.choice(self.entries)
        page = self.client.get(f"/entries/{pk}/edit/", name="/entries/[id]/edit/")
        if page.status_code != 200:
            return
        hidden = hidden_fields(page.text)
        current = acknowledged.get(pk, {}).get("acked") or ""
        fields = entry_fields(hidden, current)
        self.type_and_autosave(pk, fields, times=2)
        self.save(pk, fields)

    @task(3)
    def list_entries(self) -> None:
        self.client.get("/entries/", name="/entries/")

    @task(2)
    def search(self) -> None:
        self.client.get(f"/search/?q={random.choice(SEARCH_WORDS)}", name="/search/")


@events.quitting.add_listener
def write_record(**_: Any) -> None:
    os.makedirs(os.path.dirname(RECORD_PATH) or ".", exist_ok=True)
    with open(RECORD_PATH, "w") as f:
        json.dump({str(pk): value for pk, value in acknowledged.items()}, f)
