"""Issue 11, defect 1 and 8, Build 1: every role is asked *for* a body or organisation.

- A working-group (AG) membership gives no vote in the plenary, and a plenary membership no
  vote in the AG's own ballot (DOMAIN rule 1: the Land's voter is found among the memberships
  of the organisation that votes, of the current chair period) — service and HTTP, ballots
  and written procedures (DOMAIN rule 8).
- The demo's situation: Bayern's permanent deputy is also "member" of an AG; she is not
  Bayern's member in the plenary and cannot replace the member's vote.
- Two bodies on one install, each with its own Geschäftsstelle, rules and meetings, cannot
  see or run each other's: cockpit, meeting preparation, written procedures, back office,
  visibility (DOMAIN rules 10 and 11, seed §2.4).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dmk.access.policy import (
    can_prepare_meetings,
    can_run_session,
    can_view,
    visible,
    voting_state_ids,
)
from dmk.accounts.models import User
from dmk.bodies.models import Body, ChairPeriod, Membership, MembershipRole, Organization, State
from dmk.meetings.models import Attendance, AttendanceRole, Meeting, MeetingKind
from dmk.papers.models import Paper
from dmk.voting.models import Ballot, Vote, WrittenVote
from dmk.voting.selectors import states_user_may_vote_for, written_states_user_may_vote_for
from dmk.voting.services import (
    VotingError,
    ballot_open,
    vote_cast,
    written_procedure_close,
    written_procedure_start,
    written_vote_cast,
)
from tests.factories import (
    PaperFactory,
    PersonFactory,
    UserFactory,
    user_with_role,
)
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _client(user: User) -> Client:
    client = Client()
    login_with_second_factor(client, user)
    return client


def _membership(user: User, organization: Organization, role: str, state: State | None = None):
    return Membership.objects.create(
        person=user.person, organization=organization, role=role, on_behalf_of=state
    )


def _running_meeting(body: Body, organization: Organization | None, slug: str) -> Meeting:
    """A meeting of ``body`` that began yesterday (ballots may be opened)."""
    kind = (
        MeetingKind.WORKING_BODY
        if organization is not None and (organization.kind != Organization.Kind.PLENARY)
        else MeetingKind.SPECIAL
    )
    return Meeting.objects.create(
        body=body,
        organization=organization,
        kind=kind,
        name=f"Sitzung {slug}",
        slug=slug,
        start_date=TODAY() - datetime.timedelta(days=1),
        is_public=False,
    )


def _present(meeting: Meeting, state: State, role: str = AttendanceRole.MEMBER) -> None:
    Attendance.objects.update_or_create(
        meeting=meeting, state=state, defaults={"role": role, "present": True}
    )


@dataclass
class Plenary:
    body: Body
    plenary: Organization
    ag: Organization
    bayern: State
    bremen: State
    office: User
    member_by: User  # Bayern's member in the plenary
    deputy_by: User  # Bayern's permanent deputy in the plenary, "member" of the AG
    ag_only_hb: User  # only membership: "member" of the AG for Bremen
    meeting: Meeting  # a plenary meeting, running
    ag_meeting: Meeting  # the AG's own meeting, running


@pytest.fixture
def dmk(public_record) -> Plenary:
    body = Body.objects.get(short_name="DMK")
    plenary = Organization.objects.get(body=body, kind=Organization.Kind.PLENARY)
    ag = Organization.objects.create(
        body=body, name="AG Digitale Souveränität", kind=Organization.Kind.WORKING_GROUP
    )
    bayern, bremen = State.objects.get(code="DE-BY"), State.objects.get(code="DE-HB")
    member_by = user_with_role(MembershipRole.MEMBER, bayern, email="mitglied-by@land.example")
    deputy_by = user_with_role(
        MembershipRole.PERMANENT_DEPUTY, bayern, email="vertretung-by@land.example"
    )
    _membership(deputy_by, ag, MembershipRole.MEMBER, bayern)
    ag_only_hb = UserFactory(email="ag-hb@land.example")
    PersonFactory(user=ag_only_hb, state=bremen)
    _membership(ag_only_hb, ag, MembershipRole.MEMBER, bremen)
    meeting = _running_meeting(body, None, "plenum-laufend")
    ag_meeting = _running_meeting(body, ag, "ag-laufend")
    for state in (bayern, bremen):
        _present(meeting, state)
        _present(ag_meeting, state)
    return Plenary(
        body=body,
        plenary=plenary,
        ag=ag,
        bayern=bayern,
        bremen=bremen,
        office=secretariat_user(email="gs@dmk.example"),
        member_by=member_by,
        deputy_by=deputy_by,
        ag_only_hb=ag_only_hb,
        meeting=meeting,
        ag_meeting=ag_meeting,
    )


def _ballot(dmk: Plenary, meeting: Meeting) -> Ballot:
    item = meeting.agenda_items.create(order=1, number="1", title="Beschlussvorschlag")
    return ballot_open(agenda_item=item, user=dmk.office)


# --- DOMAIN rule 1: the vote belongs to the organisation that votes -------------------------


def test_an_ag_membership_gives_no_plenary_vote_in_the_service(dmk):
    ballot = _ballot(dmk, dmk.meeting)

    assert voting_state_ids(dmk.ag_only_hb, meeting=dmk.meeting) == frozenset()
    assert states_user_may_vote_for(ballot=ballot, user=dmk.ag_only_hb) == []
    with pytest.raises(VotingError) as refused:
        vote_cast(ballot=ballot, user=dmk.ag_only_hb, state=dmk.bremen, choice="yes")

    assert "kein Stimmrecht" in refused.value.message
    assert not Vote.objects.filter(ballot=ballot).exists()


def test_an_ag_membership_gives_no_plenary_vote_over_http(dmk):
    ballot = _ballot(dmk, dmk.meeting)
    client = _client(dmk.ag_only_hb)

    page = client.get(reverse("portal:voting_ballot", args=[ballot.pk]))
    response = client.post(
        reverse("portal:voting_ballot", args=[ballot.pk]),
        {"state": dmk.bremen.pk, "choice": "yes"},
    )

    assert page.status_code == 200
    assert f'name="state" value="{dmk.bremen.pk}"' not in page.content.decode()
    assert response.status_code == 400
    assert "kein Stimmrecht" in response.content.decode()
    assert not Vote.objects.filter(ballot=ballot).exists()


def test_the_permanent_deputy_who_is_ag_member_does_not_replace_the_members_plenary_vote(dmk):
    """The demo's Bayern (issue 11, defect 1): the attendance names the member; the deputy's
    "member" role in the AG is not that role in the plenary (DOMAIN rule 1)."""
    ballot = _ballot(dmk, dmk.meeting)
    vote_cast(ballot=ballot, user=dmk.member_by, state=dmk.bayern, choice="yes")

    with pytest.raises(VotingError) as refused:
        vote_cast(ballot=ballot, user=dmk.deputy_by, state=dmk.bayern, choice="no")
    response = _client(dmk.deputy_by).post(
        reverse("portal:voting_ballot", args=[ballot.pk]),
        {"state": dmk.bayern.pk, "choice": "no"},
    )

    assert "Mitglied" in refused.value.message
    assert response.status_code == 400
    vote = Vote.objects.get(ballot=ballot, state=dmk.bayern)
    assert (vote.choice, vote.cast_by) == ("yes", dmk.member_by)


def test_the_permanent_deputy_still_votes_when_registered_as_the_lands_deputy(dmk):
    """Control: the plenary deputy role counts when the attendance names it (rule 1)."""
    _present(dmk.meeting, dmk.bayern, AttendanceRole.PERMANENT_DEPUTY)
    ballot = _ballot(dmk, dmk.meeting)

    vote = vote_cast(ballot=ballot, user=dmk.deputy_by, state=dmk.bayern, choice="no")

    assert (vote.state, vote.choice, vote.cast_by) == (dmk.bayern, "no", dmk.deputy_by)


def test_a_working_bodys_ballot_uses_its_own_members_and_not_the_plenary(dmk):
    """Vice versa: in the AG's own meeting the AG member votes for Bremen, Bayern's plenary
    member (no AG membership) has no vote there (DOMAIN rule 1, issue 11 Build 1)."""
    ballot = _ballot(dmk, dmk.ag_meeting)

    assert voting_state_ids(dmk.member_by, meeting=dmk.ag_meeting) == frozenset()
    with pytest.raises(VotingError):
        vote_cast(ballot=ballot, user=dmk.member_by, state=dmk.bayern, choice="yes")
    response = _client(dmk.member_by).post(
        reverse("portal:voting_ballot", args=[ballot.pk]),
        {"state": dmk.bayern.pk, "choice": "yes"},
    )
    vote = vote_cast(ballot=ballot, user=dmk.ag_only_hb, state=dmk.bremen, choice="abstain")

    assert response.status_code == 400
    assert list(Vote.objects.filter(ballot=ballot)) == [vote]
    assert vote.cast_by == dmk.ag_only_hb


def test_a_plenary_membership_of_a_past_chair_period_gives_no_vote(dmk):
    """DOMAIN rule 1: "of the current chair period" — a membership named for last year's
    period without an own end date is not in office today."""
    last_year, _created = ChairPeriod.objects.get_or_create(
        body=dmk.body,
        start_date=datetime.date(TODAY().year - 1, 1, 1),
        defaults={"end_date": datetime.date(TODAY().year - 1, 12, 31)},
    )
    former = UserFactory(email="ehemals-hb@land.example")
    PersonFactory(user=former, state=dmk.bremen)
    Membership.objects.create(
        person=former.person,
        organization=dmk.plenary,
        role=MembershipRole.MEMBER,
        on_behalf_of=dmk.bremen,
        chair_period=last_year,
    )

    assert voting_state_ids(former, meeting=dmk.meeting) == frozenset()
    assert voting_state_ids(dmk.member_by, meeting=dmk.meeting) == {dmk.bayern.pk}


def test_an_ag_membership_gives_no_vote_in_a_written_procedure(dmk):
    procedure = written_procedure_start(body=dmk.body, title="Umlauf", user=dmk.office)

    assert written_states_user_may_vote_for(user=dmk.ag_only_hb, procedure=procedure) == []
    with pytest.raises(VotingError) as refused:
        written_vote_cast(procedure=procedure, user=dmk.ag_only_hb, state=dmk.bremen, choice="yes")
    response = _client(dmk.ag_only_hb).post(
        reverse("portal:written_detail", args=[procedure.pk]),
        {"state": dmk.bremen.pk, "choice": "yes"},
    )

    assert "kein Stimmrecht" in refused.value.message
    assert response.status_code == 400
    assert "kein Stimmrecht" in response.content.decode()
    assert not WrittenVote.objects.filter(procedure=procedure).exists()


def test_the_plenary_deputy_answers_a_written_procedure_for_her_land_only_by_plenary_role(dmk):
    """Control: the deputy's plenary role gives Bayern's answer; the AG role adds nothing."""
    procedure = written_procedure_start(body=dmk.body, title="Umlauf", user=dmk.office)

    states = written_states_user_may_vote_for(user=dmk.deputy_by, procedure=procedure)
    response = _client(dmk.deputy_by).post(
        reverse("portal:written_detail", args=[procedure.pk]),
        {"state": dmk.bayern.pk, "choice": "no"},
    )

    assert states == [dmk.bayern]
    assert response.status_code == 302
    assert WrittenVote.objects.get(procedure=procedure).cast_by == dmk.deputy_by


# --- two bodies on one install (issue 11, defect 8) -------------------------------------------


@dataclass
class Second:
    body: Body
    plenary: Organization
    office: User
    member_hb: User
    meeting: Meeting
    public_meeting: Meeting
    internal_paper: Paper
    draft_paper: Paper


@pytest.fixture
def gmk(dmk) -> Second:
    """A second conference (its own rules: abstention breaks unanimity), its plenary, chair
    period, Geschäftsstelle, a Bremen member, two meetings and two papers."""
    body = Body.objects.create(
        short_name="GMK", name="Gesundheitsministerkonferenz", abstention_breaks_unanimity=True
    )
    plenary = Organization.objects.create(
        body=body, name="GMK (Plenum)", kind=Organization.Kind.PLENARY
    )
    year = TODAY().year
    period = ChairPeriod.objects.create(
        body=body, start_date=datetime.date(year, 1, 1), end_date=datetime.date(year, 12, 31)
    )
    office = UserFactory(email="gs@gmk.example")
    PersonFactory(user=office)
    Membership.objects.create(
        person=office.person,
        organization=plenary,
        role=MembershipRole.SECRETARIAT,
        chair_period=period,
    )
    member_hb = UserFactory(email="mitglied-hb@gmk.example")
    PersonFactory(user=member_hb, state=dmk.bremen)
    Membership.objects.create(
        person=member_hb.person,
        organization=plenary,
        role=MembershipRole.MEMBER,
        on_behalf_of=dmk.bremen,
        chair_period=period,
    )
    meeting = _running_meeting(body, plenary, "gmk-intern")
    public_meeting = _running_meeting(body, plenary, "gmk-oeffentlich")
    public_meeting.is_public = True
    public_meeting.save(update_fields=["is_public"])
    for m in (meeting, public_meeting):
        _present(m, dmk.bremen)
    internal = PaperFactory(body=body, author_state=dmk.bremen, visibility="internal")
    draft = PaperFactory(body=body, author_state=dmk.bremen, visibility="draft")
    return Second(
        body=body,
        plenary=plenary,
        office=office,
        member_hb=member_hb,
        meeting=meeting,
        public_meeting=public_meeting,
        internal_paper=internal,
        draft_paper=draft,
    )


def test_each_geschaeftsstelle_runs_only_its_own_body(dmk, gmk):
    assert can_run_session(dmk.office, body=dmk.body)
    assert not can_run_session(dmk.office, body=gmk.body)
    assert can_run_session(gmk.office, body=gmk.meeting)
    assert not can_run_session(gmk.office, body=dmk.meeting)
    assert not can_prepare_meetings(dmk.office, body=gmk.public_meeting)
    item = gmk.meeting.agenda_items.create(order=1, number="1", title="GMK-Beschluss")

    with pytest.raises(VotingError):
        ballot_open(agenda_item=item, user=dmk.office)
    ballot = ballot_open(agenda_item=item, user=gmk.office)

    assert ballot.agenda_item == item


def test_the_other_bodys_staff_gets_403_in_the_cockpit_and_on_meeting_preparation(dmk, gmk):
    client = _client(dmk.office)
    item = gmk.public_meeting.agenda_items.create(order=1, number="1", title="GMK-TOP")

    cockpit = client.get(reverse("portal:voting_cockpit", args=[gmk.public_meeting.slug]))
    opened = client.post(
        reverse("portal:voting_cockpit_open", args=[gmk.public_meeting.slug, item.pk])
    )
    agenda = client.post(
        reverse("portal:meeting_agenda_item_new", args=[gmk.public_meeting.slug]),
        {"title": "Eingeschleust", "kind": "report"},
    )
    state = client.post(
        reverse("portal:meeting_state", args=[gmk.public_meeting.slug]), {"action": "cancel"}
    )
    own = _client(gmk.office).get(reverse("portal:voting_cockpit", args=[gmk.public_meeting.slug]))

    assert (cockpit.status_code, opened.status_code) == (403, 403)
    assert (agenda.status_code, state.status_code) == (403, 403)
    assert own.status_code == 200
    assert list(gmk.public_meeting.agenda_items.values_list("title", flat=True)) == ["GMK-TOP"]
    assert not Ballot.objects.exists()
    gmk.public_meeting.refresh_from_db()
    assert gmk.public_meeting.state == "planned"


def test_the_other_bodys_internal_meeting_papers_and_drafts_stay_hidden(dmk, gmk):
    """DOMAIN rule 11 per body: the DMK's Geschäftsstelle and the DMK's Bremen member do not
    see the GMK's internal meeting, internal paper or Bremen's GMK draft; the GMK's own do."""
    member_hb_dmk = user_with_role(MembershipRole.MEMBER, dmk.bremen, email="hb@dmk.example")
    papers = Paper.objects.filter(body=gmk.body)

    for outsider in (dmk.office, member_hb_dmk):
        assert not can_view(outsider, gmk.internal_paper)
        assert not can_view(outsider, gmk.draft_paper)
        assert list(visible(outsider, papers)) == []
    assert set(visible(gmk.member_hb, papers)) == {gmk.internal_paper, gmk.draft_paper}
    assert set(visible(gmk.office, papers)) == {gmk.internal_paper, gmk.draft_paper}
    client = _client(dmk.office)
    detail = client.get(reverse("portal:meeting_detail", args=[gmk.meeting.slug]))
    paper = client.get(reverse("portal:paper_detail", args=[gmk.internal_paper.slug]))
    listing = client.get(reverse("portal:meeting_index")).content.decode()
    assert (detail.status_code, paper.status_code) == (404, 404)
    assert gmk.meeting.name not in listing
    assert gmk.public_meeting.name in listing  # announced publicly: visible to everybody
    own = _client(gmk.office).get(reverse("portal:meeting_detail", args=[gmk.meeting.slug]))
    assert own.status_code == 200


