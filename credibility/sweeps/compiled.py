"""Sympy expressions compiled to numpy over a chunk, with a tolerance for sign decisions.

``lambdify`` generates code from expressions *we* built (from the game's
parsed payoffs), never from user text. A constant expression lambdifies to a
scalar, so every result is broadcast to the chunk's shape.

A float value ``v`` of an expression is trusted to have the exact value's
sign only if ``|v| > TOLERANCE * (1 + s)``, where ``s`` is the sum of the
absolute values of the expression's terms at that point (a bound on the size
of the rounding errors, relative to the numbers summed). Points that fail the
test are handed to the exact solver, or first to :class:`IntegerForm`, which
evaluates polynomials exactly in integers at the grid's rational points (ties
on a grid of integers or simple fractions, vectorised).

Sympy is imported only where an expression is compiled: :class:`Linear` and
:meth:`IntegerForm.of_linear` take exact linear forms instead, and give the
same floats and integers, so that a sweep of linear payoffs read without
sympy (:mod:`credibility.deferred`) never loads it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ..expressions import LinearForm

if TYPE_CHECKING:
    import sympy

__all__ = [
    "TOLERANCE",
    "Compiled",
    "IntegerForm",
    "Linear",
    "Polynomial",
    "compile_expression",
    "exact_polynomial",
    "lambdify",
]

#: Terms of a polynomial: its monomials' exponents (one per symbol) and rational coefficients.
Terms = list[tuple[tuple[int, ...], Fraction]]
#: Numerators and denominators up to this size are exact in float64 (see :class:`Linear`).
_EXACT_FLOAT = 2**53

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
    >>> import sympy
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
        import sympy  # lazy: start-up time (sympy; a sweep of linear payoffs needs none)

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
            return ~(np.abs(result) > TOLERANCE * (1 + self.magnitude(*values)))

    def magnitude(self, *values: np.ndarray) -> np.ndarray:
        """The sum of the absolute values of the expression's terms at every point."""
        with np.errstate(all="ignore"):
            return _broadcast(self._magnitude(*values), values)


class Polynomial:
    """A polynomial with rational coefficients over a chunk: a :class:`Compiled` quick to build.

    No code is generated (``lambdify`` takes milliseconds per expression, and
    a deep tree has hundreds of payoffs): the terms are summed in numpy.

    Examples
    --------
    >>> import sympy
    >>> p = sympy.Symbol("p")
    >>> f = Polynomial(3 * p - 1, [p])
    >>> x = np.array([0.0, 1 / 3, 1.0])
    >>> f(x).tolist(), f.uncertain(f(x), x).tolist(), f.magnitude(x).tolist()
    ([-1.0, 0.0, 2.0], [False, True, False], [1.0, 2.0, 4.0])
    """

    def __init__(self, expr: sympy.Expr, symbols: Sequence[sympy.Symbol]):
        import sympy  # lazy: start-up time (sympy; a sweep of linear payoffs needs none)

        self.expr = expr
        poly = sympy.Poly(expr, *symbols)
        if not (poly.domain.is_QQ or poly.domain.is_ZZ):
            raise ValueError(f"coefficients are not rational: {expr}")
        self.terms = [
            (float(coefficient), tuple(monomial))
            for monomial, coefficient in zip(poly.monoms(), poly.coeffs())
        ]

    def _sum(self, values: Sequence[np.ndarray], absolute: bool) -> np.ndarray:
        size = len(values[0]) if values else 1
        if all(not any(monomial) for _, monomial in self.terms):  # a constant
            constant = sum(abs(c) if absolute else c for c, _ in self.terms)
            return np.broadcast_to(np.float64(constant), (size,))
        total = np.zeros(size)
        for coefficient, monomial in self.terms:
            term = np.full(size, abs(coefficient) if absolute else coefficient)
            for value, power in zip(values, monomial):
                if power:
                    term *= (np.abs(value) if absolute else value) ** power
            total += term
        return total

    def __call__(self, *values: np.ndarray) -> np.ndarray:
        """The polynomial's float value at every point."""
        with np.errstate(all="ignore"):
            return self._sum(values, False)

    def uncertain(self, result: np.ndarray, *values: np.ndarray) -> np.ndarray:
        """True where ``result`` is too close to 0 to trust its sign."""
        with np.errstate(all="ignore"):
            return ~(np.abs(result) > TOLERANCE * (1 + self.magnitude(*values)))

    def magnitude(self, *values: np.ndarray) -> np.ndarray:
        """The sum of the absolute values of the terms at every point."""
        with np.errstate(all="ignore"):
            return self._sum(values, True)


