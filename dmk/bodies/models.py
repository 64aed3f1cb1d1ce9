"""Who the conference is: Body, State (Land), ChairPeriod, Topic, Organization, Person,
Membership (DOMAIN.md glossary; OParl 1.1 Body, Organization, LegislativeTerm, Person,
Membership)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from dmk.core.models import Timestamped
from dmk.core.text import din5007_key

STATE_CODE_PATTERN = r"^DE-[A-Z]{2}$"


def _with_sort_key(save_kwargs: dict[str, Any], name_fields: set[str]) -> None:
    """A ``save(update_fields=…)`` that writes a name also writes ``sort_key``."""
    fields = save_kwargs.get("update_fields")
    if fields is not None and name_fields.intersection(fields):
        save_kwargs["update_fields"] = {*fields, "sort_key"}


def validate_chair_rotation(value: object) -> None:
    """Shape of ``Body.chair_rotation`` (issue 3 item 4): a list of distinct ISO 3166-2 codes
    of Länder (``"DE-HH"``). Raises ``ValidationError`` (German) otherwise; whether each code
    names a stored ``State`` is checked in :meth:`Body.clean`."""
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise ValidationError(_("Die Vorsitzfolge ist eine Liste von Länderkennungen."))
    wrong = [c for c in value if not re.fullmatch(STATE_CODE_PATTERN, c)]
    if wrong:
        raise ValidationError(
            _("Unbekannte Länderkennung: %(codes)s. Erwartet wird z. B. „DE-HH“."),
            params={"codes": ", ".join(wrong)},
        )
    doubled = sorted({c for c in value if value.count(c) > 1})
    if doubled:
        raise ValidationError(
            _("Jedes Land darf in der Vorsitzfolge nur einmal vorkommen: %(codes)s."),
            params={"codes": ", ".join(doubled)},
        )


class Body(Timestamped):
    """A conference hosted on the platform, e.g. the DMK (OParl ``Body``).

    Also carries the body's rule set (DOMAIN.md: every **[configurable]** rule is a field here,
    with the DOMAIN default), so another Fachministerkonferenz can use the platform with its
    own Geschäftsordnung.
    """

    short_name = models.CharField(_("Kurzbezeichnung"), max_length=20, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    name_en = models.CharField(_("Name (englisch)"), max_length=200, blank=True)
    website = models.URLField(_("Website"), blank=True)
    founded_on = models.DateField(_("gegründet am"), null=True, blank=True)

    # --- rule set (DOMAIN rules 2, 3, 7, 8) ---
    abstention_breaks_unanimity = models.BooleanField(
        _("Enthaltung verhindert Einstimmigkeit"),
        default=False,
        help_text=_(
            "Aus: einstimmig heißt, kein Land hat mit Nein gestimmt und das Quorum ist erreicht. "
            "An: einstimmig heißt, alle Länder haben zugestimmt."
        ),
    )
    invitation_weeks = models.PositiveSmallIntegerField(
        _("Einladung und Tagesordnungsentwurf (Wochen vor der Sitzung)"),
        default=6,
        validators=[MinValueValidator(0), MaxValueValidator(52)],
    )
    registration_weeks = models.PositiveSmallIntegerField(
        _("Anmeldung von TOPs (Wochen vor der Sitzung)"),
        default=4,
        validators=[MinValueValidator(0), MaxValueValidator(52)],
    )
    papers_weeks = models.PositiveSmallIntegerField(
        _("Vorlagen (Wochen vor der Sitzung)"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(52)],
    )
    written_procedure_days = models.PositiveSmallIntegerField(
        _("Frist im Umlaufverfahren (Tage)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    minutes_comment_days = models.PositiveSmallIntegerField(
        _("Frist zur Stellungnahme zum Protokoll (Tage)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "So viele Kalendertage nach dem Versand des Protokollentwurfs können die Länder "
            "Stellung nehmen (Standard: 14)."
        ),
    )
    resolution_number_format = models.CharField(
        _("Schema der Beschlussnummer"),
        max_length=60,
        default="{body} {year}/{seq:02d}",
        help_text=_("Platzhalter: {body}, {year}, {seq}. Standard: „DMK 2026/07“."),
    )
    # --- chair rotation (issue 3 item 4; rules of procedure, seed §2.1 "Vorsitzreihenfolge") ---
    chair_rotation = models.JSONField(
        _("Vorsitzfolge"),
        default=list,
        blank=True,
        validators=[validate_chair_rotation],
        help_text=_(
            "Die in der Geschäftsordnung vorgesehene Reihenfolge der Vorsitzländer, als "
            "Länderkennungen (z. B. „DE-HH, DE-BY“). Leer: keine Vorsitzfolge festgelegt."
        ),
    )

    class Meta:
        verbose_name = _("Konferenz")
        verbose_name_plural = _("Konferenzen")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name

    def clean(self) -> None:
        """Every code of ``chair_rotation`` must name a stored Land (German form error)."""
        super().clean()
        rotation = self.chair_rotation if isinstance(self.chair_rotation, list) else []
        known = set(State.objects.filter(code__in=rotation).values_list("code", flat=True))
        unknown = [c for c in rotation if c not in known]
        if unknown:
            raise ValidationError(
                {
                    "chair_rotation": _("Diese Länder sind nicht angelegt: %(codes)s.")
                    % {"codes": ", ".join(unknown)}
                }
            )


class State(Timestamped):
    """One of the 16 Länder, the holders of the vote (DOMAIN rule 1; OParl ``Organization``
    with classification "Land"). ``code`` is ISO 3166-2 (``DE-BW`` … ``DE-TH``)."""

    code = models.CharField(
        _("Kennung (ISO 3166-2)"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(STATE_CODE_PATTERN, _("Erwartet wird z. B. „DE-BW“."))],
    )
    name_de = models.CharField(_("Name"), max_length=100, unique=True)
    name_en = models.CharField(_("Name (englisch)"), max_length=100)
    capital = models.CharField(_("Landeshauptstadt"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("Land")
        verbose_name_plural = _("Länder")
        ordering = ["name_de"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (German unless English is active)."""
        return self.localized_name(self.name_de, self.name_en)

    @staticmethod
    def localized_name(name_de: str, name_en: str) -> str:
        """``name_en`` when English is the active language, else ``name_de`` (for rows read
        as values, without a ``State`` object)."""
        return name_en if (get_language() or "de").startswith("en") else name_de


