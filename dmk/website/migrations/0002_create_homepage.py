"""Replace Wagtail's placeholder page by our start page and make it the default site's root."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("website.HomePage")

    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="website")
    locale = Locale.objects.filter(language_code="de").first() or Locale.objects.first()
    homepage = HomePage.objects.create(
        title="Digitalministerkonferenz",
        draft_title="Digitalministerkonferenz",
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        intro=(
            "<p>Die Digitalministerkonferenz (DMK) ist das Gremium der Länder für "
            "Digitalpolitik und digitale Transformation. Hier finden Sie ihre Sitzungen, "
            "Beschlüsse und den Vorsitz.</p>"
        ),
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=homepage, is_default_site=True,
            site_name="Digitalministerkonferenz",
        )
    else:
        site.root_page = homepage
        site.site_name = "Digitalministerkonferenz"
        site.save()


def remove_homepage(apps, schema_editor):
    apps.get_model("website.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
