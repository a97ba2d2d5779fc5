"""Logit QRE of strategic-form games with any number of players (the principal branch)."""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction as F

import numpy as np
import pytest
import sympy
from click.testing import CliRunner

import credibility as cr
from cli import cli
from credibility.models.normal import NormalForm
from credibility.quantal.branch import (
    branch_limit,
    profile_regret,
    profile_residual,
    split_profile,
    trace_branch,
    trace_limit,
    trace_profile_branch,
)
from credibility.quantal.normal import TRACE_TOLERANCE, qre_normal
from credibility.quantal.render import qre_text


def _random_game(seed: int, shape: tuple[int, ...]) -> NormalForm:
    rng = np.random.default_rng(seed)
    return NormalForm.from_arrays([rng.integers(-9, 10, shape).tolist() for _ in shape])


def _tensors(game: NormalForm, params=None) -> list[np.ndarray]:
    values = game.numeric(game.bind(params))
    return [np.array([float(x) for x in v]).reshape(game.shape) for v in values]


def _jordan() -> NormalForm:
    """Three-player matching pennies (Jordan 1993): 1 matches 2, 2 matches 3, 3 mismatches 1."""
    u = np.zeros((3, 2, 2, 2), dtype=int)
    for a, b, c in itertools.product(range(2), repeat=3):
        u[0, a, b, c], u[1, a, b, c], u[2, a, b, c] = a == b, b == c, c != a
    return NormalForm.from_arrays([t.tolist() for t in u])


GAMES = [
    pytest.param(lambda: cr.load("volunteers_dilemma"), id="volunteers"),
    pytest.param(_jordan, id="jordan"),
    pytest.param(lambda: _random_game(1, (2, 2, 2)), id="random-2x2x2"),
    pytest.param(lambda: _random_game(2, (3, 2, 4)), id="random-3x2x4"),
    pytest.param(lambda: _random_game(3, (2, 2, 2, 2)), id="random-2x2x2x2"),
]


@pytest.mark.parametrize("make", GAMES)
def test_lambda_zero_is_uniform_and_every_point_is_a_fixed_point(make):
    game = make()
    result = cr.qre(game, [0, 0.3, 1, 4, 20])
    for probs in result.points[0].strategies.values():
        assert all(abs(x - 1 / len(probs)) < 1e-15 for x in probs.values())
    for point in result.points:
        assert point.residual < 1e-10
        assert sum(point.outcomes.values()) == pytest.approx(1, abs=1e-12)
        assert len(point.payoffs) == len(game.players)
    tensors = _tensors(game)
    for point in result.points:  # the residual reported is the residual
        profile = [np.array(list(p.values())) for p in point.strategies.values()]
        # computed on the payoffs divided by their largest magnitude: the same to rounding
        assert profile_residual(tensors, point.lam, profile) == pytest.approx(
            point.residual, abs=1e-14
        )


def test_outcomes_and_payoffs_are_those_of_the_product_distribution():
    game = _random_game(4, (2, 3, 2))
    point = cr.qre(game, [1.5]).points[0]
    profile = [np.array(list(p.values())) for p in point.strategies.values()]
    tensors = _tensors(game)
    for labels in itertools.product(*game.strategies):
        k = [s.index(x) for s, x in zip(game.strategies, labels)]
        expected = math.prod(p[i] for p, i in zip(profile, k))
        assert point.outcomes["/".join(labels)] == pytest.approx(expected, abs=1e-15)
    joint = np.einsum("i,j,k->ijk", *profile)
    assert point.payoffs == pytest.approx([(T * joint).sum() for T in tensors], abs=1e-12)


def test_jordan_matching_pennies_stays_uniform():
    # With the others mixing half and half each strategy earns 1/2 (a match has probability
    # 1/2): the uniform profile is a QRE at every lambda, and the branch's whole.
    result = cr.qre(_jordan(), [0, 1, 10, 100])
    for point in result.points:
        for probs in point.strategies.values():
            assert list(probs.values()) == pytest.approx([0.5, 0.5], abs=1e-15)
    # The limit is named among cr.solve's equilibria: the game's only one, exact.
    assert result.limit is not None and result.limit_distance == 0
    assert result.limit.probabilities == ((F(1, 2), F(1, 2)),) * 3
    assert result.branch[-1].profile == ((0.5, 0.5),) * 3


@pytest.mark.parametrize("lam", [0.5, 1.0, 3.0, 10.0])
def test_symmetric_volunteers_dilemma_follows_its_scalar_fixed_point(lam):
    # By symmetry every ally volunteers with the same p, the fixed point of the scalar map
    # p = 1 / (1 + exp(-lambda (u_D - u_A))), u_D = b - c, u_A = b (1 - (1 - p)^2).
    b, c = 4, 2
    point = cr.qre(cr.load("volunteers_dilemma"), [lam], {"c": c}).points[0]
    ps = [next(iter(probs.values())) for probs in point.strategies.values()]
    assert ps == pytest.approx([ps[0]] * 3, abs=1e-14)
    p = ps[0]
    u_d, u_a = b - c, b * (1 - (1 - p) ** 2)
    assert p == pytest.approx(1 / (1 + np.exp(-lam * (u_d - u_a))), abs=1e-13)


