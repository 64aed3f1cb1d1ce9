"""Sessions and their agenda (OParl 1.1 ``Meeting``, ``AgendaItem``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import Body, ChairPeriod, Organization, State, Topic
from dmk.core.links import slug_url
from dmk.core.models import Timestamped
from dmk.meetings.rules import NonexistentLocalTime, berlin_datetime, berlin_time_label

HTTPS_VIDEO_MESSAGE = _("Bitte geben Sie eine https-Adresse der Videokonferenz an.")

#: Only ``https://`` addresses (issue 5 item 1: the video link of a meeting).
validate_https_url = URLValidator(schemes=["https"], message=HTTPS_VIDEO_MESSAGE)


class HttpsURLField(models.URLField):
    """A URLField whose form field (Wagtail admin, model forms) assumes ``https`` for an
    address typed without a scheme — Django 6's default, without its deprecation warning."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


class MeetingKind(models.TextChoices):
    """Regular sessions carry an ordinal; special sessions and the D16 founding decision have
    none and consume none (``../shared/data/README.md``: the session after the Sonder-DMK was
    still the 3rd)."""

    REGULAR = "regular", _("ordentliche Sitzung")
    SPECIAL = "special", _("Sondersitzung")
    PREDECESSOR = "predecessor", _("Sitzung des Vorgängergremiums")
    WORKING_BODY = "working_body", _("Sitzung eines Arbeitsgremiums")


class MeetingState(models.TextChoices):
    """OParl ``Meeting`` life cycle plus cancellation."""

    PLANNED = "planned", _("in Planung")
    SCHEDULED = "scheduled", _("terminiert")
    INVITED = "invited", _("eingeladen")
    HELD = "held", _("durchgeführt")
    MINUTES_RELEASED = "minutes_released", _("Protokoll freigegeben")
    CANCELLED = "cancelled", _("abgesagt")


class Meeting(Timestamped):
    """A Sitzung. Dates are Europe/Berlin calendar dates; a session may span two days; a
    planned session may have no date yet (``start_date`` None). ``video_url`` (issue 5
    item 1, https only) is internal: the portal page and the e-mailed invitation show it,
    the public website and every calendar feed never do."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Gremium"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=MeetingKind.choices)
    ordinal = models.PositiveSmallIntegerField(_("laufende Nummer"), null=True, blank=True)
    name = models.CharField(_("Bezeichnung"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=100, unique=True)
    state = models.CharField(
        _("Status"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    start_time = models.TimeField(_("Beginn (Uhrzeit)"), null=True, blank=True)
    end_time = models.TimeField(_("Ende (Uhrzeit)"), null=True, blank=True)
    ical_sequence = models.PositiveIntegerField(
        _("Kalender-Version"),
        default=0,
        help_text=_("iCalendar SEQUENCE (RFC 5545 §3.8.7.4); steigt mit jeder Änderung."),
    )
    place = models.CharField(_("Ort"), max_length=200, blank=True)
    venue = models.CharField(_("Tagungsstätte"), max_length=200, blank=True)
    video_url = HttpsURLField(
        _("Videokonferenz"),
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text=_(
            "https-Adresse der Videokonferenz; nur im internen Bereich und in der "
            "E-Mail-Einladung, nie auf der öffentlichen Website oder in Kalender-Abos."
        ),
    )
    chairs = models.ManyToManyField(
        State, verbose_name=_("Vorsitz"), blank=True, related_name="chaired_meetings"
    )
    chair_period = models.ForeignKey(
        ChairPeriod,
        verbose_name=_("Vorsitzperiode"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    notes = models.TextField(_("Anmerkungen"), blank=True)
    source_urls = models.TextField(_("Quellen"), blank=True, help_text=_("Eine Adresse je Zeile"))
    is_public = models.BooleanField(_("öffentlich angekündigt"), default=True)
    #: Created by the demo data (``dmk/demo/``), not part of the real record: public pages mark
    #: the session "fiktiv (Demo)" (issue 11, defect 9).
    is_fictional = models.BooleanField(
        _("fiktiv (Demo)"),
        default=False,
        help_text=_("Von den Demodaten angelegt; keine echte Sitzung."),
    )

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = [models.F("start_date").desc(nulls_last=True), "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "organization", "ordinal"],
                condition=Q(ordinal__isnull=False),
                name="meeting_unique_ordinal",
            ),
            models.CheckConstraint(
                condition=Q(ordinal__isnull=True) | Q(kind="regular"),
                name="meeting_only_regular_have_ordinal",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="meeting_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("website:meeting_detail", self.slug)

    def local_time_errors(self) -> dict[str, str]:
        """German messages for a start or end time that does not exist in Europe/Berlin
        (``meetings.rules.berlin_datetime``; issue 18 item 4), keyed by field name."""
        errors = {}
        for field, day, time in (
            ("start_time", self.start_date, self.start_time),
            ("end_time", self.end_date or self.start_date, self.end_time),
        ):
            if day is not None and time is not None:
                try:
                    berlin_datetime(day, time)
                except NonexistentLocalTime as exc:
                    errors[field] = exc.message
        return errors

    def clean(self) -> None:
        """The back office's form refuses a time the clock change skips."""
        super().clean()
        if errors := self.local_time_errors():
            raise ValidationError(errors)

    @property
    def time_label(self) -> str:
        """Start and end time as text, e.g. "10:00 Uhr – 16:30 Uhr" ("" without a start
        time); a time that occurs twice carries its UTC offset
        (``meetings.rules.berlin_time_label``)."""
        if self.start_date is None or self.start_time is None or self.local_time_errors():
            return ""
        start = berlin_time_label(self.start_date, self.start_time)
        if self.end_time is None:
            return start
        end = berlin_time_label(self.end_date or self.start_date, self.end_time)
        return f"{start} – {end}"

    @property
    def source_url_list(self) -> list[str]:
        return [u.strip() for u in self.source_urls.splitlines() if u.strip()]

    @property
    def is_multi_day(self) -> bool:
        return bool(self.start_date and self.end_date and self.end_date != self.start_date)


