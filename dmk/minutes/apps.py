from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "dmk.minutes"
    label = "minutes"
    verbose_name = _("Protokolle und Sitzungsmappen")
