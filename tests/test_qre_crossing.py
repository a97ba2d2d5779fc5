"""Where a QRE outcome probability crosses a level (issue 16, item 3): ``cr.qre_threshold``.

Every reported crossing is checked against :func:`credibility.qre` evaluated there: the
probability equals the level (within the slope times the bracket) and lies on opposite sides
of it at the bracket's ends. Closed forms check the values themselves.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from click.testing import CliRunner

import credibility as cr
from cli import cli
from credibility.errors import CredibilityError
from credibility.quantal import QREThreshold

WAR = ["Challenge > Hard > Resist", "Challenge > Soft > Resist"]

#: One decision: A goes to war (payoff d to A) or keeps the peace (payoff 0). The logit choice
#: gives P(War) = exp(lam d) / (exp(lam d) + exp(0)) = 1 / (1 + exp(-lam d)). Setting it to a
#: level L: exp(-lam d) = 1/L - 1 = (1 - L)/L, so d = ln(L / (1 - L)) / lam, and at fixed d
#: (d < 0, so P falls from 1/2 towards 0 as lam grows) lam = ln(L / (1 - L)) / d.
ONE_DECISION = """
kind = "tree"
title = "One decision"
players = ["A", "B"]

[parameters.d]
default = -1
min = -10
max = 10

[root]
player = "A"
[root.moves.War]
payoffs = ["d", 0]
[root.moves.Peace]
payoffs = [0, 0]
"""

#: Row's payoffs do not depend on Column's choice, so P(Up) = 1 / (1 + exp(-lam d)) whatever
#: Column does (the same logit as above); Up/Left + Up/Right sums to P(Up).
TWO_BY_TWO = """
kind = "bimatrix"
title = "Two by two"
players = ["Row", "Column"]

[parameters.d]
default = 1
min = 0
max = 3

[strategies]
Row = ["Up", "Down"]
Column = ["Left", "Right"]

[payoffs]
Row = [["d", "d"], [0, 0]]
Column = [[1, 0], [0, 1]]
"""


@pytest.fixture(scope="module")
def one_decision(tmp_path_factory):
    path = tmp_path_factory.mktemp("games") / "one_decision.toml"
    path.write_text(ONE_DECISION)
    return cr.load(path)


@pytest.fixture(scope="module")
def two_by_two(tmp_path_factory):
    path = tmp_path_factory.mktemp("games") / "two_by_two.toml"
    path.write_text(TWO_BY_TWO)
    return cr.load(path)


def _probability(game, outcomes, over, x, lam, params=None):
    params = dict(params or {})
    if over == "lambda":
        point = cr.qre(game, [x], params).points[0]
    else:
        point = cr.qre(game, [lam], {**params, over: x}).points[0]
    return sum(point.outcomes[o] for o in outcomes)


def _check(result: QREThreshold, lam=None, params=None, slope=10.0):
    """Each crossing: P = level at its value, opposite sides at its bracket's ends."""
    outcomes, level = list(result.outcomes), result.level
    for c in result.crossings:
        assert c.width <= result.tolerance
        assert c.low <= c.value <= c.high
        p = _probability(result.game, outcomes, result.over, c.value, lam, params)
        assert abs(p - level) <= slope * c.width + 1e-12
        assert abs(c.probability - p) <= 1e-12
        p_low = _probability(result.game, outcomes, result.over, c.low, lam, params)
        p_high = _probability(result.game, outcomes, result.over, c.high, lam, params)
        assert (p_low < level) != (p_high < level)
        assert c.direction == ("rises above" if p_low < level else "falls below")
    # The intervals tile the range, alternate, and meet at the crossings.
    spans = sorted([*result.below, *result.above])
    assert spans[0][0] == result.between[0] and spans[-1][1] == result.between[1]
    assert [b for _, b in spans[:-1]] == [a for a, _ in spans[1:]]
    assert [b for _, b in spans[:-1]] == [c.value for c in result.crossings]


@pytest.mark.parametrize("level", [0.05, 0.5, 0.9])
def test_one_decision_over_a_parameter_matches_the_closed_form(one_decision, level):
    lam = 2.0
    result = cr.qre_threshold(one_decision, "War", level, "d", lam)
    (crossing,) = result.crossings
    assert crossing.value == pytest.approx(math.log(level / (1 - level)) / lam, abs=1e-9)
    assert crossing.direction == "rises above"
    assert result.below == ((-10.0, crossing.value),)
    assert result.above == ((crossing.value, 10.0),)
    _check(result, lam)


def test_one_decision_over_lambda_matches_the_closed_form(one_decision):
    level, d = 0.05, -1.0
    result = cr.qre_threshold(one_decision, ["War"], level, "lambda", params={"d": d})
    (crossing,) = result.crossings
    assert crossing.value == pytest.approx(math.log(level / (1 - level)) / d, abs=1e-9)
    assert crossing.direction == "falls below"
    assert result.below == ((crossing.value, 100.0),)
    _check(result, params={"d": d})


