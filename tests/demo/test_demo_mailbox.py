"""``manage.py load_demo_mailbox`` (issue 15): text modules and three conversations, the
demo Geschäftsstelle sees them, a second run changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dmk.access.policy import visible_conversations
from dmk.accounts.models import User
from dmk.mailbox.models import Conversation, Message, MessageKind, TextModule

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Conversation.objects.count(), Message.objects.count(), TextModule.objects.count()


def test_the_demo_mailbox_holds_a_contact_form_message_a_lands_mail_and_an_auto_reply(
    public_record, django_capture_on_commit_callbacks
):
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_mailbox", stdout=out)
    first = _counts()
    call_command("load_demo_mailbox", stdout=StringIO())

    assert _counts() == first
    subjects = list(Conversation.objects.order_by("pk").values_list("subject", flat=True))
    assert subjects == [
        "Barrierefreiheit der Beschlussdokumente",
        "Nachmeldung eines TOP zur nächsten Sitzung",
        "Abwesenheitsnotiz: Einladung zur Sitzung",
    ]
    assert "/intern/postfach/" in out.getvalue()
    land = Conversation.objects.get(subject__startswith="Nachmeldung")
    assert (land.state, land.land.code) == ("waiting", "DE-BY")
    assert land.messages.filter(kind=MessageKind.NOTE).count() == 1
    assert land.messages.filter(kind=MessageKind.OUTGOING, is_automatic=False).count() == 1
    auto = Conversation.objects.get(subject__startswith="Abwesenheitsnotiz")
    assert not auto.messages.filter(kind=MessageKind.OUTGOING).exists()
    office = User.objects.get(email="geschaeftsstelle@dmk.example")
    assert visible_conversations(office, Conversation.objects.all()).count() == 3
    member = User.objects.get(email="mitglied.by@dmk.example")
    assert visible_conversations(member, Conversation.objects.all()).count() == 0
