"""``created_at`` / ``modified_at`` for the OParl interface (issue 16 item 3: ``created`` and
``modified`` on every object). Existing rows get the time of this migration for both: the
platform did not record earlier times, and the migration is when open data first saw them."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("resolutions", "0004_archive_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="resolution",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="angelegt am"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="resolution",
            name="modified_at",
            field=models.DateTimeField(auto_now=True, verbose_name="geändert am"),
        ),
    ]
