"""A session of the DMK with its 16 real Länder, for the voting and resolution tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dmk.accounts.models import User
from dmk.bodies.models import Body, MembershipRole, State
from dmk.meetings.models import AgendaItem, Attendance, Meeting, MeetingKind
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
    """Needs the ``public_record`` fixture (the 16 real Länder and the DMK body)."""
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
    for state in states:
        Attendance.objects.create(meeting=meeting, state=state, present=present)
    return session
