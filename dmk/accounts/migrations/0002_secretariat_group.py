"""Create the Geschäftsstelle group with back-office permissions (issue 4, seed §2.4)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from dmk.accounts.groups import sync_secretariat_group


def create_group(apps, schema_editor):
    # permissions are normally created after all migrations ran; make sure they exist now
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_secretariat_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("core", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
