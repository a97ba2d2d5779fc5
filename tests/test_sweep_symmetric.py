"""The vectorised sweep of symmetric games against the exact row (``symmetric_row``).

Every row of :class:`~credibility.sweeps.symmetric.SymmetricEvaluator` must equal the exact
path's at its point: labels and counts exactly, the floats to 1e-12 relative (the exact
path rounds ``evalf(17)``; the vectorised one finds the root in floats). Ties go to the
exact fallback, and so do multiple roots (tangencies); on generic grids almost nothing does.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import credibility as cr
from credibility.errors import CredibilityError
from credibility.models.symmetric import K_NAME, ActionPayoff, Step, SymmetricGame
from credibility.parameters import Parameter
from credibility.sweeps import symmetric as module
from credibility.sweeps.grid import make_grid, parse_grid
from credibility.sweeps.symmetric import SymmetricEvaluator, symmetric_row

F = Fraction

VOLUNTEER = cr.load("collective_defence_n")
ARTICLE5 = cr.load("article5_threshold")
BURDEN = cr.load("burden_sharing_n")


def _same(row: Mapping[str, Any], expected: Mapping[str, Any], where: object) -> None:
    assert row["outcome"] == expected["outcome"], where
    assert row["n_equilibria"] == expected["n_equilibria"], where
    for column in ("p_mixed", "p_answer"):
        got, want = float(row[column]), float(expected[column])
        if math.isnan(want):
            assert math.isnan(got), (where, column, got)
        else:
            assert math.isclose(got, want, rel_tol=1e-12, abs_tol=0), (where, column, got, want)


def _check(
    game: SymmetricGame, grids: list[str], params: Mapping[str, Fraction] | None = None
) -> SymmetricEvaluator:
    """Evaluate the grid in two chunks and compare every row with the exact one."""
    params = dict(params or {})
    grid = make_grid(dict(parse_grid(text) for text in grids), game.parameters)
    evaluator = SymmetricEvaluator(game, grid.names, params)
    half = grid.size // 2
    for start, stop in ((0, half), (half, grid.size)):
        chunk = grid.chunk(start, stop)
        rows = evaluator.evaluate(chunk)
        for i in range(len(chunk)):
            point = chunk.exact(i)
            row = {name: column[i] for name, column in rows.items()}
            _same(row, symmetric_row(game, params | point), point)
    return evaluator


# -- catalog models on generic grids: every row exact, (almost) no fallback ----------------------


def test_volunteers_dilemma_grid_matches_the_exact_rows():
    evaluator = _check(VOLUNTEER, ["n=2:32:31", "c=0.15:3.85:6"])
    assert evaluator.fallbacks == 0


def test_burden_sharing_grid_matches_the_exact_rows():
    # c = 45/n ties (every p) at a few points: 45/12 = 3.75, 45/15 = 3, 45/18 = 2.5, ...
    evaluator = _check(BURDEN, ["n=2:32:31", "c=0.25:4.25:17"])
    ties = sum(1 for n in range(2, 33) for i in range(17) if F(45, n) == F(1 + i, 4))
    assert evaluator.fallbacks == ties == 5


def test_threshold_game_grid_with_one_needed_matches_the_exact_rows():
    evaluator = _check(ARTICLE5, ["n=3:32:30", "c=0.5:12:12"], {"m": F(1)})
    assert evaluator.fallbacks == 0  # c = b = 10 is not on this grid


def test_threshold_game_over_thresholds_and_benefits_matches_the_exact_rows():
    # m >= 2 with b > c has two sign changes (subdivision); n = 4, b = 9/2, m = 2 or 3 is a
    # tangency (a double root: b max 3 p (1-p)^2 = c), which only the exact path decides
    evaluator = _check(ARTICLE5, ["n=3:9:7", "m=1:3:3", "b=0.5:12.5:4"], {"c": F(2)})
    assert evaluator.fallbacks == 2


# -- ties hit exactly go through the fallback and agree ----------------------------------------


def test_ties_in_the_volunteers_dilemma_go_to_the_exact_path(monkeypatch):
    spied: list[dict[str, Fraction]] = []

    def spy(game: SymmetricGame, params: Mapping[str, Fraction]) -> dict[str, object]:
        spied.append(dict(params))
        return symmetric_row(game, params)

    monkeypatch.setattr(module, "symmetric_row", spy)
    # c = 0: d(k) = 0 for k >= 1; c = b = 4: d(0) = 0; c = 2: generic
    evaluator = _check(VOLUNTEER, ["n=2:32:31", "c=0,2,4"])
    assert evaluator.fallbacks == len(spied) == 2 * 31
    assert {p["c"] for p in spied} == {F(0), F(4)}


def test_every_p_ties_are_labelled_as_the_exact_path_does():
    grid = make_grid({"n": [3, 5, 9], "c": ["15", "9", "5", "1"]}, BURDEN.parameters)
    evaluator = SymmetricEvaluator(BURDEN, grid.names, {})
    rows = evaluator.evaluate(grid.chunk(0, grid.size))
    ties = [i for i in range(grid.size) if rows["outcome"][i] == "every p (the actions tie)"]
    assert ties == [0, 5, 10]  # b/n = c: 45/3 = 15, 45/5 = 9, 45/9 = 5
    assert evaluator.fallbacks == 3
    _check(BURDEN, ["n=3,5,9", "c=15,9,5,1"])


def test_a_wider_member_count_than_the_catalog_allows():
    n, b, c = Parameter("n", F(3), F(2), F(40)), Parameter("b", F(4), F(0)), Parameter("c", F(1))
    wide = SymmetricGame(
        "n",
        ("Defend", "Abstain"),
        (
            ActionPayoff(b.symbol - c.symbol),
            ActionPayoff(sympy.Integer(0), (Step(sympy.Integer(1), b.symbol),)),
        ),
        (n, b, c),
    )
    evaluator = _check(wide, ["n=2:40:39", "c=0.3,3.7"])
    assert evaluator.fallbacks == 0


def test_points_the_exact_path_refuses_raise_its_error_naming_the_point():
    grid = make_grid({"n": ["2", "11/4"], "c": ["1"]}, VOLUNTEER.parameters)
    evaluator = SymmetricEvaluator(VOLUNTEER, grid.names, {})
    with pytest.raises(CredibilityError, match=r"at the grid point n=11/4, c=1: .*integer"):
        evaluator.evaluate(grid.chunk(0, grid.size))


def test_payoffs_that_may_be_irrational_are_solved_exactly_everywhere():
    n, c = Parameter("n", F(3), F(2), F(8)), Parameter("c", F(1))
    game = SymmetricGame(
        "n",
        ("Defend", "Abstain"),
        (ActionPayoff(2**c.symbol - 3), ActionPayoff(sympy.Integer(0))),
        (n, c),
    )
    evaluator = _check(game, ["n=2:4:3", "c=0,1,3"])
    assert evaluator.fallbacks == 9
    grid = make_grid({"c": ["1/2"]}, game.parameters)
    with pytest.raises(CredibilityError, match=r"at the grid point c=1/2: .*not rational"):
        SymmetricEvaluator(game, grid.names, {}).evaluate(grid.chunk(0, 1))


# -- two or more sign changes: Bernstein subdivision, exact where a root may be multiple ---------

#: The threshold game with thresholds up to 8 (the catalog stops at 3).
THRESHOLDS = dataclasses.replace(
    ARTICLE5,
    parameters=tuple(
        dataclasses.replace(p, maximum=F(8)) if p.name == "m" else p for p in ARTICLE5.parameters
    ),
)


@pytest.mark.parametrize("m", [2, 3, pytest.param(5, marks=pytest.mark.slow)])
def test_threshold_game_with_two_sign_changes_is_vectorised(m):
    # d(k) = b [k = m-1] - c: V = 2 everywhere (c < b); two roots, none, or (near the
    # tangency c = b max B_{m-1}) the exact path
    evaluator = _check(THRESHOLDS, ["n=3:31:5", "c=0.15:9.95:8"], {"m": F(m)})
    assert evaluator.fallbacks <= 2


def _gain_game(coefficients: list[Fraction]) -> SymmetricGame:
    """A game with ``D(p) = s sum_j a_j p^j`` (``s`` swept): ``d(k) = s sum_j a_j C(k, j) /
    C(n-1, j)``, the Bernstein coefficients of ``p^j`` in degree ``n - 1``."""
    n, s = Parameter("n", F(5), F(4), F(12)), Parameter("s", F(1))
    k = sympy.Symbol(K_NAME)
    gain = sympy.Integer(0)
    for j, a in enumerate(coefficients):
        term = sympy.Rational(a.numerator, a.denominator)
        for i in range(j):
            term *= (k - i) / (n.symbol - 1 - i)
        gain += term
    return SymmetricGame(
        "n",
        ("Defend", "Abstain"),
        (ActionPayoff(s.symbol * gain), ActionPayoff(sympy.Integer(0))),
        (n, s),
    )


def _power(roots: list[Fraction]) -> list[Fraction]:
    """The coefficients (lowest first) of the product of ``p - r``."""
    coefficients = [F(1)]
    for r in roots:
        shifted = [F(0), *coefficients]
        coefficients = [a - r * b for a, b in zip(shifted, [*coefficients, F(0)])]
    return coefficients


def test_three_simple_roots_are_counted_without_the_exact_path():
    game = _gain_game(_power([F(1, 5), F(3, 7), F(4, 5)]))
    evaluator = _check(game, ["n=4:12:9", "s=-3,1/3,2.5"])
    assert evaluator.fallbacks == 3  # n = 9: d(7) = 0, a tie (the trust rule), not a root
    grid = make_grid({"n": ["6"], "s": ["1", "-1"]}, game.parameters)
    rows = SymmetricEvaluator(game, grid.names, {}).evaluate(grid.chunk(0, 2))
    assert rows["outcome"].tolist() == ["all Defend | 3 mixed | all Abstain", "3 mixed"]
    assert np.isnan(rows["p_mixed"]).all() and np.isnan(rows["p_answer"]).all()


@pytest.mark.parametrize("double", [F(1, 2), F(1, 3)])
def test_a_double_root_goes_to_the_exact_path(double):
    # (p - r)^2 (p - 9/10): a tangency at r (a split point or not), and a simple root
    game = _gain_game(_power([double, double, F(9, 10)]))
    evaluator = _check(game, ["n=4:8:5", "s=-2,1/3"])
    assert evaluator.fallbacks == 10
    row = symmetric_row(game, {"n": F(6), "s": F(1)})
    assert row["outcome"] == "all Defend | 2 mixed | all Abstain"


# -- random small symmetric games ----------------------------------------------------------------

SWEPT = Parameter("x", F(1), F(-2), F(2))
X = SWEPT.symbol
K = sympy.Symbol("k")
coefficient = st.integers(min_value=-3, max_value=3)


@st.composite
def games(draw: st.DrawFn) -> SymmetricGame:
    """A game whose payoffs are polynomials in k (degree <= 2) and the swept x, with steps."""

    def payoff() -> ActionPayoff:
        base = sum(
            (draw(coefficient) * K**i * X**j for i in range(3) for j in range(2)), sympy.Integer(0)
        )
        steps = tuple(
            Step(sympy.Integer(draw(st.integers(0, 4))), draw(coefficient) + draw(coefficient) * X)
            for _ in range(draw(st.integers(0, 2)))
        )
        return ActionPayoff(sympy.sympify(base), steps)

    return SymmetricGame(
        "n",
        ("Defend", "Abstain"),
        (payoff(), payoff()),
        (Parameter("n", F(3), F(2), F(6)), SWEPT),
        answer_at_least=draw(st.integers(0, 3)),
    )


@pytest.mark.slow  # a property over random games: the catalog grids above cover the paths
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games(), st.sampled_from(["-3/2,1/3,2", "-1,0,1/2", "-7/5,3/4"]))
def test_random_small_games_match_the_exact_rows(game, xs):
    _check(game, ["n=2:6:5", f"x={xs}"])


# -- speed and accuracy on a larger grid ----------------------------------------------------------


def test_a_large_grid_is_vectorised():
    grid = make_grid(
        dict([parse_grid("n=2:32:31"), parse_grid("c=0.1:3.9:3226")]), [*VOLUNTEER.parameters]
    )
    evaluator = SymmetricEvaluator(VOLUNTEER, grid.names, {})
    rows = evaluator.evaluate(grid.chunk(0, grid.size))
    assert evaluator.fallbacks == 0
    n = np.asarray(grid.chunk(0, grid.size).values["n"], dtype=np.float64)
    c = np.asarray(grid.chunk(0, grid.size).values["c"], dtype=np.float64)
    ratio = c / 4
    closed = 1 - ratio ** (1 / (n - 1))  # Diekmann's p* in floats
    assert np.allclose(rows["p_mixed"], closed, rtol=1e-12, atol=0)
    assert np.allclose(rows["p_answer"], 1 - ratio ** (n / (n - 1)), rtol=1e-12, atol=0)
