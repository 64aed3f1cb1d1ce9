"""Reads of the data exchange platform (issue 14), each narrowed by the viewer's rights in
``dmk.access.policy`` (DOMAIN rule 11). A workspace a user may not open is ``None`` here, so
views answer 404 and never reveal that it exists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet

from dmk.access.policy import can_open_workspace, visible_workspaces
from dmk.core.models import ActivityLog
from dmk.exchange.models import FileVersion, Folder, JointStatement, StoredFile, Workspace


def workspace_list(*, user: Any) -> QuerySet[Workspace]:
    """The workspaces ``user`` may open, by body, kind and name."""
    return visible_workspaces(
        user, Workspace.objects.select_related("body", "meeting", "organization")
    ).order_by("body__short_name", "kind", "name")


def workspace_for(*, user: Any, slug: str) -> Workspace | None:
    workspace = (
        Workspace.objects.select_related("body", "meeting__organization", "organization")
        .filter(slug=slug)
        .first()
    )
    if workspace is None or not can_open_workspace(user, workspace):
        return None
    return workspace


def folder_in(workspace: Workspace, folder_id: int | None) -> Folder | None:
    """Folder ``folder_id`` of ``workspace`` if it exists and is not in the trash."""
    if folder_id is None:
        return None
    return Folder.objects.filter(pk=folder_id, workspace=workspace, deleted_at__isnull=True).first()


def breadcrumbs(folder: Folder | None) -> list[Folder]:
    """The folders from the top level down to ``folder`` (one query per level)."""
    trail: list[Folder] = []
    while folder is not None:
        trail.append(folder)
        folder = folder.parent
    return list(reversed(trail))


#: Files shown per page of a folder listing.
FILES_PER_PAGE = 100


@dataclass
class Listing:
    folders: list[Folder]
    files: Page


def listing(workspace: Workspace, folder: Folder | None, *, page: object = 1) -> Listing:
    """The folders and one page of the files (:data:`FILES_PER_PAGE`, by name) directly in
    ``folder`` (None: top level), not in the trash. ``page`` is the page number as given in
    the URL; a wrong or too high one gives the first or last page. Three queries whatever the
    number of entries (issue 14: 5,000 files, constant queries)."""
    folders = list(
        Folder.objects.filter(workspace=workspace, parent=folder, deleted_at__isnull=True).order_by(
            "name"
        )
    )
    files = StoredFile.objects.filter(
        workspace=workspace, folder=folder, deleted_at__isnull=True
    ).order_by("name", "pk")
    return Listing(folders=folders, files=Paginator(files, FILES_PER_PAGE).get_page(page))


def file_in(workspace: Workspace, file_id: int, *, trashed: bool = False) -> StoredFile | None:
    qs = StoredFile.objects.filter(pk=file_id, workspace=workspace).select_related("folder")
    qs = qs.filter(deleted_at__isnull=not trashed) if not trashed else qs
    stored_file = qs.first()
    if stored_file is None:
        return None
    if not trashed and stored_file.folder is not None and _in_trashed_folder(stored_file.folder):
        return None
    return stored_file


def _in_trashed_folder(folder: Folder) -> bool:
    while folder is not None:
        if folder.deleted_at is not None:
            return True
        folder = folder.parent
    return False


def versions_of(stored_file: StoredFile) -> QuerySet[FileVersion]:
    return stored_file.versions.select_related("uploaded_by").order_by("-number")


def trash_of(workspace: Workspace) -> tuple[list[Folder], list[StoredFile]]:
    """What lies in ``workspace``'s trash: trashed folders and trashed files, newest first."""
    folders = list(
        Folder.objects.filter(workspace=workspace, deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )
    files = list(
        StoredFile.objects.filter(workspace=workspace, deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )
    return folders, files


def workspace_activity(workspace: Workspace, *, limit: int = 200) -> list[ActivityLog]:
    """The newest ``limit`` audit entries about ``workspace`` (uploads, changes, downloads,
    deletions; issue 14 item 4), each with ``label``: the file, folder or statement named."""
    entries = list(
        ActivityLog.objects.filter(
            object_type="exchange.workspace", object_id=str(workspace.pk)
        ).select_related("actor")[:limit]
    )
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        entry.label = data.get("name") or data.get("title") or "–"
        entry.version = data.get("version")
    return entries


def zip_entries(workspace: Workspace, folder: Folder | None) -> list[tuple[str, FileVersion]]:
    """``(path inside the ZIP, current version)`` for every file in ``folder`` and below (None:
    the whole workspace), not in the trash; paths use the folder names. Two queries."""
    folders = {f.pk: f for f in Folder.objects.filter(workspace=workspace, deleted_at__isnull=True)}

    def path_of(folder_id: int | None) -> str | None:
        parts: list[str] = []
        while folder_id is not None:
            if folder is not None and folder_id == folder.pk:
                return "/".join(reversed(parts))
            node = folders.get(folder_id)
            if node is None:  # in the trash (or below a trashed folder)
                return None
            parts.append(node.name)
            folder_id = node.parent_id
        return None if folder is not None else "/".join(reversed(parts))

    entries = []
    current = FileVersion.objects.filter(
        stored_file__workspace=workspace,
        stored_file__deleted_at__isnull=True,
        number=F("stored_file__current_version"),
    ).select_related("stored_file")
    for version in current:
        prefix = path_of(version.stored_file.folder_id)
        if prefix is None:
            continue
        entries.append(
            (
                f"{prefix}/{version.stored_file.name}" if prefix else version.stored_file.name,
                version,
            )
        )
    return sorted(entries, key=lambda e: e[0])


def statements_of(workspace: Workspace) -> QuerySet[JointStatement]:
    return workspace.statements.select_related("author_state").prefetch_related(
        "participations__state"
    )
