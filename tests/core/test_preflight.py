"""The phase pre-flight as a table: unit state × move → findings (issue, effects, count, codes)."""

from __future__ import annotations

import pytest

from parindex.preflight import Effect, Finding, Issue, Move, UnitState, preflight

E = Effect
DONE = UnitState("u", signed=True, appraised=True)
DRAFT = UnitState("u", signed=False, appraised=False)
SIGNED = UnitState("u", signed=True, appraised=False)

CASES = [
    # (state, move, early, expected findings)
    (DONE, Move.APPRAISAL, True, []),
    (DONE, Move.EXPLANATION, True, []),
    (DONE, Move.PUBLISH, False, []),
    (SIGNED, Move.APPRAISAL, True, []),
    (DRAFT, Move.APPRAISAL, False, [Finding(Issue.UNSIGNED, (E.CLOSED_AS_IS, E.NOT_APPRAISABLE))]),
    (
        DRAFT,
        Move.APPRAISAL,
        True,
        [
            Finding(Issue.UNSIGNED, (E.CLOSED_AS_IS, E.NOT_APPRAISABLE)),
            Finding(Issue.EARLY, (E.TIME_CUT,)),
        ],
    ),
    (
        UnitState("u", False, False, unscored=80),
        Move.APPRAISAL,
        False,
        [
            Finding(Issue.UNSIGNED, (E.CLOSED_AS_IS, E.NOT_APPRAISABLE)),
            Finding(Issue.UNSCORED, (E.COUNT_ZERO,), count=80),
        ],
    ),
    (
        UnitState("u", True, False, missing_evidence=("1.1.1", "1.4.1")),
        Move.APPRAISAL,
        True,
        [Finding(Issue.NO_EVIDENCE, (E.SEEN_WITHOUT_EVIDENCE,), 2, ("1.1.1", "1.4.1"))],
    ),
    # An unsigned unit's missing evidence is not listed: no appraiser will see it.
    (
        UnitState("u", False, False, missing_evidence=("1.1.1",)),
        Move.APPRAISAL,
        False,
        [Finding(Issue.UNSIGNED, (E.CLOSED_AS_IS, E.NOT_APPRAISABLE))],
    ),
    # Evidence matters when appraisal opens, not later.
    (UnitState("u", True, True, missing_evidence=("1.1.1",)), Move.EXPLANATION, False, []),
    (
        SIGNED,
        Move.EXPLANATION,
        True,
        [
            Finding(Issue.NOT_APPRAISED, (E.APPRAISAL_CLOSED_AS_IS, E.SELF_POINTS_COUNT)),
            Finding(Issue.EARLY, (E.TIME_CUT,)),
        ],
    ),
    (
        DRAFT,
        Move.EXPLANATION,
        False,
        [Finding(Issue.UNSIGNED, (E.NOT_APPRAISABLE, E.SELF_POINTS_COUNT))],
    ),
    (
        UnitState("u", True, True, pending=2),
        Move.FINALISE,
        False,
        [Finding(Issue.PENDING, (E.REFUSED,), count=2)],
    ),
    # Pending explanations only matter for finalising.
    (UnitState("u", True, True, pending=2), Move.EXPLANATION, False, []),
    (SIGNED, Move.FINALISE, False, [Finding(Issue.NOT_APPRAISED, (E.SELF_POINTS_COUNT,))]),
    (DRAFT, Move.FINALISE, False, [Finding(Issue.UNSIGNED, (E.SELF_POINTS_COUNT,))]),
    (
        UnitState("u", True, True, lowered=3),
        Move.FINALISE,
        True,
        [Finding(Issue.EARLY, (E.TIME_CUT,), count=3)],
    ),
    (UnitState("u", True, True, lowered=3), Move.FINALISE, False, []),
    (UnitState("u", True, True), Move.FINALISE, True, []),
    (
        UnitState("u", True, True, unscored=5),
        Move.FINALISE,
        False,
        [Finding(Issue.UNSCORED, (E.COUNT_ZERO,), count=5)],
    ),
    (DRAFT, Move.PUBLISH, True, [Finding(Issue.UNSIGNED, (E.PUBLISHED_UNAPPRAISED,))]),
    (SIGNED, Move.PUBLISH, False, [Finding(Issue.NOT_APPRAISED, (E.PUBLISHED_UNAPPRAISED,))]),
    (
        UnitState("u", True, True, unscored=1),
        Move.PUBLISH,
        False,
        [Finding(Issue.UNSCORED, (E.COUNT_ZERO,), count=1)],
    ),
]


@pytest.mark.parametrize(("state", "move", "early", "expected"), CASES)
def test_each_unit_state_and_move_gives_its_findings(
    state: UnitState, move: Move, early: bool, expected: list[Finding]
) -> None:
    result = preflight(move, [state], early=early)
    assert [list(u.findings) for u in result.units] == ([expected] if expected else [])


def test_only_units_with_findings_are_listed_in_the_given_order() -> None:
    states = [
        UnitState("b", False, False),
        UnitState("a", True, False),
        UnitState("c", False, False, unscored=2),
    ]
    result = preflight(Move.APPRAISAL, states, early=True)
    assert [u.unit for u in result.units] == ["b", "c"]
    assert result.units[1].issues == (Issue.UNSIGNED, Issue.UNSCORED, Issue.EARLY)
    assert result.count == 2 and result.early
    assert result.needs_confirmation and not result.blocked


def test_pending_explanations_block_finalising_instead_of_asking_to_confirm() -> None:
    result = preflight(Move.FINALISE, [UnitState("a", True, True, pending=1), DRAFT])
    assert result.blocked and not result.needs_confirmation and result.count == 2


def test_nothing_unfinished_needs_no_confirmation() -> None:
    result = preflight(Move.EXPLANATION, [DONE, DONE], early=True)
    assert result.units == () and result.count == 0
    assert not result.needs_confirmation and not result.blocked


def test_a_publication_is_never_early() -> None:
    assert not preflight(Move.PUBLISH, [DONE], early=True).early
