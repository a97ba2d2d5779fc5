"""Games in strategic form with more than two players (issue 15, part 1): pure equilibria.

The model (:mod:`credibility.models.normal`), its file forms (TOML ``kind = "normal"`` and
Gambit ``.nfg`` of 3+ players), the vectorised best-response solver
(:mod:`credibility.solvers.pure_nash`) against a brute-force loop and against pygambit's
``enumpure_solve``, the renderers and the command line.
"""

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import credibility as cr
from cli import cli
from credibility.errors import GameFileError, GameTooLargeError
from credibility.io.gambit import parse_nfg
from credibility.io.gambit_normal import format_normal_nfg, parse_normal_nfg
from credibility.io.toml_loader import parse_toml
from credibility.models.normal import MAX_PROFILES, NormalForm
from credibility.solvers.pure_nash import integer_payoffs, pure_nash_profiles

F = Fraction


def volunteers_dilemma(n: int, benefit: object = 4, cost: object = 1) -> NormalForm:
    """Diekmann's volunteer's dilemma: strategy 0 volunteers (pays ``cost``), 1 abstains.

    Diekmann, A. (1985). Volunteer's dilemma. Journal of Conflict Resolution 29(4), 605-610:
    each of n players gets U (here ``benefit``) if at least one volunteers, the volunteers pay
    K (``cost``), and all get 0 if nobody does. For 0 < K < U the pure Nash equilibria are
    exactly the n profiles with a single volunteer.
    """
    b, c = F(benefit), F(cost)
    tensors = []
    for i in range(n):
        u = np.empty((2,) * n, dtype=object)
        for profile in itertools.product((0, 1), repeat=n):
            someone = 0 in profile
            u[profile] = (b - c) if profile[i] == 0 else (b if someone else F(0))
        tensors.append(u.tolist())
    return NormalForm.from_arrays(
        tensors,
        players=[f"Ally {i + 1}" for i in range(n)],
        strategies=[["Volunteer", "Abstain"]] * n,
        title="Volunteer's dilemma",
    )


def brute_force(tensors: list[np.ndarray]) -> list[tuple[int, ...]]:
    """Every pure Nash equilibrium by checking each profile against each deviation."""
    shape = tensors[0].shape
    found = []
    for profile in itertools.product(*(range(m) for m in shape)):
        stable = True
        for i, u in enumerate(tensors):
            for t in range(shape[i]):
                deviation = (*profile[:i], t, *profile[i + 1 :])
                if u[deviation] > u[profile]:
                    stable = False
        if stable:
            found.append(profile)
    return found


# -- known answers --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 4, 5])
def test_volunteers_dilemma_has_one_volunteer_equilibria(n):
    solution = cr.solve(volunteers_dilemma(n), mixed=False)
    assert [e.strategies.count("Volunteer") for e in solution.equilibria] == [1] * n
    assert sorted(e.profile.index(0) for e in solution.equilibria) == list(range(n))
    for e in solution.equilibria:
        assert sorted(e.payoffs) == [F(3)] + [F(4)] * (n - 1)
    assert solution.complete is False and "pure equilibria only" in solution.note


def test_volunteers_dilemma_costly_defence_leaves_nobody():
    solution = cr.solve(volunteers_dilemma(3, benefit=1, cost=2), mixed=False)
    assert [e.strategies for e in solution.equilibria] == [("Abstain",) * 3]


def test_catalog_model_matches_the_python_game():
    game = cr.load("volunteers_dilemma")
    assert game.kind == "normal" and game.shape == (2, 2, 2)
    ours = cr.solve(game, mixed=False)
    built = cr.solve(volunteers_dilemma(3), mixed=False)
    assert [e.profile for e in ours.equilibria] == [e.profile for e in built.equilibria]
    assert [e.payoffs for e in ours.equilibria] == [e.payoffs for e in built.equilibria]
    assert len(cr.solve(game, {"c": 5}, mixed=False).equilibria) == 1
    tie = cr.solve(game, {"c": 4}, mixed=False)  # c = b: defending alone is as good as nothing
    assert len(tie.equilibria) == 4


