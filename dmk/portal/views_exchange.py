"""The data exchange platform in the member portal, ``/intern/austausch/`` (issue 14).

Thin views: a workspace the user may not open is a 404 (``selectors.workspace_for`` asks
``dmk.access.policy.workspace_role``), writes go through ``dmk.exchange.services`` and
``statements``, which check the role again. A refused input is shown again with a German
message (status 400), never a 500. Large files are streamed both ways: uploads by Django's
temporary-file upload handler or the tus 1.0.0 endpoints (resumable), downloads by
``FileResponse``, folders as a streamed ZIP (zipstream-ng).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dmk.access.policy import (
    can_create_workspace,
    can_manage_workspace,
    can_write_workspace,
    statement_states_acted_for,
)
from dmk.bodies.models import Body, State
from dmk.core.downloads import attach_filename
from dmk.exchange import selectors, services, statements
from dmk.exchange.files import max_file_bytes
from dmk.exchange.forms import (
    FolderForm,
    MoveForm,
    RenameForm,
    StatementAnswerForm,
    StatementForm,
    StatementOpenForm,
    UploadForm,
    WorkspaceForm,
)
from dmk.exchange.models import (
    Folder,
    JointStatement,
    ResumableUpload,
    StatementState,
    Workspace,
    WorkspaceKind,
)
from dmk.meetings.selectors import meeting_for_user

TUS_VERSION = "1.0.0"


def _workspace(request: HttpRequest, slug: str) -> Workspace:
    workspace = selectors.workspace_for(user=request.user, slug=slug)
    if workspace is None:
        raise Http404
    return workspace


def _folder(workspace: Workspace, folder_id: Any) -> Folder | None:
    """The folder named by a form or URL value; 404 for a made-up or foreign one."""
    if folder_id in (None, "", "0", 0):
        return None
    try:
        folder_id = int(folder_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < folder_id < 2**63:
        raise Http404
    folder = selectors.folder_in(workspace, folder_id)
    if folder is None:
        raise Http404
    return folder


def _folder_url(workspace: Workspace, folder: Folder | None) -> str:
    if folder is None:
        return reverse("portal:exchange_workspace", kwargs={"workspace": workspace.slug})
    return reverse(
        "portal:exchange_folder", kwargs={"workspace": workspace.slug, "folder": folder.pk}
    )


def _folder_choices(
    workspace: Workspace, *, exclude: set[int] = frozenset()
) -> list[tuple[int, str]]:
    """Every folder of the workspace (not in the trash) as ``(pk, "A / B / C")``."""
    folders = {f.pk: f for f in Folder.objects.filter(workspace=workspace, deleted_at__isnull=True)}

    def path(f: Folder) -> str:
        parts = []
        while f is not None:
            parts.append(f.name)
            f = folders.get(f.parent_id) if f.parent_id else None
        return " / ".join(reversed(parts))

    choices = [(pk, path(f)) for pk, f in folders.items() if pk not in exclude]
    return sorted(choices, key=lambda c: c[1].casefold())


# --- index and workspaces ------------------------------------------------------------------


@login_required
def exchange_index(request: HttpRequest) -> HttpResponse:
    """The workspaces the user can open, by kind; the Geschäftsstelle opens ad-hoc ones.
    The standing workspaces (body, working bodies) are created here on first use."""
    services.workspaces_ensure()
    bodies = [
        b for b in Body.objects.order_by("short_name") if can_create_workspace(request.user, b)
    ]
    form = None
    status = 200
    if bodies:
        form = WorkspaceForm(request.POST or None)
        if request.method == "POST":
            if form.is_valid():
                try:
                    workspace = services.workspace_create_adhoc(
                        actor=request.user,
                        body=bodies[0],
                        name=form.cleaned_data["name"],
                        description=form.cleaned_data["description"],
                        states=list(form.cleaned_data["states"]),
                        role=form.cleaned_data["role"],
                    )
                except ValidationError as exc:
                    form.add_error("name", exc)
                else:
                    messages.success(
                        request,
                        _("Der Bereich „%(name)s“ ist angelegt.") % {"name": workspace.name},
                    )
                    return redirect(workspace.get_absolute_url())
            status = 400
    elif request.method == "POST":
        raise PermissionDenied(_("Nur die Geschäftsstelle kann Austauschbereiche anlegen."))
    workspaces = list(selectors.workspace_list(user=request.user))
    groups = [
        (label, [w for w in workspaces if w.kind == kind]) for kind, label in WorkspaceKind.choices
    ]
    return render(
        request,
        "portal/exchange/index.html",
        {"groups": [g for g in groups if g[1]], "form": form, "any": bool(workspaces)},
        status=status,
    )


@login_required
@require_GET
def exchange_meeting(request: HttpRequest, slug: str) -> HttpResponse:
    """The workspace of a meeting the user can see, created on first use."""
    meeting = meeting_for_user(user=request.user, slug=slug)
    if meeting is None:
        raise Http404
    workspace = services.workspace_for_meeting(meeting=meeting)
    if selectors.workspace_for(user=request.user, slug=workspace.slug) is None:
        raise Http404
    return redirect(workspace.get_absolute_url())


def _render_folder(
    request: HttpRequest,
    workspace: Workspace,
    folder: Folder | None,
    *,
    upload_form: UploadForm | None = None,
    folder_form: FolderForm | None = None,
    rename_form: RenameForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    may_write = can_write_workspace(request.user, workspace)
    used = services.workspace_usage(workspace)
    move_form = None
    if folder is not None and may_write:
        move_form = MoveForm(
            choices=_folder_choices(workspace, exclude={folder.pk}),
            initial={"target": folder.parent_id or 0},
        )
    context = {
        "workspace": workspace,
        "folder": folder,
        "trail": selectors.breadcrumbs(folder),
        "listing": selectors.listing(workspace, folder, page=request.GET.get("seite", 1)),
        "may_write": may_write,
        "may_manage": can_manage_workspace(request.user, workspace),
        "upload_form": upload_form or UploadForm(),
        "folder_form": folder_form or FolderForm(),
        "rename_form": rename_form
        or (RenameForm(initial={"name": folder.name}) if folder else None),
        "move_form": move_form,
        "errors": errors or [],
        "used": used,
        "percent": min(100, int(used * 100 / workspace.quota_bytes))
        if workspace.quota_bytes
        else 100,
        "near_limit": workspace.quota_bytes and used * 10 >= workspace.quota_bytes * 9,
        "max_file_bytes": max_file_bytes(),
        "statements": selectors.statements_of(workspace) if folder is None else [],
        "tus_url": reverse("portal:exchange_tus", kwargs={"workspace": workspace.slug}),
    }
    return render(request, "portal/exchange/folder.html", context, status=status)


@login_required
@require_GET
def exchange_workspace(request: HttpRequest, workspace: str) -> HttpResponse:
    ws = _workspace(request, workspace)
    return _render_folder(request, ws, None)


@login_required
def exchange_folder(request: HttpRequest, workspace: str, folder: int) -> HttpResponse:
    """A folder's content (GET); rename, move or trash it (POST ``action``)."""
    ws = _workspace(request, workspace)
    current = _folder(ws, folder)
    if request.method == "GET":
        return _render_folder(request, ws, current)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    action = request.POST.get("action")
    try:
        if action == "rename":
            form = RenameForm(request.POST)
            if not form.is_valid():
                return _render_folder(request, ws, current, rename_form=form, status=400)
            services.folder_rename(
                actor=request.user, folder=current, name=form.cleaned_data["name"]
            )
            messages.success(
                request, _("Der Ordner heißt jetzt „%(name)s“.") % {"name": current.name}
            )
        elif action == "move":
            form = MoveForm(request.POST, choices=_folder_choices(ws))
            if not form.is_valid():
                return _render_folder(
                    request, ws, current, errors=[_("Bitte wählen Sie ein Ziel.")], status=400
                )
            target = _folder(ws, form.cleaned_data["target"])
            services.folder_move(actor=request.user, folder=current, parent=target)
            messages.success(request, _("Der Ordner wurde verschoben."))
        elif action == "trash":
            parent = current.parent
            services.folder_trash(actor=request.user, folder=current)
            messages.success(
                request,
                _("Der Ordner „%(name)s“ liegt jetzt im Papierkorb.") % {"name": current.name},
            )
            return redirect(_folder_url(ws, parent))
        else:
            return _render_folder(
                request, ws, current, errors=[_("Unbekannte Aktion.")], status=400
            )
    except ValidationError as exc:
        return _render_folder(request, ws, current, errors=exc.messages, status=400)
    return redirect(_folder_url(ws, current))


