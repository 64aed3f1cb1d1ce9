"""An index matching the archive's ``ORDER BY`` (issue 17 item 1).

``resolution_list`` reads ``WHERE visibility = … ORDER BY decided_on DESC NULLS LAST,
sort_order, id`` for the home page, the feeds and every archive page; without an index the
database sorted the whole table for "the latest 5". PostgreSQL needs ``NULLS LAST`` spelled
out in the index; SQLite sorts NULLs last in a descending order anyway and does not accept
the clause in an index, hence one statement per database.
"""

from django.db import migrations

INDEX = "resolution_archive_order_idx"
COLUMNS = {
    "postgresql": "visibility, decided_on DESC NULLS LAST, sort_order, id",
    "sqlite": "visibility, decided_on DESC, sort_order, id",
}


def create(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON resolutions_resolution ({columns})"
        )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0003_followup")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
