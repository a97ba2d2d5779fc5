"""The sweep's vectorised answers equal the exact per-point solvers', on every outcome seen.

For each game (test trees, and every catalog tree and signalling model), a
grid over two parameters is swept; then points are sampled from every
outcome found (and at random), and each row is compared with the exact
solver's answer at that point: ``solve_tree`` for trees,
``solve_signalling(..., mixed=False)`` for signalling games.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import credibility as cr
from credibility.solvers.pbe import solve_signalling
from credibility.solvers.pbe_classes import outcome_label
from credibility.solvers.subgame_perfect import solve_tree
from credibility.sweeps.grid import Linspace
from credibility.symbolic.signalling_existence import covers_mixed

DATA = Path(__file__).parent / "data"
TEST_TREES = [DATA / "sweep_deterrence.toml", DATA / "unilateral_example.toml"]


def _axis(parameter, count, whole=False):
    low = parameter.minimum if parameter.minimum is not None else parameter.default - 5
    high = parameter.maximum if parameter.maximum is not None else parameter.default + 5
    if whole:
        return Linspace(Fraction(low), Fraction(high), int(high - low) + 1)
    return Linspace(Fraction(low), Fraction(high), count)


def _games(kind):
    names = [n for n in cr.catalog_names() if cr.load(n).kind == kind]
    return [pytest.param(name, id=name) for name in names]


def _expected_tree(game, point):
    solution = solve_tree(game, point)
    first = solution.equilibria[0]
    return {
        "outcome": solution.outcome,
        "n_equilibria": len(solution.equilibria),
        "path": first.outcome,
        **{f"payoff_{p}": float(v) for p, v in zip(game.players, first.payoffs)},
    }


def _has_pure_profile(e):
    # Pure on the path, and a pure response among the extreme ones after each unsent message.
    on_path = [row for m, row in enumerate(e.receiver) if m not in e.off_path]
    pure = all(x in (0, 1) for row in e.sender + tuple(on_path) for x in row)
    return pure and all(
        any(all(x in (0, 1) for x in r) for r in e.off_path_responses[m]) for m in e.off_path
    )


def _expected_signalling(game, point):
    # The solver's own answer: its entries with pure strategies (one per outcome), and the
    # classes of all its equilibria.
    mixed = covers_mixed(game)
    solution = solve_signalling(game, point, mixed=mixed)
    classes = [e.equilibrium_class for e in solution.equilibria if _has_pure_profile(e)]
    separating, pooling = classes.count("separating"), classes.count("pooling")
    present = solution.classes if mixed else classes
    expected = {
        "outcome": outcome_label(present, mixed),
        "n_equilibria": len(classes),
        "n_separating": separating,
        "n_pooling": pooling,
    }
    if mixed:
        expected["semi_separating"] = int("semi-separating" in present)
    return expected


def _check(game, names, counts, expected, rng, per_outcome=4, random=12):
    parameters = {p.name: p for p in game.parameters}
    grid = {name: _axis(parameters[name], count) for name, count in zip(names, counts)}
    try:
        result = cr.sweep(game, grid, chunk_size=97)
    except cr.CredibilityError as error:  # an exponent, say: whole values only
        # Refused before any point is computed, naming the first point where solve would refuse.
        assert "is not rational" in str(error) and "the grid leaves the region" in str(error)
        grid = {name: _axis(parameters[name], 0, whole=True) for name in names}
        result = cr.sweep(game, grid, chunk_size=97)
    outcomes = result.columns["outcome"]
    picks = set(rng.choice(result.points, size=random, replace=False).tolist())
    for label in result.outcomes:
        where = np.flatnonzero(outcomes == label)
        picks.update(rng.choice(where, size=min(per_outcome, len(where)), replace=False).tolist())
    shape = tuple(len(axis) for axis in grid.values())
    for i in sorted(picks):
        index = np.unravel_index(i, shape)
        point = {name: grid[name][int(k)] for name, k in zip(names, index)}
        want = expected(game, point)
        got = {column: result.columns[column][i] for column in want}
        for column, value in want.items():
            if isinstance(value, float):
                assert got[column] == pytest.approx(value, rel=1e-12, abs=1e-12), (point, column)
            else:
                assert got[column] == value, (point, column)
    return result


@pytest.mark.parametrize("path", TEST_TREES, ids=lambda p: p.stem)
def test_test_trees_match_backward_induction(path):
    game = cr.load(path)
    names = [p.name for p in game.parameters][:2]
    result = _check(game, names, [61, 46][: len(names)], _expected_tree, np.random.default_rng(1))
    assert len(result.outcomes) >= 3  # both sides of the thresholds, and the ties on them


@pytest.mark.parametrize("name", _games("tree"))
def test_catalog_trees_match_backward_induction(name):
    game = cr.load(name)
    names = [p.name for p in game.parameters][:2]
    if not names:
        pytest.skip("no parameter to sweep")
    _check(game, names, [31, 25][: len(names)], _expected_tree, np.random.default_rng(2))


@pytest.mark.parametrize("name", _games("signalling"))
def test_catalog_signalling_models_match_the_pbe_solver(name):
    game = cr.load(name)
    for pair in ([0, 1], [1, 2]):
        names = [game.parameters[i].name for i in pair if i < len(game.parameters)]
        _check(game, names, [21, 25][: len(names)], _expected_signalling, np.random.default_rng(3))


@pytest.mark.parametrize("name", _games("signalling"))
def test_priors_of_zero_match_the_pbe_solver(name):
    # With a type of prior 0 the game is degenerate: every point on those edges is checked.
    game = cr.load(name)
    prior = next(p for p in game.parameters if p.minimum == 0 and p.maximum == 1)
    other = next(p for p in game.parameters if p is not prior)
    # 21 values of the other parameter (was 41, of which these are every other one): on both
    # edges the sweep finds the same outcomes with 21 as with 41 on every signalling model.
    grid = {prior.name: [0, 1], other.name: _axis(other, 21)}
    result = cr.sweep(game, grid)
    for i in range(result.points):
        point = {prior.name: grid[prior.name][i // 21], other.name: grid[other.name][i % 21]}
        want = _expected_signalling(game, point)
        assert {c: result.columns[c][i] for c in want} == want, point


@pytest.mark.slow
def test_three_types_match_the_pbe_solver_at_every_point():
    # Priors 0 and 1 on the grid leave one or two types absent: formulas of their own.
    from credibility.io.toml_loader import parse_toml

    game = parse_toml(
        """
