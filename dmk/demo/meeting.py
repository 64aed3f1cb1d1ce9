"""A prepared next session of the current chair Hamburg for the demo (issue 5 "Done when").

``load_demo_meeting()`` creates — through the services — the 5th regular DMK session in
Hamburg on a Thursday about ten weeks from today (but within the current chair period, see
``_next_session_date``), its agenda (institutional item, an item
in parliamentary procedure, an item touching the IT-Planungsrat), papers of several Länder
with a PDF each, co-sponsors, attendance of some Länder, a guest for one item, and sends the
invitations; a fictional special session by video conference on the day of loading that
can be run from the session cockpit at once (roll call, transfer, ballots, resolutions;
issue 6); and gives three recent real resolutions four invented, internal follow-ups
(Aufträge, issue 6 item 6), each marked "Beispiel (Demo)" so nobody takes them for real;
and two fictional written procedures (Umlaufverfahren, DOMAIN rule 8; issue 6 "Done when"):
a finished one, adopted with 13 yes, 1 abstention and 2 Länder silent, whose proof PDF can be
downloaded, and an open one with a deadline ten days ahead, 5 answers so far and no answer
of Bayern yet, so the demo member of Bayern can vote in it.
Run after ``load_public_record`` and ``load_demo``. Idempotent: a second run finds the
session by name, the follow-ups by their text and the written procedures by their paper's
title, and changes nothing.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dmk.accounts.models import User
from dmk.bodies.models import (
    Body,
    ChairPeriod,
    Membership,
    MembershipRole,
    Organization,
    Person,
    State,
)
from dmk.demo.organisation import WORKING_GROUP
from dmk.meetings import services as meeting_services
from dmk.meetings.models import AgendaItemKind, Meeting, MeetingKind, MeetingState
from dmk.papers import services as paper_services
from dmk.papers.models import Paper
from dmk.resolutions import services as resolution_services
from dmk.resolutions.models import FollowUp, Resolution
from dmk.voting import services as voting_services
from dmk.voting.models import WrittenProcedure

SESSION_NAME = "5. Digitalministerkonferenz"
WEEKS_AHEAD = 10
SECRETARIAT_EMAIL = "geschaeftsstelle@dmk.example"


class DemoMeetingError(Exception):
    """The prerequisites (public record, demo logins) are missing."""


@dataclass
class DemoMeetingResult:
    meeting: Meeting
    created: bool
    special_session: Meeting | None = None
    written_procedures: list[WrittenProcedure] | None = None


AGENDA = [
    # (title, kind, flags, lead Land codes)
    ("Begrüßung und Feststellung der Tagesordnung", AgendaItemKind.OTHER, {}, ["DE-HH"]),
    (
        "Änderung der Geschäftsordnung der DMK",
        AgendaItemKind.DECISION,
        {"institutional": True},
        ["DE-HH"],
    ),
    (
        "Deutschland-Stack und föderale Cloud-Infrastruktur",
        AgendaItemKind.DECISION,
        {"touches_it_planungsrat": True},
        ["DE-NW", "DE-BY"],
    ),
    (
        "Entwurf eines Gesetzes zur Änderung des Onlinezugangsgesetzes",
        AgendaItemKind.EXCHANGE,
        {"in_parliamentary_procedure": True},
        ["DE-BE"],
    ),
    ("Künstliche Intelligenz in der Verwaltung", AgendaItemKind.DECISION, {}, ["DE-BY"]),
    ("Bericht der Länderarbeitsgruppe Datennutzung", AgendaItemKind.REPORT, {}, ["DE-SN"]),
    ("Verschiedenes", AgendaItemKind.OTHER, {}, []),
]

PAPERS = [
    # (author Land, title, type, agenda position, co-sponsors, accepting co-sponsors)
    ("DE-HH", "Änderung der Geschäftsordnung (Beschlussvorschlag)", "proposal", 2, [], []),
    (
        "DE-NW",
        "Föderale Cloud-Infrastruktur im Deutschland-Stack",
        "proposal",
        3,
        ["DE-BY", "DE-HE"],
        ["DE-BY"],
    ),
    ("DE-BY", "KI-Einsatz in der Landesverwaltung: gemeinsame Leitlinien", "proposal", 5, [], []),
    ("DE-SN", "Bericht der Länderarbeitsgruppe Datennutzung 2026", "report", 6, [], []),
]

ATTENDANCE = [
    ("DE-HH", "member", ""),
    ("DE-BY", "member", ""),
    ("DE-NW", "permanent_deputy", ""),
    ("DE-BE", "further_deputy", "Dr. Jana Beispiel"),
    ("DE-SN", "member", ""),
]


SPECIAL_SESSION_NAME = "Sondersitzung (Videokonferenz) – Demo"
SPECIAL_PAPER_TITLE = "Beispiel (Demo): Gemeinsame Leitlinien für sichere Videokonferenzen"
SPECIAL_AGENDA = [
    # (title, kind, flags) — invented for the demo
    (
        "Beispiel (Demo): Gemeinsame Leitlinien für sichere Videokonferenzen",
        AgendaItemKind.DECISION,
        {},
    ),
    (
        "Beispiel (Demo): Einrichtung einer Länder-AG Videokonferenzdienste",
        AgendaItemKind.DECISION,
        {"institutional": True},
    ),
]
SPECIAL_PAPER_TEXT = (
    "Die Digitalministerkonferenz empfiehlt den Ländern, für Videokonferenzen der "
    "Verwaltung gemeinsame Leitlinien zu Verschlüsselung, Barrierefreiheit und "
    "Datensparsamkeit anzuwenden. (Beispiel für die Demo, kein echter Beschluss.)"
)
#: Absent from the special session: Mecklenburg-Vorpommern (not registered) and the
#: Saarland (registered as not taking part); the other 14 Länder are present.
SPECIAL_ABSENT = ("DE-MV", "DE-SL")
SPECIAL_DEPUTY = "DE-BE"  # represented by its permanent deputy (DOMAIN rule 1)


FOLLOW_UPS = [
    # (resolution title starts with, owner: Land code or working body, task, days from today,
    #  status reached, progress note) — invented for the demo, internal only
    (
        "Deutschlands Weg zur digitalen Autonomie",
        WORKING_GROUP,
        "Beispiel (Demo): Empfehlungen für souveräne Standardsoftware in den Ländern vorlegen.",
        42,
        "in_progress",
        "Erster Entwurf in der AG abgestimmt.",
    ),
    (
        "Registermodernisierung",
        "DE-NW",
        "Beispiel (Demo): Über die Entlastung der Kommunen durch die Registermodernisierung "
        "berichten.",
        -14,
        "open",
        "",
    ),
    (
        "Registermodernisierung",
        "DE-BY",
        "Beispiel (Demo): Erfahrungen mit dem Once-Only-Prinzip zusammenstellen.",
        70,
        "open",
        "",
    ),
    (
        "Schutz von Kindern und Jugendlichen",
        "DE-BY",
        "Beispiel (Demo): Übersicht der Landesangebote zur Medienkompetenz erstellen.",
        -30,
        "done",
        "Übersicht an die Geschäftsstelle versandt.",
    ),
]


def _demo_followups(*, body: Body, actor: User, today: datetime.date) -> None:
    """Create the :data:`FOLLOW_UPS` through the services; skip those that exist or whose
    resolution or owner is missing. A due date is never before the resolution's date."""
    states = {s.code: s for s in State.objects.all()}
    for title, owner, task, days, status, note in FOLLOW_UPS:
        resolution = (
            Resolution.objects.filter(body=body, title__startswith=title)
            .order_by("-decided_on")
            .first()
        )
        if resolution is None or FollowUp.objects.filter(task=task).exists():
            continue
        state = states.get(owner)
        organization = None
        if state is None:
            organization = Organization.objects.filter(body=body, name=owner).first()
            if organization is None:
                continue
        due = today + datetime.timedelta(days=days)
        if resolution.decided_on and due < resolution.decided_on:
            due = resolution.decided_on
        followup = resolution_services.followup_create(
            actor=actor,
            resolution=resolution,
            task=task,
            due_date=due,
            organization=organization,
            state=state,
        )
        if status != "open":
            resolution_services.followup_update_status(
                actor=actor, followup=followup, status=status, note=note, today=today
            )


