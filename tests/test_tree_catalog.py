"""The catalog's game trees solve as their sources say: SPE, paths, threats and thresholds.

Every expected value below is derived by hand from the model's payoffs (the derivation is in the
comment beside it) and checked in exact arithmetic: equilibria and payoffs as Fractions,
thresholds as sympy expressions compared by ``simplify(a - b) == 0``.
"""

from __future__ import annotations

import functools
import json
from fractions import Fraction as F
from itertools import pairwise

import pytest
import sympy
from click.testing import CliRunner

import credibility as cr
from cli import cli

TREES = [
    "entry_deterrence",
    "unilateral_deterrence",
    "extended_deterrence",
    "alliance_consensus",
    "brinkmanship_risk",
    "cyber_attribution",
]
# The probability each model's main threshold is about.
PROBABILITY = {
    "unilateral_deterrence": "p",
    "extended_deterrence": "b",
    "alliance_consensus": "p",
    "brinkmanship_risk": "q",
    "cyber_attribution": "a",
}


def spe(name: str, **params) -> list[tuple[dict[str, str], tuple[str, ...], tuple[F, F]]]:
    """Every subgame-perfect equilibrium as (actions, path, payoffs)."""
    solution = cr.solve(cr.load(name), params=params)
    return [(e.actions, e.path, e.payoffs) for e in solution.equilibria]


def threats(name: str, **params) -> set[tuple[str, str, str, tuple[str, ...]]]:
    """Every non-credible threat as (node, player, threat, best)."""
    solution = cr.solve(cr.load(name), params=params)
    assert solution.non_credible_threats is not None
    return {(t.node, t.player, t.threat, t.best) for t in solution.non_credible_threats}


def thresholds(name: str, parameter: str, **params) -> list[sympy.Expr]:
    return list(_threshold_values(name, parameter, tuple(sorted(params.items()))))


@functools.cache
def _threshold_values(name: str, parameter: str, params: tuple) -> tuple[sympy.Expr, ...]:
    # Shared: several tests derive the same thresholds (alliance_consensus at k = 1, ..., 8).
    return tuple(t.value for t in cr.thresholds(cr.load(name), parameter, dict(params)).thresholds)


def symbols(name: str) -> dict[str, sympy.Symbol]:
    return {p.name: p.symbol for p in cr.load(name).parameters}


def same(a: sympy.Expr, b: sympy.Expr) -> bool:
    return sympy.simplify(a - b) == 0


def assert_thresholds(found: list[sympy.Expr], expected: list[sympy.Expr]) -> None:
    """The same set of thresholds, up to order and algebraic form."""
    assert len(found) == len(expected), (found, expected)
    for value in expected:
        assert any(same(value, f) for f in found), (value, found)


# --- every tree --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TREES)
def test_loads_as_a_cited_tree_with_bounded_documented_parameters(name):
    game = cr.load(name)
    assert game.kind == "tree" and game.info.name == name
    assert game.info.title and len(game.info.description) > 200
    assert game.info.source and any(ch.isdigit() for ch in game.info.source)
    for parameter in game.parameters:
        assert parameter.description
        parameter.check(parameter.default)  # the default lies within the bounds
        if parameter.name == PROBABILITY.get(name):
            assert (parameter.minimum, parameter.maximum) == (0, 1)


@pytest.mark.parametrize("name", TREES)
def test_solves_explains_and_renders_at_the_defaults(name):
    solution = cr.solve(cr.load(name))
    assert solution.equilibria and solution.non_credible_threats is not None
    data = json.loads(cr.render(solution, "json"))
    assert data["format"] == 1 and data["kind"] == "tree"
    for equilibrium in data["equilibria"]:
        assert all(F(v) is not None for v in equilibrium["payoffs"].values())
    assert "Backward induction" in cr.render(solution, explain=True)


@pytest.mark.parametrize("name", TREES)
def test_show_works_from_the_cli(name):
    result = CliRunner().invoke(cli, ["show", name])
    assert result.exit_code == 0, result.output
    # The source is wrapped to 80 columns: compare with the line breaks undone.
    assert " ".join(cr.load(name).info.source.split()) in " ".join(result.output.split())