def test_ties_every_profile_is_an_equilibrium():
    zero = np.zeros((2, 3, 2), dtype=np.int64)
    assert len(pure_nash_profiles([zero, zero, zero])) == 12
    game = NormalForm.from_arrays([zero, zero, zero])
    assert len(cr.solve(game, mixed=False).equilibria) == 12


def test_large_magnitudes_stay_exact():
    big = 2**100
    u = [[[big, big + 1], [big, big]], [[big, big], [big, big]]]
    game = NormalForm.from_arrays([u, u, u])
    tensors = [integer_payoffs(v, game.shape) for v in game.numeric(game.bind())]
    assert tensors[0].dtype == object
    assert [e.profile for e in cr.solve(game, mixed=False).equilibria] == brute_force(
        [np.array(u, dtype=object)] * 3
    )
    assert (0, 0, 0) not in [e.profile for e in cr.solve(game, mixed=False).equilibria]
    # floats cannot tell big from big + 1: every profile ties
    assert len(cr.solve(game, exact=False).equilibria) == 8


def test_fractions_are_scaled_to_integers_exactly():
    third, half = F(1, 3), F(1, 2)
    u = [[[third, half], [half, third]], [[third, third], [third, third]]]
    game = NormalForm.from_arrays([u, u, u])
    solution = cr.solve(game, mixed=False)
    assert all(isinstance(v, Fraction) for e in solution.equilibria for v in e.payoffs)
    expected = brute_force([np.array(u, dtype=object)] * 3)
    assert [e.profile for e in solution.equilibria] == expected


@settings(max_examples=60, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple),
    seed=st.integers(0, 2**32 - 1),
    spread=st.sampled_from([1, 2, 5, 1000]),
)
def test_vectorised_matches_brute_force(shape, seed, spread):
    rng = np.random.default_rng(seed)
    tensors = [rng.integers(-spread, spread + 1, size=shape) for _ in shape]
    found = [tuple(int(k) for k in row) for row in pure_nash_profiles(tensors)]
    assert found == brute_force(tensors)
    game = NormalForm.from_arrays(tensors)
    assert [e.profile for e in cr.solve(game, mixed=False).equilibria] == found


def test_parameters_in_from_arrays():
    c = cr.Parameter("c", F(1), F(0))
    u = [[[1, "c"], [0, 0]], [[0, 0], [0, 0]]]
    game = NormalForm.from_arrays([u, u, u], parameters=[c])
    assert cr.solve(game).to_dict()["parameters"] == {"c": "1"}
    found = {e.profile: e.payoffs for e in cr.solve(game, {"c": "5/2"}, mixed=False).equilibria}
    assert found[(0, 0, 1)] == (F(5, 2),) * 3 and (0, 0, 0) not in found


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrays", "fragment"),
    [
        pytest.param([[[1, 2], [3, 4]]], "at least two", id="one-tensor"),
        pytest.param([[[1, 2], [3, 4]], [[1, 2], [3]]], "expected 2 entries", id="ragged"),
        pytest.param([[[[1]]], [[1]]], "deeper than 2-D", id="too-deep"),
        pytest.param([[1, 2], [1, 2]], "expected a 2-D tensor", id="too-flat"),
        pytest.param([np.zeros((2, 2)), np.zeros((2, 3))], "shape (2, 2)", id="wrong-shape"),
        pytest.param([np.zeros((2, 0)), np.zeros((2, 0))], "no strategy", id="no-strategy"),
        pytest.param([[[]], [[]]], "no strategy", id="empty-list"),
    ],
)
def test_from_arrays_rejects(arrays, fragment):
    with pytest.raises(GameFileError) as info:
        NormalForm.from_arrays(arrays)
    assert fragment in str(info.value)


def test_too_large_is_refused_before_allocating():
    labels = tuple(f"s{k}" for k in range(300))
    with pytest.raises(GameTooLargeError, match="more than the limit of 16,777,216"):
        NormalForm(("a", "b", "c"), (labels, labels, labels), ((), (), ()))
    assert MAX_PROFILES == 2**24