def compile_expression(expr: sympy.Expr, symbols: Sequence[sympy.Symbol]) -> Compiled | Polynomial:
    """A :class:`Polynomial` where the expression is one (quick to build), else :class:`Compiled`.

    Examples
    --------
    >>> import sympy
    >>> p = sympy.Symbol("p")
    >>> [type(compile_expression(e, [p])).__name__ for e in (p / 2 - 1, 1 / p)]
    ['Polynomial', 'Compiled']
    """
    import sympy  # lazy: start-up time (sympy; a sweep of linear payoffs needs none)

    if symbols:
        try:
            return Polynomial(expr, symbols)
        except (sympy.PolynomialError, ValueError):
            pass
    return Compiled(expr, symbols)


def lambdify(symbols: Sequence[sympy.Symbol], expr: sympy.Expr) -> Callable[..., object]:
    """``sympy.lambdify`` to numpy, with the symbols renamed so user names meet no namespace.

    A parameter may be called ``maximum``, ``select`` or ``sqrt``: lambdify's
    generated code would look those names up among numpy's functions (and put
    the symbols there too), so the symbols are first replaced by reserved ones
    with the same assumptions (parameter names never start with ``__``).

    The namespace is numpy's module itself, not the name ``"numpy"``: the
    same printer and generated code, without the ``from numpy import *`` that
    imports numpy's lazily loaded submodules (``f2py``, ``testing``...), a
    tenth of a second or more of every sweep's start-up.

    Examples
    --------
    >>> import sympy
    >>> maximum = sympy.Symbol("maximum")
    >>> lambdify([maximum], sympy.Max(maximum, 1))(np.array([0.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    import sympy  # lazy: start-up time (sympy; a sweep of linear payoffs needs none)

    safe = [sympy.Symbol(_safe_name(i), **symbol.assumptions0) for i, symbol in enumerate(symbols)]
    renamed = sympy.sympify(expr).xreplace(dict(zip(symbols, safe)))
    return sympy.lambdify(safe, renamed, [np])


def _safe_name(index: int) -> str:
    """The name :func:`lambdify` gives the symbol of the ``index``-th argument."""
    return f"__credibility_arg{index}"


class Linear:
    """A linear form over a chunk: a :class:`Compiled` built without sympy, to the same bits.

    The form's float values are those of the code :func:`lambdify` generates for the
    sympy expression of the form (that :class:`Compiled` runs): its terms in the order
    sympy prints a sum in (by the names of :func:`lambdify`'s renamed symbols, so ``x10``
    before ``x2``), each ``coefficient * x`` with the coefficient rounded once to a float
    (``(1/3)*x``, ``-2*x``), added from left to right, the constant last. Its magnitude,
    ``sum(|coefficient| * |x|) + |constant|``, is :class:`Compiled`'s to the same value
    (its zeros may differ in sign, which no comparison sees): sympy writes ``Abs(-2*x)``
    as ``2*Abs(x)``, or as ``2*x`` (``-2*x``) where ``x`` is known to be nonnegative
    (nonpositive), the same float for any value in the parameter's bounds; it prints
    those terms first, then the ``Abs`` ones, each group in the order of the names.
    Coefficients must be exact in float64 (:meth:`of`), so that rounding ``p/q`` once,
    as Python's division does, is the float of the fraction.

    Parameters
    ----------
    form : LinearForm
        Over some of the swept parameters.
    names : sequence of str
        The swept parameters, in the order their arrays are passed.
    signed : collection of str
        The swept parameters whose sign their bounds fix (a minimum >= 0 or a maximum
        <= 0: their symbols are nonnegative or nonpositive).

    Examples
    --------
    >>> form = LinearForm(Fraction(-1), (("c", Fraction(1, 3)),))
    >>> f = Linear(form, ["c"], ())
    >>> x = np.array([0.0, 3.0, 6.0])
    >>> f(x).tolist(), f.uncertain(f(x), x).tolist(), f.magnitude(x).tolist()
    ([-1.0, 0.0, 1.0], [False, True, False], [1.0, 2.0, 3.0])
    """

    def __init__(self, form: LinearForm, names: Sequence[str], signed: Collection[str]):
        index = {name: i for i, name in enumerate(names)}
        terms = [(index[name], c, name in signed) for name, c in form.terms if c]
        self.form = form
        self._terms = [(i, float(c)) for i, c, _ in sorted(terms, key=lambda t: _safe_name(t[0]))]
        self._sizes = [
            (i, float(abs(c)))
            for i, c, _ in sorted(terms, key=lambda t: (not t[2], _safe_name(t[0])))
        ]
        self._constant = float(form.constant)

    @staticmethod
    def of(form: LinearForm, names: Sequence[str], signed: Collection[str]) -> Linear | None:
        """The form over ``names``, or None if a coefficient is not exact in float64."""
        numbers = (form.constant, *(c for _, c in form.terms))
        if any(max(abs(x.numerator), x.denominator) >= _EXACT_FLOAT for x in numbers):
            return None
        return Linear(form, names, signed)

    def __call__(self, *values: np.ndarray) -> np.ndarray:
        """The form's float value at every point."""
        return self._sum(values, False)

    def uncertain(self, result: np.ndarray, *values: np.ndarray) -> np.ndarray:
        """True where ``result`` (this form's values) is too close to 0 to trust its sign."""
        with np.errstate(all="ignore"):
            return ~(np.abs(result) > TOLERANCE * (1 + self.magnitude(*values)))

    def magnitude(self, *values: np.ndarray) -> np.ndarray:
        """The sum of the absolute values of the form's terms at every point."""
        return self._sum(values, True)

    def _sum(self, values: Sequence[np.ndarray], absolute: bool) -> np.ndarray:
        total: np.ndarray | None = None
        with np.errstate(all="ignore"):
            for i, factor in self._sizes if absolute else self._terms:
                x = np.abs(values[i]) if absolute else values[i]
                term = x if factor == 1 else factor * x
                total = term if total is None else total + term
            constant = abs(self._constant) if absolute else self._constant
            result = constant if total is None else total + constant if constant else total
        return _broadcast(result, tuple(values))


