from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from journal.backup import BackupError, backup_restore
from reflect.models import User


class Command(BaseCommand):
    help = "Restore a full backup (JSON) into a clinician's account; safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("path", help="The backup file")

    def handle(self, *args: Any, email: str, path: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account for {email}")
        try:
            added = backup_restore(user=user, raw=Path(path).read_bytes())
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{n} {kind}" for kind, n in added.items())
        self.stdout.write(f"Restored into {user.email}. Added: {summary}.")
