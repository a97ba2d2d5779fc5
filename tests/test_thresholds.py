"""Thresholds and regions agree with the exact numeric solver (the key invariant test).

For every catalog model and every parameter: with the other parameters at their
defaults, points on each threshold, just either side of it, and inside every
region get from the numeric solver exactly the equilibrium set the region
claims. With all parameters free, random points of the box fall in a region
whose equilibria (expressions, evaluated there) are the solver's.

The tests that threshold regions, sweeps and solve name each outcome alike are here too (from
tests/test_outcome_labels.py): they query the same derivations, at the other parameters'
defaults, as the key invariant test, and share them (:func:`_at_defaults`).
"""

from __future__ import annotations

import functools
import random
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pytest
import sympy

import credibility as cr
from credibility.solvers.nash import solve_bimatrix
from credibility.solvers.pbe_classes import outcome_label
from credibility.sweeps.bimatrix import bimatrix_row
from credibility.sweeps.rows import signalling_row, tree_row
from credibility.symbolic.bimatrix_regions import _identically_zero
from credibility.symbolic.bimatrix_regions import symbolic_bimatrix_regions as bimatrix_regions
from credibility.symbolic.regions import tree_regions
from credibility.symbolic.signalling_regions import signalling_region_map

# Thresholds do not support normal-form games (3+ players) yet (issue 15).
# Normal-form games: tests/test_normal_thresholds.py; symmetric games, whose thresholds are in
# the number of players over the integers: tests/test_symmetric.py.
CATALOG = [n for n in cr.catalog_names() if cr.load(n).kind not in ("normal", "symmetric")]
EXAMPLE = Path(__file__).parent / "data" / "unilateral_example.toml"


def _cases():
    for name in CATALOG:
        game = cr.load(name)
        for parameter in game.parameters:
            yield pytest.param(name, parameter.name, id=f"{name}-{parameter.name}")


def _key(game, solution):
    if game.kind == "tree":
        return frozenset(tuple(sorted(e.actions.items())) for e in solution.equilibria)
    if game.kind == "bimatrix":
        return solution.outcome  # its label, degenerate or not, is the region's
    return tuple(solution.classes)


def _region_key(game, region):
    if game.kind == "tree":
        return frozenset(tuple(sorted(e.actions.items())) for e in region.equilibria)
    if game.kind == "bimatrix":
        return region.outcome
    return tuple(region.classes)


def _exact(value):
    return Fraction(str(sympy.Rational(value)))


@functools.cache
def _at_defaults(name, parameter_name):
    """The thresholds in one parameter, the others at their defaults (immutable, only read).

    Several tests below derive exactly these; each derivation is done once.
    """
    game = cr.load(name)
    others = {p.name: p.default for p in game.parameters if p.name != parameter_name}
    return cr.thresholds(game, parameter_name, others)


def _probe_points(result, parameter):
    """Thresholds, points just beside them, region interiors and the bounds."""
    low = parameter.minimum if parameter.minimum is not None else None
    high = parameter.maximum if parameter.maximum is not None else None
    values = [_exact(t.value) for t in result.thresholds if t.value.is_rational]
    # Irrational thresholds (roots such as (1/2)**(1/3)): rational points a hair either side.
    for t in result.thresholds:
        if not t.value.is_rational:
            near = Fraction(str(t.value.evalf(30))).limit_denominator(10**12)
            values += [near - Fraction(1, 10**9), near + Fraction(1, 10**9)]
    edges = sorted(set(values) | {v for v in (low, high) if v is not None})
    if low is None:
        edges.insert(0, (edges[0] if edges else parameter.default) - 10)
    if high is None:
        edges.append((edges[-1] if edges else parameter.default) + 10)
    points = set(edges)
    for left, right in pairwise(edges):
        gap = right - left
        points |= {left + gap / 2, left + gap / 1000, right - gap / 1000}
    return sorted(points)


@pytest.mark.parametrize(("name", "parameter_name"), list(_cases()))
def test_regions_match_the_numeric_solver_around_every_threshold(name, parameter_name):
    game = cr.load(name)
    parameter = next(p for p in game.parameters if p.name == parameter_name)
    others = {p.name: p.default for p in game.parameters if p.name != parameter_name}
    result = _at_defaults(name, parameter_name)
    x = parameter.symbol
    checked = 0
    for value in _probe_points(result, parameter):
        try:
            parameter.check(value)
        except cr.ParameterError:
            continue
        holding = [r for r in result.regions if r.condition.subs(x, sympy.Rational(value))]
        assert len(holding) == 1, f"{parameter_name} = {value} lies in {len(holding)} regions"
        try:
            solution = cr.solve(game, others | {parameter_name: value})
        except cr.ExpressionError:
            continue  # p**n at a fractional n: no exact value (n counts members)
        assert _key(game, solution) == _region_key(game, holding[0]), (
            f"{name}: {parameter_name} = {value}: solver {_key(game, solution)} vs region "
            f"{holding[0].outcome}"
        )
        checked += 1
    assert checked >= 1


