"""Primitives every app may use: the audit log.

``core`` knows nothing of memberships or roles (ARCHITECTURE.md, rules of the house).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityLog(models.Model):
    """One audited event, written by services only (STYLE.md "Audit").

    ``action`` is a dotted code such as ``voting.ballot.closed`` or ``accounts.login.failed``;
    ``data`` holds non-secret details (never passwords, tokens or codes); ``timestamp`` is UTC.
    Rows are never edited or deleted through the UI.
    """

    timestamp = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    action = models.CharField(_("Aktion"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ausgeführt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)
    object_type = models.CharField(_("Objekttyp"), max_length=100, blank=True)
    object_id = models.CharField(_("Objekt-ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("Objekt"), max_length=300, blank=True)
    data = models.JSONField(_("Details"), default=dict, blank=True)

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Aktivitätsprotokoll")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class Timestamped(models.Model):
    """``created_at`` / ``modified_at`` (aware datetimes, stored in UTC) for objects that
    machine interfaces publish: OParl 1.1 requires ``created`` and ``modified`` on every
    object and filters lists by them (``modified_since``). ``modified_at`` moves on every
    ``save()``; bulk ``update()`` calls that change published fields must set it themselves.
    Rows that existed before the columns were added carry the time of that migration."""

    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    modified_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        abstract = True
