"""The catalog: every model loads, cites its source, and the bimatrix models solve as published."""

from fractions import Fraction

import pytest

import credibility as cr
from credibility.solvers.nash import is_equilibrium

NAMES = cr.catalog_names()
F = Fraction


def test_names_are_sorted_stems_with_underscores():
    assert sorted(NAMES) == NAMES
    assert {
        "arms_race",
        "alliance_burden_sharing",
        "chicken",
        "entry_deterrence_strategic",
        "inspection",
    } <= set(NAMES)
    assert all(name.isidentifier() and name == name.lower() for name in NAMES)


def test_games_package_lists_and_loads_the_same_models():
    games = pytest.importorskip("games")
    assert games.names() == NAMES
    assert games.load("chicken").info.name == "chicken"


@pytest.mark.parametrize("name", NAMES)
def test_every_model_loads_and_cites_its_source(name):
    game = cr.load(name)
    assert game.kind in ("bimatrix", "tree", "signalling", "normal", "symmetric")
    assert game.info.name == name
    assert game.info.title and game.info.description
    assert game.info.source, f"{name} has no source citation"
    assert any(char.isdigit() for char in game.info.source), "a citation carries a year"
    for parameter in game.parameters:
        assert parameter.description, f"{name}: parameter {parameter.name} has no description"
    assert game.bind() is not None  # the defaults are consistent


@pytest.mark.parametrize("name", NAMES)
def test_every_bimatrix_model_solves_to_verified_equilibria(name):
    game = cr.load(name)
    if not isinstance(game, cr.Bimatrix):
        pytest.skip(f"{name} is a {game.kind} game")
    solution = cr.solve(game)
    A, B = solution.payoff_matrices
    assert solution.equilibria
    for equilibrium in solution.equilibria:
        assert is_equilibrium(A, B, equilibrium.row, equilibrium.column)


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [
        ("chiken", "chicken"),
        ("arms-race", "arms_race"),
        ("inspections", "inspection"),
        ("alliance_burden", "alliance_burden_sharing"),
    ],
)
def test_unknown_name_suggests_close_matches(typo, suggestion):
    with pytest.raises(cr.UnknownGameError) as info:
        cr.load(typo)
    message = str(info.value)
    assert f"'{typo}' is neither a game file nor a catalog model" in message
    assert "did you mean" in message and suggestion in message
    assert "credibility models" in message


def test_unknown_name_without_close_match_gives_no_suggestion():
    with pytest.raises(cr.UnknownGameError) as info:
        cr.load("zzzzzzzz")
    assert "did you mean" not in str(info.value)
    assert isinstance(info.value, KeyError) and isinstance(info.value, cr.CredibilityError)


def strategies(solution):
    return [(e.row, e.column) for e in solution.equilibria]


def test_arms_race_is_a_prisoners_dilemma_until_defence_dominates():
    # Jervis (1978): with g > 0 arming is dominant; with g < 0 the game is a stag hunt.
    game = cr.load("arms_race")
    assert strategies(cr.solve(game)) == [((0, 1), (0, 1))]
    stag_hunt = cr.solve(game, {"g": -1})
    assert len(stag_hunt.equilibria) == 3
    assert ((1, 0), (1, 0)) in strategies(stag_hunt)


def test_alliance_burden_sharing_mixes_at_h_plus_c_over_b():
    game = cr.load("alliance_burden_sharing")
    for b, c, h in [(4, 2, 1), (6, 1, 2)]:
        solution = cr.solve(game, {"b": b, "c": c, "h": h})
        mixed = [e for e in solution.equilibria if not e.pure]
        assert len(solution.equilibria) == 3 and len(mixed) == 1
        assert mixed[0].row[0] == mixed[0].column[0] == F(h + c, b)


def test_inspection_has_only_the_mixed_equilibrium():
    # Avenhaus, von Stengel & Zamir (2002): inspect with probability d/(b + d), violate with
    # probability e/(c - a) (e is paid on every inspection).
    game = cr.load("inspection")
    params = {"e": 1, "c": 10, "a": 2, "d": 1, "b": 3}
    solution = cr.solve(game, params)
    assert strategies(solution) == [((F(1, 4), F(3, 4)), (F(1, 8), F(7, 8)))]
    assert solution.degenerate is False


def test_entry_deterrence_has_a_component_resting_on_the_threat_to_fight():
    # Selten (1978): (In, Accommodate), and a component in which the entrant stays out and
    # the incumbent fights with probability at least p/(p + f).
    solution = cr.solve(cr.load("entry_deterrence_strategic"), {"p": 1, "f": 3})
    assert solution.degenerate is True
    assert sorted(strategies(solution)) == sorted(
        [((1, 0), (1, 0)), ((1, 0), (F(1, 4), F(3, 4))), ((0, 1), (0, 1))]
    )
    assert sorted(len(c) for c in solution.components) == [1, 2]
