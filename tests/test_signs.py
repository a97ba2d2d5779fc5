"""The one home of signs, sign conditions and exact square solving (issue 14)."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import pairwise, permutations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from credibility import Parameter
from credibility.solvers.exact import bareiss, exact_sign, integer_row, solve_integer
from credibility.symbolic import signs
from credibility.symbolic.feasibility import Box
from credibility.symbolic.signs import (
    SignFeasibility,
    SignOracle,
    Undecided,
    expression_range,
    has_sign,
    normalise,
)

F = Fraction
p, q = sympy.symbols("p q")
UNIT = (sympy.Integer(0), sympy.Integer(1))
FREE = (-sympy.oo, sympy.oo)


# -- the sign of a number ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "sign"),
    [
        (F(-1, 3), -1),
        (F(0), 0),
        (F(7, 2), 1),
        (-4, -1),
        (0, 0),
        (5, 1),
        (sympy.Rational(-2, 7), -1),
        (sympy.Integer(0), 0),
        (sympy.Rational(1, 9), 1),
        (sympy.sqrt(2) - 1, 1),
    ],
)
def test_exact_sign_of_every_kind_of_number(value, sign):
    assert exact_sign(value) == sign
    assert type(exact_sign(value)) is int
    assert signs.exact_sign is exact_sign  # one function, re-used by the symbolic side


def test_numeric_solvers_do_not_import_sympy():
    import subprocess
    import sys

    code = (
        "import sys, credibility.solvers.backward_induction, credibility.solvers.enumeration, "
        "credibility.solvers.polytope, credibility.solvers.exact; print('sympy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


# -- normal forms, ranges and relations ----------------------------------------------------


def test_normalise_shares_one_key_between_multiples():
    assert normalise(6 * p - 2) == (3 * p - 1, 1)
    assert normalise(2 - 6 * p) == (3 * p - 1, -1)
    assert normalise(-p * q) == (p * q, -1)


def test_expression_range_exact_for_linear_and_loose_otherwise():
    box = {p: UNIT, q: (sympy.Integer(-1), sympy.Integer(2))}
    assert expression_range(1 - 3 * p + q, box) == (-3, 3)
    low, high = expression_range(p * q, box)
    assert low <= -1 and high >= 2


def test_has_sign():
    assert has_sign(p, 1) == (p > 0)
    assert has_sign(p, -1) == (p < 0)
    assert has_sign(p, 0) == sympy.And(p >= 0, p <= 0)


# -- the sign oracle ----------------------------------------------------------------------


def test_oracle_decides_numbers_of_every_kind_including_zero():
    oracle = SignOracle({p: UNIT}, {})
    for value, sign in [(F(-1, 2), -1), (0, 0), (3, 1), (sympy.Rational(2, 3), 1)]:
        assert oracle(value) == sign
        assert oracle.possible(sympy.sympify(value)) == (sign,)


def test_oracle_decides_from_bounds():
    oracle = SignOracle({p: UNIT, q: (sympy.Integer(1), sympy.oo)}, {})
    assert oracle(2 - p) == 1
    assert oracle(-q - p) == -1
    assert oracle(p - 2 * q) == -1


def test_oracle_raises_undecided_with_the_possible_signs():
    oracle = SignOracle({p: UNIT}, {})
    with pytest.raises(Undecided) as raised:
        oracle(1 - 3 * p)
    assert raised.value.key == 3 * p - 1
    assert set(raised.value.signs) == {1, -1}
    with pytest.raises(Undecided) as raised:
        SignOracle({p: (sympy.Integer(0), sympy.oo)}, {})(p)  # p >= 0: never negative
    assert raised.value.signs == (1,)


def test_oracle_uses_assumptions_on_every_multiple_of_a_key():
    oracle = SignOracle({p: UNIT}, {3 * p - 1: 1})
    assert oracle(6 * p - 2) == 1
    assert oracle(2 - 6 * p) == -1
    assert oracle((1 - 3 * p) / (2 - p)) == -1  # numerator and denominator
    assert oracle.assuming(2 * p - 1, -1)(1 - 2 * p) == 1
    assert oracle.assumed == {3 * p - 1: 1}  # assuming leaves the oracle alone


def test_oracle_splits_products_into_factors():
    oracle = SignOracle({p: FREE, q: FREE}, {p: 1, q: -1})
    assert oracle(p * q) == -1
    assert oracle(p**2 * q) == -1


def test_possible_signs_include_zero_and_all_where_unknown():
    oracle = SignOracle({p: UNIT}, {})
    assert oracle.possible(1 - 3 * p) == (-1, 0, 1)
    assert oracle.possible(p) == (1, 0)
    assert oracle.possible(p + 1) == (1,)
    assert oracle.possible(q) == (1, 0, -1)  # no bounds for q
    assert SignOracle({p: UNIT}, {p: 1}).possible(-2 * p) == (-1,)


# -- emptiness -----------------------------------------------------------------------------


def test_box_emptiness_exact_for_linear_atoms():
    box = Box({p: UNIT, q: FREE})
    assert box.empty([p - q, q - 1])  # q < p <= 1 and q > 1
    assert not box.empty([p - q, q - sympy.Rational(1, 2)])
    assert box.empty([q, -q])  # one key both ways
    assert box.empty([p - 2])  # the bounds alone
    assert box.empty([1 - p], closed=p - 1)
    assert not box.empty([1 - p], closed=p - sympy.Rational(1, 2))


def test_box_emptiness_treats_nonlinear_atoms_as_opaque():
    box = Box({p: UNIT, q: FREE})
    assert not box.empty([q**2 - p])  # unknown: not empty
    assert box.empty([-(p**2) - 1])  # bounded above by a negative number


def test_sign_feasibility_univariate_exact_and_sampled():
    a = Parameter("a", F(1, 2), F(0), F(1))
    feasible = SignFeasibility([a], {a.symbol: UNIT})
    assert feasible({3 * a.symbol - 1: 1})
    assert not feasible({3 * a.symbol - 1: 1, 4 * a.symbol - 1: -1})
    assert feasible({})
    b = Parameter("b", F(2), F(0))
    box = {a.symbol: UNIT, b.symbol: (sympy.Integer(0), sympy.oo)}
    both = SignFeasibility([a, b], box)
    assert both({b.symbol - a.symbol: 1})
    assert not both({a.symbol - 2: 1})
    assert SignFeasibility([], {})({})


# -- exact square solving ------------------------------------------------------------------


def _determinant(M):
    """Leibniz's formula: brute force, independent of the elimination."""
    n = len(M)
    total = Fraction(0)
    for perm in permutations(range(n)):
        inversions = sum(perm[i] > perm[j] for i in range(n) for j in range(i + 1, n))
        total += (-1) ** inversions * math.prod(Fraction(M[i][perm[i]]) for i in range(n))
    return total