def test_two_by_two_matches_the_closed_form(two_by_two):
    level, lam = 0.8, 2.0
    up = ["Up/Left", "Up/Right"]
    result = cr.qre_threshold(two_by_two, up, level, "d", lam, between=(0.1, 3), points=21)
    (crossing,) = result.crossings
    assert crossing.value == pytest.approx(math.log(level / (1 - level)) / lam, abs=1e-8)
    assert crossing.direction == "rises above"
    _check(result, lam)
    by_lambda = cr.qre_threshold(two_by_two, up, level, "lambda", between=(0, 5), points=21)
    (crossing,) = by_lambda.crossings
    assert crossing.value == pytest.approx(math.log(level / (1 - level)), abs=1e-8)
    _check(by_lambda)


def test_unilateral_deterrence_crossings():
    game = cr.load("unilateral_deterrence")
    result = cr.qre_threshold(game, WAR, 0.05, "p", 2)
    assert [c.direction for c in result.crossings] == ["rises above", "falls below"]
    _check(result, 2)
    by_lambda = cr.qre_threshold(game, WAR, 0.05, "lambda")
    # At the defaults P(resist | Hard) = 1/(1 + exp(-2 lam)) and P(resist | Soft) =
    # 1/(1 + exp(2 lam)) add up to 1, so war = P(challenge)/2; challenging is worth
    # (1/2)(-2 + 1) = -1/2 whatever lam, so P(challenge) = 1/(1 + exp(lam/2)) = 0.1 at lam = ln 81.
    assert by_lambda.crossings[0].value == pytest.approx(math.log(81), abs=1e-8)
    _check(by_lambda)
    cost = cr.qre_threshold(game, WAR, 0.05, "a_DD", 2, between=(-20, -1))
    _check(cost, 2)


def test_bimatrix_chicken_crash():
    game = cr.load("chicken")
    result = cr.qre_threshold(game, "Straight/Straight", 0.1, "lambda", between=(0, 10))
    assert len(result.crossings) == 1
    _check(result)


def test_tolerance_is_met_or_the_floats_resolution_reported(one_decision):
    coarse = cr.qre_threshold(one_decision, "War", 0.3, "d", 1, tolerance=1e-3)
    assert 0 < coarse.crossings[0].width <= 1e-3
    fine = cr.qre_threshold(one_decision, "War", 0.3, "d", 1, tolerance=1e-300)
    c = fine.crossings[0]
    assert c.width > 0 and math.nextafter(c.low, math.inf) == c.high


def test_no_crossing_gives_the_whole_range(one_decision):
    below = cr.qre_threshold(one_decision, "War", 0.99, "d", 0.1, between=(-1, 1))
    assert below.crossings == () and below.below == ((-1.0, 1.0),) and below.above == ()
    above = cr.qre_threshold(one_decision, "Peace", 0.0, "lambda")
    assert above.crossings == () and above.above == ((0.0, 100.0),) and above.below == ()


def test_a_finer_grid_finds_a_narrow_excursion():
    # War at lambda = 2 as p varies rises above 0.05 near p = 0.043: a grid of 3 points over
    # [0, 1] (spacing 0.5) sees war below 0.05 at 0 and 1 and above at 1/2; one of 2 misses it.
    game = cr.load("unilateral_deterrence")
    assert cr.qre_threshold(game, WAR, 0.05, "p", 2, points=2).crossings == ()
    assert len(cr.qre_threshold(game, WAR, 0.05, "p", 2, points=3).crossings) == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"outcome": "Peace"}, "unknown outcome 'Peace'; the outcomes are: 'Status quo'"),
        ({"level": 1.5}, "the level must be a probability in [0, 1], got 1.5"),
        ({"level": -0.1}, "the level must be a probability in [0, 1]"),
        ({"over": "nope"}, "unknown parameter 'nope' to vary"),
        ({"lam": None}, "give the fixed precision lam"),
        ({"over": "a_DD"}, "parameter 'a_DD' has no minimum"),
        ({"between": (0.5, 2)}, "the range ends above the maximum 1 of parameter 'p'"),
        ({"between": (0.5, 0.5)}, "the range must be finite with low < high"),
        ({"points": 1}, "the grid needs at least 2 points"),
        ({"tolerance": 0}, "the tolerance must be a number > 0"),
    ],
)
def test_bad_input(kwargs, message):
    arguments = {"outcome": WAR, "level": 0.05, "over": "p", "lam": 2.0, **kwargs}
    with pytest.raises(CredibilityError, match="^" + re.escape(message)):
        cr.qre_threshold(cr.load("unilateral_deterrence"), **arguments)