class ChairPeriod(Timestamped):
    """A Vorsitzperiode (OParl ``LegislativeTerm``): usually one calendar year, one chair Land
    or joint chairs (2024: Brandenburg and Berlin, seed §3.2), optionally a Leitthema (§1.3)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="chair_periods")
    start_date = models.DateField(_("Beginn"))
    end_date = models.DateField(_("Ende"))
    chairs = models.ManyToManyField(State, verbose_name=_("Vorsitzland"), related_name="+")
    leitthema = models.CharField(_("Leitthema"), max_length=300, blank=True)
    notes = models.TextField(_("Anmerkungen"), blank=True)

    class Meta:
        verbose_name = _("Vorsitzperiode")
        verbose_name_plural = _("Vorsitzperioden")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["body", "start_date"], name="chairperiod_unique_start"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="chairperiod_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        if self.start_date.year == self.end_date.year:
            return str(self.start_date.year)
        return f"{self.start_date:%d.%m.%Y}–{self.end_date:%d.%m.%Y}"

    def contains(self, day: datetime.date) -> bool:
        """Whether the calendar date ``day`` lies within the period (both ends inclusive)."""
        return self.start_date <= day <= self.end_date

    @property
    def chair_names(self) -> str:
        """The chair Länder in German order joined by "und" in the active language, e.g.
        "Berlin und Brandenburg" (:meth:`join_names`)."""
        return self.join_names(self.chairs.all())

    @staticmethod
    def join_names(states: Iterable[State]) -> str:
        """The names of ``states`` in the active language joined by its "und" ("Berlin und
        Brandenburg", "Berlin and Brandenburg")."""
        # Translators: joins the names of joint chair Länder ("Berlin und Brandenburg")
        conjunction = gettext("und")
        return f" {conjunction} ".join(state.name for state in states)


class Topic(models.Model):
    """A theme of seed §1.3 (OParl ``Paper.keyword``)."""

    slug = models.SlugField(_("Kürzel"), max_length=80, unique=True)
    name_de = models.CharField(_("Name"), max_length=200)
    name_en = models.CharField(_("Name (englisch)"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["sort_order", "name_de"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") else self.name_de


class Organization(Timestamped):
    """A body of the conference or an external body (OParl ``Organization``)."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenum")
        WORKING_GROUP = "working_group", _("Arbeitsgruppe")
        COMMUNITY_OF_PRACTICE = "community_of_practice", _("Community of Practice")
        AGILE_CIRCLE = "agile_circle", _("agiler Kreis")
        SECRETARIAT = "secretariat", _("Geschäftsstelle")
        IT_PLANUNGSRAT = "it_planungsrat", _("IT-Planungsrat")
        CONFERENCE = "conference", _("Fachministerkonferenz")
        FEDERAL_MINISTRY = "federal_ministry", _("Bundesministerium")
        AUTHORITY = "authority", _("Behörde")
        OTHER = "other", _("Sonstige")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="organizations")
    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=50, blank=True)
    kind = models.CharField(_("Art"), max_length=30, choices=Kind.choices)
    mandate = models.TextField(_("Auftrag"), blank=True)
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    #: DIN 5007-1 key of ``name`` (``dmk.core.text.din5007_key``), kept by ``save``
    sort_key = models.CharField(_("Sortierschlüssel"), max_length=255, blank=True, editable=False)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["kind", "sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="organization_unique_name"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keeps ``sort_key`` (a derived column, like a slug) in step with ``name``."""
        self.sort_key = din5007_key(self.name)
        _with_sort_key(kwargs, {"name"})
        super().save(*args, **kwargs)


#: Contact fields whose visibility a person chooses: "alle internen Nutzer" (default) or
#: "nur Geschäftsstelle" (issue 3 item 6). Name, title, function, ministry and Land are
#: always visible to whoever sees the person.
RESTRICTABLE_FIELDS = (
    "email",
    "phone",
    "mobile",
    "street",
    "postal_code",
    "city",
    "office_contact",
    "office_email",
    "office_phone",
)


def validate_restricted_fields(value: object) -> None:
    """``Person.restricted_fields``: a list of distinct names from ``RESTRICTABLE_FIELDS``.
    Raises ``ValidationError`` (German) otherwise."""
    if (
        not isinstance(value, list)
        or not all(isinstance(name, str) and name in RESTRICTABLE_FIELDS for name in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(
            _("Nur diese Angaben lassen sich einschränken: %(names)s."),
            params={"names": ", ".join(RESTRICTABLE_FIELDS)},
        )


class Person(Timestamped):
    """A person in the directory (OParl ``Person``); linked to a login when they have one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    form_of_address = models.CharField(_("Anrede"), max_length=50, blank=True)
    title = models.CharField(_("Titel"), max_length=50, blank=True)
    given_name = models.CharField(_("Vorname"), max_length=100)
    family_name = models.CharField(_("Nachname"), max_length=100)
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    ministry = models.CharField(_("Ressort"), max_length=300, blank=True)
    state = models.ForeignKey(
        State,
        verbose_name=_("Land"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    # --- contact details (issue 3 item 1; seed §2.4 "Kontaktdaten der Mitglieder") ---
    mobile = models.CharField(_("Mobiltelefon"), max_length=50, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    office_contact = models.CharField(_("Büro / Vorzimmer (Name)"), max_length=200, blank=True)
    office_email = models.EmailField(_("Büro / Vorzimmer (E-Mail)"), blank=True)
    office_phone = models.CharField(_("Büro / Vorzimmer (Telefon)"), max_length=50, blank=True)
    #: Contact fields only the Geschäftsstelle (and the person) may see; every other field is
    #: seen by all internal users (issue 3 item 6). Names from ``RESTRICTABLE_FIELDS``;
    #: decided in ``dmk.access.policy.visible_contact_fields``.
    restricted_fields = models.JSONField(
        _("nur für die Geschäftsstelle sichtbar"),
        default=list,
        blank=True,
        validators=[validate_restricted_fields],
    )
    #: DIN 5007-1 key of family and given name (``dmk.core.text.din5007_key``), kept by
    #: ``save``; lists order by it so SQL order and pagination agree on both databases.
    sort_key = models.CharField(_("Sortierschlüssel"), max_length=255, blank=True, editable=False)
    #: Created by the demo data (``dmk/demo/``), not a real person: public pages mark the
    #: person "fiktiv (Demo)" (issue 11, defect 9).
    is_fictional = models.BooleanField(
        _("fiktiv (Demo)"),
        default=False,
        help_text=_("Von den Demodaten angelegt; keine echte Person."),
    )

    #: Fields a person may edit about themselves (self-service, issue 3 item 6).
    CONTACT_FIELDS = (
        "form_of_address",
        "title",
        "function",
        "ministry",
        *RESTRICTABLE_FIELDS,
    )
    RESTRICTABLE_FIELDS = RESTRICTABLE_FIELDS

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["sort_key", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keeps ``sort_key`` (a derived column, like a slug) in step with the name."""
        self.sort_key = din5007_key(self.family_name, self.given_name)
        _with_sort_key(kwargs, {"family_name", "given_name"})
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.given_name, self.family_name) if p)

    @property
    def sort_name(self) -> str:
        """ "Family, Given" for lists."""
        return f"{self.family_name}, {self.given_name}"

    @property
    def postal_address(self) -> str:
        """One line: "street, postal code city" (empty parts left out)."""
        town = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.street, town) if p)


class MembershipRole(models.TextChoices):
    """Roles of DOMAIN.md's glossary; only members and deputies carry a vote (rule 1)."""

    MEMBER = "member", _("Mitglied")
    PERMANENT_DEPUTY = "permanent_deputy", _("ständige Stellvertretung")
    FURTHER_DEPUTY = "further_deputy", _("weitere Stellvertretung")
    GUEST = "guest", _("Gast")
    PERMANENT_GUEST = "permanent_guest", _("ständiger Gast")
    SECRETARIAT = "secretariat", _("Geschäftsstelle")
    STATE_STAFF = "state_staff", _("Länder-Ansprechperson")
    CHAIR = "chair", _("Vorsitz")

    @classmethod
    def voting_roles(cls) -> frozenset[MembershipRole]:
        """Roles whose holder may cast their Land's vote (DOMAIN rule 1, seed §2.2)."""
        return frozenset({cls.MEMBER, cls.PERMANENT_DEPUTY, cls.FURTHER_DEPUTY})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, day: datetime.date | None = None) -> MembershipQuerySet:
        """Memberships valid on ``day`` (a Europe/Berlin calendar date; default today)."""
        day = day or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Membership(Timestamped):
    """A person's role in an organisation, on behalf of a Land (OParl ``Membership``).

    ``voting_right`` is derived from the role (DOMAIN rule 1): guests and the Geschäftsstelle
    never vote (seed §2.3, §2.4).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=30, choices=MembershipRole.choices)
    on_behalf_of = models.ForeignKey(
        State,
        verbose_name=_("für das Land"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    chair_period = models.ForeignKey(
        ChairPeriod,
        verbose_name=_("Vorsitzperiode"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("Sitzung (nur weitere Stellvertretung)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="further_deputies",
    )
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    end_date = models.DateField(_("Ende"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["organization", "on_behalf_of__name_de", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "chair_period", "on_behalf_of", "role"],
                condition=Q(role__in=["member", "permanent_deputy"]),
                name="membership_one_member_and_deputy_per_state_and_period",
                violation_error_message=_(
                    "Für dieses Land ist in dieser Vorsitzperiode bereits eine Person in "
                    "dieser Rolle benannt."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(role="further_deputy") | Q(meeting__isnull=False),
                name="membership_further_deputy_needs_meeting",
                violation_error_message=_(
                    "Eine weitere Stellvertretung wird nur für eine bestimmte Sitzung benannt. "
                    "Bitte wählen Sie die Sitzung."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role="further_deputy") | Q(meeting__isnull=True),
                name="membership_meeting_only_for_further_deputy",
                violation_error_message=_(
                    "Eine Sitzung wird nur bei einer weiteren Stellvertretung angegeben."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            ),
        ]

    def __str__(self) -> str:
        land = f" ({self.on_behalf_of})" if self.on_behalf_of_id else ""
        return f"{self.person} – {self.get_role_display()}{land}"

    @property
    def voting_right(self) -> bool:
        """OParl ``votingRight``: True only for members and deputies (DOMAIN rule 1)."""
        return self.role in MembershipRole.voting_roles()

    @property
    def effective_start(self) -> datetime.date:
        """First day (Europe/Berlin date): own start, else the chair period's, else open."""
        if self.start_date:
            return self.start_date
        if self.chair_period_id:
            return self.chair_period.start_date
        return datetime.date.min

    @property
    def effective_end(self) -> datetime.date:
        """Last day (inclusive): own end, else the chair period's, else open."""
        if self.end_date:
            return self.end_date
        if self.chair_period_id:
            return self.chair_period.end_date
        return datetime.date.max

    def overlapping(self) -> MembershipQuerySet:
        """Other memberships of the same person in the same organisation and role (and Land)
        whose date ranges overlap this one (issue 3 item 2: no overlap in the same role)."""
        if not (self.person_id and self.organization_id and self.role):
            return Membership.objects.none()
        others = Membership.objects.filter(
            person_id=self.person_id,
            organization_id=self.organization_id,
            role=self.role,
            on_behalf_of_id=self.on_behalf_of_id,
        ).select_related("chair_period")
        if self.role == MembershipRole.FURTHER_DEPUTY:
            others = others.filter(meeting_id=self.meeting_id)
        if self.pk:
            others = others.exclude(pk=self.pk)
        start, end = self.effective_start, self.effective_end
        ids = [m.pk for m in others if m.effective_start <= end and start <= m.effective_end]
        return Membership.objects.filter(pk__in=ids)

    def clean(self) -> None:
        """German form errors for the rules of issue 3 item 2 that a constraint cannot state
        on one row: no overlapping memberships of one person in the same role."""
        from django.core.exceptions import ValidationError

        if self.role in MembershipRole.voting_roles() and not self.on_behalf_of_id:
            raise ValidationError(
                {
                    "on_behalf_of": _(
                        "Mitglieder und Stellvertretungen werden immer für ein Land benannt."
                    )
                }
            )
        if self.overlapping().exists():
            raise ValidationError(
                _(
                    "Diese Person hat in diesem Gremium für diesen Zeitraum bereits dieselbe "
                    "Rolle. Mitgliedschaften in derselben Rolle dürfen sich nicht überschneiden."
                )
            )
