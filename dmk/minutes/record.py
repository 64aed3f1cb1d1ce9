"""The part of the minutes that writes itself from the record (issue 12 item 1).

:func:`minutes_record` reads a held meeting — attendance, agenda, papers, ballots, votes,
transfers, reservations, declarations, Tischvorlagen, resolutions and follow-ups — and
returns a JSON-serialisable snapshot that :class:`dmk.minutes.models.MinutesVersion` keeps.
Nothing here writes.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation

from dmk.bodies.models import State
from dmk.meetings.models import AttendanceRole, Meeting
from dmk.papers.models import Consultation
from dmk.resolutions.models import FollowUp, Resolution
from dmk.voting.models import Ballot, BallotState, ProtocolDeclaration, Vote, VoteTransfer
from dmk.voting.wording import names_by_choice, outcome_sentence


def _names(states: list[State]) -> str:
    return ", ".join(s.name for s in states)


def outcome_wording(ballot: Ballot, votes: list[Vote], all_states: list[State]) -> str:
    """The one outcome sentence of a closed ballot, e.g. "angenommen (11 Ja, 0 Nein,
    1 Enthaltung: Bremen; nicht abgestimmt: Berlin, Hessen, …)", in German — the minutes are
    a German record (issue 12 item 1; the wording is the record-correctness issue's
    ``dmk.voting.wording.outcome_sentence``, shared with cockpit, public page, feeds and proof
    PDF; counts are Länder, DOMAIN rule 1; unanimity per rule 3). ``votes`` are the ballot's
    votes, ``all_states`` every member Land. "noch nicht abgeschlossen" for an open ballot."""
    outcome = ballot.stored_outcome
    if outcome is None:
        return "noch nicht abgeschlossen"
    with translation.override("de"):
        no, abstain, absent = names_by_choice(votes, all_states)
        return outcome_sentence(outcome, no=no, abstain=abstain, absent=absent)


def _choice_label(choice: str) -> str:
    return {"yes": "Ja", "no": "Nein", "abstain": "Enthaltung"}.get(choice, choice)


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def minutes_record(meeting: Meeting) -> dict[str, Any]:
    """A snapshot of ``meeting``'s record for its minutes (issue 12 item 1).

    Shape: ``{"header": {...}, "attendance": [...], "guests": [...], "items": [...]}``;
    every value is a string, a number, a bool or a list/dict of them. ``attendance`` has one
    row per Land (all Länder, German names), ``items`` one entry per agenda item in agenda
    order with ``id``, ``number``, ``title``, ``papers``, ``ballots`` (outcome wording and the
    per-Land vote table, DOMAIN rules 1, 4, 6), ``transfers``, ``reservations``,
    ``declarations`` (in full, rule 6), ``tischvorlagen`` (chair's consent, rule 7),
    ``resolutions`` and ``follow_ups``. Times are Europe/Berlin. A fixed number of queries.
    """
    all_states = list(State.objects.order_by("name_de"))
    attendance = {
        a.state_id: a for a in meeting.attendances.select_related("person", "state").all()
    }
    header = {
        "body": meeting.body.name,
        "name": meeting.name,
        "kind": meeting.get_kind_display(),
        "ordinal": meeting.ordinal,
        "date": meeting.start_date.strftime("%d.%m.%Y") if meeting.start_date else "",
        "end_date": meeting.end_date.strftime("%d.%m.%Y") if meeting.end_date else "",
        "place": meeting.place,
        "venue": meeting.venue,
        "video": bool(meeting.video_url),
        "chairs": [s.name for s in meeting.chairs.order_by("name_de")],
    }
    rows = []
    for state in all_states:
        row = attendance.get(state.pk)
        if row is None:
            rows.append({"state": state.name, "status": "nicht gemeldet", "name": "", "role": ""})
            continue
        name = row.representative_name or (str(row.person) if row.person else "")
        if row.role == AttendanceRole.NONE:
            status = "nimmt nicht teil"
        else:
            status = "anwesend" if row.present else "abwesend"
        rows.append(
            {
                "state": state.name,
                "status": status,
                "name": name,
                "role": row.get_role_display() if row.role else "",
                "further_deputy": row.role == AttendanceRole.FURTHER_DEPUTY,
                "since": _when(row.registered_at),
            }
        )
    guests = []
    invitations = meeting.guest_invitations.select_related("person").prefetch_related(
        "agenda_items"
    )
    for invitation in invitations:
        items = [f"TOP {i.number or i.order}" for i in invitation.agenda_items.all()]
        guests.append(
            {
                "name": str(invitation.person),
                "items": items,
                "status": invitation.get_status_display(),
            }
        )

    items = list(meeting.agenda_items.order_by("order"))
    consultations: dict[int, list[Consultation]] = {}
    for c in Consultation.objects.filter(agenda_item__meeting=meeting).select_related(
        "paper", "paper__author_state"
    ):
        consultations.setdefault(c.agenda_item_id, []).append(c)
    ballots: dict[int, list[Ballot]] = {}
    for b in Ballot.objects.filter(agenda_item__meeting=meeting, state=BallotState.CLOSED).order_by(
        "opened_at", "pk"
    ):
        ballots.setdefault(b.agenda_item_id, []).append(b)
    votes: dict[int, list[Vote]] = {}
    for v in Vote.objects.filter(ballot__agenda_item__meeting=meeting).select_related(
        "state", "via_transfer__to_state"
    ):
        votes.setdefault(v.ballot_id, []).append(v)
    transfers: dict[int, list[VoteTransfer]] = {}
    for t in VoteTransfer.objects.filter(meeting=meeting).select_related("from_state", "to_state"):
        transfers.setdefault(t.from_agenda_item_id, []).append(t)
    declarations: dict[int, list[ProtocolDeclaration]] = {}
    for d in ProtocolDeclaration.objects.filter(agenda_item__meeting=meeting).select_related(
        "state"
    ):
        declarations.setdefault(d.agenda_item_id, []).append(d)
    resolutions: dict[int, list[Resolution]] = {}
    for r in Resolution.objects.filter(agenda_item__meeting=meeting).order_by("number_seq", "pk"):
        resolutions.setdefault(r.agenda_item_id, []).append(r)
    follow_ups: dict[int, list[FollowUp]] = {}
    for f in FollowUp.objects.filter(resolution__agenda_item__meeting=meeting).select_related(
        "resolution", "state", "organization"
    ):
        follow_ups.setdefault(f.resolution.agenda_item_id, []).append(f)

    entries = []
    for item in items:
        item_ballots = []
        reservations = []
        for ballot in ballots.get(item.pk, []):
            ballot_votes = sorted(votes.get(ballot.pk, []), key=lambda v: v.state.name_de)
            table = []
            by_state = {v.state_id: v for v in ballot_votes}
            for state in all_states:
                vote = by_state.get(state.pk)
                if vote is None:
                    table.append({"state": state.name, "choice": "nicht abgestimmt", "note": ""})
                    continue
                notes = []
                if vote.via_transfer_id:
                    notes.append(f"Stimme geführt von {vote.via_transfer.to_state.name}")
                if vote.cabinet_reservation:
                    notes.append("Kabinettsvorbehalt")
                    reservations.append(state.name)
                table.append(
                    {
                        "state": state.name,
                        "choice": _choice_label(vote.choice),
                        "note": "; ".join(notes),
                    }
                )
            item_ballots.append(
                {
                    "rule": ballot.get_rule_display(),
                    "wording": outcome_wording(ballot, ballot_votes, all_states),
                    "closed_at": _when(ballot.closed_at),
                    "table": table,
                }
            )
        entries.append(
            {
                "id": item.pk,
                "number": item.number or str(item.order),
                "title": item.title,
                "kind": item.get_kind_display(),
                "public": item.public,
                "papers": [
                    {
                        "title": c.paper.title,
                        "author": c.paper.author_state.name if c.paper.author_state else "",
                    }
                    for c in consultations.get(item.pk, [])
                ],
                "tischvorlagen": [
                    {
                        "title": c.paper.title,
                        "consent": _when(c.chair_consent_at),
                        "refused": _when(c.chair_refused_at),
                    }
                    for c in consultations.get(item.pk, [])
                    if c.is_tischvorlage
                ],
                "ballots": item_ballots,
                "transfers": [
                    {
                        "from": t.from_state.name,
                        "to": t.to_state.name,
                        "since": _when(t.created_at),
                        "revoked": _when(t.revoked_at),
                    }
                    for t in transfers.get(item.pk, [])
                ],
                "reservations": sorted(set(reservations)),
                "declarations": [
                    {"state": d.state.name, "text": d.text} for d in declarations.get(item.pk, [])
                ],
                "resolutions": [
                    {"number": r.number, "title": r.title, "status": r.get_status_display()}
                    for r in resolutions.get(item.pk, [])
                ],
                "follow_ups": [
                    {
                        "task": f.task,
                        "owner": str(f.owner),
                        "due": f.due_date.strftime("%d.%m.%Y"),
                    }
                    for f in follow_ups.get(item.pk, [])
                ],
            }
        )
    return {"header": header, "attendance": rows, "guests": guests, "items": entries}