WRITTEN_CLOSED_TITLE = "Beispiel (Demo): Gemeinsame Erklärung zur digitalen Barrierefreiheit"
WRITTEN_OPEN_TITLE = "Beispiel (Demo): Empfehlung für offene Schnittstellen in Fachverfahren"
WRITTEN_OPEN_DAYS = 10
WRITTEN_PROCEDURES = [
    # (paper title, author Land, proposal text, {Land code: choice}, closed) — invented for
    # the demo. Closed: 13 yes, 1 abstention, Mecklenburg-Vorpommern and the Saarland silent
    # (adopted: 13 yes where 11 are needed). Open: 5 answers so far, none of Bayern.
    (
        WRITTEN_CLOSED_TITLE,
        "DE-HH",
        "Die Digitalministerkonferenz bekennt sich in einer gemeinsamen Erklärung dazu, "
        "digitale Angebote der Verwaltung barrierefrei zu gestalten. (Beispiel für die Demo, "
        "kein echter Beschluss.)",
        {
            **dict.fromkeys(
                [
                    "DE-BB",
                    "DE-BE",
                    "DE-BW",
                    "DE-BY",
                    "DE-HB",
                    "DE-HE",
                    "DE-HH",
                    "DE-NI",
                    "DE-NW",
                    "DE-RP",
                    "DE-SH",
                    "DE-SN",
                    "DE-TH",
                ],
                "yes",
            ),
            "DE-ST": "abstain",
        },
        True,
    ),
    (
        WRITTEN_OPEN_TITLE,
        "DE-SH",
        "Die Digitalministerkonferenz empfiehlt den Ländern, bei der Beschaffung von "
        "Fachverfahren offene, dokumentierte Schnittstellen zu verlangen. (Beispiel für die "
        "Demo, kein echter Beschluss.)",
        {"DE-HH": "yes", "DE-NW": "yes", "DE-SH": "yes", "DE-BE": "yes", "DE-HB": "abstain"},
        False,
    ),
]


