"""Exact enumeration of extreme equilibria: textbook games, invariances, and pygambit."""

import random
from fractions import Fraction

import pytest
from gambit_oracle import gambit_extreme_equilibria
from hypothesis import given, settings
from hypothesis import strategies as st

from credibility.errors import GameTooLargeError
from credibility.solvers.enumeration import enumerate_extreme_equilibria
from credibility.solvers.nash import is_equilibrium

F = Fraction


def matrix(rows):
    return [[F(x) for x in row] for row in rows]


def solve(A, B):
    return enumerate_extreme_equilibria(matrix(A), matrix(B))


def profiles(result):
    return {(e.row, e.column) for e in result.equilibria}


def components(result):
    groups = {}
    for e in result.equilibria:
        groups.setdefault(e.component, set()).add((e.row, e.column))
    return sorted(map(frozenset, groups.values()), key=sorted)


def vec(*values):
    return tuple(F(v) for v in values)


KNOWN = [
    pytest.param(
        # von Stengel (2007), "Equilibrium computation for two-player games in strategic and
        # extensive form", Algorithmic Game Theory ch. 3, eq. (3.3): three equilibria.
        [[3, 3], [2, 5], [0, 6]],
        [[3, 2], [2, 6], [3, 1]],
        {
            (vec(1, 0, 0), vec(1, 0)),
            (vec(F(4, 5), F(1, 5), 0), vec(F(2, 3), F(1, 3))),
            (vec(0, F(1, 3), F(2, 3)), vec(F(1, 3), F(2, 3))),
        },
        False,
        id="von-stengel-3x2",
    ),
    pytest.param(
        # von Stengel (2007), section 3.4: the degenerate variant (B[0][1] = 3). The pure
        # strategy x = (1, 0, 0) has two best responses; a component joins (1,0) to (2/3,1/3).
        [[3, 3], [2, 5], [0, 6]],
        [[3, 3], [2, 6], [3, 1]],
        {
            (vec(1, 0, 0), vec(1, 0)),
            (vec(1, 0, 0), vec(F(2, 3), F(1, 3))),
            (vec(0, F(1, 3), F(2, 3)), vec(F(1, 3), F(2, 3))),
        },
        True,
        id="von-stengel-degenerate",
    ),
    pytest.param(
        # Chicken (Schelling 1966; Dixit, Skeath & McAdams, Games of Strategy, ch. 4) with a
        # crash cost of 5: two pure equilibria and a mixed one at 4/5.
        [[0, -1], [1, -5]],
        [[0, 1], [-1, -5]],
        {
            (vec(1, 0), vec(0, 1)),
            (vec(0, 1), vec(1, 0)),
            (vec(F(4, 5), F(1, 5)), vec(F(4, 5), F(1, 5))),
        },
        False,
        id="chicken",
    ),
    pytest.param(
        # Matching pennies (von Neumann & Morgenstern 1944): the unique equilibrium mixes 1/2.
        [[1, -1], [-1, 1]],
        [[-1, 1], [1, -1]],
        {(vec(F(1, 2), F(1, 2)), vec(F(1, 2), F(1, 2)))},
        False,
        id="matching-pennies",
    ),
    pytest.param(
        # Battle of the sexes (Luce & Raiffa 1957, Games and Decisions, ch. 5).
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        {
            (vec(1, 0), vec(1, 0)),
            (vec(0, 1), vec(0, 1)),
            (vec(F(2, 3), F(1, 3)), vec(F(1, 3), F(2, 3))),
        },
        False,
        id="battle-of-the-sexes",
    ),
    pytest.param(
        # Prisoner's dilemma (Tucker 1950; Axelrod 1984 payoffs): defection is dominant.
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        {(vec(0, 1), vec(0, 1))},
        False,
        id="prisoners-dilemma",
    ),
    pytest.param(
        # Rock-paper-scissors: the unique equilibrium is uniform.
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        {(vec(F(1, 3), F(1, 3), F(1, 3)), vec(F(1, 3), F(1, 3), F(1, 3)))},
        False,
        id="rock-paper-scissors",
    ),
    pytest.param(
        # Selten (1978), the chain-store game in strategic form: (In, Accommodate) and a
        # component where the entrant stays Out and the incumbent fights with probability >= 1/2.
        [[0, 0], [-1, 1]],
        [[4, 4], [-1, 1]],
        {
            (vec(0, 1), vec(0, 1)),
            (vec(1, 0), vec(1, 0)),
            (vec(1, 0), vec(F(1, 2), F(1, 2))),
        },
        True,
        id="selten-entry-deterrence",
    ),
    pytest.param(
        # A game of pure indifference: every profile is an equilibrium; the extreme ones are the
        # four pure profiles, all in one component.
        [[0, 0], [0, 0]],
        [[0, 0], [0, 0]],
        {
            (vec(1, 0), vec(1, 0)),
            (vec(1, 0), vec(0, 1)),
            (vec(0, 1), vec(1, 0)),
            (vec(0, 1), vec(0, 1)),
        },
        True,
        id="all-zero",
    ),
    pytest.param([[7]], [[-2]], {(vec(1), vec(1))}, False, id="one-by-one"),
    pytest.param(
        # One row: the column player's two best responses span a component.
        [[1, 2, 0]],
        [[0, 5, 5]],
        {(vec(1), vec(0, 1, 0)), (vec(1), vec(0, 0, 1))},
        True,
        id="one-row-degenerate",
    ),
    pytest.param(
        # Shapley (1964) 3x3 game: the unique equilibrium is uniform.
        [[0, 1, 2], [2, 0, 1], [1, 2, 0]],
        [[0, 2, 1], [1, 0, 2], [2, 1, 0]],
        {(vec(F(1, 3), F(1, 3), F(1, 3)), vec(F(1, 3), F(1, 3), F(1, 3)))},
        False,
        id="shapley",
    ),
]


