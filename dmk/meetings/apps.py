from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dmk.meetings"
    label = "meetings"
    verbose_name = _("Sitzungen")
