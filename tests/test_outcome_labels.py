"""One outcome, one name: bimatrix and tree outcomes get the same label from every command.

``credibility threshold``'s regions, a sweep's ``outcome`` column (whichever
evaluator settles the point: the symbolic regions, the vectorised kernels or
the exact solver) and ``solve``'s ``outcome`` all name an equilibrium set with
:mod:`credibility.solvers.outcomes`, in its canonical order, whatever order
the equilibria were found in.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import pytest
import sympy

import credibility as cr
from credibility.solvers.nash import solve_bimatrix
from credibility.solvers.outcomes import bimatrix_label, bimatrix_outcome, tree_outcome
from credibility.solvers.pbe_classes import outcome_label
from credibility.sweeps import parse_grid
from credibility.sweeps.bimatrix import bimatrix_row
from credibility.sweeps.rows import signalling_row, tree_row

MODELS = [name for name in cr.catalog_names() if cr.load(name).kind in ("bimatrix", "tree")]


def _cases():
    for name in MODELS:
        for parameter in cr.load(name).parameters:
            yield pytest.param(name, parameter.name, id=f"{name}-{parameter.name}")


def _points(result, parameter):
    """Every threshold and bound, and a point strictly inside each interval between them."""
    edges = {Fraction(str(t.value)) for t in result.thresholds if t.value.is_rational}
    edges |= {
        Fraction(str(t.value.evalf(30))).limit_denominator(10**12)
        for t in result.thresholds
        if not t.value.is_rational
    }
    edges |= {v for v in (parameter.minimum, parameter.maximum) if v is not None}
    edges = sorted(edges) or [parameter.default]
    if parameter.minimum is None:
        edges.insert(0, edges[0] - 10)
    if parameter.maximum is None:
        edges.append(edges[-1] + 10)
    return sorted(set(edges) | {(left + right) / 2 for left, right in pairwise(edges)})


def _region_points(game, parameter_name):
    """The other parameters at their defaults, and each test point with its region's label.

    Points a hair from an irrational threshold (in no region or two) are left out.
    """
    parameter = next(p for p in game.parameters if p.name == parameter_name)
    others = {p.name: p.default for p in game.parameters if p.name != parameter_name}
    result = cr.thresholds(game, parameter_name, others)
    points = []
    for value in _points(result, parameter):
        at = sympy.Rational(value)
        holding = [r for r in result.regions if r.condition.subs(parameter.symbol, at)]
        if len(holding) == 1:
            points.append((value, holding[0].outcome))
    return others, points


def _exact_row(game, point):
    if game.kind == "tree":
        return tree_row(game, point)
    return bimatrix_row(solve_bimatrix(game, point))


@pytest.mark.parametrize(("name", "parameter_name"), list(_cases()))
def test_threshold_regions_sweep_and_solver_name_an_outcome_alike(name, parameter_name):
    game = cr.load(name)
    others, points = _region_points(game, parameter_name)
    expected = {}
    for value, region in points:
        try:
            solution = cr.solve(game, others | {parameter_name: value})
        except (cr.ParameterError, cr.ExpressionError):
            continue  # outside the game's domain (probabilities), or p**n irrational
        exact = _exact_row(game, others | {parameter_name: value})["outcome"]
        assert solution.outcome == exact == region, (parameter_name, value)
        expected[value] = exact
    assert expected
    values = sorted(expected)
    swept = cr.sweep(game, grid={parameter_name: [str(v) for v in values]}, params=others)
    assert swept.columns["outcome"].tolist() == [expected[v] for v in values]


def test_brinkmanship_sweep_names_each_set_of_paths_once():
    # At q = w/(2D - w) (q = 1/4, w = 4 with D = 10) the defender is indifferent between
    # acquiescing and the brink, and the challenger then between complying and defying:
    # the same two paths as where the challenger alone is indifferent (w = 0).
    game = cr.load("brinkmanship_risk")
    q_axis, w_axis = parse_grid("q=0:1:41")[1], parse_grid("w=0:10:41")[1]
    result = cr.sweep(game, grid={"q": q_axis, "w": w_axis})
    outcomes = result.columns["outcome"].tolist()
    named: dict[str, frozenset] = {}
    for index, label in enumerate(outcomes):
        if label in named:
            continue
        q, w = divmod(index, 41)
        point = {"q": Fraction(q, 40), "w": Fraction(w, 4)}
        solution = cr.solve(game, point)
        assert label == solution.outcome == tree_outcome(game, reversed(solution.equilibria))
        named[label] = frozenset(e.path for e in solution.equilibria)
    assert len(set(named.values())) == len(named), named
    assert "Comply | Defy > Acquiesce" in named
    assert outcomes[10 * 41 + 16] == "Comply | Defy > Acquiesce"  # q = 1/4, w = 4


def test_tree_labels_follow_the_order_of_the_tree():
    game = cr.load("brinkmanship_risk")
    solution = cr.solve(game, {"q": "1/4", "w": 4})
    assert [e.outcome for e in solution.equilibria] == ["Comply", "Defy > Acquiesce"]
    assert tree_outcome(game, solution.equilibria[::-1]) == "Comply | Defy > Acquiesce"
    # The sweep's path column is the first equilibrium's: the outcome's first path.
    row = tree_row(game, {"q": Fraction(1, 4), "w": Fraction(4)})
    assert row["path"] == "Comply"


def test_bimatrix_labels_do_not_depend_on_the_order_of_the_equilibria():
    game = cr.load("chicken")
    solution = cr.solve(game)
    label = "Swerve/Straight | Straight/Swerve | mixed"
    assert solution.outcome == label
    assert bimatrix_outcome(game, solution.equilibria[::-1]) == label
    defaults = {p.name: p.default for p in game.parameters if p.name != "c_row"}
    regions = cr.thresholds(game, "c_row", defaults).regions
    assert [r.outcome for r in regions] == [
        "Straight/Swerve",
        "degenerate: Swerve/Straight | Straight/Swerve | mixed/Straight",
        label,
    ]
    # Pure profiles in the game's order, then one player mixing, then both; repeats counted.
    strategies = (["U", "M", "D"], ["L", "C", "R"])
    keys = [(3, 3), (3, 0), (2, 1), (0, 3), (0, 2), (3, 3)]
    assert bimatrix_label(keys, *strategies) == "U/R | D/C | U/mixed | mixed/L | 2 mixed"


SIGNALLING = [name for name in cr.catalog_names() if cr.load(name).kind == "signalling"]


@pytest.mark.parametrize(
    ("name", "parameter_name"),
    [
        pytest.param(name, p.name, id=f"{name}-{p.name}")
        for name in SIGNALLING
        for p in cr.load(name).parameters
    ],
)
def test_signalling_classes_read_alike_in_threshold_sweep_and_solve(name, parameter_name):
    # The threshold region's label, the sweep's outcome (vectorised and exact paths) and the
    # classes solve reports name the same set of classes the same way.
    game = cr.load(name)
    others, points = _region_points(game, parameter_name)
    expected = {}
    for value, region in points:
        point = others | {parameter_name: value}
        try:
            solution = cr.solve(game, point)
        except cr.CredibilityError:
            continue  # priors outside [0, 1]
        label = outcome_label(solution.classes, solution.complete)
        assert label == signalling_row(game, point)["outcome"] == region, value
        assert "hybrid" not in label
        expected[value] = label
    assert expected
    values = sorted(expected)
    swept = cr.sweep(game, grid={parameter_name: [str(v) for v in values]}, params=others)
    assert swept.columns["outcome"].tolist() == [expected[v] for v in values]
