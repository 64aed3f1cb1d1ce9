from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dmk.meetings"
    label = "meetings"
    verbose_name = _("Sitzungen")

    def ready(self) -> None:
        from dmk.meetings.search import register_sources

        register_sources()  # search index (issue 13): dmk/documents/registry.py
