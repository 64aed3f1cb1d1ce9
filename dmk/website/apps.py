from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "dmk.website"
    label = "website"
    verbose_name = _("Website")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        from dmk.website import caching
        from dmk.website.search_sources import register_sources

        register_sources()  # search index (issue 13): dmk/documents/registry.py

        # Purge the public page cache when anything shown publicly changes (issue 7 item 6).
        for label in (
            "resolutions.Resolution",
            "meetings.Meeting",
            "meetings.AgendaItem",
            "papers.Paper",
            "bodies.ChairPeriod",
            "bodies.State",
            "bodies.Topic",
            "bodies.Body",
            "wagtailcore.Page",
        ):
            model = self.apps.get_model(label)
            post_save.connect(caching.purge, sender=model, dispatch_uid=f"dmk-purge-s-{label}")
            post_delete.connect(caching.purge, sender=model, dispatch_uid=f"dmk-purge-d-{label}")
        m2m_changed.connect(caching.purge, dispatch_uid="dmk-purge-m2m")
        page_published.connect(caching.purge, dispatch_uid="dmk-purge-published")
        page_unpublished.connect(caching.purge, dispatch_uid="dmk-purge-unpublished")
