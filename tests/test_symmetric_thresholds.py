"""Thresholds of symmetric n-player games in a real parameter other than n, with n bound.

Every derived region is checked against the exact solver (several rational points inside it),
and every threshold point too.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from click.testing import CliRunner

import credibility as cr
from cli import cli
from credibility.errors import CredibilityError
from credibility.io.toml_loader import parse_toml
from credibility.models import SymmetricGame

F = Fraction

VOLUNTEER = cr.load("collective_defence_n")
ARTICLE5 = cr.load("article5_threshold")
BURDEN = cr.load("burden_sharing_n")

HEADER = """
kind = "symmetric"
players = {players}
actions = ["Defend", "Abstain"]

[parameters.n]
default = 3
min = 2
max = 40
"""
C = """
[parameters.c]
default = 1
"""


def _game(body: str, players: str = '"n"') -> SymmetricGame:
    game = parse_toml(HEADER.format(players=players) + body, source="alliance.toml")
    assert isinstance(game, SymmetricGame)
    return game


def _outcome(game, params, name, value) -> str:
    return cr.solve(game, dict(params) | {name: value}).outcome


def _points_inside(condition: sympy.Boolean, parameter) -> list[sympy.Rational]:
    """Rational points inside a region of one parameter (an interval within bounds, or a point)."""
    if isinstance(condition, sympy.Eq):
        return [sympy.Rational(condition.rhs)] if condition.rhs.is_rational else []
    low = sympy.Rational(parameter.minimum) if parameter.minimum is not None else -sympy.oo
    high = sympy.Rational(parameter.maximum) if parameter.maximum is not None else sympy.oo
    chosen = condition.as_set() if condition is not sympy.true else sympy.Reals
    chosen = chosen.intersect(sympy.Interval(low, high))
    low, high = chosen.inf, chosen.sup
    if low.is_infinite and high.is_infinite:
        return [sympy.Integer(v) for v in (-7, 0, 5)]
    if low.is_infinite:
        top = sympy.floor(high) - 1
        return [top, top - 1, top - 10]
    if high.is_infinite:
        bottom = sympy.ceiling(low) + 1
        return [bottom, bottom + 1, bottom + 10]
    found = []
    for t in (sympy.Rational(1, 1000), sympy.Rational(1, 3), sympy.Rational(999, 1000)):
        guess = sympy.nsimplify(sympy.N(low + t * (high - low), 40), rational=True)
        if guess in chosen and low < guess < high:
            found.append(guess)
    return found


def _check_against_solver(game, parameter: str, params: dict) -> cr.ThresholdResult:
    result = cr.thresholds(game, parameter, params)
    chosen = next(p for p in game.parameters if p.name == parameter)
    symbol = chosen.symbol
    for region in result.regions:
        points = _points_inside(region.condition, chosen)
        assert points or not isinstance(region.condition, sympy.Eq)
        for point in points:
            value = F(int(point.p), int(point.q))
            assert _outcome(game, params, parameter, value) == region.outcome, (region, point)
    for threshold in result.thresholds:
        if threshold.value.is_rational:
            at = [r for r in result.regions if r.condition == sympy.Eq(symbol, threshold.value)]
            value = F(int(threshold.value.p), int(threshold.value.q))
            assert [r.outcome for r in at] == [_outcome(game, params, parameter, value)]
    return result


# -- the volunteer's dilemma -------------------------------------------------------------------


def test_volunteers_dilemma_threshold_in_the_cost_at_twelve_members():
    params = {"n": 12, "b": 4}
    result = cr.thresholds(VOLUNTEER, "c", params)
    assert [t.value for t in result.thresholds] == [4]
    assert [(str(r.condition), r.outcome) for r in result.regions] == [
        ("Eq(c, 0)", "all Defend"),
        ("(c > 0) & (c < 4)", "mixed"),
        ("Eq(c, 4)", "all Abstain"),
        ("c > 4", "all Abstain"),
    ]
    # the exact solver below, at and above each candidate (0 is c's lower bound)
    assert _outcome(VOLUNTEER, params, "c", F(0)) == "all Defend"
    assert _outcome(VOLUNTEER, params, "c", F(1, 10**6)) == "mixed"
    assert _outcome(VOLUNTEER, params, "c", F(4) - F(1, 10**6)) == "mixed"
    assert _outcome(VOLUNTEER, params, "c", F(4)) == "all Abstain"
    assert _outcome(VOLUNTEER, params, "c", F(4) + F(1, 10**6)) == "all Abstain"
    _check_against_solver(VOLUNTEER, "c", params)


def test_volunteers_dilemma_region_text_gives_the_answering_probability():
    text = str(cr.thresholds(VOLUNTEER, "c", {"n": 12, "b": 4}))
    assert "Bound: n = 12, b = 4" in text
    assert "0 < c < 4: mixed" in text
    assert "the alliance answers with" in text and "probability 0.53053454466914682486" in text


@pytest.mark.parametrize("n", [2, 12, 32])
def test_volunteers_dilemma_in_the_benefit_and_the_cost(n):
    _check_against_solver(VOLUNTEER, "c", {"n": n, "b": 4})
    result = _check_against_solver(VOLUNTEER, "b", {"n": n, "c": 1})
    assert [t.value for t in result.thresholds] == [1]


# -- the other catalog games, against the exact solver -------------------------------------------


@pytest.mark.parametrize("n", [2, 12, 32])
def test_burden_sharing_tie_at_b_over_n(n):
    result = _check_against_solver(BURDEN, "c", {"n": n, "b": 45})
    assert [t.value for t in result.thresholds] == [sympy.Rational(45, n)]
    assert [r.outcome for r in result.regions] == [
        "all Contribute",
        "every p (the actions tie)",
        "all Free-ride",
    ]
    _check_against_solver(BURDEN, "b", {"n": n, "c": 2})


@pytest.mark.parametrize("n", [3, 5, 12])
def test_article5_in_the_cost_and_the_benefit(n):
    _check_against_solver(ARTICLE5, "c", {"n": n, "m": 3, "b": 10})
    _check_against_solver(ARTICLE5, "b", {"n": n, "m": 3, "c": 1})


def test_a_double_root_is_a_threshold():
    # n = 5, m = 3, b = 10: D(p) = 60 p^2 (1-p)^2 - c has two roots in (0, 1) below c = 15/4,
    # one (double, p = 1/2) at it and none above: the discriminant's root
    result = _check_against_solver(ARTICLE5, "c", {"n": 5, "m": 3, "b": 10})
    assert [t.value for t in result.thresholds] == [sympy.Rational(15, 4)]
    assert [r.outcome for r in result.regions][1:] == [
        "2 mixed | all Abstain",
        "mixed | all Abstain",
        "all Abstain",
    ]
    (double,) = cr.solve(ARTICLE5, {"n": 5, "m": 3, "b": 10, "c": F(15, 4)}).mixed
    assert double.p == sympy.Rational(1, 2)


def test_an_irrational_double_root_from_a_built_game():
    # d(k) = (k - 2)(k - 5) - c k + 3: D is quadratic in p, two roots meet at an irrational c
    game = _game(
        C
        + """
