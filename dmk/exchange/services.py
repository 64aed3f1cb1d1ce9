"""Writes of the data exchange platform (issue 14): workspaces, folders, files and their
versions, trash, quotas, resumable uploads.

Keyword-only, atomic where the database is written, audited with the workspace as the object
(so that ``selectors.workspace_activity`` lists one workspace's activity from the audit log).
Bad input raises ``ValidationError`` with a German message; a missing right
``PermissionDenied`` (callers that must not reveal an object answer 404 before calling).
Rights come from ``dmk.access.policy.workspace_role`` (DOMAIN rule 11).
"""

from __future__ import annotations

import datetime
import os
import unicodedata
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from dmk.access.policy import (
    can_create_workspace,
    can_manage_workspace,
    can_write_workspace,
)
from dmk.bodies.models import Body, Organization
from dmk.core.audit import log_action
from dmk.core.text import german_slug
from dmk.exchange import files
from dmk.exchange.models import (
    FileVersion,
    Folder,
    ResumableUpload,
    StoredFile,
    Workspace,
    WorkspaceAccess,
    WorkspaceKind,
    WorkspaceRole,
)
from dmk.meetings.models import Meeting


def _require_write(actor: Any, workspace: Workspace) -> None:
    if not can_write_workspace(actor, workspace):
        raise PermissionDenied(_("Sie dürfen in diesem Bereich nichts ändern."))


def _audit(action: str, *, actor: Any, workspace: Workspace, **data: Any) -> None:
    log_action(f"exchange.{action}", actor=actor, obj=workspace, data=data)


def _unique_slug(base: str) -> str:
    base = (german_slug(base) or "bereich")[:100]
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_name(name: str, *, what: str = "folder") -> str:
    name = unicodedata.normalize("NFC", name or "").strip()
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    if not name or name in {".", ".."} or "/" in name or "\\" in name:
        raise ValidationError(_("Bitte geben Sie einen Namen ohne Schrägstrich an."), code="name")
    return name[:200]


# --- workspaces ---------------------------------------------------------------------------


def workspace_for_body(*, body: Body) -> Workspace:
    """The body's own workspace (all Länder), created on first use. Idempotent."""
    workspace = Workspace.objects.filter(body=body, kind=WorkspaceKind.BODY).first()
    if workspace is None:
        workspace = Workspace.objects.create(
            body=body,
            kind=WorkspaceKind.BODY,
            name=_("%(body)s – alle Länder") % {"body": body.short_name},
            slug=_unique_slug(body.short_name),
        )
    return workspace


def workspace_for_organization(*, organization: Organization) -> Workspace:
    """The working body's workspace (its members), created on first use. Idempotent."""
    workspace = Workspace.objects.filter(organization=organization).first()
    if workspace is None:
        workspace = Workspace.objects.create(
            body=organization.body,
            kind=WorkspaceKind.ORGANIZATION,
            organization=organization,
            name=organization.name,
            slug=_unique_slug(organization.short_name or organization.name),
        )
    return workspace


def workspace_for_meeting(*, meeting: Meeting) -> Workspace:
    """The meeting's workspace (participants and invited guests), created on first use.
    Idempotent."""
    workspace = Workspace.objects.filter(meeting=meeting).first()
    if workspace is None:
        workspace = Workspace.objects.create(
            body=meeting.body,
            kind=WorkspaceKind.MEETING,
            meeting=meeting,
            name=meeting.name,
            slug=_unique_slug(meeting.slug),
        )
    return workspace


WORKING_BODY_KINDS = ("working_group", "community_of_practice", "agile_circle")


def workspaces_ensure() -> None:
    """Create the standing workspaces that do not exist yet: one per body and one per working
    body (Arbeitsgruppe, Community of Practice, agiler Kreis; seed §2.1) that has not ended.
    Idempotent; a few queries whatever the number of workspaces."""
    have_body = set(
        Workspace.objects.filter(kind=WorkspaceKind.BODY).values_list("body_id", flat=True)
    )
    for body in Body.objects.exclude(pk__in=have_body):
        workspace_for_body(body=body)
    today = timezone.localdate()
    missing = Organization.objects.filter(
        kind__in=WORKING_BODY_KINDS, workspace__isnull=True
    ).exclude(end_date__lt=today)
    for organization in missing:
        workspace_for_organization(organization=organization)


