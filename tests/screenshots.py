"""Regenerate the Help page's pictures (and the 360 px ones under docs/) from the running app.

    .venv/bin/python tests/screenshots.py

It seeds a demo journal into a throwaway SQLite database, serves the app from it
(`manage.py runserver`, DEBUG on, so static files are served), signs in, and photographs
the main screens with the system Chromium: 1280 px wide for static/help/ (linked from
templates/reflect/help.html), 360 px for docs/screenshots/. PNGs are reduced to a
256-colour palette to keep them small. Not a test: pytest does not collect it.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
EMAIL = "demo@example.org"
# (file stem, path, what to do on the page before the picture)
HELP_SHOTS = [
    ("home", "/", None),
    ("new-entry", "/entries/new/?template=after-session", None),
    ("review", "/review/", None),
    ("search", "/search/?q=faith", None),
    ("export", "/export/", None),
    ("supervision", "/supervision/", None),
]
DOCS_SHOTS = ["home", "new-entry", "review", "search"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(env: dict[str, str]) -> str:
    """Migrate and seed the throwaway database; return a signed-in session key."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from reflect.models import User

    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("load_prompts", stdout=quiet)
    call_command("seed_demo", email=EMAIL, entries=300, seed=14, stdout=quiet)
    user = User.objects.get(email=EMAIL)
    user.display_name = "Dr Amara Okafor"
    user.credentials = "Clinical psychologist"
    user.save()
    client = Client()
    client.force_login(user)
    from django.conf import settings

    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def compress(png: bytes, target: Path) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    target.parent.mkdir(parents=True, exist_ok=True)
    small.save(target, optimize=True)
    return target.stat().st_size


def photograph(base: str, session: str, cookie_name: str) -> list[tuple[Path, int]]:
    from playwright.sync_api import sync_playwright

    made: list[tuple[Path, int]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for width, height, folder, names in [
            (1280, 800, ROOT / "static" / "help", [s[0] for s in HELP_SHOTS]),
            (360, 740, ROOT / "docs" / "screenshots", DOCS_SHOTS),
        ]:
            context = browser.new_context(
                base_url=base, viewport={"width": width, "height": height}
            )
            context.add_cookies([{"name": cookie_name, "value": session, "url": base}])
            page: Any = context.new_page()
            for stem, path, _ in HELP_SHOTS:
                if stem not in names:
                    continue
                response = page.goto(path)
                assert response is not None and response.status == 200, (path, response)
                page.wait_for_load_state("networkidle")
                suffix = "" if width == 1280 else f"-{width}"
                target = folder / f"{stem}{suffix}.png"
                made.append((target, compress(page.screenshot(), target)))
            context.close()
        browser.close()
    return made


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {
            "DJANGO_SETTINGS_MODULE": "reflect.settings",
            "DJANGO_DEBUG": "1",
            "DJANGO_SECURE": "0",
            "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3",
        }
        session = seed(env)
        from django.conf import settings

        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.2)
            made = photograph(base, session, settings.SESSION_COOKIE_NAME)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for path, size in made:
        print(f"{path.relative_to(ROOT)}  {size // 1024} KB")
    print(f"total {sum(size for _, size in made) // 1024} KB")


if __name__ == "__main__":
    main()
