"""The background worker that outlives the database's bad moments.

django-tasks-db's own `db_worker` stops on the first database error it does not
expect: one "database is locked" at the wrong moment on SQLite, or a refused
connection while PostgreSQL restarts, and no export finishes after that. This
command runs the same Worker (its claiming, task running and signal handling)
one step at a time, and a database error costs one step, not the worker: it is
logged in one line, the connections are dropped, and the step is tried again
after a pause that doubles up to a cap.

SIGTERM or Ctrl+C lets the current task finish, then the worker exits; a
second one stops the task, which is then recorded as failed.
"""

from __future__ import annotations

import logging
import os
import random
import time
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.db import connections as db_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet
from django_tasks_db.utils import exclusive_transaction

log = logging.getLogger("reflect.worker")

# InterfaceError (a connection already closed) is not a DatabaseError in Django.
DATABASE_ERRORS = (DatabaseError, InterfaceError)
BACKOFF_START_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 10.0
# How often the worker looks for jobs whose worker died (their lease ran out).
RECLAIM_SECONDS = 15.0


class ResilientWorker(db_worker.Worker):
    def __init__(
        self,
        *,
        backoff_start: float = BACKOFF_START_SECONDS,
        backoff_max: float = BACKOFF_MAX_SECONDS,
        sleep: Callable[[float], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.backoff_start = backoff_start
        self.backoff_max = backoff_max
        self.sleep = sleep or time.sleep
        self.failures = 0
        self.last_reclaim = -RECLAIM_SECONDS

    def run(self) -> None:
        log.info("worker %s started, queues=%s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            # Workers started together do not all ask the database at once.
            self.sleep(random.random())  # noqa: S311
        while self.running:
            try:
                outcome = self.step()
            except DATABASE_ERRORS as exc:
                self.running_task = False
                self.wait_after(exc)
                continue
            if self.failures:
                log.info("worker: database answering again after %d failed tries", self.failures)
                self.failures = 0
            if outcome is None:
                return
            if not outcome and self.running:
                self.sleep(self.interval)

    def step(self) -> bool | None:
        """Claim and run the next ready task.

        True when one ran, False when none was ready, None when the worker should stop
        (SIGTERM, --batch with nothing left, --max-tasks reached).
        """
        close_old_connections()
        self.reclaim()
        tasks = self.ready_tasks()
        # Marked busy before claiming, so a SIGTERM between the claim and the run lets
        # the claimed task run instead of leaving it claimed by a worker that is gone.
        self.running_task = True
        task_result: DBTaskResult | None = None
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        finally:
            if task_result is None:
                self.running_task = False
        if task_result is None:
            return None if self.batch or not self.running else False
        self.run_task(task_result)
        close_old_connections()
        if not self.running:
            return None
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            log.info("worker %s ran its %d tasks, exiting", self.worker_id, self._run_tasks)
            return None
        return True

    def reclaim(self) -> None:
        """Take up again (or fail) the jobs of a worker that died, so none stays running."""
        now = time.monotonic()
        if now - self.last_reclaim < RECLAIM_SECONDS:
            return
        self.last_reclaim = now
        from journal.tasks import reclaim_all

        if acted := reclaim_all():
            log.info(
                "worker %s: %d abandoned job(s) taken up again or failed", self.worker_id, acted
            )

    def ready_tasks(self) -> DBTaskResultQuerySet:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def wait_after(self, exc: DatabaseError | InterfaceError) -> None:
        self.failures += 1
        delay = min(self.backoff_start * 2 ** (self.failures - 1), self.backoff_max)
        # Connection errors describe the connection; others could quote a row's values.
        detail = ""
        if isinstance(exc, OperationalError | InterfaceError):
            detail = f": {str(exc).strip().splitlines()[0][:120]}" if str(exc).strip() else ""
        log.warning(
            "worker: database error %s%s; try %d, retrying in %.1f s",
            type(exc).__qualname__,
            detail,
            self.failures,
            delay,
        )
        drop_connections()
        self.sleep(delay)


def drop_connections() -> None:
    # A broken or locked connection is not reused: the next step opens a fresh one.
    for connection in db_connections.all(initialized_only=True):
        try:
            connection.close()
        except DATABASE_ERRORS:
            connection.connection = None


class Command(db_worker.Command):
    help = (
        "Run the background worker (django-tasks-db's, retrying database errors with backoff "
        "instead of exiting)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--backoff-max",
            type=float,
            default=BACKOFF_MAX_SECONDS,
            help="Longest pause between tries while the database is unavailable, in seconds "
            "(default: %(default)s)",
        )

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        backoff_max: float,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
            backoff_max=backoff_max,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                # Only the reloaded child handles signals, as db_worker does.
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            try:
                worker.run()
            finally:
                worker.reset_signals()
