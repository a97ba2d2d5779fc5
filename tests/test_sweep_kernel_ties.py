"""Tie-heavy games settled in the vectorised kernels, exactly as the exact solver settles them.

The 2x2 sign kernel lists every extreme equilibrium with its component, in the
exact solver's order, degenerate games included (exhaustively over small
payoff ranges); the exact batched vertex enumeration does the same for small
m x n integer games (hypothesis over tie-heavy batches); and a sweep over an
integer or simple-fraction grid settles its ties without the exact solver,
with the exact solver's rows to the bit.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from credibility.models import Bimatrix
from credibility.parameters import Parameter
from credibility.solvers.batch_2x2 import ordered_equilibria, solve_2x2
from credibility.solvers.batch_vertices import exact_choices, solve_exact_batch
from credibility.solvers.enumeration import enumerate_extreme_equilibria
from credibility.solvers.nash import solve_bimatrix
from credibility.solvers.outcomes import bimatrix_key
from credibility.sweeps import bimatrix as sweep_bimatrix
from credibility.sweeps.bimatrix import BimatrixEvaluator, bimatrix_row
from credibility.sweeps.compiled import IntegerForm
from credibility.sweeps.grid import make_grid, parse_grid


def _exact(A: np.ndarray, B: np.ndarray):
    def fractions(M: np.ndarray) -> list[list[Fraction]]:
        return [[Fraction(int(x)) for x in row] for row in M]

    return enumerate_extreme_equilibria(fractions(A), fractions(B))


def _listed(enumeration) -> list[tuple[tuple[float, ...], tuple[float, ...], int]]:
    """The exact solver's equilibria as the kernel lists them: floats and components, in order."""
    return [
        (tuple(map(float, e.row)), tuple(map(float, e.column)), e.component)
        for e in enumeration.equilibria
    ]


def _all_games(values: list[int]) -> tuple[np.ndarray, np.ndarray]:
    every = np.array(list(itertools.product(values, repeat=8)), dtype=np.int64)
    return every[:, :4].reshape(-1, 2, 2), every[:, 4:].reshape(-1, 2, 2)


# ---------------------------------------------------------------- 2x2, exhaustive


