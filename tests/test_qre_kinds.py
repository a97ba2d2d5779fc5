"""QRE of signalling games (agent QRE, against Gambit), symmetric games, n-player trees."""

from __future__ import annotations

import io
from fractions import Fraction as F

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import credibility as cr
from cli import cli
from credibility.io.toml_loader import parse_toml
from credibility.quantal.branch import logit_response
from credibility.quantal.signalling import (
    SignallingSystem,
    agent_labels,
    qre_signalling,
)
from tests.test_pbe import signalling_toml

SIGNALLING = ["sinking_costs", "tying_hands", "capability_transparency"]


def _random_game(seed: int, types: int = 2, messages: int = 2, responses: int = 2):
    rng = np.random.default_rng(seed)
    names = [f"T{k}" for k in range(types)]
    weights = rng.integers(1, 10, size=types)
    priors = [F(int(w), int(weights.sum())) for w in weights]
    payoffs = rng.integers(-9, 10, size=(types, messages, responses, 2)).tolist()
    text = signalling_toml(
        names,
        [f"m{k}" for k in range(messages)],
        [f"r{k}" for k in range(responses)],
        priors,
        payoffs,
    )
    return parse_toml(text)


def _system(seed: int, types: int, messages: int, responses: int) -> SignallingSystem:
    rng = np.random.default_rng(seed)
    prior = rng.dirichlet(np.ones(types))
    S = rng.normal(size=(types, messages, responses))
    R = rng.normal(size=(types, messages, responses))
    return SignallingSystem(prior, S, R)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    types=st.integers(1, 3),
    messages=st.integers(2, 3),
    responses=st.integers(2, 3),
    lam=st.floats(0, 5),
)
def test_jacobian_equals_finite_differences(seed, types, messages, responses, lam):
    system = _system(seed, types, messages, responses)
    rng = np.random.default_rng(seed + 1)
    x = np.concatenate([np.log(rng.dirichlet(np.ones(m))) for m in system.shape])
    y = np.concatenate([x, [lam]])
    _, J = system.system(y)
    step = 1e-6
    for k in range(len(y)):
        e = np.zeros(len(y))
        e[k] = step
        numeric = (system.system(y + e)[0] - system.system(y - e)[0]) / (2 * step)
        assert np.abs(numeric - J[:, k]).max() < 1e-6


def _fixed_point(system: SignallingSystem, lam: float) -> list[np.ndarray]:
    """Damped iteration of the logit responses (a contraction at small lambda)."""
    probs = [np.full(m, 1.0 / m) for m in system.shape]
    for _ in range(5000):
        q_sender, q_receiver, _ = system.values(np.log(np.concatenate(probs)))
        new = [*logit_response(lam, q_sender), *logit_response(lam, q_receiver)]
        step = max(np.abs(p - n).max() for p, n in zip(probs, new))
        probs = [0.5 * p + 0.5 * n for p, n in zip(probs, new)]
        if step < 1e-15:
            break
    return probs


@pytest.mark.parametrize("seed", range(6))
def test_points_equal_a_direct_fixed_point_iteration(seed):
    game = _random_game(seed)
    result = qre_signalling(game, [0.02, 0.05])
    prior = np.array([float(t.prior) for t in game.types])
    pays = np.array(
        [[[[float(v) for v in pair] for pair in row] for row in t.payoffs] for t in game.types]
    )
    system = SignallingSystem(prior, pays[..., 0], pays[..., 1])
    for point in result.points:
        assert point.residual < 1e-12
        direct = _fixed_point(system, point.lam)
        ours = [np.array(list(p.values())) for p in point.strategies.values()]
        assert max(np.abs(a - b).max() for a, b in zip(ours, direct)) < 1e-9


def test_at_lambda_zero_choice_is_uniform_and_beliefs_are_the_prior():
    point = cr.qre(cr.load("tying_hands"), [0.0]).points[0]
    assert all(p == 0.5 for probs in point.strategies.values() for p in probs.values())
    assert point.beliefs == {
        "Commit": {"Resolved": pytest.approx(0.3), "Irresolute": pytest.approx(0.7)},
        "Stay quiet": {"Resolved": pytest.approx(0.3), "Irresolute": pytest.approx(0.7)},
    }
    assert sum(point.outcomes.values()) == pytest.approx(1.0)


