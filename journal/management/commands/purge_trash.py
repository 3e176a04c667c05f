from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from journal.services.entries import trash_purge

NAMES = {
    "entries": ("entry", "entries"),
    "repairs": ("repair note", "repair notes"),
    "supervision_sessions": ("supervision session", "supervision sessions"),
}


class Command(BaseCommand):
    help = "Delete for good what has been in the trash longer than --days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="Days in the trash (default 30)")

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        if days < 0:
            self.stderr.write("--days must be zero or more")
            raise SystemExit(2)
        counts = trash_purge(days=days)
        summary = ", ".join(
            f"{n} {NAMES[what][0] if n == 1 else NAMES[what][1]}" for what, n in counts.items()
        )
        self.stdout.write(f"Purged from the trash: {summary}.")
