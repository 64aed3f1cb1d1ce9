"""The checks behind ``/healthz`` (issue 17 item 3): database, shared cache, worker queue.

Each check answers only True or False; nothing of the error, the versions, the host names
or the queue's content leaves this module, so the endpoint leaks nothing to whoever asks.
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    """True when the default database answers ``SELECT 1``."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("health check: database")
        return False


def cache_ok() -> bool:
    """True when the shared cache stores and returns a value (a key of its own, 10 s)."""
    key = f"dmk:healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", 10)
        found = cache.get(key) == "ok"
        cache.delete(key)
        return found
    except Exception:  # any backend error (Redis down, disk full) means "not healthy"
        logger.exception("health check: cache")
        return False


def oldest_due_task_age(now: datetime.datetime | None = None) -> datetime.timedelta | None:
    """How long the oldest queued job that is due has waited (django-tasks-db's ``READY``
    rows whose ``run_after`` has come), or None when none waits. A job with a ``run_after``
    counts from then, others from ``enqueued_at``. Raises DatabaseError when the database
    cannot be read."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    row = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", "run_after")
        .first()
    )
    if row is None:
        return None
    enqueued_at, run_after = row
    due = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
    return max(now - due, datetime.timedelta(0))


def queue_ok() -> bool:
    """True when no due job has waited longer than ``DMK_HEALTH_QUEUE_MAX_AGE`` seconds
    (a worker is running and keeping up)."""
    try:
        age = oldest_due_task_age()
    except DatabaseError:
        logger.exception("health check: queue")
        return False
    return age is None or age.total_seconds() <= settings.DMK_HEALTH_QUEUE_MAX_AGE


def health() -> dict[str, bool]:
    """``{"database": …, "cache": …, "queue": …}``; the queue is checked only when the
    database answers (False otherwise)."""
    database = database_ok()
    return {"database": database, "cache": cache_ok(), "queue": database and queue_ok()}
