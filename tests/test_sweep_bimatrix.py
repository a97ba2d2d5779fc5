"""The bimatrix sweep kernels and evaluator against the exact solver."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from fresh import fresh
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import credibility as cr
from credibility.expressions import LinearForm
from credibility.models import Bimatrix
from credibility.parameters import Parameter
from credibility.solvers.batch_2x2 import equilibrium_keys, solve_2x2
from credibility.solvers.batch_support import solve_batch, support_pairs
from credibility.solvers.enumeration import enumerate_extreme_equilibria
from credibility.solvers.nash import solve_bimatrix
from credibility.sweeps import bimatrix as sweep_bimatrix
from credibility.sweeps.bimatrix import BimatrixEvaluator, bimatrix_row
from credibility.sweeps.columns import columns_help
from credibility.sweeps.compiled import Compiled, IntegerForm, Linear
from credibility.sweeps.grid import make_grid, parse_grid
from credibility.sweeps.writers import CsvFormat

ROOT = Path(__file__).resolve().parent.parent


def _exact(A: np.ndarray, B: np.ndarray):
    def fractions(M: np.ndarray) -> list[list[Fraction]]:
        return [[Fraction(int(x)) for x in row] for row in M]

    return enumerate_extreme_equilibria(fractions(A), fractions(B))


def _kernel_equilibria(result, g: int) -> list[tuple[float, float]]:
    """Game g's extreme equilibria from the 2x2 kernel, as (P(R1), P(C1))."""
    rows = (1.0, 0.0, float(result.row[g]))
    columns = (1.0, 0.0, float(result.column[g]))
    return sorted((rows[r], columns[c]) for r, c in equilibrium_keys(int(result.code[g])))


def _agrees(result, g: int, exact) -> bool:
    expected = sorted((float(e.row[0]), float(e.column[0])) for e in exact.equilibria)
    found = _kernel_equilibria(result, g)
    return (
        len(found) == len(expected)
        and all(
            math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-15)
            for pair, other in zip(found, expected)
            for x, y in zip(pair, other)
        )
        and bool(result.degenerate[g]) == exact.degenerate
        and int(result.count[g]) == len(exact.equilibria)
    )


# ---------------------------------------------------------------- 2x2 kernel


@pytest.mark.parametrize(
    ("span", "count"), [pytest.param(2, 2500, id="ties"), pytest.param(1000, 1000, id="generic")]
)
def test_the_2x2_kernel_lists_the_exact_extreme_equilibria(span, count):
    rng = np.random.default_rng(span)
    A = rng.integers(-span, span, size=(count, 2, 2), endpoint=True)
    B = rng.integers(-span, span, size=(count, 2, 2), endpoint=True)
    result = solve_2x2(A, B, rtol=0)
    assert not result.uncertain.any()
    disagree = [g for g in range(count) if not _agrees(result, g, _exact(A[g], B[g]))]
    assert disagree == []


