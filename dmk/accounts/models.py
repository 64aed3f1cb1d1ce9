"""The user account: login by e-mail address (issue 2, issue 4)."""

from __future__ import annotations

import datetime
import unicodedata

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    """Create users identified by their e-mail address (compared case-insensitively)."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """NFC-normalise and lower-case the whole address (STYLE.md: e-mails compare
        case-insensitively)."""
        return unicodedata.normalize("NFC", (email or "").strip()).lower()


class User(AbstractUser):
    """A person's login. ``email`` is the login name; there is no username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("Benutzerkonto")
        verbose_name_plural = _("Benutzerkonten")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} <{self.email}>" if full else self.email

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = UserManager.normalize_email(self.email)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Invitation(models.Model):
    """An invitation of the Geschäftsstelle to set a password (issue 4 item 1: no self sign-up,
    single-use link valid ``settings.DMK_INVITATION_DAYS`` days, default 7).

    Only the SHA-256 hash of the link's token is stored (``token_hash``); the token itself
    exists only in the e-mail. ``token_hash`` is empty until the e-mail task has made and sent
    the link (``dmk.accounts.tasks``). A new invitation to the same address revokes the older
    open ones (``dmk.accounts.services.invitation_send``).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("wird versendet")
        OPEN = "open", _("offen")
        ACCEPTED = "accepted", _("angenommen")
        EXPIRED = "expired", _("abgelaufen")
        REVOKED = "revoked", _("widerrufen")

    email = models.EmailField(_("E-Mail-Adresse"))
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("Benutzerkonto"),
    )
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("eingeladen von"),
    )
    token_hash = models.CharField(
        _("Prüfsumme des Links"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("erstellt"))
    sent_at = models.DateTimeField(_("versendet"), null=True, blank=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(_("angenommen"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.email

    def state_at(self, now: datetime.datetime) -> Invitation.State:
        """The state at the aware datetime ``now``: revoked and accepted win over expiry."""
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if now >= self.expires_at:
            return self.State.EXPIRED
        if not self.token_hash:
            return self.State.PENDING
        return self.State.OPEN
