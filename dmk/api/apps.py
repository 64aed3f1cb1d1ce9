from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "dmk.api"
    label = "api"
    verbose_name = _("Offene Daten (OParl)")

    def ready(self) -> None:
        from dmk.api import withdrawals

        withdrawals.connect()