def test_beliefs_follow_bayes_rule_at_every_point():
    result = cr.qre(cr.load("capability_transparency"), [0.5, 2.0, 8.0])
    game = result.game
    binding = game.bind()
    for point in result.points:
        for m in game.messages:
            weights = {
                t.name: float(binding.value(t.prior))
                * point.strategies[f"{game.players[0]} ({t.name})"][m]
                for t in game.types
            }
            total = sum(weights.values())
            for t in game.types:
                assert point.beliefs[m][t.name] == pytest.approx(weights[t.name] / total)


def test_tying_hands_branch_selects_the_semi_separating_equilibrium():
    # Fearon (1997): with one commitment level the irresolute type bluffs; here it commits with
    # probability 6/7 and the challenger challenges a commitment with probability 1/3.
    result = cr.qre(cr.load("tying_hands"), [1.0])
    limit = result.limit
    assert limit is not None and limit.equilibrium_class == "semi-separating"
    assert limit.sender[1] == (F(6, 7), F(1, 7))
    assert limit.receiver[0] == (F(1, 3), F(2, 3))
    assert result.limit_distance is not None and result.limit_distance < 1e-4


def test_sinking_costs_branch_selects_the_pooling_equilibrium_not_the_intuitive_one():
    # The QRE selection need not be the intuitive one: at the defaults the branch ends at the
    # pooling equilibrium (Stand pat; the challenger challenges after any message).
    result = cr.qre(cr.load("sinking_costs"), [1.0])
    assert result.limit is not None
    assert result.limit.equilibrium_class == "pooling"
    assert not result.limit.intuitive


def test_the_limit_shows_the_off_path_response_the_branch_approaches():
    # capability_transparency pools on Conceal; after Demonstrate (off the path) any response
    # from a range keeps the equilibrium. The branch's belief there tends to Strong, and its
    # response to Back down, which the limit shows, with a belief that supports it.
    result = cr.qre(cr.load("capability_transparency"), [1.0])
    limit = result.limit
    assert limit is not None and limit.equilibrium_class == "pooling"
    demonstrate = result.game.messages.index("Demonstrate")
    assert demonstrate in limit.off_path
    assert limit.receiver[demonstrate] == (F(0), F(1))  # Challenge, Back down
    assert limit.beliefs[demonstrate][0] > F(1, 2)  # mostly Strong


def test_types_alike_make_the_tree_they_describe():
    # Two types with the same payoffs choose alike, and what the receiver believes does not
    # matter: the game is a two-stage tree of perfect information, whose agent QRE is closed
    # form (credibility.quantal.tree).
    signalling = parse_toml(
        signalling_toml(
            ["A", "B"],
            ["Threaten", "Wait"],
            ["Fight", "Yield"],
            ["1/3", "2/3"],
            [[[[-2, 1], [3, -1]], [[0, 2], [1, 0]]]] * 2,
        )
    )
    tree = parse_toml(
        "\n".join(
            [
                'kind = "tree"',
                'players = ["Sender", "Receiver"]',
                "[root]",
                'player = "Sender"',
                "[root.moves.Threaten]",
                'player = "Receiver"',
                "[root.moves.Threaten.moves.Fight]",
                "payoffs = [-2, 1]",
                "[root.moves.Threaten.moves.Yield]",
                "payoffs = [3, -1]",
                "[root.moves.Wait]",
                'player = "Receiver"',
                "[root.moves.Wait.moves.Fight]",
                "payoffs = [0, 2]",
                "[root.moves.Wait.moves.Yield]",
                "payoffs = [1, 0]",
            ]
        )
    )
    lambdas = [0.3, 1.0, 3.0, 10.0]
    ours = cr.qre(signalling, lambdas)
    closed = cr.qre(tree, lambdas)
    for a, b in zip(ours.points, closed.points):
        for message in ("Threaten", "Wait"):
            for response in ("Fight", "Yield"):
                both = sum(a.outcomes[f"{t} > {message} > {response}"] for t in "AB")
                assert both == pytest.approx(b.outcomes[f"{message} > {response}"], abs=1e-10)


