"""Sympy expressions compiled to numpy over a chunk, with a tolerance for sign decisions.

``lambdify`` generates code from expressions *we* built (from the game's
parsed payoffs), never from user text. A constant expression lambdifies to a
scalar, so every result is broadcast to the chunk's shape.

A float value ``v`` of an expression is trusted to have the exact value's
sign only if ``|v| > TOLERANCE * (1 + s)``, where ``s`` is the sum of the
absolute values of the expression's terms at that point (a bound on the size
of the rounding errors, relative to the numbers summed). Points that fail the
test are handed to the exact solver.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np
import sympy

__all__ = ["TOLERANCE", "Compiled", "exact_polynomial", "lambdify"]

#: Relative size below which a float value's sign is not trusted.
TOLERANCE = 1e-9


class Compiled:
    """An expression evaluated over a chunk's arrays, and where its sign is uncertain.

    Parameters
    ----------
    expr : sympy.Expr
    symbols : sequence of sympy.Symbol
        The swept parameters' symbols, in the order the arrays are passed.

    Examples
    --------
    >>> p = sympy.Symbol("p")
    >>> f = Compiled(3 * p - 1, [p])
    >>> x = np.array([0.0, 1 / 3, 1.0])
    >>> f(x).tolist()
    [-1.0, 0.0, 2.0]
    >>> f.uncertain(f(x), x).tolist()
    [False, True, False]
    >>> Compiled(sympy.Integer(2), [p])(x).tolist()
    [2.0, 2.0, 2.0]
    """

    def __init__(self, expr: sympy.Expr, symbols: Sequence[sympy.Symbol]):
        self.expr = expr
        expanded = sympy.expand(expr)
        magnitude = sympy.Add(*(sympy.Abs(term) for term in sympy.Add.make_args(expanded)))
        self._value = lambdify(symbols, expr)
        self._magnitude = lambdify(symbols, magnitude)

    def __call__(self, *values: np.ndarray) -> np.ndarray:
        """The expression's float value at every point."""
        with np.errstate(all="ignore"):
            return _broadcast(self._value(*values), values)

    def uncertain(self, result: np.ndarray, *values: np.ndarray) -> np.ndarray:
        """True where ``result`` (this expression's values) is too close to 0 to trust its sign."""
        with np.errstate(all="ignore"):
            scale = _broadcast(self._magnitude(*values), values)
            return ~(np.abs(result) > TOLERANCE * (1 + scale))


def lambdify(symbols: Sequence[sympy.Symbol], expr: sympy.Expr) -> Callable[..., object]:
    """``sympy.lambdify`` to numpy, with the symbols renamed so user names meet no namespace.

    A parameter may be called ``maximum``, ``select`` or ``sqrt``: lambdify's
    generated code would look those names up among numpy's functions (and put
    the symbols there too), so the symbols are first replaced by reserved ones
    with the same assumptions (parameter names never start with ``__``).

    Examples
    --------
    >>> maximum = sympy.Symbol("maximum")
    >>> lambdify([maximum], sympy.Max(maximum, 1))(np.array([0.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    safe = [
        sympy.Symbol(f"__credibility_arg{i}", **symbol.assumptions0)
        for i, symbol in enumerate(symbols)
    ]
    renamed = sympy.sympify(expr).xreplace(dict(zip(symbols, safe)))
    return sympy.lambdify(safe, renamed, "numpy")


def _broadcast(result: object, values: tuple[np.ndarray, ...]) -> np.ndarray:
    shape = (len(values[0]),) if values else ()
    return np.broadcast_to(np.asarray(result, dtype=np.float64), shape)


def exact_polynomial(
    expr: sympy.Expr, symbols: Sequence[sympy.Symbol]
) -> Callable[[Sequence[Fraction]], Fraction] | None:
    """An exact evaluator of a polynomial with rational coefficients (None if it is not one).

    Examples
    --------
    >>> p, c = sympy.symbols("p c")
    >>> f = exact_polynomial(3 * p * c - sympy.Rational(1, 2), [p, c])
    >>> f([Fraction(1, 3), Fraction(1, 2)])
    Fraction(0, 1)
    >>> exact_polynomial(sympy.Abs(p), [p]) is None
    True
    """
    try:
        poly = sympy.Poly(expr, *symbols) if symbols else None
    except sympy.PolynomialError:
        return None
    if poly is None:
        if not expr.is_Rational:
            return None
        constant = Fraction(int(expr.p), int(expr.q))
        return lambda values: constant
    if not poly.domain.is_QQ and not poly.domain.is_ZZ:
        return None
    terms = [
        (monomial, Fraction(int(c.p), int(c.q)))
        for monomial, c in zip(poly.monoms(), poly.coeffs())
    ]

    def evaluate(values: Sequence[Fraction]) -> Fraction:
        total = Fraction(0)
        for monomial, coefficient in terms:
            term = coefficient
            for value, power in zip(values, monomial):
                if power:
                    term *= value**power
            total += term
        return total

    return evaluate
