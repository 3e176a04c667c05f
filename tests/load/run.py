"""`make load`: 50 clinicians for 60 s against a running server, then a count of lost writes.

    HOST=http://127.0.0.1:8000 make load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reflect_load HOST=... make load

The server must use the database this process reads (DATABASE_URL, else the
SQLite file under var/), because the accounts are made there before the run and
every acknowledged write is looked up there after it. Prints errors, lost writes
and p50/p95 per endpoint; exits 1 if there were errors or lost writes.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "load"
PASSWORD = "load-test-password-1"  # accounts made for the load run only
ACCOUNT = "load-{:02d}@example.org"


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflect.settings")
    import django

    django.setup()


def make_accounts(count: int) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from reflect.models import User

    # One hash for all: hashing fifty times would take longer than the run.
    password = make_password(PASSWORD)
    for n in range(1, count + 1):
        user, _ = User.objects.get_or_create(email=ACCOUNT.format(n))
        user.password = password
        user.save(update_fields=["password"])
        # Sign-in needs a verified address (allauth); these accounts are ours.
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


def run_locust(host: str, users: int, seconds: int) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "LOAD_PASSWORD": PASSWORD, "LOAD_RECORD": str(OUT / "acknowledged.json")}
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(ROOT / "tests" / "load" / "locustfile.py"),
        "--headless",
        "--host",
        host,
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),
        "--run-time",
        f"{seconds}s",
        # Let each clinician finish what they are doing, so no write is cut off mid-air.
        "--stop-timeout",
        "30",
        "--csv",
        str(OUT / "stats"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    return subprocess.run(command, env=env, check=False).returncode


def lost_writes() -> tuple[int, int, list[str]]:
    from journal.models import Entry

    record = json.loads((OUT / "acknowledged.json").read_text())
    bodies = dict(Entry.objects.filter(pk__in=[int(pk) for pk in record]).values_list("pk", "body"))
    problems = []
    checked = 0
    for pk, writes in record.items():
        if writes["acked"] is None:
            continue
        checked += 1
        stored = bodies.get(int(pk))
        # A write sent after the last acknowledged one may have landed unacknowledged.
        if stored != writes["acked"] and stored not in writes["tried"]:
            problems.append(f"entry {pk}: acknowledged text not in the database")
    return checked, len(problems), problems


def report() -> int:
    rows = list(csv.DictReader((OUT / "stats_stats.csv").open()))
    errors = 0
    print(f"\n{'endpoint':40} {'requests':>8} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        label = f"{row['Type']} {name}".strip()
        failures = int(row["Failure Count"])
        if name != "all":
            errors += failures
        print(f"{label:40} {row['Request Count']:>8} {failures:>7} {row['50%']:>7} {row['95%']:>7}")
    failures_csv = OUT / "stats_failures.csv"
    if failures_csv.exists():
        for row in csv.DictReader(failures_csv.open()):
            print(f"  failure: {row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()

    django_setup()
    make_accounts(args.users)
    locust_status = run_locust(args.host, args.users, args.seconds)
    errors = report()
    checked, lost, problems = lost_writes()
    for line in problems[:20]:
        print("  lost:", line)
    print(f"\nerrors: {errors}   lost writes: {lost} (of {checked} entries written)")
    if locust_status not in (0, 1):
        print(f"locust exited with {locust_status}")
        return 1
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