def _random_point(game, rng):
    point = {}
    for p in game.parameters:
        low = p.minimum if p.minimum is not None else p.default - 10
        high = p.maximum if p.maximum is not None else p.default + 10
        point[p.name] = low + (high - low) * Fraction(rng.randint(1, 999), 1000)
    return point


@functools.cache
def _all_free_regions(name):
    # The all-free region map of a model, shared by the tests below that each built it afresh
    # (the map is immutable; the tests only query it with region_at).
    game = cr.load(name)
    if game.kind == "signalling":
        return signalling_region_map(game)
    return tree_regions(game) if game.kind == "tree" else bimatrix_regions(game)


@pytest.mark.parametrize("name", [n for n in CATALOG if cr.load(n).kind != "signalling"])
def test_all_free_regions_match_the_solver_at_random_points(name):
    game = cr.load(name)
    regions = _all_free_regions(name)
    if not regions.complete:
        pytest.skip("degenerate at every parameter value: thresholds use the exact solver")
    rng = random.Random(f"regions-{name}")
    # 15 random points per model (was 25): every catalog tree and bimatrix model runs this,
    # and each still lands points in its regions, so the region/solver comparison is the same.
    for _ in range(15):
        point = _random_point(game, rng)
        try:
            solution = cr.solve(game, point)
        except (cr.ParameterError, cr.ExpressionError):
            continue  # probabilities outside [0, 1], or irrational, at this point
        region = regions.region_at(point)
        if region is None:
            continue  # on a boundary: the exact solver's business
        assert _key(game, solution) == _region_key(game, region), point
        values = {p.symbol: sympy.Rational(point[p.name]) for p in game.parameters}
        exact = sorted(tuple(sympy.Rational(v) for v in e.payoffs) for e in solution.equilibria)
        symbolic = sorted(
            tuple(sympy.simplify(v.subs(values)) for v in e.payoffs) for e in region.equilibria
        )
        assert exact == symbolic, point


def test_chicken_mixed_equilibrium_is_the_indifference_formula():
    # Dixit, Skeath & McAdams, Games of Strategy (5th ed.), ch. 7: in chicken each side
    # stands firm with probability w / (w + c - l') where l' is the loss of backing down
    # alone; with this model's payoff l = -l' that is w / (w + c + l) of the *other* side.
    game = cr.load("chicken")
    regions = bimatrix_regions(game)
    mixed = [r for r in regions.regions if r.outcome.endswith("mixed")]
    assert mixed
    equilibrium = next(e for e in mixed[0].equilibria if not e.pure)
    s = {p.name: p.symbol for p in game.parameters}
    straight = game.row_strategies.index("Straight")
    expected_row = s["w_column"] / (s["w_column"] + s["c_column"] + s["l_column"])
    assert sympy.simplify(equilibrium.row[straight] - expected_row) == 0


def test_spec_example_threshold_is_one_third():
    # game-format.md's example tree: challenging pays 1 - 3p against 0 for the status quo.
    result = cr.thresholds(cr.load(EXAMPLE), "p")
    assert [t.value for t in result.thresholds] == [sympy.Rational(1, 3)]
    outcomes = [r.outcome for r in result.regions]
    # At the bound p = 0 the defender is irresolute for sure, so the path goes on (as a sweep
    # names that point): an outcome of its own, though no threshold.
    assert outcomes == [
        "Challenge > Irresolute > Concede",
        "Challenge",
        "Status quo | Challenge",
        "Status quo",
    ]
    assert result.to_dict()["thresholds"] == [{"value": "1/3", "latex": "\\frac{1}{3}"}]


