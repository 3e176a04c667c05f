from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from journal.services import trash_purge


class Command(BaseCommand):
    help = "Delete for good the entries that have been in the trash longer than --days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="Days in the trash (default 30)")

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        if days < 0:
            self.stderr.write("--days must be zero or more")
            raise SystemExit(2)
        entries = trash_purge(days=days)
        self.stdout.write(f"Purged {entries} entr{'y' if entries == 1 else 'ies'} from the trash.")