@login_required
@require_POST
def exchange_upload(request: HttpRequest, workspace: str) -> HttpResponse:
    """Upload one or more files into the folder named by ``ordner`` (none: top level). Files
    that pass are stored; each refused one is named with its reason (status 400)."""
    ws = _workspace(request, workspace)
    folder = _folder(ws, request.POST.get("ordner"))
    if not can_write_workspace(request.user, ws):
        raise PermissionDenied(_("Sie dürfen in diesem Bereich nichts ändern."))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_folder(request, ws, folder, upload_form=form, status=400)
    errors, stored = [], []
    for upload in form.cleaned_data["files"]:
        try:
            services.file_upload(
                actor=request.user,
                workspace=ws,
                folder=folder,
                name=upload.name,
                stream=upload.chunks(),
                size=upload.size,
            )
        except ValidationError as exc:
            errors.append(f"{upload.name}: {' '.join(exc.messages)}")
        else:
            stored.append(upload.name)
    if stored:
        messages.success(request, _("Gespeichert: %(names)s") % {"names": ", ".join(stored)})
    if errors:
        return _render_folder(request, ws, folder, errors=errors, status=400)
    return redirect(_folder_url(ws, folder))


@login_required
@require_POST
def exchange_folder_create(request: HttpRequest, workspace: str) -> HttpResponse:
    ws = _workspace(request, workspace)
    parent = _folder(ws, request.POST.get("ordner"))
    form = FolderForm(request.POST)
    if not form.is_valid():
        return _render_folder(request, ws, parent, folder_form=form, status=400)
    try:
        services.folder_create(
            actor=request.user, workspace=ws, parent=parent, name=form.cleaned_data["name"]
        )
    except ValidationError as exc:
        form.add_error("name", exc)
        return _render_folder(request, ws, parent, folder_form=form, status=400)
    messages.success(
        request, _("Der Ordner „%(name)s“ ist angelegt.") % {"name": form.cleaned_data["name"]}
    )
    return redirect(_folder_url(ws, parent))