@transaction.atomic
def _demo_written_procedures(
    *, body: Body, plenary: Organization, actor: User, today: datetime.date
) -> list[WrittenProcedure]:
    """The :data:`WRITTEN_PROCEDURES` (DOMAIN rule 8; issue 6 "Done when": a written
    procedure runs to its result), each on a fictional draft paper of its Land, created
    through the services; returns them in that order.

    A Land's answer is cast by the Land's demo member where that member has a login (Bayern,
    Nordrhein-Westfalen), otherwise recorded by the Geschäftsstelle on the Land's behalf
    ("erfasst durch", DOMAIN rule 1). The services accept no deadline before the real
    current day (Europe/Berlin), so the finished procedure is started with a deadline of
    ``today`` (at the earliest the real current day), answered, and then closed early by the
    Geschäftsstelle (``written_procedure_close``); the open one runs until
    ``today`` + :data:`WRITTEN_OPEN_DAYS` days. Idempotent: a procedure found by its paper's
    title is returned unchanged. Raises :class:`VotingError` if a service refuses.
    """
    states = {s.code: s for s in State.objects.all()}
    now = timezone.localdate()
    voters = {
        m.on_behalf_of.code: m.person.user
        for m in Membership.objects.current()
        .filter(organization=plenary, role=MembershipRole.MEMBER, person__user__isnull=False)
        .select_related("on_behalf_of", "person__user")
    }
    procedures = []
    for title, code, text, answers, closed in WRITTEN_PROCEDURES:
        existing = WrittenProcedure.objects.filter(paper__title=title, body=body).first()
        if existing is not None:
            procedures.append(existing)
            continue
        paper = Paper.objects.filter(title=title, author_state=states[code]).first()
        if paper is None:
            paper = paper_services.paper_create(
                actor=actor,
                body=body,
                state=states[code],
                title=title,
                paper_type="proposal",
                text_source=text,
            )
        days = 0 if closed else WRITTEN_OPEN_DAYS
        procedure = voting_services.written_procedure_start(
            body=body,
            title=title,
            user=actor,
            text_html=f"<p>{text}</p>",
            paper=paper,
            deadline=max(today, now) + datetime.timedelta(days=days),
        )
        for state_code, choice in answers.items():
            voter = voters.get(state_code)
            voting_services.written_vote_cast(
                procedure=procedure,
                user=voter or actor,
                state=states[state_code],
                choice=choice,
                on_behalf=voter is None,
            )
        if closed:
            voting_services.written_procedure_close(procedure=procedure, user=actor)
        procedure.refresh_from_db()
        procedures.append(procedure)
    return procedures


