from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "dmk.access"
    label = "access"
    verbose_name = _("Berechtigungen")

    def ready(self) -> None:
        from dmk.access import signals  # noqa: F401  (connects the receivers)
        from dmk.access.policy import backoffice_scope
        from dmk.core.backoffice import register_backoffice_scope

        register_backoffice_scope(backoffice_scope)
