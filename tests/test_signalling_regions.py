"""Symbolic signalling regions: thresholds as the papers state them, agreement with the solver."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy

import credibility as cr
from credibility.symbolic.signalling_regions import existence_conditions, signalling_regions

SIGNALLING = ["sinking_costs", "tying_hands", "capability_transparency"]
CASES = [
    pytest.param(name, p.name, id=f"{name}-{p.name}")
    for name in SIGNALLING
    for p in cr.load(name).parameters
]


def pure_classes(game, params) -> tuple[str, ...]:
    solution = cr.solve(game, params=params)
    return tuple(sorted({e.equilibrium_class for e in solution.equilibria if e.pure}))


def as_fraction(value: sympy.Expr) -> F:
    rational = sympy.nsimplify(value)
    return F(int(rational.p), int(rational.q))


@pytest.mark.parametrize(("name", "parameter"), CASES)
def test_both_sides_of_every_threshold_match_the_numeric_solver(name, parameter):
    # The key invariant (STYLE.md): just below and just above each threshold, and inside every
    # region, the numeric solver finds exactly the classes the symbolic regions predict.
    game = cr.load(name)
    result = signalling_regions(game, parameter)
    for region in result.regions:
        left, right = region.interval.start, region.interval.end
        points = []
        for threshold in result.thresholds:
            if threshold == left:
                points.append(as_fraction(threshold) + F(1, 1000))
            if threshold == right:
                points.append(as_fraction(threshold) - F(1, 1000))
        if left.is_finite and right.is_finite:
            points.append(as_fraction((left + right) / 2))
        elif left.is_finite:
            points.append(as_fraction(left) + 7)
        for point in points:
            assert pure_classes(game, {parameter: point}) == region.classes, (parameter, point)


def test_sinking_cost_thresholds_are_v_i_and_v_r_minus_w():
    game = cr.load("sinking_costs")
    result = signalling_regions(game, "m", {"v_i": 2, "v_r": 5, "w": "1/2"})
    assert result.thresholds == (2, sympy.Rational(9, 2))
    assert result.existence["separating"] == sympy.Interval(2, sympy.Rational(9, 2))


def test_existence_condition_is_exact_with_every_parameter_symbolic():
    game = cr.load("sinking_costs")
    separating = existence_conditions(game)["separating"]
    symbols = {p.name: p.symbol for p in game.parameters}
    point = {"q": F(1, 2), "v_r": 6, "v_i": 2, "w": 1, "c": 1}
    for m, expected in [(F(19, 10), False), (2, True), (5, True), (F(51, 10), False)]:
        values = {symbols[k]: sympy.Rational(str(v)) for k, v in {**point, "m": m}.items()}
        assert bool(separating.subs(values)) is expected
        assert ("separating" in pure_classes(game, {**point, "m": m})) is expected


def test_two_types_only():
    from credibility.io.toml_loader import parse_toml

    text = "\n".join(
        [
            'kind = "signalling"',
            'players = ["S", "R"]',
            'messages = ["a", "b"]',
            'responses = ["x", "y"]',
        ]
        + [
            f'[types.T{i}]\nprior = "1/3"\npayoffs = {{a = {{x = [0, 0], y = [0, 0]}}, '
            f"b = {{x = [0, 0], y = [0, 0]}}}}"
            for i in range(3)
        ]
    )
    with pytest.raises(cr.CredibilityError, match="two types"):
        existence_conditions(parse_toml(text))