def test_volunteers_dilemma_branch_approaches_the_mixed_equilibrium():
    result = cr.qre(cr.load("volunteers_dilemma"), [1], {"c": 2})
    # Indifference: b - c = b (1 - (1 - p)^2), so 1 - p = sqrt(c / b) = sqrt(1/2).
    for probs in result.branch[-1].profile:
        assert probs[0] == pytest.approx(1 - math.sqrt(0.5), abs=1e-6)
    # Named exactly among cr.solve's equilibria: p = 1 - sqrt(2)/2.
    assert result.limit is not None and result.limit_distance < 1e-4
    for probs in result.limit.probabilities:
        assert sympy.simplify(probs[0] - (1 - sympy.sqrt(2) / 2)) == 0


@pytest.mark.parametrize(
    ("seed", "shape"),
    [(s, (2, 2, 2)) for s in range(6)]
    # 3x3x3: the limit is named among cr.solve's equilibria, seconds of support enumeration each
    + [pytest.param(s, (3, 3, 3), marks=pytest.mark.slow) for s in range(3)],
)
def test_branch_limit_is_a_nash_equilibrium(seed, shape):
    game = _random_game(100 + seed, shape)
    tensors = _tensors(game)
    scale = max(np.ptp(T) for T in tensors)
    result = cr.qre(game, [1])
    last = [np.array(p) for p in result.branch[-1].profile]
    assert profile_regret(tensors, last) <= 1e-6 * scale
    for b in result.branch:  # every traced point is on the branch
        profile = [np.array(p) for p in b.profile]
        assert profile_residual(tensors, b.lam, profile) < max(1e-10, 1e-13 * b.lam * scale)
    largest = max(np.abs(T).max() for T in tensors)
    end = trace_limit([T / largest for T in tensors], tolerance=TRACE_TOLERANCE)
    assert end.converged
    # qre traces the payoffs divided by their largest magnitude, as here: the same branch
    assert [p.tolist() for p in end.profile] == [list(p) for p in result.branch[-1].profile]
    end = trace_limit(tensors, tolerance=TRACE_TOLERANCE)  # unscaled: the same limit
    assert end.converged and end.regret <= TRACE_TOLERANCE * scale
    limit = branch_limit(tensors, tolerance=TRACE_TOLERANCE)
    assert [p.tolist() for p in limit] == [p.tolist() for p in end.profile]
    assert trace_limit(tensors).regret <= 1e-8 * scale  # the default tolerance


def test_a_pure_limit_is_named_exactly():
    # Prisoners' dilemma among three: defecting (S2) is dominant for everyone.
    u = np.zeros((3, 2, 2, 2), dtype=int)
    for profile in itertools.product(range(2), repeat=3):
        cooperators = profile.count(0)
        for i, s in enumerate(profile):
            u[(i, *profile)] = 2 * cooperators - 3 * (s == 0)
    game = NormalForm.from_arrays([t.tolist() for t in u])
    result = cr.qre(game, [50])
    assert result.limit is not None and result.limit.strategies == ("S2", "S2", "S2")
    assert result.limit_distance < 1e-4
    data = json.loads(json.dumps(result.to_dict()))
    assert data["limit"]["strategies"]["Player 3"] == {"S1": "0", "S2": "1"}
    assert data["limit"]["payoffs"] == {p: "0" for p in game.players}
    assert "selects the Nash equilibrium" in qre_text(result)


@pytest.mark.parametrize("seed", range(5))
def test_two_player_normal_form_agrees_with_the_bimatrix_path(seed):
    rng = np.random.default_rng(seed)
    m, n = 2 + seed % 3, 2 + (seed + 1) % 3
    A, B = rng.integers(-9, 10, (m, n)), rng.integers(-9, 10, (m, n))
    lambdas = [0, 0.3, 1, 4]
    bimatrix = cr.qre(cr.Bimatrix.from_arrays(A.tolist(), B.tolist()), lambdas)
    normal = qre_normal(NormalForm.from_arrays([A.tolist(), B.tolist()]), lambdas)
    for x, y in zip(bimatrix.points, normal.points):
        for p, q in zip(x.strategies.values(), y.strategies.values()):
            assert list(p.values()) == pytest.approx(list(q.values()), abs=1e-12)
        assert x.payoffs == pytest.approx(y.payoffs, abs=1e-12)
        assert list(x.outcomes.values()) == pytest.approx(list(y.outcomes.values()), abs=1e-12)
    # The same branch, which the normal path stops sooner (TRACE_TOLERANCE against 1e-8).
    traced = [(b.lam, *b.profile) for b in normal.branch]
    assert [(b.lam, b.row, b.column) for b in bimatrix.branch][: len(traced)] == traced
    # The kernels: the bimatrix tracer is the n-player one on [A, B].
    Af, Bf = A.astype(float), B.astype(float)
    assert np.array_equal(trace_branch(Af, Bf)[0], trace_profile_branch([Af, Bf])[0])


