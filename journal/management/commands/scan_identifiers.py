from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from journal.models import Entry, RepairNote
from journal.privacy import entry_texts, known_codes, review
from reflect.models import User


class Command(BaseCommand):
    help = (
        "Report, per entry and repair note, the possible client identifiers the check finds "
        "in what a clinician has already written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The clinician's account")
        parser.add_argument(
            "--show-text",
            action="store_true",
            help="Print the matched passages too (they may identify a client; off by default)",
        )

    def handle(self, *args: Any, email: str, show_text: bool, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account for {email}")
        codes = known_codes(user)
        flagged = 0
        total = 0
        sources = [
            ("entry", Entry.objects.for_user(user).alive().prefetch_related("answers__prompt"),
             entry_texts, lambda e: e.session_date),
            ("repair note", RepairNote.objects.for_user(user).alive(), RepairNote.labelled_texts,
             lambda r: r.moment_date),
        ]  # fmt: skip
        for name, queryset, texts, day in sources:
            for obj in queryset.iterator(chunk_size=500):
                total += 1
                fields = review(texts(obj), codes=codes, acknowledged=obj.identifiers_ok)
                if not fields:
                    continue
                flagged += 1
                self.stdout.write(f"{name} {obj.pk} ({day(obj):%Y-%m-%d}):")
                for field in fields:
                    for f in field.findings:
                        shown = f": {f.text}" if show_text else ""
                        self.stdout.write(f"  {field.label[:60]}: {f.kind}{shown}")
        self.stdout.write(
            f"{flagged} of {total} entries and repair notes have possible identifiers."
        )
