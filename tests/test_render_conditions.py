"""credibility.render.conditions: expressions, conditions and sets as people write them."""

import pytest
import sympy

from credibility.render.conditions import (
    ASCII,
    Known,
    condition,
    expression,
    latex_condition,
    latex_expression,
    latex_values,
    values,
)

a, b, c, e, m, p, q, v, w = sympy.symbols("a b c e m p q v w")
NONNEGATIVE = {s: (sympy.Integer(0), sympy.oo) for s in (a, b, c, e, m, v, w)}
THIRD = sympy.Rational(1, 3)


@pytest.mark.parametrize(
    ("where", "text"),
    [
        pytest.param(sympy.Eq(m, 0), "m = 0", id="equation"),
        pytest.param((q <= 1) & (q > sympy.Rational(1, 9)), "1/9 < q ≤ 1", id="chain"),
        pytest.param((m >= 1) & (m <= 3), "1 ≤ m ≤ 3", id="closed-chain"),
        pytest.param(sympy.true, "anywhere in the bounds", id="true"),
        pytest.param(m > v - w, "m > v - w", id="positive-terms-first"),
        pytest.param(v - w < m, "m > v - w", id="parameter-on-the-left"),
        pytest.param((m > 1) | (m < 0), "m < 0 or m > 1", id="or"),
        pytest.param(
            (m > 1) | ((q > c) & (m < 0)), "m > 1 or (m < 0 and q > c)", id="nested-group"
        ),
    ],
)
def test_conditions(where, text):
    known = Known(NONNEGATIVE, ("m", "q", "c", "v", "w"))
    assert condition(where, known) == text


def test_ascii_notation():
    assert condition((q <= 1) & (q > 0), notation=ASCII) == "0 < q <= 1"
    assert values(sympy.Interval(0, sympy.oo), "m", ASCII) == "m >= 0"
    assert expression(sympy.oo, notation=ASCII) == "inf"
    assert expression(sympy.oo) == "∞"


def test_an_inequality_not_solved_for_a_parameter_keeps_it_on_one_side():
    # b*c + b*v - b*d > v - d: the coefficient's sign is unknown, so b stays in a product.
    d = sympy.Symbol("d")
    known = Known(NONNEGATIVE | {d: (sympy.Integer(0), sympy.oo)}, ("b",))
    atom = sympy.StrictGreaterThan(b * c + b * v - b * d - v + d, 0)
    assert condition(atom, known) == "b*(c + v - d) > v - d"
    # With a coefficient of known sign it is solved: q*(c + 1) > 1 reads q > 1/(c + 1).
    solved = sympy.StrictGreaterThan(c * q + q - 1, 0)
    assert condition(solved, Known(NONNEGATIVE, ("q",))) == "q > 1/(c + 1)"


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        pytest.param(sympy.Rational(3, 4) - c / 4, "(3 - c)/4", id="one-fraction"),
        pytest.param(-(c - 3) / 4, "(3 - c)/4", id="same-value-same-text"),
        pytest.param(-m + w, "w - m", id="plus-first"),
        pytest.param(1 / (c + 1), "1/(c + 1)", id="denominator"),
        pytest.param((v / (c + v)) ** (1 / sympy.Symbol("k")), "(v/(c + v))**(1/k)", id="power"),
    ],
)
def test_expressions(expr, text):
    assert expression(expr) == text


def test_denominator_positive_where_bounds_and_region_decide():
    probability = -e / (a - c)
    assert expression(probability) == "-e/(a - c)"  # nothing known: as it comes
    region = Known(NONNEGATIVE).within(e < c - a)  # e >= 0, so c - a > 0
    assert expression(probability, region) == "e/(c - a)"
    assert expression((a - c + e) / (a - c), region) == "(c - a - e)/(c - a)"
    # A denominator that the bounds alone make negative.
    assert expression(1 / (-1 - c), Known(NONNEGATIVE)) == "-1/(c + 1)"


def test_sets_of_values():
    assert values(sympy.Interval(0, sympy.oo), "m") == "m ≥ 0"
    assert values(sympy.Interval.open(THIRD, 1), "q") == "1/3 < q < 1"
    assert values(sympy.Union(sympy.Interval(0, 1), sympy.FiniteSet(3)), "m") == (
        "0 ≤ m ≤ 1 or m = 3"
    )
    assert values(sympy.Interval(-sympy.oo, 2), "x") == "x ≤ 2"
    assert values(sympy.EmptySet, "m") == "nowhere"


def test_latex_matches_the_text():
    assert latex_condition((q <= 1) & (q > sympy.Rational(1, 9))) == r"\frac{1}{9} < q \le 1"
    assert latex_condition(sympy.Eq(p, THIRD)) == r"p = \frac{1}{3}"
    assert latex_condition(sympy.true) == r"\text{anywhere in the bounds}"
    assert "True" not in latex_condition(sympy.true)
    known = Known(NONNEGATIVE, ("m", "q"))
    assert latex_condition((m > 1) & (q < 2), known) == r"m > 1 \text{ and } q < 2"
    assert latex_condition((m > 1) & (q < 2), known, text=True) == "$m > 1$ and $q < 2$"
    assert latex_expression(sympy.Rational(3, 4) - c / 4) == r"\frac{3 - c}{4}"
    assert latex_expression(-m + w) == "w - m"
    assert latex_values(sympy.Interval(1, 3), "m") == r"1 \le m \le 3"
    assert latex_values(sympy.Interval(0, sympy.oo), "m") == r"m \ge 0"
