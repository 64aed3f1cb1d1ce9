"""Papers: drafts, co-sponsors, files, submission and Tischvorlagen (issue 5; DOMAIN rules 7
and 11)."""

from __future__ import annotations

import datetime
import io
import os
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dmk.bodies.models import MembershipRole
from dmk.core.enums import Visibility
from dmk.papers import services
from dmk.papers.models import Consultation, Paper, PaperFile, PaperSponsor
from dmk.papers.selectors import paper_list
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    PaperFactory,
    StateFactory,
    user_with_role,
)
from tests.papers.conftest import PDF, make_docx

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def bremen():
    return StateFactory(code="DE-HB", name_de="Bremen")


@pytest.fixture
def saxony():
    return StateFactory(code="DE-SN", name_de="Sachsen")


@pytest.fixture
def bremen_staff(bremen):
    return user_with_role(MembershipRole.STATE_STAFF, bremen)


def test_rule_11_a_draft_of_land_a_is_listed_for_land_a_and_the_geschaeftsstelle_only(
    bremen, saxony, bremen_staff
):
    paper = services.paper_create(
        actor=bremen_staff, body=BodyFactory(), state=bremen, title="Cloud", paper_type="proposal"
    )
    saxon = user_with_role(MembershipRole.MEMBER, saxony)
    secretariat = user_with_role(MembershipRole.SECRETARIAT)
    assert paper.visibility == Visibility.DRAFT
    assert list(paper_list(user=bremen_staff)) == [paper]
    assert list(paper_list(user=secretariat)) == [paper]
    assert list(paper_list(user=saxon)) == []


def test_a_land_cannot_draft_for_another_land(bremen, saxony, bremen_staff):
    with pytest.raises(PermissionDenied):
        services.paper_create(
            actor=bremen_staff, body=BodyFactory(), state=saxony, title="X", paper_type="report"
        )
    assert Paper.objects.count() == 0


def test_inviting_ones_own_land_as_co_sponsor_is_refused_in_german(bremen, bremen_staff):
    paper = PaperFactory(author_state=bremen)
    with pytest.raises(ValidationError) as excinfo:
        services.sponsor_invite(actor=bremen_staff, paper=paper, state=bremen)
    assert excinfo.value.message_dict == {
        "state": [
            "Ihr eigenes Land reicht die Vorlage ein und kann nicht als Mitantragsteller "
            "eingeladen werden."
        ]
    }
    assert PaperSponsor.objects.count() == 0


def test_an_invited_land_accepts_co_sponsorship(bremen, saxony, bremen_staff):
    paper = PaperFactory(author_state=bremen)
    sponsor = services.sponsor_invite(actor=bremen_staff, paper=paper, state=saxony)
    saxon = user_with_role(MembershipRole.STATE_STAFF, saxony)
    with pytest.raises(PermissionDenied):
        services.sponsor_answer(actor=bremen_staff, sponsor=sponsor, accept=True)
    services.sponsor_answer(actor=saxon, sponsor=sponsor, accept=True)
    sponsor.refresh_from_db()
    assert sponsor.status == "accepted"


def test_files_are_versioned_and_older_versions_kept(bremen, bremen_staff, media_root):
    paper = PaperFactory(author_state=bremen)
    first = services.paper_file_add(
        actor=bremen_staff, paper=paper, name="Beschluss.pdf", stream=io.BytesIO(PDF)
    )
    second = services.paper_file_add(
        actor=bremen_staff, paper=paper, name="Beschluss.docx", stream=io.BytesIO(make_docx())
    )
    assert (first.version, second.version) == (1, 2)
    assert PaperFile.objects.filter(paper=paper).count() == 2
    assert len(os.listdir(media_root / "papers" / str(paper.pk))) == 2


def test_a_word_file_renamed_to_pdf_stores_nothing(bremen, bremen_staff, media_root):
    paper = PaperFactory(author_state=bremen)
    with pytest.raises(ValidationError):
        services.paper_file_add(
            actor=bremen_staff, paper=paper, name="Beschluss.pdf", stream=io.BytesIO(make_docx())
        )
    assert PaperFile.objects.count() == 0
    assert not (media_root / "papers").exists()


def _meeting_on(day: datetime.date):
    return MeetingFactory(start_date=day)


def test_rule_7_a_paper_before_the_deadline_is_regular_and_becomes_internal(bremen, bremen_staff):
    meeting = _meeting_on(datetime.date(2027, 4, 19))  # papers deadline 2027-04-05
    paper = PaperFactory(author_state=bremen)
    consultation = services.paper_submit(
        actor=bremen_staff,
        paper=paper,
        meeting=meeting,
        now=datetime.datetime(2027, 4, 5, 23, 30, tzinfo=BERLIN),
    )
    paper.refresh_from_db()
    assert consultation.is_tischvorlage is False
    assert paper.visibility == Visibility.INTERNAL


