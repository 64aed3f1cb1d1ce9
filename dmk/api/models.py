"""What the OParl interface must remember: the objects that stopped being public.

OParl 1.1 §2.8 (issue 16 item 2): an object a client may have seen is never answered with
404 later; it is served as deleted (``deleted: true``). An internal paper that was never
public, however, must not exist in the interface at all. Only history tells the two apart,
so the interface keeps one :class:`Withdrawal` row per object that was public and no longer
is (written by ``dmk.api.withdrawals``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WithdrawalKind(models.TextChoices):
    """The root objects whose publicity can end; files, consultations and locations follow
    their paper or meeting (``dmk.api.selectors``)."""

    PAPER = "paper", _("Vorlage")
    RESOLUTION = "resolution", _("Beschluss")
    MEETING = "meeting", _("Sitzung")
    AGENDA_ITEM = "agendaItem", _("Tagesordnungspunkt")
    MEMBERSHIP = "membership", _("Mitgliedschaft")
    PERSON = "person", _("Person")


class Withdrawal(models.Model):
    """An object that was public and is not any more (or was deleted): served as
    ``deleted: true`` with ``created`` = ``object_created`` and ``modified`` =
    ``withdrawn_at``. Removed again when the object becomes public again."""

    kind = models.CharField(_("Art"), max_length=20, choices=WithdrawalKind.choices)
    object_id = models.PositiveBigIntegerField(_("Objekt-ID"))
    object_created = models.DateTimeField(_("Objekt angelegt am"))
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), default=timezone.now)

    class Meta:
        verbose_name = _("zurückgezogenes Objekt")
        verbose_name_plural = _("zurückgezogene Objekte")
        ordering = ["kind", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="withdrawal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
