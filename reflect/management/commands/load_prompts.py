from typing import Any

from django.core.management.base import BaseCommand

from reflect.services import builtin_content_load


class Command(BaseCommand):
    help = "Create or update the built-in prompts and reflection templates (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = builtin_content_load()
        self.stdout.write(
            f"Built-in prompts: {result.created} created, {result.updated} updated, "
            f"{result.retired} retired. Templates: {result.templates} loaded."
        )