def test_every_sign_code_matches_the_exact_solver():
    codes = np.arange(81)
    signs = np.stack([codes % 3, codes // 3 % 3, codes // 9 % 3, codes // 27 % 3], axis=1) - 1
    a0, a1, b0, b1 = (signs * [1, 3, 2, 5]).T
    zero = np.zeros(81, dtype=np.int64)
    A = np.stack([a0, a1, zero, zero], axis=1).reshape(81, 2, 2)
    B = np.stack([b0, zero, b1, zero], axis=1).reshape(81, 2, 2)
    result = solve_2x2(A, B, rtol=0)
    assert result.code.tolist() == codes.tolist()
    assert all(_agrees(result, g, _exact(A[g], B[g])) for g in range(81))


def test_the_tolerance_masks_near_ties_and_nan():
    A = np.array([[[1, 0], [1 + 1e-12, 1]], [[1, 0], [1 + 1e-6, 1]], [[np.nan, 0], [0, 1]]])
    B = np.array([[[1, 0], [0, 1]]] * 3, dtype=float)
    assert solve_2x2(A, B).uncertain.tolist() == [True, False, True]
    assert solve_2x2(A, B, rtol=0).uncertain.tolist() == [False, False, True]


def test_the_2x2_kernel_works_in_blocks_of_any_size():
    rng = np.random.default_rng(7)
    A, B = rng.integers(-3, 3, size=(2, 1001, 2, 2), endpoint=True)
    whole = solve_2x2(A, B)
    for block in (1, 64, 1000):
        part = solve_2x2(A, B, block=block)
        assert np.array_equal(part.code, whole.code)
        assert np.array_equal(part.row, whole.row, equal_nan=True)
        assert np.array_equal(part.uncertain, whole.uncertain)


def test_the_2x2_kernel_rejects_other_shapes():
    with pytest.raises(ValueError, match=r"shape \(N, 2, 2\)"):
        solve_2x2(np.zeros((3, 2, 3)), np.zeros((3, 2, 3)))


small_games = arrays(np.int64, (2, 2), elements=st.integers(-3, 3))


@settings(max_examples=150, deadline=None)
@given(small_games, small_games)
def test_property_kernel_equals_exact_solver(A, B):
    result = solve_2x2(A[None], B[None], rtol=0)
    assert _agrees(result, 0, _exact(A, B))


@settings(max_examples=150, deadline=None)
@given(
    small_games,
    small_games,
    st.integers(1, 5),
    st.integers(-9, 9),
    st.booleans(),
    st.booleans(),
)
def test_property_equilibria_follow_affine_maps_and_relabelling(A, B, scale, shift, rows, cols):
    base = solve_2x2(A[None], B[None], rtol=0)
    # A positive affine map of a player's payoffs changes nothing.
    mapped = solve_2x2((scale * A + shift)[None], B[None], rtol=0)
    assert mapped.code.tolist() == base.code.tolist()
    # Relabelling strategies relabels the equilibria; swapping players transposes them.
    i = [1, 0] if rows else [0, 1]
    j = [1, 0] if cols else [0, 1]
    relabelled = solve_2x2(A[i][:, j][None], B[i][:, j][None], rtol=0)
    assert np.array_equal(relabelled.pure[0], base.pure[0][i][:, j])
    swapped = solve_2x2(B.T[None], A.T[None], rtol=0)
    assert np.array_equal(swapped.pure[0], base.pure[0].T)
    assert int(swapped.count[0]) == int(base.count[0])
    if base.mixed[0]:
        assert swapped.row[0] == pytest.approx(base.column[0])
        assert relabelled.row[0] == pytest.approx(1 - base.row[0] if rows else base.row[0])


@settings(max_examples=150, deadline=None)
@given(small_games, small_games)
def test_property_nondegenerate_games_have_an_odd_number_of_equilibria(A, B):
    result = solve_2x2(A[None], B[None], rtol=0)
    if not result.degenerate[0]:
        assert int(result.count[0]) % 2 == 1


# ---------------------------------------------------------------- m x n kernel


@pytest.mark.parametrize(
    ("m", "n", "span", "count"),
    [
        pytest.param(2, 3, 2, 300, id="2x3-ties"),
        pytest.param(3, 3, 2, 250, id="3x3-ties"),
        pytest.param(3, 3, 1000, 250, id="3x3-generic"),
        pytest.param(3, 4, 3, 150, id="3x4-ties"),
        pytest.param(4, 4, 1000, 100, id="4x4-generic"),
        pytest.param(1, 3, 2, 50, id="1x3-ties"),
    ],
)
def test_the_batched_kernel_agrees_with_the_exact_solver(m, n, span, count):
    rng = np.random.default_rng(m * 100 + n * 10 + span)
    A = rng.integers(-span, span, size=(count, m, n), endpoint=True)
    B = rng.integers(-span, span, size=(count, m, n), endpoint=True)
    result = solve_batch(A, B)
    settled = 0
    for g in range(count):
        exact = _exact(A[g], B[g])
        if result.uncertain[g]:
            continue
        settled += 1
        assert not exact.degenerate  # every degenerate game is left to the exact solver
        pure = np.zeros((m, n), dtype=bool)
        mixed = []
        for e in exact.equilibria:
            if max(e.row) == 1 and max(e.column) == 1:
                pure[e.row.index(1), e.column.index(1)] = True
            else:
                mixed.append(e)
        assert np.array_equal(result.pure[g], pure)
        assert int(result.mixed[g]) == len(mixed)
        if len(mixed) == 1:
            expected = [float(p) for p in mixed[0].row + mixed[0].column]
            found = [*result.row[g], *result.column[g]]
            assert found == pytest.approx(expected, rel=1e-9, abs=1e-12)
        else:
            assert np.isnan(result.row[g]).all()
    assert settled > 0


def test_the_batched_kernel_agrees_with_the_2x2_kernel_on_nondegenerate_games():
    rng = np.random.default_rng(11)
    A, B = rng.integers(-4, 4, size=(2, 3000, 2, 2), endpoint=True)
    signs = solve_2x2(A, B, rtol=0)
    batch = solve_batch(A, B)
    assert np.array_equal(batch.uncertain, signs.degenerate)
    keep = ~signs.degenerate
    assert np.array_equal(batch.pure[keep], signs.pure[keep])
    assert np.array_equal(batch.mixed[keep], signs.mixed[keep].astype(np.int64))
    both = keep & signs.mixed
    assert np.allclose(batch.row[both, 0], signs.row[both])
    assert np.allclose(batch.column[both, 0], signs.column[both])


def test_the_batched_kernel_flags_what_it_cannot_trust():
    huge = 1e12
    A = np.array([[[0, 1], [1, 0]], [[5, 5], [5, 5]], [[huge, huge + 1], [huge + 1, huge]]])
    B = np.array([[[1, 0], [0, 1]]] * 3, dtype=float)
    # a constant player, and payoffs whose range is lost against their size
    assert solve_batch(A, B).uncertain.tolist() == [False, True, True]
    A[0, 0, 0] = np.nan
    assert solve_batch(A, B).uncertain[0]


def test_support_pairs_count_equal_size_supports():
    assert [support_pairs(k, k) for k in (1, 2, 3, 4)] == [1, 5, 19, 69]
    assert support_pairs(2, 5) == math.comb(7, 2) - 1


# ---------------------------------------------------------------- evaluator


def _chunk(game, **axes):
    grid = make_grid(
        dict(parse_grid(f"{name}={axis}") for name, axis in axes.items()), game.parameters
    )
    return grid.chunk(0, grid.size)


def _compare_with_exact(game, evaluator, chunk, params=None):
    rows = evaluator.evaluate(chunk)
    for i in range(len(chunk)):
        expected = bimatrix_row(solve_bimatrix(game, dict(params or {}) | chunk.exact(i)))
        assert rows["outcome"][i] == expected["outcome"], chunk.exact(i)
        assert rows["n_equilibria"][i] == expected["n_equilibria"]
        for name in evaluator.columns[2:]:
            assert rows[name][i] == pytest.approx(expected[name], nan_ok=True, abs=1e-12)
    return rows


def _bits(row: dict) -> dict:
    """A row with floats as their exact bits (NaN equal to NaN), for equality to the bit."""
    return {k: v.hex() if isinstance(v, float) else v for k, v in row.items()}


def _row_at(rows: dict, i: int, like: dict) -> dict:
    values = {name: rows[name][i] for name in like}
    return _bits({k: float(v) if isinstance(v, np.floating) else v for k, v in values.items()})


class _Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return solve_bimatrix(*args, **kwargs)


def test_the_evaluator_matches_the_exact_solver_on_chicken(monkeypatch):
    game = cr.load("chicken")
    chunk = _chunk(game, c_row="0:4:9", w_row="0:2:5", l_column="-4:0:5")
    evaluator = BimatrixEvaluator(game, ["c_row", "w_row", "l_column"], {"c_column": 3})
    counter = _Counter()
    monkeypatch.setattr(sweep_bimatrix, "solve_bimatrix", counter)
    rows = _compare_with_exact(game, evaluator, chunk, {"c_column": 3})
    # Points on a tie (Row is indifferent against Swerve where w_row = 0 and against
    # Straight where c_row = 1 (= -l_row); Column against Straight where l_column = -3
    # (= -c_column)) are settled in integers at the exact grid values, in the kernel:
    # none goes to the exact solver, and their rows are the exact solver's to the bit.
    values = chunk.values
    ties = (values["c_row"] == 1) | (values["w_row"] == 0) | (values["l_column"] == -3)
    assert ties.sum() > 0
    assert counter.calls == 0
    monkeypatch.undo()
    for i in np.flatnonzero(ties):
        expected = bimatrix_row(solve_bimatrix(game, {"c_column": 3} | chunk.exact(int(i))))
        assert _row_at(rows, int(i), expected) == _bits(expected)
    assert evaluator.columns == (
        "outcome",
        "n_equilibria",
        "Row:Swerve",
        "Row:Straight",
        "Column:Swerve",
        "Column:Straight",
    )
    labels = set(rows["outcome"].tolist())
    assert "Swerve/Straight | Straight/Swerve | mixed" in labels
    assert any(label.startswith("degenerate: ") for label in labels)


def test_a_tie_at_every_point_stays_in_the_kernel(monkeypatch):
    game = cr.load("entry_deterrence_strategic")  # the entrant gets m whatever it does if out
    names = [p.name for p in game.parameters][:2]
    chunk = _chunk(game, **{name: "1:3:5" for name in names})
    evaluator = BimatrixEvaluator(game, names, {})
    counter = _Counter()
    monkeypatch.setattr(sweep_bimatrix, "solve_bimatrix", counter)
    rows = evaluator.evaluate(chunk)
    monkeypatch.undo()
    _compare_with_exact(game, BimatrixEvaluator(game, names, {}), chunk)
    assert all(label.startswith("degenerate: ") for label in rows["outcome"])
    assert counter.calls == 0


@pytest.mark.parametrize("name", ["arms_race", "inspection", "alliance_burden_sharing"])
def test_the_evaluator_matches_the_exact_solver_on_catalog_games(name):
    game = cr.load(name)
    first, second = (p.name for p in game.parameters[:2])
    low = [int(p.minimum) if p.minimum is not None else -2 for p in game.parameters[:2]]
    chunk = _chunk(game, **{first: f"{low[0]}:{low[0] + 4}:9", second: f"{low[1]}:{low[1] + 4}:9"})
    _compare_with_exact(game, BimatrixEvaluator(game, [first, second], {}), chunk)


def _linear_game(m: int, n: int, seed: int) -> Bimatrix:
    """Payoffs ``P0 + w P1`` with small random integers: ties at a few rational w."""
    rng = np.random.default_rng(seed)
    base, slope = rng.integers(-3, 3, size=(2, 2, m, n), endpoint=True)
    A, B = (
        [[f"{x} + ({y}) * w" for x, y in zip(*rows)] for rows in zip(b, s)]
        for b, s in zip(base, slope)
    )
    return Bimatrix.from_arrays(A, B, parameters=[Parameter("w", Fraction(1))])


@pytest.mark.parametrize(("m", "n"), [(3, 3), (3, 4), (4, 4)])
def test_the_evaluator_batches_larger_games_exactly(m, n, monkeypatch):
    game = _linear_game(m, n, seed=m * n)
    chunk = _chunk(game, w="-2:3:23")  # steps of 5/22: few exact ties
    evaluator = BimatrixEvaluator(game, ["w"], {})
    counter = _Counter()
    monkeypatch.setattr(sweep_bimatrix, "solve_bimatrix", counter)
    rows = _compare_with_exact(game, evaluator, chunk)
    monkeypatch.undo()
    degenerate = [solve_bimatrix(game, chunk.exact(i)).degenerate for i in range(len(chunk))]
    # degenerate points are settled by exact batched vertex enumeration, not point by point
    assert 0 < sum(degenerate) < len(chunk)
    assert counter.calls == 0
    assert len(set(rows["outcome"].tolist())) > 1


def test_games_beyond_the_batched_kernel_are_solved_point_by_point():
    game = Bimatrix.from_arrays(
        [[f"{j} * w" for j in range(49)]],
        [list(range(49))],
        parameters=[Parameter("w", Fraction(1))],
    )
    chunk = _chunk(game, w="-1:1:3")
    rows = _compare_with_exact(game, BimatrixEvaluator(game, ["w"], {}), chunk)
    assert rows["outcome"].tolist() == ["R1/C49"] * 3


def test_bimatrix_row_labels_degenerate_solutions():
    game = Bimatrix.from_arrays([[1, 1], [0, 0]], [[1, 1], [0, 0]])
    row = bimatrix_row(solve_bimatrix(game))
    assert row["outcome"] == "degenerate: R1/C1 | R1/C2"
    assert row["n_equilibria"] == 2
    assert math.isnan(row["Row:R1"])


def test_evaluator_boundaries_and_column_help():
    evaluator = BimatrixEvaluator(cr.load("chicken"), ["c_row", "w_column"], {})
    assert [str(b) for b in evaluator.boundaries] == ["c_row - 1", "w_column"]
    assert "PLAYER:STRATEGY" in columns_help()


def test_sweeps_of_chicken_use_the_kernel_through_the_engine():
    result = cr.sweep(cr.load("chicken"), {"c_row": [0, 1, 5]})
    assert result.column_names[-4:] == (
        "Row:Swerve",
        "Row:Straight",
        "Column:Swerve",
        "Column:Straight",
    )
    assert result.columns["outcome"].tolist() == [
        "Straight/Swerve",
        "degenerate: Swerve/Straight | Straight/Swerve | mixed/Straight",
        "Swerve/Straight | Straight/Swerve | mixed",
    ]


# ---------------------------------------------------------------- linear payoffs without sympy

_SWEPT = [f"x{i}" for i in range(12)]  # 12 names: lambdify's arg10 prints before arg2
_BOUNDS = [(None, None), (Fraction(0), None), (None, Fraction(0))]  # real, >= 0, <= 0
_fractions = st.builds(Fraction, st.integers(-40, 40), st.sampled_from([1, 1, 1, 2, 3, 7, 10, 12]))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(_SWEPT), _fractions.filter(bool), min_size=1, max_size=5),
    _fractions,
    st.lists(st.sampled_from(range(3)), min_size=12, max_size=12),
    st.integers(0, 2**32 - 1),
)
def test_property_linear_forms_evaluate_to_the_bits_of_their_sympy_expressions(
    coefficients, constant, kinds, seed
):
    parameters = [Parameter(name, Fraction(0), *_BOUNDS[kind]) for name, kind in zip(_SWEPT, kinds)]
    form = LinearForm(constant, tuple(sorted(coefficients.items())))
    symbols = [p.symbol for p in parameters]
    expr = form.constant + sum(c * symbols[_SWEPT.index(name)] for name, c in form.terms)
    signed = {name for name, kind in zip(_SWEPT, kinds) if kind}
    compiled, linear = Compiled(expr, symbols), Linear.of(form, _SWEPT, signed)
    assert linear is not None
    rng = np.random.default_rng(seed)
    values = []
    for kind in kinds:  # within each parameter's bounds, zeros and exact ties included
        x = np.round(rng.uniform(-5, 5, 64), int(rng.integers(0, 4)))
        x[::7] = 0.0
        values.append(np.abs(x) if kind == 1 else -np.abs(x) if kind == 2 else x)
    assert linear(*values).tobytes() == compiled(*values).tobytes()
    # the same magnitudes, but for the sign of a zero (-2*x at x = 0.0 where x <= 0)
    assert np.array_equal(linear.magnitude(*values), compiled.magnitude(*values))
    result = compiled(*values)
    assert (
        linear.uncertain(result, *values).tolist() == compiled.uncertain(result, *values).tolist()
    )
    swept = _SWEPT[:3]
    forms = [form, LinearForm(Fraction(0), ()), LinearForm(constant, ())]
    exprs = [expr, sympy.Integer(0), sympy.Rational(constant.numerator, constant.denominator)]
    if all(name in swept for name, _ in form.terms):
        ours_form = IntegerForm.of_linear(forms, swept)
        theirs_form = IntegerForm(exprs, symbols[:3])
        assert (ours_form.terms, ours_form.degrees) == (theirs_form.terms, theirs_form.degrees)


