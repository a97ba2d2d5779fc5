"""The one builder of a support profile's linear systems (issue 14), for Fractions and sympy."""

from __future__ import annotations

from fractions import Fraction as F

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from credibility.solvers.pbe_bound import BoundSignallingGame
from credibility.solvers.pbe_supports import enumerate_pbe_vertices
from credibility.solvers.support_systems import (
    Row,
    System,
    choice_rows,
    profile_count,
    receiver_rows,
    receiver_system,
    sender_system,
    subsets,
)

K, N, R = 2, 2, 3
a = sympy.Symbol("a")
#: A small game with a parameter: sender[t][m][r] and receiver[t][m][r].
SENDER = [[[a, 0, 1], [2 - a, 1, 0]], [[0, a, 2], [1, 1, -a]]]
RECEIVER = [[[1, a, 0], [0, 2, a]], [[a - 1, 0, 1], [2, -a, 0]]]
PRIORS = [sympy.Rational(1, 3), sympy.Rational(2, 3)]


def at(array, value):
    """``array`` of sympy numbers as Fractions, with ``a = value``."""
    if isinstance(array, list):
        return [at(x, value) for x in array]
    return F(str(sympy.sympify(array).subs(a, value)))


def evaluated(system: System, value) -> System:
    """A sympy system as Fractions, with ``a = value``."""
    rows = tuple(
        Row({v: at(c, value) for v, c in row.terms.items()}, row.relation) for row in system.rows
    )
    totals = tuple((group, at(total, value)) for group, total in system.totals)
    return System(system.variables, totals, rows)


def sympy_array(array):
    return [sympy_array(x) for x in array] if isinstance(array, list) else sympy.sympify(array)


supports = st.lists(st.sets(st.integers(0, N - 1), min_size=1), min_size=K, max_size=K)
responses = st.lists(st.sets(st.integers(0, R - 1)), min_size=N, max_size=N)


@settings(max_examples=40, deadline=None)
@given(supports, responses, st.fractions(-3, 3, max_denominator=4))
def test_fractions_and_sympy_give_the_same_systems(messages, replies, value):
    S = [tuple(sorted(s)) for s in messages]
    B = [tuple(sorted(b)) for b in replies]
    full = [b or (0,) for b in B]
    one = sympy.Integer(1)
    symbolic = sender_system(sympy_array(RECEIVER), S, B, PRIORS, [one] * K)
    exact = sender_system(at(RECEIVER, value), S, B, at(PRIORS, value), [F(1)] * K)
    assert evaluated(symbolic, value) == exact
    symbolic = receiver_system(sympy_array(SENDER), S, full, one)
    assert evaluated(symbolic, value) == receiver_system(at(SENDER, value), S, full, F(1))


def test_the_sender_system_is_the_receivers_choice_in_the_transposed_payoffs():
    u = at(RECEIVER, 2)
    S, B = [(0,), (0, 1)], [(1, 2), (0,)]
    system = sender_system(u, S, B, [F(1, 3), F(2, 3)], [F(1), F(1)])
    transposed = [[list(column) for column in zip(*(u[t][m] for t in range(K)))] for m in range(N)]
    weights = {(0, 0): F(1, 3), (1, 0): F(2, 3), (1, 1): F(2, 3)}
    rows = choice_rows(
        transposed, B, lambda m, r, t: {(t, m): weights[t, m]} if (t, m) in weights else {}
    )
    assert list(system.rows) == rows
    assert system.variables == ((0, 0), (1, 0), (1, 1))
    assert system.totals == ((((0, 0),), F(1)), (((1, 0), (1, 1)), F(1)))


def test_the_receiver_system_is_the_senders_choice_in_the_payoffs_as_they_are():
    u = at(SENDER, F(1, 2))
    S, B = [(0, 1), (1,)], [(0, 2), (1,)]
    system = receiver_system(u, S, B, F(1))
    rows = choice_rows(u, S, lambda t, m, r: {(m, r): F(1)} if r in B[m] else {})
    assert list(system.rows) == rows
    assert system.variables == ((0, 0), (0, 2), (1, 1))
    # Type 0 is indifferent between its messages, type 1 prefers message 1 to message 0.
    assert [row.relation for row in rows] == ["==", ">="]


