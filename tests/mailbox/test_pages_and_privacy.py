"""The mailbox pages and its privacy rules (issue 15 items 2, 4, 5 and 6): only the current
Geschäftsstelle of the mailbox's body sees conversations; a handover moves that access
(DOMAIN rule 10); the GDPR export, the retention job, HTML sanitising and search."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dmk.bodies.models import ChairPeriod, Membership, MembershipRole
from dmk.bodies.services import chair_period_handover
from dmk.core.models import ActivityLog
from dmk.mailbox.models import Conversation, Message, MessageKind, SendStatus, TextModule
from dmk.mailbox.services import (
    conversation_update,
    conversations_purge_expired,
    message_receive,
    note_add,
)
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
    user_with_role,
)
from tests.helpers import login_with_second_factor
from tests.mailbox.mails import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(mailbox):
    mailbox.send_acknowledgement = False
    mailbox.save()
    return message_receive(
        mailbox=mailbox, raw=mail(message_id="<p1@example.org>")
    ).message.conversation


@pytest.fixture
def office(mailbox):
    return user_with_role(MembershipRole.SECRETARIAT, first_name="Jana", last_name="Beispiel")


def _get(client, user, url):
    login_with_second_factor(client, user)
    return client.get(url)


@pytest.mark.parametrize("role", ["member", "state_staff", "guest", "permanent_guest"])
def test_a_land_user_or_a_guest_gets_404_on_a_conversation_and_403_on_the_inbox(
    client, conversation, role
):
    state = StateFactory() if role in ("member", "state_staff") else None
    user = user_with_role(role, state)
    login_with_second_factor(client, user)
    base = f"/intern/postfach/{conversation.pk}/"
    message = conversation.messages.get()

    assert client.get(base).status_code == 404
    assert client.post(base + "notiz/", {"text": "x"}).status_code == 404
    assert client.post(base + "antwort/", {"text": "x"}).status_code == 404
    assert client.post(base + "bearbeiten/", {"state": "done"}).status_code == 404
    assert client.get(f"{base}nachrichten/{message.pk}/original.eml").status_code == 404
    assert client.get("/intern/postfach/").status_code == 403
    assert not Message.objects.filter(kind=MessageKind.NOTE).exists()


def test_the_geschaeftsstelle_of_another_body_sees_nothing(client, conversation):
    other_body = BodyFactory(short_name="GMK", name="Gesundheitsministerkonferenz")
    stranger = UserFactory()
    MembershipFactory(
        person=PersonFactory(user=stranger),
        role=MembershipRole.SECRETARIAT,
        organization=OrganizationFactory(body=other_body, name="GMK Plenum"),
        chair_period=None,
        on_behalf_of=None,
    )
    login_with_second_factor(client, stranger)

    assert client.get(f"/intern/postfach/{conversation.pk}/").status_code == 404
    response = client.get("/intern/postfach/")
    assert response.status_code == 200
    assert conversation.subject not in response.content.decode()


def test_a_session_without_the_second_factor_opens_no_conversation(client, conversation, office):
    client.force_login(office)
    response = client.get(f"/intern/postfach/{conversation.pk}/")
    assert response.status_code in (302, 404)
    assert conversation.subject not in response.content.decode()


def test_the_geschaeftsstelle_sees_the_inbox_and_the_conversation(client, conversation, office):
    inbox = _get(client, office, "/intern/postfach/").content.decode()
    assert "Frage zur nächsten Sitzung" in inbox
    assert f"DMK#{conversation.number}" in inbox
    page = client.get(f"/intern/postfach/{conversation.pk}/").content.decode()
    assert "wann findet die nächste Sitzung statt?" in page
    assert "Originalnachricht herunterladen" in page


def test_the_next_chairs_geschaeftsstelle_sees_the_history_after_handover_and_the_old_one_not(
    client, conversation
):
    today = timezone.localdate()
    body = conversation.mailbox.body
    plenary = OrganizationFactory(body=body)
    old_period = ChairPeriod.objects.create(
        body=body,
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=1),
    )
    new_period = ChairPeriod.objects.create(
        body=body, start_date=today, end_date=today + datetime.timedelta(days=364)
    )
    rp, hh = (
        StateFactory(code="DE-RP", name_de="Rheinland-Pfalz"),
        StateFactory(code="DE-HH", name_de="Hamburg"),
    )
    old_user = UserFactory()
    Membership.objects.create(
        person=PersonFactory(user=old_user, state=rp),
        organization=plenary,
        role=MembershipRole.SECRETARIAT,
        chair_period=old_period,
        on_behalf_of=rp,
    )
    new_user = UserFactory()
    new_person = PersonFactory(user=new_user, state=hh)
    url = f"/intern/postfach/{conversation.pk}/"
    assert _get(client, old_user, url).status_code == 200
    assert _get(client, new_user, url).status_code == 404

    chair_period_handover(
        from_period=old_period,
        to_period=new_period,
        new_secretariat_persons=[new_person],
        actor=None,
    )

    for user in (old_user, new_user):  # fresh user objects: no cached permissions
        user.refresh_from_db()
    old_client, new_client = type(client)(), type(client)()
    assert _get(new_client, new_user, url).status_code == 200
    assert (
        "Frage zur nächsten Sitzung"
        in _get(new_client, new_user, "/intern/postfach/").content.decode()
    )
    assert _get(old_client, old_user, url).status_code == 404
    assert _get(old_client, old_user, "/intern/postfach/").status_code == 403


def test_the_inbox_needs_the_same_number_of_queries_for_one_and_three_conversations(
    client, mailbox, office
):
    mailbox.send_acknowledgement = False
    mailbox.save()

    def count() -> int:
        login_with_second_factor(client, office)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/intern/postfach/").status_code == 200
        return len(queries)

    c = message_receive(mailbox=mailbox, raw=mail(subject="Eins")).message.conversation
    conversation_update(
        conversation=c,
        actor=office,
        state="in_progress",
        assignee=office,
        meeting=None,
        paper=None,
        land=StateFactory(),
        tags=["Presse", "Termine"],
    )
    one = count()
    for subject in ("Zwei", "Drei"):
        c = message_receive(mailbox=mailbox, raw=mail(subject=subject)).message.conversation
        conversation_update(
            conversation=c,
            actor=office,
            state="waiting",
            assignee=office,
            meeting=None,
            paper=None,
            land=StateFactory(),
            tags=["Presse"],
        )
    assert count() == one


def test_assignment_state_tags_and_a_note_through_the_page(client, conversation, office):
    login_with_second_factor(client, office)
    base = f"/intern/postfach/{conversation.pk}/"

    response = client.post(
        base + "bearbeiten/",
        {"state": "waiting", "assignee": office.pk, "tags": "Presse, Sitzung ,Presse"},
    )
    assert response.status_code == 302
    response = client.post(base + "notiz/", {"text": "Rückfrage beim Vorsitz läuft."})
    assert response.status_code == 302

    conversation.refresh_from_db()
    assert (conversation.state, conversation.assignee) == ("waiting", office)
    assert sorted(t.name for t in conversation.tags.all()) == ["Presse", "Sitzung"]
    note = conversation.messages.get(kind=MessageKind.NOTE)
    assert (note.text, note.author) == ("Rückfrage beim Vorsitz läuft.", office)
    assert ActivityLog.objects.filter(action="mailbox.conversation.updated", actor=office).exists()
    mine = client.get("/intern/postfach/?meine=on&status=alle").content.decode()
    assert "Frage zur nächsten Sitzung" in mine


def test_assigning_someone_outside_the_geschaeftsstelle_is_refused_with_the_input_kept(
    client, conversation, office
):
    outsider = user_with_role(MembershipRole.MEMBER, StateFactory())
    login_with_second_factor(client, office)

    response = client.post(
        f"/intern/postfach/{conversation.pk}/bearbeiten/",
        {"state": "waiting", "assignee": outsider.pk, "tags": "Wichtig"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Auswahl ist ungültig" in page or "gültige Auswahl" in page
    assert 'value="Wichtig"' in page
    conversation.refresh_from_db()
    assert (conversation.state, conversation.assignee) == ("new", None)


def test_an_empty_note_is_refused_with_a_german_message(client, conversation, office):
    login_with_second_factor(client, office)
    response = client.post(f"/intern/postfach/{conversation.pk}/notiz/", {"text": ""})
    assert response.status_code == 400
    assert "Bitte füllen Sie dieses Feld aus." in response.content.decode()


def test_a_text_module_is_inserted_and_the_reply_is_sent(
    client, conversation, office, mailoutbox, django_capture_on_commit_callbacks
):
    module = TextModule.objects.create(
        mailbox=conversation.mailbox, title="Termin", text="Guten Tag {name},\nzu {vorgang}: März."
    )
    login_with_second_factor(client, office)
    url = f"/intern/postfach/{conversation.pk}/antwort/"

    page = client.post(url, {"aktion": "einfuegen", "text_module": module.pk, "text": ""})
    assert page.status_code == 200
    assert f"Guten Tag Erika Bürger,\nzu {conversation.ticket}: März." in page.content.decode()
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"aktion": "senden", "text": "Guten Tag,\nim März."})
    assert response.status_code == 302
    reply = conversation.messages.get(kind=MessageKind.OUTGOING)
    assert reply.send_status == SendStatus.SENT
    assert [m.subject for m in mailoutbox] == [
        f"Re: Frage zur nächsten Sitzung {conversation.ticket}"
    ]
    assert "gesendet" in client.get(f"/intern/postfach/{conversation.pk}/").content.decode()


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_sent(
    client, conversation, office, mailoutbox
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login_with_second_factor(client, office)
    response = client.post(
        f"/intern/postfach/{conversation.pk}/antwort/",
        {
            "aktion": "senden",
            "text": "Anbei die Unterlagen.",
            "upload": SimpleUploadedFile("bild.pdf", b"GIF89a", content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "passt nicht zur Endung" in page
    assert "Anbei die Unterlagen." in page
    assert not conversation.messages.filter(kind=MessageKind.OUTGOING).exists()


def test_html_mail_is_sanitised_and_remote_images_are_blocked(client, mailbox, office):
    raw = mail(
        subject="HTML",
        text="",
        html='<p onclick="x()">Hallo <b>Welt</b></p><script>alert(1)</script>'
        '<img src="https://tracker.example/p.gif"><a href="javascript:alert(2)">Link</a>',
    )
    message = message_receive(mailbox=mailbox, raw=raw).message
    message.text = ""
    message.save()
    page = _get(client, office, f"/intern/postfach/{message.conversation_id}/").content.decode()
    assert "Hallo <b>Welt</b>" in page
    assert "<script>alert(1)" not in page
    assert "tracker.example" not in page
    assert "javascript:alert" not in page
    assert "onclick" not in page
    assert "Externe Bilder wurden zu Ihrem Schutz nicht geladen." in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Sitzung", True),
        ("[DMK#2026-0001]", True),
        ("' OR 1=1 --", False),
        ("%", False),
        ("_", False),
        (".*", False),
        ("\\", False),
    ],
)
def test_search_treats_the_input_as_text(client, conversation, office, query, found):
    from urllib.parse import urlencode

    query = query.replace("2026-0001", conversation.number)
    response = _get(
        client, office, "/intern/postfach/?" + urlencode({"suche": query, "status": "alle"})
    )
    assert response.status_code == 200
    assert ("Frage zur nächsten Sitzung" in response.content.decode()) is found


def test_search_finds_text_inside_a_message(client, conversation, office):
    page = _get(client, office, "/intern/postfach/?suche=wann+findet").content.decode()
    assert "Frage zur nächsten Sitzung" in page
    page = client.get("/intern/postfach/?suche=gibt-es-nicht").content.decode()
    assert "Keine Vorgänge." in page


def test_the_contact_form_opens_a_conversation(
    mailbox, settings, django_capture_on_commit_callbacks
):
    from dmk.website.services import store_contact_message

    settings.DMK_BODY_SHORT_NAME = mailbox.body.short_name
    with django_capture_on_commit_callbacks(execute=True):
        stored = store_contact_message(
            name="Max Muster",
            email="max@example.org",
            subject="Barriere melden",
            message="Der Kontrast ist zu gering.",
            language="de",
            ip_address="127.0.0.1",
        )
        store_contact_message(  # a double click: stored once, one conversation
            name="Max Muster",
            email="max@example.org",
            subject="Barriere melden",
            message="Der Kontrast ist zu gering.",
            language="de",
            ip_address="127.0.0.1",
        )

    conversation = Conversation.objects.get()
    assert (conversation.subject, conversation.contact_email) == (
        "Barriere melden",
        "max@example.org",
    )
    assert conversation.messages.get().message_id == f"<kontakt-{stored.pk}@dmk.example>"


def test_my_data_export_contains_the_persons_conversations(client, mailbox, office):
    citizen = user_with_role(MembershipRole.STATE_STAFF, StateFactory(), email="erika@example.org")
    mailbox.send_acknowledgement = False
    mailbox.save()
    conversation = message_receive(mailbox=mailbox, raw=mail()).message.conversation
    note_add(conversation=conversation, actor=office, text="intern: bitte an Referat 3")
    message_receive(mailbox=mailbox, raw=mail(sender="other@example.net", subject="Fremd"))

    data = json.loads(_get(client, citizen, "/intern/meine-daten/").content.decode())

    [exported] = data["conversations"]
    assert exported["ticket"] == conversation.ticket
    assert [m["direction"] for m in exported["messages"]] == ["incoming"]
    assert "wann findet die nächste Sitzung statt?" in exported["messages"][0]["text"]
    assert "intern: bitte" not in json.dumps(data)


def test_closed_conversations_are_deleted_after_the_bodys_retention_period(mailbox, office):
    mailbox.send_acknowledgement = False
    mailbox.retention_days = 730
    mailbox.save()
    old, recent, _open = (
        message_receive(mailbox=mailbox, raw=mail(subject=s)).message.conversation
        for s in ("Alt", "Neu", "Offen")
    )
    for c in (old, recent):
        conversation_update(
            conversation=c,
            actor=office,
            state="done",
            assignee=None,
            meeting=None,
            paper=None,
            land=None,
            tags=[],
        )
    Conversation.objects.filter(pk=old.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=731)
    )
    Conversation.objects.filter(pk=recent.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=729)
    )

    assert conversations_purge_expired() == 1

    assert set(Conversation.objects.values_list("subject", flat=True)) == {"Neu", "Offen"}
    assert not Message.objects.filter(conversation_id=old.pk).exists()
    assert ActivityLog.objects.get(action="mailbox.conversations.purged").data == {
        "numbers": [old.number]
    }
