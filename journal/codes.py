"""Client codes: the one rule that suggests them and the same rule that checks them.

A code stands in for a client in everything the clinician writes, so it must never
be a name or initials. A code is letters, digits and hyphens, at most 12 characters,
with at least one digit and no run of three letters (which is how names and initials
look). ``suggest`` draws codes until one passes ``check``, so every suggested code is
accepted.
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError

MAX_LENGTH = 12
ALPHABET = "ACDEFGHJKMNPQRTUVWXY3479"  # no look-alikes such as O/0, I/1, S/5
SHAPE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
LETTER_RUN = re.compile(r"[A-Z]{3,}")

EXAMPLE = "C-7Q4"
NAME_LIKE = (
    f"looks like a name or initials — use a code with at least one digit, such as {EXAMPLE}, "
    "never a client's name or initials"
)


def check(raw: str) -> str:
    """The code, normalised to upper case; raises ValidationError when it breaks the rule."""
    value = raw.strip().upper()
    if not value:
        return ""
    if len(value) > MAX_LENGTH:
        raise ValidationError(f"A client code has at most {MAX_LENGTH} characters, like {EXAMPLE}.")
    if any(c.isspace() for c in value) or LETTER_RUN.search(value) or not re.search(r"\d", value):
        raise ValidationError(f"This {NAME_LIKE}.")
    if not SHAPE.match(value):
        raise ValidationError(f"Use letters, digits and hyphens only, like {EXAMPLE}.")
    return value


def is_valid(raw: str) -> bool:
    try:
        check(raw)
    except ValidationError:
        return False
    return True


def suggest(taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A short pseudonymous code like C-7Q4 that passes ``check`` and is not yet used."""
    while True:
        code = "C-" + "".join(secrets.choice(ALPHABET) for _ in range(3))
        if code not in taken and is_valid(code):
            return code