def _system(entries):
    return st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(entries, min_size=n, max_size=n), min_size=n, max_size=n),
            st.lists(entries, min_size=n, max_size=n),
        )
    )


@settings(max_examples=100, deadline=None)
@given(_system(st.integers(-3, 3)))
def test_solve_integer_agrees_with_brute_force(system):
    M, b = system
    solution = solve_integer(M, b)
    determinant = _determinant(M)
    if determinant == 0:
        assert solution is None
        return
    assert solution is not None
    numerators, denominator = solution
    assert denominator == abs(determinant)
    for row, bi in zip(M, b):
        assert sum(a * z for a, z in zip(row, numerators)) == bi * denominator


@settings(max_examples=100, deadline=None)
@given(_system(st.fractions(-3, 3, max_denominator=4)))
def test_rational_systems_scaled_to_integers_keep_their_solutions(system):
    M, b = system
    scaled = [integer_row([*row, bi]) for row, bi in zip(M, b)]
    for row, original in zip(scaled, ([*row, bi] for row, bi in zip(M, b))):
        assert all(isinstance(x, int) for x in row)
        ratio = {F(x) / F(y) for x, y in zip(row, original) if y != 0}
        assert len(ratio) <= 1 and all(r > 0 for r in ratio)  # one positive factor
    solution = solve_integer([row[:-1] for row in scaled], [row[-1] for row in scaled])
    if _determinant(M) == 0:
        assert solution is None
        return
    assert solution is not None
    numerators, denominator = solution
    for row, bi in zip(M, b):
        assert sum(a * F(z, denominator) for a, z in zip(row, numerators)) == bi


def test_bareiss_carries_several_right_hand_sides():
    rows = [[2, 1, 1, 0], [1, 3, 0, 1]]
    assert bareiss(rows, 2) == 5
    assert rows == [[5, 0, 3, -1], [0, 5, -1, 2]]  # 5 * inverse
    assert bareiss([[0, 0, 1], [0, 0, 1]], 2) is None


# -- the exact univariate decision by real-root isolation ---------------------------------

# Roots chosen to collide: shared and repeated rational roots, roots on the bounds, and
# irrational roots within 1e-8 of a rational one (sqrt(2) against 141421356/10^8).
_ROOTS = [F(0), F(1), F(-1), F(1, 3), F(141421356, 10**8), F(-5, 2)]
_FACTOR = st.one_of(
    st.sampled_from(_ROOTS).map(lambda r: p - sympy.Rational(r)),
    st.sampled_from([p**2 - 2, p**2 + 1, 3 * p**2 - 1, p**3 - 2 * p]),
)
_PRODUCT = st.tuples(st.sampled_from([1, -1, 7]), st.lists(_FACTOR, min_size=0, max_size=3)).map(
    lambda pair: pair[0] * sympy.Mul(*pair[1])
)
# Max and Min of such products, less a root: the piecewise payoffs max(x, 1/2) give.
_EXTREME = st.tuples(
    st.sampled_from([sympy.Max, sympy.Min]),
    st.lists(_PRODUCT, min_size=2, max_size=3),
    st.sampled_from(_ROOTS),
    st.sampled_from([1, -1]),
).map(lambda case: case[3] * (case[0](*case[1]) - sympy.Rational(case[2])))
_ATOM = st.one_of(_PRODUCT, _PRODUCT, _EXTREME)
_BOUND = st.one_of(st.sampled_from(_ROOTS), st.none())


