"""The one wording of a vote's outcome (issue 11, Build 3; DOMAIN rules 1–3, 8).

Every place that states how a vote ended — the session cockpit and ballot page, the public
resolution page and the resolution feeds, the written-procedure page and its proof PDF, the
Ergebnisprotokoll, OParl — takes its sentence from :func:`outcome_sentence` (or one of the
helpers below, which collect the Land names and call it). A record must never hide who
abstained or did not take part, so the sentence always names them beside the verdict:

    einstimmig angenommen (11 Ja, 0 Nein, 1 Enthaltung: Bremen; nicht abgestimmt: Berlin,
    Hamburg, Hessen, Saarland)
    adopted unanimously (11 yes, 0 no, 1 abstention: Bremen; did not vote: Berlin, Hamburg,
    Hesse, Saarland)

"einstimmig" is said only when the stored outcome is unanimous, i.e. in the sense the body
configured (``Body.abstention_breaks_unanimity``, DOMAIN rule 3): by default no Land voted no
and the two-thirds quorum of rule 2 is met; in a stricter body every Land voted yes.

The text is in the active language (German, or English from the English catalog); pass
``language`` to force one. The first letter is lower case, as the sentence usually follows a
label ("Abstimmung: …"); use ``capfirst`` where it starts a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dmk.voting.rules import MajorityRule, Outcome

__all__ = [
    "ballot_outcome_sentence",
    "names_by_choice",
    "outcome_sentence",
    "unknown_votes_sentence",
    "written_procedure_outcome_sentence",
]


def outcome_sentence(
    outcome: Outcome,
    *,
    no: Sequence[str] = (),
    abstain: Sequence[str] = (),
    absent: Sequence[str] = (),
    language: str | None = None,
) -> str:
    """The sentence stating ``outcome``, with every Land that voted no, abstained or did not
    vote named beside the counts.

    Inputs: ``outcome`` a :class:`dmk.voting.rules.Outcome` (counts of *Länder*, DOMAIN rule
    1; ``unanimous`` as computed under the body's setting, rule 3); ``no``, ``abstain`` and
    ``absent`` the names of the Länder (in the language wanted, in the order to show) that
    voted no, abstained and did not vote (or, in a written procedure, did not answer by the
    deadline: rule 8). ``language`` ("de", "en") forces the language; default the active one.

    Output, German / English (``…`` stands for the names):

    - ``"einstimmig angenommen (16 Ja, 0 Nein, 0 Enthaltungen)"`` /
      ``"adopted unanimously (16 yes, 0 no, 0 abstentions)"``
    - ``"einstimmig angenommen (11 Ja, 0 Nein, 1 Enthaltung: Bremen; nicht abgestimmt: …)"``
      (default body: an abstention and absent Länder do not break unanimity, but are named)
    - ``"angenommen (15 Ja, 1 Nein: Bayern, 0 Enthaltungen)"`` / ``"adopted (…)"``
    - ``"abgelehnt (10 Ja, 0 Nein, 0 Enthaltungen; nicht abgestimmt: …); erforderlich: mindestens
      11 Ja-Stimmen"`` / ``"rejected (…); required: at least 11 yes votes"``

    A verdict "einstimmig" appears only when ``outcome.adopted and outcome.unanimous``; the
    requirement is added only to a rejection (rule 2: two thirds of all members; rule 3:
    unanimity; or more yes than no for a simple majority).

    Raises ``ValueError`` if a list of names does not have as many entries as its count in
    ``outcome`` (a record that names fewer Länder than it counts would be wrong).
    """
    for label, names, count in (
        ("no", no, outcome.no),
        ("abstain", abstain, outcome.abstain),
        ("absent", absent, outcome.absent),
    ):
        if len(names) != count:
            raise ValueError(f"{len(names)} names given for {label}={count}")
    with _language(language):
        if outcome.adopted and outcome.unanimous:
            verdict = _("einstimmig angenommen")
        elif outcome.adopted:
            verdict = _("angenommen")
        else:
            verdict = _("abgelehnt")
        counts = ", ".join(
            (
                _("%(count)d Ja") % {"count": outcome.yes},
                _named(_("%(count)d Nein") % {"count": outcome.no}, no),
                _named(
                    ngettext("%(count)d Enthaltung", "%(count)d Enthaltungen", outcome.abstain)
                    % {"count": outcome.abstain},
                    abstain,
                ),
            )
        )
        if absent:
            counts += "; " + _("nicht abgestimmt: %(names)s") % {"names": ", ".join(absent)}
        text = _("%(verdict)s (%(counts)s)") % {"verdict": verdict, "counts": counts}
        if not outcome.adopted:
            text += "; " + _requirement(outcome)
        return text


def unknown_votes_sentence(*, language: str | None = None) -> str:
    """The honest sentence for a resolution of the historic record whose per-Land votes were
    never published (``Resolution.vote_table_known`` False): no counts are invented."""
    with _language(language):
        return _("Das Abstimmungsergebnis je Land ist für diesen Beschluss nicht überliefert.")


def names_by_choice(
    votes: Iterable[Any], states: Iterable[Any]
) -> tuple[list[str], list[str], list[str]]:
    """``(no, abstain, absent)``: the names (``State.name``, active language) of the Länder
    among ``states`` (all member Länder, in display order) whose vote in ``votes`` (objects
    with ``state_id`` and ``choice``) is no or abstain, or who have no vote at all."""
    choice_of = {vote.state_id: vote.choice for vote in votes}
    no: list[str] = []
    abstain: list[str] = []
    absent: list[str] = []
    for state in states:
        choice = choice_of.get(state.pk)
        if choice == "no":
            no.append(state.name)
        elif choice == "abstain":
            abstain.append(state.name)
        elif choice is None:
            absent.append(state.name)
    return no, abstain, absent


def _stored_sentence(obj: Any, *, states: Iterable[Any] | None, language: str | None) -> str:
    outcome = obj.stored_outcome
    if outcome is None:
        return ""
    from dmk.bodies.models import State

    with _language(language):
        all_states = list(states) if states is not None else list(State.objects.order_by("name_de"))
        no, abstain, absent = names_by_choice(obj.votes.all(), all_states)
        return outcome_sentence(outcome, no=no, abstain=abstain, absent=absent)


def ballot_outcome_sentence(
    ballot: Any, *, states: Iterable[Any] | None = None, language: str | None = None
) -> str:
    """:func:`outcome_sentence` for a closed ``voting.Ballot`` (its stored outcome and its
    votes), or ``""`` while it is open. ``states``: all Länder ordered by German name, if the
    caller has them (saves a query); ``ballot.votes`` may be prefetched. A transferred vote
    counts for the Land it belongs to (DOMAIN rule 4)."""
    return _stored_sentence(ballot, states=states, language=language)


def written_procedure_outcome_sentence(
    procedure: Any, *, states: Iterable[Any] | None = None, language: str | None = None
) -> str:
    """:func:`outcome_sentence` for a closed ``voting.WrittenProcedure``, or ``""`` while it
    runs or after it was stopped (it has no outcome then; DOMAIN rule 8). Länder that did not
    answer by the deadline are named as not having voted."""
    return _stored_sentence(procedure, states=states, language=language)


def _named(count_text: str, names: Sequence[str]) -> str:
    return f"{count_text}: {', '.join(names)}" if names else count_text


def _requirement(outcome: Outcome) -> str:
    if outcome.rule is MajorityRule.UNANIMITY:
        if outcome.threshold == outcome.members:
            return _("erforderlich: Zustimmung aller %(count)d Länder") % {"count": outcome.members}
        return _("erforderlich: keine Nein-Stimme und mindestens %(count)d Ja-Stimmen") % {
            "count": outcome.threshold
        }
    if outcome.rule is MajorityRule.SIMPLE_MAJORITY_OF_VOTES_CAST:
        return _("erforderlich: mehr Ja- als Nein-Stimmen")
    return ngettext(
        "erforderlich: mindestens %(count)d Ja-Stimme",
        "erforderlich: mindestens %(count)d Ja-Stimmen",
        outcome.threshold,
    ) % {"count": outcome.threshold}


def _language(language: str | None) -> AbstractContextManager[Any]:
    """Activate ``language`` for the block, or keep the active one when None."""
    return translation.override(language) if language else nullcontext()
