"""The archive index of ``0004_archive_indexes`` once more: on SQLite, adding a column with a
default (``0005``) rebuilds the table and drops indexes Django does not know of.
``CREATE INDEX IF NOT EXISTS`` makes this a no-op where the index survived (PostgreSQL)."""

import importlib

from django.db import migrations

_first = importlib.import_module("dmk.resolutions.migrations.0004_archive_indexes")


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0005_timestamps_for_open_data")]

    operations = [migrations.RunPython(_first.create, migrations.RunPython.noop, elidable=False)]