@transaction.atomic
def workspace_create_adhoc(
    *,
    actor: Any,
    body: Body,
    name: str,
    description: str = "",
    states: Iterable[Any] = (),
    persons: Iterable[Any] = (),
    role: int = WorkspaceRole.WRITE,
) -> Workspace:
    """Open an ad-hoc workspace of ``body`` for the named Länder and people with ``role``
    (issue 14 item 1). The Geschäftsstelle of the body only (PermissionDenied otherwise)."""
    if not can_create_workspace(actor, body):
        raise PermissionDenied(_("Nur die Geschäftsstelle kann Austauschbereiche anlegen."))
    name = _clean_name(name)
    workspace = Workspace.objects.create(
        body=body,
        kind=WorkspaceKind.ADHOC,
        name=name,
        slug=_unique_slug(name),
        description=description,
    )
    for state in states:
        WorkspaceAccess.objects.create(workspace=workspace, state=state, role=role)
    for person in persons:
        WorkspaceAccess.objects.create(workspace=workspace, person=person, role=role)
    _audit(
        "workspace.created",
        actor=actor,
        workspace=workspace,
        states=[s.code for s in states],
        persons=[p.pk for p in persons],
    )
    return workspace


def workspace_usage(workspace: Workspace) -> int:
    """Bytes the workspace holds: every version of every file, the trash included (what a
    purge would free). One aggregate query."""
    return (
        FileVersion.objects.filter(stored_file__workspace=workspace).aggregate(s=Sum("size"))["s"]
        or 0
    )


def _check_quota(workspace: Workspace, extra: int) -> None:
    used = workspace_usage(workspace)
    if used + extra > workspace.quota_bytes:
        raise ValidationError(
            _(
                "Der Speicherplatz dieses Bereichs reicht nicht: belegt sind %(used)s von "
                "%(quota)s, die Datei braucht %(size)s. Bitte leeren Sie den Papierkorb oder "
                "löschen Sie alte Dateien."
            )
            % {
                "used": filesizeformat(used),
                "quota": filesizeformat(workspace.quota_bytes),
                "size": filesizeformat(extra),
            },
            code="quota",
        )


# --- folders ------------------------------------------------------------------------------


def _require_same_workspace(workspace: Workspace, folder: Folder | None) -> None:
    if folder is not None and (folder.workspace_id != workspace.pk or folder.deleted_at):
        raise ValidationError(_("Dieser Ordner gehört nicht zu diesem Bereich."), code="folder")


@transaction.atomic
def folder_create(
    *, actor: Any, workspace: Workspace, name: str, parent: Folder | None = None
) -> Folder:
    """A new folder ``name`` in ``parent`` (None: top level). A name already used by a
    folder there is refused."""
    _require_write(actor, workspace)
    _require_same_workspace(workspace, parent)
    name = _clean_name(name)
    if Folder.objects.filter(
        workspace=workspace, parent=parent, name=name, deleted_at__isnull=True
    ).exists():
        raise ValidationError(_("Einen Ordner dieses Namens gibt es hier schon."), code="exists")
    folder = Folder.objects.create(workspace=workspace, parent=parent, name=name, created_by=actor)
    _audit("folder.created", actor=actor, workspace=workspace, folder=folder.pk, name=name)
    return folder


