from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "dmk.website"
    label = "website"
    verbose_name = _("Website")