@pytest.mark.slow
def test_every_2x2_game_with_payoffs_in_minus_2_to_2_is_the_exact_solvers():
    """All 5^8 = 390,625 games through the kernel; the exact solver once per class of games.

    A 2x2 game's equilibria depend on its payoffs only through the four
    differences ``a0, a1, b0, b1`` (they decide every best response), and so
    does the kernel's answer: the test checks that the kernel answers alike
    across each class (every game), and the exact solver on one game of each
    of the 9^4 = 6,561 classes. Two thirds of the games are degenerate.
    """
    A, B = _all_games([-2, -1, 0, 1, 2])
    result = solve_2x2(A, B, rtol=0)
    assert not result.uncertain.any()
    assert 0.5 < result.degenerate.mean() < 0.75
    differences = np.stack(
        [
            A[:, 0, 0] - A[:, 1, 0],
            A[:, 0, 1] - A[:, 1, 1],
            B[:, 0, 0] - B[:, 0, 1],
            B[:, 1, 0] - B[:, 1, 1],
        ],
        axis=1,
    )
    classes, first, inverse = np.unique(differences, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    assert len(classes) == 9**4
    for name in ("code", "row", "column", "row_second", "column_second"):
        values = getattr(result, name)
        assert np.array_equal(values, values[first][inverse], equal_nan=True), name
    # result.degenerate is a property that looks up all 390,625 games on each access: read once
    # (the same array), not once per class, which took half of this test's time.
    degenerate = result.degenerate
    for g in first:
        exact = _exact(A[g], B[g])
        assert result.equilibria(int(g)) == _listed(exact), (A[g].tolist(), B[g].tolist())
        assert bool(degenerate[g]) == exact.degenerate


def test_a_large_random_sample_of_tie_heavy_games_is_the_exact_solvers():
    rng = np.random.default_rng(17)
    A, B = rng.integers(-5, 5, size=(2, 2000, 2, 2), endpoint=True)
    result = solve_2x2(A, B, rtol=0)
    assert result.degenerate.mean() > 0.25
    for g in range(len(A)):
        assert result.equilibria(g) == _listed(_exact(A[g], B[g]))


def test_components_join_equilibria_that_share_a_strategy():
    # chicken: three isolated equilibria; a game where the row player never cares: one
    # segment through all four corners of the path R1/C1 - p*/C1 - p*/C2 - R2/C2
    chicken = 0 + 3 * 2 + 9 * 0 + 27 * 2
    assert [k for _, _, k in ordered_equilibria(chicken)] == [0, 1, 2]
    indifferent = 1 + 3 * 1 + 9 * 2 + 27 * 0
    assert ordered_equilibria(indifferent) == ((0, 0, 0), (2, 0, 0), (2, 1, 0), (1, 1, 0))


# ---------------------------------------------------------------- m x n, exact batch


def _agrees_with_exact(result, g: int, A: np.ndarray, B: np.ndarray) -> bool:
    m, n = A.shape
    exact = _exact(A, B)
    keys = sorted((bimatrix_key(e.row), bimatrix_key(e.column)) for e in exact.equilibria)
    mixed = [e for e in exact.equilibria if bimatrix_key(e.row) == m or bimatrix_key(e.column) == n]
    if len(mixed) == 1:
        expected = [float(p) for p in mixed[0].row + mixed[0].column]
        probabilities = [*result.row[g].tolist(), *result.column[g].tolist()] == expected
    else:
        probabilities = bool(np.isnan(result.row[g]).all() and np.isnan(result.column[g]).all())
    return (
        sorted(result.keys(g)) == keys
        and bool(result.degenerate[g]) == exact.degenerate
        and int(result.count[g]) == len(exact.equilibria)
        and probabilities
    )


@pytest.mark.parametrize(
    ("m", "n", "span", "count"),
    [
        pytest.param(2, 2, 1, 400, id="2x2"),
        pytest.param(3, 3, 2, 300, id="3x3"),
        pytest.param(4, 4, 3, 120, id="4x4"),
        pytest.param(2, 4, 1, 200, id="2x4"),
        pytest.param(4, 3, 2, 120, id="4x3"),
        pytest.param(1, 4, 2, 60, id="1x4"),
        pytest.param(5, 5, 2, 25, id="5x5"),
        pytest.param(3, 3, 1000, 150, id="3x3-generic"),
    ],
)
def test_the_exact_batch_lists_every_extreme_equilibrium(m, n, span, count):
    rng = np.random.default_rng(m * 100 + n * 10 + span)
    A, B = rng.integers(-span, span, size=(2, count, m, n), endpoint=True)
    result = solve_exact_batch(A, B)
    assert not result.uncertain.any()
    assert all(_agrees_with_exact(result, g, A[g], B[g]) for g in range(count))


tie_heavy = st.sampled_from([(3, 3), (4, 4), (3, 4)]).flatmap(
    lambda shape: st.tuples(
        arrays(np.int64, (6, *shape), elements=st.integers(-2, 2)),
        arrays(np.int64, (6, *shape), elements=st.integers(-2, 2)),
    )
)


@settings(max_examples=40, deadline=None)
@given(tie_heavy)
def test_property_tie_heavy_batches_match_the_exact_solver(games):
    A, B = games
    result = solve_exact_batch(A, B)
    assert not result.uncertain.any()
    for g in range(len(A)):
        assert _agrees_with_exact(result, g, A[g], B[g])


@settings(max_examples=30, deadline=None)
@given(
    arrays(np.int64, (3, 3), elements=st.integers(-2, 2)),
    arrays(np.int64, (3, 3), elements=st.integers(-2, 2)),
    st.integers(1, 4),
    st.integers(-50, 50),
    st.permutations(range(3)),
)
def test_property_the_exact_batch_follows_affine_maps_and_relabelling(A, B, scale, shift, order):
    base = solve_exact_batch(A[None], B[None])
    mapped = solve_exact_batch((scale * A + shift)[None], B[None])
    assert np.array_equal(base.signature(), mapped.signature())
    relabelled = solve_exact_batch(A[order][None], B[order][None])
    assert np.array_equal(relabelled.pure[0], base.pure[0][order])
    assert int(relabelled.count[0]) == int(base.count[0])


def test_the_exact_batch_leaves_what_it_cannot_certify():
    A = np.array(
        [[[0, 1], [1, 0]], [[0.5, 1], [1, 0]], [[0, 2**45], [1, 0]], [[np.nan, 1], [1, 0]]]
    )
    B = np.array([[[1, 0], [0, 1]]] * 4, dtype=float)
    # an integer game, a half, a spread beyond 2^40, a NaN
    assert solve_exact_batch(A, B).uncertain.tolist() == [False, True, True, True]
    with pytest.raises(ValueError, match="shape"):
        solve_exact_batch(np.zeros((2, 2, 2)), np.zeros((2, 2, 3)))
    assert exact_choices(5, 5) == 251


# ---------------------------------------------------------------- exact integer forms


def test_integer_forms_are_exact_and_refuse_what_they_cannot_hold():
    import sympy

    p, c = sympy.symbols("p c")
    form = IntegerForm([p**2 - c / 3, sympy.Integer(7)], [p, c])
    # p = -3/2, c = 27/4: p^2 - c/3 = 0; scaled by 3 * 2^2 * 4
    values, ok = form(
        [np.array([-3, 2**40]), np.array([27, 1])], [np.array([2, 1]), np.array([4, 1])]
    )
    assert ok.tolist() == [True, False]
    assert values[:, 0].tolist() == [0, 7 * 3 * 4 * 4]
    for bad in (1 / p, sympy.sqrt(2) * p, sympy.Abs(p)):
        with pytest.raises(ValueError):
            IntegerForm([bad], [p, c])


# ---------------------------------------------------------------- sweeps


class _Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return solve_bimatrix(*args, **kwargs)


def _payoff_game(m: int, n: int, seed: int, extra: str = "") -> Bimatrix:
    """Random small integer payoffs plus ``x`` in one cell of each player: ties as x moves."""
    rng = np.random.default_rng(seed)
    A, B = rng.integers(-2, 2, size=(2, m, n), endpoint=True).tolist()
    A[0][0] = f"{A[0][0]} + x{extra}"
    B[m - 1][n - 1] = f"{B[m - 1][n - 1]} - 2 * x * y"
    return Bimatrix.from_arrays(
        A,
        B,
        parameters=[Parameter("x", Fraction(0)), Parameter("y", Fraction(1))],
    )


def _evaluate(game, monkeypatch, **axes):
    grid = make_grid(dict(parse_grid(f"{k}={v}") for k, v in axes.items()), game.parameters)
    chunk = grid.chunk(0, grid.size)
    counter = _Counter()
    monkeypatch.setattr(sweep_bimatrix, "solve_bimatrix", counter)
    rows = BimatrixEvaluator(game, list(axes), {}).evaluate(chunk)
    monkeypatch.undo()
    return chunk, rows, counter.calls


def _assert_exact_rows(game, chunk, rows, columns, points=None):
    for i in range(len(chunk)) if points is None else points:
        expected = bimatrix_row(solve_bimatrix(game, chunk.exact(i)))
        found = {name: rows[name][i] for name in columns}
        found = {k: float(v) if isinstance(v, np.floating) else v for k, v in found.items()}
        assert found.keys() == expected.keys()
        for name, value in expected.items():
            if isinstance(value, float):
                assert found[name] == value or (value != value and found[name] != found[name])
            else:
                assert found[name] == value, (name, chunk.exact(i))


@pytest.mark.parametrize(("m", "n"), [(2, 2), (3, 3), (2, 4), (4, 4)])
def test_a_sweep_over_a_fraction_grid_settles_its_ties_in_the_kernels(m, n, monkeypatch):
    game = _payoff_game(m, n, seed=m * 10 + n)
    chunk, rows, calls = _evaluate(game, monkeypatch, x="-3:3:13", y="-1:1:5")
    degenerate = [solve_bimatrix(game, chunk.exact(i)).degenerate for i in range(len(chunk))]
    assert sum(degenerate) > 0
    assert calls == 0
    # on the ties, the exact solver's rows to the bit
    columns = BimatrixEvaluator(game, ["x", "y"], {}).columns
    _assert_exact_rows(game, chunk, rows, columns, np.flatnonzero(degenerate).tolist())


def test_ties_the_integers_cannot_hold_go_to_the_exact_solver(monkeypatch):
    # a payoff that is not a polynomial in x: its ties are solved point by point
    game = _payoff_game(2, 2, seed=3, extra=" + 1 / (x + 5)")
    chunk, rows, calls = _evaluate(game, monkeypatch, x="-3:3:7", y="0:1:3")
    degenerate = [solve_bimatrix(game, chunk.exact(i)).degenerate for i in range(len(chunk))]
    assert 0 < calls < len(chunk) and sum(degenerate) > 0
    columns = BimatrixEvaluator(game, ["x", "y"], {}).columns
    _assert_exact_rows(game, chunk, rows, columns, np.flatnonzero(degenerate).tolist())
    # grid values whose numerators do not fit in 62 bits: likewise
    huge = Bimatrix.from_arrays(
        [["x", 0], [0, "y"]],
        [[1, 0], [0, 1]],
        parameters=[Parameter("x", Fraction(0)), Parameter("y", Fraction(1))],
    )
    chunk, rows, calls = _evaluate(huge, monkeypatch, x=f"0,{2**70}", y="0:1:2")
    degenerate = [solve_bimatrix(huge, chunk.exact(i)).degenerate for i in range(len(chunk))]
    assert calls > 0 and sum(degenerate) > 0
    columns = BimatrixEvaluator(huge, ["x", "y"], {}).columns
    _assert_exact_rows(huge, chunk, rows, columns, np.flatnonzero(degenerate).tolist())
