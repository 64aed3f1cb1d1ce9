"""A session of the DMK with its 16 real Länder, for the voting and resolution tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dmk.accounts.models import User
from dmk.bodies.models import Body, MembershipRole, State
from dmk.meetings.models import AgendaItem, Attendance, AttendanceRole, Meeting, MeetingKind
from tests.factories import user_with_role


@dataclass
class Session:
    """A meeting with agenda items, the Geschäftsstelle and one member user per Land."""

    meeting: Meeting
    items: list[AgendaItem]
    secretariat: User
    states: list[State]
    members: dict[str, User] = field(default_factory=dict)  # by ISO code

    def state(self, code: str) -> State:
        return next(s for s in self.states if s.code == code)

    def member(self, code: str) -> User:
        return self.members[code]


def make_meeting(
    *, slug: str = "testsitzung-2026", day: datetime.date = datetime.date(2026, 6, 11)
) -> Meeting:
    body = Body.objects.get(short_name="DMK")
    return Meeting.objects.create(
        body=body, kind=MeetingKind.SPECIAL, name=f"Sitzung {slug}", slug=slug, start_date=day
    )


def make_item(meeting: Meeting, order: int, **flags) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=meeting,
        order=order,
        number=str(order),
        title=f"Beschlussvorschlag {order}",
        **flags,
    )


def make_session(*, with_members: bool = True, present: bool = True) -> Session:
    """Needs the ``public_record`` fixture (the 16 real Länder and the DMK body).

    The meeting day (11 June 2026) has passed, so ballots may be opened (issue 6 newcomer
    report, item 3). Every Land is registered as represented by its member and — unless
    ``present`` is False — marked present at the roll call (DOMAIN rule 1: only the present
    Land's registered representative casts its vote)."""
    meeting = make_meeting()
    items = [make_item(meeting, n) for n in (1, 2, 3)]
    states = list(State.objects.order_by("name_de"))
    assert len(states) == 16
    secretariat = user_with_role(MembershipRole.SECRETARIAT, email="gs@dmk.example")
    session = Session(meeting=meeting, items=items, secretariat=secretariat, states=states)
    if with_members:
        for state in states:
            session.members[state.code] = user_with_role(
                MembershipRole.MEMBER, state, email=f"mitglied-{state.code.lower()}@land.example"
            )
    register_all(meeting, present=present)
    return session


def register_all(meeting: Meeting, *, present: bool = True) -> None:
    """Register every Land at ``meeting`` as represented by its member and mark it present
    (or absent): the setting in which a Land's member casts its vote (DOMAIN rule 1)."""
    for state in State.objects.all():
        Attendance.objects.update_or_create(
            meeting=meeting,
            state=state,
            defaults={"role": AttendanceRole.MEMBER, "present": present},
        )