def test_wrong_strategy_labels_and_players():
    u = [[1, 2], [3, 4]]
    with pytest.raises(GameFileError, match="strategy labels for the shape"):
        NormalForm.from_arrays([u, u], strategies=[["a"], ["b", "c"]])
    with pytest.raises(GameFileError, match="2 player names"):
        NormalForm.from_arrays([u, u], players=["a", "b", "c"])
    with pytest.raises(GameFileError, match="distinct player names"):
        NormalForm.from_arrays([u, u], players=["a", "a"])


# -- TOML -----------------------------------------------------------------------------------

TENSOR = """
kind = "normal"
players = ["A", "B", "C"]
[parameters.c]
default = 1
[strategies]
A = ["x", "y"]
B = ["x", "y"]
C = ["x"]
[payoffs]
A = [[[1], [0]], [[0], ["c"]]]
B = [[[1], [0]], [[0], ["c"]]]
C = [[[1], [0]], [[0], ["c"]]]
"""

OUTCOMES = """
kind = "normal"
players = ["A", "B", "C"]
[parameters.c]
default = 1
[strategies]
A = ["x", "y"]
B = ["x", "y"]
C = ["x"]
[[outcomes]]
profile = ["x", "x", "x"]
payoffs = [1, 1, 1]
[[outcomes]]
profile = ["y", "y", "x"]
payoffs = ["c", "c", "c"]
[[outcomes]]
profile = ["x", "y", "x"]
payoffs = [0, 0, 0]
[[outcomes]]
profile = ["y", "x", "x"]
payoffs = [0, 0, 0]
"""


def test_both_toml_forms_give_the_same_game():
    a, b = parse_toml(TENSOR), parse_toml(OUTCOMES)
    assert a.shape == b.shape == (2, 2, 1)
    assert [[str(x) for x in row] for row in a.payoffs] == [
        [str(x) for x in row] for row in b.payoffs
    ]
    assert cr.solve(a, mixed=False).outcome == "x/x/x | y/y/x"


@pytest.mark.parametrize(
    ("old", "new", "field", "fragment"),
    [
        pytest.param('players = ["A", "B", "C"]', 'players = ["A"]', "players", "two or more"),
        pytest.param('C = ["x"]', "C = []", "strategies.C", "at least one strategy"),
        pytest.param('C = ["x"]', 'D = ["x"]', "strategies.D", "unknown key"),
        pytest.param(
            'A = [[[1], [0]], [[0], ["c"]]]',
            'A = [[1, 0], [0, "c"]]',
            "payoffs.A[0][0]",
            "expected 1 entries along level 3",
        ),
        pytest.param(
            'A = [[[1], [0]], [[0], ["c"]]]',
            "A = [[[1], [0]], [[0], [[1]]]]",
            "payoffs.A[1][1][0]",
            "deeper",
        ),
        pytest.param(
            'A = [[[1], [0]], [[0], ["c"]]]',
            'A = [[[1], [0]], [[0], ["d"]]]',
            "payoffs.A[1][1][0]",
            "unknown",
        ),
        pytest.param(
            'C = ["x"]',
            "C = [" + ", ".join(f'"s{k}"' for k in range(5000)) + "]",
            "strategies",
            "more than the limit",
        ),
    ],
)
def test_toml_errors(old, new, field, fragment):
    text = TENSOR.replace(old, new)
    if 'C = ["s0"' in text:
        text = text.replace(
            'A = ["x", "y"]', "A = [" + ", ".join(f'"a{k}"' for k in range(5000)) + "]"
        )
    with pytest.raises(cr.CredibilityError) as info:
        parse_toml(text, source="g.toml")
    assert getattr(info.value, "field", None) == field, str(info.value)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        pytest.param(
            lambda t: t.replace('profile = ["y", "x", "x"]', 'profile = ["x", "x", "x"]'),
            "given twice",
            id="twice",
        ),
        pytest.param(
            lambda t: t.rsplit("[[outcomes]]", 1)[0],
            "missing the profile ['y', 'x', 'x']",
            id="missing",
        ),
        pytest.param(
            lambda t: t.replace('payoffs = ["c", "c", "c"]', 'payoffs = ["c", "c"]'),
            "3 payoffs",
            id="short",
        ),
        pytest.param(
            lambda t: t.replace('profile = ["y", "y", "x"]', 'profile = ["y", "z", "x"]'),
            "strategies of 'B'",
            id="label",
        ),
        pytest.param(lambda t: t + "[payoffs]\nA = 1\n", "exactly one of", id="both"),
    ],
)
def test_toml_outcome_errors(edit, fragment):
    with pytest.raises(GameFileError) as info:
        parse_toml(edit(OUTCOMES))
    assert fragment in str(info.value)


