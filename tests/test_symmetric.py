"""Symmetric n-player games (issue 15, item 2): model, file format, solver, thresholds, sweeps.

The textbook result tested is Diekmann's (1985, "Volunteer's dilemma", Journal of Conflict
Resolution 29(4), 605-610): with benefit b and cost c, the symmetric mixed equilibrium is
p* = 1 - (c/b)^(1/(n-1)) and the alliance answers (at least one volunteers) with probability
1 - (c/b)^(n/(n-1)), decreasing in n.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
import sympy

import credibility as cr
from credibility.errors import CredibilityError, GameFileError
from credibility.io.toml_loader import parse_toml
from credibility.io.toml_writer import format_toml
from credibility.models import NormalForm, SymmetricGame
from credibility.solvers.normal_nash import solve_normal
from credibility.solvers.symmetric import gain_polynomial, to_normal_form

F = Fraction

VOLUNTEER = cr.load("collective_defence_n")
ARTICLE5 = cr.load("article5_threshold")

HEADER = """
kind = "symmetric"
players = "n"
actions = ["Defend", "Abstain"]

[parameters.n]
default = 3
min = 2
max = 8
"""


def _game(body: str, header: str = HEADER) -> SymmetricGame:
    game = parse_toml(header + body, source="alliance.toml")
    assert isinstance(game, SymmetricGame)
    return game


# -- the textbook formulas, exactly ------------------------------------------------------


@pytest.mark.parametrize("n", [2, 12, 32])
@pytest.mark.parametrize(("b", "c"), [(4, 1), (5, 2), (3, 2)])
def test_volunteers_dilemma_matches_diekmann_exactly(n, b, c):
    solution = cr.solve(VOLUNTEER, {"n": n, "b": b, "c": c})
    assert solution.outcome == "mixed"
    (e,) = solution.equilibria
    ratio = sympy.Rational(c, b)
    p_star = 1 - ratio ** sympy.Rational(1, n - 1)
    answer = 1 - ratio ** sympy.Rational(n, n - 1)
    assert sympy.simplify(e.p - p_star) == 0
    assert sympy.simplify(e.answer - answer) == 0
    assert e.payoff == b - c  # a defender's payoff, which every member gets when indifferent
    # The algebraic roots of D(p) (isolating intervals, no radicals) are the closed form.
    d = [F(b - c) - (F(b) if k >= 1 else 0) for k in range(n)]
    roots = [r for r in sympy.real_roots(gain_polynomial(d)) if 0 < r < 1]
    assert len(roots) == 1
    assert abs(sympy.N(roots[0] - p_star, 50)) < sympy.Float("1e-45")
    # and the closed form in n, at this n
    symbols = {s.name: s for v in solution.closed_form.values() for s in v.free_symbols}
    form = {
        k: v.subs({symbols["n"]: n, symbols["b"]: b, symbols["c"]: c})
        for k, v in solution.closed_form.items()
    }
    assert sympy.simplify(form["p*"] - p_star) == 0
    assert sympy.simplify(form["answer"] - answer) == 0


def test_the_answering_probability_falls_as_the_alliance_grows():
    answers = [cr.solve(VOLUNTEER, {"n": n}).equilibria[0].answer for n in range(2, 33)]
    values = [float(a) for a in answers]
    assert all(x > y for x, y in itertools.pairwise(values))
    assert values[0] == 15 / 16  # n = 2, c/b = 1/4: 1 - (1/4)^2
    assert abs(values[-1] - (1 - 0.25 ** (32 / 31))) < 1e-12


def test_a_rational_root_is_reported_as_a_rational():
    (e,) = cr.solve(VOLUNTEER, {"n": 3, "b": 4, "c": 1}).equilibria
    assert e.p == sympy.Rational(1, 2) and e.answer == sympy.Rational(7, 8)


# -- every equilibrium verified by brute force -----------------------------------------------


def _brute_force(game, params):
    """Each action's expected payoff, summing over every profile of the others (2^(n-1))."""
    binding = game.bind(params)
    n = game.members(binding)
    first, second = game.payoff_values(binding)
    solution = cr.solve(game, params)
    for e in solution.equilibria:
        p = sympy.N(e.p, 60) if not e.p.is_Rational else e.p
        expected = [0, 0]
        for others in itertools.product((0, 1), repeat=n - 1):
            k = others.count(0)
            weight = p**k * (1 - p) ** (n - 1 - k)
            expected[0] += weight * sympy.Rational(first[k])
            expected[1] += weight * sympy.Rational(second[k])
        chance = sum(
            math.comb(n, j) * p**j * (1 - p) ** (n - j)
            for j in range(game.answer_count(binding), n + 1)
        )
        if e.pure:
            if e.p == 1:
                assert expected[0] >= expected[1]
                assert e.payoff == expected[0]
            else:
                assert expected[1] >= expected[0]
                assert e.payoff == expected[1]
            assert e.answer == chance
        else:
            assert 0 < p < 1
            assert abs(expected[0] - expected[1]) < sympy.Float("1e-40")
            assert abs(sympy.N(e.payoff, 60) - expected[1]) < sympy.Float("1e-40")
            assert abs(sympy.N(e.answer, 60) - chance) < sympy.Float("1e-40")
    return solution


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
@pytest.mark.parametrize(("b", "c"), [(4, 1), (2, 3), (1, 1)])
def test_volunteers_dilemma_equilibria_pass_the_brute_force_check(n, b, c):
    _brute_force(VOLUNTEER, {"n": n, "b": b, "c": c})


