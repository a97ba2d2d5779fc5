"""QRE outcome tables and the QRE sweep evaluator: equal to cr.qre point by point, every kind."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

import credibility as cr
from credibility.errors import CredibilityError
from credibility.quantal.grid import QREEvaluator, outcome_labels, outcome_table
from credibility.sweeps.grid import Grid, Linspace, Listed

ONE_OF_EACH = [
    "chicken",
    "unilateral_deterrence",
    "tying_hands",
    "volunteers_dilemma",
    "collective_defence_n",
    "alliance_veto",
]


@pytest.mark.parametrize("name", ONE_OF_EACH)
def test_outcome_table_equals_qre_at_every_lambda(name):
    game = cr.load(name)
    lambdas = [0.0, 0.7, 3.0, 9.0]
    table = outcome_table(game, lambdas)
    result = cr.qre(game, lambdas)
    assert outcome_labels(game) == result.outcome_labels
    for row, point in zip(table, result.points):
        assert row.tolist() == pytest.approx(list(point.outcomes.values()), abs=1e-10)


def test_tree_grid_of_parameter_and_lambda_is_the_closed_form_everywhere():
    game = cr.load("unilateral_deterrence")
    grid = Grid(("p", "lambda"), (Linspace(F(0), F(1), 21), Listed([F(0), F(1, 3), F(5)])))
    rows = QREEvaluator(game, ("p", "lambda"), {}, None).evaluate(grid.chunk(0, grid.size))
    for i in range(grid.size):
        exact = grid.chunk(i, i + 1).exact(0)
        point = cr.qre(game, [float(exact["lambda"])], {"p": exact["p"]}).points[0]
        for label, probability in point.outcomes.items():
            assert rows[f"P:{label}"][i] == pytest.approx(probability, abs=1e-12)
        assert rows["outcome"][i] == max(point.outcomes, key=point.outcomes.get)
    assert rows["n_equilibria"].tolist() == [1] * grid.size


@pytest.mark.parametrize("name", ["tying_hands", "chicken", "collective_defence_n"])
def test_traced_kinds_share_one_branch_per_parameter_value(name):
    game = cr.load(name)
    parameter = game.parameters[-1]
    low = parameter.minimum if parameter.minimum is not None else F(0)
    values = [low + 1, low + 2]
    grid = Grid((parameter.name, "lambda"), (Listed(values), Listed([F(1, 2), F(2)])))
    rows = QREEvaluator(game, (parameter.name, "lambda"), {}, None).evaluate(
        grid.chunk(0, grid.size)
    )
    for i in range(grid.size):
        exact = grid.chunk(i, i + 1).exact(0)
        point = cr.qre(game, [float(exact["lambda"])], {parameter.name: exact[parameter.name]})
        for label, probability in point.points[0].outcomes.items():
            assert rows[f"P:{label}"][i] == pytest.approx(probability, abs=1e-9)


def test_a_sweep_needs_exactly_one_precision():
    game = cr.load("chicken")
    with pytest.raises(CredibilityError, match="needs a precision"):
        QREEvaluator(game, ("c_row",), {}, None)
    with pytest.raises(CredibilityError, match="swept and fixed"):
        QREEvaluator(game, ("c_row", "lambda"), {}, 2.0)


def test_a_negative_lambda_in_the_grid_is_refused():
    game = cr.load("unilateral_deterrence")
    grid = Grid(("lambda",), (Listed([F(-1), F(1)]),))
    with pytest.raises(CredibilityError, match="lambda must be a finite number >= 0"):
        QREEvaluator(game, ("lambda",), {}, None).evaluate(grid.chunk(0, 2))
    assert np.isfinite(outcome_table(game, [1e6])).all()


# ---- QRE sweeps through the sweep engine and the command line --------------------------------


def test_sweep_of_a_tree_over_lambda_and_a_parameter_equals_qre(tmp_path):
    import csv

    from click.testing import CliRunner

    from cli import cli

    out = tmp_path / "war.csv"
    args = [
        "sweep",
        "unilateral_deterrence",
        "--qre",
        "--grid",
        "p=0:1:5",
        "--grid",
        "lambda=0:8:3",
        "--out",
        str(out),
        "--quiet",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 15
    game = cr.load("unilateral_deterrence")
    for row in rows:
        point = cr.qre(game, [float(row["lambda"])], {"p": row["p"]}).points[0]
        for label, probability in point.outcomes.items():
            assert float(row[f"P:{label}"]) == pytest.approx(probability, abs=1e-12)
        assert row["outcome"] == max(point.outcomes, key=point.outcomes.get)


def test_sweep_of_a_signalling_game_at_a_fixed_lambda():
    game = cr.load("tying_hands")
    result = cr.sweep(game, {"a": "0:4:3"}, qre=True, lam=2.0)
    for a, value in zip(
        result.columns["a"].tolist(), result.columns["P:Resolved > Commit > Challenge"]
    ):
        point = cr.qre(game, [2.0], {"a": a}).points[0]
        assert value == pytest.approx(point.outcomes["Resolved > Commit > Challenge"], abs=1e-10)


def test_sweep_refusals_name_what_to_give():
    from click.testing import CliRunner

    from cli import cli

    runner = CliRunner()
    lam_only = runner.invoke(
        cli, ["sweep", "chicken", "--lambda", "1", "--grid", "c_row=1:3:3", "--out", "x.csv"]
    )
    assert lam_only.exit_code == 2 and "--lambda is for QRE sweeps: add --qre" in lam_only.output
    with pytest.raises(CredibilityError, match="needs a precision"):
        cr.sweep(cr.load("chicken"), {"c_row": "1:3:3"}, qre=True)
    with pytest.raises(CredibilityError, match="QRE sweeps can sweep lambda"):
        cr.sweep(cr.load("chicken"), {"lambda": "1:3:3"})
    with pytest.raises(CredibilityError, match="needs values >= 0"):
        cr.sweep(cr.load("chicken"), {"lambda": "-1:3:3"}, qre=True)
