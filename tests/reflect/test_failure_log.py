"""Every request has an id; a failure is one log line with it and without the clinician's text."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Session with the family about grief and faith"


def fail_with_the_text(request: HttpRequest) -> HttpResponse:
    raise ValueError(f"could not save {request.POST.get('body')}")


urlpatterns = [path("boom/", fail_with_the_text)]


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured console handler writes, in the configured format."""
    handler = logging.getLogger("django").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def test_every_response_names_its_request(client: Client) -> None:
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.urls("tests.reflect.test_failure_log")
def test_a_500_logs_one_line_with_the_request_id_and_none_of_the_text(
    log_output: io.StringIO,
) -> None:
    client = Client(raise_request_exception=False)
    r = client.post("/boom/?q=private+words", {"body": SECRET_TEXT})
    assert r.status_code == 500
    request_id = r["X-Request-ID"]

    lines = [line for line in log_output.getvalue().splitlines() if "/boom/" in line]
    assert len(lines) == 1, log_output.getvalue()
    line = lines[0]
    assert f"[{request_id}]" in line
    assert "status=500" in line
    assert "exception=builtins.ValueError" in line
    assert "test_failure_log.py" in line
    assert "method=POST" in line
    output = log_output.getvalue()
    assert "grief" not in output and "private" not in output
    assert "Traceback" not in output


def test_the_500_page_is_styled_without_inline_styles(client: Client) -> None:
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "/static/css/site.css" in page
    assert "bootstrap.min.css" in page
    assert "style=" not in page and "<style" not in page and "<script" not in page


def test_a_missing_page_is_the_styled_404_without_a_list_of_urls(client: Client) -> None:
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    body = r.content.decode()
    assert "Page not found" in body
    assert "/static/css/site.css" in body
    assert "URLconf" not in body and "accounts/" not in body.split("<main")[1]


def test_djangos_own_status_lines_carry_the_request_id_too(
    client: Client, log_output: io.StringIO
) -> None:
    # Django logs a 404 after the middleware has returned; the id comes from the request.
    r = client.get("/no-such-page/")
    line = next(x for x in log_output.getvalue().splitlines() if "Not Found" in x)
    assert f"[{r['X-Request-ID']}]" in line
