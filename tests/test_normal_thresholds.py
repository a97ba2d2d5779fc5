"""Thresholds and sweeps of games in strategic form with any number of players (issue 15).

The symbolic regions of the pure equilibria (:mod:`credibility.symbolic.normal_regions`) must
agree with the exact solver (:func:`~credibility.solvers.normal_nash.solve_normal`, pure
equilibria) at every point strictly inside a region; the sweep
(:mod:`credibility.sweeps.normal`) must give the exact solver's row at every grid point, ties
and large payoffs included.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

import numpy as np
import pytest
import sympy
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import credibility as cr
from cli import cli
from credibility.errors import GameTooLargeError
from credibility.models.normal import NormalForm
from credibility.parameters import Parameter
from credibility.solvers.normal_nash import solve_normal
from credibility.sweeps.normal import NormalEvaluator, normal_row
from credibility.symbolic.normal_regions import MAX_SYMBOLIC_PROFILES, normal_regions

VOLUNTEERS = "volunteers_dilemma"


def _point_inside(game, region_map, rng, tries=2000):
    """Rational points strictly inside each region, by region (found by rejection sampling)."""
    names = {p.name: p for p in game.parameters}
    found = {}
    for _ in range(tries):
        values = {name: Fraction(rng.randint(-40, 160), 8) for name in region_map.free}
        if any(
            (names[n].minimum is not None and v <= names[n].minimum)
            or (names[n].maximum is not None and v >= names[n].maximum)
            for n, v in values.items()
        ):
            continue
        region = region_map.region_at(values)
        if region is not None:
            found.setdefault(id(region), []).append((region, values))
    return found


def _agrees(game, region_map, region, values, params=None):
    point = dict(params or {}) | values
    solution = solve_normal(game, point, mixed=False)
    assert region.outcome == solution.outcome, (values, region.condition)
    assert [e.profile for e in region.equilibria] == [e.profile for e in solution.equilibria]
    substitution = {
        symbol: sympy.Rational(values[name])
        for name, symbol in zip(region_map.free, region_map.symbols)
    }
    for symbolic, exact in zip(region.equilibria, solution.equilibria):
        assert [sympy.Rational(sympy.sympify(v).subs(substitution)) for v in symbolic.payoffs] == [
            sympy.Rational(v) for v in exact.payoffs
        ]


def test_volunteers_dilemma_regions_agree_with_the_solver():
    game = cr.load(VOLUNTEERS)
    region_map = normal_regions(game)
    assert region_map.complete and len(region_map.regions) == 2
    inside = _point_inside(game, region_map, random.Random(15), tries=400)
    assert len(inside) == 2
    for samples in inside.values():
        for region, values in samples[:25]:
            _agrees(game, region_map, region, values)


def _random_game(draw_payoff, shape, players):
    x = Parameter("x", Fraction(1), Fraction(-5), Fraction(5))
    tensors = []
    for i in range(players):
        flat = [draw_payoff(i, k) for k in range(int(np.prod(shape)))]
        tensors.append(np.array(flat, dtype=object).reshape(shape).tolist())
    return NormalForm.from_arrays(tensors, parameters=[x])


@st.composite
def _games(draw):
    # One player may have three strategies; 2 x 2 x 2 and smaller otherwise (time: every
    # branch of the split re-decides every difference).
    shape = (draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    cells = int(np.prod(shape))
    numbers = st.integers(-3, 3)
    # Some payoffs depend on x (linear, sometimes with the same slope: ties built in).
    entries = [
        [
            draw(
                st.one_of(
                    numbers.map(str),
                    st.tuples(st.integers(-2, 2), numbers).map(lambda t: f"{t[0]}*x + {t[1]}"),
                )
            )
            for _ in range(cells)
        ]
        for _ in range(3)
    ]
    return _random_game(lambda i, k: entries[i][k], shape, 3)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_games(), st.randoms(use_true_random=False))
def test_random_three_player_regions_agree_with_the_solver(game, rng):
    region_map = normal_regions(game)
    for samples in _point_inside(game, region_map, rng, tries=60).values():
        for region, values in samples[:3]:
            _agrees(game, region_map, region, values)


def test_volunteers_dilemma_thresholds_are_the_textbook_ones():
    # Diekmann (1985), the volunteer's dilemma: with b > c > 0 the pure equilibria are the
    # profiles with exactly one volunteer. By hand, from games/volunteers_dilemma.toml (a
    # defender gets b - c, an abstainer b if someone defends, everyone 0 if nobody does):
    # - one defender: the defender keeps b - c >= 0 (abstaining gives 0), each abstainer
    #   b >= b - c (defending too); an equilibrium iff c <= b;
    # - nobody defends: each gets 0, defending gives b - c; an equilibrium iff c >= b;
    # - two or three defenders: a defender gets b - c, abstaining gives b; one iff c <= 0.
    # So with b = 4: c = 0 (c's lower bound) all seven profiles with a defender; 0 < c < 4
    # the three with one volunteer; c = 4 those and nobody (four ties); c > 4 nobody.
    game = cr.load(VOLUNTEERS)
    result = cr.thresholds(game, "c", {"b": 4})
    assert [t.value for t in result.thresholds] == [4]
    one = "Defend/Abstain/Abstain | Abstain/Defend/Abstain | Abstain/Abstain/Defend"
    nobody = "Abstain/Abstain/Abstain"
    assert [(str(r.condition), r.outcome) for r in result.regions] == [
        ("Eq(c, 0)", solve_normal(game, {"c": 0}, mixed=False).outcome),
        ("(c > 0) & (c < 4)", one),
        ("Eq(c, 4)", f"{one} | {nobody}"),
        ("c > 4", nobody),
    ]
    assert len(result.regions[0].equilibria) == 7
    # In the benefit b (c = 1 bound): volunteering pays once b > c = 1.
    result = cr.thresholds(game, "b", {"c": 1})
    assert [t.value for t in result.thresholds] == [1]
    assert [r.outcome for r in result.regions] == [nobody, f"{one} | {nobody}", one]
    # Both free: the threshold is c = b.
    result = cr.thresholds(game, "c")
    assert [str(t.value) for t in result.thresholds] == ["b"]
    assert [r.outcome for r in result.regions] == [one, nobody]


def test_threshold_json_has_the_solve_shape():
    result = cr.thresholds(cr.load(VOLUNTEERS), "c", {"b": 4}).to_dict()
    first = result["regions"][1]["equilibria"][0]
    assert first == {
        "profile": {"Ally 1": "Defend", "Ally 2": "Abstain", "Ally 3": "Abstain"},
        "payoffs": {"Ally 1": "4 - c", "Ally 2": "4", "Ally 3": "4"},
        "pure": True,
    }


def _expected_row(game, point):
    solution = solve_normal(game, point, mixed=False)
    equilibria = solution.equilibria
    row = {
        "outcome": solution.outcome,
        "n_equilibria": len(equilibria),
        "profile": "/".join(equilibria[0].strategies) if equilibria else "",
    }
    for k, player in enumerate(game.players):
        row[f"payoff_{player}"] = float(equilibria[0].payoffs[k]) if equilibria else float("nan")
    return row


def _check_sweep(game, grid, params=None, chunk_size=None):
    result = cr.sweep(game, grid, params, chunk_size=chunk_size)
    names = list(grid)
    axes = [[Fraction(v) for v in grid[name]] for name in names]
    shape = tuple(len(a) for a in axes)
    assert result.points == int(np.prod(shape))
    for i in range(result.points):
        index = np.unravel_index(i, shape)
        point = {name: axes[j][int(k)] for j, (name, k) in enumerate(zip(names, index))}
        want = _expected_row(game, dict(params or {}) | point)
        for column, value in want.items():
            got = result.columns[column][i]
            if isinstance(value, float):
                if value != value:
                    assert got != got, (point, column)
                else:
                    assert got == pytest.approx(value, rel=1e-12, abs=1e-12), (point, column)
            else:
                assert got == value, (point, column)
    return result


def test_sweep_rows_equal_the_solver_on_a_grid_with_ties():
    game = cr.load(VOLUNTEERS)
    grid = {"c": [str(Fraction(k, 2)) for k in range(13)], "b": ["0", "1", "3/2", "4"]}
    result = _check_sweep(game, grid)
    outcomes = set(result.columns["outcome"].tolist())
    one = "Defend/Abstain/Abstain | Abstain/Defend/Abstain | Abstain/Abstain/Defend"
    # one volunteer, the tie c = b, nobody, c = 0 (every profile with a defender), b = c = 0
    assert {one, f"{one} | Abstain/Abstain/Abstain", "Abstain/Abstain/Abstain"} < outcomes
    assert len(outcomes) == 5


def _random_sweep_game(rng, shape, scale, title):
    x = Parameter("x", Fraction(0), Fraction(-3), Fraction(3))
    y = Parameter("y", Fraction(0), Fraction(-3), Fraction(3))
    cells = int(np.prod(shape))
    tensors = []
    for _ in range(3):
        flat = []
        for _ in range(cells):
            a = rng.randint(-2, 2) * scale
            kind = rng.random()
            if kind < 0.4:
                flat.append(a)
            elif kind < 0.7:
                flat.append(f"{a} + {rng.randint(-1, 1) * scale}*x")
            else:
                flat.append(f"{a} + {rng.randint(-1, 1) * scale}*y - {scale}/3")
        tensors.append(np.array(flat, dtype=object).reshape(shape).tolist())
    # A title of its own: the sweep's evaluator cache knows a normal-form game by its repr,
    # which names its title and shape but not its payoffs.
    return NormalForm.from_arrays(tensors, parameters=[x, y], title=title)


@pytest.mark.parametrize("scale", [1, 10**12, 10**30])
@pytest.mark.parametrize("seed", range(4))
def test_sweep_rows_equal_the_solver_on_random_grids(seed, scale):
    rng = random.Random(seed)
    shape = tuple(rng.randint(1, 3) for _ in range(3))
    game = _random_sweep_game(rng, shape, scale, f"random {seed} {scale}")
    grid = {
        "x": ["-1", "-1/3", "0", "1/3", "1", "2"],
        "y": ["-1", "0", "1/2", "1", "7/3"],
    }
    _check_sweep(game, grid, chunk_size=7)


def test_sweep_evaluator_vectorises_away_from_ties():
    # Points away from every tie never reach the exact solver.
    game = cr.load(VOLUNTEERS)
    evaluator = NormalEvaluator(game, ("c",), {"b": Fraction(4)})
    calls = []

    def exact(i):
        calls.append(i)
        return {"c": Fraction(1)}

    from credibility.sweeps.evaluator import Chunk

    chunk = Chunk(("c",), {"c": np.array([0.5, 1.5, 3.9, 4.1, 7.0])}, exact)
    rows = evaluator.evaluate(chunk)
    assert calls == []
    assert rows["n_equilibria"].tolist() == [3, 3, 3, 1, 1]
    assert rows["payoff_Ally 1"].tolist() == pytest.approx([3.5, 2.5, 0.1, 0.0, 0.0])
    assert normal_row(game, {"b": Fraction(4), "c": Fraction(4)})["n_equilibria"] == 4


def test_cli_threshold_and_sweep(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["threshold", VOLUNTEERS, "--for", "c", "--defaults"])
    assert result.exit_code == 0, result.output
    assert "c = 4" in result.output and "0 < c < 4" in result.output
    assert "payoffs of Defend/Abstain/Abstain: Ally 1 4 - c, Ally 2 4, Ally 3 4" in result.output
    result = runner.invoke(cli, ["threshold", VOLUNTEERS, "--for", "b", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [t["value"] for t in json.loads(result.output)["thresholds"]] == ["c"]
    out = tmp_path / "map.csv"
    result = runner.invoke(
        cli, ["sweep", VOLUNTEERS, "--grid", "c=0:6:7", "--param", "b=4", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0] == "c,outcome,n_equilibria,profile,payoff_Ally 1,payoff_Ally 2,payoff_Ally 3"
    assert lines[-1] == "6.0,Abstain/Abstain/Abstain,1,Abstain/Abstain/Abstain,0.0,0.0,0.0"
    assert len(lines) == 8
    result = runner.invoke(cli, ["sweep", "--help"])
    assert "normal      profile" in result.output


def test_too_large_games_are_refused_in_one_line(tmp_path):
    side = 17  # 17**3 = 4,913 profiles
    assert side**3 > MAX_SYMBOLIC_PROFILES
    u = np.zeros((side, side, side), dtype=np.int64)
    x = Parameter("x", Fraction(1))
    game = NormalForm.from_arrays([u, u, np.full(u.shape, "x", dtype=object)], parameters=[x])
    with pytest.raises(GameTooLargeError, match="4,913 strategy profiles, more than the 4,096"):
        cr.thresholds(game, "x")
    path = tmp_path / "large.nfg"
    from credibility.io.gambit_normal import format_normal_nfg

    path.write_text(format_normal_nfg(NormalForm.from_arrays([u, u, u]), None))
    result = CliRunner().invoke(cli, ["threshold", str(path), "--for", "x"])
    assert result.exit_code != 0
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_header_keeps_two_players_for_other_kinds():
    jsonschema = pytest.importorskip("jsonschema")
    from pathlib import Path

    schema = json.loads(
        (Path(__file__).resolve().parents[1] / "docs" / "json-output.schema.json").read_text()
    )
    header = jsonschema.Draft202012Validator({"$ref": "#/$defs/header", "$defs": schema["$defs"]})
    three = {"format": 1, "game": "g", "players": ["a", "b", "c"], "parameters": {}}
    assert header.is_valid(three | {"kind": "normal"})
    assert not header.is_valid(three | {"kind": "bimatrix"})


def test_games_that_differ_only_in_their_payoffs_are_swept_apart(tmp_path):
    # A NormalForm's repr leaves out the payoffs; the evaluator cache and the resume check once
    # keyed games by repr, so the second sweep below reused the first game's evaluator.
    x = Parameter("x", Fraction(0))
    coordination = [[[1, 0], [0, 0]], [[0, 0], [0, 1]]]
    first = NormalForm.from_arrays(
        [coordination, coordination, [[["x", 0], [0, 0]], [[0, 0], [0, 1]]]],
        parameters=[x],
        title="same",
    )
    second = NormalForm.from_arrays(
        [coordination, coordination, [[["-1 - x*x", 0], [0, 0]], [[0, 0], [0, 1]]]],
        parameters=[x],
        title="same",
    )
    assert repr(first) == repr(second)
    grid = {"x": [1, 2]}
    one = cr.sweep(first, grid=grid).columns["outcome"].tolist()
    two = cr.sweep(second, grid=grid).columns["outcome"].tolist()
    assert one == [solve_normal(first, {"x": v}, mixed=False).outcome for v in (1, 2)]
    assert two == [solve_normal(second, {"x": v}, mixed=False).outcome for v in (1, 2)]
    assert one != two
