"""Notices by email, from templates in ``templates/emails/<name>-subject.txt`` and
``-body.txt``. They say what happened and link to it; they never carry what anyone wrote."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


def send(name: str, to: str, context: dict[str, Any]) -> None:
    # Plain text: a name such as "O'Neil" must arrive as written, not as HTML entities.
    subject = render_to_string(f"emails/{name}-subject.txt", context)
    body = render_to_string(f"emails/{name}-body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])
    except OSError as exc:  # SMTP down: the change itself is saved; say so in the log only
        log.warning("email %s not sent: %s", name, type(exc).__name__)