def test_symbolic_payoffs_give_a_symbolic_threshold(tmp_path):
    # Zagare & Kilgour (2000)-style payoffs: the challenger is deterred iff
    # p > (a_DC - a_SQ) / (a_DC - a_DD) when a_DC > a_SQ > a_DD.
    text = """
kind = "tree"
players = ["Challenger", "Defender"]
[parameters.p]
default = 0.5
min = 0
max = 1
[parameters.a_SQ]
default = 0
[parameters.a_DC]
default = 1
[parameters.a_DD]
default = -2
[root]
player = "Challenger"
[root.moves."Status quo"]
payoffs = ["a_SQ", 0]
[root.moves.Challenge]
chance = true
[root.moves.Challenge.moves.Hard]
probability = "p"
payoffs = ["a_DD", 1]
[root.moves.Challenge.moves.Soft]
probability = "1 - p"
payoffs = ["a_DC", -1]
"""
    path = tmp_path / "zk.toml"
    path.write_text(text)
    game = cr.load(path)
    result = cr.thresholds(game, "p")
    s = {p.name: p.symbol for p in game.parameters}
    expected = (s["a_DC"] - s["a_SQ"]) / (s["a_DC"] - s["a_DD"])
    assert any(sympy.simplify(t.value - expected) == 0 for t in result.thresholds)
    bound = cr.thresholds(game, "p", {"a_SQ": 0, "a_DC": 1, "a_DD": -2})
    assert [t.value for t in bound.thresholds] == [sympy.Rational(1, 3)]


def test_threshold_of_a_bound_or_unknown_parameter_is_an_error():
    game = cr.load("chicken")
    with pytest.raises(cr.ParameterError, match="leave it free"):
        cr.thresholds(game, "c_row", {"c_row": 2})
    with pytest.raises(cr.ParameterError, match="unknown parameter 'zz'"):
        cr.thresholds(game, "zz")


@pytest.mark.parametrize(
    ("name", "parameter", "free"),
    [("extended_deterrence", "s_high", "b"), ("unilateral_deterrence", "p", "a_SQ")],
)
def test_regions_with_two_free_parameters_report_the_solvers_equilibria(name, parameter, free):
    # Regions merged for display must not carry one part's equilibria into another part.
    game = cr.load(name)
    bound = {p.name: p.default for p in game.parameters if p.name not in (parameter, free)}
    result = cr.thresholds(game, parameter, bound)
    rng = random.Random(f"two-free-{name}")
    checked = 0
    for _ in range(40):
        point = {k: v for k, v in _random_point(game, rng).items() if k in (parameter, free)}
        values = {
            p.symbol: sympy.Rational(point[p.name]) for p in game.parameters if p.name in point
        }
        holding = [r for r in result.regions if bool(r.condition.subs(values))]
        if len(holding) != 1:
            continue  # on a boundary
        solution = cr.solve(game, bound | point)
        assert _key(game, solution) == _region_key(game, holding[0]), point
        exact = sorted(tuple(sympy.Rational(v) for v in e.payoffs) for e in solution.equilibria)
        claimed = sorted(
            tuple(sympy.simplify(sympy.sympify(v).subs(values)) for v in e.payoffs)
            for e in holding[0].equilibria
        )
        assert exact == claimed, point
        checked += 1
    assert checked >= 10


@pytest.mark.slow
@pytest.mark.parametrize("name", CATALOG)
def test_displayed_conditions_with_every_parameter_free_are_the_regions(name):
    # The displayed condition of each region drops atoms the others imply and solves the rest
    # for a parameter: at random points exactly one condition holds, and it is the one of the
    # region (from the region map, undisplayed) that contains the point.
    game = cr.load(name)
    chosen = game.parameters[0]
    regions = _all_free_regions(name)
    if not regions.complete and game.kind != "signalling":
        pytest.skip("degenerate at every parameter value: thresholds use the exact solver")
    result = cr.thresholds(game, chosen.name)
    rng = random.Random(f"display-{name}")
    checked = 0
    # 16 random points (was 30): nearly all are interior, so checked >= 10 still holds
    # unchanged; each point costs a region lookup and a substitution in every condition.
    for _ in range(16):
        point = _random_point(game, rng)
        region = regions.region_at(point)
        if region is None:
            continue  # on a boundary
        values = {p.symbol: sympy.Rational(point[p.name]) for p in game.parameters}
        holding = [r.outcome for r in result.regions if bool(r.condition.subs(values))]
        assert holding == [region.outcome], point
        checked += 1
    assert checked >= 10


def test_signalling_threshold_reports_where_each_class_exists():
    # Fearon (1997): a sunk mobilisation cost separates the types iff it lies between what
    # the irresolute and the resolved defender would pay, [1, 3] at the catalog's defaults.
    result = _at_defaults("sinking_costs", "m")
    assert result.existence["separating"] == sympy.Interval(1, 3)
    data = result.to_dict()
    assert data["existence"]["separating"]["set"] == "Interval(1, 3)"
    assert data["existence"]["separating"]["text"] == "[1, 3]"
    assert [t["value"] for t in data["thresholds"]] == ["1", "3"]


