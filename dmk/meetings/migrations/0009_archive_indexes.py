"""An index matching ``Meeting.Meta.ordering`` (issue 17 item 1): ``start_date DESC NULLS
LAST, id DESC``. PostgreSQL needs ``NULLS LAST`` in the index; SQLite sorts NULLs last in a
descending order anyway and refuses the clause, hence one statement per database."""

from django.db import migrations

INDEX = "meeting_archive_order_idx"
COLUMNS = {
    "postgresql": "start_date DESC NULLS LAST, id DESC",
    "sqlite": "start_date DESC, id DESC",
}


def create(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON meetings_meeting ({columns})")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0008_meeting_video_url_agendaitem_co_sponsor_states")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