def _pieces(expr):
    """Every polynomial ``expr`` equals somewhere, and where its Max/Min arguments tie."""
    extremes = expr.atoms(sympy.Max, sympy.Min)
    extremes = [e for e in extremes if not any(a.has(sympy.Max, sympy.Min) for a in e.args)]
    if not extremes:
        return [expr]
    extreme = extremes[0]
    found = [piece for arg in extreme.args for piece in _pieces(expr.xreplace({extreme: arg}))]
    return found + [a - b for a in extreme.args for b in extreme.args if a is not b]


def _by_sampling_the_cells(atoms, low, high):
    """The oracle: the atoms evaluated exactly between every two neighbouring breakpoints.

    Independent of the code under test: the breakpoints (real roots of every piece and of
    every difference of Max/Min arguments) come from mpmath's polynomial root finder at 60
    digits, far finer than the closest roots here (sqrt(2) against 1.41421356, 6e-9 apart).
    """
    if low == high:
        return all(atom.subs(p, low) > 0 for atom in atoms)
    breaks = {low, high} - {sympy.oo, -sympy.oo}
    for atom in atoms:
        for piece in _pieces(atom):
            poly = sympy.Poly(sympy.expand(piece), p).sqf_part()  # simple roots only
            if poly.degree() > 0:
                for root in poly.nroots(n=60, maxsteps=500):
                    if abs(sympy.im(root)) < 1e-40:
                        breaks.add(sympy.Rational(str(sympy.re(root))))
    ordered = sorted(breaks)
    points = [sympy.Integer(0)] if not ordered else [ordered[0] - 1, ordered[-1] + 1]
    points += [(a + b) / 2 for a, b in pairwise(ordered)]
    return any(
        low < point < high and all(atom.subs(p, point) > 0 for atom in atoms) for point in points
    )


_CASES = (st.lists(_ATOM, min_size=1, max_size=3), _BOUND, _BOUND)


def _check_against_the_cells(atoms, low, high):
    low = -sympy.oo if low is None else sympy.Rational(low)
    high = sympy.oo if high is None else sympy.Rational(high)
    if low > high:
        low, high = high, low
    decided = signs.positive_somewhere(atoms, p, low, high)
    if decided is None:  # Max/Min arguments that do not differ are left to sympy, by design
        assert any(atom.has(sympy.Max, sympy.Min) for atom in atoms)
        return
    assert decided == _by_sampling_the_cells(atoms, low, high), (atoms, low, high)


@settings(max_examples=15, deadline=None)
@given(*_CASES)
def test_root_isolation_decides_as_the_cells_sampled(atoms, low, high):
    _check_against_the_cells(atoms, low, high)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(*_CASES)
def test_root_isolation_decides_as_the_cells_on_many_more_sets(atoms, low, high):
    _check_against_the_cells(atoms, low, high)


def test_the_cells_oracle_knows_where_sympys_inequality_solver_errs():
    # Found while testing: sympy 1.14's solve_univariate_inequality calls this set empty,
    # yet at p = 2/5 the Min is 7 p (p + 5/2)(3 p^2 - 1) = -4.2224 and the atom 1.7224.
    atom = -sympy.Min(7 * p * (p + sympy.Rational(5, 2)) * (3 * p**2 - 1), -p - 1) - sympy.Rational(
        5, 2
    )
    assert atom.subs(p, sympy.Rational(2, 5)) > 0
    assert signs.positive_somewhere([atom], p, *UNIT) is True
    assert _by_sampling_the_cells([atom], *UNIT) is True


def test_root_isolation_leaves_what_it_cannot_decide_to_sympy():
    x = sympy.Symbol("x")
    assert signs.positive_somewhere([p**x - 2], p, *UNIT) is None
    assert signs.positive_somewhere([p - sympy.sqrt(2)], p, *UNIT) is None
    assert signs.positive_somewhere([p - sympy.Rational(1, 2)], p, sympy.sqrt(2), sympy.oo) is None
    # a single point: exact, as the box [1/3, 1/3] asks
    third = sympy.Rational(1, 3)
    assert signs.positive_somewhere([3 * p - 1], p, third, third) is False
    assert signs.positive_somewhere([3 * p], p, third, third) is True