kind = "signalling"
players = ["Sender", "Receiver"]
messages = ["Beer", "Quiche"]
responses = ["Duel", "Not"]
parameters.p = {default = 0.5, min = 0, max = 1}
parameters.d = {default = 1, min = 0, max = 3}
[types.Strong]
prior = "p"
payoffs = {Beer = {Duel = ["d", 0], Not = [3, 1]}, Quiche = {Duel = [0, 0], Not = [2, 1]}}
[types.Weak]
prior = "(1 - p) / 2"
payoffs = {Beer = {Duel = [0, 1], Not = [2, 0]}, Quiche = {Duel = [1, 1], Not = [3, 0]}}
[types.Wimp]
prior = "(1 - p) / 2"
payoffs = {Beer = {Duel = [0, 1], Not = [1, 0]}, Quiche = {Duel = [2, 1], Not = [3, 0]}}
"""
    )
    # p in steps of 1/4 (was 1/8): the grid keeps the priors 0 and 1 this test is about, and
    # len(result.outcomes) >= 3 still holds; every point is still checked.
    grid = {"p": _axis(game.parameters[0], 5), "d": _axis(game.parameters[1], 7)}
    result = cr.sweep(game, grid)
    assert len(result.outcomes) >= 3
    for i in range(result.points):
        point = {"p": grid["p"][i // 7], "d": grid["d"][i % 7]}
        want = _expected_signalling(game, point)
        assert {c: result.columns[c][i] for c in want} == want, point


# ---------------------------------------------------------------- deep trees


def _expected_row(game, point):
    from credibility.sweeps.rows import tree_row

    return tree_row(game, point)


@pytest.mark.parametrize("path", TEST_TREES, ids=lambda p: p.stem)
def test_vectorised_induction_matches_backward_induction_on_test_trees(path, monkeypatch):
    # every tree through the deep trees' evaluator (no symbolic regions): ties, chance moves
    from credibility.sweeps import tree as sweep_tree

    monkeypatch.setattr(sweep_tree, "MAX_SYMBOLIC_NODES", 0)
    game = cr.load(path)
    names = [p.name for p in game.parameters][:2]
    result = _check(game, names, [61, 46][: len(names)], _expected_row, np.random.default_rng(4))
    assert len(result.outcomes) >= 3


@pytest.mark.parametrize("name", _games("tree"))
def test_vectorised_induction_matches_backward_induction_on_catalog_trees(name, monkeypatch):
    from credibility.sweeps import tree as sweep_tree

    monkeypatch.setattr(sweep_tree, "MAX_SYMBOLIC_NODES", 0)
    game = cr.load(name)
    names = [p.name for p in game.parameters][:2]
    if not names:
        pytest.skip("no parameter to sweep")
    _check(game, names, [31, 25][: len(names)], _expected_row, np.random.default_rng(5))


def _ladder(depth: int):
    """An escalation ladder built in Python: at each rung the mover stops, or a chance move
    (probability ``p``) decides whether the crisis escalates or fizzles out."""
    import sympy

    from credibility.models import GameTree
    from credibility.models.tree import Move, Node
    from credibility.parameters import Parameter

    parameters = (
        Parameter("x", Fraction(1), Fraction(0), None),
        Parameter("p", Fraction(1, 2), Fraction(0), Fraction(1)),
    )
    x, p = (parameter.symbol for parameter in parameters)
    node = Node("top", payoffs=(sympy.Integer(depth + 1), -depth - 1 + 2 * x))
    for i in reversed(range(depth)):
        fizzle = Node(f"f{i}", payoffs=(i + sympy.Rational(1, 3), -i - sympy.Rational(2, 3)))
        lottery = Node(
            f"c{i}", chance=True, moves=(Move("escalates", node, p), Move("fizzles", fizzle, 1 - p))
        )
        stop = Node(f"s{i}", payoffs=(sympy.Integer(i), -i + x))
        node = Node(f"r{i}", player="AB"[i % 2], moves=(Move("stop", stop), Move("go", lottery)))
    return GameTree(("A", "B"), node, parameters)


def test_a_ladder_of_80_rungs_sweeps_by_vectorised_induction():
    from credibility.sweeps.tree import TreeEvaluator

    game = _ladder(80)
    assert TreeEvaluator(game, ["x", "p"], {}).regions == ()  # no symbolic regions
    result = _check(game, ["x", "p"], [31, 11], _expected_row, np.random.default_rng(6), random=30)
    assert len(result.outcomes) >= 3


def test_deep_trees_pickle_without_recursion_and_sweep_in_worker_processes(tmp_path):
    import pickle
    import sys

    game = _ladder(1000)  # 3,000 nodes deep below the root: far past the recursion limit
    assert sys.getrecursionlimit() < 3 * 1000
    again = pickle.loads(pickle.dumps(game))
    assert again == game and again.root == game.root
    shallow = _ladder(40)
    grid = {"x": Linspace(Fraction(0), Fraction(3), 13), "p": [0, Fraction(1, 2), 1]}
    here = cr.sweep(shallow, grid, out=tmp_path / "here.csv", chunk_size=8)
    there = cr.sweep(shallow, grid, out=tmp_path / "there.csv", chunk_size=8, workers=2)
    assert (tmp_path / "here.csv").read_bytes() == (tmp_path / "there.csv").read_bytes()
    assert here.outcomes == there.outcomes
