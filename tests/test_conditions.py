"""Shortened region conditions describe the same sets, off the cells' boundaries."""

from __future__ import annotations

import random

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from credibility.symbolic.conditions import simplest
from credibility.symbolic.regions import Region

X, Y, Z = sympy.symbols("x y z")
BOX = {X: (sympy.Integer(0), sympy.oo), Y: (-sympy.oo, sympy.oo), Z: (sympy.Integer(-1), 1)}
NONLINEAR = X * Y - 1


@st.composite
def atoms(draw):
    if draw(st.integers(0, 5)) == 0:
        return NONLINEAR * draw(st.sampled_from([1, -1]))
    a, b, c, d = (draw(st.integers(-2, 2)) for _ in range(4))
    expression = a * X + b * Y + c * Z + d
    return expression if expression.free_symbols else X + 1


cells = st.lists(st.lists(atoms(), min_size=0, max_size=4), min_size=1, max_size=5)


def _inside(conditions, point):
    return all(c.xreplace(point) > 0 for c in conditions)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(cells, st.integers(0, 10**6))
def test_simplest_keeps_the_union_off_the_boundaries(drawn, seed):
    regions = [Region(tuple(conditions), (), "A") for conditions in drawn]
    simpler = simplest(regions, BOX)
    every_atom = {a for conditions in drawn for a in conditions}
    every_atom |= {a for region in simpler for a in region.conditions}
    rng = random.Random(seed)
    for _ in range(60):
        # sympy Rationals and xreplace (was Fractions and subs): the atoms are polynomials in
        # x, y, z, so replacing the symbols by exact rationals evaluates them to the same exact
        # numbers as subs did, several times faster; the points are the same.
        point = {
            X: sympy.Rational(rng.randint(0, 400), 37),
            Y: sympy.Rational(rng.randint(-400, 400), 37),
            Z: sympy.Rational(rng.randint(-36, 36), 37),
        }
        if any(a.xreplace(point) == 0 for a in every_atom):
            continue  # on a boundary, where the sets may differ
        before = any(_inside(r.conditions, point) for r in regions)
        after = any(_inside(r.conditions, point) for r in simpler)
        assert before == after, (drawn, [r.conditions for r in simpler], point)


def test_a_cell_the_others_cover_goes_and_so_does_an_atom_they_make_needless():
    # x > 0 (bounded below by 0) makes "y > x" cover "y > 2 & x < 1"? No: x < 1 & y > 2 has
    # points with y <= x only if x > 2, impossible, so the second cell lies inside the first.
    first = Region((Y - X,), (), "A")
    second = Region((Y - 2, 1 - X), (), "A")
    assert [r.conditions for r in simplest([first, second], BOX)] == [(-X + Y,)]


def test_opaque_atoms_are_kept_unless_they_contradict():
    # x*y > 1 is not linear: nothing implies it, but it cannot hold with x*y < 1.
    kept = simplest([Region((NONLINEAR, Y - 1), (), "A")], BOX)
    assert {a for r in kept for a in r.conditions} == {NONLINEAR, Y - 1}
    joined = simplest(
        [Region((NONLINEAR, Y - 1), (), "A"), Region((-NONLINEAR, Y - 1), (), "A")], BOX
    )
    assert [r.conditions for r in joined] == [(Y - 1,)]
