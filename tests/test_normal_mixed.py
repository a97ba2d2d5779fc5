"""Mixed equilibria of games in strategic form with any number of players (issue 15).

What ``cr.solve`` does with a normal-form game (:mod:`credibility.solvers.normal_nash`): every
equilibrium of a small game exactly, pure ones only when asked or when the game is large, and
one equilibrium by the logit method with its exact deviation gain. Each mixed equilibrium is
checked here independently of the solver: rational ones with
:func:`credibility.solvers.deviation_gain.deviation_gain`, algebraic ones at 50 digits.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
import sympy
from click.testing import CliRunner

import credibility as cr
from cli import cli
from credibility.errors import CredibilityError
from credibility.models.normal import NormalForm
from credibility.solvers.deviation_gain import deviation_gain
from credibility.solvers.normal_nash import MixedProfile, solve_normal
from credibility.solvers.pure_nash import PureEquilibrium, integer_payoffs

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "docs" / "json-output.schema.json").read_text()
)


def _gain_at_high_precision(game: NormalForm, e: MixedProfile, params=None) -> float:
    """The largest deviation gain of ``e``, its probabilities evaluated to 50 digits."""
    values = game.numeric(game.bind(params))
    probabilities = [[sympy.N(x, 50) for x in p] for p in e.probabilities]
    gain = sympy.Integer(0)
    for i, row in enumerate(values):
        payoffs = [sympy.Integer(0)] * game.shape[i]
        mean = sympy.Integer(0)
        for position, cell in enumerate(itertools.product(*(range(m) for m in game.shape))):
            weight = sympy.Integer(1)
            for j, k in enumerate(cell):
                if j != i:
                    weight *= probabilities[j][k]
            u = sympy.Rational(row[position].numerator, row[position].denominator)
            payoffs[cell[i]] += weight * u
            mean += weight * probabilities[i][cell[i]] * u
        gain = max(gain, max(payoffs) - mean)
    return float(gain)


def _volunteers(n: int, benefit: int, cost: int) -> NormalForm:
    """Diekmann (1985), as in tests/test_normal_form.py: 0 volunteers, 1 abstains."""
    tensors = []
    for i in range(n):
        u = np.empty((2,) * n, dtype=object)
        for profile in itertools.product((0, 1), repeat=n):
            u[profile] = benefit - cost if profile[i] == 0 else (benefit if 0 in profile else 0)
        tensors.append(u.tolist())
    return NormalForm.from_arrays(tensors, strategies=[["Volunteer", "Abstain"]] * n)


# -- every equilibrium, exactly --------------------------------------------------------------


def test_volunteers_dilemma_has_seven_equilibria():
    # Diekmann (1985): n = 3 players, benefit b = 4, cost c = 1. Pure: one volunteer (3).
    # Two mix and one abstains: each mixer volunteers with p = 1 - c/b = 3/4 (3 such).
    # All mix: (1 - p)**2 = c/b, p = 1/2 (1 such).
    solution = cr.solve(cr.load("volunteers_dilemma"))
    assert solution.method == "support enumeration" and solution.complete
    pure = [e for e in solution.equilibria if isinstance(e, PureEquilibrium)]
    mixed = [e for e in solution.equilibria if isinstance(e, MixedProfile)]
    assert len(pure) == 3 and len(mixed) == 4
    defend = sorted(tuple(sorted(p[0] for p in e.probabilities)) for e in mixed)
    assert defend == [(F(0), F(3, 4), F(3, 4))] * 3 + [(F(1, 2), F(1, 2), F(1, 2))]
    everyone = mixed[-1]
    assert everyone.label() == "mixed"
    assert [p[0] for p in everyone.probabilities] == [F(1, 2)] * 3
    game = cr.load("volunteers_dilemma")
    integers = [integer_payoffs(v, game.shape) for v in game.numeric(game.bind())]
    for e in mixed:
        assert deviation_gain(integers, e.probabilities) == 0


@pytest.mark.parametrize("n", [3, 4])
def test_volunteers_dilemma_symmetric_mixing_is_diekmanns(n):
    # Diekmann (1985): the symmetric equilibrium volunteers with p = 1 - (c/b)**(1/(n-1)).
    solution = solve_normal(_volunteers(n, 3, 1))
    symmetric = [
        e for e in solution.equilibria if isinstance(e, MixedProfile) and e.label() == "mixed"
    ]
    assert len(symmetric) == 1
    expected = 1 - sympy.Rational(1, 3) ** sympy.Rational(1, n - 1)
    for p in symmetric[0].probabilities:
        assert sympy.simplify(sympy.sympify(p[0]) - expected) == 0
    assert _gain_at_high_precision(_volunteers(n, 3, 1), symmetric[0]) < 1e-40


def test_irrational_equilibrium_is_exact_and_verified():
    # A three-player stag hunt: all get 1 at S1/S1/S1, 2 at S2/S2/S2, else 0. Indifference
    # p**2 = 2 (1 - p)**2 gives p = 2 - sqrt(2), irrational.
    u = [[[1, 0], [0, 0]], [[0, 0], [0, 2]]]
    game = NormalForm.from_arrays([u, u, u])
    solution = solve_normal(game)
    assert solution.complete
    (mixed,) = [e for e in solution.equilibria if isinstance(e, MixedProfile)]
    assert sympy.simplify(mixed.probabilities[0][0] - (2 - sympy.sqrt(2))) == 0
    assert abs(mixed.approx[0][0] - (2 - 2**0.5)) < 1e-15
    assert _gain_at_high_precision(game, mixed) < 1e-40
    text = cr.render(solution)
    assert "2 - sqrt(2) (about 0.585786)" in text


def test_pure_only_and_large_games():
    game = cr.load("volunteers_dilemma")
    pure = cr.solve(game, mixed=False)
    assert pure.method == "pure best response" and not pure.complete
    assert "--pure-only" in pure.note and len(pure.equilibria) == 3
    rng = np.random.default_rng(5)
    big = NormalForm.from_arrays([rng.integers(-3, 4, size=(4, 4, 4)).tolist() for _ in range(3)])
    solution = cr.solve(big)  # 15**3 support profiles: more than the default
    assert solution.method == "pure best response"
    assert "3,375 support profiles" in solution.note and "--mixed" in solution.note
    floats = cr.solve(game, exact=False)
    assert floats.method == "pure best response" and "--float" in floats.note


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"method": "support"}, "is not a method for normal-form games: expected 'logit'"),
        ({"method": "logit", "mixed": True}, "give method='logit' or mixed=, not both"),
        ({"mixed": True, "exact": False}, "needs exact arithmetic"),
    ],
)
def test_bad_options_are_refused(kwargs, fragment):
    with pytest.raises(CredibilityError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        cr.solve(cr.load("volunteers_dilemma"), **kwargs)


# -- one equilibrium by the logit method -------------------------------------------------------


def test_logit_snaps_to_an_exact_rational_equilibrium():
    solution = cr.solve(cr.load("volunteers_dilemma"), method="logit")
    assert solution.method == "logit" and not solution.complete
    mixed = [e for e in solution.equilibria if isinstance(e, MixedProfile)]
    assert len(mixed) <= 1
    for e in mixed:
        assert e.epsilon == 0  # the limit is rational here: snapped and verified exactly
        game = cr.load("volunteers_dilemma")
        integers = [integer_payoffs(v, game.shape) for v in game.numeric(game.bind())]
        assert deviation_gain(integers, e.probabilities) == 0


def test_logit_epsilon_is_the_exact_gain_of_the_reported_profile():
    rng = np.random.default_rng(11)
    shape = (5, 5, 5)  # 31**3 support profiles: beyond support enumeration's default
    tensors = [rng.integers(-9, 10, size=shape) for _ in range(3)]
    game = NormalForm.from_arrays([t.tolist() for t in tensors])
    solution = cr.solve(game, method="logit")
    mixed = [e for e in solution.equilibria if isinstance(e, MixedProfile)]
    pure = [e for e in solution.equilibria if isinstance(e, PureEquilibrium)]
    assert len(pure) == len(cr.solve(game, mixed=False).equilibria)
    for e in mixed:
        assert e.epsilon == deviation_gain(tensors, e.probabilities)  # payoffs are integers
        assert e.epsilon < F(1, 10**6)
        assert all(sum(p) == 1 and min(p) >= 0 for p in e.probabilities)


# -- command line and JSON ------------------------------------------------------------------


def _schema_check(data: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(
        {"$ref": "#/$defs/solve_normal", "$defs": SCHEMA["$defs"]}
    ).validate(data)


@pytest.mark.parametrize("extra", [[], ["--pure-only"], ["--method", "logit"], ["--mixed"]])
def test_cli_json_validates(extra):
    result = CliRunner().invoke(cli, ["solve", "volunteers_dilemma", *extra, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    _schema_check(data)
    if extra != ["--pure-only"]:
        assert any(e["pure"] is False for e in data["equilibria"])


def test_cli_text_and_options():
    runner = CliRunner()
    result = runner.invoke(cli, ["solve", "volunteers_dilemma", "--param", "c=2", "--explain"])
    assert result.exit_code == 0, result.output
    assert "7 Nash equilibria" in result.output
    assert "Defend 1 - sqrt(2)/2 (about 0.292893)" in result.output
    assert "Groebner bases" in result.output
    result = runner.invoke(cli, ["solve", "volunteers_dilemma", "--method", "logit"])
    assert result.exit_code == 0, result.output
    assert "epsilon = 0: an exact equilibrium" in result.output
    result = runner.invoke(cli, ["solve", "volunteers_dilemma", "--mixed", "--pure-only"])
    assert result.exit_code == 2 and "not both" in result.output
    result = runner.invoke(cli, ["solve", "volunteers_dilemma", "--float", "--mixed"])
    assert result.exit_code == 1
    assert "--mixed solves polynomial systems exactly" in result.output
    assert "--method logit finds" in result.output and "mixed=True" not in result.output
    result = runner.invoke(cli, ["solve", "chicken", "--mixed"])
    assert result.exit_code == 1 and "signalling and normal-form games only" in result.output
    assert "Traceback" not in result.output


def test_default_enumeration_has_a_budget_and_keeps_the_pure_equilibria(monkeypatch):
    from credibility.solvers import normal_nash

    monkeypatch.setattr(normal_nash, "DEFAULT_SECONDS", 0.0)
    game = cr.load("volunteers_dilemma")
    stopped = cr.solve(game)
    assert stopped.method == "support enumeration" and not stopped.complete
    assert "stopped after 0 s, with 0 of 27 support profiles examined" in stopped.note
    assert stopped.equilibria == cr.solve(game, mixed=False).equilibria  # every pure one
    assert len(cr.solve(game, mixed=True).equilibria) == 7  # mixed=True has no limit


@pytest.mark.parametrize("exponent", [-200, 200, 400])
def test_logit_method_at_every_payoff_scale(exponent):
    # At payoffs of 1e200 the branch used to be traced on overflowing floats and the method
    # reported a non-equilibrium (with its large epsilon); 1e400 raised OverflowError.
    rng = np.random.default_rng(5)
    base = [rng.integers(-9, 10, size=(2, 2, 2)) for _ in range(3)]
    s = F(10) ** exponent
    game = NormalForm.from_arrays([(t.astype(object) * s).tolist() for t in base])
    reference = cr.solve(NormalForm.from_arrays([t.tolist() for t in base]), method="logit")
    solution = cr.solve(game, method="logit")
    assert solution.outcome == reference.outcome
    for e in solution.equilibria:
        if isinstance(e, MixedProfile):
            assert e.epsilon / s < F(1, 10**9)


def test_an_epsilon_equilibrium_is_labelled_approximately():
    args = (((F(1), F(0)), (F(0), F(1))), (F(1), F(1)), ((1.0, 0.0), (0.0, 1.0)))
    names = (("A", "B"), ("a", "b"))
    near = MixedProfile(*args, F(1, 10), ("P1", "P2"), names)
    exact = MixedProfile(*args, F(0), ("P1", "P2"), names)
    assert (near.label(), exact.label()) == ("approximately A/b", "A/b")
