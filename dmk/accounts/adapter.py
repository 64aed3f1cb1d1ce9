"""allauth adapter: no self sign-up (issue 4 item 1), lockout per account *and* IP (item 3)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created only by invitation of the Geschäftsstelle."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Zu viele fehlgeschlagene Anmeldeversuche mit diesem Konto. Bitte versuchen Sie es "
            "in 15 Minuten erneut."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Key of allauth's ``login_failed`` rate limit (``ACCOUNT_RATE_LIMITS``, "5/15m/key").

        allauth keys it by the login name alone, so anybody could lock a minister out from
        anywhere. We add the client's IP address: failures count per (account, IP), other
        IPs and other accounts stay unaffected (ASVS 5.0 6.1.1, issue 4 item 3).
        """
        account_key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account_key}@{self.get_client_ip(request)}"