@pytest.mark.parametrize(("A", "B", "expected", "degenerate"), KNOWN)
def test_textbook_games(A, B, expected, degenerate):
    result = solve(A, B)
    assert profiles(result) == expected
    assert len(result.equilibria) == len(expected)
    assert result.degenerate is degenerate
    for e in result.equilibria:
        assert is_equilibrium(matrix(A), matrix(B), e.row, e.column)


def test_components_of_degenerate_games():
    entry = solve([[0, 0], [-1, 1]], [[4, 4], [-1, 1]])
    assert components(entry) == [
        frozenset({(vec(0, 1), vec(0, 1))}),
        frozenset({(vec(1, 0), vec(1, 0)), (vec(1, 0), vec(F(1, 2), F(1, 2)))}),
    ]
    assert len(components(solve([[0, 0], [0, 0]], [[0, 0], [0, 0]]))) == 1


def test_fractional_payoffs_are_exact():
    # Chicken with fractional payoffs; indifference: -1/3 (1 - q) = q/7 - 5/2 (1 - q), q = 91/97.
    A = [[F(0), F(-1, 3)], [F(1, 7), F(-5, 2)]]
    B = [[F(0), F(1, 7)], [F(-1, 3), F(-5, 2)]]
    result = enumerate_extreme_equilibria(A, B)
    mixed = [e for e in result.equilibria if 0 < e.row[0] < 1]
    assert [(e.row, e.column) for e in mixed] == [(vec(F(91, 97), F(6, 97)),) * 2]


def test_large_payoffs_take_the_exact_path():
    big = 10**30
    result = solve([[big, 0], [0, big + 1]], [[big + 1, 0], [0, big]])
    assert len(result.equilibria) == 3
    mixed = next(e for e in result.equilibria if 0 < e.row[0] < 1)
    assert mixed.row == (F(big, 2 * big + 1), F(big + 1, 2 * big + 1))


def test_too_many_subsets_are_refused():
    n = 14
    zeros = [[F(0)] * n for _ in range(n)]
    with pytest.raises(GameTooLargeError, match="too large for exact enumeration by subsets"):
        enumerate_extreme_equilibria(zeros, zeros, method="subsets")


def test_a_large_game_of_pure_indifference_is_solved():
    # Once refused (C(28, 14) subsets); by reverse search every pure profile of a 14 x 14 game
    # of zeros is an extreme equilibrium, all in one component.
    n = 14
    zeros = [[F(0)] * n for _ in range(n)]
    result = enumerate_extreme_equilibria(zeros, zeros)
    assert len(result.equilibria) == n * n
    assert {e.component for e in result.equilibria} == {0}
    assert result.degenerate


# -- properties -----------------------------------------------------------------------------