# -- Gambit .nfg ----------------------------------------------------------------------------

PAYOFF_FORM = """NFG 1 R "Three" { "P1" "P2" "P3" } { { "a" "b" } { "c" "d" } { "e" "f" } }
""
1 1 1  0 0 0  0 0 0  0 0 0  0 0 0  0 0 0  0 0 0  2 2 2
"""

OUTCOME_FORM = """NFG 1 R "Three" { "P1" "P2" "P3" } { 2 2 2 }
{ { "win" 1, 1, 1 } { "big" 2 2 2 } }
1 0 0 0 0 0 0 2
"""


def test_nfg_three_players_both_forms():
    payoff, outcome = parse_nfg(PAYOFF_FORM), parse_nfg(OUTCOME_FORM)
    assert payoff.kind == outcome.kind == "normal"
    assert payoff.payoffs == outcome.payoffs
    assert outcome.strategies == (("S1", "S2"),) * 3
    assert cr.solve(payoff, mixed=False).outcome == "a/c/e | b/d/f"


def test_nfg_profile_order_is_first_player_fastest():
    text = 'NFG 1 R "" { "A" "B" "C" } { 2 1 2 }\n' + " ".join(str(k) for k in range(12))
    game = parse_nfg(text)
    # Gambit's profile k = s_A + 2 * s_C holds payoffs 3k, 3k + 1, 3k + 2
    assert game.payoff("A", (1, 0, 0)) == 3 and game.payoff("C", (0, 0, 1)) == 8


def test_nfg_round_trip():
    game = volunteers_dilemma(4)
    back = parse_normal_nfg(format_normal_nfg(game))
    assert back.payoffs == game.payoffs and back.strategies == game.strategies


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param('NFG 1 R "" { "a" "b" "c" } { 2 2 } 0', "strategies for 3 players", id="few"),
        pytest.param('NFG 1 R "" { "a" "b" "c" } { 1 1 1 } 0 0', "expected 3 payoffs", id="short"),
        pytest.param('NFG 1 R "" { "a" "b" "c" } { 99 99 99 } 0', "whole file has", id="huge"),
        pytest.param(
            'NFG 1 R "" { "a" "b" "c" } { 1 1 1 } { { "" 1 2 } } 1',
            "expected 3 payoffs in outcome",
            id="outcome",
        ),
        pytest.param('NFG 1 R "" { "a" } { 1 } 0', "two or more players", id="one"),
    ],
)
def test_nfg_errors(text, fragment):
    with pytest.raises(GameFileError) as info:
        parse_nfg(text)
    assert fragment in str(info.value)


# -- rendering and JSON -----------------------------------------------------------------


def test_to_dict_and_renderers():
    solution = cr.solve(cr.load("volunteers_dilemma"), mixed=False)
    data = json.loads(cr.render(solution, "json"))
    assert data["kind"] == "normal" and data["complete"] is False
    assert data["note"].startswith("pure equilibria only")
    assert data["equilibria"][0] == {
        "profile": {"Ally 1": "Defend", "Ally 2": "Abstain", "Ally 3": "Abstain"},
        "payoffs": {"Ally 1": "3", "Ally 2": "4", "Ally 3": "4"},
        "pure": True,
    }
    text = cr.render(solution)
    assert "  1  Defend / Abstain / Abstain  ->  3, 4, 4" in text
    assert "Pure equilibria only" in text
    assert r"\begin{tabular}{rllllll}" in cr.render(solution, "latex")


def test_no_pure_equilibrium_is_said():
    # matching pennies for A and B; C is a dummy
    u_a = [[[1], [-1]], [[-1], [1]]]
    u_b = [[[-1], [1]], [[1], [-1]]]
    zero = [[[0], [0]], [[0], [0]]]
    solution = cr.solve(NormalForm.from_arrays([u_a, u_b, zero]), mixed=False)
    assert solution.equilibria == () and solution.outcome == "no pure equilibrium"
    assert "No pure equilibrium." in cr.render(solution)


