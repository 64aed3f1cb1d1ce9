"""Pure rules of the organisation (issue 3 item 4): no database, no Django models.

The chair rotates in an order set by the rules of procedure (the D16 rules the DMK takes
over, seed §2.1 "Vorsitzreihenfolge"); the order is a setting of the body
(``Body.chair_rotation``), empty when none is set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def planned_chairs(
    rotation: Sequence[str], last_chair_codes: Iterable[str], years: Iterable[int]
) -> list[tuple[int, str]]:
    """The planned chair Land for each of ``years``, continuing ``rotation`` after the last
    chair period.

    ``rotation`` is the ordered list of State codes (ISO 3166-2, e.g. ``"DE-HH"``, distinct);
    ``last_chair_codes`` are the codes of the latest period's chair(s) — with joint chairs the
    rotation continues after the one that comes *last* in rotation order; a chair outside the
    rotation is ignored, and when none is in it the plan starts at the rotation's first Land.
    ``years`` are calendar years in the order they should be planned (usually consecutive).

    Returns ``[(year, code), …]``, one pair per year, wrapping around the rotation; an empty
    list when ``rotation`` is empty. Raises ``ValueError`` when ``rotation`` holds a code twice.
    Source: issue 3 item 4 ("a configurable rotation order for future periods").
    """
    order = list(rotation)
    if len(set(order)) != len(order):
        raise ValueError("rotation holds a code twice")
    if not order:
        return []
    positions = [order.index(code) for code in last_chair_codes if code in order]
    start = max(positions) + 1 if positions else 0
    return [(year, order[(start + i) % len(order)]) for i, year in enumerate(years)]