def _pdf(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _thursday_on_or_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(3 - day.weekday()) % 7)


def _thursday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - 3) % 7)


def _next_session_date(
    *, body: Body, today: datetime.date
) -> tuple[datetime.date, ChairPeriod | None]:
    """The day of the demo's next session and the chair period it falls in.

    A Thursday about ``WEEKS_AHEAD`` weeks from ``today``; but the demo shows the next
    session *of the current chair* (issue 5 "Done when"), so when the current chair period
    ends before that, the latest Thursday at least ten days before the period's end (and at
    least two weeks from today) is taken instead. Only if no such day exists does the session
    fall into a later period — whose chair the record may not know yet (then ``None``).
    """
    start = _thursday_on_or_after(today + datetime.timedelta(weeks=WEEKS_AHEAD))
    periods = ChairPeriod.objects.filter(body=body).prefetch_related("chairs")
    current = periods.filter(start_date__lte=today, end_date__gte=today).first()
    if current is not None and current.end_date < start:
        latest = _thursday_on_or_before(current.end_date - datetime.timedelta(days=10))
        if latest >= today + datetime.timedelta(weeks=2):
            start = latest
    return start, periods.filter(start_date__lte=start, end_date__gte=start).first()


@transaction.atomic
def load_demo_meeting(*, today: datetime.date | None = None) -> DemoMeetingResult:
    """Create the prepared demo session (see module docstring); returns it and whether it was
    created now. Raises DemoMeetingError if the record or the demo logins are missing."""
    today = today or timezone.localdate()
    body = Body.objects.filter(short_name="DMK").first()
    plenary = Organization.objects.filter(
        body=body, name="Digitalministerkonferenz (Plenum)"
    ).first()
    actor = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    if body is None or plenary is None or actor is None:
        raise DemoMeetingError(
            "Bitte zuerst 'manage.py load_public_record' und 'manage.py load_demo' ausführen."
        )
    existing = Meeting.objects.filter(
        body=body, organization=plenary, name=SESSION_NAME, kind=MeetingKind.REGULAR
    ).first()
    _demo_followups(body=body, actor=actor, today=today)
    special = _demo_special_session(body=body, plenary=plenary, actor=actor, today=today)
    _demo_special_minutes(special=special, actor=actor)
    written = _demo_written_procedures(body=body, plenary=plenary, actor=actor, today=today)
    if existing is not None:
        _mark_fictional(existing)
        return DemoMeetingResult(
            meeting=existing, created=False, special_session=special, written_procedures=written
        )

    states = {s.code: s for s in State.objects.all()}
    start, period = _next_session_date(body=body, today=today)
    meeting = meeting_services.meeting_create(
        actor=actor,
        body=body,
        organization=plenary,
        kind=MeetingKind.REGULAR,
        name=SESSION_NAME,
        start_date=start,
        place="Hamburg",
        venue="Rathaus Hamburg, Kaisersaal",
        chairs=list(period.chairs.all()) if period is not None else [],
        today=today,
    )
    meeting.start_time, meeting.end_time = datetime.time(10, 0), datetime.time(16, 30)
    meeting.chair_period = period
    meeting.save(update_fields=["start_time", "end_time", "chair_period"])
    _mark_fictional(meeting)

    # papers are submitted on the loading day ``today`` (noon, Europe/Berlin, when it is not
    # the real today), so that a load for a given day gives the same deadlines and no paper
    # turns into a Tischvorlage because the calendar moved on (DOMAIN rule 7)
    submitted_at = (
        timezone.now()
        if today == timezone.localdate()
        else timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    )
    items = {}
    for position, (title, kind, flags, leads) in enumerate(AGENDA, start=1):
        items[position] = meeting_services.agenda_item_add(
            actor=actor,
            meeting=meeting,
            title=title,
            kind=kind,
            public=position in (1, 3, 5),
            lead_states=[states[c] for c in leads],
            **flags,
        )

    for code, title, paper_type, position, sponsors, accepting in PAPERS:
        author = states[code]
        paper = Paper.objects.filter(title=title, author_state=author).first()
        if paper is None:
            paper = paper_services.paper_create(
                actor=actor,
                body=body,
                state=author,
                title=title,
                paper_type=paper_type,
                text_source=f"Die Digitalministerkonferenz möge beschließen: {title}.",
                upload_name=f"{title[:40]}.pdf",
                upload_stream=io.BytesIO(_pdf(title)),
            )
        for sponsor_code in sponsors:
            sponsor = paper_services.sponsor_invite(
                actor=actor, paper=paper, state=states[sponsor_code]
            )
            if sponsor_code in accepting:
                paper_services.sponsor_answer(actor=actor, sponsor=sponsor, accept=True)
        consultation = paper_services.paper_submit(
            actor=actor, paper=paper, meeting=meeting, now=submitted_at
        )
        paper_services.consultation_place_on_agenda(
            actor=actor, consultation=consultation, agenda_item=items[position]
        )

    # A draft of Bavaria that is not yet submitted: visible to Bavaria and the Geschäftsstelle.
    if not Paper.objects.filter(
        title="Entwurf: Digitale Identitäten", author_state=states["DE-BY"]
    ).exists():
        paper_services.paper_create(
            actor=actor,
            body=body,
            state=states["DE-BY"],
            title="Entwurf: Digitale Identitäten",
            paper_type="proposal",
        )

    for code, role, name in ATTENDANCE:
        meeting_services.attendance_register(
            actor=actor, meeting=meeting, state=states[code], role=role, representative_name=name
        )

    guest = Person.objects.filter(email="gast.bund@dmk.example").first()
    if guest is not None:
        meeting_services.guest_invite(
            actor=actor, meeting=meeting, person=guest, agenda_items=[items[3]]
        )

    if meeting.state != MeetingState.INVITED:
        meeting_services.meeting_invite(actor=actor, meeting=meeting)
    meeting.refresh_from_db()
    return DemoMeetingResult(
        meeting=meeting, created=True, special_session=special, written_procedures=written
    )


