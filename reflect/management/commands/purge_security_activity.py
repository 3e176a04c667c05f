from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from reflect import activity


class Command(BaseCommand):
    help = "Delete security activity older than SECURITY_ACTIVITY_KEEP_DAYS (default 365)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = activity.purge()
        self.stdout.write(
            f"Deleted {deleted} security event(s) older than "
            f"{settings.SECURITY_ACTIVITY_KEEP_DAYS} days."
        )