# --- Entry deterrence: Selten (1978), The Chain Store Paradox, one market ----------------------


def test_entry_is_accommodated_in_one_market():
    # Selten (1978): after entry the incumbent compares Fight r - w = -1 with Accommodate q = 1,
    # so it accommodates, and the entrant, comparing Out 0 with In p = 1, enters.
    assert spe("entry_deterrence") == [
        ({"": "In", "In": "Accommodate"}, ("In", "Accommodate"), (F(1), F(1)))
    ]


def test_out_fight_is_nash_but_rests_on_a_threat_that_is_not_credible():
    # Selten (1978): (Out, Fight) is a Nash equilibrium of the strategic form (against Out the
    # incumbent's plan costs it nothing) but not subgame perfect: once entry has happened,
    # fighting gives -1 < 1.
    solution = cr.solve(cr.load("entry_deterrence"))
    (threat,) = solution.non_credible_threats
    assert (threat.node, threat.player, threat.threat, threat.best) == (
        "In",
        "Incumbent",
        "Fight",
        ("Accommodate",),
    )
    assert (threat.threat_value, threat.best_value) == (F(-1), F(1))
    assert "(Out; Fight)" in threat.equilibria
    nash = {
        (
            max(e["strategies"]["Entrant"], key=lambda s: F(e["strategies"]["Entrant"][s])),
            tuple(F(v) for v in e["strategies"]["Incumbent"].values()),
        ): e["subgame_perfect"]
        for e in solution.to_dict()["nash_equilibria"]
    }
    # (Out, Fight), (Out, fight with probability p/(p + f) = 1/2) and (In, Accommodate).
    assert nash == {
        ("Out", (F(1), F(0))): False,
        ("Out", (F(1, 2), F(1, 2))): False,
        ("In", (F(0), F(1))): True,
    }


def test_a_reputation_worth_more_than_the_fight_costs_makes_the_threat_credible():
    # Fight is credible iff r - w > q, i.e. r > q + w = 2 (the chain store's reputation,
    # Kreps & Wilson 1982): then the entrant stays out, since -f < 0.
    assert spe("entry_deterrence", r=3) == [({"": "Out", "In": "Fight"}, ("Out",), (F(0), F(4)))]
    assert ("In", "Incumbent", "Fight", ("Accommodate",)) not in threats("entry_deterrence", r=3)
    # On the threshold r = q + w the incumbent is indifferent: both plans are subgame perfect.
    assert {e[1] for e in spe("entry_deterrence", r=2)} == {("Out",), ("In", "Accommodate")}
    assert threats("entry_deterrence", r=2) == set()


def test_entry_deterrence_threshold_on_reputation_is_q_plus_w():
    s = symbols("entry_deterrence")
    assert_thresholds(thresholds("entry_deterrence", "r"), [s["q"] + s["w"]])
    assert thresholds("entry_deterrence", "r", q=1, w=1, m=4, p=1, f=1) == [2]
    # The cost of a price war matters the other way round: credible iff w < r - q.
    assert_thresholds(thresholds("entry_deterrence", "w", r=3, q=1), [2])


# --- Unilateral deterrence: Zagare & Kilgour (2000), Perfect Deterrence, appendix 3 ------------
# Rudimentary Asymmetric Deterrence Game: a_DD < a_SQ < a_DC; b_DD- < b_DC < b_DD+ < b_SQ. The Hard
# defender resists, the Soft one concedes; the challenger challenges iff
# p a_DD + (1 - p) a_DC > a_SQ, i.e. is deterred iff p > (a_DC - a_SQ) / (a_DC - a_DD).

HARD, SOFT = "Challenge/Hard", "Challenge/Soft"