def test_written_procedures_belong_to_their_body(dmk, gmk):
    with pytest.raises(VotingError):
        written_procedure_start(body=gmk.body, title="Übergriff", user=dmk.office)
    procedure = written_procedure_start(body=gmk.body, title="GMK-Umlauf", user=gmk.office)

    with pytest.raises(VotingError):
        written_procedure_close(procedure=procedure, user=dmk.office)
    dmk_index = _client(dmk.office).get(reverse("portal:written_index")).content.decode()
    gmk_index = _client(gmk.office).get(reverse("portal:written_index")).content.decode()
    detail = _client(dmk.office).get(reverse("portal:written_detail", args=[procedure.pk]))
    # the DMK's Bremen member has no vote in the GMK's procedure, the GMK's has
    member_hb_dmk = user_with_role(MembershipRole.MEMBER, dmk.bremen, email="hb@dmk.example")
    with pytest.raises(VotingError):
        written_vote_cast(procedure=procedure, user=member_hb_dmk, state=dmk.bremen, choice="no")
    written_vote_cast(procedure=procedure, user=gmk.member_hb, state=dmk.bremen, choice="yes")

    assert "GMK-Umlauf" not in dmk_index
    assert "GMK-Umlauf" in gmk_index
    assert detail.status_code == 403
    assert WrittenVote.objects.get(procedure=procedure).cast_by == gmk.member_hb


