"""DIN 5007-1 sort keys of persons and organisations (issue 18 item 3), filled for the rows
that exist; ``save`` keeps them from now on."""

from django.db import migrations, models

from dmk.core.text import din5007_key


def fill_sort_keys(apps, schema_editor):
    Person = apps.get_model("bodies", "Person")
    Organization = apps.get_model("bodies", "Organization")
    persons = list(Person.objects.only("pk", "family_name", "given_name"))
    for person in persons:
        person.sort_key = din5007_key(person.family_name, person.given_name)
    Person.objects.bulk_update(persons, ["sort_key"], batch_size=500)
    organizations = list(Organization.objects.only("pk", "name"))
    for organization in organizations:
        organization.sort_key = din5007_key(organization.name)
    Organization.objects.bulk_update(organizations, ["sort_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("bodies", "0004_rotation_and_contact_visibility"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="organization",
            options={
                "ordering": ["kind", "sort_key", "pk"],
                "verbose_name": "Gremium",
                "verbose_name_plural": "Gremien",
            },
        ),
        migrations.AlterModelOptions(
            name="person",
            options={
                "ordering": ["sort_key", "pk"],
                "verbose_name": "Person",
                "verbose_name_plural": "Personen",
            },
        ),
        migrations.AddField(
            model_name="organization",
            name="sort_key",
            field=models.CharField(
                blank=True, editable=False, max_length=255, verbose_name="Sortierschlüssel"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="sort_key",
            field=models.CharField(
                blank=True, editable=False, max_length=255, verbose_name="Sortierschlüssel"
            ),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