@pytest.mark.parametrize("n", [3, 4, 5, 6])
@pytest.mark.parametrize("m", [1, 2, 3])
@pytest.mark.parametrize(("b", "c"), [(10, 1), (3, 1), (2, 5)])
def test_threshold_equilibria_pass_the_brute_force_check(n, m, b, c):
    _brute_force(ARTICLE5, {"n": n, "m": m, "b": b, "c": c})


POLYNOMIAL = """
[payoffs.Defend]
base = "k**2 - 3*k + 1"

[payoffs.Abstain]
base = "2 - k"
steps = [{ at_least = 2, add = "-1/2" }]
"""


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_payoffs_polynomial_in_k_pass_the_brute_force_check(n):
    solution = _brute_force(_game(POLYNOMIAL), {"n": n})
    # every root of D in (0, 1) is listed: D changes sign between listed roots only
    poly = gain_polynomial(list(solution.differences))
    grid = [F(i, 2000) for i in range(1, 2000)]
    changes = sum(
        1
        for x, y in itertools.pairwise(grid)
        if (poly.eval(x) > 0) != (poly.eval(y) > 0) and poly.eval(y) != 0
    )
    assert len(solution.mixed) >= changes


# -- k-of-n games against the normal kind ------------------------------------------------------


def _normal(n: int, m: int, b: int, c: int) -> NormalForm:
    """The k-of-n threshold game written out profile by profile (independently of the kind)."""
    payoffs: list[list[int]] = [[] for _ in range(n)]
    for profile in itertools.product((0, 1), repeat=n):
        answered = profile.count(0) >= m
        for i, s in enumerate(profile):
            payoffs[i].append((b if answered else 0) - (c if s == 0 else 0))
    return NormalForm(
        tuple(f"M{i}" for i in range(n)),
        tuple(("Answer", "Abstain") for _ in range(n)),
        tuple(tuple(v) for v in payoffs),
    )


@pytest.mark.parametrize("n", [3, 4])
@pytest.mark.parametrize("m", [1, 2, 3])
@pytest.mark.parametrize(("b", "c"), [(10, 1), (1, 2), (3, 3)])
def test_symmetric_pure_profiles_match_the_normal_kind(n, m, b, c):
    params = {"n": n, "m": m, "b": b, "c": c}
    normal = solve_normal(_normal(n, m, b, c), mixed=False)
    symmetric_in_normal = {
        e.strategies[0] for e in normal.equilibria if len(set(e.strategies)) == 1
    }
    solution = cr.solve(ARTICLE5, params)
    assert {e.label.removeprefix("all ") for e in solution.equilibria if e.pure} == (
        symmetric_in_normal
    )
    # the kind's own strategic form is the same game
    built = to_normal_form(ARTICLE5, params)
    assert [list(map(Fraction, v)) for v in built.payoffs] == [
        list(map(Fraction, v)) for v in _normal(n, m, b, c).payoffs
    ]


