"""The catalog's alliance models: chain gangs and passed bucks, burden-sharing with n allies.

Each model's equilibria are derived by hand in the comments and checked against the solver.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

import credibility as cr

# Chain gangs and passed bucks (Christensen & Snyder 1990), kind `normal`, players A, B, C.
#
# If C holds, every payoff is 0. If C attacks, an ally's payoff is
#   both commit: -w;   it commits, the other passes: -w - o*s;
#   it passes, the other commits: -o*v;   both pass: -o*(v + s);
# and C gets g - r * (number of committed allies).
#
# Against C's attack, an ally gains by committing over passing
#   -w - (-o*v) = o*v - w        if the other commits,
#   -w - o*s - (-o*(v + s)) = o*v - w   if the other passes,
# so committing is dominant when o > w/v and passing when o < w/v: threshold o* = w/v.
# C attacks (Commit, Commit) when g - 2r > 0 and attacks anything else when g - r > 0 and g > 0.
# With the defaults w = 2, v = 4, s = 4, g = 3, r = 1 (g > 2r): o* = 1/2 and
#   o > 1/2: the chain gang (Commit, Commit, Attack), payoffs (-2, -2, 3 - 2) = (-2, -2, 1);
#   o < 1/2: buck-passing (Pass, Pass, Attack), payoffs (-8o, -8o, 3);
#   o = 1/2: the allies are indifferent, all four ally profiles with Attack.
# A profile with Hold is never an equilibrium at the defaults: C gains g - 2r = 1 > 0 by attacking.
# With r < g < 2r (g = 3/2) and o > w/v, C holds against the chain gang: (Commit, Commit, Hold)
# is the only pure equilibrium (allies are indifferent at Hold; C attacks (Commit, Pass) for
# g - r = 1/2 > 0, and the allies facing an attack commit); with o < w/v buck-passing
# (Pass, Pass, Attack) is an equilibrium and (Commit, Commit, Hold) stays a weak one.

CHAIN = cr.load("chain_ganging")
DEFAULTS = {"w": 2, "v": 4, "s": 4, "g": 3, "r": 1}


def pure(game, **params) -> set[tuple[str, ...]]:
    return {e.strategies for e in cr.solve(game, params).equilibria}


def test_chain_ganging_is_a_three_player_normal_game_with_a_source():
    assert CHAIN.kind == "normal"
    assert CHAIN.players == ("Ally A", "Ally B", "Rising power C")
    assert CHAIN.shape == (2, 2, 2)
    assert "Christensen" in CHAIN.info.source and "1990" in CHAIN.info.source
    assert [p.name for p in CHAIN.parameters] == ["o", "w", "v", "s", "g", "r"]


@pytest.mark.parametrize(
    ("o", "expected"),
    [
        pytest.param(0, {("Pass", "Pass", "Attack")}, id="defense-dominant"),
        pytest.param("1/4", {("Pass", "Pass", "Attack")}, id="buck-passing"),
        pytest.param(
            "1/2",
            {(a, b, "Attack") for a in ("Commit", "Pass") for b in ("Commit", "Pass")},
            id="threshold",
        ),
        pytest.param("3/4", {("Commit", "Commit", "Attack")}, id="chain-gang"),
        pytest.param(1, {("Commit", "Commit", "Attack")}, id="offense-dominant"),
    ],
)
def test_chain_ganging_pure_equilibria_by_offense_defense_balance(o, expected):
    assert pure(CHAIN, o=o) == expected


def test_chain_ganging_payoffs_as_derived():
    chain = cr.solve(CHAIN, {"o": "3/4"}).equilibria
    assert [e.payoffs for e in chain] == [(F(-2), F(-2), F(1))]
    bucks = cr.solve(CHAIN, {"o": "1/4"}).equilibria
    assert [e.payoffs for e in bucks] == [(F(-2), F(-2), F(3))]  # -8o = -2 at o = 1/4


def test_chain_ganging_threshold_in_o():
    symbolic = cr.thresholds(CHAIN, "o")
    assert [str(t.value) for t in symbolic.thresholds] == ["w/v"]
    bound = cr.thresholds(CHAIN, "o", DEFAULTS)
    assert [t.value for t in bound.thresholds] == [F(1, 2)]
    assert [str(r.condition) for r in bound.regions] == [
        "o < 1/2",
        "Eq(o, 1/2)",
        "(o <= 1) & (o > 1/2)",
    ]
    assert [r.outcome for r in bound.regions] == [
        "Pass/Pass/Attack",
        "Commit/Commit/Attack | Commit/Pass/Attack | Pass/Commit/Attack | Pass/Pass/Attack",
        "Commit/Commit/Attack",
    ]
    assert [str(x) for x in bound.regions[0].equilibria[0].payoffs] == ["-8*o", "-8*o", "3"]
    # A dearer war moves the threshold up: w = 3, v = 4 gives o* = 3/4.
    dearer = cr.thresholds(CHAIN, "o", {**DEFAULTS, "w": 3})
    assert [t.value for t in dearer.thresholds] == [F(3, 4)]


def test_chain_gang_deters_when_the_rising_power_gains_less_than_two_allies_cost():
    assert pure(CHAIN, o="3/4", g="3/2") == {("Commit", "Commit", "Hold")}
    assert pure(CHAIN, o="1/4", g="3/2") == {
        ("Commit", "Commit", "Hold"),
        ("Pass", "Pass", "Attack"),
    }


# Burden-sharing with n allies (Olson & Zeckhauser 1966), kind `symmetric`.
#
# With k of the other n - 1 members contributing, a member gets
#   Contribute: b*(k + 1)/n - c,   Free-ride: b*k/n,
# so contributing gains b/n - c whatever k is: a dominant strategy for n < b/c, free-riding for
# n > b/c; at n = b/c every p is an equilibrium. All contributing pays b - c each, all
# free-riding 0. With b = 45, c = 2 (b/c = 45/2):
#   n = 2:  gain 45/2 - 2 = 41/2 > 0   -> all Contribute, payoff 43;
#   n = 12: gain 15/4 - 2 = 7/4 > 0    -> all Contribute, payoff 43;
#   n = 32: gain 45/32 - 2 = -19/32 < 0 -> all Free-ride, payoff 0 (43 forgone).
# The last n at which members contribute is 22 (45/22 > 2 > 45/23): threshold n = 23.

BURDEN = cr.load("burden_sharing_n")


def test_burden_sharing_is_symmetric_with_a_source():
    assert BURDEN.kind == "symmetric"
    assert "Olson" in BURDEN.info.source and "1966" in BURDEN.info.source
    assert [p.name for p in BURDEN.parameters] == ["n", "b", "c"]


@pytest.mark.parametrize(
    ("n", "gain", "outcome", "p", "payoff"),
    [
        pytest.param(2, F(41, 2), "all Contribute", 1, 43, id="two"),
        pytest.param(12, F(7, 4), "all Contribute", 1, 43, id="twelve"),
        pytest.param(32, F(-19, 32), "all Free-ride", 0, 0, id="thirty-two"),
    ],
)
def test_burden_sharing_symmetric_equilibria_by_hand(n, gain, outcome, p, payoff):
    b, c = F(45), F(2)
    assert b / n - c == gain
    solution = cr.solve(BURDEN, {"n": n})
    assert solution.outcome == outcome
    (equilibrium,) = solution.equilibria
    assert equilibrium.p == p and equilibrium.answer == p
    assert equilibrium.payoff == payoff


def test_burden_sharing_threshold_in_n():
    result = cr.thresholds(BURDEN, "n", {"b": 45, "c": 2})
    assert [t.value for t in result.thresholds] == [23]
    assert [r.outcome for r in result.regions] == [
        "all Contribute",
        "all Free-ride",
        "all Free-ride",
    ]
    # A costlier contribution shrinks the alliance that pays: c = 5 gives b/c = 9, an integer,
    # where a member is indifferent (every p): read each region as the integers it holds
    # (the open interval 9 < n < 10 holds none).
    dearer = cr.thresholds(BURDEN, "n", {"b": 45, "c": 5})
    assert [t.value for t in dearer.thresholds] == [9, 10]
    assert [(r.text, r.outcome) for r in dearer.regions if r.text != "(n > 9) & (n < 10)"] == [
        ("(n >= 2) & (n < 9)", "all Contribute"),
        ("Eq(n, 9)", "every p (the actions tie)"),
        ("Eq(n, 10)", "all Free-ride"),
        ("(n <= 32) & (n > 10)", "all Free-ride"),
    ]
