"""Fictional people for the 2026 chair period (Hamburg) and the demo logins (issue 3 item 9).

Every name here is invented. :func:`load_demo` is idempotent: rows are found by natural keys
(e-mail address, membership key) and only created when missing, so a second run changes
nothing and keeps what was edited in between. It needs the public record
(``manage.py load_public_record``) first.

The chair rotation (``Body.chair_rotation``, issue 3 item 4) stays empty: the public record
names the chairs of 2024–2026 but no order for later years, and the demo does not invent
one. The Bavarian member shows the per-field visibility: the mobile number is visible to the
Geschäftsstelle only (issue 3 item 6).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from dmk.bodies.models import (
    Body,
    ChairPeriod,
    Membership,
    MembershipRole,
    Organization,
    Person,
    State,
)

DEMO_DOMAIN = "@dmk.example"
# printed on purpose by ``make demo``; the demo logins only
DEMO_PASSWORD = "Elbphilharmonie-Demo-2026"  # noqa: S105 # nosec B105
SECRETARIAT_GROUP = "Geschäftsstelle"
PERIOD_START = datetime.date(2026, 1, 1)
WORKING_GROUP = "AG Digitale Souveränität"
FEDERAL_MINISTRY = "Bundesministerium für Digitales und Staatsmodernisierung"


class DemoError(Exception):
    """The public record is missing (run ``manage.py load_public_record`` first)."""


# code: (ministry, member function, member (form, title, given, family), deputy (...))
_LAENDER: dict[str, tuple[str, str, tuple[str, str, str, str], tuple[str, str, str, str]]] = {
    "DE-BW": (
        "Ministerium des Inneren, für Digitalisierung und Kommunen",
        "Minister",
        ("Herr", "", "Konrad", "Albrecht-Weiler"),
        ("Frau", "Dr.", "Sabine", "Kernthaler"),
    ),
    "DE-BY": (
        "Staatsministerium für Digitales",
        "Staatsminister",
        ("Herr", "Dr.", "Florian", "Zirngibl"),
        ("Frau", "", "Veronika", "Schwaigerer"),
    ),
    "DE-BE": (
        "Senatskanzlei",
        "Staatssekretärin für Digitales",
        ("Frau", "", "Jana", "Ostrowski-Lehn"),
        ("Herr", "", "Malte", "Brückner"),
    ),
    "DE-BB": (
        "Ministerium des Innern und für Kommunales",
        "Staatssekretär",
        ("Herr", "", "Henning", "Wandlitzer"),
        ("Frau", "", "Doreen", "Schwielow"),
    ),
    "DE-HB": (
        "Senatorin für Finanzen",
        "Staatsrätin",
        ("Frau", "", "Imke", "Weserfeld"),
        ("Herr", "", "Jannik", "Vegesacker"),
    ),
    "DE-HH": (
        "Senatskanzlei, Amt für IT und Digitalisierung",
        "Senatorin",
        ("Frau", "Dr.", "Friederike", "Alsterkamp"),
        ("Herr", "", "Ole", "Harvestehuder"),
    ),
    "DE-HE": (
        "Ministerium für Digitalisierung und Innovation",
        "Ministerin",
        ("Frau", "Prof. Dr.", "Annegret", "Taunusberger"),
        ("Herr", "", "Lukas", "Vogelsang"),
    ),
    "DE-MV": (
        "Ministerium für Inneres, Bau und Digitalisierung",
        "Minister",
        ("Herr", "", "Torsten", "Müritzer"),
        ("Frau", "", "Kathrin", "Darßmann"),
    ),
    "DE-NI": (
        "Ministerium für Inneres und Sport",
        "Staatssekretär",
        ("Herr", "", "Bernd", "Heidekötter"),
        ("Frau", "Dr.", "Svenja", "Leinemann"),
    ),
    "DE-NW": (
        "Ministerium für Heimat, Kommunales, Bau und Digitalisierung",
        "Ministerin",
        ("Frau", "", "Claudia", "Ruhrwieser"),
        ("Herr", "Dr.", "Stefan", "Lippeling"),
    ),
    "DE-RP": (
        "Ministerium für Arbeit, Soziales, Transformation und Digitalisierung",
        "Minister",
        ("Herr", "", "Matthias", "Nahetaler"),
        ("Frau", "", "Birgit", "Hunsrücker"),
    ),
    "DE-SL": (
        "Ministerium für Finanzen und Wissenschaft",
        "Staatssekretärin",
        ("Frau", "", "Nicole", "Bliesgauer"),
        ("Herr", "", "Pascal", "Saarkamp"),
    ),
    "DE-SN": (
        "Staatskanzlei",
        "Staatssekretär für Digitale Verwaltung",
        ("Herr", "", "Uwe", "Elbsandner"),
        ("Frau", "", "Franziska", "Erzgebirger"),
    ),
    "DE-ST": (
        "Ministerium für Infrastruktur und Digitales",
        "Ministerin",
        ("Frau", "", "Heike", "Saalekreis"),
        ("Herr", "", "Rico", "Harzmann"),
    ),
    "DE-SH": (
        "Staatskanzlei, Digitalisierung",
        "Minister",
        ("Herr", "", "Sönke", "Fördeland"),
        ("Frau", "", "Wiebke", "Holmstrøm"),
    ),
    "DE-TH": (
        "Ministerium für Digitales und Infrastruktur",
        "Minister",
        ("Herr", "Dr.", "Jörg", "Rennsteiger"),
        ("Frau", "", "Ulrike", "Saalfelder"),
    ),
}

_DEPUTY_FUNCTION = "Abteilungsleitung Digitalisierung"

# The fixed TOTP secrets (base32) of the demo logins: known on purpose, so the demo can be
# opened with any authenticator app or with ``manage.py demo_totp EMAIL``.
DEMO_LOGINS: dict[str, tuple[str, str]] = {
    "geschaeftsstelle@dmk.example": ("JBSWY3DPEHPK3PXPGESCHAEFTSSTELLE", "Geschäftsstelle"),
    "mitglied.by@dmk.example": ("MFRGGZDFMZTWQ2LKNNWG23TPOBYXEB2Y", "Mitglied Bayern"),
    "referent.by@dmk.example": ("KRSWC5DJN5XGK3TUMFWGS5DZEBRHSYQA", "Länder-Ansprechperson Bayern"),
    "mitglied.nw@dmk.example": ("NZ2GOZLOMRSW4ZDFNZ2GK3TDMVXGI2LO", "Mitglied Nordrhein-Westfalen"),
    "gast.bund@dmk.example": ("M5QXG5BAMJ2W4ZBAMRUWO2LUMFWGKQQA", "ständiger Gast (Bund)"),
}


@dataclass
class DemoLogin:
    email: str
    role: str
    totp_secret: str
    recovery_codes: list[str]


@dataclass
class DemoResult:
    persons: int = 0
    memberships: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


def _slug(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ø": "oe", " ": "-"})
    return text.lower().translate(table)


#: Area code and postal code of each Land's capital, so that the fictional contact data
#: look plausible in a vCard (a Munich address with a Munich number); Berlin for the Bund.
_CAPITAL_CODES: dict[str, tuple[str, str]] = {
    "DE-BW": ("711", "70173"),
    "DE-BY": ("89", "80331"),
    "DE-BE": ("30", "10117"),
    "DE-BB": ("331", "14467"),
    "DE-HB": ("421", "28195"),
    "DE-HH": ("40", "20095"),
    "DE-HE": ("611", "65183"),
    "DE-MV": ("385", "19053"),
    "DE-NI": ("511", "30159"),
    "DE-NW": ("211", "40213"),
    "DE-RP": ("6131", "55116"),
    "DE-SL": ("681", "66111"),
    "DE-SN": ("351", "01067"),
    "DE-ST": ("391", "39104"),
    "DE-SH": ("431", "24103"),
    "DE-TH": ("361", "99084"),
}


def _person(
    state: State | None,
    names: tuple[str, str, str, str],
    *,
    function: str,
    ministry: str,
    email: str | None = None,
    city: str = "",
    extra: dict[str, object] | None = None,
) -> Person:
    form, title, given, family = names
    domain = (state.code[3:] if state else "bund").lower()
    email = email or f"{_slug(given)}.{_slug(family)}@{domain}.dmk.example"
    area, postal_code = _CAPITAL_CODES.get(state.code if state else "", ("30", "10117"))
    extension = sum(map(ord, email)) % 900 + 100  # a stable extension per person
    person, _created = Person.objects.get_or_create(
        email=email,
        defaults={
            "form_of_address": form,
            "title": title,
            "given_name": given,
            "family_name": family,
            "function": function,
            "ministry": ministry,
            "state": state,
            "phone": f"+49 {area} 123456-{extension}",
            "street": "Musterstraße 1",
            "postal_code": postal_code,
            "city": city or (state.capital if state else "Berlin"),
            "office_contact": "Vorzimmer",
            "office_email": email.replace("@", ".buero@", 1),
            "is_fictional": True,
            **(extra or {}),
        },
    )
    if not person.is_fictional:  # a demo loaded before the mark existed (issue 11, defect 9)
        Person.objects.filter(pk=person.pk).update(is_fictional=True)
        person.is_fictional = True
    return person


def _membership(person: Person, org: Organization, role: str, **keys: object) -> Membership:
    membership, _created = Membership.objects.get_or_create(
        person=person, organization=org, role=role, **keys
    )
    return membership


def _login(person: Person, email: str) -> DemoLogin:
    secret, role = DEMO_LOGINS[email]
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        email=email, defaults={"first_name": person.given_name, "last_name": person.family_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()[:3]
    return DemoLogin(email=email, role=role, totp_secret=secret, recovery_codes=codes)


@transaction.atomic
def load_demo() -> DemoResult:
    """Create the fictional 2026 organisation and the five demo logins (idempotent).

    Raises :class:`DemoError` when the public record (body, Länder, 2026 period) is missing.
    """
    body = Body.objects.filter(short_name="DMK").first()
    period = ChairPeriod.objects.filter(body=body, start_date=PERIOD_START).first()
    states = {s.code: s for s in State.objects.all()}
    if body is None or period is None or len(states) < 16:
        raise DemoError(
            "Öffentlicher Datenbestand fehlt – bitte zuerst `manage.py load_public_record` "
            "ausführen. / Public record missing – run `manage.py load_public_record` first."
        )
    plenary = Organization.objects.get(body=body, kind=Organization.Kind.PLENARY)
    working_group, _ = Organization.objects.get_or_create(
        body=body,
        name=WORKING_GROUP,
        defaults={
            "kind": Organization.Kind.WORKING_GROUP,
            "short_name": "AG DigiSouv",
            "mandate": "Erarbeitet Empfehlungen zur digitalen Souveränität der Verwaltung "
            "und berichtet dem Plenum (fiktiver Demo-Auftrag).",
            "start_date": PERIOD_START,
        },
    )
    federal, _ = Organization.objects.get_or_create(
        body=body, name=FEDERAL_MINISTRY, defaults={"kind": Organization.Kind.FEDERAL_MINISTRY}
    )
    period_keys = {"chair_period": period}

    deputies: dict[str, Person] = {}
    for code, (ministry, function, member_names, deputy_names) in _LAENDER.items():
        state = states[code]
        email = {"DE-BY": "mitglied.by@dmk.example", "DE-NW": "mitglied.nw@dmk.example"}.get(code)
        extra = (
            {"mobile": "+49 170 0000001", "restricted_fields": ["mobile"]}
            if code == "DE-BY"
            else None
        )
        member = _person(
            state, member_names, function=function, ministry=ministry, email=email, extra=extra
        )
        deputy = _person(state, deputy_names, function=_DEPUTY_FUNCTION, ministry=ministry)
        _membership(member, plenary, MembershipRole.MEMBER, on_behalf_of=state, **period_keys)
        _membership(
            deputy, plenary, MembershipRole.PERMANENT_DEPUTY, on_behalf_of=state, **period_keys
        )
        deputies[code] = deputy

    hamburg = states["DE-HH"]
    hh_ministry = _LAENDER["DE-HH"][0]
    secretariat = [
        _person(
            hamburg,
            ("Frau", "", "Merle", "Fleetenkieker"),
            function="Leitung der Geschäftsstelle",
            ministry=hh_ministry,
            email="geschaeftsstelle@dmk.example",
        ),
        _person(
            hamburg,
            ("Herr", "", "Jonas", "Speicherstädter"),
            function="Referent der Geschäftsstelle",
            ministry=hh_ministry,
        ),
    ]
    for person in secretariat:
        _membership(
            person, plenary, MembershipRole.SECRETARIAT, on_behalf_of=hamburg, **period_keys
        )

    bavaria = states["DE-BY"]
    referent = _person(
        bavaria,
        ("Herr", "", "Maximilian", "Isarwinkler"),
        function="Referent Bund-Länder-Koordination",
        ministry=_LAENDER["DE-BY"][0],
        email="referent.by@dmk.example",
    )
    _membership(referent, plenary, MembershipRole.STATE_STAFF, on_behalf_of=bavaria, **period_keys)

    guest = _person(
        None,
        ("Frau", "Dr.", "Katharina", "Bundschuh"),
        function="Unterabteilungsleiterin Bund-Länder-Zusammenarbeit",
        ministry=FEDERAL_MINISTRY,
        email="gast.bund@dmk.example",
        city="Berlin",
    )
    _membership(guest, plenary, MembershipRole.PERMANENT_GUEST, **period_keys)
    _membership(guest, federal, MembershipRole.MEMBER)

    # The permanent deputies of five Länder are "member" of the AG. Their membership carries
    # the AG as organisation: it gives them a vote in the AG's own meetings, never the member's
    # vote in the plenary (issue 11, defect 1; DOMAIN rule 1, ``dmk.access.policy``).
    for code in ("DE-HH", "DE-BY", "DE-NW", "DE-SN", "DE-SH"):
        _membership(deputies[code], working_group, MembershipRole.MEMBER, on_behalf_of=states[code])
    _membership(referent, working_group, MembershipRole.STATE_STAFF, on_behalf_of=bavaria)
    _membership(deputies["DE-HH"], working_group, MembershipRole.CHAIR, on_behalf_of=hamburg)

    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group.permissions.add(access_admin)

    by_email = {p.email: p for p in Person.objects.filter(email__in=DEMO_LOGINS)}
    logins = [_login(by_email[email], email) for email in DEMO_LOGINS]
    office_user = by_email["geschaeftsstelle@dmk.example"].user
    office_user.groups.add(group)

    return DemoResult(
        persons=Person.objects.count(), memberships=Membership.objects.count(), logins=logins
    )