def test_asymmetric_equilibria_are_said_to_be_left_out():
    solution = cr.solve(VOLUNTEER, {"n": 3})
    assert "asymmetric" in solution.note and "asymmetric" in str(solution)
    assert "not listed" in cr.render(solution, "json")
    # the normal kind lists the three profiles in which exactly one member defends
    pure = solve_normal(to_normal_form(VOLUNTEER, {"n": 3}), mixed=False).equilibria
    assert sorted(e.strategies.count("Defend") for e in pure) == [1, 1, 1]


# -- sweeps equal solve ------------------------------------------------------------------------


def test_sweep_rows_equal_solve():
    result = cr.sweep(VOLUNTEER, grid={"n": [2, 3, 12, 32], "c": [1, 2, 5]})
    columns = result.columns
    for i in range(result.points):
        params = {"n": int(columns["n"][i]), "c": F(columns["c"][i]).limit_denominator()}
        solution = cr.solve(VOLUNTEER, params)
        assert columns["outcome"][i] == solution.outcome
        assert columns["n_equilibria"][i] == len(solution.equilibria)
        if len(solution.mixed) == 1:
            assert columns["p_mixed"][i] == pytest.approx(float(solution.mixed[0].p), rel=1e-14)
            assert columns["p_answer"][i] == pytest.approx(
                float(solution.mixed[0].answer), rel=1e-14
            )
        else:
            assert math.isnan(columns["p_mixed"][i]) and math.isnan(columns["p_answer"][i])


def test_sweep_of_the_threshold_game_reports_no_single_mixed_equilibrium():
    result = cr.sweep(ARTICLE5, grid={"n": [3, 4, 12]})
    assert list(result.columns["outcome"]) == [
        "all Answer | mixed | all Abstain",
        "2 mixed | all Abstain",
        "2 mixed | all Abstain",
    ]
    assert result.columns["p_mixed"][0] == pytest.approx(math.sqrt(0.1))


# -- thresholds in n ---------------------------------------------------------------------------


def test_threshold_in_n_of_the_threshold_game():
    result = cr.thresholds(ARTICLE5, "n", {"m": 3, "b": 10, "c": 1})
    assert [t.value for t in result.thresholds] == [4]
    assert [r.outcome for r in result.regions] == [
        "all Answer | mixed | all Abstain",
        "2 mixed | all Abstain",
        "2 mixed | all Abstain",
    ]


def test_threshold_in_n_where_nothing_changes():
    result = cr.thresholds(VOLUNTEER, "n", {"b": 4, "c": 1})
    assert result.thresholds == () and [r.outcome for r in result.regions] == ["mixed"]


def test_threshold_in_n_where_defending_dominates_at_some_sizes():
    game = _game(
        """
[payoffs.Defend]
base = "3 - k"

[payoffs.Abstain]
base = 0
"""
    )
    # d(k) = 3 - k: all Defend while n - 1 <= 3; a mixed equilibrium from n = 5 on
    result = cr.thresholds(game, "n")
    assert [t.value for t in result.thresholds] == [5]
    assert result.regions[0].outcome == "all Defend"


def test_thresholds_unbound_are_refused():
    # Thresholds in another parameter, n bound: tests/test_symmetric_thresholds.py.
    with pytest.raises(CredibilityError, match="bind 'n' too"):
        cr.thresholds(VOLUNTEER, "c", {"b": 4})
    with pytest.raises(CredibilityError, match="bind b, c"):
        cr.thresholds(VOLUNTEER, "n")
    unbounded = _game(
        """
[payoffs.Defend]
base = 1

[payoffs.Abstain]
base = 0
""",
        HEADER.replace("max = 8\n", ""),
    )
    with pytest.raises(CredibilityError, match="needs a max of at most 64"):
        cr.thresholds(unbounded, "n")


# -- the file format and bad input -------------------------------------------------------------


