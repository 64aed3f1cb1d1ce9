"""The mailbox pages, ``/intern/postfach/`` (issue 15 item 6). Thin views: parse with a
form of ``dmk.mailbox.forms``, read with ``dmk.mailbox.selectors``, write with
``dmk.mailbox.services``. Who may see what is decided in ``dmk.access.policy`` (mailbox
section): the inbox is for the Geschäftsstelle only (403 for others), a conversation the user
may not see is a 404. Refused input re-shows the page with what was typed (status 400).
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dmk.access.policy import can_work_on_conversation, mailbox_body_ids
from dmk.mailbox import selectors, services
from dmk.mailbox.forms import ConversationForm, InboxFilterForm, NoteForm, ReplyForm
from dmk.mailbox.html import sanitise
from dmk.mailbox.models import Attachment, Conversation, Message, MessageKind
from dmk.papers.files import check_upload

#: Conversations shown per inbox page (newest first).
PAGE_SIZE = 50


def _require_mailbox(request: HttpRequest) -> None:
    if not mailbox_body_ids(request.user):
        raise PermissionDenied(_("Das Funktionspostfach steht nur der Geschäftsstelle offen."))


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """GET: the conversations of the user's mailboxes, filtered by ``status``, ``suche``,
    ``meine`` and ``offen``; 50 per page (``seite``)."""
    _require_mailbox(request)
    form = InboxFilterForm(request.GET or None)
    conversations = selectors.conversation_list(user=request.user, **form.filters(request.user))
    try:
        page = max(1, int(request.GET.get("seite", "1")[:6]))
    except ValueError:
        page = 1
    start = (page - 1) * PAGE_SIZE
    rows = list(conversations[start : start + PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("seite", None)
    context = {
        "form": form,
        "conversations": rows[:PAGE_SIZE],
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "query": query.urlencode(),
        "mailboxes": selectors.mailboxes(user=request.user),
    }
    return render(request, "mailbox/inbox.html", context)


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    conversation = selectors.conversation_detail(user=request.user, pk=pk)
    if conversation is None:
        raise Http404
    return conversation


def _render_detail(
    request: HttpRequest,
    conversation: Conversation,
    *,
    reply_form: ReplyForm | None = None,
    note_form: NoteForm | None = None,
    edit_form: ConversationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    timeline: list[dict[str, Any]] = []
    for message in conversation.messages.all():
        shown = sanitise(message.html) if message.html and not message.text else None
        timeline.append({"message": message, "html": shown})
    context = {
        "conversation": conversation,
        "timeline": timeline,
        "reply_form": reply_form or ReplyForm(conversation=conversation),
        "note_form": note_form or NoteForm(),
        "edit_form": edit_form or ConversationForm(conversation=conversation),
        "has_errors": status == 400,
    }
    return render(request, "mailbox/conversation.html", context, status=status)


@login_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: one conversation with every message, the reply, note and edit forms."""
    return _render_detail(request, _conversation(request, pk))


def _back(conversation: Conversation, anchor: str = "") -> str:
    url = reverse("mailbox:conversation", args=[conversation.pk])
    return url + (f"#{anchor}" if anchor else "")


@login_required
@require_POST
def conversation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: state, assignee, links and tags of conversation ``pk``."""
    conversation = _conversation(request, pk)
    if not can_work_on_conversation(request.user, conversation):
        raise Http404
    form = ConversationForm(request.POST, conversation=conversation)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.conversation_update(
                conversation=conversation,
                actor=request.user,
                state=data["state"],
                assignee=data["assignee"],
                meeting=data["meeting"],
                paper=data["paper"],
                land=data["land"],
                tags=data["tags"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Der Vorgang ist gespeichert."))
            return redirect(_back(conversation))
    return _render_detail(request, conversation, edit_form=form, status=400)


@login_required
@require_POST
def conversation_note(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: an internal note on conversation ``pk``."""
    conversation = _conversation(request, pk)
    if not can_work_on_conversation(request.user, conversation):
        raise Http404
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note = services.note_add(
                conversation=conversation, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, _("Die Notiz ist gespeichert."))
            return redirect(_back(conversation, f"nachricht-{note.pk}"))
    return _render_detail(request, conversation, note_form=form, status=400)


@login_required
@require_POST
def conversation_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: send a reply (``aktion=senden``) or put the chosen text module into the text
    field (``aktion=einfuegen``; the page is shown again, nothing is sent)."""
    conversation = _conversation(request, pk)
    if not can_work_on_conversation(request.user, conversation):
        raise Http404
    form = ReplyForm(request.POST, request.FILES, conversation=conversation)
    if request.POST.get("aktion") == "einfuegen":
        try:
            module = form.fields["text_module"].clean(request.POST.get("text_module"))
        except ValidationError:
            module = None
        if module is None:
            form.is_valid()
            form.errors.pop("text", None)
            form.add_error("text_module", _("Bitte wählen Sie einen Textbaustein."))
            return _render_detail(request, conversation, reply_form=form, status=400)
        text = services.text_module_render(
            module=module, conversation=conversation, actor=request.user
        )
        typed = request.POST.get("text", "").rstrip()
        initial = {"text": f"{typed}\n\n{text}" if typed else text, "text_module": module.pk}
        return _render_detail(
            request, conversation, reply_form=ReplyForm(conversation=conversation, initial=initial)
        )
    if form.is_valid():
        files = []
        upload = form.cleaned_data.get("upload")
        try:
            if upload is not None:
                checked = check_upload(upload.name, io.BytesIO(upload.read()), size=upload.size)
                files.append((upload.name, checked))
            message = services.reply_send(
                conversation=conversation,
                actor=request.user,
                text=form.cleaned_data["text"],
                files=files,
                attachment_ids=[int(a) for a in form.cleaned_data.get("attachments", [])],
            )
        except ValidationError as exc:
            form.add_error("upload" if upload is not None and not files else None, exc)
        else:
            messages.success(request, _("Die Antwort wird gesendet."))
            return redirect(_back(conversation, f"nachricht-{message.pk}"))
    return _render_detail(request, conversation, reply_form=form, status=400)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """GET: a kept attachment of conversation ``pk`` as a download."""
    conversation = _conversation(request, pk)
    attachment = (
        Attachment.objects.filter(pk=attachment_id, message__conversation=conversation, refused="")
        .exclude(file="")
        .first()
    )
    if attachment is None or not default_storage.exists(attachment.file):
        raise Http404
    return FileResponse(
        default_storage.open(attachment.file, "rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
def message_source(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    """GET: the original of an incoming mail of conversation ``pk`` (``.eml``, RFC 5322),
    e.g. for a mail that could not be read."""
    conversation = _conversation(request, pk)
    message = Message.objects.filter(
        pk=message_id, conversation=conversation, kind=MessageKind.INCOMING
    ).first()
    if message is None or not message.raw:
        raise Http404
    response = HttpResponse(bytes(message.raw), content_type="message/rfc822")
    filename = f"{conversation.number}-{message.pk}.eml"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
