from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """The data exchange platform (Datenaustauschplattform, seed §2.4): workspaces, folders,
    versioned files, trash, quotas and joint statements (DOMAIN glossary ``Workspace``,
    ``Folder``, ``StoredFile``)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dmk.exchange"
    verbose_name = _("Datenaustausch")
