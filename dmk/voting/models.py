"""Ballots and votes: the Land is the vote holder (DOMAIN rules 1–6; seed §2.2, §3.1, §3.2).

Models hold fields and constraints only; every write goes through ``dmk.voting.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import State
from dmk.meetings.models import AgendaItem, Meeting
from dmk.voting.rules import MajorityRule, Outcome


class RuleChoice(models.TextChoices):
    """The :class:`dmk.voting.rules.MajorityRule` values as model choices."""

    TWO_THIRDS_OF_MEMBERS = (
        MajorityRule.TWO_THIRDS_OF_MEMBERS.value,
        _("Zweidrittelmehrheit aller Länder"),
    )
    UNANIMITY = MajorityRule.UNANIMITY.value, _("Einstimmigkeit")
    SIMPLE_MAJORITY_OF_VOTES_CAST = (
        MajorityRule.SIMPLE_MAJORITY_OF_VOTES_CAST.value,
        _("einfache Mehrheit der abgegebenen Stimmen"),
    )


class BallotState(models.TextChoices):
    OPEN = "open", _("offen")
    CLOSED = "closed", _("geschlossen")


class Choice(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nein")
    ABSTAIN = "abstain", _("Enthaltung")


class StoredOutcome(models.Model):
    """The outcome of a vote as stored at closing, shared by :class:`Ballot` and
    :class:`WrittenProcedure` (abstract: each keeps these columns in its own table).

    The counts are Länder, never people (DOMAIN rule 1); ``threshold`` is the number of yes
    votes the rule required (rule 2, integers only); ``unanimous`` follows rule 3. All are
    NULL until the vote is closed. A subclass has a ``rule`` field (a :class:`RuleChoice`)
    and says in :attr:`outcome_is_stored` whether the outcome has been written.
    """

    members = models.PositiveSmallIntegerField(_("stimmberechtigte Länder"), null=True)
    yes = models.PositiveSmallIntegerField(_("Ja"), null=True)
    no = models.PositiveSmallIntegerField(_("Nein"), null=True)
    abstain = models.PositiveSmallIntegerField(_("Enthaltungen"), null=True)
    absent = models.PositiveSmallIntegerField(_("nicht abgestimmt"), null=True)
    threshold = models.PositiveSmallIntegerField(_("erforderliche Ja-Stimmen"), null=True)
    adopted = models.BooleanField(_("angenommen"), null=True)
    unanimous = models.BooleanField(_("einstimmig"), null=True)

    rule: str

    class Meta:
        abstract = True

    @property
    def outcome_is_stored(self) -> bool:  # pragma: no cover - overridden by every subclass
        raise NotImplementedError

    @property
    def majority_rule(self) -> MajorityRule:
        return MajorityRule(self.rule)

    @property
    def stored_outcome(self) -> Outcome | None:
        """The outcome stored at closing (an :class:`Outcome`), or None before (or when the
        vote ended without one, e.g. a stopped written procedure)."""
        if not self.outcome_is_stored or self.members is None:
            return None
        return Outcome(
            rule=self.majority_rule,
            members=self.members,
            yes=self.yes or 0,
            no=self.no or 0,
            abstain=self.abstain or 0,
            absent=self.absent or 0,
            threshold=self.threshold or 0,
            adopted=bool(self.adopted),
            unanimous=bool(self.unanimous),
        )


class Ballot(StoredOutcome):
    """An Abstimmung on an agenda item, opened and closed by the Geschäftsstelle.

    The outcome fields are written once, when the ballot is closed (``ballot_close``); they
    count Länder, never people (DOMAIN rule 1). At most one ballot per item is open at a time.
    """

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("TOP"), on_delete=models.PROTECT, related_name="ballots"
    )
    rule = models.CharField(_("Mehrheitsregel"), max_length=40, choices=RuleChoice.choices)
    state = models.CharField(
        _("Status"), max_length=10, choices=BallotState.choices, default=BallotState.OPEN
    )
    opened_at = models.DateTimeField(_("eröffnet am"))
    closed_at = models.DateTimeField(_("geschlossen am"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eröffnet von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Abstimmung")
        verbose_name_plural = _("Abstimmungen")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item"],
                condition=Q(state="open"),
                name="ballot_one_open_per_item",
                violation_error_message=_("Zu diesem TOP läuft bereits eine Abstimmung."),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Abstimmung')} {self.agenda_item}"

    @property
    def is_open(self) -> bool:
        return self.state == BallotState.OPEN

    @property
    def outcome_is_stored(self) -> bool:
        """True once the ballot is closed (``ballot_close`` wrote the outcome)."""
        return not self.is_open


class VoteTransfer(models.Model):
    """A Stimmrechtsübertragung (DOMAIN rule 4, seed §2.2): ``from_state`` hands its vote to
    ``to_state`` for the ballots of ``meeting`` on ``from_agenda_item`` and later items, until
    ``revoked_at``."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="vote_transfers")
    from_state = models.ForeignKey(
        State, verbose_name=_("übertragendes Land"), on_delete=models.PROTECT, related_name="+"
    )
    to_state = models.ForeignKey(
        State, verbose_name=_("empfangendes Land"), on_delete=models.PROTECT, related_name="+"
    )
    from_agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("ab TOP"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erstellt von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Stimmrechtsübertragung")
        verbose_name_plural = _("Stimmrechtsübertragungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_state=models.F("to_state")), name="votetransfer_not_to_itself"
            ),
            models.UniqueConstraint(
                fields=["meeting", "from_state"],
                condition=Q(revoked_at__isnull=True),
                name="votetransfer_one_active_per_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Vote(models.Model):
    """The vote of one Land in one ballot (DOMAIN rule 1): exactly one row per Land.

    ``cast_by`` is the person who decided it; ``recorded_by`` the Geschäftsstelle user who
    entered it on their behalf ("erfasst durch"), else None. ``via_transfer`` is set when the
    receiving Land cast this Land's vote (rule 4). ``cabinet_reservation`` is a
    Kabinettsvorbehalt (rule 6, seed §3.2). ``corrected_by``/``corrected_at``/
    ``correction_reason``/``previous_choice`` record an explicit correction by the
    Geschäftsstelle (issue 11 Build 2: a cast vote is never replaced silently).
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    state = models.ForeignKey(
        State, verbose_name=_("Land"), on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("Stimme"), max_length=10, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abgegeben von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst durch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    via_transfer = models.ForeignKey(
        VoteTransfer,
        verbose_name=_("aus Stimmrechtsübertragung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
    )
    cabinet_reservation = models.BooleanField(_("Kabinettsvorbehalt"), default=False)
    cast_at = models.DateTimeField(_("abgegeben am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    # --- an explicit correction by the Geschäftsstelle (issue 11 Build 2): a cast vote is never
    # replaced silently; the Geschäftsstelle may correct it before closing, with a reason
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("berichtigt durch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("berichtigt am"), null=True, blank=True)
    correction_reason = models.TextField(_("Grund der Berichtigung"), blank=True)
    previous_choice = models.CharField(
        _("Stimme vor der Berichtigung"), max_length=10, choices=Choice.choices, blank=True
    )

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        ordering = ["ballot", "state__name_de"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "state"], name="vote_one_per_state"),
        ]

    def __str__(self) -> str:
        return f"{self.state}: {self.get_choice_display()}"


class ProtocolDeclaration(models.Model):
    """A Protokollerklärung of a Land on an agenda item (DOMAIN rule 6)."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="protocol_declarations"
    )
    state = models.ForeignKey(State, verbose_name=_("Land"), on_delete=models.PROTECT)
    text = models.TextField(_("Erklärung"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Protokollerklärung")
        verbose_name_plural = _("Protokollerklärungen")
        ordering = ["agenda_item", "state__name_de", "pk"]

    def __str__(self) -> str:
        return f"{self.state}: {self.text[:60]}"


class WrittenProcedureState(models.TextChoices):
    OPEN = "open", _("läuft")
    STOPPED = "stopped", _("gestoppt (mündliche Behandlung verlangt)")
    CLOSED = "closed", _("abgeschlossen")


class WrittenProcedure(StoredOutcome):
    """An Umlaufverfahren (DOMAIN rule 8): a proposal circulated between meetings.

    Each Land votes online under the same majority rules until ``deadline`` (a Europe/Berlin
    calendar date, the last day to answer); a Land that has not answered by then has not voted
    yes. Any Land may demand oral treatment, which stops the procedure and puts the proposal on
    ``oral_agenda_item``, a TOP of the body's next planned meeting; while none is planned the
    stopped procedure waits for the next meeting (:attr:`waits_for_meeting`). The outcome
    fields are written when it is closed.
    """

    body = models.ForeignKey(
        "bodies.Body", on_delete=models.PROTECT, related_name="written_procedures"
    )
    paper = models.ForeignKey(
        "papers.Paper",
        verbose_name=_("Vorlage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="written_procedures",
    )
    title = models.CharField(_("Titel"), max_length=500)
    text_html = models.TextField(_("Beschlussvorschlag"), blank=True)
    rule = models.CharField(
        _("Mehrheitsregel"),
        max_length=40,
        choices=RuleChoice.choices,
        default=RuleChoice.TWO_THIRDS_OF_MEMBERS,
    )
    deadline = models.DateField(_("Frist (letzter Tag)"))
    state = models.CharField(
        _("Status"),
        max_length=10,
        choices=WrittenProcedureState.choices,
        default=WrittenProcedureState.OPEN,
    )
    started_at = models.DateTimeField(_("eingeleitet am"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    stopped_by_state = models.ForeignKey(
        State,
        verbose_name=_("mündliche Behandlung verlangt von"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stopped_at = models.DateTimeField(_("gestoppt am"), null=True, blank=True)
    oral_agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("mündliche Behandlung in TOP"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="oral_written_procedures",
        help_text=_(
            "Der TOP der nächsten Sitzung, auf dem der gestoppte Beschlussvorschlag mündlich "
            "behandelt wird; leer, solange er auf die nächste Sitzung wartet."
        ),
    )
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    # Same column as in StoredOutcome, worded for a written procedure (a Land that did not
    # answer by the deadline); overriding only the label changes nothing in the database.
    absent = models.PositiveSmallIntegerField(_("ohne Antwort"), null=True)

    class Meta:
        verbose_name = _("Umlaufverfahren")
        verbose_name_plural = _("Umlaufverfahren")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == WrittenProcedureState.OPEN

    @property
    def outcome_is_stored(self) -> bool:
        """True once the procedure is closed (a stopped one has no outcome)."""
        return self.state == WrittenProcedureState.CLOSED

    @property
    def waits_for_meeting(self) -> bool:
        """Stopped by a demand for oral treatment and not yet on a meeting's agenda
        (DOMAIN rule 8; issue 11, Build 4)."""
        return self.state == WrittenProcedureState.STOPPED and self.oral_agenda_item_id is None


class WrittenVote(models.Model):
    """A Land's answer in a written procedure: exactly one per Land (DOMAIN rules 1, 8)."""

    procedure = models.ForeignKey(WrittenProcedure, on_delete=models.CASCADE, related_name="votes")
    state = models.ForeignKey(State, verbose_name=_("Land"), on_delete=models.PROTECT)
    choice = models.CharField(_("Stimme"), max_length=10, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abgegeben von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst durch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cabinet_reservation = models.BooleanField(_("Kabinettsvorbehalt"), default=False)
    cast_at = models.DateTimeField(_("abgegeben am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    # an explicit correction by the Geschäftsstelle, as on :class:`Vote` (issue 11 Build 2)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("berichtigt durch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("berichtigt am"), null=True, blank=True)
    correction_reason = models.TextField(_("Grund der Berichtigung"), blank=True)
    previous_choice = models.CharField(
        _("Stimme vor der Berichtigung"), max_length=10, choices=Choice.choices, blank=True
    )

    class Meta:
        verbose_name = _("Stimme im Umlaufverfahren")
        verbose_name_plural = _("Stimmen im Umlaufverfahren")
        ordering = ["procedure", "state__name_de"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "state"], name="writtenvote_one_per_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state}: {self.get_choice_display()}"
