"""The researcher's API: load, solve, results as frozen objects with the JSON contract."""

import dataclasses
from fractions import Fraction

import numpy as np
import pytest

import credibility as cr


def test_load_catalog_and_file_give_the_same_game(tmp_path):
    from importlib import resources

    text = resources.files("games").joinpath("chicken.toml").read_text()
    path = tmp_path / "my_chicken.toml"
    path.write_text(text)
    from_file, from_catalog = cr.load(path), cr.load("chicken")
    assert from_file.A == from_catalog.A and from_file.B == from_catalog.B
    assert from_file.info.name == "my_chicken"


def test_solve_binds_parameters_exactly():
    # Chicken: the mixed equilibrium stands firm with probability w / (w + c - l)
    # in the other side's payoffs (Dixit, Skeath & McAdams, Games of Strategy, ch. 7).
    solution = cr.solve(cr.load("chicken"), params={"c_row": "1/2", "c_column": 3, "w_row": 2})
    assert solution.parameters["c_row"] == Fraction(1, 2)
    # Row: Straight strictly dominates when the crash costs less than backing down (c < -l).
    assert [(e.row, e.column) for e in solution.equilibria] == [
        ((Fraction(0), Fraction(1)), (Fraction(1), Fraction(0)))
    ]


def test_solution_is_frozen_and_round_trips_to_fractions():
    solution = cr.solve(cr.load("chicken"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        solution.exact = False  # type: ignore[misc]
    data = solution.to_dict()
    for equilibrium, reported in zip(solution.equilibria, data["equilibria"]):
        assert tuple(Fraction(p) for p in reported["strategies"]["Row"].values()) == equilibrium.row


def test_from_arrays_accepts_numpy_and_fractions():
    A = np.array([[3, 0], [5, 1]])
    game = cr.Bimatrix.from_arrays(A, A.T, row_strategies=["C", "D"], column_strategies=["C", "D"])
    solution = cr.solve(game)
    assert [(e.row, e.column) for e in solution.equilibria] == [
        ((Fraction(0), Fraction(1)), (Fraction(0), Fraction(1)))
    ]
    half = cr.Bimatrix.from_arrays([[Fraction(1, 2)]], [["1/3"]])
    assert cr.solve(half).equilibria[0].payoffs == (Fraction(1, 2), Fraction(1, 3))


def test_symbolic_payoffs_with_parameters():
    c = cr.Parameter("c", Fraction(5), Fraction(0))
    game = cr.Bimatrix.from_arrays([[0, -1], [1, "-c"]], [[0, 1], [-1, "-c"]], parameters=[c])
    mixed = [e for e in cr.solve(game, params={"c": 9}).equilibria if not e.pure]
    assert mixed[0].row == (Fraction(8, 9), Fraction(1, 9))


def test_float_mode_reports_floats():
    solution = cr.solve(cr.load("chicken"), exact=False)
    assert solution.exact is False
    assert all(isinstance(p, float) for e in solution.equilibria for p in e.row)


def test_unknown_method_is_an_error():
    with pytest.raises(cr.CredibilityError, match="unknown method 'simplex'"):
        cr.solve(cr.load("chicken"), method="simplex")


def test_one_by_one_game():
    solution = cr.solve(cr.Bimatrix.from_arrays([[7]], [[-7]]))
    assert solution.equilibria[0].payoffs == (Fraction(7), Fraction(-7))
    assert solution.equilibria[0].pure


def test_fully_indifferent_game_lists_every_pure_profile_as_one_component():
    solution = cr.solve(cr.Bimatrix.from_arrays(np.zeros((2, 3)), np.zeros((2, 3))))
    assert solution.degenerate is True
    assert len(solution.equilibria) == 6
    assert solution.components == [list(range(6))]
