"""Maximum-likelihood fits of the logit QRE: recovery on simulated data, errors, CLI, Gambit."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

import credibility as cr
from cli import cli
from credibility.errors import CredibilityError, ParameterError
from credibility.quantal import fit_qre, read_counts
from credibility.quantal.fit import fit_text, likelihood_interval

TREE = "unilateral_deterrence"
#: A 2x2 game with a unique, non-uniform mixed equilibrium (Row 1/4 on R1, Column 1/3 on C1).
A2, B2 = [[5, 0], [1, 2]], [[0, 3], [2, 1]]


def _bimatrix() -> cr.Bimatrix:
    return cr.Bimatrix.from_arrays(A2, B2)


def _tree_sample(rng, lam, n, params=None):
    game = cr.load(TREE)
    point = cr.qre(game, [lam], params).points[0]
    probs = np.array(list(point.outcomes.values()))
    counts = rng.multinomial(n, probs / probs.sum())
    return dict(zip(point.outcomes, counts.tolist())), probs


def _bimatrix_sample(rng, lam, n):
    game = _bimatrix()
    point = cr.qre(game, [lam]).points[0]
    p, q = (np.array(list(s.values())) for s in point.strategies.values())
    rows, cols = rng.multinomial(n, p / p.sum()), rng.multinomial(n, q / q.sum())
    return {
        "Row": dict(zip(game.row_strategies, rows.tolist())),
        "Column": dict(zip(game.column_strategies, cols.tolist())),
    }, (p, q)


# ---- recovery on simulated data ---------------------------------------------------------------


def test_tree_recovers_lambda():
    rng = np.random.default_rng(20260401)
    game = cr.load(TREE)
    estimates, errors = [], []
    for _ in range(10):
        counts, probs = _tree_sample(rng, 2.0, 20_000)
        fit = fit_qre(game, counts)
        assert fit.converged and fit.positive_definite and fit.message == ""
        assert fit.starts == 3
        lam, se = fit.estimates["lambda"], fit.standard_errors["lambda"]
        assert abs(lam - 2.0) < 3 * se
        n = np.array(list(counts.values()))
        assert fit.log_likelihood >= float(n @ np.log(probs)) - 1e-9  # at least the truth's
        estimates.append(lam)
        errors.append(se)
    spread = float(np.std(estimates, ddof=1))
    assert 0.5 < np.mean(errors) / spread < 2.0


def test_tree_recovers_lambda_and_a_chance_probability():
    rng = np.random.default_rng(7)
    counts, probs = _tree_sample(rng, 2.0, 20_000, {"p": "0.3"})
    fit = fit_qre(cr.load(TREE), counts, free=["p"])
    assert fit.converged
    assert fit.names == ("lambda", "p")
    for name, truth in (("lambda", 2.0), ("p", 0.3)):
        assert abs(fit.estimates[name] - truth) < 3 * fit.standard_errors[name]
    assert fit.parameters["p"] == fit.estimates["p"]
    n = np.array(list(counts.values()))
    assert fit.log_likelihood >= float(n @ np.log(probs)) - 1e-9
    assert len(fit.covariance) == 2


def test_bimatrix_recovers_lambda():
    rng = np.random.default_rng(11)
    game = _bimatrix()
    estimates, errors = [], []
    for _ in range(10):
        counts, (p, q) = _bimatrix_sample(rng, 1.5, 2_000)
        fit = fit_qre(game, counts)
        assert fit.converged and fit.positive_definite
        lam, se = fit.estimates["lambda"], fit.standard_errors["lambda"]
        assert abs(lam - 1.5) < 3 * se
        r, c = (np.array(list(counts[who].values())) for who in ("Row", "Column"))
        assert fit.log_likelihood >= float(r @ np.log(p) + c @ np.log(q)) - 1e-9
        estimates.append(lam)
        errors.append(se)
    spread = float(np.std(estimates, ddof=1))
    assert 0.5 < np.mean(errors) / spread < 2.0


def test_bimatrix_profile_counts_equal_strategy_totals():
    game = _bimatrix()
    profiles = {"R1/C1": 100, "R1/C2": 300, "R2/C1": 250, "R2/C2": 850}
    by_strategy = {"Row": {"R1": 400, "R2": 1100}, "Column": {"C1": 350, "C2": 1150}}
    a, b = fit_qre(game, profiles), fit_qre(game, by_strategy)
    assert a.estimates["lambda"] == pytest.approx(b.estimates["lambda"], rel=1e-9)
    assert a.log_likelihood == pytest.approx(b.log_likelihood, rel=1e-12)


def test_profile_peaks_at_the_estimate():
    rng = np.random.default_rng(3)
    counts, _ = _tree_sample(rng, 2.0, 5_000)
    fit = fit_qre(cr.load(TREE), counts)
    assert len(fit.profile) == 25
    lams = [lam for lam, _ in fit.profile]
    assert lams == sorted(lams)
    assert max(ll for _, ll in fit.profile) <= fit.log_likelihood + 1e-9
    assert fit.profile[12][0] == pytest.approx(fit.estimates["lambda"])
    low, high = likelihood_interval(fit)
    se = fit.standard_errors["lambda"]
    # The likelihood-ratio interval is close to the Wald one for this much data.
    assert low == pytest.approx(fit.estimates["lambda"] - 1.96 * se, rel=0.02)
    assert high == pytest.approx(fit.estimates["lambda"] + 1.96 * se, rel=0.02)


def test_unidentified_lambda_gives_no_standard_errors():
    # Uniform play is the Nash equilibrium: every lambda gives the same QRE.
    game = cr.Bimatrix.from_arrays([[3, 0], [1, 2]], [[0, 2], [3, 1]])
    fit = fit_qre(game, {"Row": {"R1": 40, "R2": 60}, "Column": {"C1": 50, "C2": 50}})
    assert fit.standard_errors is None and fit.covariance is None
    assert not fit.positive_definite
    assert "not positive definite" in fit.message


def test_data_noisier_than_uniform_fit_lambda_zero():
    # Defenders do the opposite of what they prefer: only lambda -> 0 comes close.
    counts = {
        "Status quo": 100,
        "Challenge > Hard > Concede": 200,
        "Challenge > Soft > Resist": 200,
    }
    fit = fit_qre(cr.load(TREE), counts)
    assert not fit.converged
    assert "uniform choice" in fit.message
    assert fit.estimates["lambda"] < 1e-3


# ---- errors -------------------------------------------------------------------------------------


def _csv(tmp_path, text, name="counts.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "text, message",
    [
        pytest.param(
            "label,count\nStatus quo,3\n",
            "counts.csv: missing column outcome (expected a header row 'outcome,count', "
            "or for a bimatrix game 'player,strategy,count')",
            id="missing-column",
        ),
        pytest.param(
            "outcome,count\nStatus quo,3\nChallenge > Hard,2\n",
            "counts.csv: line 3, column 'outcome': unknown outcome 'Challenge > Hard'",
            id="unknown-outcome",
        ),
        pytest.param(
            "outcome,count\nStatus quo,-3\n",
            "counts.csv: line 2, column 'count': expected a whole number >= 0, got '-3'",
            id="negative",
        ),
        pytest.param(
            "outcome,count\nStatus quo,2.5\n",
            "counts.csv: line 2, column 'count': expected a whole number >= 0, got '2.5'",
            id="non-integer",
        ),
        pytest.param(
            "outcome,count\nStatus quo\n",
            "counts.csv: line 2: no value in column 'count'",
            id="short-row",
        ),
        pytest.param(
            "player,strategy,count\nChallenger,Challenge,3\n",
            "counts.csv: counts per player and strategy are for strategic-form games",
            id="per-strategy-for-a-tree",
        ),
        pytest.param("", "counts.csv: the counts file is empty", id="empty"),
    ],
)
def test_csv_errors(tmp_path, text, message):
    path = _csv(tmp_path, text)
    with pytest.raises(CredibilityError) as error:
        read_counts(path, cr.load(TREE))
    assert str(error.value).startswith(str(tmp_path / "counts.csv") + message[len("counts.csv") :])


def test_csv_bimatrix_errors(tmp_path):
    game = _bimatrix()
    path = _csv(tmp_path, "player,strategy,count\nRow,R1,3\nColumn,C9,1\n")
    with pytest.raises(
        CredibilityError, match=r"line 3, column 'strategy': Column has no strategy"
    ):
        read_counts(path, game)
    path = _csv(tmp_path, "player,strategy,count\nNobody,R1,3\n")
    with pytest.raises(CredibilityError, match=r"line 2, column 'player': unknown player 'Nobody'"):
        read_counts(path, game)


def test_csv_reads_and_adds_repeated_labels(tmp_path):
    path = _csv(tmp_path, "outcome,count,note\nStatus quo,3,a\n\nStatus quo,4,b\n")
    assert read_counts(path, cr.load(TREE)) == {"Status quo": 7}
    path = _csv(tmp_path, "player,strategy,count\nRow,R1,3\nColumn,C2,3\n")
    assert read_counts(path, _bimatrix()) == {"Row": {"R1": 3}, "Column": {"C2": 3}}


def test_missing_file(tmp_path):
    with pytest.raises(CredibilityError, match="cannot read the counts"):
        read_counts(tmp_path / "nope.csv", cr.load(TREE))


def test_fit_errors():
    game = cr.load(TREE)
    with pytest.raises(CredibilityError, match="every count is zero"):
        fit_qre(game, {"Status quo": 0})
    with pytest.raises(ParameterError, match="unknown free parameter 'q'"):
        fit_qre(game, {"Status quo": 3}, free=["q"])
    with pytest.raises(ParameterError, match="both free and fixed"):
        fit_qre(game, {"Status quo": 3}, free=["p"], params={"p": "1/3"})
    with pytest.raises(CredibilityError, match="players' counts differ"):
        fit_qre(_bimatrix(), {"Row": {"R1": 3}, "Column": {"C1": 4}})
    with pytest.raises(CredibilityError, match="must be a whole number"):
        fit_qre(game, {"Status quo": 1.5})


# ---- command line -------------------------------------------------------------------------------


def test_cli_text_and_json(tmp_path):
    counts = {"Status quo": 1400, "Challenge > Hard > Resist": 280,
              "Challenge > Soft > Concede": 270, "Challenge > Hard > Concede": 25,
              "Challenge > Soft > Resist": 25}  # fmt: skip
    text = "outcome,count\n" + "".join(f"{k},{v}\n" for k, v in counts.items())
    path = _csv(tmp_path, text)
    result = CliRunner().invoke(cli, ["qre-fit", TREE, str(path)])
    assert result.exit_code == 0, result.output
    fit = fit_qre(cr.load(TREE), counts)
    assert result.stdout == fit_text(fit, "counts.csv") + "\n"
    assert "lambda    1.403  0.065" in result.stdout
    result = CliRunner().invoke(cli, ["qre-fit", TREE, str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"] == "maximum-likelihood"
    assert float(data["estimates"]["lambda"]) == pytest.approx(fit.estimates["lambda"])
    assert data["parameters"]["p"] == "1/2"
    assert len(data["profile"]) == 25 and data["converged"] is True


def test_cli_free_parameter_and_errors(tmp_path):
    path = _csv(tmp_path, "outcome,count\nStatus quo,30\nChallenge > Hard > Resist,10\n")
    result = CliRunner().invoke(cli, ["qre-fit", TREE, str(path), "--free", "p"])
    assert result.exit_code == 0, result.output
    assert "  p  " in result.stdout
    result = CliRunner().invoke(cli, ["qre-fit", TREE, str(path), "--free", "zz"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown free parameter 'zz' (declared parameters: p,")
    bad = _csv(tmp_path, "outcome,count\nStatus quo,x\n", "bad.csv")
    result = CliRunner().invoke(cli, ["qre-fit", TREE, str(bad)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {bad}: line 2, column 'count': expected a whole number >= 0, got 'x'\n"
    )


def test_cli_plot(tmp_path):
    pytest.importorskip("matplotlib")
    path = _csv(tmp_path, "outcome,count\nStatus quo,30\nChallenge > Hard > Resist,10\n")
    out = tmp_path / "profile.png"
    result = CliRunner().invoke(cli, ["qre-fit", TREE, str(path), "--plot", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"\x89PNG"


# ---- pygambit oracle ----------------------------------------------------------------------------


@pytest.mark.oracle
@pytest.mark.parametrize("lam, n", [(0.5, 500), (1.5, 2_000), (4.0, 1_000)])
def test_agrees_with_gambit_logit_estimate(gbt, lam, n):
    rng = np.random.default_rng(int(lam * 10) + n)
    counts, _ = _bimatrix_sample(rng, lam, n)
    ours = fit_qre(_bimatrix(), counts)
    game = gbt.Game.from_arrays(np.array(A2), np.array(B2))
    profile = game.mixed_strategy_profile(rational=False)
    for player, who in zip(game.players, ("Row", "Column")):
        for strategy, label in zip(
            player.strategies, ("R1", "R2") if who == "Row" else ("C1", "C2")
        ):
            profile[strategy] = counts[who][label]
    theirs = gbt.qre.logit_estimate(profile)
    assert ours.estimates["lambda"] == pytest.approx(theirs.lam, rel=1e-4)
    assert ours.log_likelihood == pytest.approx(theirs.log_like, rel=1e-8)
    assert math.isfinite(ours.log_likelihood)


def test_json_output_matches_the_schema(tmp_path):
    pytest.importorskip("jsonschema")
    from test_json_schema import _check

    path = _csv(tmp_path, "outcome,count\nStatus quo,30\nChallenge > Hard > Resist,10\n")
    for extra in ([], ["--free", "p"]):
        result = CliRunner().invoke(cli, ["qre-fit", TREE, str(path), "--format", "json", *extra])
        assert result.exit_code == 0, result.output
        _check(json.loads(result.stdout), "qre_fit")
    path = _csv(tmp_path, "outcome,count\nSwerve/Swerve,3\nStraight/Swerve,5\n", "chicken.csv")
    result = CliRunner().invoke(cli, ["qre-fit", "chicken", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    _check(json.loads(result.stdout), "qre_fit")
