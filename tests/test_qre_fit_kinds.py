"""Fitting the QRE of normal-form, signalling and symmetric games: recovery, data forms, Gambit."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

import credibility as cr
from cli import cli
from credibility.errors import CredibilityError
from credibility.quantal import fit_qre, read_counts


def _draw(rng, probabilities: dict[str, float], n: int) -> dict[str, int]:
    p = np.array(list(probabilities.values()))
    return dict(zip(probabilities, rng.multinomial(n, p / p.sum()).tolist()))


def _within(fit, name, truth, k=4.0):
    """The estimate lies within k standard errors of the value the data were drawn from."""
    assert fit.converged, fit.message
    assert fit.standard_errors is not None
    assert abs(fit.estimates[name] - truth) <= k * fit.standard_errors[name]


@pytest.mark.parametrize("seed", [0, 1])
def test_signalling_recovers_lambda_with_types_observed(seed):
    rng = np.random.default_rng(seed)
    game = cr.load("tying_hands")
    counts = _draw(rng, cr.qre(game, [3.0]).points[0].outcomes, 4000)
    _within(fit_qre(game, counts), "lambda", 3.0)


def test_signalling_recovers_lambda_with_types_unobserved():
    # An analyst sees the commitment and the challenge, not the defender's resolve: the
    # likelihood sums over types.
    rng = np.random.default_rng(7)
    game = cr.load("capability_transparency")
    full = _draw(rng, cr.qre(game, [2.0]).points[0].outcomes, 6000)
    seen: dict[str, int] = {}
    for label, k in full.items():
        key = label.split(" > ", 1)[1]
        seen[key] = seen.get(key, 0) + k
    fit = fit_qre(game, seen)
    _within(fit, "lambda", 2.0)
    assert set(fit.observed) == {f"{m} > {r}" for m in game.messages for r in game.responses}


@pytest.mark.slow  # 6 s: the branch is traced again for every value of the free parameter
def test_signalling_free_parameter_is_recovered():
    rng = np.random.default_rng(11)
    game = cr.load("tying_hands")
    counts = _draw(rng, cr.qre(game, [3.0], {"a": "3/2"}).points[0].outcomes, 20000)
    fit = fit_qre(game, counts, free=["a"])
    _within(fit, "lambda", 3.0)
    _within(fit, "a", 1.5)


def test_symmetric_recovers_lambda_from_members_choices():
    rng = np.random.default_rng(3)
    game = cr.load("collective_defence_n")
    mix = cr.qre(game, [2.0], {"n": 5}).points[0].strategies["each member"]
    counts = _draw(rng, mix, 5000)
    _within(fit_qre(game, counts, params={"n": 5}), "lambda", 2.0)


def test_normal_recovers_lambda_from_profiles_and_from_strategies():
    rng = np.random.default_rng(5)
    game = cr.load("volunteers_dilemma")
    params = {"c": 3}
    point = cr.qre(game, [1.5], params).points[0]
    profiles = _draw(rng, point.outcomes, 5000)
    by_profile = fit_qre(game, profiles, params=params)
    _within(by_profile, "lambda", 1.5)
    per_player = {
        who: {s: 0 for s in strategies} for who, strategies in zip(game.players, game.strategies)
    }
    for label, k in profiles.items():
        for who, s in zip(game.players, label.split("/")):
            per_player[who][s] += k
    by_strategy = fit_qre(game, per_player, params=params)
    assert by_strategy.estimates["lambda"] == pytest.approx(
        by_profile.estimates["lambda"], rel=1e-9
    )


def test_an_unidentified_lambda_gets_no_standard_error():
    # At the volunteer's dilemma's defaults (b = 4, c = 1, three allies) p = 1/2 is a QRE at
    # every lambda: the data cannot tell lambda, and the fit says so.
    game = cr.load("volunteers_dilemma")
    counts = {who: {"Defend": 500, "Abstain": 500} for who in game.players}
    fit = fit_qre(game, counts)
    assert fit.standard_errors is None
    assert "the data cannot tell lambda" in fit.message
    assert not fit.converged


def test_signalling_counts_must_not_mix_typed_and_untyped_outcomes():
    game = cr.load("tying_hands")
    with pytest.raises(CredibilityError, match="name the type in some outcomes"):
        fit_qre(game, {"Resolved > Commit > Challenge": 3, "Commit > Back down": 4})
    with pytest.raises(CredibilityError, match="unknown outcome 'Commit'"):
        fit_qre(game, {"Commit": 3})


def test_normal_counts_must_agree_across_players():
    game = cr.load("volunteers_dilemma")
    counts = {who: {"Defend": 5, "Abstain": 5} for who in game.players}
    counts[game.players[0]]["Defend"] = 6
    with pytest.raises(CredibilityError, match="the players' counts differ"):
        fit_qre(game, counts)


def test_csv_forms_and_cli(tmp_path):
    path = tmp_path / "seen.csv"
    path.write_text(
        "outcome,count\nCommit > Challenge,40\nCommit > Back down,90\nStay quiet > Challenge,70\n"
    )
    game = cr.load("tying_hands")
    assert read_counts(path, game) == {
        "Commit > Challenge": 40,
        "Commit > Back down": 90,
        "Stay quiet > Challenge": 70,
    }
    result = CliRunner().invoke(cli, ["qre-fit", "tying_hands", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "signalling" and math.isfinite(float(data["estimates"]["lambda"]))
    from test_json_schema import _check

    _check(data, "qre_fit")
    strategies = tmp_path / "strategies.csv"
    strategies.write_text(
        "player,strategy,count\n"
        + "".join(
            f"{who},Defend,30\n{who},Abstain,70\n" for who in cr.load("volunteers_dilemma").players
        )
    )
    result = CliRunner().invoke(
        cli, ["qre-fit", "volunteers_dilemma", str(strategies), "--param", "c=3"]
    )
    assert result.exit_code == 0, result.output
    assert "Ally 1: Defend" in result.output


# ---- pygambit oracle ----------------------------------------------------------------------------


@pytest.mark.oracle
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_normal_fit_agrees_with_gambit_logit_estimate(gbt, seed):
    rng = np.random.default_rng(100 + seed)
    payoffs = [rng.integers(-5, 6, size=(2, 2, 2)) for _ in range(3)]
    game = cr.NormalForm.from_arrays(payoffs)
    lam = 1.0
    point = cr.qre(game, [lam]).points[0]
    counts = {who: _draw(rng, mix, 800) for who, mix in point.strategies.items()}
    ours = fit_qre(game, counts)
    gambit_game = gbt.Game.from_arrays(*[np.array(p, dtype=float) for p in payoffs])
    profile = gambit_game.mixed_strategy_profile(rational=False)
    for player, who in zip(gambit_game.players, game.players):
        for strategy, label in zip(player.strategies, game.strategies[game.players.index(who)]):
            profile[strategy] = counts[who][label]
    theirs = gbt.qre.logit_estimate(profile)
    assert ours.log_likelihood == pytest.approx(theirs.log_like, rel=1e-6)
    assert ours.estimates["lambda"] == pytest.approx(theirs.lam, rel=1e-3)
