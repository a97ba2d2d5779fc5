"""Fourier-Motzkin feasibility: checked against exact vertex enumeration, and under substitution."""

from __future__ import annotations

from fractions import Fraction

import sympy
from hypothesis import example, given, settings
from hypothesis import strategies as st

from credibility.solvers.polytope import vertices
from credibility.symbolic.feasibility import Linear, solvable

BOX = 3
coefficient = st.integers(min_value=-2, max_value=2)


def constraints(size: int):
    row = st.tuples(
        st.lists(coefficient, min_size=size, max_size=size),
        st.integers(min_value=-1, max_value=1),
        st.sampled_from(["==", ">=", ">"]),
    )
    return st.lists(row, min_size=1, max_size=5)


def boxed(size: int, rows) -> list[Linear]:
    """The rows as constraints, plus -BOX <= x_i <= BOX (so the polytope is bounded)."""
    system = [Linear.of(size, dict(enumerate(c)), d, rel) for c, d, rel in rows]
    for i in range(size):
        system += [Linear.of(size, {i: 1}, BOX, ">="), Linear.of(size, {i: -1}, BOX, ">=")]
    return system


def by_vertices(size: int, rows) -> bool:
    """Exact answer: the closed polytope's vertices, and a strict row strict at some vertex.

    The centroid of the vertices satisfies a row strictly iff some vertex does, so the
    strict system is solvable iff the closed one is and every strict row is strict somewhere.
    """
    F = Fraction
    equalities, eq_rhs, inequalities, ineq_rhs, strict = [], [], [], [], []
    for c, d, relation in rows:
        if relation == "==":
            equalities.append([F(x) for x in c])
            eq_rhs.append(F(-d))
        else:
            inequalities.append([F(-x) for x in c])  # c.x + d >= 0  <=>  -c.x <= d
            ineq_rhs.append(F(d))
            if relation == ">":
                strict.append((c, d))
    for i in range(size):
        unit = [F(int(j == i)) for j in range(size)]
        inequalities += [unit, [-u for u in unit]]
        ineq_rhs += [F(BOX), F(BOX)]
    corners = vertices(equalities, eq_rhs, inequalities, ineq_rhs, size)
    if not corners:
        return False
    return all(
        any(sum(a * x for a, x in zip(c, corner)) + d > 0 for corner in corners) for c, d in strict
    )


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=3).flatmap(lambda n: st.tuples(st.just(n), constraints(n)))
)
@example((1, [([1], 0, ">"), ([-1], 0, ">=")]))  # x > 0 and x <= 0: strictness matters
def test_numeric_systems_agree_with_exact_vertex_enumeration(case):
    size, rows = case
    assert solvable(boxed(size, rows)) == by_vertices(size, rows)


@settings(max_examples=60, deadline=None)
@given(
    constraints(2),
    st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=3),
    st.lists(st.integers(min_value=-4, max_value=4), min_size=1, max_size=4),
)
def test_symbolic_conditions_agree_with_every_substituted_value(rows, scaled, values):
    # Put the parameter a into some coefficients (times a) and constants (plus a): the
    # condition at a = v must be what the numeric system at a = v gives.
    a = sympy.Symbol("a")

    def system(parameter):
        out = []
        for k, (c, d, relation) in enumerate(rows):
            coefficients = dict(enumerate(c))
            if k in scaled:
                coefficients[0] = coefficients.get(0, 0) * parameter
            constant = d + parameter if k + 1 in scaled else d
            out.append((coefficients, constant, relation))
        return [Linear.of(2, c, d, rel) for c, d, rel in out] + boxed(2, [])

    condition = solvable(system(a), {a: (-sympy.oo, sympy.oo)})
    for v in values:
        half = sympy.Rational(2 * v + 1, 2)
        for value in (sympy.Integer(v), half):
            assert bool(condition.xreplace({a: value})) == bool(solvable(system(value)))


def test_bounds_settle_signs_instead_of_splitting():
    a = sympy.Symbol("a")
    system = [Linear.of(1, {0: a}, -1, ">="), Linear.of(1, {0: -1}, 2, ">=")]  # a x >= 1, x <= 2
    assert solvable(system, {a: (sympy.Integer(1), sympy.Integer(3))}) is sympy.true
    free = solvable(system, {a: (-sympy.oo, sympy.oo)})
    assert [bool(free.xreplace({a: v})) for v in (-1, 0, sympy.Rational(1, 4), 1)] == [
        True,
        False,
        False,
        True,
    ]


def test_an_equation_between_parameters_is_kept_exact():
    # x = 1 and a x = b: solvable iff a = b.
    a, b = sympy.symbols("a b")
    system = [Linear.of(1, {0: 1}, -1, "=="), Linear.of(1, {0: a}, -b, "==")]
    condition = solvable(system, {a: (-sympy.oo, sympy.oo), b: (-sympy.oo, sympy.oo)})
    assert bool(condition.xreplace({a: 2, b: 2})) and not bool(condition.xreplace({a: 2, b: 3}))
