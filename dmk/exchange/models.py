"""The data exchange platform (Datenaustauschplattform, seed §2.4; issue 14).

A :class:`Workspace` belongs to a body and is one of four kinds: the body's own (all Länder),
a working body's (its members), a meeting's (its participants and invited guests, read-only
after the meeting) or an ad-hoc one the Geschäftsstelle opens for named Länder or people
(:class:`WorkspaceAccess`). Who may read, write or manage a workspace is decided in
``dmk.access.policy.workspace_role`` (DOMAIN rule 11), never here.

Files (:class:`StoredFile`, DOMAIN glossary; OParl ``File``) live in nested :class:`Folder`\\ s
and keep every version (:class:`FileVersion`); a deleted file or folder goes to the trash
(``deleted_at``) and is purged after ``DMK_EXCHANGE_TRASH_DAYS``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import Body, Organization, Person, State
from dmk.meetings.models import Meeting


class WorkspaceKind(models.TextChoices):
    BODY = "body", _("Konferenz (alle Länder)")
    ORGANIZATION = "organization", _("Arbeitsgremium")
    MEETING = "meeting", _("Sitzung")
    ADHOC = "adhoc", _("Ad-hoc-Bereich")


class WorkspaceRole(models.IntegerChoices):
    """What a user may do in a workspace; each role includes the ones below it."""

    READ = 1, _("lesen")
    WRITE = 2, _("schreiben")
    MANAGE = 3, _("verwalten")


def default_quota() -> int:
    """The quota of a new workspace in bytes (setting ``DMK_EXCHANGE_QUOTA_BYTES``, 5 GB)."""
    return int(settings.DMK_EXCHANGE_QUOTA_BYTES)


class Workspace(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="workspaces")
    kind = models.CharField(_("Art"), max_length=20, choices=WorkspaceKind.choices)
    organization = models.OneToOneField(
        Organization,
        verbose_name=_("Arbeitsgremium"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workspace",
    )
    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("Sitzung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workspace",
    )
    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=120, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    quota_bytes = models.PositiveBigIntegerField(
        _("Speicherkontingent (Bytes)"), default=default_quota
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Austauschbereich")
        verbose_name_plural = _("Austauschbereiche")
        ordering = ["body", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["body"], condition=Q(kind="body"), name="workspace_one_per_body"
            ),
            models.CheckConstraint(
                condition=(Q(kind="organization") & Q(organization__isnull=False))
                | (~Q(kind="organization") & Q(organization__isnull=True)),
                name="workspace_organization_iff_kind",
            ),
            models.CheckConstraint(
                condition=(Q(kind="meeting") & Q(meeting__isnull=False))
                | (~Q(kind="meeting") & Q(meeting__isnull=True)),
                name="workspace_meeting_iff_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:exchange_workspace", kwargs={"workspace": self.slug})


class WorkspaceAccess(models.Model):
    """A named Land or person admitted to an ad-hoc workspace with a role (issue 14 item 1)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="access")
    state = models.ForeignKey(
        State,
        verbose_name=_("Land"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("Person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workspace_access",
    )
    role = models.PositiveSmallIntegerField(
        _("Rolle"), choices=WorkspaceRole.choices, default=WorkspaceRole.WRITE
    )

    class Meta:
        verbose_name = _("Zugang zum Austauschbereich")
        verbose_name_plural = _("Zugänge zu Austauschbereichen")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__isnull=True) ^ Q(person__isnull=True),
                name="workspaceaccess_state_xor_person",
            ),
            models.UniqueConstraint(
                fields=["workspace", "state"],
                condition=Q(state__isnull=False),
                name="workspaceaccess_unique_state",
            ),
            models.UniqueConstraint(
                fields=["workspace", "person"],
                condition=Q(person__isnull=False),
                name="workspaceaccess_unique_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workspace}: {self.state or self.person} ({self.get_role_display()})"


class Folder(models.Model):
    """A folder of a workspace; ``parent`` None is a top-level folder."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="folders")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("Name"), max_length=200)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(_("gelöscht am"), null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Ordner")
        verbose_name_plural = _("Ordner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StoredFile(models.Model):
    """A file of a workspace (DOMAIN glossary ``StoredFile``); its content is the newest
    :class:`FileVersion`. ``size`` and ``current_version`` are kept in step by the services so
    that a folder listing needs no aggregate per row."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="files")
    folder = models.ForeignKey(
        Folder, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=120)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"), default=0)
    current_version = models.PositiveIntegerField(_("aktuelle Version"), default=0)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    modified_at = models.DateTimeField(_("geändert am"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(_("gelöscht am"), null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Datei")
        verbose_name_plural = _("Dateien")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["workspace", "folder", "name"])]

    def __str__(self) -> str:
        return self.name


class FileVersion(models.Model):
    """One stored version of a :class:`StoredFile`; versions are never changed, only added
    (restoring an old one adds a new version with its content)."""

    stored_file = models.ForeignKey(StoredFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Version"))
    file = models.FileField(_("Datei"), max_length=300)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("Dateityp"), max_length=120)
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restored_from = models.PositiveIntegerField(
        _("wiederhergestellt aus Version"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("Dateiversion")
        verbose_name_plural = _("Dateiversionen")
        ordering = ["stored_file", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["stored_file", "number"], name="fileversion_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stored_file} (v{self.number})"


class ResumableUpload(models.Model):
    """An upload in progress over the tus 1.0.0 protocol (issue 14 item 2): the bytes received
    so far sit in ``partial_path`` (outside the media tree); only a complete, checked upload
    becomes a :class:`StoredFile` or version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    folder = models.ForeignKey(
        Folder, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    partial_path = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    stored_file = models.ForeignKey(
        StoredFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("laufender Upload")
        verbose_name_plural = _("laufende Uploads")

    def __str__(self) -> str:
        return f"{self.filename} ({self.offset}/{self.length})"


class StatementState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    OPEN = "open", _("zum Beitritt offen")
    CLOSED = "closed", _("abgeschlossen")


class JointStatement(models.Model):
    """A joint statement (gemeinsame Stellungnahme, issue 14 item 5): drafted in a workspace
    by a Land or the Geschäftsstelle; once opened its text is frozen and the invited Länder
    join, decline or join with a note until ``deadline`` (a Europe/Berlin calendar date, the
    whole day counts)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="statements")
    title = models.CharField(_("Titel"), max_length=300)
    text = models.TextField(_("Text"))
    author_state = models.ForeignKey(
        State,
        verbose_name=_("federführendes Land"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("Stand"), max_length=20, choices=StatementState.choices, default=StatementState.DRAFT
    )
    deadline = models.DateField(_("Beitritt bis"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    opened_at = models.DateTimeField(_("geöffnet am"), null=True, blank=True)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("gemeinsame Stellungnahme")
        verbose_name_plural = _("gemeinsame Stellungnahmen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class StatementAnswer(models.TextChoices):
    PENDING = "pending", _("offen")
    JOINED = "joined", _("beigetreten")
    JOINED_WITH_NOTE = "joined_with_note", _("beigetreten mit Anmerkung")
    DECLINED = "declined", _("nicht beigetreten")


class StatementParticipation(models.Model):
    """A Land invited to join a :class:`JointStatement`, and its answer."""

    statement = models.ForeignKey(
        JointStatement, on_delete=models.CASCADE, related_name="participations"
    )
    state = models.ForeignKey(
        State, verbose_name=_("Land"), on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(
        _("Antwort"),
        max_length=20,
        choices=StatementAnswer.choices,
        default=StatementAnswer.PENDING,
    )
    note = models.TextField(_("Anmerkung"), blank=True)
    answered_at = models.DateTimeField(_("geantwortet am"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Beitritt")
        verbose_name_plural = _("Beitritte")
        ordering = ["statement", "state__name_de"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "state"], name="statementparticipation_one_per_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement}: {self.state} ({self.get_answer_display()})"

    @property
    def joined(self) -> bool:
        return self.answer in (StatementAnswer.JOINED, StatementAnswer.JOINED_WITH_NOTE)
