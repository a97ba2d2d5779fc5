"""Logit quantal response equilibria: bimatrix principal branch and agent QRE of trees."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import credibility as cr
from cli import cli
from credibility.quantal.branch import fixed_point_residual, trace_branch

BIMATRIX = [n for n in cr.catalog_names() if cr.load(n).kind == "bimatrix"]
# Two-player trees: the agent QRE of trees of more than two players is refused (issue 16).
TREES = [
    n for n in cr.catalog_names() if cr.load(n).kind == "tree" and len(cr.load(n).players) == 2
]


def _random_game(seed: int, m: int, n: int) -> cr.Bimatrix:
    rng = np.random.default_rng(seed)
    A, B = rng.integers(-9, 10, (m, n)), rng.integers(-9, 10, (m, n))
    return cr.Bimatrix.from_arrays(A.tolist(), B.tolist())


def _matrices(game: cr.Bimatrix, params=None) -> tuple[np.ndarray, np.ndarray]:
    A, B = game.numeric(game.bind(params))
    return np.array(A, dtype=float), np.array(B, dtype=float)


# ---- bimatrix: known answers and invariants -------------------------------------------------


def _rounding(A, B, lam):
    """The fixed-point residual floats can promise: 1e-10, or more once lambda u is huge."""
    return max(1e-10, 1e-14 * lam * max(np.ptp(A), np.ptp(B)))


def _check_branch(game, result):
    A, B = _matrices(game)
    for b in result.branch:
        p, q = np.array(b.row), np.array(b.column)
        assert fixed_point_residual(A, B, b.lam, p, q) < _rounding(A, B, b.lam)


@pytest.mark.parametrize("name", BIMATRIX)
def test_lambda_zero_is_uniform(name):
    game = cr.load(name)
    point = cr.qre(game, [0]).points[0]
    for probs in point.strategies.values():
        assert all(abs(x - 1 / len(probs)) < 1e-15 for x in probs.values())
    assert abs(sum(point.outcomes.values()) - 1) < 1e-12


@pytest.mark.parametrize("name", BIMATRIX)
def test_limit_is_an_exact_nash_equilibrium(name):
    game = cr.load(name)
    result = cr.qre(game, [0.5, 2, 8])
    assert result.limit in cr.solve(game).equilibria
    assert result.limit_distance < 1e-4
    _check_branch(game, result)
    for point in result.points:
        assert point.residual < 1e-10


def test_chicken_follows_the_symmetric_branch_to_the_mixed_equilibrium():
    result = cr.qre(cr.load("chicken"), [1])
    row, column = result.points[0].strategies.values()
    assert row == pytest.approx(column, abs=1e-14)
    # Closed form of the symmetric branch: p = 1 / (1 + exp(-lambda (4 - 5 p))).
    p = row["Swerve"]
    assert p == pytest.approx(1 / (1 + np.exp(-(4 - 5 * p))), abs=1e-14)
    assert [str(x) for x in result.limit.row] == ["4/5", "1/5"]


def test_dominance_solvable_game_selects_its_unique_equilibrium():
    game = cr.Bimatrix.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])  # prisoners' dilemma
    result = cr.qre(game, [100])
    assert result.points[0].outcomes["R2/C2"] == pytest.approx(1, abs=1e-12)
    assert (result.limit.row, result.limit.column) == ((0, 1), (0, 1))


@pytest.mark.parametrize("seed", range(4))
def test_random_games_branch_residual_and_limit(seed):
    game = _random_game(seed, 2 + seed % 3, 2 + (seed + 1) % 3)
    result = cr.qre(game, [0.1, 1, 5])
    _check_branch(game, result)
    assert result.limit is not None


@settings(max_examples=15, deadline=None)
@given(
    st.integers(2, 3).flatmap(
        lambda m: st.tuples(
            st.lists(st.lists(st.integers(-5, 5), min_size=m, max_size=m), min_size=2, max_size=3),
            st.lists(st.lists(st.integers(-5, 5), min_size=m, max_size=m), min_size=2, max_size=3),
        ).filter(lambda ab: len(ab[0]) == len(ab[1]))
    ),
    st.floats(0, 20),
)
def test_property_reported_points_are_fixed_points(matrices, lam):
    game = cr.Bimatrix.from_arrays(*matrices)
    point = cr.qre(game, [lam]).points[0]
    assert point.residual < 1e-10
    assert sum(point.outcomes.values()) == pytest.approx(1, abs=1e-12)


def test_branch_passes_turning_points_in_lambda():
    # A random 3 x 3 game whose principal branch bends back in lambda (found by search).
    A = np.array([[-9.0, -7, -6], [-8, -8, 1], [-5, 9, 1]])
    B = np.array([[2.0, 0, 3], [5, -3, 2], [1, 4, 5]])
    points, _ = trace_branch(A, B)
    assert (np.diff(points[:, -1]) < 0).any()  # lambda falls somewhere along the branch
    for y in points:
        p, q = np.exp(y[:3]), np.exp(y[3:-1])
        assert fixed_point_residual(A, B, y[-1], p, q) < _rounding(A, B, y[-1])


# ---- trees -----------------------------------------------------------------------------------


def _iterate_agent_qre(game, lam, params=None):
    """Behaviour strategies by iterating logit responses at every node (independent check)."""
    binding = game.bind(params)
    nodes = list(game.nodes())
    sigma = {id(n): np.full(len(n.moves), 1 / len(n.moves)) for n in nodes if n.kind == "decision"}

    def value(node):
        if node.kind == "terminal":
            return np.array([float(binding.value(x)) for x in node.payoffs])
        if node.kind == "chance":
            w = [float(binding.value(m.probability)) for m in node.moves]
        else:
            w = sigma[id(node)]
        return sum(wi * value(m.node) for wi, m in zip(w, node.moves))

    for _ in range(50):
        for node in nodes:
            if node.kind == "decision":
                k = game.players.index(node.player)
                q = np.array([value(m.node)[k] for m in node.moves])
                z = np.exp(lam * (q - q.max()))
                sigma[id(node)] = z / z.sum()
    return {
        n.path: dict(zip([m.name for m in n.moves], sigma[id(n)]))
        for n in nodes
        if n.kind == "decision"
    }


@pytest.mark.parametrize("name", TREES)
@pytest.mark.parametrize("lam", [0.0, 0.7, 3.0])
def test_tree_agent_qre_equals_iterated_logit_responses(name, lam):
    game = cr.load(name)
    point = cr.qre(game, [lam]).points[0]
    expected = _iterate_agent_qre(game, lam)
    for path, probs in expected.items():
        assert list(point.strategies[path].values()) == pytest.approx(
            list(probs.values()), abs=1e-12
        )
    assert point.residual < 1e-12
    assert sum(point.outcomes.values()) == pytest.approx(1, abs=1e-12)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        pytest.param("unilateral_deterrence", {}, id="deterred"),
        pytest.param("unilateral_deterrence", {"p": "1/5"}, id="challenge"),
        pytest.param("entry_deterrence", {}, id="entry"),
        pytest.param("entry_deterrence", {"r": 3}, id="entry-credible"),
    ],
)
def test_tree_qre_approaches_the_subgame_perfect_path(name, params):
    game = cr.load(name)
    (spe,) = cr.solve(game, params).equilibria
    outcomes = cr.qre(game, [200], params).points[0].outcomes
    on_path = {label: x for label, x in outcomes.items() if label.startswith(spe.outcome)}
    assert sum(on_path.values()) == pytest.approx(1, abs=1e-9)


def test_tree_grid_is_vectorised_over_lambda_and_parameters():
    from credibility.quantal.tree import qre_grid

    game = cr.load("unilateral_deterrence")
    lam, p = np.array([0.0, 1.0, 10.0])[:, None], np.linspace(0, 1, 5)[None, :]
    grid = qre_grid(game, lam, {"p": p})
    assert grid["Status quo"].shape == (3, 5)
    for i, lam_i in enumerate([0.0, 1.0, 10.0]):
        for j, p_j in enumerate(np.linspace(0, 1, 5)):
            one = cr.qre(game, [lam_i], {"p": str(p_j)}).points[0].outcomes
            assert grid["Challenge > Hard > Resist"][i, j] == pytest.approx(
                one["Challenge > Hard > Resist"], abs=1e-12
            )


# ---- results, errors, command line --------------------------------------------------------


def test_to_dict_and_pandas():
    result = cr.qre(cr.load("chicken"), [0, 1])
    data = json.loads(json.dumps(result.to_dict()))
    assert data["limit"]["strategies"]["Row"] == {"Swerve": "4/5", "Straight": "1/5"}
    assert data["points"][0]["outcomes"]["Swerve/Swerve"] == "0.25"
    pd = pytest.importorskip("pandas")
    frame = result.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["lambda"]) == [0.0, 1.0]


@pytest.mark.parametrize(
    ("lambdas", "message"),
    [
        ([-1], "lambda must be a finite number >= 0, got -1"),
        ([float("nan")], "lambda must be a finite number >= 0, got nan"),
        ([float("inf")], "lambda must be a finite number >= 0, got inf"),
        (["2"], "lambda must be a finite number >= 0, got '2'"),
        ([], "give at least one lambda"),
    ],
)
def test_bad_lambdas(lambdas, message):
    with pytest.raises(cr.CredibilityError, match="^" + message.replace("(", r"\(") + "$"):
        cr.qre(cr.load("chicken"), lambdas)


def test_unknown_parameter_is_an_error():
    with pytest.raises(cr.CredibilityError):
        cr.qre(cr.load("chicken"), [1], {"nope": 1})


def test_cli_text_json_plot(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["qre", "chicken", "--lambda", "0", "--lambda", "2"])
    assert result.exit_code == 0, result.output
    assert "Swerve 4/5, Straight 1/5" in result.output
    result = runner.invoke(cli, ["qre", "unilateral_deterrence", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "tree" and len(data["points"]) == 8
    out = tmp_path / "q.png"
    result = runner.invoke(cli, ["qre", "entry_deterrence", "--lambda", "4", "--plot", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "name",
    [
        "chicken",
        "unilateral_deterrence",
        "tying_hands",
        "volunteers_dilemma",
        "alliance_veto",
        "collective_defence_n",
    ],
)
def test_cli_qre_of_every_kind(name):
    # One catalog model of each kind (bimatrix, tree, signalling, normal, a tree of three
    # players, symmetric): outcome probabilities that sum to 1 at each lambda.
    result = CliRunner().invoke(
        cli, ["qre", name, "--lambda", "0", "--lambda", "3", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for point in data["points"]:
        assert sum(float(x) for x in point["outcomes"].values()) == pytest.approx(1.0)


def test_cli_negative_lambda_is_a_usage_error():
    result = CliRunner().invoke(cli, ["qre", "chicken", "--lambda", "-1"])
    assert result.exit_code == 2


# ---- pygambit oracle ------------------------------------------------------------------------


def _gambit_profiles(gbt, A, B, lambdas):
    game = gbt.Game.from_arrays(A, B)
    players = list(game.players)
    out = []
    for point in gbt.qre.logit_solve_lambda(game, lambdas):
        profile = point.profile
        out.append([np.array([float(profile[s]) for s in pl.strategies]) for pl in players])
    return out


ORACLE_GAMES = (
    [pytest.param(name, id=name) for name in BIMATRIX]
    + [
        pytest.param((seed, m, n), id=f"random-{m}x{n}-{seed}")
        for seed, (m, n) in enumerate(
            [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4), (4, 4), (4, 3), (2, 4)]
        )
    ]
    + [pytest.param("fold", id="turning-point-3x3")]
)
FOLD = ([[-9, -7, -6], [-8, -8, 1], [-5, 9, 1]], [[2, 0, 3], [5, -3, 2], [1, 4, 5]])


@pytest.mark.oracle
@pytest.mark.parametrize("which", ORACLE_GAMES)
def test_agrees_with_gambit_at_fixed_lambda(gbt, which):
    if which == "fold":  # lambda 1.8 lies where the branch bends back (1.64 to 1.93)
        game, lambdas = cr.Bimatrix.from_arrays(*FOLD), [0.5, 1.8, 2.0, 4.0]
    elif isinstance(which, str):
        game, lambdas = cr.load(which), [0.05, 0.3, 1.0, 2.5]
    else:
        game, lambdas = _random_game(100 + which[0], *which[1:]), [0.05, 0.3, 1.0, 2.5]
    A, B = _matrices(game)
    if which == "chicken":
        # A symmetric game: past the pitchfork (5 lambda p (1 - p) = 1, lambda near 0.85) the
        # symmetric principal branch continues, while Gambit's tracer steps onto an asymmetric one.
        lambdas = [0.05, 0.3, 0.6]
    ours = cr.qre(game, lambdas).points
    theirs = _gambit_profiles(gbt, A, B, lambdas)
    for point, (p, q) in zip(ours, theirs):
        row, column = point.strategies.values()
        difference = max(
            np.abs(np.array(list(row.values())) - p).max(),
            np.abs(np.array(list(column.values())) - q).max(),
        )
        assert difference < 1e-8
