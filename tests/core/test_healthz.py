"""``/healthz`` (issue 17 item 3): database, shared cache and worker queue, as ok/fail only."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.db import connection, connections
from django.utils import timezone

from dmk.core import health

pytestmark = pytest.mark.django_db


def test_a_healthy_instance_answers_200_with_ok_for_each_check_and_nothing_else(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "queue": "ok"}
    assert "no-store" in response["Cache-Control"]


def _unreachable_database():
    """A second connection to a database that is down: PostgreSQL on a port nobody listens
    on, or an SQLite file in a directory that does not exist."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    if connection.vendor == "postgresql":
        settings_dict["PORT"] = "1"
        settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "connect_timeout": 2}
    else:
        settings_dict["NAME"] = "/nonexistent-dmk-dir/down.sqlite3"
    return type(connections["default"])(settings_dict, alias="down")


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    down = _unreachable_database()
    monkeypatch.setattr(health, "connection", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "fail",
        "database": "fail",
        "cache": "ok",
        "queue": "fail",
    }
    down.close()


def test_healthz_answers_503_when_the_cache_is_down(client, monkeypatch):
    class Broken:
        def set(self, *args, **kwargs):
            raise ConnectionError("redis down")

    monkeypatch.setattr(health, "cache", Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "fail"
    assert b"redis" not in response.content


def _queued(enqueued_minutes_ago: int) -> None:
    from django_tasks_db.models import DBTaskResult, get_date_max

    row = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="dmk.meetings.tasks.send_invitations",
        backend_name="queue",
        queue_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=row.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=enqueued_minutes_ago)
    )


def test_a_job_waiting_longer_than_the_limit_makes_the_queue_fail(client, settings):
    settings.DMK_HEALTH_QUEUE_MAX_AGE = 15 * 60
    _queued(enqueued_minutes_ago=2)
    assert client.get("/healthz").status_code == 200
    _queued(enqueued_minutes_ago=20)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"] == "fail"
    assert health.oldest_due_task_age() >= datetime.timedelta(minutes=20)
