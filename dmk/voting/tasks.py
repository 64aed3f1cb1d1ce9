"""Scheduled jobs of the voting app (django-tasks, queue ``queue``)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django_tasks import task

from dmk.meetings.tasks import send_with_retries
from dmk.voting.models import WrittenProcedure
from dmk.voting.services import (
    close_due_written_procedures,
    written_procedure_notice,
    written_procedure_stopped_notice,
)


@task(queue_name="default", backend="queue")
def close_written_procedures_task() -> int:
    """Close every written procedure past its deadline (DOMAIN rule 8); returns how many.
    Enqueued daily after midnight Europe/Berlin (e.g. by cron running
    ``manage.py close_written_procedures --enqueue``)."""
    return close_due_written_procedures()


@task(queue_name="default", backend="queue")
def notify_written_procedure_task(procedure_id: int) -> int:
    """E-mail every Land's member and permanent deputy that written procedure
    ``procedure_id`` has started (DOMAIN rule 8, issue 6 item 7), one message each, each tried
    up to ``dmk.meetings.tasks.MAX_ATTEMPTS`` times. Returns the number of messages sent."""
    procedure = WrittenProcedure.objects.get(pk=procedure_id)
    subject, body, recipients = written_procedure_notice(procedure)
    for address in recipients:
        send_with_retries(EmailMessage(subject=subject, body=body, to=[address]))
    return len(recipients)


@task(queue_name="default", backend="queue")
def notify_written_procedure_stopped_task(procedure_id: int) -> int:
    """E-mail every Land's member and permanent deputy that written procedure
    ``procedure_id`` was stopped by a demand for oral treatment, and where its proposal goes
    (DOMAIN rule 8; issue 11, Build 4), one message each, each tried up to
    ``dmk.meetings.tasks.MAX_ATTEMPTS`` times. Returns the number of messages sent."""
    procedure = WrittenProcedure.objects.get(pk=procedure_id)
    subject, body, recipients = written_procedure_stopped_notice(procedure)
    for address in recipients:
        send_with_retries(EmailMessage(subject=subject, body=body, to=[address]))
    return len(recipients)
