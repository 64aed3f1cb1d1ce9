"""Password-reset tokens valid for at most one hour (issue 4 item 1)."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class OneHourPasswordResetTokenGenerator(PasswordResetTokenGenerator):
    """Django's generator honours ``settings.PASSWORD_RESET_TIMEOUT`` (3600 s here)."""
