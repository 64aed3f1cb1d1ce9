from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dmk.core"
    label = "core"
    verbose_name = "Grundlagen"