def _descendant_ids(folder: Folder) -> set[int]:
    """Primary keys of ``folder`` and every folder below it (one query per level)."""
    ids, frontier = {folder.pk}, [folder.pk]
    while frontier:
        frontier = list(Folder.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


@transaction.atomic
def folder_rename(*, actor: Any, folder: Folder, name: str) -> Folder:
    _require_write(actor, folder.workspace)
    name = _clean_name(name)
    if (
        Folder.objects.filter(
            workspace=folder.workspace, parent=folder.parent, name=name, deleted_at__isnull=True
        )
        .exclude(pk=folder.pk)
        .exists()
    ):
        raise ValidationError(_("Einen Ordner dieses Namens gibt es hier schon."), code="exists")
    old, folder.name = folder.name, name
    folder.save(update_fields=["name"])
    _audit(
        "folder.renamed",
        actor=actor,
        workspace=folder.workspace,
        folder=folder.pk,
        old=old,
        name=name,
    )
    return folder


@transaction.atomic
def folder_move(*, actor: Any, folder: Folder, parent: Folder | None) -> Folder:
    """Move ``folder`` into ``parent`` (None: top level); never into itself or below."""
    workspace = folder.workspace
    _require_write(actor, workspace)
    _require_same_workspace(workspace, parent)
    if parent is not None and parent.pk in _descendant_ids(folder):
        raise ValidationError(
            _("Ein Ordner kann nicht in sich selbst verschoben werden."), code="cycle"
        )
    if (
        Folder.objects.filter(
            workspace=workspace, parent=parent, name=folder.name, deleted_at__isnull=True
        )
        .exclude(pk=folder.pk)
        .exists()
    ):
        raise ValidationError(_("Einen Ordner dieses Namens gibt es dort schon."), code="exists")
    folder.parent = parent
    folder.save(update_fields=["parent"])
    _audit(
        "folder.moved",
        actor=actor,
        workspace=workspace,
        folder=folder.pk,
        parent=getattr(parent, "pk", None),
    )
    return folder


@transaction.atomic
def folder_trash(*, actor: Any, folder: Folder) -> Folder:
    """Put ``folder`` (and so everything in it) into the trash (issue 14 item 2)."""
    _require_write(actor, folder.workspace)
    folder.deleted_at, folder.deleted_by = timezone.now(), actor
    folder.save(update_fields=["deleted_at", "deleted_by"])
    _audit(
        "folder.trashed",
        actor=actor,
        workspace=folder.workspace,
        folder=folder.pk,
        name=folder.name,
    )
    return folder


@transaction.atomic
def folder_restore(*, actor: Any, folder: Folder) -> Folder:
    """Take ``folder`` out of the trash; if its name is taken meanwhile, it gets
    " (wiederhergestellt)" appended. A folder whose parent is in the trash goes to the top."""
    _require_write(actor, folder.workspace)
    if folder.parent is not None and folder.parent.deleted_at is not None:
        folder.parent = None
    if Folder.objects.filter(
        workspace=folder.workspace, parent=folder.parent, name=folder.name, deleted_at__isnull=True
    ).exists():
        folder.name = f"{folder.name} ({_('wiederhergestellt')})"[:200]
    folder.deleted_at = folder.deleted_by = None
    folder.save(update_fields=["deleted_at", "deleted_by", "name", "parent"])
    _audit(
        "folder.restored",
        actor=actor,
        workspace=folder.workspace,
        folder=folder.pk,
        name=folder.name,
    )
    return folder


# --- files --------------------------------------------------------------------------------


def _store(
    *,
    actor: Any,
    workspace: Workspace,
    folder: Folder | None,
    name: str,
    received: files.Received,
) -> FileVersion:
    """Check ``received``, then store it as a new file or as the next version of the file of
    the same name in ``folder``. On any refusal or error the temporary (or already moved)
    file is removed: a failed upload leaves no file and no row."""
    stored_name = None
    try:
        content_type = files.check_received(received, name)
        with transaction.atomic():
            Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
            _check_quota(workspace, received.size)
            stored_name = files.move_into_place(
                received, workspace_id=workspace.pk, extension=files.extension_of(name)
            )
            stored_file = (
                StoredFile.objects.select_for_update()
                .filter(workspace=workspace, folder=folder, name=name, deleted_at__isnull=True)
                .first()
            )
            if stored_file is None:
                stored_file = StoredFile.objects.create(
                    workspace=workspace,
                    folder=folder,
                    name=name,
                    content_type=content_type,
                    created_by=actor,
                )
            number = stored_file.current_version + 1
            version = FileVersion.objects.create(
                stored_file=stored_file,
                number=number,
                file=stored_name,
                size=received.size,
                sha256=received.sha256,
                content_type=content_type,
                uploaded_by=actor,
            )
            stored_file.current_version, stored_file.size = number, received.size
            stored_file.content_type = content_type
            stored_file.save(
                update_fields=["current_version", "size", "content_type", "modified_at"]
            )
            _audit(
                "file.uploaded",
                actor=actor,
                workspace=workspace,
                file=stored_file.pk,
                name=name,
                version=number,
                size=received.size,
            )
    except BaseException:
        files.discard(received.path)
        if stored_name is not None:
            files.discard(default_storage.path(stored_name))
        raise
    return version


def file_upload(
    *,
    actor: Any,
    workspace: Workspace,
    folder: Folder | None,
    name: str,
    stream: IO[bytes] | Iterable[bytes],
    size: int | None = None,
) -> FileVersion:
    """Upload one file into ``folder`` of ``workspace`` (issue 14 item 2): a new file, or the
    next version of the file of the same name there. ``stream`` is read in chunks (never held
    in memory); ``size``, if known, lets an over-quota or oversized upload be refused before
    a byte is read. Raises ValidationError (German) for a bad name or type, content not
    matching the extension, an empty or oversized file, or a full quota — nothing is stored
    then; PermissionDenied without the right to write."""
    _require_write(actor, workspace)
    _require_same_workspace(workspace, folder)
    name = files.clean_filename(name)
    if size is not None:
        if size > files.max_file_bytes():
            raise files._too_large()
        _check_quota(workspace, size)
    received = files.receive(stream, declared_size=size)
    return _store(actor=actor, workspace=workspace, folder=folder, name=name, received=received)


@transaction.atomic
def version_restore(*, actor: Any, version: FileVersion) -> FileVersion:
    """Make an older version current again by adding a new version with its content
    (history is never rewritten). Counts against the quota like an upload."""
    stored_file = StoredFile.objects.select_for_update().get(pk=version.stored_file_id)
    workspace = stored_file.workspace
    _require_write(actor, workspace)
    if stored_file.deleted_at is not None:
        raise ValidationError(_("Die Datei liegt im Papierkorb."), code="trashed")
    _check_quota(workspace, version.size)
    source = default_storage.path(version.file.name)
    with open(source, "rb") as handle:
        received = files.receive(handle)
    stored_name = None
    try:
        stored_name = files.move_into_place(
            received, workspace_id=workspace.pk, extension=files.extension_of(stored_file.name)
        )
        number = stored_file.current_version + 1
        new = FileVersion.objects.create(
            stored_file=stored_file,
            number=number,
            file=stored_name,
            size=version.size,
            sha256=version.sha256,
            content_type=version.content_type,
            uploaded_by=actor,
            restored_from=version.number,
        )
        stored_file.current_version, stored_file.size = number, version.size
        stored_file.save(update_fields=["current_version", "size", "modified_at"])
    except BaseException:
        files.discard(received.path)
        if stored_name is not None:
            files.discard(default_storage.path(stored_name))
        raise
    _audit(
        "file.version_restored",
        actor=actor,
        workspace=workspace,
        file=stored_file.pk,
        name=stored_file.name,
        restored=version.number,
        version=number,
    )
    return new


@transaction.atomic
def file_rename(*, actor: Any, stored_file: StoredFile, name: str) -> StoredFile:
    """Rename ``stored_file``; the extension may not change type (the content was checked
    for it). A name taken in the same folder is refused."""
    _require_write(actor, stored_file.workspace)
    name = files.clean_filename(name)
    if (
        files.CONTENT_TYPES[files.extension_of(name)]
        != files.CONTENT_TYPES[files.extension_of(stored_file.name)]
    ):
        raise ValidationError(
            _("Die Dateiendung kann beim Umbenennen nicht geändert werden."), code="extension"
        )
    if (
        StoredFile.objects.filter(
            workspace=stored_file.workspace,
            folder=stored_file.folder,
            name=name,
            deleted_at__isnull=True,
        )
        .exclude(pk=stored_file.pk)
        .exists()
    ):
        raise ValidationError(_("Eine Datei dieses Namens gibt es hier schon."), code="exists")
    old, stored_file.name = stored_file.name, name
    stored_file.save(update_fields=["name", "modified_at"])
    _audit(
        "file.renamed",
        actor=actor,
        workspace=stored_file.workspace,
        file=stored_file.pk,
        old=old,
        name=name,
    )
    return stored_file


@transaction.atomic
def file_move(*, actor: Any, stored_file: StoredFile, folder: Folder | None) -> StoredFile:
    """Move ``stored_file`` into ``folder`` (None: top level) of the same workspace."""
    workspace = stored_file.workspace
    _require_write(actor, workspace)
    _require_same_workspace(workspace, folder)
    if (
        StoredFile.objects.filter(
            workspace=workspace, folder=folder, name=stored_file.name, deleted_at__isnull=True
        )
        .exclude(pk=stored_file.pk)
        .exists()
    ):
        raise ValidationError(_("Eine Datei dieses Namens gibt es dort schon."), code="exists")
    stored_file.folder = folder
    stored_file.save(update_fields=["folder", "modified_at"])
    _audit(
        "file.moved",
        actor=actor,
        workspace=workspace,
        file=stored_file.pk,
        name=stored_file.name,
        folder=getattr(folder, "pk", None),
    )
    return stored_file


@transaction.atomic
def file_trash(*, actor: Any, stored_file: StoredFile) -> StoredFile:
    """Put ``stored_file`` into the trash (kept ``DMK_EXCHANGE_TRASH_DAYS`` days)."""
    _require_write(actor, stored_file.workspace)
    stored_file.deleted_at, stored_file.deleted_by = timezone.now(), actor
    stored_file.save(update_fields=["deleted_at", "deleted_by", "modified_at"])
    _audit(
        "file.trashed",
        actor=actor,
        workspace=stored_file.workspace,
        file=stored_file.pk,
        name=stored_file.name,
    )
    return stored_file


@transaction.atomic
def file_restore(*, actor: Any, stored_file: StoredFile) -> StoredFile:
    """Take ``stored_file`` out of the trash; into the top level if its folder is in the
    trash; with " (wiederhergestellt)" before the extension if its name is taken."""
    _require_write(actor, stored_file.workspace)
    if stored_file.folder is not None and stored_file.folder.deleted_at is not None:
        stored_file.folder = None
    if StoredFile.objects.filter(
        workspace=stored_file.workspace,
        folder=stored_file.folder,
        name=stored_file.name,
        deleted_at__isnull=True,
    ).exists():
        stem, ext = stored_file.name.rsplit(".", 1)
        stored_file.name = f"{stem} ({_('wiederhergestellt')}).{ext}"[-255:]
    stored_file.deleted_at = stored_file.deleted_by = None
    stored_file.save(update_fields=["deleted_at", "deleted_by", "folder", "name", "modified_at"])
    _audit(
        "file.restored",
        actor=actor,
        workspace=stored_file.workspace,
        file=stored_file.pk,
        name=stored_file.name,
    )
    return stored_file


def file_downloaded(*, actor: Any, version: FileVersion) -> None:
    """Record a download in the audit log (issue 14 item 4: who downloaded what)."""
    stored_file = version.stored_file
    _audit(
        "file.downloaded",
        actor=actor,
        workspace=stored_file.workspace,
        file=stored_file.pk,
        name=stored_file.name,
        version=version.number,
    )


def log_zip_download(
    *, actor: Any, workspace: Workspace, folder: Folder | None, count: int
) -> None:
    """Record the download of a folder (None: the whole workspace) as a ZIP."""
    _audit(
        "folder.downloaded",
        actor=actor,
        workspace=workspace,
        folder=getattr(folder, "pk", None),
        name=getattr(folder, "name", workspace.name),
        files=count,
    )


def _delete_versions(versions: Iterable[FileVersion]) -> None:
    names = [v.file.name for v in versions]
    transaction.on_commit(lambda: [files.discard(default_storage.path(n)) for n in names])


def trash_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete for good what has been in the trash longer than ``DMK_EXCHANGE_TRASH_DAYS``
    (default 30): files (every version, on disk after the commit) and folders with their
    whole content. Also removes temporary uploads older than a day and abandoned resumable
    uploads older than a week. Returns the number of files deleted. Idempotent; run daily."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=int(settings.DMK_EXCHANGE_TRASH_DAYS))
    deleted = 0
    with transaction.atomic():
        folder_ids: set[int] = set()
        for folder in Folder.objects.filter(deleted_at__lt=cutoff):
            folder_ids |= _descendant_ids(folder)
        doomed = StoredFile.objects.filter(deleted_at__lt=cutoff) | StoredFile.objects.filter(
            folder_id__in=folder_ids
        )
        doomed_ids = list(doomed.values_list("pk", flat=True))
        _delete_versions(FileVersion.objects.filter(stored_file_id__in=doomed_ids))
        for stored_file in StoredFile.objects.filter(pk__in=doomed_ids).select_related("workspace"):
            log_action(
                "exchange.file.purged",
                obj=stored_file.workspace,
                data={"file": stored_file.pk, "name": stored_file.name},
            )
        deleted = (
            StoredFile.objects.filter(pk__in=doomed_ids).delete()[1].get("exchange.StoredFile", 0)
        )
        Folder.objects.filter(pk__in=folder_ids).delete()
        stale = ResumableUpload.objects.filter(
            created_at__lt=now - datetime.timedelta(days=7), stored_file__isnull=True
        )
        for upload in stale:
            files.discard(upload.partial_path)
        stale.delete()
    incoming = files.incoming_dir()
    for entry in os.scandir(incoming):
        if (
            entry.is_file()
            and entry.stat().st_mtime < (now - datetime.timedelta(days=1)).timestamp()
        ):
            files.discard(entry.path)
    return deleted


# --- resumable uploads (tus 1.0.0) --------------------------------------------------------


@transaction.atomic
def resumable_begin(
    *, actor: Any, workspace: Workspace, folder: Folder | None, filename: str, length: int
) -> ResumableUpload:
    """Start a resumable upload of ``length`` bytes (tus 1.0.0 "creation" extension): the
    name, type, size and quota are checked now, the content when the last byte arrives."""
    _require_write(actor, workspace)
    _require_same_workspace(workspace, folder)
    name = files.clean_filename(filename)
    if length <= 0:
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    if length > files.max_file_bytes():
        raise files._too_large()
    _check_quota(workspace, length)
    upload = ResumableUpload(
        workspace=workspace, folder=folder, user=actor, filename=name, length=length
    )
    upload.partial_path = os.path.join(files.incoming_dir(), f".resumable-{upload.id.hex}")
    open(upload.partial_path, "wb").close()  # create it empty
    upload.save()
    return upload


def resumable_append(
    *, actor: Any, upload: ResumableUpload, offset: int, chunks: Iterable[bytes]
) -> ResumableUpload:
    """Append ``chunks`` at ``offset`` (tus PATCH). ``offset`` must equal the bytes received so
    far (ValidationError code ``offset`` otherwise: the client asks HEAD and resumes). The
    bytes reach the disk before the new offset is stored, so a dropped connection loses at
    most the unacknowledged part. When the upload is complete it is checked and stored
    (:func:`file_upload`'s rules); on refusal the partial file is removed."""
    if upload.user_id != actor.pk:
        raise PermissionDenied(_("Dieser Upload gehört einer anderen Person."))
    _require_write(actor, upload.workspace)
    if upload.stored_file_id is not None:
        raise ValidationError(_("Dieser Upload ist bereits abgeschlossen."), code="complete")
    if offset != upload.offset:
        raise ValidationError(_("Der Upload-Stand stimmt nicht überein."), code="offset")
    written = 0
    with open(upload.partial_path, "r+b") as handle:
        handle.seek(offset)
        try:
            for chunk in chunks:
                if offset + written + len(chunk) > upload.length:
                    raise ValidationError(
                        _("Es wurden mehr Daten gesendet als angekündigt."), code="length"
                    )
                handle.write(chunk)
                written += len(chunk)
        finally:
            handle.truncate(offset + written)
            handle.flush()
            os.fsync(handle.fileno())
            ResumableUpload.objects.filter(pk=upload.pk).update(offset=offset + written)
            upload.offset = offset + written
    if upload.offset == upload.length:
        return _resumable_finish(actor=actor, upload=upload)
    return upload


def _resumable_finish(*, actor: Any, upload: ResumableUpload) -> ResumableUpload:
    import hashlib

    digest = hashlib.sha256()
    with open(upload.partial_path, "rb") as handle:
        for chunk in iter(lambda: handle.read(files.CHUNK), b""):
            digest.update(chunk)
    received = files.Received(
        path=upload.partial_path, size=upload.length, sha256=digest.hexdigest()
    )
    try:
        version = _store(
            actor=actor,
            workspace=upload.workspace,
            folder=upload.folder,
            name=upload.filename,
            received=received,
        )
    except BaseException:
        ResumableUpload.objects.filter(pk=upload.pk).delete()
        raise
    upload.stored_file = version.stored_file
    ResumableUpload.objects.filter(pk=upload.pk).update(stored_file=version.stored_file)
    return upload


def resumable_cancel(*, actor: Any, upload: ResumableUpload) -> None:
    """Drop an unfinished upload and its bytes (tus "termination" extension)."""
    if upload.user_id != actor.pk:
        raise PermissionDenied(_("Dieser Upload gehört einer anderen Person."))
    files.discard(upload.partial_path)
    upload.delete()


def workspace_grant(
    *, actor: Any, workspace: Workspace, state: Any = None, person: Any = None, role: int
) -> WorkspaceAccess:
    """Admit a Land or a person to an ad-hoc workspace with ``role`` (verwalten only)."""
    if not can_manage_workspace(actor, workspace):
        raise PermissionDenied(_("Nur wer den Bereich verwaltet, vergibt Zugänge."))
    if workspace.kind != WorkspaceKind.ADHOC:
        raise ValidationError(
            _(
                "Zugänge werden nur für Ad-hoc-Bereiche vergeben; die anderen folgen den "
                "Mitgliedschaften."
            ),
            code="kind",
        )
    access, _created = WorkspaceAccess.objects.update_or_create(
        workspace=workspace, state=state, person=person, defaults={"role": role}
    )
    _audit(
        "access.granted",
        actor=actor,
        workspace=workspace,
        state=getattr(state, "code", None),
        person=getattr(person, "pk", None),
        role=role,
    )
    return access