def test_lambda_with_a_fixed_lambda_and_an_unknown_outcome():
    with pytest.raises(CredibilityError, match="give no fixed lam"):
        cr.qre_threshold(cr.load("unilateral_deterrence"), WAR, 0.05, "lambda", 2)
    with pytest.raises(CredibilityError, match="unknown outcome 'x'; the outcomes are: 'Resolved"):
        cr.qre_threshold(cr.load("sinking_costs"), "x", 0.05, "lambda")


def test_symmetric_game_over_a_parameter_crosses_where_qre_says():
    # The volunteer's dilemma with 12 members at lambda = 2: as the cost c rises the alliance
    # answers less often; find where the probability of no answer reaches 10%.
    game = cr.load("collective_defence_n")
    none = "no member chooses Defend"
    result = cr.qre_threshold(game, none, 0.1, "c", 2, between=(0, 4), points=41)
    assert [c.direction for c in result.crossings] == ["rises above"]
    value = result.crossings[0].value
    at = cr.qre(game, [2.0], {"c": value}).points[0].outcomes[none]
    assert at == pytest.approx(0.1, abs=1e-6)


def _run(*args):
    return CliRunner().invoke(cli, ["qre-threshold", *args])


def test_cli_text():
    level = "Challenge > Hard > Resist + Challenge > Soft > Resist<0.05"
    result = _run("unilateral_deterrence", "--level", level, "--over", "p", "--lambda", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[3].startswith("  p = 0.04325002") and lines[3].endswith(")")
    assert "rises above 0.05" in lines[3] and "falls below 0.05" in lines[4]
    assert lines[5].startswith("P < 0.05 for p in [0, 0.04325002")
    assert lines[6].startswith("Grid: 1001 points over [0, 1], spacing 0.001;")
    above = _run("unilateral_deterrence", "--level", "Status quo>0.9", "--over", "lambda")
    assert above.exit_code == 0, above.output
    assert "P >= 0.9 for lambda in [" in above.output


def test_cli_json():
    result = _run(
        "chicken", "--level", "Straight/Straight<1/10", "--over", "lambda", "--between", "0",
        "10", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"] == "grid-bisection" and data["comparison"] == "<"
    assert data["level"] == "0.1" and data["lambda"] is None and data["grid_points"] == 101
    (crossing,) = data["crossings"]
    assert crossing["direction"] == "falls below"
    assert float(crossing["width"]) <= 1e-9
    assert data["holds"] == data["below"] == [[crossing["value"], "10.0"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "Peace<0.05", "--over", "lambda"], "Error: unknown outcome 'Peace'; the"),
        (["--level", "Status quo<1.5", "--over", "lambda"], "Error: the level must be"),
        (["--level", "Status quo<abc", "--over", "lambda"], "Error: --level 'Status quo<abc':"),
        (["--level", "Status quo=0.5", "--over", "lambda"], "Error: --level 'Status quo=0.5':"),
        (["--level", "Status quo<0.5", "--over", "nope", "--lambda", "1"], "Error: unknown pa"),
        (["--level", "Status quo<0.5", "--over", "p"], "Error: give the fixed precision --la"),
        (["--level", "Status quo<0.5", "--over", "lambda", "--lambda", "1"], "Error: --over l"),
        (["--level", "Status quo<0.5", "--over", "a_DD", "--lambda", "1"], "(--between LOW"),
    ],
)
def test_cli_errors_in_one_line(args, message):
    result = _run("unilateral_deterrence", *args)
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert message in result.output


def test_cli_signalling_over_lambda():
    result = _run(
        "tying_hands", "--level", "Irresolute > Stay quiet > Challenge<0.2", "--over", "lambda"
    )
    assert result.exit_code == 0, result.output
    assert "falls below" in result.output


def test_a_jump_of_the_principal_branch_is_reported_as_such():
    # Chicken at lambda = 1: only the symmetric game (c_row = c_column = 5) keeps the symmetric
    # branch, whose crash probability is above 0.1; either side the branch is another one.
    game = cr.load("chicken")
    result = cr.qre_threshold(
        game, "Straight/Straight", 0.1, "c_row", 1, between=(0, 10), points=21
    )
    assert [c.direction for c in result.crossings] == ["rises above", "falls below"]
    assert all(abs(c.probability - 0.1) > 1e-3 for c in result.crossings)
    for c in result.crossings:
        point = cr.qre(game, [1], {"c_row": c.value}).points[0]
        assert abs(c.probability - point.outcomes["Straight/Straight"]) <= 1e-12
    args = ["chicken", "--level", "Straight/Straight<0.1", "--over", "c_row", "--lambda", "1"]
    output = _run(*args, "--between", "0", "10", "--points", "21").output
    assert output.count("the probability jumps") == 2
