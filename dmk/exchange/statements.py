"""Joint statements (gemeinsame Stellungnahme, issue 14 item 5).

A Land or the Geschäftsstelle drafts a statement in a workspace; opening it freezes the text
and invites the chosen Länder to join by a deadline (a Europe/Berlin calendar date; the whole
day counts); each invited Land joins, joins with a note, or declines — once, or changes its
answer until the deadline; the final PDF (tagged PDF/UA-1, WeasyPrint) lists exactly the
Länder that joined. Rights: ``dmk.access.policy`` (``can_write_workspace``,
``can_manage_workspace``, ``statement_states_acted_for``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from dmk.access.policy import (
    can_manage_workspace,
    can_write_workspace,
    statement_states_acted_for,
)
from dmk.bodies.models import State
from dmk.core.audit import log_action
from dmk.exchange.models import (
    JointStatement,
    StatementAnswer,
    StatementParticipation,
    StatementState,
    Workspace,
)


def _audit(action: str, *, actor: Any, statement: JointStatement, **data: Any) -> None:
    log_action(
        f"exchange.statement.{action}",
        actor=actor,
        obj=statement.workspace,
        data={"statement": statement.pk, "title": statement.title, **data},
    )


@transaction.atomic
def statement_create(
    *,
    actor: Any,
    workspace: Workspace,
    title: str,
    text: str,
    author_state: State | None = None,
) -> JointStatement:
    """Draft a statement in ``workspace`` (schreiben). ``author_state``, if given, must be a
    Land the actor acts for (the Geschäftsstelle may leave it empty)."""
    if not can_write_workspace(actor, workspace):
        raise PermissionDenied(_("Sie dürfen in diesem Bereich nichts ändern."))
    if author_state is not None and author_state.pk not in statement_states_acted_for(
        actor, workspace
    ):
        raise PermissionDenied(_("Sie handeln nicht für dieses Land."))
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise ValidationError(_("Bitte geben Sie Titel und Text an."), code="required")
    statement = JointStatement.objects.create(
        workspace=workspace,
        title=title[:300],
        text=text,
        author_state=author_state,
        created_by=actor,
    )
    _audit("created", actor=actor, statement=statement)
    return statement


def may_edit(actor: Any, statement: JointStatement) -> bool:
    """Whether ``actor`` may change, open or close ``statement``: whoever manages the
    workspace, users acting for the author Land, or its creator when it has no author Land."""
    if can_manage_workspace(actor, statement.workspace):
        return True
    if statement.author_state_id is not None:
        return statement.author_state_id in statement_states_acted_for(actor, statement.workspace)
    return statement.created_by_id == getattr(actor, "pk", None)


@transaction.atomic
def statement_update(
    *, actor: Any, statement: JointStatement, title: str, text: str
) -> JointStatement:
    """Change the draft's text; refused once it is open for joining (the text is frozen)."""
    statement = JointStatement.objects.select_for_update().get(pk=statement.pk)
    if not may_edit(actor, statement):
        raise PermissionDenied(
            _("Nur das federführende Land oder die Geschäftsstelle ändert den Entwurf.")
        )
    if statement.state != StatementState.DRAFT:
        raise ValidationError(
            _("Der Text ist zum Beitritt freigegeben und kann nicht mehr geändert werden."),
            code="frozen",
        )
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise ValidationError(_("Bitte geben Sie Titel und Text an."), code="required")
    statement.title, statement.text = title[:300], text
    statement.save(update_fields=["title", "text"])
    _audit("updated", actor=actor, statement=statement)
    return statement


@transaction.atomic
def statement_open(
    *,
    actor: Any,
    statement: JointStatement,
    states: Iterable[State],
    deadline: datetime.date,
    today: datetime.date | None = None,
) -> JointStatement:
    """Freeze the text and invite ``states`` to join until ``deadline`` (not in the past).
    The author Land, if any, is recorded as joined."""
    statement = JointStatement.objects.select_for_update().get(pk=statement.pk)
    if not may_edit(actor, statement):
        raise PermissionDenied(
            _("Nur das federführende Land oder die Geschäftsstelle gibt den Text frei.")
        )
    if statement.state != StatementState.DRAFT:
        raise ValidationError(_("Die Stellungnahme ist bereits freigegeben."), code="state")
    today = today or timezone.localdate()
    if deadline < today:
        raise ValidationError(
            _("Die Frist darf nicht in der Vergangenheit liegen."), code="deadline"
        )
    invited = {s.pk: s for s in states}
    if statement.author_state_id:
        invited.pop(statement.author_state_id, None)
    if not invited:
        raise ValidationError(_("Bitte laden Sie mindestens ein Land ein."), code="states")
    now = timezone.now()
    if statement.author_state_id:
        StatementParticipation.objects.create(
            statement=statement,
            state_id=statement.author_state_id,
            answer=StatementAnswer.JOINED,
            answered_at=now,
            answered_by=actor,
        )
    for state in invited.values():
        StatementParticipation.objects.create(statement=statement, state=state)
    statement.state, statement.deadline, statement.opened_at = StatementState.OPEN, deadline, now
    statement.save(update_fields=["state", "deadline", "opened_at"])
    _audit(
        "opened",
        actor=actor,
        statement=statement,
        deadline=deadline.isoformat(),
        states=sorted(s.code for s in invited.values()),
    )
    return statement