def test_linear_forms_too_large_for_floats_are_left_to_sympy():
    assert Linear.of(LinearForm(Fraction(2**53), (("x0", Fraction(1)),)), _SWEPT, ()) is None
    assert Linear.of(LinearForm(Fraction(1), (("x0", Fraction(1, 2**53)),)), _SWEPT, ()) is None
    assert Linear.of(LinearForm(Fraction(2**53 - 1), (("x0", Fraction(1)),)), _SWEPT, ())


_GAME = """
kind = "bimatrix"
players = ["A", "B"]
parameters.x = {default = 1}
parameters.y = {default = 0, min = 0}
parameters.z = {default = 2, max = 3}
strategies.A = ["U", "D"]
strategies.B = ["L", "R"]
payoffs.A = [["x/3 - 2*y + z", "1"], ["0.5 + z/10", "y - x"]]
payoffs.B = [["2*x + y/7", "-x"], ["1/3", "z"]]
"""


def test_a_sweep_of_chicken_needs_no_sympy_and_writes_the_same_rows(tmp_path):
    # In a fresh process the payoffs are deferred linear forms (sympy is not loaded); here
    # sympy is loaded, so the evaluator builds sympy expressions: the files are the same.
    grid = {"c_row": "0:10:41", "l_column": "-5:0:21"}
    loaded = fresh(
        f"""
        import json, sys
        import credibility as cr

        cr.sweep(cr.load("chicken"), {grid!r}, {{"l_row": -2}}, out={str(tmp_path / "a.csv")!r})
        print(json.dumps(sorted(m for m in ("sympy", "sympy.core") if m in sys.modules)))
        """
    )
    assert loaded == []
    cr.sweep(cr.load("chicken"), grid, {"l_row": -2}, out=tmp_path / "b.csv")
    here = (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() == here
    assert b"degenerate" in here  # ties on the grid, settled exactly in both


def test_linear_payoffs_with_fractions_are_evaluated_without_sympy_to_the_same_rows(tmp_path):
    # The sweep itself loads sympy for this game (its digest prints the payoffs), so the
    # evaluator is built here directly, as the sweep builds it.
    (tmp_path / "game.toml").write_text(_GAME)
    code = f"""
        import json, sys
        from fractions import Fraction

        import credibility as cr
        from credibility.sweeps.bimatrix import BimatrixEvaluator
        from credibility.sweeps.grid import make_grid, parse_grid
        from credibility.sweeps.writers import CsvFormat

        game = cr.load({str(tmp_path / "game.toml")!r})
        grid = make_grid(dict([parse_grid("x=-3:3:61"), parse_grid("y=0:2:21")]), game.parameters)
        evaluator = BimatrixEvaluator(game, ("x", "y"), {{"z": Fraction(1, 4)}})
        rows = evaluator.evaluate(grid.chunk(0, grid.size))
        with open({str(tmp_path / "rows.csv")!r}, "wb") as out:
            out.write(CsvFormat().encode(rows))
        print(json.dumps(sorted(m for m in ("sympy", "sympy.core") if m in sys.modules)))
    """
    assert fresh(code) == []
    game = cr.load(tmp_path / "game.toml")
    grid = make_grid(dict([parse_grid("x=-3:3:61"), parse_grid("y=0:2:21")]), game.parameters)
    evaluator = BimatrixEvaluator(game, ("x", "y"), {"z": Fraction(1, 4)})
    rows = CsvFormat().encode(evaluator.evaluate(grid.chunk(0, grid.size)))
    assert (tmp_path / "rows.csv").read_bytes() == rows
    assert b"degenerate" in rows
