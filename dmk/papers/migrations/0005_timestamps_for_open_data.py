"""``created_at`` / ``modified_at`` for the OParl interface (issue 16 item 3: ``created`` and
``modified`` on every object). Existing rows get the time of this migration for both: the
platform did not record earlier times, and the migration is when open data first saw them."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0004_submission_token_and_chair_refusal"),
    ]

    operations = [
        migrations.AddField(
            model_name="paper",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="angelegt am"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="paper",
            name="modified_at",
            field=models.DateTimeField(auto_now=True, verbose_name="geändert am"),
        ),
        migrations.AddField(
            model_name="consultation",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="angelegt am"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="consultation",
            name="modified_at",
            field=models.DateTimeField(auto_now=True, verbose_name="geändert am"),
        ),
    ]
