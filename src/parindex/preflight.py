"""The phase pre-flight: before a cycle moves forward, what is unfinished per unit and what will
happen to it.

Pure: the web shell reads each unit's state from its database into :class:`UnitState` and
translates the :class:`Issue` and :class:`Effect` codes into sentences. :func:`preflight` returns
only the units with at least one finding, in the order given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Effect", "Finding", "Issue", "Move", "Preflight", "UnitCheck", "UnitState", "preflight"]


class Move(StrEnum):
    """A forward move of a cycle, named by the phase it opens."""

    APPRAISAL = "appraisal"  # self-assessment → appraisal
    EXPLANATION = "explanation"  # appraisal → explanations
    FINALISE = "finalised"  # explanations → finalised
    PUBLISH = "published"  # finalised → published (also a correction)


class Issue(StrEnum):
    """What is unfinished in a unit."""

    UNSIGNED = "unsigned"  # the leader has not signed off the self-assessment
    NOT_APPRAISED = "not_appraised"  # signed off, but the appraisal was not completed
    PENDING = "pending_explanations"  # explanations still await a decision (count)
    UNSCORED = "unscored"  # criteria without any points (count)
    NO_EVIDENCE = "missing_evidence"  # criteria asking for evidence with none linked (codes)
    EARLY = "before_deadline"  # the phase's deadline has not passed and the unit could act


class Effect(StrEnum):
    """What the move does to a unit with an issue."""

    CLOSED_AS_IS = "self_assessment_closed_as_is"
    NOT_APPRAISABLE = "cannot_be_appraised"
    SEEN_WITHOUT_EVIDENCE = "seen_without_evidence"
    APPRAISAL_CLOSED_AS_IS = "appraisal_closed_as_is"
    SELF_POINTS_COUNT = "self_points_count"
    COUNT_ZERO = "count_zero"
    REFUSED = "finalising_refused"
    TIME_CUT = "time_cut_short"
    PUBLISHED_UNAPPRAISED = "published_unappraised"


@dataclass(frozen=True)
class UnitState:
    """One unit in the cycle, as the move finds it.

    ``unscored``: criteria with no points that would count; ``missing_evidence``: codes of the
    criteria whose methodology asks for evidence and that have no document linked;
    ``pending``: explanations awaiting a decision; ``lowered``: criteria appraised below the
    self-assessment (the unit may still explain them before the explanation deadline).
    """

    unit: str
    signed: bool
    appraised: bool
    unscored: int = 0
    missing_evidence: tuple[str, ...] = ()
    pending: int = 0
    lowered: int = 0


@dataclass(frozen=True)
class Finding:
    """One issue of a unit, with its count or criteria codes where it has them, and effects."""

    issue: Issue
    effects: tuple[Effect, ...]
    count: int = 0
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitCheck:
    unit: str
    findings: tuple[Finding, ...]

    @property
    def issues(self) -> tuple[Issue, ...]:
        return tuple(f.issue for f in self.findings)


@dataclass(frozen=True)
class Preflight:
    """The units with findings; ``early`` is True when the phase's deadline has not passed."""

    move: Move
    early: bool
    units: tuple[UnitCheck, ...]

    @property
    def count(self) -> int:
        """Units with at least one finding: the number the secretariat confirms."""
        return len(self.units)

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.units) and not self.blocked

    @property
    def blocked(self) -> bool:
        """Finalising is refused while any explanation awaits a decision."""
        return any(Issue.PENDING in u.issues for u in self.units)


def _findings(move: Move, state: UnitState, early: bool) -> list[Finding]:
    found: list[Finding] = []
    if move is Move.FINALISE and state.pending:
        found.append(Finding(Issue.PENDING, (Effect.REFUSED,), count=state.pending))
    if not state.signed:
        effects = {
            Move.APPRAISAL: (Effect.CLOSED_AS_IS, Effect.NOT_APPRAISABLE),
            Move.EXPLANATION: (Effect.NOT_APPRAISABLE, Effect.SELF_POINTS_COUNT),
            Move.FINALISE: (Effect.SELF_POINTS_COUNT,),
            Move.PUBLISH: (Effect.PUBLISHED_UNAPPRAISED,),
        }[move]
        found.append(Finding(Issue.UNSIGNED, effects))
    elif not state.appraised and move is not Move.APPRAISAL:
        effects = {
            Move.EXPLANATION: (Effect.APPRAISAL_CLOSED_AS_IS, Effect.SELF_POINTS_COUNT),
            Move.FINALISE: (Effect.SELF_POINTS_COUNT,),
            Move.PUBLISH: (Effect.PUBLISHED_UNAPPRAISED,),
        }[move]
        found.append(Finding(Issue.NOT_APPRAISED, effects))
    if state.unscored:
        found.append(Finding(Issue.UNSCORED, (Effect.COUNT_ZERO,), count=state.unscored))
    if move is Move.APPRAISAL and state.signed and state.missing_evidence:
        codes = state.missing_evidence
        found.append(Finding(Issue.NO_EVIDENCE, (Effect.SEEN_WITHOUT_EVIDENCE,), len(codes), codes))
    could_act = {
        Move.APPRAISAL: not state.signed,
        Move.EXPLANATION: not state.appraised,
        Move.FINALISE: state.lowered > 0,
        Move.PUBLISH: False,
    }[move]
    if early and could_act:
        count = state.lowered if move is Move.FINALISE else 0
        found.append(Finding(Issue.EARLY, (Effect.TIME_CUT,), count=count))
    return found


def preflight(move: Move, units: Iterable[UnitState], *, early: bool = False) -> Preflight:
    """What moving forward does to each unit: the units with findings, in the order given.

    ``early``: the current phase's deadline has not passed (never for :attr:`Move.PUBLISH`).
    """
    early = early and move is not Move.PUBLISH
    checks = []
    for state in units:
        found = _findings(move, state, early)
        if found:
            checks.append(UnitCheck(state.unit, tuple(found)))
    return Preflight(move, early, tuple(checks))
