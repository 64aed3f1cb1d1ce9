"""Reads of the voting app: ballots with their votes, who may cast which Land's vote."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.html import linebreaks

from dmk.access.policy import holds_voting_role, principal_for, voting_state_ids
from dmk.bodies.models import State
from dmk.meetings.models import AgendaItem, Attendance, AttendanceRole, Meeting
from dmk.papers.models import Consultation
from dmk.voting.models import (
    Ballot,
    ProtocolDeclaration,
    Vote,
    VoteTransfer,
    WrittenProcedure,
)


def active_transfer_from(*, state: State | int, agenda_item: AgendaItem) -> VoteTransfer | None:
    """The unrevoked transfer of ``state``'s vote that covers ``agenda_item`` (DOMAIN rule 4:
    a transfer applies from its agenda item onwards), or None."""
    state_id = state if isinstance(state, int) else state.pk
    return (
        VoteTransfer.objects.filter(
            meeting_id=agenda_item.meeting_id,
            from_state_id=state_id,
            revoked_at__isnull=True,
            from_agenda_item__order__lte=agenda_item.order,
        )
        .select_related("to_state", "from_state")
        .first()
    )


def attendance_of(*, meeting: Meeting, state: State | int) -> Attendance | None:
    """The registered attendance of ``state`` at ``meeting`` (with its person), or None."""
    state_id = state if isinstance(state, int) else state.pk
    return (
        Attendance.objects.select_related("person", "state")
        .filter(meeting_id=meeting.pk, state_id=state_id)
        .first()
    )


def represents(*, user: Any, meeting: Meeting, attendance: Attendance | None) -> bool:
    """Whether ``user`` is the one person who represents the attendance's Land at ``meeting``
    right now (DOMAIN rule 1, seed §2.2; newcomer report on issue 6 item 2).

    The registered attendance is the source of truth: the Land must be present
    (``attendance.present``); if it names a person, only that person's user represents; if it
    names a role (member, permanent or further deputy), only a user whose current membership
    for that Land has that role (a further deputy: named for ``meeting``); an attendance with
    no role (marked present at the roll call, person unknown) means the member (rule 1: the
    member, if present, represents). "Nimmt nicht teil" or no attendance: nobody. The role is
    looked up among the memberships of the organisation that votes at ``meeting`` (its
    body's plenary, or the working body whose meeting it is:
    :func:`dmk.access.policy.holds_voting_role`, issue 11 item 1) — a working-group
    membership never represents a Land in the plenary.
    """
    if attendance is None or not attendance.present:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    if attendance.person_id is not None:
        return attendance.person.user_id == user.pk
    role = attendance.role or AttendanceRole.MEMBER
    if role == AttendanceRole.NONE:
        return False
    return holds_voting_role(user, meeting=meeting, state_id=attendance.state_id, role=role)


def states_user_may_vote_for(
    *, ballot: Ballot, user: Any
) -> list[tuple[State, VoteTransfer | None]]:
    """The Länder whose vote ``user`` may cast in ``ballot`` right now, each with the transfer
    it comes through (None for the user's own Land). Own Länder that transferred their vote are
    left out (DOMAIN rule 4); so is every vote whose casting Land the user does not represent
    now (present and registered as that Land's representative, :func:`represents`, rule 1)."""
    item = ballot.agenda_item
    own = voting_state_ids(user, meeting=item.meeting)
    if not own:
        return []
    result: list[tuple[State, VoteTransfer | None]] = []
    transfers = VoteTransfer.objects.filter(
        meeting_id=item.meeting_id,
        revoked_at__isnull=True,
        from_agenda_item__order__lte=item.order,
    ).filter(Q(from_state_id__in=own) | Q(to_state_id__in=own))
    transferred_away = {t.from_state_id for t in transfers if t.from_state_id in own}
    attendances = {
        a.state_id: a
        for a in Attendance.objects.select_related("person").filter(
            meeting_id=item.meeting_id, state_id__in=own
        )
    }
    representing = {
        state_id
        for state_id in own
        if represents(user=user, meeting=item.meeting, attendance=attendances.get(state_id))
    }
    for state in State.objects.filter(pk__in=representing).order_by("name_de"):
        if state.pk not in transferred_away:
            result.append((state, None))
    for transfer in transfers.select_related("from_state", "to_state", "from_agenda_item"):
        if transfer.to_state_id in representing:
            result.append((transfer.from_state, transfer))
    return result


def proposal_texts(meeting: Meeting) -> dict[int, str]:
    """Per agenda item of ``meeting`` (by primary key) the HTML text of the first paper
    placed on it that has a text: its sanitised ``text_html``, else its ``text_source`` as
    escaped paragraphs (as the paper page shows it); items without such a paper are left out.
    Prefills the cockpit's adopt form (issue 6 newcomer report, item 4). One query."""
    texts: dict[int, str] = {}
    consultations = (
        Consultation.objects.filter(agenda_item__meeting=meeting)
        .exclude(paper__text_html="", paper__text_source="")
        .order_by("agenda_item_id", "pk")
        .values_list("agenda_item_id", "paper__text_html", "paper__text_source")
    )
    for item_id, html, source in consultations:
        texts.setdefault(item_id, html or linebreaks(source, autoescape=True))
    return texts


def ballot_for(*, user: Any, pk: int) -> Ballot | None:
    """The ballot ``pk`` with item, meeting and body loaded if ``user`` is internal (member,
    deputy, Land staff, Geschäftsstelle) in the ballot's body (issue 11 item 1) or a guest
    invited to its meeting as a whole or to its agenda item (DOMAIN rule 11, last sentence;
    seed §2.3), else None."""
    principal = principal_for(user)
    ballots = Ballot.objects.select_related("agenda_item__meeting__body").filter(pk=pk)
    ballot = ballots.first()
    if ballot is not None and principal.is_internal_in(ballot.agenda_item.meeting.body_id):
        return ballot
    if "guest" not in principal.roles:
        return None
    invited_to_meeting = Q(
        agenda_item__meeting__guest_invitations__person__user=user,
        agenda_item__meeting__guest_invitations__agenda_items__isnull=True,
    )
    invited_to_item = Q(agenda_item__guest_invitations__person__user=user)
    return ballots.filter(invited_to_meeting | invited_to_item).distinct().first()


def votes_of(ballot: Ballot) -> QuerySet[Vote]:
    """The votes of ``ballot``, by Land name, with who cast and recorded them."""
    return ballot.votes.select_related(
        "state", "cast_by", "recorded_by", "corrected_by", "via_transfer__to_state"
    ).order_by("state__name_de")


def ballot_table(ballot: Ballot) -> list[dict[str, Any]]:
    """One row per Land (all Länder, by name): ``state``, ``vote`` (a Vote or None) and
    ``transfer``: the active transfer of the Land's vote that covers the ballot's item (DOMAIN
    rule 4; the cockpit shows "Stimme übertragen an …", issue 11 Build 6), else None. Three
    queries."""
    votes = {v.state_id: v for v in votes_of(ballot)}
    item = ballot.agenda_item
    transfers = {
        t.from_state_id: t
        for t in VoteTransfer.objects.filter(
            meeting_id=item.meeting_id,
            revoked_at__isnull=True,
            from_agenda_item__order__lte=item.order,
        ).select_related("to_state")
    }
    return [
        {"state": s, "vote": votes.get(s.pk), "transfer": transfers.get(s.pk)}
        for s in State.objects.order_by("name_de")
    ]


def meeting_ballots(meeting: Meeting) -> QuerySet[Ballot]:
    """All ballots of ``meeting``, newest first, with their items."""
    return Ballot.objects.filter(agenda_item__meeting=meeting).select_related("agenda_item")


def meeting_transfers(meeting: Meeting) -> QuerySet[VoteTransfer]:
    """All vote transfers of ``meeting`` with their Länder and starting item."""
    return meeting.vote_transfers.select_related("from_state", "to_state", "from_agenda_item")


def declarations_of(agenda_item: AgendaItem) -> QuerySet[ProtocolDeclaration]:
    """Protokollerklärungen on ``agenda_item``, by Land."""
    return agenda_item.protocol_declarations.select_related("state")


def written_procedure_list(*, user: Any) -> QuerySet[WrittenProcedure]:
    """Written procedures ``user`` may see: those of the bodies in which ``user`` holds an
    internal role or is the Geschäftsstelle (DOMAIN rule 11, internal; issue 11 item 1);
    others none. Newest first, with body and stopping Land."""
    principal = principal_for(user)
    if not principal.is_internal:
        return WrittenProcedure.objects.none()
    procedures = WrittenProcedure.objects.select_related("body", "stopped_by_state").annotate(
        answer_count=Count("votes")
    )
    if principal.every_body:
        return procedures
    return procedures.filter(body_id__in=principal.internal_body_ids)


def written_states_user_may_vote_for(*, user: Any, procedure: WrittenProcedure) -> list[State]:
    """The Länder whose answer ``user`` gives in ``procedure``: those of their member and
    permanent-deputy memberships in the plenary of the procedure's body (DOMAIN rules 1 and 8;
    issue 11 item 1: a working-group membership gives no vote here)."""
    own = voting_state_ids(user, body=procedure.body_id)
    return list(State.objects.filter(pk__in=own).order_by("name_de"))