def test_split_profile():
    y = np.log(np.array([0.5, 0.5, 0.25, 0.75, 1.0, 7.0]))
    assert [p.tolist() for p in split_profile((2, 2, 1), y)] == [[0.5, 0.5], [0.25, 0.75], [1.0]]


def test_end_to_end_and_results():
    game = cr.load("volunteers_dilemma")
    result = cr.qre(game, [0, 1, 4])
    assert result.method == "path-following"
    assert [pt.lam for pt in result.points] == [0, 1, 4]
    assert result.outcome_labels[0] == "/".join(s[0] for s in game.strategies)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["kind"] == "normal" and data["players"] == list(game.players)
    assert set(data["points"][1]["payoffs"]) == set(game.players)
    assert data["branch"][0]["profile"] == {p: ["0.5", "0.5"] for p in game.players}
    assert "limit" in data
    text = qre_text(result)
    assert "(Ally 1/Ally 2/Ally 3)" in text
    assert "branch selects the Nash equilibrium" in text and "Defend 1/2" in text
    pd = pytest.importorskip("pandas")
    frame = result.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert [f"payoff {p}" for p in game.players] == [c for c in frame if c.startswith("payoff")]


def test_branch_point_views():
    b = cr.quantal.BranchPoint(1.0, profile=((0.5, 0.5), (1.0,), (0.2, 0.8)))
    assert (b.row, b.column) == ((0.5, 0.5), (1.0,))
    assert cr.quantal.BranchPoint(1.0, (0.5, 0.5), (1.0,)).profile == ((0.5, 0.5), (1.0,))


def test_a_bifurcation_at_a_requested_lambda():
    # Uniform play is a QRE of the default volunteer's dilemma at every lambda; the
    # Jacobian there is singular at lambda = 2 exactly (eigenvalue 1 - lambda / 2).
    point = cr.qre(cr.load("volunteers_dilemma"), [2]).points[0]
    assert point.residual == 0
    assert all(list(p.values()) == [0.5, 0.5] for p in point.strategies.values())


def test_cli_json_and_text():
    runner = CliRunner()
    result = runner.invoke(cli, ["qre", "volunteers_dilemma", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "normal" and len(data["points"]) == 8
    assert all(len(b["profile"]) == 3 for b in data["branch"])
    result = runner.invoke(cli, ["qre", "volunteers_dilemma", "--lambda", "2", "--param", "c=2"])
    assert result.exit_code == 0, result.output
    assert "Ally 1: " in result.output


# ---- pygambit oracle ------------------------------------------------------------------------


@pytest.mark.oracle
@pytest.mark.parametrize("seed", [11, 12])
def test_agrees_with_gambit_on_three_players(gbt, seed):
    game = _random_game(seed, (2, 2, 2))
    tensors = _tensors(game)
    lambdas = [0.5, 1.0, 2.0]
    ours = cr.qre(game, lambdas).points
    gambit_game = gbt.Game.from_arrays(*tensors)
    theirs = gbt.qre.logit_solve_lambda(gambit_game, lambdas)
    for point, their in zip(ours, theirs):
        for probs, player in zip(point.strategies.values(), gambit_game.players):
            expected = [float(their.profile[s]) for s in player.strategies]
            assert list(probs.values()) == pytest.approx(expected, abs=1e-8)


@pytest.mark.parametrize("exponent", [-200, 100, 200])
def test_qre_is_the_same_at_every_payoff_scale(exponent):
    # The QRE at lambda of a game is the QRE at lambda / s of the game times s. Payoffs of
    # 1e100 used to give probabilities above 1 at lambda = 1 (overflow in lambda * u).
    s = F(10) ** exponent
    A, B = [[3, 0], [0, 1]], [[1, 0], [0, 3]]
    small = cr.Bimatrix.from_arrays(A, B)
    big = cr.Bimatrix.from_arrays([[x * s for x in r] for r in A], [[x * s for x in r] for r in B])
    u = _random_game(7, (2, 2, 2))
    scaled = NormalForm.from_arrays([(np.array(T, dtype=object) * s).tolist() for T in _tensors(u)])
    for one, many in ((small, big), (u, scaled)):
        here = cr.qre(one, [0.5, 2]).points
        there = cr.qre(many, [0.5 / float(s), 2 / float(s), 1.0]).points
        for p, q in zip(here, there):
            for a, b in zip(p.strategies.values(), q.strategies.values()):
                assert list(a.values()) == pytest.approx(list(b.values()), abs=1e-9)
        assert all(0 <= x <= 1 for probs in there[2].strategies.values() for x in probs.values())
        assert there[2].residual < 1e-8


def test_payoffs_beyond_floats_are_refused():
    huge = cr.Bimatrix.from_arrays([[F(10) ** 301, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(cr.CredibilityError, match="at most 1e300 in magnitude"):
        cr.qre(huge, [1])
