"""Reads of the voting app: ballots with their votes, who may cast which Land's vote."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from dmk.access.policy import principal_for, voting_state_ids
from dmk.bodies.models import State
from dmk.meetings.models import AgendaItem, Meeting
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


def states_user_may_vote_for(
    *, ballot: Ballot, user: Any
) -> list[tuple[State, VoteTransfer | None]]:
    """The Länder whose vote ``user`` may cast in ``ballot`` right now, each with the transfer
    it comes through (None for the user's own Land). Own Länder that transferred their vote are
    left out (DOMAIN rule 4)."""
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
    for state in State.objects.filter(pk__in=own).order_by("name_de"):
        if state.pk not in transferred_away:
            result.append((state, None))
    for transfer in transfers.select_related("from_state"):
        if transfer.to_state_id in own:
            result.append((transfer.from_state, transfer))
    return result


def ballot_for(*, user: Any, pk: int) -> Ballot | None:
    """The ballot ``pk`` with item, meeting and body loaded if ``user`` is internal (member,
    deputy, Land staff, Geschäftsstelle) or a guest invited to its meeting as a whole or to
    its agenda item (DOMAIN rule 11, last sentence; seed §2.3), else None."""
    principal = principal_for(user)
    ballots = Ballot.objects.select_related("agenda_item__meeting__body").filter(pk=pk)
    if principal.is_internal:
        return ballots.first()
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
        "state", "cast_by", "recorded_by", "via_transfer__to_state"
    ).order_by("state__name_de")


def ballot_table(ballot: Ballot) -> list[dict[str, Any]]:
    """One row per Land (all Länder, by name): ``state``, ``vote`` (a Vote or None)."""
    votes = {v.state_id: v for v in votes_of(ballot)}
    return [{"state": s, "vote": votes.get(s.pk)} for s in State.objects.order_by("name_de")]


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
    """Written procedures ``user`` may see: internal roles and the Geschäftsstelle see all
    (DOMAIN rule 11, internal); others none. Newest first, with body and stopping Land."""
    if not principal_for(user).is_internal:
        return WrittenProcedure.objects.none()
    return WrittenProcedure.objects.select_related("body", "stopped_by_state").annotate(
        answer_count=Count("votes")
    )


def written_states_user_may_vote_for(*, user: Any) -> list[State]:
    """The Länder whose answer ``user`` gives in a written procedure (DOMAIN rule 1)."""
    return list(State.objects.filter(pk__in=voting_state_ids(user)).order_by("name_de"))
