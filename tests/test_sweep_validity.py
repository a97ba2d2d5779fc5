"""Every point a sweep writes is a point where solve would accept the game (issue: tree sweeps
wrote rows at chance probabilities outside [0, 1])."""

import pytest
from click.testing import CliRunner

import credibility as cr
from cli import cli
from credibility.errors import ParameterError
from credibility.io.toml_loader import parse_toml
from credibility.sweeps import parse_grid


def chance_tree(up: str, down: str, bounds: str = "min = 0") -> str:
    return f"""
kind = "tree"
players = ["A", "B"]
parameters.p = {{default = 0.5, {bounds}}}
parameters.q = {{default = 0.5}}
root.chance = true
root.moves.Up = {{probability = "{up}", payoffs = [1, 0]}}
root.moves.Down = {{probability = "{down}", payoffs = [0, 1]}}
"""


def sweep(game, *grids, params=None):
    return cr.sweep(game, grid=dict(parse_grid(g) for g in grids), params=params)


def test_linear_probabilities_are_checked_at_every_corner():
    game = parse_toml(chance_tree("p", "1 - p"))
    assert sweep(game, "p=0:1:5").points == 5
    with pytest.raises(ParameterError, match=r"at p=2, field 'root.moves.Up.probability'"):
        sweep(game, "p=0:2:5")


def test_multilinear_probabilities_in_two_parameters():
    game = parse_toml(chance_tree("p*q", "1 - p*q"))
    assert sweep(game, "p=0:1:3", "q=0:1:3").points == 9
    with pytest.raises(ParameterError, match=r"at p=1, q=-1"):
        sweep(game, "p=0:1:3", "q=-1:1:3")


def test_a_bound_parameter_moves_the_region():
    game = parse_toml(chance_tree("p*q", "1 - p*q"))
    with pytest.raises(ParameterError, match=r"at p=1, .* probability 2 is outside"):
        sweep(game, "p=0:1:3", params={"q": 2})


def test_nonlinear_probabilities_are_checked_point_by_point():
    # 4p(1 - p) leaves [0, 1] only outside [0, 1]; a point inside the box's interior is bad
    # for 1 - 4p(1 - p) + ... : here the square makes the corners fine and the middle wrong.
    game = parse_toml(chance_tree("4*p**2 - 4*p + 1", "4*p - 4*p**2"))
    assert sweep(game, "p=0:1:3").points == 3  # p = 0, 1/2, 1: (1, 0), (0, 1), (1, 0)
    bad = parse_toml(chance_tree("2*p**2", "1 - 2*p**2"))
    with pytest.raises(ParameterError, match=r"at p=4/5, .*probability 32/25 is outside"):
        sweep(bad, "p=0:4/5:5")


def test_priors_of_signalling_games_are_checked():
    game = cr.load("sinking_costs")
    prior = next(p.name for p in game.parameters if p.name == "q")
    with pytest.raises(ParameterError, match=r"above its maximum"):
        sweep(game, f"{prior}=0:2:3")


def test_cli_refuses_and_writes_nothing(tmp_path):
    path = tmp_path / "tree.toml"
    path.write_text(chance_tree("p", "1 - p"))
    out = tmp_path / "map.csv"
    result = CliRunner().invoke(cli, ["sweep", str(path), "--grid", "p=0:2:5", "--out", str(out)])
    assert result.exit_code == 1
    assert "the grid leaves the region where the game is defined: at p=2" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and not (tmp_path / "map.csv.partial").exists()


def test_a_huge_grid_is_refused_with_an_estimate_unless_confirmed(tmp_path):
    # 10^12 points would run for days: refused at once, before any output, saying what it costs.
    out = tmp_path / "map.csv"
    args = ["sweep", "chicken", "--grid", "c_row=1:10:1000000", "--grid", "c_column=1:10:1000000"]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 1
    assert "a grid of 1,000,000,000,000 points: about 108 TB of CSV" in result.output
    assert "--yes" in result.output and "Traceback" not in result.output
    assert not out.exists() and not (tmp_path / "map.csv.partial").exists()


def test_a_large_grid_needs_an_output_file():
    game = cr.load("chicken")
    with pytest.raises(cr.CredibilityError, match="too large to keep in memory"):
        sweep(game, "c_row=1:10:10000", "c_column=1:10:10000")
