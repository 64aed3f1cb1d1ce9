"""The archive index of ``0009_archive_indexes`` once more: on SQLite, adding a column with a
default (``0010``, ``0011``) rebuilds the table and drops indexes Django does not know of.
``CREATE INDEX IF NOT EXISTS`` makes this a no-op where the index survived (PostgreSQL)."""

import importlib

from django.db import migrations

_first = importlib.import_module("dmk.meetings.migrations.0009_archive_indexes")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0011_meeting_is_fictional")]

    operations = [migrations.RunPython(_first.create, migrations.RunPython.noop, elidable=False)]
