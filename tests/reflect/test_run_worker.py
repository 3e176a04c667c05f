"""run_worker: django-tasks-db's worker that outlives database errors."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import InterfaceError, OperationalError
from django_tasks import task
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from reflect.management.commands.run_worker import ResilientWorker

pytestmark = pytest.mark.django_db(transaction=True)

RAN: list[str] = []
WORKER: list[ResilientWorker] = []


@task()
def remember(word: str) -> str:
    RAN.append(word)
    return word


@task()
def remember_then_sigterm(word: str) -> str:
    # As if SIGTERM arrived while this task was running.
    WORKER[0].shutdown(signal.SIGTERM, None)
    RAN.append(word)
    return word


@pytest.fixture(autouse=True)
def _database_backend(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    RAN.clear()
    WORKER.clear()


def make_worker(sleeps: list[float], **overrides: Any) -> ResilientWorker:
    options: dict[str, Any] = {
        "queue_names": ["default"],
        "interval": 0.01,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
        "sleep": sleeps.append,
    }
    options.update(overrides)
    worker = ResilientWorker(**options)
    WORKER.append(worker)
    return worker


def failing_first(*errors: Exception) -> Callable[..., Any]:
    """get_locked that raises each error once, then claims as usual."""
    real = DBTaskResultQuerySet.get_locked
    pending = list(errors)

    def get_locked(self: DBTaskResultQuerySet) -> Any:
        if pending:
            raise pending.pop(0)
        return real(self)

    return get_locked


def test_it_survives_a_locked_database_and_a_refused_connection_then_runs_the_task(
    caplog: pytest.LogCaptureFixture,
) -> None:
    result = remember.enqueue("kept")
    sleeps: list[float] = []
    errors = (
        OperationalError("database is locked"),
        OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused'),
        InterfaceError("connection already closed"),
    )
    with mock.patch.object(DBTaskResultQuerySet, "get_locked", failing_first(*errors)):
        make_worker(sleeps).run()

    assert RAN == ["kept"]
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    # Exponential backoff from half a second.
    assert sleeps == [0.5, 1.0, 2.0]
    warnings = [r.getMessage() for r in caplog.records if r.name == "reflect.worker"]
    assert any("OperationalError: database is locked; try 1" in m for m in warnings)
    assert any("answering again after 3 failed tries" in m for m in warnings)


def test_its_backoff_stops_growing_at_the_cap() -> None:
    sleeps: list[float] = []
    errors = [OperationalError("connection refused")] * 8
    with mock.patch.object(DBTaskResultQuerySet, "get_locked", failing_first(*errors)):
        make_worker(sleeps, backoff_max=10.0).run()
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0]


def test_sigterm_lets_the_current_task_finish_then_exits() -> None:
    first = remember_then_sigterm.enqueue("finished")
    second = remember.enqueue("left for the next worker")
    make_worker([], batch=False).run()

    assert RAN == ["finished"]
    assert DBTaskResult.objects.get(id=first.id).status == "SUCCESSFUL"
    assert DBTaskResult.objects.get(id=second.id).status == "READY"


def test_the_command_runs_ready_tasks_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    remember.enqueue("from the command")
    previous = signal.getsignal(signal.SIGTERM)
    call_command("run_worker", "--batch", "--no-startup-delay")
    assert RAN == ["from the command"]
    # The command puts back the signal handlers it installed.
    assert signal.getsignal(signal.SIGTERM) == previous
