"""Stored text in Unicode NFC (issue 18 item 2; issue 11 defect 9).

Since ``dmk.core.middleware.UnicodeNFCMiddleware`` every new text arrives in NFC; this
migration rewrites what was stored before (a name typed on a Mac, "Mu\\u0308ller") so that
search, sorting and download names treat it like "Müller". It walks every character and text
field declared by our apps' models (not Wagtail's own tables, not the audit log, which is never
rewritten) and updates only the rows whose text changes. A row whose normalised text would
collide with a unique value already stored is left as it is. Reversing it does nothing: the
decomposed spelling carries no information worth restoring.

It lives in ``portal`` (the top layer) because it touches the tables of every app below.
"""

import unicodedata

from django.db import IntegrityError, migrations, models, transaction

APPS = ("accounts", "bodies", "meetings", "papers", "voting", "resolutions", "website")


def _text_fields(model):
    return [
        field.attname
        for field in model._meta.local_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


def normalise_stored_text(apps, schema_editor):
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            fields = _text_fields(model)
            if not fields or model._meta.proxy:
                continue
            pending = []
            for row in model._base_manager.values("pk", *fields):
                changes = {
                    name: unicodedata.normalize("NFC", value)
                    for name, value in row.items()
                    if name != "pk"
                    and isinstance(value, str)
                    and not unicodedata.is_normalized("NFC", value)
                }
                if changes:
                    pending.append((row["pk"], changes))
            for pk, changes in pending:
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=pk).update(**changes)
                except IntegrityError:
                    continue


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_invitation"),
        ("bodies", "0005_din5007_sort_keys"),
        ("meetings", "0008_meeting_video_url_agendaitem_co_sponsor_states"),
        ("papers", "0004_submission_token_and_chair_refusal"),
        ("voting", "0002_writtenprocedure_writtenvote"),
        ("resolutions", "0003_followup"),
        ("website", "0003_contactmessage_contactpage_newsindexpage_and_more"),
    ]

    operations = [
        migrations.RunPython(normalise_stored_text, migrations.RunPython.noop, elidable=True),
    ]