def test_the_challenger_is_deterred_above_the_threshold_symbolically():
    s = symbols("unilateral_deterrence")
    result = cr.thresholds(cr.load("unilateral_deterrence"), "p")
    expected = (s["a_DC"] - s["a_SQ"]) / (s["a_DC"] - s["a_DD"])
    assert_thresholds([t.value for t in result.thresholds], [expected])
    # The regions: status quo above the threshold, challenge below, at sample points of the
    # parameter box (each payoff in its own band).
    by_outcome = {r.outcome: r.condition for r in result.regions}
    assert set(by_outcome) == {"Status quo", "Challenge"}
    for a_SQ, a_DC, a_DD in [(0, 1, -2), (F(1, 2), 3, -1), (-1, 5, -10)]:
        threshold = F(a_DC - a_SQ) / (a_DC - a_DD)
        for p, outcome in [(threshold / 2, "Challenge"), ((1 + threshold) / 2, "Status quo")]:
            point = {"p": p, "a_SQ": a_SQ, "a_DC": a_DC, "a_DD": a_DD}
            values = {s[n]: sympy.Rational(str(v)) for n, v in point.items()}
            holding = {o for o, condition in by_outcome.items() if condition.subs(values)}
            assert holding == {outcome}, point


@pytest.mark.parametrize(
    ("a_SQ", "a_DC", "a_DD", "threshold"),
    [
        pytest.param(0, 1, -2, F(1, 3), id="defaults"),
        pytest.param(0, 2, -2, F(1, 2), id="symmetric-stakes"),
        pytest.param(F(-1, 2), 1, -1, F(3, 4), id="poor-status-quo"),
        pytest.param(1, 1, -5, F(0), id="nothing-to-gain"),
    ],
)
def test_threshold_and_spe_on_both_sides(a_SQ, a_DC, a_DD, threshold):
    payoffs = {"a_SQ": a_SQ, "a_DC": a_DC, "a_DD": a_DD}
    defender = {"b_SQ": 3, "b_DC": -1, "b_DD_hard": 1, "b_DD_soft": -3}
    found = thresholds("unilateral_deterrence", "p", **payoffs, **defender)
    assert found == ([threshold] if threshold > 0 else [])  # p = 0 is a bound, not a threshold
    deterred = {"": "Status quo", HARD: "Resist", SOFT: "Concede"}
    challenged = {"": "Challenge", HARD: "Resist", SOFT: "Concede"}
    above = (1 + threshold) / 2
    assert spe("unilateral_deterrence", p=above, **payoffs) == [
        (deterred, ("Status quo",), (F(a_SQ), F(3)))
    ]
    if threshold > 0:
        below = threshold / 2
        # Expected payoffs of a challenge: p a_DD + (1 - p) a_DC, and p b_DD+ + (1 - p) b_DC.
        expected = (below * a_DD + (1 - below) * a_DC, below * 1 + (1 - below) * -1)
        assert spe("unilateral_deterrence", p=below, **payoffs) == [
            (challenged, ("Challenge",), expected)
        ]
        # On the threshold the challenger is indifferent: both plans are subgame perfect.
        on = spe("unilateral_deterrence", p=threshold, **payoffs)
        assert {e[1] for e in on} == {("Status quo",), ("Challenge",)}


def test_defaults_deter_and_the_soft_defenders_threat_is_not_credible():
    # p = 1/2 > 1/3: the status quo survives. The Soft defender's threat to resist is the one
    # Zagare & Kilgour call incredible: -3 < -1.
    assert spe("unilateral_deterrence") == [
        ({"": "Status quo", HARD: "Resist", SOFT: "Concede"}, ("Status quo",), (F(0), F(3)))
    ]
    assert (SOFT, "Defender", "Resist", ("Concede",)) in threats("unilateral_deterrence")


def test_a_certainly_soft_defender_is_challenged():
    # p = 0: the challenge meets a concession for sure, a_DC = 1 > a_SQ = 0.
    ((actions, _, payoffs),) = spe("unilateral_deterrence", p=0)
    assert actions[""] == "Challenge" and payoffs == (F(1), F(-1))