def test_a_new_written_procedure_and_meeting_go_to_the_staffs_own_body(dmk, gmk):
    """Defect 8: the portal takes the body from the staff's role, never the constant DMK."""
    response = _client(gmk.office).post(
        reverse("portal:written_index"), {"title": "GMK-Umlauf", "deadline": ""}
    )
    meeting = _client(gmk.office).post(
        reverse("portal:meeting_new"),
        {
            "kind": "special",
            "name": "GMK-Sondersitzung",
            "start_date": (TODAY() + datetime.timedelta(days=60)).isoformat(),
            "is_public": "on",
        },
    )

    assert response.status_code == 302
    assert meeting.status_code == 302
    created = Meeting.objects.get(name="GMK-Sondersitzung")
    assert (created.body, created.organization) == (gmk.body, gmk.plenary)
    from dmk.voting.models import WrittenProcedure

    assert WrittenProcedure.objects.get(title="GMK-Umlauf").body == gmk.body


def test_the_back_office_lists_and_opens_only_the_own_bodys_rows(dmk, gmk):
    """The back office (``/verwaltung/``) per body: the DMK's Geschäftsstelle lists no GMK
    meeting, chair period or membership and gets 404 on their pages (issue 11 item 1)."""
    client = _client(dmk.office)
    gmk_period = ChairPeriod.objects.get(body=gmk.body)

    meetings = client.get("/verwaltung/sitzungen/").content.decode()
    periods = client.get("/verwaltung/vorsitzperioden/").content.decode()
    inspect = client.get(f"/verwaltung/sitzungen/inspect/{gmk.meeting.pk}/")
    edit_period = client.get(f"/verwaltung/vorsitzperioden/edit/{gmk_period.pk}/")
    edit_body = client.get(f"/verwaltung/konferenzen/edit/{gmk.body.pk}/")
    own_edit = _client(gmk.office).get(f"/verwaltung/vorsitzperioden/edit/{gmk_period.pk}/")

    assert dmk.meeting.name in meetings
    assert gmk.meeting.name not in meetings
    assert f"/verwaltung/vorsitzperioden/edit/{gmk_period.pk}/" not in periods
    assert (inspect.status_code, edit_period.status_code, edit_body.status_code) == (
        404,
        404,
        404,
    )
    assert own_edit.status_code == 200