# -- command line ---------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path):
    toml_file = tmp_path / "three.toml"
    toml_file.write_text(OUTCOMES)
    nfg_file = tmp_path / "three.nfg"
    nfg_file.write_text(PAYOFF_FORM)
    return tmp_path, toml_file, nfg_file


def test_cli_solve_toml_and_nfg(files):
    _, toml_file, nfg_file = files
    runner = CliRunner()
    result = runner.invoke(cli, ["solve", str(toml_file), "--pure-only"])
    assert result.exit_code == 0, result.output
    assert "2 pure Nash equilibria" in result.output
    assert "  1  x / x / x  ->  1, 1, 1" in result.output
    result = runner.invoke(cli, ["solve", str(nfg_file), "--pure-only", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [e["profile"]["P3"] for e in json.loads(result.output)["equilibria"]] == ["e", "f"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["convert", "volunteers_dilemma", "{tmp}/x.efg"],
            "cannot be written as .efg yet",
            id="convert-efg",
        ),
    ],
)
def test_cli_unsupported_commands_say_so_in_one_line(files, args, message):
    tmp = files[0]
    result = CliRunner().invoke(cli, [a.replace("{tmp}", str(tmp)) for a in args])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1


def test_cli_show_and_convert_nfg(files):
    tmp = files[0]
    runner = CliRunner()
    result = runner.invoke(cli, ["show", "volunteers_dilemma"])
    assert result.exit_code == 0, result.output
    assert "Abstain / Abstain / Abstain  ->  0, 0, 0" in result.output
    result = runner.invoke(cli, ["convert", "volunteers_dilemma", str(tmp / "v.nfg")])
    assert result.exit_code == 0, result.output
    assert (
        cr.solve(cr.load(tmp / "v.nfg"), mixed=False).outcome
        == cr.solve(cr.load("volunteers_dilemma"), mixed=False).outcome
    )
    result = runner.invoke(
        cli, ["convert", "volunteers_dilemma", str(tmp / "volunteers_dilemma.toml")]
    )
    assert result.exit_code == 0, result.output
    assert cr.load(tmp / "volunteers_dilemma.toml") == cr.load("volunteers_dilemma")


def test_toml_round_trip_of_a_python_game(tmp_path):
    from credibility.io.loader import write_game

    c = cr.Parameter("c", F(1), F(0))
    u = [[[1, "c/2"], [0, F(-1, 3)]], [[0, 0], [0, 2**70]]]
    game = NormalForm.from_arrays([u, u, u], parameters=[c], players=["a b", "c", "d"])
    back = cr.load(write_game(game, tmp_path / "g.toml"))
    assert back.payoffs == game.payoffs and back.players == game.players


# -- oracle: pygambit's enumpure_solve ------------------------------------------------------


def gambit_pure(gbt, tensors: list[np.ndarray]) -> list[tuple[int, ...]]:
    """The pure equilibria by ``pygambit.nash.enumpure_solve``, as sorted index profiles."""
    game = gbt.Game.from_arrays(*[t.astype(object) for t in tensors])
    found = []
    for profile in gbt.nash.enumpure_solve(game).equilibria:
        found.append(
            tuple(
                next(k for k, s in enumerate(player.strategies) if profile[s] == 1)
                for player in game.players
            )
        )
    return sorted(found)


@pytest.mark.oracle
@settings(max_examples=40, deadline=None)
@given(
    shape=st.one_of(
        st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)),
        st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)),
    ),
    seed=st.integers(0, 2**32 - 1),
    spread=st.sampled_from([1, 3, 100]),
)
def test_oracle_pure_equilibria_match_gambit(gbt, shape, seed, spread):
    rng = np.random.default_rng(seed)
    tensors = [rng.integers(-spread, spread + 1, size=shape) for _ in shape]
    ours = [e.profile for e in cr.solve(NormalForm.from_arrays(tensors), mixed=False).equilibria]
    assert ours == gambit_pure(gbt, tensors)