[payoffs.Defend]
base = "(k - 2)*(k - 5) - c*k + 3"

[payoffs.Abstain]
base = 0
"""
    )
    params = {"n": 8}
    result = _check_against_solver(game, "c", params)
    meet = -6 + 2 * sympy.sqrt(546) / 7
    assert [t.value for t in result.thresholds] == [meet, sympy.Rational(13, 7)]
    below, above = (
        F(sympy.Rational(sympy.N(meet + s, 30)).limit_denominator(10**9)) for s in (-1e-6, 1e-6)
    )
    assert _outcome(game, params, "c", below) == "all Defend"
    assert _outcome(game, params, "c", above) == "all Defend | 2 mixed"


def test_a_payoff_with_the_parameter_in_a_denominator():
    body = """
[payoffs.Defend]
base = "1/c - k"

[payoffs.Abstain]
base = 0
"""
    with pytest.raises(CredibilityError, match="undefined at c = 0"):
        cr.thresholds(_game(C + body), "c", {"n": 4})
    game = _game(C.replace("default = 1", 'default = 1\nmin = "1/10"') + body)
    result = _check_against_solver(game, "c", {"n": 4})
    assert [t.value for t in result.thresholds] == [sympy.Rational(1, 3)]


def test_a_fixed_number_of_players():
    game = _game(
        C
        + """
[payoffs.Defend]
base = "3 - c"

[payoffs.Abstain]
base = 0
steps = [{ at_least = 1, add = 4 }]
""",
        players="5",
    )
    result = _check_against_solver(game, "c", {})
    assert [t.value for t in result.thresholds] == [-1, 3]


# -- refusals ------------------------------------------------------------------------------------


def test_refusals_name_what_to_bind():
    with pytest.raises(CredibilityError, match="bind all but one of b, c"):
        cr.thresholds(VOLUNTEER, "c", {"n": 12})
    with pytest.raises(CredibilityError, match="bind b, c"):
        cr.thresholds(VOLUNTEER, "n")
    with pytest.raises(CredibilityError, match="bind 'n' too"):
        cr.thresholds(VOLUNTEER, "c", {"b": 4})
    with pytest.raises(CredibilityError, match="'m' counts members"):
        cr.thresholds(ARTICLE5, "m", {"n": 5, "b": 10, "c": 1})
    with pytest.raises(CredibilityError, match="at most 16 players"):
        cr.thresholds(ARTICLE5, "c", {"n": 17, "m": 3, "b": 10})


# -- the command line ----------------------------------------------------------------------------


def test_cli_threshold_in_the_cost_text_and_json():
    jsonschema = pytest.importorskip("jsonschema")
    runner = CliRunner()
    args = ["threshold", "collective_defence_n", "--for", "c", "--param", "n=12", "--param", "b=4"]
    text = runner.invoke(cli, args)
    assert text.exit_code == 0, text.output
    assert "0 < c < 4: mixed" in text.output
    out = runner.invoke(cli, [*args, "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    schema = json.loads(
        (Path(__file__).resolve().parents[1] / "docs" / "json-output.schema.json").read_text()
    )
    validator = jsonschema.Draft202012Validator(
        {"$ref": "#/$defs/threshold", "$defs": schema["$defs"]}
    )
    validator.validate(data)
    assert data["parameter"] == "c" and [t["value"] for t in data["thresholds"]] == ["4"]


@pytest.mark.parametrize("n", [2, 5, 20])
def test_a_gain_linear_in_p_whose_degree_drops(n):
    # d(k) = (c - 1) k + c^2 - 2: D(p) = (c - 1)(n - 1) p + c^2 - 2, constant at c = 1
    game = _game(
        C
        + """
[payoffs.Defend]
base = "(c - 1)*k + c*c - 2"

[payoffs.Abstain]
base = 0
"""
    )
    result = _check_against_solver(game, "c", {"n": n})
    assert sympy.sqrt(2) in [t.value for t in result.thresholds]
