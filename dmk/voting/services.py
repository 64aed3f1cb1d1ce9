"""Writes of the voting app: ballots, votes, vote transfers, declarations (DOMAIN rules 1–6).

Every service is keyword-only and atomic, checks who may do it and the rule it serves, and
writes one audit entry. A refusal raises :class:`VotingError` with a German message the views
show as it is (never a 500).
"""

from __future__ import annotations

import datetime
from typing import Any

import nh3
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dmk.access.policy import can_run_session, is_secretariat_of, voting_state_ids
from dmk.bodies.models import Body, Membership, MembershipRole, Organization, State
from dmk.core.audit import log_action
from dmk.core.enums import Visibility
from dmk.meetings.models import AgendaItem, AttendanceRole, Meeting, MeetingState
from dmk.meetings.selectors import next_planned_meeting, present_state_ids
from dmk.meetings.services import agenda_item_add_by_rule
from dmk.papers.models import Consultation, Paper
from dmk.voting.models import (
    Ballot,
    BallotState,
    Choice,
    ProtocolDeclaration,
    Vote,
    VoteTransfer,
    WrittenProcedure,
    WrittenProcedureState,
    WrittenVote,
)
from dmk.voting.rules import MajorityRule, Outcome, evaluate
from dmk.voting.selectors import active_transfer_from, attendance_of, represents


