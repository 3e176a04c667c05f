"""axe-core on every page, signed in with a seeded journal and signed out, at 360 and 1280 px.

The pages come from the URLconf (``tests/urlconf.py``): every route that answers a GET
with a 200 HTML page, filled with real objects, so a new page is checked without anyone
listing it here. axe-core is vendored under ``tests/vendor/`` for this test only; the
app never serves it. Serious and critical violations fail, each reported with its page,
width and rule.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from journal.models import Entry, Packet, RepairNote
from reflect.models import User
from tests.conftest import PASSWORD
from tests.conftest import signed_in as signed_in_as
from tests.urlconf import fill, make_journal, routes, supervisor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = next(Path(__file__).parent.glob("vendor/axe-core-*/axe.min.js"))
WIDTHS = [360, 1280]
FAILING = ("serious", "critical")
# Pages a URL's parameters cannot show on their own: a few query strings worth checking too.
EXTRA = ["/entries/new/?template=after-session", "/search/?q=faith", "/search/?q=client"]
EMAIL = "axe@example.org"


def html_pages(
    client: Client, *, public: bool, objects: dict[str, Any], broken: list[str]
) -> list[str]:
    """Every URL that answers this client's GET with a 200 HTML page, itself.

    A page that fails (5xx) cannot be checked: it goes into ``broken``, to fail the test.
    """
    found: list[str] = []
    for route in routes():
        if route.public != public:
            continue
        try:
            url = fill(route, objects)
        except LookupError:
            continue  # the access matrix fails for it, naming it; nothing to show here
        r = client.get(url)
        if r.status_code == 200 and r.get("Content-Type", "").startswith("text/html"):
            found.append(url)
        elif r.status_code >= 500:
            broken.append(f"{url} answered {r.status_code}: not checked")
    return found


def axe_violations(page: Any, url: str, width: int) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("load")
    # Evaluated through DevTools, as the app's CSP (rightly) refuses inline scripts.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " +
                    (n.failureSummary || "").split("\\n").slice(1, 2).join(""))}));
        }"""
    )
    return [
        f"{url} at {width}px: {v['id']} ({v['impact']}) {v['help']}: {json.dumps(v['nodes'])}"
        for v in results
        if v["impact"] in FAILING
    ]


@pytest.fixture
def journal(builtin: None) -> dict[str, Any]:
    """A clinician with a seeded journal, plus one of everything the URLconf can name."""
    call_command("seed_demo", "--email", EMAIL, "--entries", "40", "--seed", "7", stdout=StringIO())
    user = User.objects.get(email=EMAIL)
    user.set_password(PASSWORD)
    user.save()
    objects = make_journal(user)
    # The seeded writing, not make_journal's one-liners, on the pages that show one thing.
    seeded_entry = Entry.objects.for_user(user).exclude(pk=objects["entry"].pk).first()
    if seeded_entry is not None:
        objects["packet"].entries.add(seeded_entry)
    seeded_repair = RepairNote.objects.for_user(user).exclude(pk=objects["repair"].pk).first()
    if seeded_repair is not None:
        objects["packet"].repairs.add(seeded_repair)
    assert Packet.objects.filter(owner=user).exists()
    return objects


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_violations_on_any_page(
    chromium: Any, live_server: Any, journal: dict[str, Any], width: int
) -> None:
    problems: list[str] = []
    anonymous = Client(raise_request_exception=False)
    public = html_pages(anonymous, public=True, objects=journal, broken=problems)
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(User.objects.get(email=EMAIL))
    private = html_pages(signed_in, public=False, objects=journal, broken=problems) + EXTRA
    # The public pages a newcomer meets first must be among them, whatever else changes.
    for must in ("/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        assert must in public, f"{must} did not answer 200 HTML"
    assert len(private) > 25, private

    # The supervisor's side, as the clinician's supervisor and as someone invited.
    walks: list[tuple[Client | None, list[str]]] = [(None, public), (signed_in, private)]
    for user in (journal["supervisor"], supervisor(journal["invited"].email)):
        client = signed_in_as(user)  # with two-factor, as supervisors sign in
        pages = html_pages(client, public=False, objects=journal, broken=problems)
        walks.append((client, [url for url in pages if url.startswith("/supervising/")]))
    assert len(walks[2][1]) >= 3 and len(walks[3][1]) >= 1, walks[2:]

    for client, urls in walks:
        context = chromium.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 800}
        )
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            if client is not None:
                # Sign in as the test client did: its session cookie, so the walk does not
                # depend on the sign-in form (the browser tests of accounts walk that).
                name = settings.SESSION_COOKIE_NAME
                cookie = {"name": name, "value": client.cookies[name].value}
                context.add_cookies([{**cookie, "url": live_server.url}])
            for url in urls:
                problems += axe_violations(page, url, width)
        finally:
            context.close()
    assert problems == [], "\n".join(problems)