# --- files ---------------------------------------------------------------------------------


def _stored_file(ws: Workspace, file_id: int):
    stored_file = selectors.file_in(ws, file_id)
    if stored_file is None:
        raise Http404
    return stored_file


def _render_file(request, ws, stored_file, *, rename_form=None, errors=None, status=200):
    may_write = can_write_workspace(request.user, ws)
    return render(
        request,
        "portal/exchange/file.html",
        {
            "workspace": ws,
            "file": stored_file,
            "trail": selectors.breadcrumbs(stored_file.folder),
            "versions": selectors.versions_of(stored_file),
            "may_write": may_write,
            "rename_form": rename_form or RenameForm(initial={"name": stored_file.name}),
            "move_form": MoveForm(
                choices=_folder_choices(ws), initial={"target": stored_file.folder_id or 0}
            )
            if may_write
            else None,
            "errors": errors or [],
        },
        status=status,
    )


@login_required
def exchange_file(request: HttpRequest, workspace: str, file: int) -> HttpResponse:
    """A file with its versions (GET); rename, move, trash it or restore a version (POST)."""
    ws = _workspace(request, workspace)
    stored_file = _stored_file(ws, file)
    if request.method == "GET":
        return _render_file(request, ws, stored_file)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    action = request.POST.get("action")
    try:
        if action == "rename":
            form = RenameForm(request.POST)
            if not form.is_valid():
                return _render_file(request, ws, stored_file, rename_form=form, status=400)
            services.file_rename(
                actor=request.user, stored_file=stored_file, name=form.cleaned_data["name"]
            )
            messages.success(
                request, _("Die Datei heißt jetzt „%(name)s“.") % {"name": stored_file.name}
            )
        elif action == "move":
            form = MoveForm(request.POST, choices=_folder_choices(ws))
            if not form.is_valid():
                return _render_file(
                    request, ws, stored_file, errors=[_("Bitte wählen Sie ein Ziel.")], status=400
                )
            services.file_move(
                actor=request.user,
                stored_file=stored_file,
                folder=_folder(ws, form.cleaned_data["target"]),
            )
            messages.success(request, _("Die Datei wurde verschoben."))
        elif action == "trash":
            folder = stored_file.folder
            services.file_trash(actor=request.user, stored_file=stored_file)
            messages.success(
                request,
                _("Die Datei „%(name)s“ liegt jetzt im Papierkorb.") % {"name": stored_file.name},
            )
            return redirect(_folder_url(ws, folder))
        elif action == "restore_version":
            try:
                number = int(request.POST.get("version", ""))
            except ValueError:
                raise Http404 from None
            version = stored_file.versions.filter(number=number).first()
            if version is None:
                raise Http404
            new = services.version_restore(actor=request.user, version=version)
            messages.success(
                request,
                _("Version %(old)s ist als Version %(new)s wiederhergestellt.")
                % {"old": number, "new": new.number},
            )
        else:
            return _render_file(
                request, ws, stored_file, errors=[_("Unbekannte Aktion.")], status=400
            )
    except ValidationError as exc:
        return _render_file(request, ws, stored_file, errors=exc.messages, status=400)
    return redirect("portal:exchange_file", workspace=ws.slug, file=stored_file.pk)


