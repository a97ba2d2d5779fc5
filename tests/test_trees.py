"""Game trees: backward induction, ties, chance, non-credible threats, JSON, CLI."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from click.testing import CliRunner

import credibility as cr
from cli import cli
from credibility import GameTree, Move, Node
from credibility.solvers.subgame_perfect import solve_tree

EXAMPLE = Path(__file__).parent / "data" / "unilateral_example.toml"


def leaf(path, a, b):
    return Node(path, payoffs=(sympy.Rational(a), sympy.Rational(b)))


def entry_game(fight=(-1, -1), accommodate=(1, 1), out=(0, 2)):
    # Selten (1978), The Chain Store Paradox, one market: the incumbent's threat to fight
    # entry is not credible; (Out, Fight) is a Nash equilibrium that is not subgame perfect.
    incumbent = Node(
        "In",
        player="Incumbent",
        moves=(
            Move("Fight", leaf("In/Fight", *fight)),
            Move("Accommodate", leaf("In/Accommodate", *accommodate)),
        ),
    )
    root = Node("", player="Entrant", moves=(Move("Out", leaf("Out", *out)), Move("In", incumbent)))
    return GameTree(("Entrant", "Incumbent"), root)


def test_entry_deterrence_spe_and_the_threat_that_is_not_credible():
    solution = solve_tree(entry_game())
    assert [e.actions for e in solution.equilibria] == [{"": "In", "In": "Accommodate"}]
    assert solution.equilibria[0].path == ("In", "Accommodate")
    assert solution.equilibria[0].payoffs == (Fraction(1), Fraction(1))
    (threat,) = solution.non_credible_threats
    assert (threat.node, threat.player, threat.threat, threat.best) == (
        "In",
        "Incumbent",
        "Fight",
        ("Accommodate",),
    )
    assert "(Out; Fight)" in threat.equilibria
    nash = solution.to_dict()["nash_equilibria"]
    pure = {
        (
            next(k for k, v in e["strategies"]["Entrant"].items() if v == "1"),
            next((k for k, v in e["strategies"]["Incumbent"].items() if v == "1"), "mixed"),
        ): e["subgame_perfect"]
        for e in nash
    }
    assert pure[("Out", "Fight")] is False
    assert pure[("In", "Accommodate")] is True


def test_a_credible_threat_deters():
    # If fighting pays the incumbent more than accommodating, the threat is credible.
    solution = solve_tree(entry_game(fight=(-1, 2)))
    assert [e.path for e in solution.equilibria] == [("Out",)]
    assert all(t.threat != "Fight" for t in solution.non_credible_threats)
    # Mixing in Accommodate off the path is still a Nash equilibrium, and that part of it
    # (a promise to accommodate) is what is not credible now.
    assert [(t.threat, t.best) for t in solution.non_credible_threats] == [
        ("Accommodate", ("Fight",))
    ]


def test_indifference_gives_every_subgame_perfect_equilibrium():
    solution = solve_tree(entry_game(fight=(-1, 1)))
    assert sorted(e.actions["In"] for e in solution.equilibria) == ["Accommodate", "Fight"]
    assert {e.actions[""] for e in solution.equilibria} == {"Out", "In"}
    assert solution.outcome == "Out | In > Accommodate"


def test_chance_node_expected_payoffs_and_path():
    tree = cr.load(EXAMPLE)
    low = cr.solve(tree, {"p": "1/4"})
    assert [e.path for e in low.equilibria] == [("Challenge",)]
    # 1/4 * (-2) + 3/4 * 1 = 1/4 for the challenger; 1/4 * 1 + 3/4 * (-1) = -1/2.
    assert low.equilibria[0].payoffs == (Fraction(1, 4), Fraction(-1, 2))
    sure = cr.solve(tree, {"p": 1})
    assert sure.equilibria[0].path == ("Status quo",)
    tie = cr.solve(tree, {"p": "1/3"})
    assert [e.path for e in tie.equilibria] == [("Status quo",), ("Challenge",)]


def test_path_continues_through_a_sure_chance_move():
    tree = cr.load(EXAMPLE)
    solution = cr.solve(tree, {"p": 0})
    assert solution.equilibria[0].path == ("Challenge", "Irresolute", "Concede")


def test_json_follows_the_contract():
    data = cr.solve(cr.load(EXAMPLE), {"p": "1/2"}).to_dict()
    assert data["format"] == 1 and data["kind"] == "tree" and data["exact"] is True
    assert data["parameters"] == {"p": "1/2"}
    assert data["equilibria"] == [
        {
            "actions": {
                "": "Status quo",
                "Challenge/Resolved": "Resist",
                "Challenge/Irresolute": "Concede",
            },
            "path": ["Status quo"],
            "payoffs": {"Challenger": "0", "Defender": "0"},
        }
    ]
    threats = {(t["node"], t["threat"], t["best"]) for t in data["non_credible_threats"]}
    assert ("Challenge/Irresolute", "Resist", "Concede") in threats
    for threat in data["non_credible_threats"]:
        assert set(threat) >= {"node", "player", "threat", "best"}
    assert data["threats_analysed"] is True


def chain(n):
    """Rosenthal's (1981) centipede: at stage k the mover takes k + 2 (the other k) or passes."""
    node = leaf("/".join(["Go"] * n), n, n)
    for k in range(n - 1, -1, -1):
        path = "/".join(["Go"] * k)
        stop_path = f"{path}/Stop" if path else "Stop"
        stop = leaf(stop_path, k + 2, k) if k % 2 == 0 else leaf(stop_path, k, k + 2)
        node = Node(path, player="AB"[k % 2], moves=(Move("Stop", stop), Move("Go", node)))
    return GameTree(("A", "B"), node)


