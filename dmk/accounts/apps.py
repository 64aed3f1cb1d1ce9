from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dmk.accounts"
    label = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        from dmk.accounts import signals  # noqa: F401  (connects the receivers)