def _mark_fictional(meeting: Meeting) -> None:
    """Mark a demo session as fictional: public pages say "fiktiv (Demo)" beside it (issue
    11, defect 9). Idempotent; also marks a session of a demo loaded before the mark."""
    if not meeting.is_fictional:
        Meeting.objects.filter(pk=meeting.pk).update(is_fictional=True)
        meeting.is_fictional = True


def _demo_special_session(
    *, body: Body, plenary: Organization, actor: User, today: datetime.date
) -> Meeting:
    """A clearly fictional special session by video conference on ``today`` that can be run
    from the cockpit at once (issue 6 newcomer report, item 5; ballots open only from the
    meeting day on): two items — a decision item with a paper (a Tischvorlage placed with the
    chair's consent, DOMAIN rule 7) and an institutional item (rule 3) — 14 Länder registered
    and present (Berlin by its permanent deputy, the others by their member), the Saarland
    registered as not taking part and Mecklenburg-Vorpommern not registered; no ballots.
    Idempotent: found by name and kind, an existing one is returned unchanged."""
    existing = Meeting.objects.filter(
        body=body, organization=plenary, name=SPECIAL_SESSION_NAME, kind=MeetingKind.SPECIAL
    ).first()
    if existing is not None:
        _mark_fictional(existing)
        return existing
    states = {s.code: s for s in State.objects.all()}
    meeting = meeting_services.meeting_create(
        actor=actor,
        body=body,
        organization=plenary,
        kind=MeetingKind.SPECIAL,
        name=SPECIAL_SESSION_NAME,
        start_date=today,
        place="Videokonferenz",
        chairs=[states["DE-HH"]],
        today=today,
    )
    _mark_fictional(meeting)
    items = [
        meeting_services.agenda_item_add(
            actor=actor,
            meeting=meeting,
            title=title,
            kind=kind,
            lead_states=[states["DE-HH"]],
            **flags,
        )
        for title, kind, flags in SPECIAL_AGENDA
    ]
    paper = paper_services.paper_create(
        actor=actor,
        body=body,
        state=states["DE-HH"],
        title=SPECIAL_PAPER_TITLE,
        paper_type="proposal",
        text_source=SPECIAL_PAPER_TEXT,
    )
    consultation = paper_services.paper_submit(actor=actor, paper=paper, meeting=meeting)
    paper_services.consultation_place_on_agenda(
        actor=actor, consultation=consultation, agenda_item=items[0], chair_consent=True
    )
    present = []
    for code, state in sorted(states.items()):
        if code == "DE-MV":
            continue
        role = "none" if code == "DE-SL" else "member"
        if code == SPECIAL_DEPUTY:
            role = "permanent_deputy"
        meeting_services.attendance_register(actor=actor, meeting=meeting, state=state, role=role)
        if code not in SPECIAL_ABSENT:
            present.append(state.pk)
    meeting_services.attendance_set_present(actor=actor, meeting=meeting, state_ids=present)
    meeting_services.meeting_invite(actor=actor, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


SPECIAL_MINUTES_TEXT = (
    "Beispiel (Demo): Die Länder begrüßen gemeinsame Leitlinien. Hamburg stellt den Entwurf "
    "vor; mehrere Länder bitten, die Barrierefreiheit ausdrücklich aufzunehmen."
)
SPECIAL_MINUTES_COMMENTS = [
    # (demo login, Land, TOP position or None, text or None for "keine Einwände")
    (
        "mitglied.by@dmk.example",
        "DE-BY",
        1,
        "Beispiel (Demo): Bayern bittet, den Hinweis auf Datensparsamkeit in den "
        "Beratungsverlauf aufzunehmen.",
    ),
    ("mitglied.nw@dmk.example", "DE-NW", None, None),
]


def _demo_special_minutes(*, special: Meeting, actor: User) -> None:
    """Minutes of the demo special session "zur Stellungnahme" with comments of two Länder
    (issue 12 item 7): the session is marked held, the draft is written from its record with a
    discussion summary for TOP 1, circulated (deadline from the body's rule set), Bayern
    comments on TOP 1 and Nordrhein-Westfalen states "keine Einwände". Idempotent: existing
    minutes are left as they are. Ballots can still be run in the cockpit (a held meeting
    takes ballots until its minutes are approved); the draft keeps the record of its day."""
    from dmk.minutes import services as minutes_services
    from dmk.minutes.models import Minutes

    if Minutes.objects.filter(meeting=special).exists():
        return
    if special.state == MeetingState.INVITED:
        meeting_services.meeting_hold(actor=actor, meeting=special)
    minutes = minutes_services.minutes_create_draft(meeting=special, user=actor)
    items = list(special.agenda_items.order_by("order"))
    minutes_services.minutes_revise(
        minutes=minutes,
        user=actor,
        texts={items[0].pk: SPECIAL_MINUTES_TEXT},
        base_version=1,
        note="Beratungsverlauf ergänzt",
    )
    minutes_services.minutes_circulate(minutes=minutes, user=actor)
    states = {s.code: s for s in State.objects.filter(code__in=["DE-BY", "DE-NW"])}
    for email, code, position, text in SPECIAL_MINUTES_COMMENTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        minutes_services.minutes_comment(
            minutes=minutes,
            user=user,
            state=states[code],
            agenda_item=items[position - 1] if position else None,
            text=text or "",
            no_objection=text is None,
        )
    special.refresh_from_db()