def test_payoff_scale_does_not_change_the_equilibrium_at_scaled_lambda():
    game = _random_game(3)
    big = parse_toml(
        signalling_toml(
            [t.name for t in game.types],
            list(game.messages),
            list(game.responses),
            [t.prior for t in game.types],
            [
                [[[int(v) * 10**150 for v in pair] for pair in row] for row in t.payoffs]
                for t in game.types
            ],
        )
    )
    small = qre_signalling(game, [1.0, 3.0]).points
    large = qre_signalling(big, [1e-150, 3e-150]).points
    for a, b in zip(small, large):
        assert list(a.outcomes.values()) == pytest.approx(list(b.outcomes.values()), abs=1e-9)


def test_outcome_table_matches_the_points():
    from credibility.quantal.grid import outcome_table

    game = cr.load("tying_hands")
    fast = outcome_table(game, [0.5, 3.0])
    full = cr.qre(game, [0.5, 3.0])
    for row, point in zip(fast, full.points):
        assert row.tolist() == pytest.approx(list(point.outcomes.values()), abs=1e-12)


def test_qre_threshold_of_a_signalling_game_crosses_where_qre_says():
    game = cr.load("tying_hands")
    challenge = [
        "Resolved > Commit > Challenge",
        "Resolved > Stay quiet > Challenge",
        "Irresolute > Commit > Challenge",
        "Irresolute > Stay quiet > Challenge",
    ]
    result = cr.qre_threshold(game, challenge, 0.5, "lambda", between=(0, 20), points=41)
    assert result.crossings
    for crossing in result.crossings:
        point = cr.qre(game, [crossing.value]).points[0]
        assert sum(point.outcomes[x] for x in challenge) == pytest.approx(0.5, abs=1e-6)


def test_json_validates_and_names_agents():
    from tests.test_json_schema import _check

    data = cr.qre(cr.load("tying_hands"), [0.0, 2.0]).to_dict()
    _check(data, "qre")
    assert list(data["branch"][0]["profile"]) == list(agent_labels(cr.load("tying_hands")))
    assert data["limit"]["strategies"]["Defender (Irresolute)"] == {
        "Commit": "6/7",
        "Stay quiet": "1/7",
    }
    assert data["points"][1]["beliefs"]["Commit"]["Resolved"].startswith("0.4363")


