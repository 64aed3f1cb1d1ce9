"""Demo content of the data exchange platform (issue 14 item 7): the conference's workspace
with a few folders and files (one with two versions), the working group's workspace, and an
open joint statement that two Länder have joined. Everything is created through the
services, as users would; idempotent (nothing happens when the conference's workspace
already holds files). Run after ``load_demo``; the texts are fictional and say so.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dmk.accounts.models import User
from dmk.bodies.models import Body, Organization, State
from dmk.demo.organisation import WORKING_GROUP
from dmk.exchange import services, statements
from dmk.exchange.models import JointStatement, StatementAnswer, Workspace


class DemoExchangeError(Exception):
    """The demo organisation (``load_demo``) is missing."""


@dataclass
class DemoExchangeResult:
    body_workspace: Workspace
    group_workspace: Workspace
    statement: JointStatement
    created: bool


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    """A small tagged PDF (PDF/UA-1) with ``title`` and ``paragraphs``, marked as demo text."""
    from django.utils.html import escape
    from weasyprint import HTML

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title></head><body><h1>{escape(title)}</h1>{body}"
        "<p><em>Fiktiver Demo-Inhalt der DMK-Plattform.</em></p></body></html>"
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Umfrage"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _user(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        raise DemoExchangeError(f"Demo-Zugang {email} fehlt: bitte zuerst load_demo ausführen.")
    return user


@transaction.atomic
def load_demo_exchange(*, today: datetime.date | None = None) -> DemoExchangeResult:
    """Create the demo workspaces, files and joint statement (see the module docstring)."""
    today = today or timezone.localdate()
    body = Body.objects.filter(short_name="DMK").first()
    group = Organization.objects.filter(name=WORKING_GROUP).first()
    if body is None or group is None:
        raise DemoExchangeError("Die Demo-Organisation fehlt: bitte zuerst load_demo ausführen.")
    office = _user("geschaeftsstelle@dmk.example")
    bavaria_user = _user("mitglied.by@dmk.example")
    nrw_user = _user("mitglied.nw@dmk.example")
    referent = _user("referent.by@dmk.example")
    services.workspaces_ensure()
    body_ws = services.workspace_for_body(body=body)
    group_ws = services.workspace_for_organization(organization=group)
    existing = body_ws.statements.first()
    if body_ws.files.exists() and existing is not None:
        return DemoExchangeResult(body_ws, group_ws, existing, created=False)

    meetings = services.folder_create(
        actor=office, workspace=body_ws, name="Sitzungsunterlagen 2026"
    )
    surveys = services.folder_create(actor=office, workspace=body_ws, name="Länderumfragen")
    services.folder_create(actor=office, workspace=body_ws, name="Vorlagen und Muster")
    services.file_upload(
        actor=office,
        workspace=body_ws,
        folder=meetings,
        name="Zeitplan der Vorsitzperiode 2026 (Demo).pdf",
        stream=[
            _pdf(
                "Zeitplan der Vorsitzperiode 2026",
                [
                    "Frühjahrssitzung, Herbstsitzung und eine Sondersitzung per Videokonferenz.",
                    "Fristen: Einladung sechs Wochen, Anmeldung von TOPs vier Wochen, Vorlagen "
                    "zwei Wochen vor der Sitzung.",
                ],
            )
        ],
    )
    survey_name = "Umfrage Registermodernisierung – Stand der Länder (Demo).xlsx"
    header = ["Land", "Stand", "Ansprechperson"]
    services.file_upload(
        actor=referent,
        workspace=body_ws,
        folder=surveys,
        name=survey_name,
        stream=[_xlsx([header, ["Bayern", "Pilotbetrieb", "Referat Digitales"]])],
    )
    services.file_upload(
        actor=nrw_user,
        workspace=body_ws,
        folder=surveys,
        name=survey_name,
        stream=[
            _xlsx(
                [
                    header,
                    ["Bayern", "Pilotbetrieb", "Referat Digitales"],
                    ["Nordrhein-Westfalen", "Ausschreibung", "Stabsstelle Register"],
                ]
            )
        ],
    )
    services.file_upload(
        actor=referent,
        workspace=group_ws,
        folder=services.folder_create(actor=referent, workspace=group_ws, name="Arbeitsstand"),
        name="Eckpunkte Digitale Souveränität – Entwurf (Demo).pdf",
        stream=[
            _pdf(
                "Eckpunkte Digitale Souveränität",
                [
                    "Offene Standards und Open Source als Regelfall für neue Fachverfahren.",
                    "Gemeinsame Beschaffung souveräner Cloud-Dienste der Länder.",
                ],
            )
        ],
    )

    bavaria = State.objects.get(code="DE-BY")
    statement = statements.statement_create(
        actor=bavaria_user,
        workspace=body_ws,
        title="Gemeinsame Stellungnahme zur Registermodernisierung (Demo)",
        text=(
            "Die unterzeichnenden Länder begrüßen die Beschleunigung der Registermodernisierung "
            "und bitten den Bund, die Anschlussfinanzierung der Länderregister frühzeitig zu "
            "klären.\n\nFiktiver Demo-Text der DMK-Plattform."
        ),
        author_state=bavaria,
    )
    invited = State.objects.filter(code__in=["DE-NW", "DE-HH", "DE-SN", "DE-SH"])
    statements.statement_open(
        actor=bavaria_user,
        statement=statement,
        states=list(invited),
        deadline=today + datetime.timedelta(days=10),
        today=today,
    )
    statements.statement_answer(
        actor=nrw_user,
        statement=statement,
        state=State.objects.get(code="DE-NW"),
        answer=StatementAnswer.JOINED,
        today=today,
    )
    return DemoExchangeResult(body_ws, group_ws, statement, created=True)
