from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Text extraction and the one search index of the platform (issue 13)."""

    name = "dmk.documents"
    label = "documents"
    verbose_name = _("Dokumente und Suche")

    def ready(self) -> None:
        from dmk.documents import signals  # noqa: F401  (connects the registry's receivers)
