"""allauth adapter: no self sign-up (issue 4 item 1)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created only by invitation of the Geschäftsstelle."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