def test_long_chain_is_solved_without_recursion_limits():
    # Rosenthal (1981) centipede: backward induction stops at once.
    solution = solve_tree(chain(1000))
    assert solution.equilibria[0].path == ("Stop",)
    assert solution.non_credible_threats is None
    assert "strategic form" in solution.note
    data = solution.to_dict()
    assert data["non_credible_threats"] == [] and data["threats_analysed"] is False


def test_too_many_ties_is_refused_clearly():
    moves = tuple(Move(f"m{i}", leaf(f"m{i}", 0, 0)) for i in range(2))
    node = Node("", player="A", moves=moves)
    for depth in range(14):  # 2**14 tied subgame-perfect equilibria: over MAX_EQUILIBRIA
        node = Node(
            "",
            chance=True,
            moves=tuple(Move(f"c{depth}{i}", node, sympy.Rational(1, 2)) for i in range(2)),
        )
    with pytest.raises(cr.GameTooLargeError):
        solve_tree(GameTree(("A", "B"), node))


def test_float_output_is_decimal():
    data = cr.solve(cr.load(EXAMPLE), {"p": "1/4"}, exact=False).to_dict()
    assert data["exact"] is False
    assert data["equilibria"][0]["payoffs"] == {"Challenger": "0.25", "Defender": "-0.5"}


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_cli_solve_explain_walks_backward_induction():
    result = run("solve", str(EXAMPLE), "--param", "p=1/4", "--explain")
    assert result.exit_code == 0, result.output
    assert "Backward induction" in result.output
    assert "At 'Challenge/Irresolute' Defender compares Resist -3, Concede -1" in result.output
    assert "Defender would not Resist at 'Challenge/Irresolute'" in result.output


def test_cli_solve_json_and_latex():
    result = run("solve", str(EXAMPLE), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["equilibria"][0]["path"] == ["Status quo"]
    latex = run("solve", str(EXAMPLE), "--format", "latex")
    assert latex.output.splitlines()[2].startswith("\\begin{tabular}")
    assert "Threats that are not credible:" in latex.output  # the tree's LaTeX has them too


def test_cli_threshold_text_json_latex():
    text = run("threshold", str(EXAMPLE), "--for", "p")
    assert text.exit_code == 0
    assert "p = 1/3" in text.output
    data = json.loads(run("threshold", str(EXAMPLE), "--for", "p", "--format", "json").output)
    assert data["parameter"] == "p"
    assert [r["condition"] for r in data["regions"]] == [
        "Eq(p, 0)",  # the irresolute defender for sure: the path goes on to its concession
        "(p > 0) & (p < 1/3)",
        "Eq(p, 1/3)",
        "(p <= 1) & (p > 1/3)",
    ]
    assert (
        "\\frac{1}{3}" in run("threshold", str(EXAMPLE), "--for", "p", "--format", "latex").output
    )


def test_cli_threshold_errors_are_one_line():
    result = run("threshold", str(EXAMPLE), "--for", "q")
    assert result.exit_code == 1
    assert "unknown parameter 'q'" in result.output
    assert "Traceback" not in result.output
    bound = run("threshold", str(EXAMPLE), "--for", "p", "--param", "p=1/2")
    assert bound.exit_code == 1 and "leave it free" in bound.output


def test_probability_out_of_range_is_reported():
    result = run("solve", str(EXAMPLE), "--param", "p=3/2")
    assert result.exit_code == 1
    assert "p" in result.output and "maximum" in result.output