def test_rule_7_a_tischvorlage_reaches_the_agenda_only_with_the_chairs_consent(
    bremen, bremen_staff
):
    meeting = _meeting_on(datetime.date(2027, 4, 19))
    item = AgendaItemFactory(meeting=meeting)
    paper = PaperFactory(author_state=bremen)
    consultation = services.paper_submit(
        actor=bremen_staff,
        paper=paper,
        meeting=meeting,
        now=datetime.datetime(2027, 4, 6, 0, 30, tzinfo=BERLIN),
    )
    assert consultation.is_tischvorlage is True
    secretariat = user_with_role(MembershipRole.SECRETARIAT)
    with pytest.raises(ValidationError) as excinfo:
        services.consultation_place_on_agenda(
            actor=secretariat, consultation=consultation, agenda_item=item
        )
    assert excinfo.value.messages == [
        "Diese Vorlage ist nach der Vorlagenfrist eingegangen (Tischvorlage) und kann nur mit "
        "Zustimmung des Vorsitzes auf die Tagesordnung gesetzt werden."
    ]
    assert Consultation.objects.get(pk=consultation.pk).agenda_item is None
    services.consultation_place_on_agenda(
        actor=secretariat, consultation=consultation, agenda_item=item, chair_consent=True
    )
    consultation.refresh_from_db()
    assert consultation.agenda_item == item
    assert consultation.chair_consent_at is not None


def test_a_paper_cannot_be_submitted_twice_for_the_same_meeting(bremen, bremen_staff):
    meeting = _meeting_on(datetime.date(2027, 4, 19))
    paper = PaperFactory(author_state=bremen)
    services.paper_submit(actor=bremen_staff, paper=paper, meeting=meeting)
    with pytest.raises(ValidationError):
        services.paper_submit(actor=bremen_staff, paper=paper, meeting=meeting)
    assert Consultation.objects.count() == 1


def test_the_same_form_token_twice_returns_the_first_draft_and_audits_once(bremen, bremen_staff):
    """Double submit (tests/adversarial/test_double_submit_and_csrf.py): the one-time token
    of the form is unique on ``Paper``; the second call creates nothing."""
    import uuid

    from dmk.core.models import ActivityLog

    token = uuid.uuid4()
    body = BodyFactory()
    kwargs = {"body": body, "state": bremen, "title": "Cloud", "paper_type": "proposal"}
    first = services.paper_create(actor=bremen_staff, submission_token=token, **kwargs)
    second = services.paper_create(actor=bremen_staff, submission_token=token, **kwargs)

    assert first.pk == second.pk
    assert Paper.objects.filter(title="Cloud").count() == 1
    assert first.submission_token == token
    assert ActivityLog.objects.filter(action="papers.paper.create").count() == 1


def test_a_form_token_is_no_key_to_another_lands_draft(bremen, saxony, bremen_staff):
    import uuid

    token = uuid.uuid4()
    services.paper_create(
        actor=bremen_staff,
        body=BodyFactory(),
        state=bremen,
        title="Bremer Entwurf",
        paper_type="proposal",
        submission_token=token,
    )
    saxon = user_with_role(MembershipRole.MEMBER, saxony)
    with pytest.raises(ValidationError) as excinfo:
        services.paper_create(
            actor=saxon,
            body=BodyFactory(),
            state=saxony,
            title="Sächsischer Entwurf",
            paper_type="proposal",
            submission_token=token,
        )
    assert excinfo.value.messages == [
        "Dieses Formular wurde bereits verwendet. Bitte laden Sie die Seite neu."
    ]
    assert not Paper.objects.filter(author_state=saxony).exists()


def test_the_chair_refuses_a_tischvorlage_only_once_and_never_a_paper_in_time(bremen):
    secretariat = user_with_role(MembershipRole.SECRETARIAT)
    meeting = MeetingFactory()
    late = Consultation.objects.create(
        paper=PaperFactory(author_state=bremen), meeting=meeting, is_tischvorlage=True
    )
    in_time = Consultation.objects.create(paper=PaperFactory(author_state=bremen), meeting=meeting)

    services.consultation_refuse(actor=secretariat, consultation=late)
    with pytest.raises(ValidationError) as again:
        services.consultation_refuse(actor=secretariat, consultation=late)
    with pytest.raises(ValidationError) as regular:
        services.consultation_refuse(actor=secretariat, consultation=in_time)
    with pytest.raises(PermissionDenied):
        services.consultation_refuse(
            actor=user_with_role(MembershipRole.MEMBER, bremen), consultation=in_time
        )

    assert again.value.messages == ["Die Zustimmung ist bereits verweigert."]
    assert regular.value.messages == [
        "Diese Vorlage ist fristgerecht eingegangen und braucht keine Zustimmung."
    ]
    in_time.refresh_from_db()
    assert in_time.chair_refused_at is None


def test_paper_slugs_spell_umlauts_the_german_way(bremen, bremen_staff):
    """As the public archive does ("souveraenitaet"): "Änderung der Geschäftsordnung" gives
    "aenderung-der-geschaeftsordnung", not "anderung-der-geschaftsordnung" (newcomer report);
    a second paper of the same title gets "-2"."""
    titles = ["Änderung der Geschäftsordnung", "Änderung der Geschäftsordnung"]
    slugs = [
        services.paper_create(
            actor=bremen_staff, body=BodyFactory(), state=bremen, title=t, paper_type="proposal"
        ).slug
        for t in titles
    ]
    assert slugs == ["aenderung-der-geschaeftsordnung", "aenderung-der-geschaeftsordnung-2"]