@st.composite
def games(draw, max_size=4, low=-3, high=3):
    m, n = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))
    entry = st.integers(low, high)
    A = draw(st.lists(st.lists(entry, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(entry, min_size=n, max_size=n), min_size=m, max_size=m))
    return matrix(A), matrix(B)


positive = st.fractions(min_value=F(1, 10), max_value=10, max_denominator=20)
shift = st.fractions(min_value=-10, max_value=10, max_denominator=20)


@settings(max_examples=150, deadline=None)
@given(games())
def test_every_equilibrium_is_a_mutual_best_response(game):
    A, B = game
    result = enumerate_extreme_equilibria(A, B)
    assert result.equilibria, "every finite game has an equilibrium"
    for e in result.equilibria:
        assert is_equilibrium(A, B, e.row, e.column)


@settings(max_examples=100, deadline=None)
@given(games(), positive, shift, positive, shift)
def test_invariant_under_positive_affine_transforms(game, a, b, c, d):
    A, B = game
    before = enumerate_extreme_equilibria(A, B)
    after = enumerate_extreme_equilibria(
        [[a * x + b for x in row] for row in A], [[c * x + d for x in row] for row in B]
    )
    assert profiles(after) == profiles(before)
    assert components(after) == components(before)
    assert after.degenerate == before.degenerate


@settings(max_examples=100, deadline=None)
@given(games(), st.randoms(use_true_random=False))
def test_invariant_under_relabelling_strategies(game, rng):
    A, B = game
    m, n = len(A), len(A[0])
    rows, columns = list(range(m)), list(range(n))
    rng.shuffle(rows)
    rng.shuffle(columns)

    def permuted(M):
        return [[M[i][j] for j in columns] for i in rows]

    before = enumerate_extreme_equilibria(A, B)
    after = enumerate_extreme_equilibria(permuted(A), permuted(B))
    relabelled = {
        (tuple(x[i] for i in rows), tuple(y[j] for j in columns)) for x, y in profiles(before)
    }
    assert profiles(after) == relabelled
    assert len(components(after)) == len(components(before))
    assert after.degenerate == before.degenerate


@settings(max_examples=100, deadline=None)
@given(games())
def test_invariant_under_swapping_the_players(game):
    A, B = game
    transposed = enumerate_extreme_equilibria(
        [list(column) for column in zip(*B)], [list(column) for column in zip(*A)]
    )
    assert profiles(transposed) == {(y, x) for x, y in profiles(enumerate_extreme_equilibria(A, B))}


# -- cross-check against Gambit --------------------------------------------------------------


def random_games(seed: int, count: int):
    rng = random.Random(seed)
    for index in range(count):
        m, n = rng.randint(2, 6), rng.randint(2, 6)
        span = (1, 2, 2, 3, 10, 100)[index % 6]  # mostly small ranges: heavily degenerate
        A = [[F(rng.randint(-span, span)) for _ in range(n)] for _ in range(m)]
        B = [[F(rng.randint(-span, span)) for _ in range(n)] for _ in range(m)]
        yield A, B


@pytest.mark.oracle
def test_agrees_with_gambit_enummixed_on_random_games(gbt):
    degenerate = 0
    games = list(random_games(seed=20240607, count=360))
    for A, B in games:
        ours = enumerate_extreme_equilibria(A, B)
        degenerate += ours.degenerate
        assert profiles(ours) == gambit_extreme_equilibria(gbt, A, B), (A, B)
    assert degenerate > len(games) // 3, "the sample should be heavily degenerate"


@pytest.mark.oracle
def test_agrees_with_gambit_on_square_sizes(gbt):
    rng = random.Random(7)
    for size in range(2, 7):
        for span in (2, 50):
            for _ in range(10):
                A = [[F(rng.randint(-span, span)) for _ in range(size)] for _ in range(size)]
                B = [[F(rng.randint(-span, span)) for _ in range(size)] for _ in range(size)]
                ours = profiles(enumerate_extreme_equilibria(A, B))
                assert ours == gambit_extreme_equilibria(gbt, A, B), (A, B)


# -- ill-conditioned games: near ties at large magnitudes -------------------------------------


@st.composite
def near_tie_games(draw):
    """Payoffs 0 or K-s..K+s (K up to 65,000, s up to 10): tiny mixtures, nearly tied slacks.

    About one in eight such games lost an equilibrium to the old float pass (issue: exact
    enumeration loses equilibria when payoffs are large and nearly tied).
    """
    m, n = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    K, s = draw(st.integers(1_000, 65_000)), draw(st.integers(1, 10))
    entry = st.one_of(st.just(0), st.integers(K - s, K + s))
    rows = st.lists(st.lists(entry, min_size=n, max_size=n), min_size=m, max_size=m)
    return matrix(draw(rows)), matrix(draw(rows))


scale = st.builds(
    lambda k, f: F(10) ** k * f, st.integers(-6, 12), st.fractions(F(1, 7), 7, max_denominator=9)
)
big_shift = st.integers(-(10**12), 10**12).map(F)


@settings(max_examples=40, deadline=None)
@given(near_tie_games(), scale, big_shift, scale, big_shift)
def test_near_ties_survive_huge_positive_affine_maps(game, a, b, c, d):
    A, B = game
    before = enumerate_extreme_equilibria(A, B)
    assert before.equilibria
    for e in before.equilibria:
        assert is_equilibrium(A, B, e.row, e.column)
    after = enumerate_extreme_equilibria(
        [[a * x + b for x in row] for row in A], [[c * x + d for x in row] for row in B]
    )
    assert profiles(after) == profiles(before)
    assert components(after) == components(before)


@settings(max_examples=30, deadline=None)
@given(near_tie_games(), st.integers(0, 3), st.integers(0, 3))
def test_duplicated_strategies_keep_every_equilibrium(game, row, column):
    # A duplicated strategy makes the game degenerate; the equilibria of the original game,
    # with the copy unplayed, must all still be found.
    A, B = game
    row, column = row % len(A), column % len(A[0])
    wider = [[*r, r[column]] for r in A], [[*r, r[column]] for r in B]
    bigger = [*wider[0], wider[0][row]], [*wider[1], wider[1][row]]
    found = profiles(enumerate_extreme_equilibria(*bigger))
    for x, y in profiles(enumerate_extreme_equilibria(A, B)):
        assert ((*x, 0), (*y, 0)) in found