@login_required
@require_GET
def exchange_download(request: HttpRequest, workspace: str, file: int) -> FileResponse:
    """Download the current version, or ``?version=n``; audited (issue 14 item 4)."""
    ws = _workspace(request, workspace)
    stored_file = _stored_file(ws, file)
    number = request.GET.get("version")
    try:
        number = int(number) if number else stored_file.current_version
    except ValueError:
        raise Http404 from None
    version = stored_file.versions.filter(number=number).first()
    if version is None:
        raise Http404
    services.file_downloaded(actor=request.user, version=version)
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=stored_file.name,
        content_type=version.content_type,
    )
    attach_filename(response, stored_file.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def exchange_zip(request: HttpRequest, workspace: str) -> StreamingHttpResponse:
    """The folder ``?ordner=`` (none: the whole workspace) as a ZIP, streamed as it is
    written (zipstream-ng; files stored uncompressed, so its size is known beforehand)."""
    from zipstream import ZIP_STORED, ZipStream

    ws = _workspace(request, workspace)
    folder = _folder(ws, request.GET.get("ordner"))
    stream = ZipStream(compress_type=ZIP_STORED, sized=True)
    entries = selectors.zip_entries(ws, folder)
    for arcname, version in entries:
        stream.add_path(version.file.path, arcname)
    services.log_zip_download(actor=request.user, workspace=ws, folder=folder, count=len(entries))
    name = f"{(folder.name if folder else ws.name)}.zip"
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Length"] = str(len(stream))
    attach_filename(response, name)
    response["Cache-Control"] = "private, no-store"
    return response


# --- trash and activity ----------------------------------------------------------------------


@login_required
def exchange_trash(request: HttpRequest, workspace: str) -> HttpResponse:
    """What lies in the trash and when it will be deleted for good; restore (POST)."""
    ws = _workspace(request, workspace)
    if request.method == "POST":
        if not can_write_workspace(request.user, ws):
            raise PermissionDenied(_("Sie dürfen in diesem Bereich nichts ändern."))
        kind, pk = request.POST.get("kind"), request.POST.get("id", "")
        if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
            raise Http404
        if kind == "file":
            stored_file = selectors.file_in(ws, int(pk), trashed=True)
            if stored_file is None or stored_file.deleted_at is None:
                raise Http404
            services.file_restore(actor=request.user, stored_file=stored_file)
            messages.success(
                request, _("„%(name)s“ ist wiederhergestellt.") % {"name": stored_file.name}
            )
        elif kind == "folder":
            folder = Folder.objects.filter(
                pk=int(pk), workspace=ws, deleted_at__isnull=False
            ).first()
            if folder is None:
                raise Http404
            services.folder_restore(actor=request.user, folder=folder)
            messages.success(
                request, _("„%(name)s“ ist wiederhergestellt.") % {"name": folder.name}
            )
        else:
            raise Http404
        return redirect("portal:exchange_trash", workspace=ws.slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    folders, files = selectors.trash_of(ws)
    from django.conf import settings

    return render(
        request,
        "portal/exchange/trash.html",
        {
            "workspace": ws,
            "folders": folders,
            "files": files,
            "days": settings.DMK_EXCHANGE_TRASH_DAYS,
            "may_write": can_write_workspace(request.user, ws),
        },
    )


@login_required
@require_GET
def exchange_activity(request: HttpRequest, workspace: str) -> HttpResponse:
    ws = _workspace(request, workspace)
    return render(
        request,
        "portal/exchange/activity.html",
        {"workspace": ws, "entries": selectors.workspace_activity(ws)},
    )


# --- resumable uploads: tus 1.0.0 (https://tus.io/protocols/resumable-upload) ---------------


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _tus_error(text: str, status: int) -> HttpResponse:
    return _tus(HttpResponse(text, status=status, content_type="text/plain; charset=utf-8"))


def _tus_metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64value`` pairs (tus 1.0.0 §creation)."""
    result = {}
    for pair in header.split(","):
        parts = pair.strip().split(" ", 1)
        if not parts[0]:
            continue
        try:
            value = (
                base64.b64decode(parts[1], validate=True).decode("utf-8") if len(parts) == 2 else ""
            )
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError(parts[0]) from None
        result[parts[0]] = value
    return result


def _int_header(request: HttpRequest, name: str) -> int | None:
    value = request.headers.get(name, "")
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


@login_required
def exchange_tus(request: HttpRequest, workspace: str) -> HttpResponse:
    """tus creation endpoint: ``OPTIONS`` tells the protocol; ``POST`` with ``Upload-Length``
    and ``Upload-Metadata`` (``filename``, ``folder``) starts an upload (201 + Location)."""
    ws = _workspace(request, workspace)
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = "creation,termination"
        response["Tus-Max-Size"] = str(max_file_bytes())
        return _tus(response)
    if request.method != "POST":
        return HttpResponseNotAllowed(["OPTIONS", "POST"])
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _tus_error(_("Nicht unterstützte tus-Version."), 412)
    length = _int_header(request, "Upload-Length")
    if length is None:
        return _tus_error(_("Upload-Length fehlt."), 400)
    try:
        meta = _tus_metadata(request.headers.get("Upload-Metadata", ""))
    except ValueError:
        return _tus_error(_("Upload-Metadata ist nicht lesbar."), 400)
    folder = _folder(ws, meta.get("folder"))
    try:
        upload = services.resumable_begin(
            actor=request.user,
            workspace=ws,
            folder=folder,
            filename=meta.get("filename", ""),
            length=length,
        )
    except ValidationError as exc:
        return _tus_error(
            " ".join(exc.messages), 413 if exc.code in ("too_large", "quota") else 400
        )
    except PermissionDenied as exc:
        return _tus_error(str(exc), 403)
    response = HttpResponse(status=201)
    response["Location"] = reverse(
        "portal:exchange_tus_upload", kwargs={"workspace": ws.slug, "upload": upload.pk}
    )
    return _tus(response)


def _request_chunks(request: HttpRequest, length: int):
    remaining = length
    while remaining > 0:
        chunk = request.read(min(1024 * 1024, remaining))
        if not chunk:
            break
        remaining -= len(chunk)
        yield chunk


@login_required
def exchange_tus_upload(request: HttpRequest, workspace: str, upload: uuid.UUID) -> HttpResponse:
    """One tus upload: ``HEAD`` tells the offset (to resume), ``PATCH`` appends bytes at
    ``Upload-Offset``, ``DELETE`` drops it. Only the person who started it sees it."""
    ws = _workspace(request, workspace)
    item = ResumableUpload.objects.filter(pk=upload, workspace=ws, user=request.user).first()
    if item is None:
        return _tus_error(_("Unbekannter Upload."), 404)
    if request.method in ("HEAD", "GET"):
        response = HttpResponse(status=200)
        response["Upload-Offset"] = str(item.offset)
        response["Upload-Length"] = str(item.length)
        return _tus(response)
    if request.method == "DELETE":
        services.resumable_cancel(actor=request.user, upload=item)
        return _tus(HttpResponse(status=204))
    if request.method != "PATCH":
        return HttpResponseNotAllowed(["HEAD", "PATCH", "DELETE"])
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _tus_error(_("Nicht unterstützte tus-Version."), 412)
    if request.content_type != "application/offset+octet-stream":
        return _tus_error(_("Falscher Inhaltstyp."), 415)
    offset = _int_header(request, "Upload-Offset")
    body_length = _int_header(request, "Content-Length") or 0
    if offset is None:
        return _tus_error(_("Upload-Offset fehlt."), 400)
    try:
        item = services.resumable_append(
            actor=request.user,
            upload=item,
            offset=offset,
            chunks=_request_chunks(request, body_length),
        )
    except ValidationError as exc:
        status = (
            409
            if exc.code == "offset"
            else (413 if exc.code in ("too_large", "quota", "length") else 400)
        )
        return _tus_error(" ".join(exc.messages), status)
    response = HttpResponse(status=204)
    response["Upload-Offset"] = str(item.offset)
    if item.stored_file_id:
        response["X-DMK-File"] = reverse(
            "portal:exchange_file", kwargs={"workspace": ws.slug, "file": item.stored_file_id}
        )
    return _tus(response)


# --- joint statements ------------------------------------------------------------------------


def _statement(ws: Workspace, pk: int) -> JointStatement:
    statement = selectors.statements_of(ws).filter(pk=pk).first()
    if statement is None:
        raise Http404
    return statement


@login_required
def exchange_statement_new(request: HttpRequest, workspace: str) -> HttpResponse:
    ws = _workspace(request, workspace)
    if not can_write_workspace(request.user, ws):
        raise PermissionDenied(_("Sie dürfen in diesem Bereich nichts ändern."))
    states = State.objects.filter(pk__in=statement_states_acted_for(request.user, ws)).order_by(
        "name_de"
    )
    form = StatementForm(request.POST or None, states=states)
    if request.method == "POST" and form.is_valid():
        try:
            statement = statements.statement_create(
                actor=request.user,
                workspace=ws,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                author_state=form.cleaned_data["author_state"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("portal:exchange_statement", workspace=ws.slug, pk=statement.pk)
    return render(
        request,
        "portal/exchange/statement_new.html",
        {"workspace": ws, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def exchange_statement(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """A joint statement: its text, who joined; open, answer or close it (POST ``action``)."""
    ws = _workspace(request, workspace)
    statement = _statement(ws, pk)
    acting = State.objects.filter(pk__in=statement_states_acted_for(request.user, ws))
    invited = acting.filter(pk__in=statement.participations.values("state_id")).order_by("name_de")
    answer_form = StatementAnswerForm(states=invited)
    open_form = StatementOpenForm()
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "answer":
                answer_form = StatementAnswerForm(request.POST, states=invited)
                if answer_form.is_valid():
                    statements.statement_answer(
                        actor=request.user,
                        statement=statement,
                        state=answer_form.cleaned_data["state"],
                        answer=answer_form.cleaned_data["answer"],
                        note=answer_form.cleaned_data["note"],
                    )
                    messages.success(request, _("Ihre Antwort ist gespeichert."))
                    return redirect("portal:exchange_statement", workspace=ws.slug, pk=statement.pk)
            elif action == "open":
                open_form = StatementOpenForm(request.POST)
                if open_form.is_valid():
                    statements.statement_open(
                        actor=request.user,
                        statement=statement,
                        states=list(open_form.cleaned_data["states"]),
                        deadline=open_form.cleaned_data["deadline"],
                    )
                    messages.success(
                        request, _("Der Text ist eingefroren; die Länder sind eingeladen.")
                    )
                    return redirect("portal:exchange_statement", workspace=ws.slug, pk=statement.pk)
            elif action == "close":
                statements.statement_close(actor=request.user, statement=statement)
                messages.success(request, _("Die Stellungnahme ist abgeschlossen."))
                return redirect("portal:exchange_statement", workspace=ws.slug, pk=statement.pk)
            else:
                errors.append(_("Unbekannte Aktion."))
        except ValidationError as exc:
            errors.extend(exc.messages)
        status = 400
    statement.refresh_from_db()
    return render(
        request,
        "portal/exchange/statement.html",
        {
            "workspace": ws,
            "statement": statement,
            "participations": statement.participations.select_related(
                "state", "answered_by"
            ).order_by("state__name_de"),
            "answer_form": answer_form
            if invited and statement.state == StatementState.OPEN
            else None,
            "open_form": open_form
            if statement.state == StatementState.DRAFT
            and statements.may_edit(request.user, statement)
            else None,
            "may_close": statement.state == StatementState.OPEN
            and statements.may_edit(request.user, statement),
            "errors": errors,
        },
        status=status,
    )


@login_required
@require_GET
def exchange_statement_pdf(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    ws = _workspace(request, workspace)
    statement = _statement(ws, pk)
    response = HttpResponse(statements.statement_pdf(statement), content_type="application/pdf")
    attach_filename(response, f"{statement.title[:80]}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