class AgendaItemKind(models.TextChoices):
    DECISION = "decision", _("Beschlussfassung")
    REPORT = "report", _("Bericht")
    EXCHANGE = "exchange", _("Austausch")
    OTHER = "other", _("Sonstiges")


class AgendaItem(Timestamped):
    """A TOP of a meeting (OParl ``AgendaItem``); ``number`` like "3.1", ``order`` sorts.

    Flags: ``in_parliamentary_procedure`` (DOMAIN rule 5: no content resolution),
    ``touches_it_planungsrat`` (rule 9), ``institutional`` (rule 3: unanimity).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.CharField(_("Nummer"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"))
    title = models.CharField(_("Titel"), max_length=500)
    kind = models.CharField(
        _("Art"), max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.DECISION
    )
    public = models.BooleanField(_("öffentlich"), default=False)
    lead_states = models.ManyToManyField(
        State, verbose_name=_("federführende Länder"), blank=True, related_name="+"
    )
    co_sponsor_states = models.ManyToManyField(
        State,
        verbose_name=_("mitantragstellende Länder"),
        blank=True,
        related_name="co_sponsored_items",
        help_text=_("Ein Land ist entweder federführend oder Mitantragsteller, nicht beides."),
    )
    lead_note = models.CharField(_("Federführung (Freitext)"), max_length=200, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("Themen"), blank=True, related_name="+")
    in_parliamentary_procedure = models.BooleanField(
        _("im parlamentarischen Verfahren"), default=False
    )
    touches_it_planungsrat = models.BooleanField(_("Bezug zum IT-Planungsrat"), default=False)
    institutional = models.BooleanField(_("institutionelle Angelegenheit"), default=False)

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agendaitem_unique_order"),
        ]

    def __str__(self) -> str:
        return f"TOP {self.number or self.order}: {self.title}"


class AttendanceRole(models.TextChoices):
    """In which capacity a person represents a Land at a meeting (DOMAIN rule 1, seed §2.2)."""

    MEMBER = "member", _("Mitglied")
    PERMANENT_DEPUTY = "permanent_deputy", _("ständige Stellvertretung")
    FURTHER_DEPUTY = "further_deputy", _("weitere Stellvertretung (für diese Sitzung)")
    NONE = "none", _("nimmt nicht teil")


class Attendance(models.Model):
    """Who represents a Land at a meeting (DOMAIN rule 1; seed §2.2).

    One row per (meeting, Land). ``person`` is the member, the permanent deputy or a further
    deputy named for this meeting; ``present`` says whether the Land is in the room (or the
    video conference) now. A vote transfer needs the receiving Land present (DOMAIN rule 4).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    state = models.ForeignKey(
        State, verbose_name=_("Land"), on_delete=models.PROTECT, related_name="attendances"
    )
    person = models.ForeignKey(
        "bodies.Person",
        verbose_name=_("vertreten durch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    role = models.CharField(
        _("Rolle"), max_length=20, choices=AttendanceRole.choices, blank=True, default=""
    )
    representative_name = models.CharField(
        _("Name der vertretenden Person"), max_length=200, blank=True
    )
    registered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("gemeldet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    present = models.BooleanField(_("anwesend"), default=False)
    registered_at = models.DateTimeField(_("gemeldet am"), auto_now=True)

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        ordering = ["meeting", "state__name_de"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "state"], name="attendance_one_per_state"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.state}"


class GuestInvitationStatus(models.TextChoices):
    INVITED = "invited", _("eingeladen")
    CONFIRMED = "confirmed", _("zugesagt")
    DECLINED = "declined", _("abgesagt")


class GuestInvitation(models.Model):
    """A guest invited to a whole meeting (no ``agenda_items``) or to single items (seed §2.3,
    DOMAIN rule 11: guests see only what belongs to the meetings or items they are invited
    to; decided in ``dmk.access.policy.guest_visible``)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guest_invitations")
    person = models.ForeignKey(
        "bodies.Person",
        verbose_name=_("Gast"),
        on_delete=models.PROTECT,
        related_name="guest_invitations",
    )
    agenda_items = models.ManyToManyField(
        AgendaItem,
        verbose_name=_("nur zu diesen Tagesordnungspunkten"),
        blank=True,
        related_name="guest_invitations",
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=GuestInvitationStatus.choices,
        default=GuestInvitationStatus.INVITED,
    )
    invited_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Einladung eines Gastes")
        verbose_name_plural = _("Einladungen von Gästen")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="guestinvitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.meeting}"

    @property
    def whole_meeting(self) -> bool:
        return not self.agenda_items.exists()


class CalendarFeed(models.Model):
    """A user's personal calendar subscription (issue 5 item 5).

    Only the SHA-256 hex digest of the secret token is stored, never the token itself; the
    subscription URL is shown once when the feed is created. A user holds at most one active
    (not revoked) feed; renewing revokes the old one. Writes go through
    ``dmk.meetings.feeds``.
    """

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    token_hash = models.CharField(_("Prüfsumme des Schlüssels"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("zuletzt abgerufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendarfeed_one_active_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class ReminderKind(models.TextChoices):
    """What a reminder asks a Land for (issue 5 item 4)."""

    ATTENDANCE = "attendance", _("Anmeldung der Vertretung")
    SUBMISSION = "submission", _("Einreichung von Vorlagen")


class Reminder(models.Model):
    """One reminder e-mail to one Land for one meeting deadline (issue 5 item 4, DOMAIN
    rule 7). The unique constraint makes sending idempotent: the same reminder (meeting,
    Land, kind, deadline) is recorded — and sent — at most once. ``sent_at`` is set by the
    mail task once the messages went out."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    state = models.ForeignKey(
        State, verbose_name=_("Land"), on_delete=models.PROTECT, related_name="reminders"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=ReminderKind.choices)
    deadline = models.DateField(_("Frist"))
    recipients = models.JSONField(_("Empfänger"), default=list, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("ausgelöst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("versandt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["meeting", "deadline", "state__name_de", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "state", "kind", "deadline"], name="reminder_once_per_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.state} ({self.get_kind_display()}, {self.deadline})"
