"""The one outcome wording (issue 11, Build 3; DOMAIN rules 1, 2, 3 and 8): every
combination of counts, body setting and majority rule, in German and English."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmk.voting.rules import MajorityRule, evaluate
from dmk.voting.wording import outcome_sentence, unknown_votes_sentence

TWO_THIRDS = MajorityRule.TWO_THIRDS_OF_MEMBERS
UNANIMITY = MajorityRule.UNANIMITY
SIMPLE = MajorityRule.SIMPLE_MAJORITY_OF_VOTES_CAST

FOUR_ABSENT = ["Berlin", "Hamburg", "Hessen", "Saarland"]
SIX_ABSENT = ["Berlin", "Bremen", "Hamburg", "Hessen", "Saarland", "Sachsen"]
ALL_16 = [f"Land {n}" for n in range(1, 17)]

# (rule, abstention breaks unanimity, yes, no names, abstain names, absent names, German)
CASES = [
    pytest.param(
        TWO_THIRDS,
        False,
        16,
        [],
        [],
        [],
        "einstimmig angenommen (16 Ja, 0 Nein, 0 Enthaltungen)",
        id="16-0-0",
    ),
    pytest.param(
        TWO_THIRDS,
        True,
        16,
        [],
        [],
        [],
        "einstimmig angenommen (16 Ja, 0 Nein, 0 Enthaltungen)",
        id="16-0-0-strict-body",
    ),
    pytest.param(
        TWO_THIRDS,
        False,
        11,
        [],
        ["Bremen"],
        FOUR_ABSENT,
        "einstimmig angenommen (11 Ja, 0 Nein, 1 Enthaltung: Bremen; "
        "nicht abgestimmt: Berlin, Hamburg, Hessen, Saarland)",
        id="11-0-1+4-absent-default-body",
    ),
    pytest.param(
        TWO_THIRDS,
        True,
        11,
        [],
        ["Bremen"],
        FOUR_ABSENT,
        "angenommen (11 Ja, 0 Nein, 1 Enthaltung: Bremen; "
        "nicht abgestimmt: Berlin, Hamburg, Hessen, Saarland)",
        id="11-0-1+4-absent-abstention-breaks-unanimity",
    ),
    pytest.param(
        TWO_THIRDS,
        True,
        15,
        [],
        ["Bremen"],
        [],
        "angenommen (15 Ja, 0 Nein, 1 Enthaltung: Bremen)",
        id="15-0-1-abstention-breaks-unanimity",
    ),
    pytest.param(
        TWO_THIRDS,
        False,
        15,
        [],
        ["Bremen"],
        [],
        "einstimmig angenommen (15 Ja, 0 Nein, 1 Enthaltung: Bremen)",
        id="15-0-1-default-body",
    ),
    pytest.param(
        TWO_THIRDS,
        False,
        15,
        ["Bayern"],
        [],
        [],
        "angenommen (15 Ja, 1 Nein: Bayern, 0 Enthaltungen)",
        id="15-1-0",
    ),
    pytest.param(
        TWO_THIRDS,
        False,
        11,
        ["Bayern", "Berlin", "Bremen", "Hessen", "Sachsen"],
        [],
        [],
        "angenommen (11 Ja, 5 Nein: Bayern, Berlin, Bremen, Hessen, Sachsen, 0 Enthaltungen)",
        id="11-5-0",
    ),
    pytest.param(
        TWO_THIRDS,
        False,
        10,
        [],
        [],
        SIX_ABSENT,
        "abgelehnt (10 Ja, 0 Nein, 0 Enthaltungen; nicht abgestimmt: Berlin, Bremen, Hamburg, "
        "Hessen, Saarland, Sachsen); erforderlich: mindestens 11 Ja-Stimmen",
        id="10-0-0-quorum-not-reached",
    ),
    pytest.param(
        TWO_THIRDS,
        False,
        10,
        [],
        ["Bremen", "Sachsen"],
        FOUR_ABSENT,
        "abgelehnt (10 Ja, 0 Nein, 2 Enthaltungen: Bremen, Sachsen; nicht abgestimmt: Berlin, "
        "Hamburg, Hessen, Saarland); erforderlich: mindestens 11 Ja-Stimmen",
        id="10-0-2+4-absent",
    ),
    pytest.param(
        TWO_THIRDS,
        False,
        0,
        [],
        [],
        ALL_16,
        "abgelehnt (0 Ja, 0 Nein, 0 Enthaltungen; nicht abgestimmt: "
        + ", ".join(ALL_16)
        + "); erforderlich: mindestens 11 Ja-Stimmen",
        id="nobody-voted",
    ),
    pytest.param(
        UNANIMITY,
        False,
        15,
        ["Bayern"],
        [],
        [],
        "abgelehnt (15 Ja, 1 Nein: Bayern, 0 Enthaltungen); erforderlich: keine Nein-Stimme "
        "und mindestens 11 Ja-Stimmen",
        id="institutional-15-1-0",
    ),
    pytest.param(
        UNANIMITY,
        True,
        15,
        [],
        ["Bremen"],
        [],
        "abgelehnt (15 Ja, 0 Nein, 1 Enthaltung: Bremen); erforderlich: Zustimmung aller 16 Länder",
        id="institutional-15-0-1-abstention-breaks-unanimity",
    ),
    pytest.param(
        UNANIMITY,
        False,
        12,
        [],
        [],
        FOUR_ABSENT,
        "einstimmig angenommen (12 Ja, 0 Nein, 0 Enthaltungen; nicht abgestimmt: Berlin, "
        "Hamburg, Hessen, Saarland)",
        id="institutional-12-0-0+4-absent-default-body",
    ),
    pytest.param(
        SIMPLE,
        False,
        3,
        ["Bayern", "Berlin", "Bremen"],
        ["Hessen", "Sachsen"],
        ALL_16[:8],
        "abgelehnt (3 Ja, 3 Nein: Bayern, Berlin, Bremen, 2 Enthaltungen: Hessen, Sachsen; "
        "nicht abgestimmt: " + ", ".join(ALL_16[:8]) + "); erforderlich: mehr Ja- als "
        "Nein-Stimmen",
        id="simple-majority-tie",
    ),
    pytest.param(
        SIMPLE,
        False,
        4,
        ["Bayern"],
        [],
        ALL_16[:11],
        "angenommen (4 Ja, 1 Nein: Bayern, 0 Enthaltungen; nicht abgestimmt: "
        + ", ".join(ALL_16[:11])
        + ")",
        id="simple-majority-4-1",
    ),
]


def _outcome(rule, strict, yes, no, abstain):
    return evaluate(
        rule=rule,
        members=16,
        yes=yes,
        no=len(no),
        abstain=len(abstain),
        abstention_breaks_unanimity=strict,
    )


@pytest.mark.parametrize(("rule", "strict", "yes", "no", "abstain", "absent", "german"), CASES)
def test_the_outcome_sentence_names_every_lands_part_in_german(
    rule, strict, yes, no, abstain, absent, german
):
    outcome = _outcome(rule, strict, yes, no, abstain)

    sentence = outcome_sentence(outcome, no=no, abstain=abstain, absent=absent, language="de")

    assert sentence == german


ENGLISH = [
    pytest.param(
        TWO_THIRDS,
        False,
        16,
        [],
        [],
        [],
        "adopted unanimously (16 yes, 0 no, 0 abstentions)",
        id="16-0-0",
    ),
    pytest.param(
        TWO_THIRDS,
        False,
        11,
        [],
        ["Bremen"],
        ["Berlin", "Hamburg", "Hesse", "Saarland"],
        "adopted unanimously (11 yes, 0 no, 1 abstention: Bremen; did not vote: Berlin, "
        "Hamburg, Hesse, Saarland)",
        id="11-0-1+4-absent-default-body",
    ),
    pytest.param(
        TWO_THIRDS,
        True,
        11,
        [],
        ["Bremen"],
        ["Berlin", "Hamburg", "Hesse", "Saarland"],
        "adopted (11 yes, 0 no, 1 abstention: Bremen; did not vote: Berlin, Hamburg, Hesse, "
        "Saarland)",
        id="11-0-1+4-absent-abstention-breaks-unanimity",
    ),
    pytest.param(
        TWO_THIRDS,
        False,
        15,
        ["Bavaria"],
        [],
        [],
        "adopted (15 yes, 1 no: Bavaria, 0 abstentions)",
        id="15-1-0",
    ),
    pytest.param(
        TWO_THIRDS,
        False,
        10,
        [],
        [],
        SIX_ABSENT,
        "rejected (10 yes, 0 no, 0 abstentions; did not vote: Berlin, Bremen, Hamburg, Hessen, "
        "Saarland, Sachsen); required: at least 11 yes votes",
        id="10-0-0-quorum-not-reached",
    ),
    pytest.param(
        UNANIMITY,
        True,
        15,
        [],
        ["Bremen"],
        [],
        "rejected (15 yes, 0 no, 1 abstention: Bremen); required: the assent of all 16 Länder",
        id="institutional-abstention-breaks-unanimity",
    ),
    pytest.param(
        UNANIMITY,
        False,
        15,
        ["Bavaria"],
        [],
        [],
        "rejected (15 yes, 1 no: Bavaria, 0 abstentions); required: no vote against and at "
        "least 11 yes votes",
        id="institutional-15-1-0",
    ),
    pytest.param(
        SIMPLE,
        False,
        1,
        ["Bavaria"],
        [],
        ALL_16[:14],
        "rejected (1 yes, 1 no: Bavaria, 0 abstentions; did not vote: "
        + ", ".join(ALL_16[:14])
        + "); required: more yes than no votes",
        id="simple-majority-tie",
    ),
]


@pytest.mark.parametrize(("rule", "strict", "yes", "no", "abstain", "absent", "english"), ENGLISH)
def test_the_outcome_sentence_is_the_same_in_english(
    rule, strict, yes, no, abstain, absent, english
):
    outcome = _outcome(rule, strict, yes, no, abstain)

    sentence = outcome_sentence(outcome, no=no, abstain=abstain, absent=absent, language="en")

    assert sentence == english


def test_the_active_language_is_used_when_none_is_given(settings):
    from django.utils import translation

    outcome = _outcome(TWO_THIRDS, False, 16, [], [])
    with translation.override("en"):
        assert outcome_sentence(outcome).startswith("adopted unanimously (16 yes")
    with translation.override("de"):
        assert outcome_sentence(outcome).startswith("einstimmig angenommen (16 Ja")


@pytest.mark.parametrize("field", ["no", "abstain", "absent"])
def test_fewer_names_than_counted_is_refused_rather_than_written(field):
    """A record that counts a Land but does not name it would be wrong (issue 11, defect 2)."""
    outcome = _outcome(TWO_THIRDS, False, 11, ["Bayern"], ["Bremen"])
    names = {"no": ["Bayern"], "abstain": ["Bremen"], "absent": ["A", "B", "C"]}
    names[field] = names[field][:-1]

    with pytest.raises(ValueError, match=field):
        outcome_sentence(outcome, **names)


def test_the_historic_record_says_the_votes_are_not_known_and_invents_no_counts():
    assert unknown_votes_sentence(language="de") == (
        "Das Abstimmungsergebnis je Land ist für diesen Beschluss nicht überliefert."
    )
    assert unknown_votes_sentence(language="en") == (
        "The votes of the individual Länder on this resolution are not on record."
    )


@st.composite
def _ballots(draw):
    members = draw(st.integers(min_value=1, max_value=20))
    yes = draw(st.integers(min_value=0, max_value=members))
    no = draw(st.integers(min_value=0, max_value=members - yes))
    abstain = draw(st.integers(min_value=0, max_value=members - yes - no))
    rule = draw(st.sampled_from(list(MajorityRule)))
    strict = draw(st.booleans())
    return evaluate(
        rule=rule,
        members=members,
        yes=yes,
        no=no,
        abstain=abstain,
        abstention_breaks_unanimity=strict,
    )


@given(outcome=_ballots(), language=st.sampled_from(["de", "en"]))
def test_every_sentence_names_every_land_and_says_unanimous_only_when_it_was(outcome, language):
    """DOMAIN rule 3 and issue 11 defect 2: whatever the counts, each Land that voted no,
    abstained or did not vote is named, and "einstimmig" / "unanimously" stands exactly when
    the stored outcome is adopted and unanimous in the body's sense."""
    names = iter(f"Land-{n:02d}" for n in range(outcome.members))
    no = [next(names) for _ in range(outcome.no)]
    abstain = [next(names) for _ in range(outcome.abstain)]
    absent = [next(names) for _ in range(outcome.absent)]

    sentence = outcome_sentence(outcome, no=no, abstain=abstain, absent=absent, language=language)

    for name in [*no, *abstain, *absent]:
        assert name in sentence
    word = "einstimmig" if language == "de" else "unanimously"
    assert (word in sentence) == (outcome.adopted and outcome.unanimous)
    yes_word = "Ja" if language == "de" else "yes"
    assert f"({outcome.yes} {yes_word}, " in sentence
