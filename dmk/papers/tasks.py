"""Scheduled jobs of the papers app (django-tasks, backend ``queue``)."""

from __future__ import annotations

from django_tasks import task

from dmk.papers.reminders import send_due_reminders


@task(queue_name="default", backend="queue")
def send_due_reminders_task() -> int:
    """Send the due reminders to Länder that have not registered or submitted (issue 5 item
    4); returns how many were recorded. Enqueued daily (cron running
    ``manage.py send_reminders --enqueue``, see docs/operations.md); the mails themselves go
    out through ``dmk.meetings.tasks.send_reminder_task``."""
    return len(send_due_reminders())
