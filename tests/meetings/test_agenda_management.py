"""Agenda management by the Geschäftsstelle (issue 5 items 2 and 8): adding, changing,
moving and removing TOPs through ``dmk.meetings.services``, with DOMAIN rules 3, 5 and 9
holding on every change and every write audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from dmk.bodies.models import MembershipRole, Organization
from dmk.core.models import ActivityLog
from dmk.meetings import services
from dmk.meetings.forms import AgendaItemForm
from dmk.meetings.models import AgendaItem, GuestInvitation
from dmk.papers.models import Consultation
from dmk.voting.models import Ballot, RuleChoice
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PaperFactory,
    PersonFactory,
    StateFactory,
    user_with_role,
)
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return secretariat_user()


@pytest.fixture
def meeting():
    return MeetingFactory()


def _add(actor, meeting, number, title="Punkt", **kwargs):
    return services.agenda_item_add(
        actor=actor, meeting=meeting, number=number, title=title, **kwargs
    )


def _update(actor, item, **changes):
    values = {
        "title": item.title,
        "kind": item.kind,
        "number": item.number,
        "public": item.public,
        "in_parliamentary_procedure": item.in_parliamentary_procedure,
        "touches_it_planungsrat": item.touches_it_planungsrat,
        "institutional": item.institutional,
    }
    values.update(changes)
    return services.agenda_item_update(actor=actor, item=item, **values)


def test_a_duplicate_top_number_in_the_same_meeting_is_refused_and_nothing_stored(
    secretariat, meeting
):
    _add(secretariat, meeting, "3.1")
    with pytest.raises(ValidationError) as excinfo:
        _add(secretariat, meeting, "3.1", title="Zweiter")
    assert excinfo.value.message_dict == {
        "number": ["Die Nummer „3.1“ ist in dieser Sitzung bereits vergeben."]
    }
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Punkt"]


def test_the_same_number_in_another_meeting_is_fine(secretariat, meeting):
    _add(secretariat, meeting, "1")
    other = _add(secretariat, MeetingFactory(), "1")
    assert other.number == "1"


def test_an_item_is_added_with_topics_and_lead_note(secretariat, meeting):
    from dmk.bodies.models import Topic

    topic = Topic.objects.create(name_de="Datengovernance", name_en="Data governance")
    bavaria = StateFactory(code="DE-BY", name_de="Bayern")
    item = _add(
        secretariat,
        meeting,
        "2",
        lead_states=[bavaria],
        lead_note="federführend: Bayern",
        topics=[topic],
    )
    assert list(item.topics.all()) == [topic]
    assert list(item.lead_states.all()) == [bavaria]
    assert item.lead_note == "federführend: Bayern"


def test_update_changes_the_fields_and_audits_the_changed_names(secretariat, meeting):
    item = _add(secretariat, meeting, "1", title="Alt")
    saxony = StateFactory(code="DE-SN", name_de="Sachsen")

    _update(secretariat, item, title="Neu", number="1.1", lead_states=[saxony])

    item.refresh_from_db()
    assert (item.title, item.number) == ("Neu", "1.1")
    assert list(item.lead_states.all()) == [saxony]
    entry = ActivityLog.objects.get(action="meetings.agendaitem.updated")
    assert entry.data == {
        "meeting": meeting.pk,
        "number": "1.1",
        "changed": ["number", "title", "lead_states"],
    }


def test_update_keeps_rule_5_no_decision_item_in_parliamentary_procedure(secretariat, meeting):
    item = _add(secretariat, meeting, "1", kind="decision")
    with pytest.raises(ValidationError) as excinfo:
        _update(secretariat, item, in_parliamentary_procedure=True)
    assert excinfo.value.message_dict == {
        "kind": [
            "Ein Tagesordnungspunkt im parlamentarischen Verfahren kann nur beraten, nicht "
            "inhaltlich beschlossen werden (Regel 5)."
        ]
    }
    item.refresh_from_db()
    assert item.in_parliamentary_procedure is False


def test_update_refuses_an_empty_title_and_a_number_taken_by_another_item(secretariat, meeting):
    _add(secretariat, meeting, "1")
    item = _add(secretariat, meeting, "2", title="Zwei")
    with pytest.raises(ValidationError) as excinfo:
        _update(secretariat, item, title="  ", number="1")
    assert excinfo.value.message_dict == {
        "title": ["Bitte geben Sie einen Titel an."],
        "number": ["Die Nummer „1“ ist in dieser Sitzung bereits vergeben."],
    }
    item.refresh_from_db()
    assert (item.title, item.number) == ("Zwei", "2")


def test_rule_9_switching_the_it_planungsrat_flag_on_invites_its_contact(secretariat, meeting):
    it_plr = OrganizationFactory(name="IT-Planungsrat", kind=Organization.Kind.IT_PLANUNGSRAT)
    contact = PersonFactory(user=None, given_name="Iris", family_name="Kontakt")
    MembershipFactory(
        person=contact, organization=it_plr, role=MembershipRole.GUEST, on_behalf_of=None
    )
    item = _add(secretariat, meeting, "1", kind="exchange")
    assert not GuestInvitation.objects.filter(meeting=meeting).exists()

    _update(secretariat, item, touches_it_planungsrat=True)

    invitation = GuestInvitation.objects.get(meeting=meeting, person=contact)
    assert list(invitation.agenda_items.all()) == [item]


def test_rule_3_and_5_flags_are_frozen_once_a_ballot_exists(secretariat, meeting):
    item = _add(secretariat, meeting, "1")
    Ballot.objects.create(
        agenda_item=item, rule=RuleChoice.TWO_THIRDS_OF_MEMBERS, opened_at=timezone.now()
    )
    with pytest.raises(ValidationError) as excinfo:
        _update(secretariat, item, institutional=True)
    assert excinfo.value.messages == [
        "Zu diesem Tagesordnungspunkt gibt es bereits eine Abstimmung oder einen Beschluss; "
        "Art und Kennzeichen nach den Regeln 3 und 5 können nicht mehr geändert werden."
    ]
    item.refresh_from_db()
    assert item.institutional is False
    # the title may still be corrected
    _update(secretariat, item, title="Berichtigt")
    item.refresh_from_db()
    assert item.title == "Berichtigt"


def test_move_swaps_with_the_neighbour_and_is_audited(secretariat, meeting):
    first = _add(secretariat, meeting, "1", title="Erster")
    second = _add(secretariat, meeting, "2", title="Zweiter")

    services.agenda_item_move(actor=secretariat, item=second, direction="up")

    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == [
        "Zweiter",
        "Erster",
    ]
    entry = ActivityLog.objects.get(action="meetings.agendaitem.moved")
    assert entry.data == {"meeting": meeting.pk, "from": second.order, "to": first.order}


def test_moving_the_first_item_up_is_refused_in_german(secretariat, meeting):
    first = _add(secretariat, meeting, "1")
    _add(secretariat, meeting, "2")
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_move(actor=secretariat, item=first, direction="up")
    assert excinfo.value.messages == ["Der Tagesordnungspunkt steht bereits an erster Stelle."]


def test_remove_keeps_the_papers_submitted_and_drops_single_item_guest_invitations(
    secretariat, meeting
):
    """DOMAIN rule 11: a guest invited to this item alone must not end up invited to the
    whole meeting (an empty item list means the whole meeting)."""
    keep = _add(secretariat, meeting, "1")
    item = _add(secretariat, meeting, "2")
    paper = PaperFactory()
    consultation = Consultation.objects.create(paper=paper, meeting=meeting, agenda_item=item)
    only_here = services.guest_invite(
        actor=secretariat, meeting=meeting, person=PersonFactory(), agenda_items=[item]
    )
    both = services.guest_invite(
        actor=secretariat, meeting=meeting, person=PersonFactory(), agenda_items=[keep, item]
    )

    services.agenda_item_remove(actor=secretariat, item=item)

    assert list(meeting.agenda_items.all()) == [keep]
    consultation.refresh_from_db()
    assert (consultation.meeting, consultation.agenda_item) == (meeting, None)
    assert not GuestInvitation.objects.filter(pk=only_here.pk).exists()
    assert list(GuestInvitation.objects.get(pk=both.pk).agenda_items.all()) == [keep]
    entry = ActivityLog.objects.get(action="meetings.agendaitem.removed")
    assert entry.data == {
        "meeting": meeting.pk,
        "number": "2",
        "title": "Punkt",
        "guest_invitations_removed": [only_here.pk],
    }


def test_an_item_with_a_ballot_cannot_be_removed(secretariat, meeting):
    item = _add(secretariat, meeting, "1")
    Ballot.objects.create(
        agenda_item=item, rule=RuleChoice.TWO_THIRDS_OF_MEMBERS, opened_at=timezone.now()
    )
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_remove(actor=secretariat, item=item)
    assert excinfo.value.messages == [
        "Zu diesem Tagesordnungspunkt gibt es bereits eine Abstimmung oder einen Beschluss; "
        "er kann nicht entfernt werden."
    ]
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert not ActivityLog.objects.filter(action="meetings.agendaitem.removed").exists()


def test_the_agenda_of_a_held_meeting_cannot_change(secretariat):
    meeting = MeetingFactory(state="held")
    item = AgendaItem.objects.create(meeting=meeting, order=1, number="1", title="Alt")
    message = ["Die Tagesordnung dieser Sitzung kann nicht mehr geändert werden."]
    for call in (
        lambda: _update(secretariat, item, title="Neu"),
        lambda: services.agenda_item_move(actor=secretariat, item=item, direction="down"),
        lambda: services.agenda_item_remove(actor=secretariat, item=item),
    ):
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert excinfo.value.messages == message
    item.refresh_from_db()
    assert item.title == "Alt"


def test_only_the_geschaeftsstelle_manages_the_agenda(meeting, secretariat):
    item = _add(secretariat, meeting, "1")
    member = user_with_role(MembershipRole.MEMBER, StateFactory())
    for call in (
        lambda: _add(member, meeting, "2"),
        lambda: _update(member, item, title="Gekapert"),
        lambda: services.agenda_item_move(actor=member, item=item, direction="down"),
        lambda: services.agenda_item_remove(actor=member, item=item),
    ):
        with pytest.raises(PermissionDenied):
            call()
    item.refresh_from_db()
    assert item.title == "Punkt"


# --- co-sponsoring Länder (issue 5 item 2: "lead Land and co-sponsor Länder") -----------------

BOTH_ROLES = "Ein Land kann nicht zugleich federführend und Mitantragsteller sein: Bayern."


def test_an_item_has_lead_and_co_sponsor_laender_and_a_change_is_audited(secretariat, meeting):
    bavaria = StateFactory(code="DE-BY", name_de="Bayern")
    hesse = StateFactory(code="DE-HE", name_de="Hessen")
    berlin = StateFactory(code="DE-BE", name_de="Berlin")
    item = _add(secretariat, meeting, "1", lead_states=[bavaria], co_sponsor_states=[hesse])
    assert list(item.lead_states.all()) == [bavaria]
    assert list(item.co_sponsor_states.all()) == [hesse]

    _update(secretariat, item, lead_states=[bavaria], co_sponsor_states=[hesse, berlin])

    assert set(item.co_sponsor_states.values_list("code", flat=True)) == {"DE-HE", "DE-BE"}
    assert list(item.lead_states.all()) == [bavaria]
    entry = ActivityLog.objects.get(action="meetings.agendaitem.updated")
    assert entry.data["changed"] == ["co_sponsor_states"]


def test_a_land_cannot_be_lead_and_co_sponsor_of_the_same_item(secretariat, meeting):
    bavaria = StateFactory(code="DE-BY", name_de="Bayern")
    hesse = StateFactory(code="DE-HE", name_de="Hessen")
    with pytest.raises(ValidationError) as excinfo:
        _add(secretariat, meeting, "1", lead_states=[bavaria], co_sponsor_states=[hesse, bavaria])
    assert excinfo.value.message_dict == {"co_sponsor_states": [BOTH_ROLES]}
    assert not meeting.agenda_items.exists()

    item = _add(secretariat, meeting, "1", title="Alt", lead_states=[bavaria])
    with pytest.raises(ValidationError) as excinfo:
        _update(secretariat, item, title="Neu", lead_states=[bavaria], co_sponsor_states=[bavaria])
    assert excinfo.value.message_dict == {"co_sponsor_states": [BOTH_ROLES]}
    item.refresh_from_db()
    assert (item.title, list(item.co_sponsor_states.all())) == ("Alt", [])


def test_the_agenda_form_refuses_a_land_in_both_lists_and_keeps_the_choice():
    bavaria = StateFactory(code="DE-BY", name_de="Bayern")
    hesse = StateFactory(code="DE-HE", name_de="Hessen")
    data = {"number": "1", "title": "Cloud", "kind": "exchange", "lead_states": [bavaria.pk]}
    form = AgendaItemForm({**data, "co_sponsor_states": [str(bavaria.pk), str(hesse.pk)]})
    assert not form.is_valid()
    assert form.errors == {"co_sponsor_states": [BOTH_ROLES]}
    assert form["co_sponsor_states"].value() == [str(bavaria.pk), str(hesse.pk)]
    ok = AgendaItemForm({**data, "co_sponsor_states": [str(hesse.pk)]})
    assert ok.is_valid(), ok.errors
    assert list(ok.cleaned_data["co_sponsor_states"]) == [hesse]


def test_the_portal_meeting_page_names_the_co_sponsors_and_the_edit_form_keeps_them(
    secretariat, meeting
):
    bavaria = StateFactory(code="DE-BY", name_de="Bayern")
    hesse = StateFactory(code="DE-HE", name_de="Hessen")
    berlin = StateFactory(code="DE-BE", name_de="Berlin")
    item = _add(
        secretariat,
        meeting,
        "4",
        title="Registermodernisierung",
        lead_states=[bavaria],
        co_sponsor_states=[hesse, berlin],
    )
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HB", name_de="Bremen"))
    for user in (member, secretariat):
        client = Client()
        login_with_second_factor(client, user)
        page = client.get(f"/intern/sitzungen/{meeting.slug}/")
        assert page.status_code == 200
        assert "Bayern<br>Mitantragsteller: Berlin, Hessen</td>" in page.text

    edit = client.get(f"/intern/sitzungen/{meeting.slug}/tagesordnung/{item.pk}/")
    assert edit.status_code == 200
    assert "Mitantragstellende Länder" in edit.text
    for state, checked in ((hesse, True), (berlin, True), (bavaria, False)):
        box = f'name="co_sponsor_states" value="{state.pk}" id="id_co_sponsor_states_'
        start = edit.text.index(box)
        assert (" checked" in edit.text[start : edit.text.index(">", start)]) is checked

    response = client.post(
        f"/intern/sitzungen/{meeting.slug}/tagesordnung/{item.pk}/",
        {
            "number": "4",
            "title": "Registermodernisierung",
            "kind": "decision",
            "lead_states": [bavaria.pk],
            "co_sponsor_states": [bavaria.pk],
        },
    )
    assert response.status_code == 400
    assert BOTH_ROLES in response.text
    assert set(item.co_sponsor_states.values_list("code", flat=True)) == {"DE-HE", "DE-BE"}
