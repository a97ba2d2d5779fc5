"""One outcome, one name: bimatrix and tree outcomes get the same label from every command.

``credibility threshold``'s regions, a sweep's ``outcome`` column (whichever
evaluator settles the point: the symbolic regions, the vectorised kernels or
the exact solver) and ``solve``'s ``outcome`` all name an equilibrium set with
:mod:`credibility.solvers.outcomes`, in its canonical order, whatever order
the equilibria were found in.

The tests that every catalog model's threshold regions, sweep and solve name each outcome alike,
parameter by parameter, are in tests/test_thresholds.py, where they share the derivations of the
key invariant test.
"""

from __future__ import annotations

from fractions import Fraction

import credibility as cr
from credibility.solvers.outcomes import bimatrix_label, bimatrix_outcome, tree_outcome
from credibility.sweeps import parse_grid
from credibility.sweeps.rows import tree_row


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