class VotingError(Exception):
    """A refused voting action; ``message`` is German and safe to show to the user.

    ``field`` names the input the refusal is about (``"choice"``, ``"reason"``, ``"state"``)
    so that a form can show the message next to it; ``None`` concerns the action as a whole.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def member_count() -> int:
    """The number of member Länder that vote (16 for the DMK; DOMAIN rule 2)."""
    return State.objects.count()


def _require_secretariat(user: Any, *, body: Any) -> None:
    """Refuse unless ``user`` is the Geschäftsstelle of ``body`` (a Body, pk or object of it;
    issue 11 item 1: a Geschäftsstelle runs only its own body's sessions)."""
    if not can_run_session(user, body=body):
        raise VotingError(_("Nur die Geschäftsstelle darf die Sitzung leiten."))


def _require_procedure_secretariat(user: Any, *, procedure: Any, action: str) -> None:
    """Refuse unless ``user`` is the Geschäftsstelle of ``procedure``'s body; the message
    names the written procedure, not a session (issue 11, defect 9)."""
    if can_run_session(user, body=procedure.body_id):
        return
    if action == "close":
        raise VotingError(
            _("Nur die Geschäftsstelle kann ein Umlaufverfahren vorzeitig abschließen.")
        )
    if action == "record":
        raise VotingError(
            _("Nur die Geschäftsstelle kann die Stimme eines Landes im Umlaufverfahren erfassen.")
        )
    if action == "correct":
        raise VotingError(
            _("Nur die Geschäftsstelle kann eine Antwort im Umlaufverfahren berichtigen.")
        )
    raise VotingError(_("Nur die Geschäftsstelle leitet Umlaufverfahren ein."))


def _require_running_meeting(meeting: Meeting) -> None:
    """Refuse a ballot for a meeting that has not begun, is cancelled or is closed by its
    released minutes (issue 6 newcomer report, item 3). Dates are Europe/Berlin."""
    if meeting.state == MeetingState.CANCELLED:
        raise VotingError(_("Die Sitzung ist abgesagt; Abstimmungen sind nicht möglich."))
    if meeting.state == MeetingState.MINUTES_RELEASED:
        raise VotingError(
            _("Das Protokoll der Sitzung ist freigegeben; Abstimmungen sind nicht mehr möglich.")
        )
    if meeting.start_date is None or timezone.localdate() < meeting.start_date:
        raise VotingError(
            _(
                "Die Sitzung hat noch nicht begonnen; Abstimmungen sind erst ab dem Sitzungstag "
                "möglich."
            )
        )


@transaction.atomic
def ballot_open(*, agenda_item: AgendaItem, user: Any, rule: MajorityRule | None = None) -> Ballot:
    """Open a ballot on ``agenda_item`` and return it.

    Only the Geschäftsstelle opens ballots. The rule defaults to TWO_THIRDS_OF_MEMBERS
    (DOMAIN rule 2); an institutional item always gets UNANIMITY (rule 3, seed §3.1), whatever
    ``rule`` says. Raises :class:`VotingError` if the user is not the Geschäftsstelle, the item
    is im parlamentarischen Verfahren (rule 5, seed §1.4), a ballot on it is already open, or
    one is already closed (its outcome is the record of the item; issue 11, defect 7).
    """
    _require_secretariat(user, body=agenda_item.meeting.body_id)
    _require_running_meeting(agenda_item.meeting)
    if agenda_item.in_parliamentary_procedure:
        raise VotingError(
            _(
                "Über diesen TOP kann nicht abgestimmt werden: Das Vorhaben befindet sich im "
                "parlamentarischen Verfahren. Ein Austausch ist möglich, ein inhaltlicher "
                "Beschluss nicht."
            )
        )
    if agenda_item.institutional:
        rule = MajorityRule.UNANIMITY
    rule = rule or MajorityRule.TWO_THIRDS_OF_MEMBERS
    if Ballot.objects.filter(agenda_item=agenda_item, state=BallotState.OPEN).exists():
        raise VotingError(_("Zu diesem TOP läuft bereits eine Abstimmung."))
    if Ballot.objects.filter(agenda_item=agenda_item, state=BallotState.CLOSED).exists():
        # The closed ballot is the record of the item (issue 11, defect 7).
        raise VotingError(
            _(
                "Über diesen TOP ist bereits abgestimmt worden; das Ergebnis steht fest. Eine "
                "neue Abstimmung braucht einen neuen TOP."
            )
        )
    ballot = Ballot.objects.create(
        agenda_item=agenda_item, rule=rule.value, opened_at=timezone.now(), opened_by=user
    )
    log_action("voting.ballot.opened", actor=user, obj=ballot, data={"rule": rule.value})
    return ballot


def _require_present_representative(
    *, user: Any, meeting: Meeting, state: State, on_behalf: bool
) -> None:
    """Refuse unless ``state`` is present at ``meeting`` and — on the Land's own device —
    ``user`` is the person who represents it now (DOMAIN rule 1; issue 6 newcomer report)."""
    attendance = attendance_of(meeting=meeting, state=state)
    if attendance is None or not attendance.present:
        raise VotingError(
            _(
                "%(land)s ist nicht als anwesend festgestellt und kann nicht abstimmen. Die "
                "Geschäftsstelle stellt die Anwesenheit in der Sitzungsleitung fest."
            )
            % {"land": state.name}
        )
    if on_behalf or represents(user=user, meeting=meeting, attendance=attendance):
        return
    if attendance.person_id is not None:
        who = str(attendance.person)
    elif attendance.role == AttendanceRole.FURTHER_DEPUTY and attendance.representative_name:
        who = attendance.representative_name
    else:
        who = AttendanceRole(attendance.role or AttendanceRole.MEMBER).label
    raise VotingError(
        _(
            "Für %(land)s ist in dieser Sitzung diese Vertretung gemeldet: %(who)s. Nur diese "
            "Person gibt die Stimme des Landes ab; die Geschäftsstelle kann die Anmeldung ändern "
            "oder die Stimme im Auftrag erfassen."
        )
        % {"land": state.name, "who": who}
    )


@transaction.atomic
def vote_cast(
    *,
    ballot: Ballot,
    user: Any,
    state: State,
    choice: str,
    cabinet_reservation: bool = False,
    on_behalf: bool = False,
) -> Vote:
    """Cast (or change) ``state``'s vote in ``ballot`` and return the vote row.

    Who may (DOMAIN rule 1, seed §2.2, §2.3): the one person who represents ``state`` at this
    moment — a current member, permanent deputy or further deputy named for this meeting whom
    the Land's registered attendance names (:func:`dmk.voting.selectors.represents`: the named
    person, else a user with the registered role, else the member); or, with
    ``on_behalf=True``, the Geschäftsstelle recording the vote for the Land ("erfasst durch",
    audited). The casting Land must be present (``Attendance.present``) in both cases. Guests
    and the Geschäftsstelle never vote for themselves. While ``state`` has transferred its vote
    (rule 4) only the receiving Land casts it, as a separate row with ``via_transfer`` set; the
    receiving Land must then be present and it is its representative who casts. ``choice`` is
    a :class:`Choice` value; ``cabinet_reservation`` marks a Kabinettsvorbehalt (rule 6).
    The ballot row is locked while casting, so exactly one vote per Land exists; the person
    who cast it may change it before closing (audited). Anybody else — a second person of the
    same Land, the receiving Land of a later transfer, the Geschäftsstelle recording on
    behalf — is refused with a message naming who voted (:func:`replacement_refusal`, issue 11
    Build 2): a cast vote is replaced only by :func:`vote_correct`, with a reason.

    Raises :class:`VotingError` with a German message for every refusal.
    """
    if choice not in Choice.values:
        raise VotingError(_("Bitte wählen Sie Ja, Nein oder Enthaltung."))
    locked = Ballot.objects.select_for_update().select_related("agenda_item").get(pk=ballot.pk)
    if not locked.is_open:
        raise VotingError(
            _("Die Abstimmung ist geschlossen; Stimmen können nicht mehr abgegeben werden.")
        )
    item = locked.agenda_item
    transfer = active_transfer_from(state=state, agenda_item=item)
    recorded_by = None
    if on_behalf:
        _require_secretariat(user, body=item.meeting.body_id)
        recorded_by = user
    else:
        own_states = voting_state_ids(user, meeting=item.meeting)
        if not own_states:
            if is_secretariat_of(user, item.meeting.body_id):
                raise VotingError(
                    _(
                        "Die Geschäftsstelle hat kein Stimmrecht. Sie kann die Stimme eines "
                        "Landes nur in dessen Auftrag erfassen."
                    )
                )
            raise VotingError(
                _(
                    "Sie haben kein Stimmrecht. Nur das Mitglied oder die Stellvertretung eines "
                    "Landes gibt dessen Stimme ab; Gäste stimmen nicht ab."
                )
            )
        if state.pk in own_states:
            if transfer is not None:
                raise VotingError(
                    _(
                        "%(land)s hat sein Stimmrecht an %(to)s übertragen und kann nicht selbst "
                        "abstimmen, solange die Übertragung gilt."
                    )
                    % {"land": state.name, "to": transfer.to_state.name}
                )
        elif transfer is None or transfer.to_state_id not in own_states:
            raise VotingError(_("Sie können nur die Stimme Ihres eigenen Landes abgeben."))
    # The Land that casts: the receiving Land of an active transfer, else the Land itself.
    casting_state = transfer.to_state if transfer is not None else state
    _require_present_representative(
        user=user, meeting=item.meeting, state=casting_state, on_behalf=on_behalf
    )
    vote = (
        Vote.objects.select_related("state", "cast_by", "recorded_by").filter(
            ballot=locked, state=state
        )
    ).first()
    if vote is not None and not _same_caster(vote, user=user, on_behalf=on_behalf):
        raise VotingError(replacement_refusal(vote))
    old_choice = vote.choice if vote else None
    fields = {
        "choice": choice,
        "cast_by": user if not on_behalf else None,
        "recorded_by": recorded_by,
        "via_transfer": transfer,
        "cabinet_reservation": bool(cabinet_reservation),
    }
    if vote is None:
        vote = Vote.objects.create(ballot=locked, state=state, **fields)
    else:
        for name, value in fields.items():
            setattr(vote, name, value)
        vote.save()
    data: dict[str, Any] = {
        "ballot": locked.pk,
        "state": state.code,
        "choice": choice,
        "cabinet_reservation": bool(cabinet_reservation),
    }
    if recorded_by is not None:
        data["erfasst_durch"] = user.email
    if transfer is not None:
        data["via_transfer_to"] = transfer.to_state.code
    if old_choice is not None:
        data["previous_choice"] = old_choice
    action = "voting.vote.changed" if old_choice is not None else "voting.vote.cast"
    log_action(action, actor=user, obj=vote, data=data)
    return vote


def _same_caster(vote: Vote | WrittenVote, *, user: Any, on_behalf: bool) -> bool:
    """Whether ``user`` cast ``vote`` themself on their own device and the Geschäftsstelle has
    not corrected it since (then they may change it)."""
    return (
        not on_behalf
        and vote.recorded_by_id is None
        and vote.corrected_by_id is None
        and vote.cast_by_id == user.pk
    )


def _caster_name(vote: Vote | WrittenVote) -> str:
    """Who cast ``vote``: the person's name (or address), or the recording Geschäftsstelle."""
    if vote.recorded_by is not None:
        name = vote.recorded_by.get_full_name() or vote.recorded_by.email
        return _("die Geschäftsstelle (erfasst durch %(name)s)") % {"name": name}
    if vote.cast_by is not None:
        return vote.cast_by.get_full_name() or vote.cast_by.email
    return _("eine nicht mehr bekannte Person")


def replacement_refusal(vote: Vote | WrittenVote) -> str:
    """The German message refusing to replace ``vote`` (a ballot's or a written procedure's)
    silently (issue 11 Build 2): which Land, what it voted, who cast it and when
    (Europe/Berlin), and that only the Geschäftsstelle corrects it, with a reason."""
    values = {
        "land": vote.state.name,
        "choice": vote.get_choice_display(),
        "who": _caster_name(vote),
        "time": timezone.localtime(vote.updated_at).strftime("%H:%M"),
        "day": timezone.localtime(vote.updated_at).strftime("%d.%m.%Y"),
    }
    if isinstance(vote, WrittenVote):
        return (
            _(
                "Für %(land)s ist bereits eine Antwort abgegeben: „%(choice)s“, von %(who)s am "
                "%(day)s um %(time)s Uhr. Eine andere Person kann sie nicht ersetzen. Ist sie "
                "falsch, berichtigt die Geschäftsstelle sie mit Begründung."
            )
            % values
        )
    return (
        _(
            "Für %(land)s ist bereits eine Stimme abgegeben: „%(choice)s“, von %(who)s um "
            "%(time)s Uhr. Eine andere Person kann sie nicht ersetzen. Ist sie falsch, "
            "berichtigt die Geschäftsstelle sie in der Sitzungsleitung mit Begründung."
        )
        % values
    )


def _correction_target(
    votes: Any, *, state: State, choice: str, reason: str, reservation: bool, written: bool
) -> tuple[Any, str]:
    """The input of a correction checked, for :func:`vote_correct` (``written=False``) and
    :func:`written_vote_correct` (``written=True``; issue 11 Build 2, DOMAIN rule 6): returns
    ``state``'s vote from ``votes`` (a queryset of ``Vote`` or ``WrittenVote`` of that Land,
    locked here with ``SELECT … FOR UPDATE``) and the stripped ``reason``. Raises
    :class:`VotingError` for an unknown ``choice`` (field ``"choice"``), an empty reason
    (``"reason"``), a Land without a vote (``"state"``), or a correction that keeps the
    choice and the Kabinettsvorbehalt (``"choice"``: a double submit is audited once)."""
    if choice not in Choice.values:
        raise VotingError(_("Bitte wählen Sie Ja, Nein oder Enthaltung."), field="choice")
    reason = (reason or "").strip()
    if not reason:
        raise VotingError(_("Bitte geben Sie den Grund der Berichtigung an."), field="reason")
    vote = votes.select_for_update().first()
    if vote is None:
        raise VotingError(
            _("Für %(land)s ist noch keine Stimme abgegeben; es gibt nichts zu berichtigen.")
            % {"land": state.name},
            field="state",
        )
    if vote.choice != choice or vote.cabinet_reservation != reservation:
        return vote, reason
    if written and reservation:
        message = _(
            "Die Berichtigung ändert nichts: Die Antwort von %(land)s ist bereits „%(choice)s“ "
            "unter Kabinettsvorbehalt. Wählen Sie eine andere Antwort oder ändern Sie den "
            "Kabinettsvorbehalt."
        )
    elif written:
        message = _(
            "Die Berichtigung ändert nichts: Die Antwort von %(land)s ist bereits „%(choice)s“ "
            "ohne Kabinettsvorbehalt. Wählen Sie eine andere Antwort oder ändern Sie den "
            "Kabinettsvorbehalt."
        )
    elif reservation:
        message = _(
            "Die Berichtigung ändert nichts: Die Stimme von %(land)s ist bereits "
            "„%(choice)s“ unter Kabinettsvorbehalt. Wählen Sie eine andere Stimme oder "
            "ändern Sie den Kabinettsvorbehalt."
        )
    else:
        message = _(
            "Die Berichtigung ändert nichts: Die Stimme von %(land)s ist bereits "
            "„%(choice)s“ ohne Kabinettsvorbehalt. Wählen Sie eine andere Stimme oder "
            "ändern Sie den Kabinettsvorbehalt."
        )
    values = {"land": state.name, "choice": vote.get_choice_display()}
    raise VotingError(message % values, field="choice")


@transaction.atomic
def vote_correct(
    *,
    ballot: Ballot,
    user: Any,
    state: State,
    choice: str,
    reason: str,
    cabinet_reservation: bool = False,
) -> Vote:
    """The Geschäftsstelle corrects ``state``'s cast vote in the open ``ballot`` to ``choice``
    and returns it (issue 11 Build 2: a replacement is never silent).

    Only the Geschäftsstelle of the ballot's body (seed §2.4); ``reason`` (plain text) is
    required. The row keeps who cast it; ``previous_choice``, ``corrected_by``,
    ``corrected_at`` and ``correction_reason`` record the correction, which the per-Land
    table shows; audited as ``voting.vote.corrected`` with the previous and the new choice.
    Who may correct is checked first (a user who is not that Geschäftsstelle learns nothing
    about the ballot), then the ballot's state, then the input. Raises :class:`VotingError`
    (``field`` set where the refusal concerns one input) for a user who is not that
    Geschäftsstelle, a closed ballot, an unknown choice (``"choice"``), an empty reason
    (``"reason"``), a Land without a vote (``"state"``), or a correction that changes nothing
    — same choice and same Kabinettsvorbehalt (``"choice"``; a double submit is audited once).
    """
    _require_secretariat(user, body=ballot.agenda_item.meeting.body_id)
    locked = (
        Ballot.objects.select_for_update().select_related("agenda_item__meeting").get(pk=ballot.pk)
    )
    if not locked.is_open:
        raise VotingError(
            _("Die Abstimmung ist geschlossen; Stimmen können nicht mehr berichtigt werden.")
        )
    vote, reason = _correction_target(
        Vote.objects.filter(ballot=locked, state=state),
        state=state,
        choice=choice,
        reason=reason,
        reservation=bool(cabinet_reservation),
        written=False,
    )
    previous = vote.choice
    vote.previous_choice = previous
    vote.choice = choice
    vote.cabinet_reservation = bool(cabinet_reservation)
    vote.corrected_by = user
    vote.corrected_at = timezone.now()
    vote.correction_reason = reason
    vote.save()
    log_action(
        "voting.vote.corrected",
        actor=user,
        obj=vote,
        data={
            "ballot": locked.pk,
            "state": state.code,
            "choice": choice,
            "previous_choice": previous,
            "cabinet_reservation": bool(cabinet_reservation),
            "reason": reason,
            "cast_by": vote.cast_by_id,
        },
    )
    return vote


def outcome_of(ballot: Ballot, *, abstention_breaks_unanimity: bool) -> Outcome:
    """Count ``ballot``'s votes per Land and evaluate them (DOMAIN rules 2, 3)."""
    counts = dict.fromkeys(Choice.values, 0)
    for choice in ballot.votes.values_list("choice", flat=True):
        counts[choice] += 1
    return evaluate(
        rule=ballot.majority_rule,
        members=member_count(),
        yes=counts[Choice.YES],
        no=counts[Choice.NO],
        abstain=counts[Choice.ABSTAIN],
        abstention_breaks_unanimity=abstention_breaks_unanimity,
    )


@transaction.atomic
def ballot_close(*, ballot: Ballot, user: Any) -> Outcome:
    """Close ``ballot``, store its outcome and return it.

    Members are all Länder (16; DOMAIN rule 2); Länder that did not vote are absent, never yes.
    Unanimity follows the body's ``abstention_breaks_unanimity`` (rule 3). Only the
    Geschäftsstelle closes; raises :class:`VotingError` otherwise or if already closed.
    """
    _require_secretariat(user, body=ballot.agenda_item.meeting.body_id)
    locked = (
        Ballot.objects.select_for_update()
        .select_related("agenda_item__meeting__body")
        .get(pk=ballot.pk)
    )
    if not locked.is_open:
        raise VotingError(_("Die Abstimmung ist bereits geschlossen."))
    body = locked.agenda_item.meeting.body
    outcome = outcome_of(locked, abstention_breaks_unanimity=body.abstention_breaks_unanimity)
    locked.state = BallotState.CLOSED
    locked.closed_at = timezone.now()
    for name in ("members", "yes", "no", "abstain", "absent", "threshold", "adopted", "unanimous"):
        setattr(locked, name, getattr(outcome, name))
    locked.save()
    log_action(
        "voting.ballot.closed",
        actor=user,
        obj=locked,
        data={
            "yes": outcome.yes,
            "no": outcome.no,
            "abstain": outcome.abstain,
            "absent": outcome.absent,
            "adopted": outcome.adopted,
            "unanimous": outcome.unanimous,
        },
    )
    ballot.refresh_from_db()
    return outcome


@transaction.atomic
def vote_transfer_create(
    *, meeting: Meeting, from_state: State, to_state: State, from_agenda_item: AgendaItem, user: Any
) -> VoteTransfer:
    """Transfer ``from_state``'s vote to ``to_state`` from ``from_agenda_item`` onwards.

    DOMAIN rule 4 (seed §2.2): the receiving Land must be a different Land, present at the
    meeting and not have transferred its own vote; a Land that holds another Land's vote cannot
    pass it on, nor transfer its own (no chains); a Land transfers only once at a time. A guest
    cannot receive a vote: only a Land (``State``) can. Allowed for the Geschäftsstelle and for
    the person voting for ``from_state``. Raises :class:`VotingError` for every refusal.
    """
    if not can_run_session(user, body=meeting.body_id) and from_state.pk not in voting_state_ids(
        user, meeting=meeting
    ):
        raise VotingError(
            _(
                "Nur die Geschäftsstelle oder die Vertretung des Landes kann dessen Stimme "
                "übertragen."
            )
        )
    if from_agenda_item.meeting_id != meeting.pk:
        raise VotingError(_("Der TOP gehört nicht zu dieser Sitzung."))
    if from_state.pk == to_state.pk:
        raise VotingError(_("Ein Land kann seine Stimme nicht auf sich selbst übertragen."))
    # Lock the meeting row so two transfers cannot form a chain concurrently.
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    active = VoteTransfer.objects.filter(meeting=meeting, revoked_at__isnull=True)
    if active.filter(from_state=from_state).exists():
        raise VotingError(
            _("%(land)s hat seine Stimme bereits übertragen.") % {"land": from_state.name}
        )
    if active.filter(to_state=from_state).exists():
        raise VotingError(
            _(
                "%(land)s hält die übertragene Stimme eines anderen Landes und kann keine Stimme "
                "weitergeben: Ketten von Übertragungen sind nicht zulässig."
            )
            % {"land": from_state.name}
        )
    if active.filter(from_state=to_state).exists():
        raise VotingError(
            _("%(land)s hat seine eigene Stimme übertragen und kann keine Stimme empfangen.")
            % {"land": to_state.name}
        )
    if to_state.pk not in present_state_ids(meeting):
        raise VotingError(
            _(
                "%(land)s ist nicht anwesend; eine Stimme kann nur auf ein anwesendes Land "
                "übertragen werden."
            )
            % {"land": to_state.name}
        )
    try:
        with transaction.atomic():
            transfer = VoteTransfer.objects.create(
                meeting=meeting,
                from_state=from_state,
                to_state=to_state,
                from_agenda_item=from_agenda_item,
                created_by=user,
            )
    except IntegrityError as exc:  # a concurrent transfer of the same Land
        raise VotingError(
            _("%(land)s hat seine Stimme bereits übertragen.") % {"land": from_state.name}
        ) from exc
    log_action(
        "voting.transfer.created",
        actor=user,
        obj=transfer,
        data={"from": from_state.code, "to": to_state.code, "from_item": from_agenda_item.pk},
    )
    return transfer


@transaction.atomic
def vote_transfer_revoke(*, transfer: VoteTransfer, user: Any) -> VoteTransfer:
    """Revoke ``transfer`` now (DOMAIN rule 4: revocable at any time); votes already cast via
    it stay. Allowed for the Geschäftsstelle and the transferring Land's representative.
    Raises :class:`VotingError` if not allowed or already revoked."""
    locked = VoteTransfer.objects.select_for_update().select_related("meeting").get(pk=transfer.pk)
    if not can_run_session(user, body=locked.meeting.body_id) and (
        locked.from_state_id not in voting_state_ids(user, meeting=locked.meeting)
    ):
        raise VotingError(
            _(
                "Nur die Geschäftsstelle oder die Vertretung des Landes kann die Übertragung "
                "widerrufen."
            )
        )
    if locked.revoked_at is not None:
        raise VotingError(_("Die Übertragung ist bereits widerrufen."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    log_action("voting.transfer.revoked", actor=user, obj=locked)
    transfer.refresh_from_db()
    return locked


@transaction.atomic
def protocol_declaration_add(
    *, agenda_item: AgendaItem, state: State, text: str, user: Any
) -> ProtocolDeclaration:
    """Record a Protokollerklärung of ``state`` on ``agenda_item`` (DOMAIN rule 6).

    Allowed for the Land's voting representative and the Geschäftsstelle. Raises
    :class:`VotingError` if not allowed or ``text`` is empty."""
    text = (text or "").strip()
    if not text:
        raise VotingError(_("Bitte geben Sie den Text der Protokollerklärung ein."))
    if not can_run_session(user, body=agenda_item.meeting.body_id) and state.pk not in (
        voting_state_ids(user, meeting=agenda_item.meeting)
    ):
        raise VotingError(_("Sie können nur für Ihr eigenes Land eine Protokollerklärung abgeben."))
    declaration = ProtocolDeclaration.objects.create(
        agenda_item=agenda_item, state=state, text=text, created_by=user
    )
    log_action("voting.declaration.added", actor=user, obj=declaration, data={"state": state.code})
    return declaration


# --- written procedure (Umlaufverfahren, DOMAIN rule 8) ------------------------------------------


def _require_written_voter(
    *, user: Any, procedure: WrittenProcedure, state: State, on_behalf: bool
) -> Any:
    """Check DOMAIN rule 1 for ``procedure``: the member or permanent deputy of ``state`` in
    the plenary of the procedure's body (issue 11 item 1), or its Geschäftsstelle recording
    on the Land's behalf. Return the "erfasst durch" user or None."""
    if on_behalf:
        _require_procedure_secretariat(user, procedure=procedure, action="record")
        return user
    own_states = voting_state_ids(user, body=procedure.body_id)
    if state.pk in own_states:
        return None
    if not own_states and is_secretariat_of(user, procedure.body_id):
        raise VotingError(
            _(
                "Die Geschäftsstelle hat kein Stimmrecht. Sie kann die Stimme eines Landes nur "
                "in dessen Auftrag erfassen."
            )
        )
    if not own_states:
        raise VotingError(
            _(
                "Sie haben kein Stimmrecht. Nur das Mitglied oder die Stellvertretung eines "
                "Landes gibt dessen Stimme ab; Gäste stimmen nicht ab."
            )
        )
    raise VotingError(_("Sie können nur die Stimme Ihres eigenen Landes abgeben."))


def written_procedure_notice(procedure: WrittenProcedure) -> tuple[str, str, list[str]]:
    """The notice of a started written procedure (DOMAIN rule 8): ``(subject, body,
    recipients)`` — every current member and permanent deputy of a Land in the plenary of the
    procedure's body (issue 11 item 1), sorted, each address once. Sent by
    ``dmk.voting.tasks.notify_written_procedure_task``."""
    recipients = sorted(
        {
            email
            for email in Membership.objects.current()
            .filter(
                role__in=[MembershipRole.MEMBER, MembershipRole.PERMANENT_DEPUTY],
                on_behalf_of__isnull=False,
                organization__body_id=procedure.body_id,
                organization__kind=Organization.Kind.PLENARY,
            )
            .values_list("person__email", flat=True)
            if email
        }
    )
    subject = _("Umlaufverfahren: %(title)s") % {"title": procedure.title}
    body = _(
        "Die Geschäftsstelle hat ein Umlaufverfahren eingeleitet: %(title)s\n\n"
        "Bitte geben Sie die Stimme Ihres Landes bis zum %(deadline)s im internen Bereich ab. "
        "Ein Land, das bis dahin nicht antwortet, hat nicht zugestimmt."
    ) % {"title": procedure.title, "deadline": procedure.deadline.strftime("%d.%m.%Y")}
    return subject, body, recipients


def _notify_laender(procedure: WrittenProcedure) -> None:
    """Queue the notice to every Land (a background task with retries, like invitations)."""
    from dmk.voting.tasks import notify_written_procedure_task  # tasks import this module

    notify_written_procedure_task.enqueue(procedure.pk)


@transaction.atomic
def written_procedure_start(
    *,
    body: Body,
    title: str,
    user: Any,
    text_html: str = "",
    paper: Paper | None = None,
    deadline: datetime.date | None = None,
    rule: MajorityRule | None = None,
) -> WrittenProcedure:
    """Start an Umlaufverfahren of ``body`` and e-mail every Land's member and deputy.

    ``deadline`` is the last Europe/Berlin calendar day to answer, default today +
    ``body.written_procedure_days`` (DOMAIN rule 8, default 14 days); it may not lie in the
    past. Only the Geschäftsstelle starts one. Raises :class:`VotingError` otherwise, for an
    empty title or a past deadline.
    """
    _require_procedure_secretariat(user, procedure=WrittenProcedure(body=body), action="start")
    title = (title or "").strip()
    if not title:
        raise VotingError(_("Bitte geben Sie einen Titel für das Umlaufverfahren ein."))
    today = timezone.localdate()
    deadline = deadline or today + datetime.timedelta(days=body.written_procedure_days)
    if deadline < today:
        raise VotingError(_("Die Frist darf nicht in der Vergangenheit liegen."))
    procedure = WrittenProcedure.objects.create(
        body=body,
        paper=paper,
        title=title,
        text_html=nh3.clean(text_html or ""),
        deadline=deadline,
        rule=(rule or MajorityRule.TWO_THIRDS_OF_MEMBERS).value,
        started_by=user,
    )
    log_action(
        "voting.written_procedure.started",
        actor=user,
        obj=procedure,
        data={"deadline": deadline.isoformat()},
    )
    transaction.on_commit(lambda: _notify_laender(procedure))
    return procedure


def _lock_open_procedure(procedure: WrittenProcedure) -> WrittenProcedure:
    locked = WrittenProcedure.objects.select_for_update().get(pk=procedure.pk)
    if locked.state == WrittenProcedureState.STOPPED:
        raise VotingError(
            _("Das Umlaufverfahren ist gestoppt: Ein Land hat mündliche Behandlung verlangt.")
        )
    if locked.state == WrittenProcedureState.CLOSED:
        raise VotingError(_("Das Umlaufverfahren ist abgeschlossen."))
    return locked


@transaction.atomic
def written_vote_cast(
    *,
    procedure: WrittenProcedure,
    user: Any,
    state: State,
    choice: str,
    cabinet_reservation: bool = False,
    on_behalf: bool = False,
) -> WrittenVote:
    """Cast or change ``state``'s answer in ``procedure`` (DOMAIN rules 1, 6, 8).

    Same rule 1 as :func:`vote_cast` (member or permanent deputy of the Land in the plenary of
    the procedure's body, or its Geschäftsstelle on the Land's behalf); no vote transfer
    between meetings. Accepted until the end of the deadline day (Europe/Berlin). As in a
    ballot, only the person who answered may change the answer; anybody else is refused with
    a message naming who answered (issue 11 Build 2; corrections:
    :func:`written_vote_correct`). Raises :class:`VotingError` for every refusal.
    """
    if choice not in Choice.values:
        raise VotingError(_("Bitte wählen Sie Ja, Nein oder Enthaltung."))
    locked = _lock_open_procedure(procedure)
    if timezone.localdate() > locked.deadline:
        raise VotingError(_("Die Frist des Umlaufverfahrens ist abgelaufen."))
    recorded_by = _require_written_voter(
        user=user, procedure=locked, state=state, on_behalf=on_behalf
    )
    existing = (
        WrittenVote.objects.select_related("state", "cast_by", "recorded_by")
        .filter(procedure=locked, state=state)
        .first()
    )
    if existing is not None and not _same_caster(existing, user=user, on_behalf=on_behalf):
        raise VotingError(replacement_refusal(existing))
    vote, created = WrittenVote.objects.update_or_create(
        procedure=locked,
        state=state,
        defaults={
            "choice": choice,
            "cast_by": None if on_behalf else user,
            "recorded_by": recorded_by,
            "cabinet_reservation": bool(cabinet_reservation),
        },
    )
    data: dict[str, Any] = {"state": state.code, "choice": choice}
    if recorded_by is not None:
        data["erfasst_durch"] = user.email
    log_action(
        "voting.written_vote.cast" if created else "voting.written_vote.changed",
        actor=user,
        obj=locked,
        data=data,
    )
    return vote


@transaction.atomic
def written_vote_correct(
    *,
    procedure: WrittenProcedure,
    user: Any,
    state: State,
    choice: str,
    reason: str,
    cabinet_reservation: bool = False,
) -> WrittenVote:
    """The Geschäftsstelle of the procedure's body corrects ``state``'s answer in the running
    ``procedure`` to ``choice`` (``Choice`` value) and ``cabinet_reservation``, with a
    ``reason`` (plain text, stripped), and returns the answer (issue 11 Build 2; DOMAIN rules
    6 and 8: a cast answer is never replaced silently).

    The row keeps who cast it; ``previous_choice``, ``corrected_by``, ``corrected_at`` and
    ``correction_reason`` record the correction; audited as ``voting.written_vote.corrected``
    with the previous and the new choice and Kabinettsvorbehalt. Who may correct is checked
    first, so that a user who is not that Geschäftsstelle learns nothing about the procedure
    or the answer; then the procedure's state, then the input. Raises :class:`VotingError`
    (``field`` set where the refusal concerns one input) for a user who is not the
    Geschäftsstelle of the procedure's body, a stopped or closed procedure, an unknown choice
    (``"choice"``), an empty reason (``"reason"``), a Land without an answer (``"state"``), or
    a correction that changes nothing — same choice and same Kabinettsvorbehalt (``"choice"``;
    so a second submit of the same correction is refused and audited only once)."""
    _require_procedure_secretariat(user, procedure=procedure, action="correct")
    locked = _lock_open_procedure(procedure)
    reservation = bool(cabinet_reservation)
    vote, reason = _correction_target(
        WrittenVote.objects.filter(procedure=locked, state=state),
        state=state,
        choice=choice,
        reason=reason,
        reservation=reservation,
        written=True,
    )
    previous, previous_reservation = vote.choice, vote.cabinet_reservation
    vote.previous_choice = previous
    vote.choice = choice
    vote.cabinet_reservation = reservation
    vote.corrected_by = user
    vote.corrected_at = timezone.now()
    vote.correction_reason = reason
    vote.save()
    log_action(
        "voting.written_vote.corrected",
        actor=user,
        obj=locked,
        data={
            "state": state.code,
            "choice": choice,
            "previous_choice": previous,
            "cabinet_reservation": reservation,
            "previous_cabinet_reservation": previous_reservation,
            "reason": reason,
            "cast_by": vote.cast_by_id,
        },
    )
    return vote


@transaction.atomic
def written_procedure_demand_oral(
    *, procedure: WrittenProcedure, user: Any, state: State
) -> WrittenProcedure:
    """``state`` demands oral treatment at the next meeting, which stops ``procedure``
    (DOMAIN rule 8), and the proposal goes to that meeting (issue 11, Build 4).

    The proposal is put on a new decision TOP at the end of the agenda draft of the body's
    next planned meeting (:func:`dmk.meetings.selectors.next_planned_meeting`), with the
    consultation of its paper there (``procedure.oral_agenda_item`` links the two ways). If
    the body has no planned meeting, the procedure waits for the next one
    (:attr:`WrittenProcedure.waits_for_meeting`, listed for the Geschäftsstelle, placed by
    :func:`written_procedure_place_waiting`). Every Land's member and permanent deputy is told
    by a queued e-mail. Allowed for the Land's member or deputy (or the Geschäftsstelle on its
    behalf). Raises :class:`VotingError` if not allowed or the procedure is not running.
    """
    locked = _lock_open_procedure(procedure)
    if not can_run_session(user, body=locked.body_id):
        _require_written_voter(user=user, procedure=locked, state=state, on_behalf=False)
    locked.state = WrittenProcedureState.STOPPED
    locked.stopped_by_state = state
    locked.stopped_at = timezone.now()
    locked.save(update_fields=["state", "stopped_by_state", "stopped_at"])
    log_action(
        "voting.written_procedure.stopped", actor=user, obj=locked, data={"state": state.code}
    )
    meeting = next_planned_meeting(body=locked.body, today=timezone.localdate())
    if meeting is not None:
        _put_on_agenda(procedure=locked, meeting=meeting, actor=user)
    transaction.on_commit(lambda: _notify_stopped(locked))
    procedure.refresh_from_db()
    return locked


def _put_on_agenda(*, procedure: WrittenProcedure, meeting: Meeting, actor: Any) -> AgendaItem:
    """Put the stopped ``procedure``'s proposal on ``meeting`` (DOMAIN rule 8): a new decision
    TOP, unless its paper is already on an item of that meeting; the paper's consultation
    there is created (or placed) and a draft paper becomes internal, as on submission (rule
    11). The paper was circulated to every Land with the procedure, so the consultation is no
    Tischvorlage (rule 7 concerns papers the Länder have not seen in time)."""
    paper = procedure.paper
    consultation = (
        Consultation.objects.filter(paper=paper, meeting=meeting).order_by("pk").first()
        if paper is not None
        else None
    )
    if consultation is not None and consultation.agenda_item_id is not None:
        item = consultation.agenda_item
    else:
        item = agenda_item_add_by_rule(
            actor=actor,
            meeting=meeting,
            title=paper.title if paper is not None else procedure.title,
            reason=f"written_procedure:{procedure.pk}",
        )
    if paper is not None:
        if consultation is None:
            Consultation.objects.create(
                paper=paper,
                meeting=meeting,
                agenda_item=item,
                role=_("mündliche Behandlung verlangt (Umlaufverfahren)"),
                submitted_at=timezone.now(),
            )
        elif consultation.agenda_item_id is None:
            consultation.agenda_item = item
            consultation.save(update_fields=["agenda_item"])
        if paper.visibility == Visibility.DRAFT:
            paper.visibility = Visibility.INTERNAL
            paper.save(update_fields=["visibility"])
    procedure.oral_agenda_item = item
    procedure.save(update_fields=["oral_agenda_item"])
    log_action(
        "voting.written_procedure.placed",
        actor=actor,
        obj=procedure,
        data={"meeting": meeting.pk, "agenda_item": item.pk},
    )
    return item


@transaction.atomic
def written_procedure_place_waiting(*, procedure: WrittenProcedure, user: Any) -> AgendaItem:
    """Put a stopped procedure that waits for the next meeting
    (:attr:`WrittenProcedure.waits_for_meeting`) on the agenda of the body's next planned
    meeting, now that one is planned (DOMAIN rule 8; issue 11, Build 4), and return the TOP.
    Geschäftsstelle only. Raises :class:`VotingError` if not allowed, if the procedure does
    not wait (running, closed or already placed) or if still no meeting is planned."""
    _require_secretariat(user, body=procedure.body_id)
    locked = WrittenProcedure.objects.select_for_update().get(pk=procedure.pk)
    if not locked.waits_for_meeting:
        raise VotingError(_("Dieses Umlaufverfahren wartet nicht auf eine Sitzung."))
    meeting = next_planned_meeting(body=locked.body, today=timezone.localdate())
    if meeting is None:
        raise VotingError(
            _(
                "Es ist noch keine Sitzung geplant. Legen Sie zuerst die nächste Sitzung an; "
                "dann setzen Sie den Beschlussvorschlag auf ihre Tagesordnung."
            )
        )
    item = _put_on_agenda(procedure=locked, meeting=meeting, actor=user)
    procedure.refresh_from_db()
    return item


def written_procedures_waiting(*, body: Body | None = None) -> list[WrittenProcedure]:
    """The stopped procedures that wait for the next meeting (issue 11, Build 4: the
    "wartet auf nächste Sitzung" list of the Geschäftsstelle), oldest stop first."""
    procedures = WrittenProcedure.objects.filter(
        state=WrittenProcedureState.STOPPED, oral_agenda_item__isnull=True
    ).select_related("paper", "stopped_by_state")
    if body is not None:
        procedures = procedures.filter(body=body)
    return list(procedures.order_by("stopped_at", "pk"))


def written_procedure_stopped_notice(procedure: WrittenProcedure) -> tuple[str, str, list[str]]:
    """The notice that ``procedure`` was stopped by a demand for oral treatment (DOMAIN rule
    8): ``(subject, body, recipients)``, recipients as in :func:`written_procedure_notice`.
    It names the Land that demanded it and the meeting and TOP the proposal goes to, or that
    it waits for the next meeting."""
    _subject, _body, recipients = written_procedure_notice(procedure)
    procedure = WrittenProcedure.objects.select_related(
        "stopped_by_state", "oral_agenda_item__meeting"
    ).get(pk=procedure.pk)
    subject = _("Umlaufverfahren gestoppt: %(title)s") % {"title": procedure.title}
    land = procedure.stopped_by_state.name if procedure.stopped_by_state else ""
    text = _(
        "%(land)s hat mündliche Behandlung verlangt; das Umlaufverfahren „%(title)s“ ist damit "
        "gestoppt. Abgegebene Stimmen werden nicht gewertet."
    ) % {"land": land, "title": procedure.title}
    item = procedure.oral_agenda_item
    if item is not None:
        day = item.meeting.start_date
        where = _(
            "Der Beschlussvorschlag steht als TOP %(number)s auf der Tagesordnung der Sitzung "
            "„%(meeting)s“%(date)s."
        ) % {
            "number": item.number or item.order,
            "meeting": item.meeting.name,
            "date": _(" am %(day)s") % {"day": day.strftime("%d.%m.%Y")} if day else "",
        }
    else:
        where = _(
            "Es ist noch keine Sitzung geplant; der Beschlussvorschlag wartet auf die nächste "
            "Sitzung."
        )
    return subject, f"{text}\n\n{where}", recipients


def _notify_stopped(procedure: WrittenProcedure) -> None:
    """Queue the stop notice to every Land (a background task with retries)."""
    from dmk.voting.tasks import notify_written_procedure_stopped_task

    notify_written_procedure_stopped_task.enqueue(procedure.pk)


@transaction.atomic
def written_procedure_close(*, procedure: WrittenProcedure, user: Any = None) -> Outcome:
    """Close ``procedure`` and store its outcome (DOMAIN rules 2, 3, 8): Länder that did not
    answer are absent, never yes. ``user`` None means the scheduled task closed it at the
    deadline; otherwise only the Geschäftsstelle may close. Raises :class:`VotingError` if not
    allowed or not running."""
    if user is not None:
        _require_procedure_secretariat(user, procedure=procedure, action="close")
    locked = _lock_open_procedure(procedure)
    counts = dict.fromkeys(Choice.values, 0)
    for choice in locked.votes.values_list("choice", flat=True):
        counts[choice] += 1
    body = Body.objects.get(pk=locked.body_id)
    outcome = evaluate(
        rule=locked.majority_rule,
        members=member_count(),
        yes=counts[Choice.YES],
        no=counts[Choice.NO],
        abstain=counts[Choice.ABSTAIN],
        abstention_breaks_unanimity=body.abstention_breaks_unanimity,
    )
    locked.state = WrittenProcedureState.CLOSED
    locked.closed_at = timezone.now()
    for name in ("members", "yes", "no", "abstain", "absent", "threshold", "adopted", "unanimous"):
        setattr(locked, name, getattr(outcome, name))
    locked.save()
    log_action(
        "voting.written_procedure.closed",
        actor=user,
        obj=locked,
        data={"yes": outcome.yes, "absent": outcome.absent, "adopted": outcome.adopted},
    )
    procedure.refresh_from_db()
    return outcome


def close_due_written_procedures(*, today: datetime.date | None = None) -> int:
    """Close every running procedure whose deadline (Europe/Berlin) has passed, i.e.
    ``deadline < today``; return how many were closed. Run by the scheduled task and the
    ``close_written_procedures`` command."""
    today = today or timezone.localdate()
    closed = 0
    for procedure in WrittenProcedure.objects.filter(
        state=WrittenProcedureState.OPEN, deadline__lt=today
    ):
        try:
            written_procedure_close(procedure=procedure)
        except VotingError:  # stopped or closed meanwhile
            continue
        closed += 1
    return closed
