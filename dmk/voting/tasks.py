"""Scheduled jobs of the voting app (django-tasks, queue ``queue``)."""

from __future__ import annotations

from django_tasks import task

from dmk.voting.services import close_due_written_procedures


@task(queue_name="default", backend="queue")
def close_written_procedures_task() -> int:
    """Close every written procedure past its deadline (DOMAIN rule 8); returns how many.
    Enqueued daily after midnight Europe/Berlin (e.g. by cron running
    ``manage.py close_written_procedures --enqueue``)."""
    return close_due_written_procedures()
