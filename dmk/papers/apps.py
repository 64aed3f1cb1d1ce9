from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PapersConfig(AppConfig):
    name = "dmk.papers"
    label = "papers"
    verbose_name = _("Vorlagen")

    def ready(self) -> None:
        from dmk.papers.search import register_sources

        register_sources()  # search index (issue 13): dmk/documents/registry.py