def test_signalling_thresholds_stay_symbolic_in_unbound_parameters():
    # Fearon (1997): a sunk cost m separates the types iff v_i < m < v_r - w, the value of
    # winning to the irresolute type below it, the resolved type's net value above it.
    game = cr.load("sinking_costs")
    result = cr.thresholds(game, "m")
    s = {p.name: p.symbol for p in game.parameters}
    values = [t.value for t in result.thresholds]
    for expected in (s["v_i"], s["v_r"] - s["w"]):
        assert any(sympy.simplify(v - expected) == 0 for v in values)
    separating = [r for r in result.regions if "separating" in r.classes]
    assert separating
    rng = random.Random("signalling-two-free")
    bound = {"q": Fraction(3, 10), "v_i": 1, "w": 1, "c": 2}
    two_free = cr.thresholds(game, "m", bound)
    checked = 0
    # 20 random points (was 40): checked >= 10 is unchanged; each point is an exact solve.
    for _ in range(20):
        point = {k: v for k, v in _random_point(game, rng).items() if k in ("m", "v_r")}
        subs = {s[k]: sympy.Rational(v) for k, v in point.items()}
        holding = [r for r in two_free.regions if bool(r.condition.subs(subs))]
        if len(holding) != 1:
            continue
        assert _key(game, cr.solve(game, bound | point)) == tuple(holding[0].classes)
        checked += 1
    assert checked >= 10


# One outcome, one name (see tests/test_outcome_labels.py): a threshold region's label, the
# sweep's outcome column and solve's outcome agree, on the derivations shared above.

MODELS = [name for name in cr.catalog_names() if cr.load(name).kind in ("bimatrix", "tree")]


def _labelled_cases():
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


def _region_points(name, game, parameter_name):
    """The other parameters at their defaults, and each test point with its region's label.

    Points a hair from an irrational threshold (in no region or two) are left out.
    """
    parameter = next(p for p in game.parameters if p.name == parameter_name)
    others = {p.name: p.default for p in game.parameters if p.name != parameter_name}
    result = _at_defaults(name, parameter_name)
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


@pytest.mark.parametrize(("name", "parameter_name"), list(_labelled_cases()))
def test_threshold_regions_sweep_and_solver_name_an_outcome_alike(name, parameter_name):
    game = cr.load(name)
    others, points = _region_points(name, game, parameter_name)
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
    others, points = _region_points(name, game, parameter_name)
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


def test_a_tie_built_into_max_payoffs_is_found_by_simplify_and_refuted_by_probes():
    x, y = sympy.symbols("x y")
    half = sympy.Rational(1, 2)
    # not 0 at the first probe (x = 1/3): refuted without simplify
    assert not _identically_zero(sympy.Max(x, half) - x)
    assert not _identically_zero(sympy.Max(x, y) - x)
    # 0 at every probe and identically 0: simplify says so
    assert _identically_zero(sympy.Abs(x * y) - sympy.Abs(x) * sympy.Abs(y))
    assert _identically_zero(sympy.Max(x + 1, x) - x - 1)
    # 0 everywhere, which simplify cannot show: 0 at every seeded probe, taken as 0
    assert _identically_zero(sympy.Max(x, half) + sympy.Min(x, half) - x - half)


TIE_IN_MAX_AND_MIN = """kind = "bimatrix"
players = ["Row", "Column"]
[parameters.x]
default = 1
min = 0
max = 2
[strategies]
Row = ["Up", "Down"]
Column = ["Left", "Right"]
[payoffs]
Row = [["max(x, 1/2) + min(x, 1/2)", "1"], ["x + 1/2", "0"]]
Column = [["1", "0"], ["0", "x"]]
"""


def test_a_tie_written_with_max_and_min_is_a_structural_tie():
    # Row's payoffs against Left are equal for every x, though not written alike: simplify
    # cannot see it. Before, no region contained any x; now the game is degenerate throughout.
    from credibility.io.toml_loader import parse_toml

    game = parse_toml(TIE_IN_MAX_AND_MIN)
    result = cr.thresholds(game, "x")
    assert result.thresholds == ()
    assert all(region.outcome.startswith("degenerate") for region in result.regions)
    for x in ("1/4", "1", "2"):
        solved = cr.solve(game, {"x": x})
        assert solved.degenerate
        assert len(solved.equilibria) == 2