# --- Extended deterrence: Huth (1988); Schelling (1966), Arms and Influence, ch. 2 -------------
# The guarantor intervenes iff -c_G > -s (its stake exceeds the cost of war). With a high stake
# above c_G and a low one below it, attacking gives b (-c_A) + (1 - b)(v - d), so the attack is
# deterred iff b > (v - d) / (v - d + c_A).

HIGH, LOW = "Attack/High stake", "Attack/Low stake"


def test_intervention_is_credible_iff_the_stake_exceeds_the_cost_of_war():
    s = symbols("extended_deterrence")
    assert any(same(t, s["c_G"]) for t in thresholds("extended_deterrence", "s_high"))
    others = {"s_low": F(1, 2), "c_G": 1, "v": 2, "d": F(1, 2), "c_A": 2, "b": F(1, 2)}
    assert thresholds("extended_deterrence", "s_high", **others) == [1]
    for stake, choice in [(F(3, 2), "Intervene"), (F(1, 2), "Abandon")]:
        (equilibrium,) = spe("extended_deterrence", s_high=stake)
        assert equilibrium[0][HIGH] == choice


def test_the_attack_is_deterred_iff_the_belief_in_commitment_exceeds_the_threshold():
    s = symbols("extended_deterrence")
    stakes = {"s_high": 3, "s_low": F(1, 2), "c_G": 1}
    expected = (s["v"] - s["d"]) / (s["v"] - s["d"] + s["c_A"])
    assert_thresholds(thresholds("extended_deterrence", "b", **stakes), [expected])
    # Defaults: (2 - 1/2) / (2 - 1/2 + 2) = 3/7.
    assert thresholds("extended_deterrence", "b", **stakes, v=2, d=F(1, 2), c_A=2) == [F(3, 7)]
    deterred = spe("extended_deterrence", b=F(1, 2))
    assert deterred == [
        ({"": "No attack", HIGH: "Intervene", LOW: "Abandon"}, ("No attack",), (F(0), F(0)))
    ]
    # b = 2/5 < 3/7: attacking gives 2/5 (-2) + 3/5 (3/2) = 1/10; the guarantor expects
    # 2/5 (-1) + 3/5 (-1/2) = -7/10.
    assert spe("extended_deterrence", b=F(2, 5)) == [
        ({"": "Attack", HIGH: "Intervene", LOW: "Abandon"}, ("Attack",), (F(1, 10), F(-7, 10)))
    ]


def test_a_stronger_protege_needs_less_commitment():
    # The protégé's own defence d lowers the threshold (v - d) / (v - d + c_A); with d >= v
    # nothing is left to gain and no commitment is needed.
    stakes = {"s_high": 3, "s_low": F(1, 2), "c_G": 1}
    assert thresholds("extended_deterrence", "b", **stakes, v=2, d=1, c_A=2) == [F(1, 3)]
    # d = v: with no commitment at all (b = 0) the attacker gains nothing and is indifferent.
    # (b = 0 makes the low stake a sure chance move, so the path runs on through it.)
    assert {e[1] for e in spe("extended_deterrence", b=0, d=2, v=2)} == {
        ("No attack",),
        ("Attack", "Low stake", "Abandon"),
    }
    ((actions, _, _),) = spe("extended_deterrence", b=0, d=3, v=2)
    assert actions[""] == "No attack"


def test_with_both_stakes_high_or_low_the_belief_does_not_matter():
    # Both stakes above c_G: intervention is certain and the attack never pays (-c_A < 0).
    # Both below: the promise is empty, and v - d > 0 makes the attack pay.
    for b in (0, F(1, 2), 1):
        assert spe("extended_deterrence", b=b, s_low=2)[0][1] == ("No attack",)
        assert spe("extended_deterrence", b=b, s_high=F(1, 2))[0][1][0] == "Attack"
    assert thresholds("extended_deterrence", "b", s_high=3, s_low=2, c_G=1) == []
    # The empty promise is a threat that is not credible: intervening at a low stake.
    assert (HIGH, "Guarantor", "Intervene", ("Abandon",)) in threats(
        "extended_deterrence", b=1, s_high=F(1, 2), v=F(1, 2), d=1
    )


