from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "dmk.resolutions"
    label = "resolutions"
    verbose_name = _("Beschlüsse")

    def ready(self) -> None:
        from dmk.resolutions.search import register_sources

        register_sources()  # search index (issue 13): dmk/documents/registry.py
