"""Reads of the functional mailbox (issue 15). Every function takes the viewing user and asks
``dmk.access.policy`` (mailbox section) what that user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from dmk.access.policy import usable_mailboxes, visible_conversations
from dmk.mailbox import parsing
from dmk.mailbox.models import Conversation, ConversationState, Mailbox, Message, MessageKind

#: Longest search text used (longer input is cut).
MAX_QUERY = 200


def mailboxes(*, user: Any) -> QuerySet[Mailbox]:
    """The mailboxes ``user`` may open, with their body."""
    return usable_mailboxes(user, Mailbox.objects.select_related("body")).order_by("pk")


def conversation_list(
    *,
    user: Any,
    state: str = "",
    exclude_done: bool = False,
    assignee: Any = None,
    unassigned: bool = False,
    tag: str = "",
    query: str = "",
) -> QuerySet[Conversation]:
    """The conversations ``user`` may see, newest activity first, with mailbox, body,
    assignee, Land and tags loaded (a constant number of queries per page).

    ``query`` is plain text (never query syntax): matched case-insensitively as a substring
    of the ticket number, subject, correspondent's name or address, or any message's text.
    ``exclude_done`` leaves out closed conversations (the inbox's default view)."""
    qs = visible_conversations(user, Conversation.objects.all()).select_related(
        "mailbox__body", "assignee", "land"
    )
    if state:
        qs = qs.filter(state=state)
    if exclude_done:
        qs = qs.exclude(state=ConversationState.DONE)
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    if unassigned:
        qs = qs.filter(assignee__isnull=True)
    if tag:
        qs = qs.filter(tags__name=tag)
    text = " ".join(query.split())[:MAX_QUERY]
    if text:
        in_messages = Message.objects.filter(conversation=OuterRef("pk")).filter(
            Q(text__icontains=text) | Q(subject__icontains=text)
        )
        ticket = parsing.TICKET_RE.search(text)
        qs = qs.filter(
            Q(number=ticket.group(2) if ticket else text)
            | Q(number__icontains=text)
            | Q(subject__icontains=text)
            | Q(contact_name__icontains=text)
            | Q(contact_email__icontains=text)
            | Exists(in_messages)
        )
    return qs.prefetch_related("tags").order_by("-last_message_at", "-pk")


def conversation_detail(*, user: Any, pk: int) -> Conversation | None:
    """Conversation ``pk`` with its messages (oldest first, attachments and authors loaded),
    or None when it does not exist or ``user`` may not see it."""
    messages = Message.objects.defer("raw").select_related("author").prefetch_related("attachments")
    return (
        visible_conversations(user, Conversation.objects.all())
        .select_related("mailbox__body", "assignee", "meeting", "paper", "land")
        .prefetch_related("tags", Prefetch("messages", queryset=messages))
        .filter(pk=pk)
        .first()
    )


def conversations_of_address(*, user: Any, addresses: set[str]) -> list[dict[str, Any]]:
    """For the GDPR export of ``user`` ("Meine Daten", GDPR Art. 15/20): every conversation
    whose correspondent is one of ``addresses`` (the user's own addresses, compared
    case-insensitively), with the mails exchanged (internal notes of the Geschäftsstelle are
    working documents and not included). Plain dicts, ready for JSON."""
    wanted = {a.strip().lower() for a in addresses if a and a.strip()}
    if not wanted:
        return []
    query = Q()
    for address in wanted:
        query |= Q(contact_email__iexact=address)
    shown = Message.objects.defer("raw").exclude(kind=MessageKind.NOTE).order_by("date", "pk")
    rows = []
    for conversation in (
        Conversation.objects.filter(query)
        .select_related("mailbox__body")
        .prefetch_related(Prefetch("messages", queryset=shown))
        .order_by("created", "pk")
    ):
        rows.append(
            {
                "ticket": conversation.ticket,
                "subject": conversation.subject,
                "state": conversation.state,
                "created": conversation.created,
                "messages": [
                    {
                        "direction": m.kind,
                        "date": m.date,
                        "from": m.from_address,
                        "to": m.to,
                        "subject": m.subject,
                        "text": m.text,
                    }
                    for m in conversation.messages.all()
                ],
            }
        )
    return rows