# --- Alliance consensus: unanimity makes credibility p**k -------------------------------------
# Schelling (1966) ch. 2; the attack is deterred iff p**k (v + c) > v, i.e.
# p > (v / (v + c))**(1/k); with v = 1, c = 3: p > (1/4)**(1/k).


def test_the_expression_parser_keeps_a_symbolic_exponent():
    game = cr.load("alliance_consensus")
    s = symbols("alliance_consensus")
    answered = game.root.moves[1].node.moves[0]
    assert answered.name == "Answered"
    assert same(answered.probability, s["p"] ** s["k"])


@pytest.mark.parametrize("k", [1, 2, 3, 4, 8])
def test_threshold_on_resolve_for_each_size(k):
    found = thresholds("alliance_consensus", "p", k=k, v=1, c=3, l=2, w=1)
    assert_thresholds(found, [sympy.Rational(1, 4) ** sympy.Rational(1, k)])


def test_threshold_on_resolve_symbolically():
    s = symbols("alliance_consensus")
    found = thresholds("alliance_consensus", "p")
    assert_thresholds(found, [(s["v"] / (s["v"] + s["c"])) ** (1 / s["k"])])


def test_unanimity_costs_credibility_as_the_alliance_grows():
    values = [
        thresholds("alliance_consensus", "p", k=k, v=1, c=3, l=2, w=1)[0] for k in range(1, 9)
    ]
    assert all(a < b for a, b in pairwise(values))
    assert values[0] == sympy.Rational(1, 4) and values[1] == sympy.Rational(1, 2)
    # p = 1/2: one member deters (1/2 > 1/4), two are at the threshold, three are not enough:
    # attacking three gives (1/8)(-3) + (7/8)(1) = 1/2.
    assert [e[1] for e in spe("alliance_consensus", k=1)] == [("No attack",)]
    assert {e[1] for e in spe("alliance_consensus", k=2)} == {("No attack",), ("Attack",)}
    assert spe("alliance_consensus", k=3) == [({"": "Attack"}, ("Attack",), (F(1, 2), F(-15, 8)))]
    # A more resolved alliance of three: p = 4/5 gives p**3 = 64/125 > 1/4.
    assert spe("alliance_consensus", k=3, p=F(4, 5))[0][1] == ("No attack",)
    assert thresholds("alliance_consensus", "k", p=F(1, 2), v=1, c=3, l=2, w=1) == [2]


def test_a_fractional_number_of_members_is_refused_when_the_power_is_irrational():
    with pytest.raises(cr.ExpressionError, match="not rational"):
        cr.solve(cr.load("alliance_consensus"), {"k": F(5, 2)})


# --- Brinkmanship: Schelling (1960) ch. 8; Dixit, Skeath & McAdams, Games of Strategy ----------
# Effectiveness: the challenger complies iff 0 > -q D + (1 - q) w/2, i.e. q > w / (2D + w).
# Acceptability: the defender prefers the brink iff -q D - (1 - q) w/2 > -w, i.e.
# q < w / (2D - w) (for 2D > w). Defaults w = 2, D = 10: 1/11 < q < 1/9.


def test_effectiveness_and_acceptability_thresholds():
    s = symbols("brinkmanship_risk")
    w, D = s["w"], s["D"]
    assert_thresholds(thresholds("brinkmanship_risk", "q"), [w / (2 * D + w), w / (2 * D - w)])
    assert sorted(thresholds("brinkmanship_risk", "q", w=2, D=10)) == [F(1, 11), F(1, 9)]


