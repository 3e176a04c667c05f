import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from journal.backup import backup_stream
from reflect.models import User


class Command(BaseCommand):
    help = "Write a clinician's full backup (JSON) to a file or standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--output", "-o", help="File to write (default: standard output)")

    def handle(self, *args: Any, email: str, output: str | None, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account for {email}")
        if output:
            with open(output, "w", encoding="utf-8") as out:
                for piece in backup_stream(user):
                    out.write(piece)
            self.stderr.write(f"Wrote the backup of {user.email} to {output}.")
        else:
            for piece in backup_stream(user):
                sys.stdout.write(piece)
