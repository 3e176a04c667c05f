from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from journal.demo import seed_demo
from reflect.services import builtin_content_load


class Command(BaseCommand):
    help = "Create a demo clinician with N realistic entries spread over the past years."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--entries", type=int, default=200)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=None, help="For repeatable data")

    def handle(self, *args: Any, **options: Any) -> None:
        builtin_content_load()
        password = seed_demo(
            email=options["email"],
            entries=options["entries"],
            years=options["years"],
            seed=options["seed"],
        )
        self.stdout.write(
            f"Created {options['entries']} entries for {options['email']}.\n"
            f"Password (shown once): {password}"
        )