@pytest.mark.parametrize(
    ("q", "path", "payoffs"),
    [
        # Too little risk: the brink is acceptable but not effective. The challenger defies and
        # expects -q D + (1 - q) w/2 = -1/2 + 19/20; the defender -1/2 - 19/20.
        pytest.param(F(1, 20), ("Defy", "Brink"), (F(9, 20), F(-29, 20)), id="ineffective"),
        pytest.param(F(1, 10), ("Comply",), (F(0), F(0)), id="inside-the-window"),
        # Too much risk: the defender would rather acquiesce, so the challenger defies.
        pytest.param(F(1, 5), ("Defy", "Acquiesce"), (F(2), F(-2)), id="unacceptable"),
        pytest.param(F(1), ("Defy", "Acquiesce"), (F(2), F(-2)), id="certain-disaster"),
    ],
)
def test_brinkmanship_deters_only_inside_the_window(q, path, payoffs):
    ((_, found_path, found_payoffs),) = spe("brinkmanship_risk", q=q)
    assert (found_path, found_payoffs) == (path, payoffs)


def test_a_threat_of_too_much_risk_is_not_credible():
    # q = 1/5: (Comply, Brink) is a Nash equilibrium (defying would give -2 + 4/5 < 0) resting
    # on a brink the defender would not go to once defied: -1/5 (10) - 4/5 (1) = -14/5 < -2.
    (threat,) = cr.solve(cr.load("brinkmanship_risk"), {"q": F(1, 5)}).non_credible_threats
    assert (threat.node, threat.threat, threat.best) == ("Defy", "Brink", ("Acquiesce",))
    assert (threat.threat_value, threat.best_value) == (F(-14, 5), F(-2))
    assert any(e.startswith("(Comply; Brink") for e in threat.equilibria)


def test_on_the_thresholds_both_outcomes_are_subgame_perfect():
    assert {e[1] for e in spe("brinkmanship_risk", q=F(1, 11))} == {("Comply",), ("Defy", "Brink")}
    assert {e[1] for e in spe("brinkmanship_risk", q=F(1, 9))} == {
        ("Comply",),
        ("Defy", "Acquiesce"),
    }


# --- Cyber attribution: Libicki (2009); Rid & Buchanan (2015) ----------------------------------
# Retaliation after attribution is credible iff u - h - c_R > -h, i.e. u > c_R; then attacking
# gives a (g - r) + (1 - a) g = g - a r, so the attack is deterred iff a > g / r.

ATTRIBUTED = "Covert attack/Attributed"


def test_attribution_threshold_is_gain_over_punishment():
    s = symbols("cyber_attribution")
    assert_thresholds(thresholds("cyber_attribution", "a"), [s["g"] / s["r"]])
    assert thresholds("cyber_attribution", "a", g=2, r=5, h=3, c_R=1, u=2) == [F(2, 5)]
    assert_thresholds(thresholds("cyber_attribution", "u"), [s["c_R"]])


def test_attribution_deters_above_the_threshold():
    assert spe("cyber_attribution") == [
        ({"": "Refrain", ATTRIBUTED: "Retaliate"}, ("Refrain",), (F(0), F(0)))
    ]
    # a = 1/4 < 2/5: attacking gives 2 - 5/4 = 3/4; the defender expects
    # 1/4 (2 - 3 - 1) + 3/4 (-3) = -11/4.
    assert spe("cyber_attribution", a=F(1, 4)) == [
        ({"": "Covert attack", ATTRIBUTED: "Retaliate"}, ("Covert attack",), (F(3, 4), F(-11, 4)))
    ]


def test_without_a_reason_to_retaliate_no_attribution_deters():
    # u < c_R: the defender absorbs even an attributed attack, so the threat of retaliation on
    # which (Refrain, Retaliate) rests is not credible, whatever a is.
    for a in (F(1, 2), 1):
        ((actions, path, _),) = spe("cyber_attribution", a=a, u=F(1, 2))
        assert actions[ATTRIBUTED] == "Absorb" and path[0] == "Covert attack"
    assert (ATTRIBUTED, "Defender", "Retaliate", ("Absorb",)) in threats(
        "cyber_attribution", a=1, u=F(1, 2)
    )
    assert thresholds("cyber_attribution", "a", g=2, r=5, h=3, c_R=1, u=F(1, 2)) == []
