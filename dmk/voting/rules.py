"""Majority rules of the DMK: a pure rules engine, no database, no Django.

The engine takes the counts of one ballot and says whether the proposal is adopted and whether
the result is unanimous. It knows nothing of people, meetings or models; the services of
``dmk.voting`` count the votes and ask this module for the outcome.

Sources:

- seed §3.1 (Konzeptpapier DMK, 9.11.2023): "Beschlüsse möglichst einstimmig, wenigstens
  jedoch mit Zweidrittel-Mehrheit (11 Länder)"; for the institutional structure "ist auf einen
  einstimmigen Beschluss hinzuwirken".
- ``DOMAIN.md`` rule 1: one vote per Land. Every count here counts *Länder*, never people.
- ``DOMAIN.md`` rule 2: at least two thirds of *all* member Länder vote yes; abstentions and
  absent Länder are not yes; the threshold is ``ceil(2 * members / 3)`` in integers.
- ``DOMAIN.md`` rule 3: a result records whether it was unanimous; whether an abstention breaks
  unanimity is configurable (default: it does not).
- ``DOMAIN.md`` rule 4: a transferred vote (Stimmrechtsübertragung) is counted for the Land on
  whose behalf it is cast, exactly like that Land's own vote; the caller counts it so.
- ``DOMAIN.md`` rule 8: in a written procedure (Umlaufverfahren) the same majority rules apply;
  a Land that has not answered by the deadline is simply *absent* here, never yes.

All arithmetic is on ``int``; no float is ever computed, so display rounding can never decide an
outcome (STYLE.md, "Counting is integer arithmetic").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["MajorityRule", "Outcome", "evaluate", "two_thirds_threshold"]


class MajorityRule(enum.StrEnum):
    """Which majority a ballot needs.

    - ``TWO_THIRDS_OF_MEMBERS``: the default for a resolution (``DOMAIN.md`` rule 2, seed §3.1):
      yes votes of at least two thirds of *all* member Länder, 11 of 16.
    - ``UNANIMITY``: institutional matters such as the rules of procedure or the body's structure
      (``DOMAIN.md`` rule 3, seed §3.1); adopted only if the result is unanimous.
    - ``SIMPLE_MAJORITY_OF_VOTES_CAST``: more yes than no among the votes cast; abstentions and
      absent Länder are not cast. Not named in the seed; for procedural questions a body's GO
      may assign to it.
    """

    TWO_THIRDS_OF_MEMBERS = "two_thirds_of_members"
    UNANIMITY = "unanimity"
    SIMPLE_MAJORITY_OF_VOTES_CAST = "simple_majority_of_votes_cast"


@dataclass(frozen=True)
class Outcome:
    """The result of one ballot, as computed by :func:`evaluate`.

    All counts are numbers of Länder (``DOMAIN.md`` rule 1) and satisfy
    ``yes + no + abstain + absent == members``, each ``>= 0``.

    ``threshold`` is the least number of yes votes that adopts the proposal under ``rule`` with
    the other counts as they are (for UNANIMITY, in the default mode, additionally no Land may
    vote no). It lies in ``1 .. members`` for TWO_THIRDS_OF_MEMBERS and UNANIMITY; for
    SIMPLE_MAJORITY_OF_VOTES_CAST it is ``no + 1``, which may be more yes votes than are still
    possible (up to ``members + 1`` when every Land voted no): then the proposal cannot pass.
    ``adopted`` is whether the proposal passed; ``unanimous`` is whether the result
    counts as unanimous under ``DOMAIN.md`` rule 3, recorded whatever the rule.
    """

    rule: MajorityRule
    members: int
    yes: int
    no: int
    abstain: int
    absent: int
    threshold: int
    adopted: bool
    unanimous: bool

    @property
    def reason_de(self) -> str:
        """A short German explanation of the outcome, for the minutes and the ballot page.

        Example: ``"11 von 16 Ländern haben zugestimmt; erforderlich sind 11. Angenommen."``
        This module stays free of Django, so the text is German only; a translated UI builds
        its own sentence from the fields.
        """
        return f"{_counts_de(self)}; {_requirement_de(self)}. {_verdict_de(self)}"


def two_thirds_threshold(members: int) -> int:
    """Return the least number of yes votes that makes two thirds of ``members``.

    That is ``ceil(2 * members / 3)``, computed as ``(2 * members + 2) // 3`` in integers
    (``DOMAIN.md`` rule 2, seed §3.1: 11 of 16 Länder; 17 members need 12). The result lies in
    ``1 .. members``.

    Raises ``TypeError`` if ``members`` is not an ``int`` (a ``bool`` is refused too) and
    ``ValueError`` if ``members < 1``.
    """
    _require_int("members", members)
    if members < 1:
        raise ValueError(f"members={members} must be at least 1")
    return (2 * members + 2) // 3


def evaluate(
    *,
    rule: MajorityRule,
    members: int,
    yes: int,
    no: int,
    abstain: int,
    abstention_breaks_unanimity: bool = False,
) -> Outcome:
    """Evaluate one ballot of ``members`` Länder with the given counts under ``rule``.

    Needs: ``members >= 1`` member Länder (16 for the DMK); ``yes``, ``no``, ``abstain`` the
    numbers of Länder that voted so, each ``>= 0`` with ``yes + no + abstain <= members``. The
    rest are absent: ``absent = members - yes - no - abstain`` (not present, did not vote, or did
    not answer a written procedure by its deadline, ``DOMAIN.md`` rule 8).

    Unanimity (``DOMAIN.md`` rule 3), recorded for every rule:

    - default (``abstention_breaks_unanimity=False``): no Land voted no and the two-thirds quorum
      of rule 2 is met, i.e. ``no == 0 and yes >= two_thirds_threshold(members)``;
    - strict (``abstention_breaks_unanimity=True``): every member Land voted yes,
      ``yes == members``.

    Adoption:

    - ``TWO_THIRDS_OF_MEMBERS`` (rule 2, seed §3.1): ``threshold = two_thirds_threshold(members)``
      of *all* members; adopted iff ``yes >= threshold``. Abstentions and absences are not yes:
      10 of 16 is rejected, 11 of 16 adopted.
    - ``UNANIMITY`` (rule 3, institutional matters): ``threshold`` is the two-thirds threshold in
      the default mode and ``members`` in the strict mode; adopted iff unanimous.
    - ``SIMPLE_MAJORITY_OF_VOTES_CAST``: votes cast are yes and no only; abstentions and absences
      are not cast. ``threshold = no + 1``; adopted iff ``yes > no`` (which implies ``yes >= 1``,
      so 0:0 is rejected and a tie is rejected). This threshold is not bounded by the yes votes
      still possible and can reach ``members + 1``.

    Raises ``TypeError`` if ``rule`` is not a :class:`MajorityRule`, a count is not an ``int``
    (``bool`` included) or ``abstention_breaks_unanimity`` is not a ``bool``; ``ValueError``
    naming the offending count if ``members < 1``, a count is negative (``"yes=-1 is
    negative"``) or ``yes + no + abstain`` exceeds ``members`` (``"yes+no+abstain=17 exceeds
    members=16"``).
    """
    if not isinstance(rule, MajorityRule):
        raise TypeError(f"rule must be a MajorityRule, got {type(rule).__name__}")
    for name, value in (("members", members), ("yes", yes), ("no", no), ("abstain", abstain)):
        _require_int(name, value)
    if not isinstance(abstention_breaks_unanimity, bool):
        raise TypeError(
            "abstention_breaks_unanimity must be a bool, "
            f"got {type(abstention_breaks_unanimity).__name__}"
        )
    quorum = two_thirds_threshold(members)  # also refuses members < 1
    for name, value in (("yes", yes), ("no", no), ("abstain", abstain)):
        if value < 0:
            raise ValueError(f"{name}={value} is negative")
    cast_or_abstained = yes + no + abstain
    if cast_or_abstained > members:
        raise ValueError(f"yes+no+abstain={cast_or_abstained} exceeds members={members}")

    # DOMAIN rule 3: strict = every Land yes; default = no Land no and the rule 2 quorum met.
    unanimous = (yes == members) if abstention_breaks_unanimity else (no == 0 and yes >= quorum)

    if rule is MajorityRule.TWO_THIRDS_OF_MEMBERS:
        threshold = quorum
        adopted = yes >= threshold
    elif rule is MajorityRule.UNANIMITY:
        threshold = members if abstention_breaks_unanimity else quorum
        adopted = unanimous
    else:  # MajorityRule.SIMPLE_MAJORITY_OF_VOTES_CAST
        threshold = no + 1
        adopted = yes > no

    return Outcome(
        rule=rule,
        members=members,
        yes=yes,
        no=no,
        abstain=abstain,
        absent=members - cast_or_abstained,
        threshold=threshold,
        adopted=adopted,
        unanimous=unanimous,
    )


def _require_int(name: str, value: object) -> None:
    """Raise ``TypeError`` unless ``value`` is an ``int`` that is not a ``bool``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")


def _laender_dative(count: int) -> str:
    """``"1 Land"`` / ``"16 Ländern"``, as in "von 16 Ländern"."""
    return f"{count} Land" if count == 1 else f"{count} Ländern"


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _counts_de(outcome: Outcome) -> str:
    if outcome.rule is MajorityRule.SIMPLE_MAJORITY_OF_VOTES_CAST:
        return ", ".join(
            (
                _plural(outcome.yes, "Ja-Stimme", "Ja-Stimmen"),
                _plural(outcome.no, "Nein-Stimme", "Nein-Stimmen"),
                _plural(outcome.abstain, "Enthaltung", "Enthaltungen"),
            )
        )
    verb = "hat" if outcome.yes == 1 else "haben"
    text = f"{outcome.yes} von {_laender_dative(outcome.members)} {verb} zugestimmt"
    if outcome.rule is MajorityRule.UNANIMITY and outcome.no:
        text += f", {outcome.no} {'hat' if outcome.no == 1 else 'haben'} abgelehnt"
    return text


def _requirement_de(outcome: Outcome) -> str:
    if outcome.rule is MajorityRule.TWO_THIRDS_OF_MEMBERS:
        verb = "ist" if outcome.threshold == 1 else "sind"
        return f"erforderlich {verb} {outcome.threshold}"
    if outcome.rule is MajorityRule.UNANIMITY:
        if outcome.threshold == outcome.members:
            if outcome.members == 1:
                return "erforderlich ist die Zustimmung des Landes"
            return f"erforderlich ist die Zustimmung aller {outcome.members} Länder"
        # Default mode with members >= 3, so the threshold is at least 2.
        return f"erforderlich sind mindestens {outcome.threshold} Zustimmungen und keine Ablehnung"
    return f"erforderlich sind mehr Ja- als Nein-Stimmen, also mindestens {outcome.threshold}"


def _verdict_de(outcome: Outcome) -> str:
    if outcome.adopted and outcome.unanimous:
        return "Einstimmig angenommen."
    return "Angenommen." if outcome.adopted else "Abgelehnt."
