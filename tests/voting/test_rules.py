"""Tests of the majority rules engine (``DOMAIN.md`` rules 2, 3 and 8; seed §3.1)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmk.voting.rules import MajorityRule, Outcome, evaluate, two_thirds_threshold

TWO_THIRDS = MajorityRule.TWO_THIRDS_OF_MEMBERS
UNANIMITY = MajorityRule.UNANIMITY
SIMPLE = MajorityRule.SIMPLE_MAJORITY_OF_VOTES_CAST
DMK_MEMBERS = 16


@st.composite
def ballots(draw: st.DrawFn, max_members: int = 40) -> dict[str, int]:
    """Valid counts: members >= 1 and yes + no + abstain <= members."""
    members = draw(st.integers(min_value=1, max_value=max_members))
    yes = draw(st.integers(min_value=0, max_value=members))
    no = draw(st.integers(min_value=0, max_value=members - yes))
    abstain = draw(st.integers(min_value=0, max_value=members - yes - no))
    return {"members": members, "yes": yes, "no": no, "abstain": abstain}


rules = st.sampled_from(list(MajorityRule))
modes = st.booleans()


# --- DOMAIN rule 2: two thirds of all member Länder -------------------------------------------


def test_ten_yes_of_sixteen_laender_is_rejected_under_domain_rule_2() -> None:
    outcome = evaluate(rule=TWO_THIRDS, members=DMK_MEMBERS, yes=10, no=0, abstain=0)

    assert outcome == Outcome(
        rule=TWO_THIRDS,
        members=16,
        yes=10,
        no=0,
        abstain=0,
        absent=6,
        threshold=11,
        adopted=False,
        unanimous=False,
    )


def test_eleven_yes_of_sixteen_laender_is_adopted_under_domain_rule_2() -> None:
    outcome = evaluate(rule=TWO_THIRDS, members=DMK_MEMBERS, yes=11, no=5, abstain=0)

    assert outcome == Outcome(
        rule=TWO_THIRDS,
        members=16,
        yes=11,
        no=5,
        abstain=0,
        absent=0,
        threshold=11,
        adopted=True,
        unanimous=False,
    )


def test_sixteen_laender_need_eleven_as_seed_section_3_1_says() -> None:
    assert two_thirds_threshold(16) == 11


def test_seventeen_members_need_twelve_under_domain_rule_2() -> None:
    assert two_thirds_threshold(17) == 12
    assert evaluate(rule=TWO_THIRDS, members=17, yes=11, no=0, abstain=0).adopted is False
    assert evaluate(rule=TWO_THIRDS, members=17, yes=12, no=0, abstain=0).adopted is True


def test_thresholds_for_1_to_20_members_equal_the_exact_ceiling_of_two_thirds() -> None:
    """DOMAIN rule 2: ceil(2 * members / 3), checked against exact rational arithmetic."""
    expected = {m: math.ceil(Fraction(2 * m, 3)) for m in range(1, 21)}

    actual = {m: two_thirds_threshold(m) for m in range(1, 21)}

    assert actual == expected
    assert [actual[m] for m in range(1, 21)] == [
        1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 8, 9, 10, 10, 11, 12, 12, 13, 14,
    ]  # fmt: skip


def test_threshold_is_exact_for_member_counts_where_float_division_would_round() -> None:
    """DOMAIN rule 2 says integers, never floats; a float cannot hold 2 * (3 * 10**20 + 1) / 3."""
    members = 3 * 10**20 + 1

    assert two_thirds_threshold(members) == 2 * 10**20 + 1
    assert two_thirds_threshold(members) != math.ceil(2 * members / 3)


def test_abstentions_and_absences_are_not_yes_votes_under_domain_rule_2() -> None:
    with_abstentions = evaluate(rule=TWO_THIRDS, members=DMK_MEMBERS, yes=10, no=0, abstain=6)
    with_absences = evaluate(rule=TWO_THIRDS, members=DMK_MEMBERS, yes=10, no=0, abstain=0)
    mixed = evaluate(rule=TWO_THIRDS, members=DMK_MEMBERS, yes=10, no=0, abstain=3)

    assert (with_abstentions.adopted, with_abstentions.absent) == (False, 0)
    assert (with_absences.adopted, with_absences.absent) == (False, 6)
    assert (mixed.adopted, mixed.abstain, mixed.absent) == (False, 3, 3)


def test_a_land_that_did_not_answer_a_written_procedure_is_absent_not_yes_domain_rule_8() -> None:
    outcome = evaluate(rule=TWO_THIRDS, members=DMK_MEMBERS, yes=10, no=0, abstain=1)

    assert (outcome.absent, outcome.adopted) == (5, False)


def test_two_thirds_with_no_votes_against_still_adopts_if_eleven_say_yes() -> None:
    """DOMAIN rule 2 counts only yes against all members; no votes do not raise the bar."""
    outcome = evaluate(rule=TWO_THIRDS, members=DMK_MEMBERS, yes=11, no=5, abstain=0)

    assert (outcome.adopted, outcome.unanimous) == (True, False)


# --- DOMAIN rule 3: unanimity ------------------------------------------------------------------


def test_one_abstention_keeps_unanimity_by_default_under_domain_rule_3() -> None:
    outcome = evaluate(rule=TWO_THIRDS, members=DMK_MEMBERS, yes=15, no=0, abstain=1)

    assert (outcome.adopted, outcome.unanimous) == (True, True)


def test_one_abstention_breaks_unanimity_in_strict_mode_under_domain_rule_3() -> None:
    outcome = evaluate(
        rule=TWO_THIRDS,
        members=DMK_MEMBERS,
        yes=15,
        no=0,
        abstain=1,
        abstention_breaks_unanimity=True,
    )

    assert (outcome.adopted, outcome.unanimous) == (True, False)


def test_unanimity_by_default_needs_the_two_thirds_quorum_of_domain_rule_2() -> None:
    """Ten yes, no no, six absent: nobody objected, but the quorum of 11 is not met."""
    outcome = evaluate(rule=TWO_THIRDS, members=DMK_MEMBERS, yes=10, no=0, abstain=0)

    assert outcome.unanimous is False


def test_unanimity_rule_adopts_with_one_abstention_by_default_domain_rule_3() -> None:
    outcome = evaluate(rule=UNANIMITY, members=DMK_MEMBERS, yes=15, no=0, abstain=1)

    assert outcome == Outcome(
        rule=UNANIMITY,
        members=16,
        yes=15,
        no=0,
        abstain=1,
        absent=0,
        threshold=11,
        adopted=True,
        unanimous=True,
    )


def test_unanimity_rule_rejects_one_abstention_in_strict_mode_domain_rule_3() -> None:
    outcome = evaluate(
        rule=UNANIMITY,
        members=DMK_MEMBERS,
        yes=15,
        no=0,
        abstain=1,
        abstention_breaks_unanimity=True,
    )

    assert outcome == Outcome(
        rule=UNANIMITY,
        members=16,
        yes=15,
        no=0,
        abstain=1,
        absent=0,
        threshold=16,
        adopted=False,
        unanimous=False,
    )


def test_unanimity_rule_rejects_a_proposal_with_one_no_domain_rule_3() -> None:
    outcome = evaluate(rule=UNANIMITY, members=DMK_MEMBERS, yes=15, no=1, abstain=0)

    assert (outcome.threshold, outcome.adopted, outcome.unanimous) == (11, False, False)


def test_unanimity_rule_in_strict_mode_adopts_when_all_sixteen_say_yes_domain_rule_3() -> None:
    outcome = evaluate(
        rule=UNANIMITY,
        members=DMK_MEMBERS,
        yes=16,
        no=0,
        abstain=0,
        abstention_breaks_unanimity=True,
    )

    assert (outcome.threshold, outcome.adopted, outcome.unanimous) == (16, True, True)


# --- simple majority of votes cast -------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "threshold", "adopted"),
    [
        (5, 4, 7, 5, True),
        (4, 4, 8, 5, False),  # a tie is rejected
        (1, 0, 15, 1, True),  # abstentions are not cast
        (0, 0, 16, 1, False),  # nothing cast, nothing adopted
        (0, 0, 0, 1, False),  # all absent
        (3, 5, 0, 6, False),
    ],
)
def test_simple_majority_needs_more_yes_than_no_among_votes_cast(
    yes: int, no: int, abstain: int, threshold: int, adopted: bool
) -> None:
    outcome = evaluate(rule=SIMPLE, members=DMK_MEMBERS, yes=yes, no=no, abstain=abstain)

    assert (outcome.threshold, outcome.adopted) == (threshold, adopted)
    assert outcome.absent == DMK_MEMBERS - yes - no - abstain


def test_simple_majority_threshold_exceeds_members_when_every_land_votes_no() -> None:
    outcome = evaluate(rule=SIMPLE, members=DMK_MEMBERS, yes=0, no=16, abstain=0)

    assert (outcome.threshold, outcome.adopted) == (17, False)


def test_simple_majority_records_unanimity_like_every_other_rule_domain_rule_3() -> None:
    outcome = evaluate(rule=SIMPLE, members=DMK_MEMBERS, yes=11, no=0, abstain=5)

    assert (outcome.adopted, outcome.unanimous) == (True, True)


# --- German explanation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"rule": TWO_THIRDS, "members": 16, "yes": 11, "no": 5, "abstain": 0},
            "11 von 16 Ländern haben zugestimmt; erforderlich sind 11. Angenommen.",
        ),
        (
            {"rule": TWO_THIRDS, "members": 16, "yes": 10, "no": 0, "abstain": 0},
            "10 von 16 Ländern haben zugestimmt; erforderlich sind 11. Abgelehnt.",
        ),
        (
            {"rule": TWO_THIRDS, "members": 16, "yes": 16, "no": 0, "abstain": 0},
            "16 von 16 Ländern haben zugestimmt; erforderlich sind 11. Einstimmig angenommen.",
        ),
        (
            {"rule": TWO_THIRDS, "members": 1, "yes": 1, "no": 0, "abstain": 0},
            "1 von 1 Land hat zugestimmt; erforderlich ist 1. Einstimmig angenommen.",
        ),
        (
            {"rule": UNANIMITY, "members": 16, "yes": 15, "no": 1, "abstain": 0},
            "15 von 16 Ländern haben zugestimmt, 1 hat abgelehnt; erforderlich sind mindestens"
            " 11 Zustimmungen und keine Ablehnung. Abgelehnt.",
        ),
        (
            {
                "rule": UNANIMITY,
                "members": 16,
                "yes": 15,
                "no": 0,
                "abstain": 1,
                "abstention_breaks_unanimity": True,
            },
            "15 von 16 Ländern haben zugestimmt; erforderlich ist die Zustimmung aller 16"
            " Länder. Abgelehnt.",
        ),
        (
            {"rule": SIMPLE, "members": 16, "yes": 5, "no": 4, "abstain": 1},
            "5 Ja-Stimmen, 4 Nein-Stimmen, 1 Enthaltung; erforderlich sind mehr Ja- als"
            " Nein-Stimmen, also mindestens 5. Angenommen.",
        ),
    ],
)
def test_reason_de_explains_the_outcome_in_german(kwargs: dict[str, object], expected: str) -> None:
    assert evaluate(**kwargs).reason_de == expected  # type: ignore[arg-type]


# --- refused input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"members": 0, "yes": 0, "no": 0, "abstain": 0}, r"^members=0 must be at least 1$"),
        ({"members": -3, "yes": 0, "no": 0, "abstain": 0}, r"^members=-3 must be at least 1$"),
        ({"members": 16, "yes": -1, "no": 0, "abstain": 0}, r"^yes=-1 is negative$"),
        ({"members": 16, "yes": 0, "no": -2, "abstain": 0}, r"^no=-2 is negative$"),
        ({"members": 16, "yes": 0, "no": 0, "abstain": -1}, r"^abstain=-1 is negative$"),
        (
            {"members": 16, "yes": 11, "no": 5, "abstain": 1},
            r"^yes\+no\+abstain=17 exceeds members=16$",
        ),
        (
            {"members": 16, "yes": 17, "no": 0, "abstain": 0},
            r"^yes\+no\+abstain=17 exceeds members=16$",
        ),
    ],
)
def test_impossible_counts_are_refused_with_a_value_error_naming_the_count(
    kwargs: dict[str, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        evaluate(rule=TWO_THIRDS, **kwargs)


@pytest.mark.parametrize("members", [0, -1, -16])
def test_two_thirds_threshold_refuses_fewer_than_one_member(members: int) -> None:
    with pytest.raises(ValueError, match=rf"^members={members} must be at least 1$"):
        two_thirds_threshold(members)


@pytest.mark.parametrize(
    ("value", "type_name"), [(True, "bool"), (False, "bool"), (16.0, "float"), ("16", "str")]
)
def test_two_thirds_threshold_refuses_members_that_are_not_int(
    value: object, type_name: str
) -> None:
    with pytest.raises(TypeError, match=rf"^members must be an int, got {type_name}$"):
        two_thirds_threshold(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["members", "yes", "no", "abstain"])
@pytest.mark.parametrize(
    ("value", "type_name"),
    [(True, "bool"), (False, "bool"), (1.0, "float"), ("1", "str"), (None, "NoneType")],
)
def test_counts_that_are_not_int_are_refused_with_a_type_error_naming_the_count(
    name: str, value: object, type_name: str
) -> None:
    kwargs: dict[str, object] = {"members": 16, "yes": 1, "no": 1, "abstain": 1, name: value}

    with pytest.raises(TypeError, match=rf"^{name} must be an int, got {type_name}$"):
        evaluate(rule=TWO_THIRDS, **kwargs)  # type: ignore[arg-type]


def test_a_rule_that_is_not_a_majority_rule_is_refused_with_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"^rule must be a MajorityRule, got str$"):
        evaluate(rule="unanimity", members=16, yes=16, no=0, abstain=0)  # type: ignore[arg-type]


def test_abstention_breaks_unanimity_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match=r"^abstention_breaks_unanimity must be a bool, got int$"):
        evaluate(
            rule=UNANIMITY,
            members=16,
            yes=16,
            no=0,
            abstain=0,
            abstention_breaks_unanimity=1,  # type: ignore[arg-type]
        )


def test_outcome_is_frozen() -> None:
    outcome = evaluate(rule=TWO_THIRDS, members=16, yes=11, no=0, abstain=0)

    with pytest.raises(AttributeError):
        outcome.adopted = False  # type: ignore[misc]


# --- properties --------------------------------------------------------------------------------


@given(ballot=ballots(), rule=rules, strict=modes)
def test_one_more_yes_taken_from_the_absent_never_turns_adopted_into_rejected(
    ballot: dict[str, int], rule: MajorityRule, strict: bool
) -> None:
    """Monotonicity of DOMAIN rules 2 and 3: an absent Land that votes yes never hurts."""
    if ballot["yes"] + ballot["no"] + ballot["abstain"] == ballot["members"]:
        ballot["members"] += 1  # make room: one more member, who is absent

    before = evaluate(rule=rule, abstention_breaks_unanimity=strict, **ballot)
    after = evaluate(
        rule=rule, abstention_breaks_unanimity=strict, **{**ballot, "yes": ballot["yes"] + 1}
    )

    assert after.absent == before.absent - 1
    assert after.adopted or not before.adopted
    assert after.unanimous or not before.unanimous


@given(members=st.integers(min_value=1, max_value=10**30))
def test_threshold_is_at_least_one_and_never_exceeds_members(members: int) -> None:
    """DOMAIN rule 2: the threshold is ceil(2 * members / 3), exactly."""
    threshold = two_thirds_threshold(members)

    assert 1 <= threshold <= members
    assert threshold == math.ceil(Fraction(2 * members, 3))


@given(ballot=ballots(), rule=rules, strict=modes)
def test_member_based_thresholds_stay_within_members_and_adoption_means_reaching_them(
    ballot: dict[str, int], rule: MajorityRule, strict: bool
) -> None:
    """DOMAIN rules 2 and 3 bound the threshold by members; the simple majority needs no + 1."""
    outcome = evaluate(rule=rule, abstention_breaks_unanimity=strict, **ballot)

    if rule is SIMPLE:
        assert outcome.threshold == outcome.no + 1
    else:
        assert 1 <= outcome.threshold <= outcome.members
    assert outcome.adopted == (
        outcome.yes >= outcome.threshold and (rule is not UNANIMITY or outcome.no == 0)
    )


@given(ballot=ballots(), rule=rules, strict=modes)
def test_absent_is_members_minus_the_other_counts_and_never_negative(
    ballot: dict[str, int], rule: MajorityRule, strict: bool
) -> None:
    outcome = evaluate(rule=rule, abstention_breaks_unanimity=strict, **ballot)

    assert outcome.absent == ballot["members"] - ballot["yes"] - ballot["no"] - ballot["abstain"]
    assert outcome.absent >= 0
    assert all(
        type(value) is int
        for value in (outcome.members, outcome.yes, outcome.no, outcome.abstain, outcome.absent)
    )


@given(ballot=ballots(), rule=rules, strict=modes)
def test_unanimous_implies_no_land_voted_no_and_the_proposal_is_adopted_domain_rule_3(
    ballot: dict[str, int], rule: MajorityRule, strict: bool
) -> None:
    outcome = evaluate(rule=rule, abstention_breaks_unanimity=strict, **ballot)

    if outcome.unanimous:
        assert outcome.no == 0
        assert outcome.adopted is True


@given(ballot=ballots(), strict=modes)
def test_adopted_under_unanimity_implies_adopted_under_two_thirds_domain_rules_2_and_3(
    ballot: dict[str, int], strict: bool
) -> None:
    unanimity = evaluate(rule=UNANIMITY, abstention_breaks_unanimity=strict, **ballot)
    two_thirds = evaluate(rule=TWO_THIRDS, abstention_breaks_unanimity=strict, **ballot)

    if unanimity.adopted:
        assert two_thirds.adopted is True


@given(ballot=ballots(), rule=rules)
def test_strict_unanimity_implies_default_unanimity_domain_rule_3(
    ballot: dict[str, int], rule: MajorityRule
) -> None:
    strict = evaluate(rule=rule, abstention_breaks_unanimity=True, **ballot)
    default = evaluate(rule=rule, abstention_breaks_unanimity=False, **ballot)

    if strict.unanimous:
        assert default.unanimous is True


@given(ballot=ballots(), rule=rules, strict=modes)
def test_reason_de_always_ends_with_the_verdict(
    ballot: dict[str, int], rule: MajorityRule, strict: bool
) -> None:
    outcome = evaluate(rule=rule, abstention_breaks_unanimity=strict, **ballot)

    expected = (
        "Einstimmig angenommen."
        if outcome.adopted and outcome.unanimous
        else ("Angenommen." if outcome.adopted else "Abgelehnt.")
    )
    assert outcome.reason_de.endswith(f". {expected}")
