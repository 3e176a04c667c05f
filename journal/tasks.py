"""Background work, run by `manage.py db_worker` (django-tasks with its database backend)."""

from django_tasks import task

from journal.services import export_run


@task()
def export_packet(record_id: int) -> None:
    export_run(record_id=record_id)