def test_cli_text_shows_outcomes_beliefs_and_the_limit():
    result = CliRunner().invoke(cli, ["qre", "tying_hands", "--lambda", "0", "--lambda", "4"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "P(Resolved | Commit)" in out
    assert "Irresolute > Commit > Challenge" in out
    assert "semi-separating perfect Bayesian" in out
    assert "Irresolute: Commit 6/7, Stay quiet 1/7" in out


# ---- pygambit oracle ------------------------------------------------------------------------


@pytest.mark.oracle
@pytest.mark.parametrize(
    "which",
    [pytest.param(name, id=name) for name in SIGNALLING]
    + [
        pytest.param((seed, *shape), id=f"random-{'x'.join(map(str, shape))}-{seed}")
        for seed, shape in enumerate([(2, 2, 2), (2, 2, 2), (2, 3, 2), (3, 2, 2), (2, 2, 3)])
    ],
)
def test_agrees_with_gambit_agent_logit_at_fixed_lambda(gbt, which):
    from credibility.io.gambit_efg import format_efg

    game = cr.load(which) if isinstance(which, str) else _random_game(50 + which[0], *which[1:])
    lambdas = [0.05, 0.3, 1.0, 2.5]
    gambit_game = gbt.read_efg(io.StringIO(format_efg(game, None)))
    labels = [
        (player.label, infoset.label, action.label)
        for player in gambit_game.players
        for infoset in player.infosets
        for action in infoset.actions
    ]
    ours = cr.qre(game, lambdas)
    sender, receiver = game.players
    reached = 0
    for point, theirs in zip(ours.points, gbt.qre.logit_solve_lambda(gambit_game, lambdas)):
        if abs(theirs.lam - point.lam) > 1e-8:
            # Gambit's tracer stops at a bifurcation of the branch (sinking_costs: lambda 1.789,
            # where the types stop choosing alike) and answers with its last point.
            assert point.lam > 1.0 and ours.bifurcations
            continue
        reached += 1
        for k, (player, infoset, action) in enumerate(labels):
            agent = f"{player} ({infoset})"
            assert point.strategies[agent][action] == pytest.approx(theirs[k], abs=1e-8)
        assert {a.split(" (")[0] for a in point.strategies} == {sender, receiver}
    assert reached >= 3


@pytest.mark.oracle
@pytest.mark.parametrize("name", ["tying_hands", "capability_transparency"])
def test_limit_agrees_with_gambit_logit_solve(gbt, name):
    # Both tracers end at the same equilibrium (in sinking_costs Gambit's stops at the
    # bifurcation point near lambda = 1.79 instead).
    from credibility.io.gambit_efg import format_efg

    game = cr.load(name)
    gambit_game = gbt.read_efg(io.StringIO(format_efg(game, None)))
    theirs = gbt.nash.logit_solve(gambit_game).equilibria[0]
    actions = [
        action
        for player in gambit_game.players
        for infoset in player.infosets
        for action in infoset.actions
    ]
    limit = cr.qre(game, [1.0]).limit
    assert limit is not None
    ours = [float(x) for row in (*limit.sender, *limit.receiver) for x in row]
    assert ours == pytest.approx([float(theirs[a]) for a in actions], abs=1e-4)


# ---- symmetric games and trees of more than two players --------------------------------------


def test_symmetric_limit_is_diekmanns_equilibrium_at_every_size():
    # Diekmann (1985): each member volunteers with probability 1 - (c/b)^(1/(n-1)).
    game = cr.load("collective_defence_n")
    for n in (2, 5, 12, 32):
        result = cr.qre(game, [1.0], {"n": n})
        assert result.limit is not None and result.limit.label == "mixed"
        expected = 1 - 0.25 ** (1 / (n - 1))
        assert float(result.limit.p.evalf(20)) == pytest.approx(expected, abs=1e-12)
        assert result.limit_distance < 1e-4
        assert result.points[0].residual < 1e-12


def test_symmetric_qre_equals_the_strategic_form_qre_of_the_same_game():
    # The symmetric branch of the 3-member game is the principal branch of its 2x2x2
    # strategic form (built independently by to_normal_form), traced by the n-player tracer.
    from credibility.solvers.symmetric import to_normal_form

    game = cr.load("article5_threshold")
    params = {"n": 3, "m": 2}
    lambdas = [0.2, 1.0, 3.0]
    ours = cr.qre(game, lambdas, params)
    normal = cr.qre(to_normal_form(game, params), lambdas)
    first = game.actions[0]
    for a, b in zip(ours.points, normal.points):
        for who in normal.game.players:
            assert a.strategies["each member"][first] == pytest.approx(
                b.strategies[who][first], abs=1e-9
            )


def test_symmetric_json_validates():
    from tests.test_json_schema import _check

    data = cr.qre(cr.load("collective_defence_n"), [0.0, 2.0], {"n": 5}).to_dict()
    _check(data, "qre")
    assert data["limit"]["strategies"]["each member"]["Defend"] == "1 - sqrt(2)/2"
    assert list(data["points"][0]["payoffs"]) == ["each member"]
    assert len(data["branch"][0]["profile"]["each member"]) == 2


def test_three_player_tree_agent_qre_is_a_logit_choice_at_every_node():
    game = cr.load("alliance_veto")  # an attacker and three allies
    result = cr.qre(game, [0.0, 2.0, 10.0])
    assert len(result.points[0].payoffs) == len(game.players) == 4
    for point in result.points:
        assert point.residual < 1e-12
        assert sum(point.outcomes.values()) == pytest.approx(1.0)
    assert result.points[0].outcomes["No attack"] == pytest.approx(0.5)
