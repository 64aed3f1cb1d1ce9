from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _top_up_secretariat_group(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """After ``migrate``: grant the Geschäftsstelle the permissions of models added since."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from dmk.accounts.groups import sync_secretariat_group

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_secretariat_group(apps)


class AccountsConfig(AppConfig):
    name = "dmk.accounts"
    label = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        from dmk.accounts import signals  # noqa: F401  (connects the receivers)

        post_migrate.connect(_top_up_secretariat_group, sender=self)
