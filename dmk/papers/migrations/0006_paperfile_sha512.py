"""``PaperFile.sha512`` for OParl 1.1 ``File.sha512Checksum`` (issue 16 item 3). Existing
files are hashed from storage; a file missing from storage keeps an empty checksum."""

import hashlib

from django.core.files.storage import default_storage
from django.db import migrations, models


def hash_stored_files(apps, schema_editor):
    PaperFile = apps.get_model("papers", "PaperFile")
    for paper_file in PaperFile.objects.filter(sha512="").iterator():
        digest = hashlib.sha512()
        try:
            with default_storage.open(paper_file.file.name, "rb") as stream:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(chunk)
        except (OSError, ValueError):
            continue
        PaperFile.objects.filter(pk=paper_file.pk).update(sha512=digest.hexdigest())


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0005_timestamps_for_open_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="paperfile",
            name="sha512",
            field=models.CharField(blank=True, default="", max_length=128, verbose_name="SHA-512"),
        ),
        migrations.RunPython(hash_stored_files, migrations.RunPython.noop),
    ]
