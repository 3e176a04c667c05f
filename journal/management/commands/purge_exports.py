from typing import Any

from django.core.management.base import BaseCommand

from journal.tasks import exports_purge


class Command(BaseCommand):
    help = "Delete export files older than EXPORT_KEEP_HOURS (24); the list of exports stays."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Removed {exports_purge()} expired export file(s).")