def _broadcast(result: object, values: tuple[np.ndarray, ...]) -> np.ndarray:
    shape = (len(values[0]),) if values else ()
    return np.broadcast_to(np.asarray(result, dtype=np.float64), shape)


def exact_polynomial(
    expr: sympy.Expr, symbols: Sequence[sympy.Symbol]
) -> Callable[[Sequence[Fraction]], Fraction] | None:
    """An exact evaluator of a polynomial with rational coefficients (None if it is not one).

    Examples
    --------
    >>> import sympy
    >>> p, c = sympy.symbols("p c")
    >>> f = exact_polynomial(3 * p * c - sympy.Rational(1, 2), [p, c])
    >>> f([Fraction(1, 3), Fraction(1, 2)])
    Fraction(0, 1)
    >>> exact_polynomial(sympy.Abs(p), [p]) is None
    True
    """
    import sympy  # lazy: start-up time (sympy; a sweep of linear payoffs needs none)

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


#: Integer values are kept below this (int64 holds 2**63 - 1; float bounds have slack).
_INTEGER_LIMIT = 2.0**61


class IntegerForm:
    """Polynomials with rational coefficients, evaluated exactly at rational points in int64.

    At a point ``x = n / d`` (numerators ``n_i``, positive denominators
    ``d_i``), every polynomial is multiplied by the same positive factor
    ``L * prod(d_i ** D_i)`` (``L``: the common denominator of all
    coefficients, ``D_i``: the highest degree of ``x_i`` among the
    polynomials), which makes each an integer polynomial in ``n`` and ``d``:
    ``sum(L c_a prod(n_i ** a_i d_i ** (D_i - a_i)))``. Signs and ratios of
    the polynomials are those of these integers. A point where the sum of
    the absolute values of the terms could exceed 2**61 is not evaluated
    (``ok`` is False there).

    Parameters
    ----------
    exprs : sequence of sympy.Expr
    symbols : sequence of sympy.Symbol

    Raises
    ------
    ValueError
        If an expression is not a polynomial with rational coefficients.

    Examples
    --------
    >>> import sympy
    >>> p, c = sympy.symbols("p c")
    >>> form = IntegerForm([3 * p - 1, c * p - sympy.Rational(1, 2)], [p, c])
    >>> numerators = [np.array([1, 2]), np.array([1, 3])]
    >>> values, ok = form(numerators, [np.array([3, 1]), np.array([1, 2])])
    >>> values.tolist(), ok.tolist()
    ([[0, 20], [-1, 10]], [True, True])

    At ``p = 1/3, c = 1`` the two are 0 and ``-1/6`` (scaled by ``2 * 3 * 1``);
    at ``p = 2, c = 3/2``, ``5`` and ``5/2`` (scaled by ``2 * 1 * 2``).
    """

    def __init__(self, exprs: Sequence[sympy.Expr], symbols: Sequence[sympy.Symbol]):
        import sympy  # lazy: start-up time (sympy; a sweep of linear payoffs needs none)

        polys: list[Terms] = []
        for expr in exprs:
            try:
                poly = sympy.Poly(sympy.sympify(expr), *symbols) if symbols else None
            except sympy.PolynomialError:
                raise ValueError(f"not a polynomial: {expr}") from None
            if poly is None:
                expr = sympy.sympify(expr)
                if not expr.is_Rational:
                    raise ValueError(f"not a rational constant: {expr}")
                polys.append([((), Fraction(int(expr.p), int(expr.q)))])
                continue
            if not (poly.domain.is_QQ or poly.domain.is_ZZ):
                raise ValueError(f"coefficients are not rational: {expr}")
            polys.append(
                [
                    (tuple(monomial), Fraction(int(c.p), int(c.q)))
                    for monomial, c in zip(poly.monoms(), poly.coeffs())
                ]
            )
        self._build(polys, len(symbols))

    @classmethod
    def of_linear(cls, forms: Sequence[LinearForm], names: Sequence[str]) -> IntegerForm:
        """The integer form of linear forms over the swept parameters ``names``, without sympy.

        The terms are those ``sympy.Poly`` gives the forms' expressions, in its order
        (the parameters' in ``names`` order, then the constant; a zero form is one zero
        term), so that the form is the one :class:`IntegerForm` builds from them.

        Raises
        ------
        ValueError
            If a coefficient is too large for 64-bit integers.

        Examples
        --------
        >>> half = LinearForm(Fraction(-1, 2), (("p", Fraction(3)),))
        >>> form = IntegerForm.of_linear([half, LinearForm(Fraction(0), ())], ["p"])
        >>> form([np.array([1])], [np.array([3])])[0].tolist()
        [[3], [0]]
        """
        index = {name: i for i, name in enumerate(names)}
        polys: list[Terms] = []
        for form in forms:
            coefficients = dict(form.terms)
            terms: Terms = [
                (tuple(int(k == index[name]) for k in range(len(names))), coefficients[name])
                for name in names
                if coefficients.get(name)
            ]
            if form.constant or not terms:
                terms.append(((0,) * len(names), form.constant))
            polys.append(terms)
        integer_form = cls.__new__(cls)
        integer_form._build(polys, len(names))
        return integer_form

    def _build(self, polys: list[Terms], dimension: int) -> None:
        self.size = len(polys)
        self.dimension = dimension
        common = math.lcm(1, *(c.denominator for terms in polys for _, c in terms))
        if any(abs(c * common) >= _INTEGER_LIMIT for terms in polys for _, c in terms):
            raise ValueError("coefficients too large for 64-bit integers")
        self.degrees = tuple(
            max((m[i] for terms in polys for m, _ in terms if m), default=0)
            for i in range(self.dimension)
        )
        #: Per polynomial: (integer coefficient, powers of n, powers of d) per term.
        self.terms = tuple(
            tuple(
                (
                    int(c * common),
                    m or (0,) * self.dimension,
                    tuple(D - a for D, a in zip(self.degrees, m or (0,) * self.dimension)),
                )
                for m, c in terms
            )
            for terms in polys
        )

    def __call__(
        self, numerators: Sequence[np.ndarray], denominators: Sequence[np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The scaled integer values ``(len(exprs), N)`` and where they are exact ``(N,)``.

        ``numerators`` and ``denominators`` hold each symbol's int64 numerators
        and positive denominators, one entry per point.
        """
        size = len(numerators[0]) if numerators else 1
        powers: dict[tuple[int, int, int], np.ndarray] = {}
        sources = (numerators, denominators)

        def power(kind: int, i: int, k: int) -> np.ndarray:
            if (kind, i, k) not in powers:
                base = np.asarray(sources[kind][i], dtype=np.int64)
                powers[kind, i, k] = base if k == 1 else power(kind, i, k - 1) * base
            return powers[kind, i, k]

        sizes = [
            (np.abs(np.asarray(n, dtype=np.float64)), np.asarray(d, dtype=np.float64))
            for n, d in zip(numerators, denominators)
        ]
        bound = np.zeros(size)
        values = np.zeros((self.size, size), dtype=np.int64)
        with np.errstate(over="ignore", invalid="ignore"):
            for k, terms in enumerate(self.terms):
                magnitude = np.zeros(size)
                for coefficient, a, b in terms:
                    term = np.full(size, float(abs(coefficient)))
                    exact = np.full(size, coefficient, dtype=np.int64)
                    for i in range(self.dimension):
                        for kind, exponent in ((0, a[i]), (1, b[i])):
                            if exponent:
                                term *= sizes[i][kind] ** exponent
                                exact *= power(kind, i, exponent)
                    magnitude += term
                    values[k] += exact
                np.maximum(bound, magnitude, out=bound)
        ok = bound < _INTEGER_LIMIT  # NaN bounds (never) would fail too
        values[:, ~ok] = 0
        return values, ok