def test_a_game_file_round_trips():
    for game in (VOLUNTEER, ARTICLE5, _game(POLYNOMIAL)):
        again = parse_toml(format_toml(game))
        assert isinstance(again, SymmetricGame)
        assert again.payoffs == game.payoffs and again.count == game.count
        assert again.answer_at_least == game.answer_at_least
        assert cr.solve(again).outcome == cr.solve(game).outcome


GOOD = """
[payoffs.Defend]
base = "b - c"

[payoffs.Abstain]
base = 0
steps = [{ at_least = 1, add = "b" }]
"""
PARAMS = """
[parameters.b]
default = 4

[parameters.c]
default = 1
"""


@pytest.mark.parametrize(
    ("header", "body", "message"),
    [
        (
            HEADER,
            GOOD.replace('[payoffs.Defend]\nbase = "b - c"\n', ""),
            "field 'payoffs': missing the payoff of the action 'Defend'",
        ),
        (
            HEADER,
            GOOD.replace("at_least = 1", 'at_least = "k"'),
            "field 'payoffs.Abstain.steps[0].at_least': 'k'",
        ),
        (
            HEADER,
            GOOD.replace('base = "b - c"', 'base = "b - c"\nbonus = 1'),
            "field 'payoffs.Defend.bonus': unknown key",
        ),
        (HEADER.replace("default = 3", 'default = "5/2"'), GOOD, "must be an integer, got 5/2"),
        (
            HEADER.replace("min = 2", "min = 1"),
            GOOD,
            "field 'parameters.n.min': the number of players 'n' needs min >= 2, got 1",
        ),
        (
            HEADER.replace('players = "n"', 'players = "size"'),
            GOOD,
            "field 'players': 'size' is not a parameter",
        ),
        (
            HEADER.replace('players = "n"', "players = 1"),
            GOOD,
            "field 'players': expected at least 2 players, got 1",
        ),
        (
            HEADER.replace('["Defend", "Abstain"]', '["Defend", "Abstain", "Wait"]'),
            GOOD,
            "field 'actions': expected two actions",
        ),
        (HEADER + "\n[parameters.k]\ndefault = 1\n", GOOD, "'k' is reserved"),
    ],
)
def test_bad_input_gets_one_clear_line(header, body, message):
    with pytest.raises(GameFileError) as caught:
        parse_toml(header + PARAMS + body, source="alliance.toml")
    text = str(caught.value)
    assert "\n" not in text
    assert "alliance.toml" in text
    assert message in text


def test_show_describes_the_game():
    from credibility.render.show import describe, describe_dict

    text = describe(ARTICLE5)
    assert "Players: n members, each choosing Answer or Abstain" in text
    assert "Answer: -c + (b if k >= m - 1)" in text
    data = describe_dict(ARTICLE5)
    assert data["count"] == "n" and data["answer_at_least"] == "m"
    assert data["payoffs"]["Abstain"]["steps"] == [{"at_least": "m", "add": "b"}]


def test_renderers_give_text_latex_and_html():
    assert "CRootOf(30*p**3 - 30*p**2 + 1, 1) ~ 0.2047" in cr.render(cr.solve(ARTICLE5, {"n": 4}))
    solution = cr.solve(ARTICLE5, {"n": 12})
    assert "CRootOf" not in cr.render(solution)  # long algebraic numbers show as decimals
    assert r"\begin{tabular}" in cr.render(solution, "latex")
    assert "<table>" in solution._repr_html_()
    assert cr.render(cr.solve(VOLUNTEER), "json").count('"closed_form"') == 1


def test_pictures_and_gambit_files_are_refused_in_one_line():
    from credibility.kinds import adapter_for

    adapter = adapter_for(VOLUNTEER)
    for call, message in (
        (lambda: adapter.game_layouts(VOLUNTEER, None), "picture is its payoff table"),
        (lambda: adapter.format_nfg(VOLUNTEER, None), "cannot be written as .nfg yet"),
        (
            lambda: cr.solve(VOLUNTEER, method="support"),
            "applies to bimatrix and normal-form games only",
        ),
        (lambda: cr.solve(VOLUNTEER, exact=False), "exact arithmetic only"),
    ):
        with pytest.raises(CredibilityError, match=message):
            call()
