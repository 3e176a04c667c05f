from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Prefetch

from journal.kinds import KINDS
from journal.models import Answer
from journal.privacy import known_codes, review
from reflect.models import User


class Command(BaseCommand):
    help = (
        "Report, per entry and repair note, the possible client identifiers the check finds "
        "in what a clinician has already written, and the counts per kind of identifier."
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
        flagged = total = 0
        per_kind: Counter[str] = Counter()
        for kind in KINDS:
            queryset = kind.objects().for_user(user).alive()
            if any(r.name == "answers" for r in kind.relations):
                answers = Answer.objects.select_related("prompt")
                queryset = queryset.prefetch_related(Prefetch("answers", queryset=answers))
            for obj in queryset.iterator(chunk_size=500):
                total += 1
                texts = kind.labelled_texts(obj)
                fields = review(texts, codes=codes, acknowledged=obj.identifiers_ok)
                if not fields:
                    continue
                flagged += 1
                day = getattr(obj, kind.date_field)
                self.stdout.write(f"{kind.label} {obj.pk} ({day:%Y-%m-%d}):")
                for field in fields:
                    for f in field.findings:
                        per_kind[f.kind] += 1
                        shown = f": {f.text}" if show_text else ""
                        self.stdout.write(f"  {field.label[:60]}: {f.kind}{shown}")
        self.stdout.write(
            f"{flagged} of {total} entries and repair notes have possible identifiers."
        )
        for name, count in sorted(per_kind.items(), key=lambda kv: (-kv[1], kv[0])):
            self.stdout.write(f"  {name}: {count}")