@transaction.atomic
def statement_answer(
    *,
    actor: Any,
    statement: JointStatement,
    state: State,
    answer: str,
    note: str = "",
    today: datetime.date | None = None,
) -> StatementParticipation:
    """Answer for ``state``: join, join with a note, or decline (issue 14 item 5). Only for a
    Land the actor acts for, only an invited Land, only while the statement is open and the
    deadline day (Europe/Berlin) has not passed. A note is required for "joined with note"."""
    statement = JointStatement.objects.select_for_update().get(pk=statement.pk)
    if state.pk not in statement_states_acted_for(actor, statement.workspace):
        raise PermissionDenied(_("Sie handeln nicht für dieses Land."))
    participation = statement.participations.filter(state=state).first()
    if participation is None:
        raise ValidationError(
            _("Dieses Land ist zu dieser Stellungnahme nicht eingeladen."), code="state"
        )
    today = today or timezone.localdate()
    if statement.state != StatementState.OPEN or (
        statement.deadline and today > statement.deadline
    ):
        raise ValidationError(
            _("Die Frist für den Beitritt ist abgelaufen (%(date)s).")
            % {"date": statement.deadline.strftime("%d.%m.%Y") if statement.deadline else "–"},
            code="deadline",
        )
    if answer not in {
        StatementAnswer.JOINED,
        StatementAnswer.JOINED_WITH_NOTE,
        StatementAnswer.DECLINED,
    }:
        raise ValidationError(_("Bitte wählen Sie eine Antwort."), code="answer")
    note = note.strip()
    if answer == StatementAnswer.JOINED_WITH_NOTE and not note:
        raise ValidationError(_("Bitte geben Sie Ihre Anmerkung an."), code="note")
    participation.answer, participation.note = (
        answer,
        note if answer == StatementAnswer.JOINED_WITH_NOTE else "",
    )
    participation.answered_at, participation.answered_by = timezone.now(), actor
    participation.save(update_fields=["answer", "note", "answered_at", "answered_by"])
    _audit("answered", actor=actor, statement=statement, state=state.code, answer=answer)
    return participation


@transaction.atomic
def statement_close(*, actor: Any, statement: JointStatement) -> JointStatement:
    """Close the statement for joining (the Geschäftsstelle or the author Land); its PDF then
    names the Länder that joined."""
    statement = JointStatement.objects.select_for_update().get(pk=statement.pk)
    if not may_edit(actor, statement):
        raise PermissionDenied(
            _("Nur das federführende Land oder die Geschäftsstelle schließt die Stellungnahme.")
        )
    if statement.state != StatementState.OPEN:
        raise ValidationError(_("Die Stellungnahme ist nicht zum Beitritt offen."), code="state")
    statement.state, statement.closed_at = StatementState.CLOSED, timezone.now()
    statement.save(update_fields=["state", "closed_at"])
    joined = [p.state.code for p in statement.participations.select_related("state") if p.joined]
    _audit("closed", actor=actor, statement=statement, joined=joined)
    return statement


def joined_states(statement: JointStatement) -> list[StatementParticipation]:
    """The participations that joined, ordered by the Land's German name."""
    return [
        p
        for p in statement.participations.select_related("state").order_by("state__name_de")
        if p.joined
    ]


def statement_pdf(statement: JointStatement) -> bytes:
    """The statement as a tagged PDF/UA-1 (WeasyPrint): title, text, the Länder that joined
    (with their notes) — and, while it is still open, a note saying the list is not final."""
    from weasyprint import HTML

    html = render_to_string(
        "exchange/statement_pdf.html",
        {
            "statement": statement,
            "joined": joined_states(statement),
            "final": statement.state == StatementState.CLOSED,
        },
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