def test_both_players_of_a_bimatrix_game_by_transposition():
    """One builder for both players: the column player's rows in ``(A, B)`` from ``B^T``."""
    A = [[F(3), F(0), F(1)], [F(1), F(2), F(0)]]
    B = [[F(0), F(2), F(1)], [F(3), F(1), F(1)]]

    def rows_of(matrix, support, opponent):
        """The rows of the player choosing among the rows of ``matrix``."""
        return choice_rows([matrix], [support], lambda _, i, j: {f"{opponent}{j}": F(1)})

    # Against the column mixture y, the row player's first row is worth 3 y0 + y2, its second
    # y0 + 2 y1: both played makes them equal.
    assert rows_of(A, (0, 1), "y") == [Row({"y0": F(2), "y1": F(-2), "y2": F(1)}, "==")]
    transposed = [list(column) for column in zip(*B)]
    for support in [(0,), (1,), (0, 2), (1, 2), (0, 1, 2)]:
        first = support[0]
        expected = [
            Row(
                {f"x{i}": B[i][first] - B[i][j] for i in range(2)},
                "==" if j in support else ">=",
            )
            for j in range(3)
            if j != first
        ]
        assert rows_of(transposed, support, "x") == expected


def test_off_path_messages_are_unconstrained():
    u = at(RECEIVER, 1)
    assert receiver_rows(u, [(), ()], lambda t, m: {t: F(1)}) == []
    rows = receiver_rows(u, [(), (0,)], lambda t, m: {t: F(1)})
    assert len(rows) == R - 1 and {row.relation for row in rows} == {">="}


def test_counts():
    assert [len(subsets(n)) for n in range(1, 5)] == [1, 3, 7, 15]
    assert subsets(4, mixed=False) == [(0,), (1,), (2,), (3,)]
    for k, n, r in [(1, 1, 1), (2, 2, 2), (3, 2, 4), (2, 3, 2)]:
        assert profile_count(k, n, r) == len(subsets(n)) ** k * len(subsets(r)) ** n
        assert profile_count(k, n, r, mixed=False) == n**k * r**n


payoffs = st.lists(st.integers(-2, 2), min_size=8, max_size=8)


@settings(max_examples=25, deadline=None)
@given(payoffs, payoffs, st.integers(1, 3))
def test_every_equilibrium_satisfies_the_systems_of_its_supports(sender, receiver, weight):
    def cube(values):
        return [
            [[F(values[4 * t + 2 * m + r]) for r in range(2)] for m in range(2)] for t in range(2)
        ]

    prior = [F(weight, weight + 1), F(1, weight + 1)]
    form = BoundSignallingGame.from_lists(
        ["H", "L"], ["a", "b"], ["x", "y"], prior, cube(sender), cube(receiver)
    )
    for sigma, rho in enumerate_pbe_vertices(form).profiles:
        S = [tuple(m for m in range(2) if sigma[t][m] > 0) for t in range(2)]
        B = [tuple(r for r in range(2) if rho[m][r] > 0) for m in range(2)]
        on_path = [B[m] if any(m in s for s in S) else () for m in range(2)]
        strategies = {
            "sender": (sender_system(form.receiver, S, on_path, form.prior, [F(1)] * 2), sigma),
            "receiver": (receiver_system(form.sender, S, B, F(1)), rho),
        }
        for system, strategy in strategies.values():
            x = {(i, j): strategy[i][j] for i, j in system.variables}
            assert all(x.values()) and all(sum(x[v] for v in g) == c for g, c in system.totals)
            for row in system.rows:
                value = sum(c * x[v] for v, c in row.terms.items())
                assert value == 0 if row.relation == "==" else value >= 0
