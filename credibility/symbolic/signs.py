"""Signs of numbers and of expressions in the parameters, and whether sign conditions can hold.

The symbolic analyses ask two kinds of question, answered here once:

* **What is the sign of this expression?** :class:`SignOracle` answers from
  the parameters' bounds (the box ``low <= x <= high``) and from the signs
  already assumed on the way (a dict of normalised expression -> sign).
* **Can these sign conditions hold together?**
  :class:`~credibility.symbolic.feasibility.Box` (exactly for the conditions linear in the
  parameters, by the elimination of :mod:`credibility.symbolic.feasibility`, where it
  lives) and :class:`SignFeasibility` (the
  assumptions of a region analysis) decide whether a conjunction of strict
  inequalities leaves any point of the box.

When a decision is sound
------------------------
* A *number* (``int``, ``Fraction``, a sympy number) has its sign decided
  exactly (:func:`~credibility.solvers.exact.exact_sign`, which lives with the
  numeric solvers so that they need not import sympy; zero is 0).
* An expression is written ``c * key`` (:func:`normalise`) with ``c`` a
  number and ``key`` primitive with a plain leading sign, so ``2 - 6 p`` and
  ``3 p - 1`` share the key ``3 p - 1``; an assumption on the key decides
  every multiple of it exactly.
* Otherwise the range of the key over the box (:func:`expression_range`:
  exact for linear keys, interval arithmetic otherwise, which may only be
  *wider* than the true range) decides the sign when it lies on one side of
  0. A wider range can only leave a sign undecided, never decide it wrongly.
* A rational function has the sign of its numerator times that of its
  denominator; a product of irreducible factors, the product of their signs.
* What stays undecided is never guessed. :meth:`SignOracle.__call__` raises
  :class:`Undecided` with the key and the signs it may take (strictly
  positive or negative: regions are open, their boundaries are left to the
  exact solver at the point), and the caller *splits*: it reruns the analysis
  once per sign with that sign assumed. :meth:`SignOracle.possible` instead
  lists every sign still possible, 0 included, for the Fourier-Motzkin
  elimination of :mod:`credibility.symbolic.feasibility`, which branches on
  each; a comparison sympy cannot decide counts as possibly true there, so no
  possible sign is ever dropped.

Emptiness
---------
* :meth:`~credibility.symbolic.feasibility.Box.empty` is exact for conditions linear in the
  parameters with numeric coefficients (Fourier-Motzkin elimination,
  :func:`~credibility.symbolic.feasibility.solvable`); other conditions are
  opaque: a set is taken as empty only when its linear part is, when it asks
  one key to be both positive and negative, or when the box bounds a condition
  above by 0. It may thus call an empty set non-empty, never the converse.
* :class:`SignFeasibility` is exact with one free parameter (by real-root isolation,
  :func:`positive_somewhere`, for polynomials with rational coefficients, and sympy's
  univariate inequality solver otherwise); with several it asks whether some point of a
  fixed, seeded sample of the box satisfies every assumption, which only keeps
  the region analysis from exploring branches too thin to sample.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import sympy

from ..solvers.exact import exact_sign
from ..sweeps.compiled import lambdify  # user names must not meet numpy's

if TYPE_CHECKING:
    from ..parameters import Parameter

__all__ = [
    "SAMPLE_POINTS",
    "Bounds",
    "SignFeasibility",
    "SignOracle",
    "Undecided",
    "exact_sign",
    "expression_range",
    "has_sign",
    "normalise",
    "positive_somewhere",
]

#: Each free symbol's bounds as sympy numbers (``-oo``/``oo`` where unbounded).
Bounds = Mapping[sympy.Symbol, tuple[sympy.Expr, sympy.Expr]]
#: Random points used to test whether assumptions on several parameters can hold together.
SAMPLE_POINTS = 4096


@lru_cache(maxsize=16384)
def normalise(expr: sympy.Expr) -> tuple[sympy.Expr, int]:
    """``expr = c * key`` with ``c`` a number: the primitive part with a plain sign, and sign(c).

    Examples
    --------
    >>> p = sympy.Symbol("p")
    >>> normalise(6 * p - 2)
    (3*p - 1, 1)
    >>> normalise(2 - 6 * p)
    (3*p - 1, -1)
    """
    content, primitive = sympy.expand(expr).as_content_primitive()
    flip = exact_sign(content)
    if primitive.could_extract_minus_sign():
        return sympy.expand(-primitive), -flip
    return primitive, flip


def expression_range(expr: sympy.Expr, bounds: Bounds) -> tuple[sympy.Expr, sympy.Expr]:
    """Lower and upper bounds of ``expr`` over the box.

    Exact for expressions linear in the parameters, interval arithmetic (may
    be loose) otherwise.

    Examples
    --------
    >>> p, q = sympy.symbols("p q")
    >>> box = {p: (sympy.Integer(0), sympy.Integer(1)), q: (sympy.Integer(-1), sympy.oo)}
    >>> expression_range(1 - 3 * p, box)
    (-2, 1)
    >>> expression_range(p * q, box)
    (-1, oo)
    """
    symbols = [s for s in expr.free_symbols if s in bounds]
    try:
        poly = sympy.Poly(expr, *symbols)
    except sympy.PolynomialError:
        poly = None
    if poly is not None and poly.total_degree() <= 1:
        low = high = poly.coeff_monomial(1)
        for s in symbols:
            a = poly.coeff_monomial(s)
            lo, hi = bounds[s]
            low += a * (lo if a > 0 else hi)
            high += a * (hi if a > 0 else lo)
        return low, high
    boxes = {s: sympy.AccumBounds(*bounds[s]) for s in symbols}
    try:
        result = expr.subs(boxes)
    except (TypeError, ValueError, NotImplementedError):
        return -sympy.oo, sympy.oo
    if isinstance(result, sympy.AccumBounds):
        return result.min, result.max
    if result.is_number and result.is_real:
        return result, result
    return -sympy.oo, sympy.oo


def has_sign(expr: sympy.Expr, sign: int) -> sympy.Boolean:
    """The relation saying ``expr`` has ``sign`` (``expr = 0`` written ``>= 0 & <= 0``).

    Examples
    --------
    >>> p = sympy.Symbol("p")
    >>> has_sign(p, 1), has_sign(p, -1), has_sign(p, 0)
    (p > 0, p < 0, (p >= 0) & (p <= 0))
    """
    if sign > 0:
        return sympy.StrictGreaterThan(expr, 0)
    if sign < 0:
        return sympy.StrictLessThan(expr, 0)
    return sympy.And(sympy.GreaterThan(expr, 0), sympy.LessThan(expr, 0))


class Undecided(Exception):
    """Raised by a SignOracle when a sign cannot be decided: the caller splits.

    Attributes
    ----------
    key : sympy.Expr
        The normalised expression whose sign is undecided.
    signs : tuple of int
        The signs it may have (1 and/or -1).
    """

    def __init__(self, key: sympy.Expr, signs: tuple[int, ...]):
        super().__init__(str(key))
        self.key = key
        self.signs = signs


class SignOracle:
    """Decides signs of expressions from bounds and assumptions, or raises ``Undecided``.

    Parameters
    ----------
    bounds : mapping of sympy.Symbol to (low, high)
        Each free symbol's bounds (sympy numbers, ``-oo``/``oo`` if none).
    assumed : dict of sympy.Expr to int, optional
        Signs already assumed for normalised expressions (:func:`normalise`).

    Examples
    --------
    >>> p = sympy.Symbol("p")
    >>> oracle = SignOracle({p: (sympy.Integer(0), sympy.Integer(1))}, {})
    >>> oracle(2 - p), oracle(Fraction(-1, 2)), oracle(0)
    (1, -1, 0)
    >>> oracle(1 - 3 * p)
    Traceback (most recent call last):
    ...
    credibility.symbolic.signs.Undecided: 3*p - 1
    >>> oracle.assuming(3 * p - 1, 1)((1 - 3 * p) / (2 - p))
    -1
    >>> oracle.possible(1 - 3 * p), oracle.possible(p)
    ((-1, 0, 1), (1, 0))
    """

    def __init__(self, bounds: Bounds, assumed: dict[sympy.Expr, int] | None = None):
        self.bounds = bounds
        self.assumed = {} if assumed is None else assumed
        # Each key's range over the box, shared with the oracles ``assuming`` makes (same box).
        self._ranges: dict[sympy.Expr, tuple[sympy.Expr, sympy.Expr]] = {}

    def assuming(self, key: sympy.Expr, sign: int) -> SignOracle:
        """The same oracle, also assuming that the normalised ``key`` has ``sign``."""
        oracle = SignOracle(self.bounds, self.assumed | {key: sign})
        oracle._ranges = self._ranges
        return oracle

    def _range(self, key: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
        """:func:`expression_range` of ``key`` over the box, computed once per key."""
        found = self._ranges.get(key)
        if found is None:
            found = self._ranges[key] = expression_range(key, self.bounds)
        return found

    def __call__(self, value: sympy.Expr | Fraction | int) -> int:
        """The sign (-1, 0 or 1; 0 only for numbers) of ``value``; ``Undecided`` if not known."""
        numerator, denominator = _numerator_denominator(sympy.sympify(value))
        if denominator.is_number:
            return self._sign(numerator) * exact_sign(denominator)
        return self._sign(numerator) * self._sign(denominator)

    def _sign(self, expr: sympy.Expr) -> int:
        expr = sympy.expand(expr)
        if expr.is_number:
            return exact_sign(expr)
        key, flip = normalise(expr)
        if key in self.assumed:
            return flip * self.assumed[key]
        low, high = self._range(key)
        if low > 0:
            return flip
        if high < 0:
            return -flip
        factors = _factors(key)
        if len(factors) > 1 or factors[0][1] > 1:
            # The sign of a product is the product of its factors' signs: split on those.
            sign = flip
            for factor, power in factors:
                sign *= self._sign(factor) ** power
            return sign
        signs = tuple(s for s, possible in ((1, high > 0), (-1, low < 0)) if possible)
        raise Undecided(key, signs or (1, -1))

    def possible(self, expr: sympy.Expr) -> tuple[int, ...]:
        """Every sign ``expr`` (a polynomial) may still have, in the order 1, 0, -1 of its key.

        A number has its one sign; an assumed key, the sign assumed; otherwise
        the signs its range over the box allows (all three where the range is
        not known: a symbol without bounds).
        """
        if expr.is_number:
            return (exact_sign(expr),)
        key, flip = normalise(expr)
        if key in self.assumed:
            return (flip * self.assumed[key],)
        if key.free_symbols <= set(self.bounds):
            low, high = self._range(key)
        else:
            low, high = -sympy.oo, sympy.oo
        signs = []
        if _possibly(high > 0):
            signs.append(flip)
        if _possibly(low <= 0) and _possibly(high >= 0):
            signs.append(0)
        if _possibly(low < 0):
            signs.append(-flip)
        return tuple(signs) or (1, 0, -1)


def _possibly(relation: sympy.Boolean | bool) -> bool:
    """A comparison that sympy could not decide counts as possibly true."""
    return relation is not sympy.false and relation is not False


@lru_cache(maxsize=16384)
def _numerator_denominator(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """``expr`` as one fraction (the analyses ask about the same expressions again and again)."""
    return sympy.together(expr).as_numer_denom()  # type: ignore[no-any-return]


@lru_cache(maxsize=4096)
def _factors(key: sympy.Expr) -> tuple[tuple[sympy.Expr, int], ...]:
    """The irreducible factors of a normalised polynomial with their powers (numbers dropped)."""
    if not key.is_polynomial(*key.free_symbols):
        return ((key, 1),)  # p**k with k a parameter, say: not split into factors
    try:
        _, factors = sympy.factor_list(key)
    except (sympy.PolynomialError, NotImplementedError):
        return ((key, 1),)
    found = tuple((f, int(p)) for f, p in factors if not f.is_number)
    return found or ((key, 1),)


class SignFeasibility:
    """Whether assumed signs can hold together inside the box.

    Parameters
    ----------
    parameters : sequence of Parameter
        The free parameters.
    bounds : mapping of sympy.Symbol to (low, high)
        Their bounds (:func:`~credibility.symbolic.regions.parameter_box`).

    Examples
    --------
    >>> from credibility import Parameter
    >>> p = Parameter("p", Fraction(1, 2), Fraction(0), Fraction(1))
    >>> feasible = SignFeasibility([p], {p.symbol: (sympy.Integer(0), sympy.Integer(1))})
    >>> feasible({3 * p.symbol - 1: 1}), feasible({3 * p.symbol - 1: 1, p.symbol - 2: 1})
    (True, False)
    """

    def __init__(self, parameters: Sequence[Parameter], bounds: Bounds):
        self.symbols = [p.symbol for p in parameters]
        self.bounds = bounds
        self.sample = _sample(parameters, bounds) if len(parameters) > 1 else None
        self.signs: dict[sympy.Expr, np.ndarray] = {}

    def __call__(self, assumed: Mapping[sympy.Expr, int]) -> bool:
        """True if some point of the box (of the sample, with several parameters) has the signs."""
        if self.sample is None:
            return self._univariate([key * sign for key, sign in assumed.items()])
        inside = np.ones(SAMPLE_POINTS, dtype=bool)
        for key, sign in assumed.items():
            inside &= self._signs(key) == sign
        return bool(inside.any())

    def _signs(self, key: sympy.Expr) -> np.ndarray:
        """The sign of ``key`` at every sample point (computed once per expression)."""
        if key not in self.signs:
            values = lambdify(self.symbols, key)(*self.sample)  # type: ignore[misc]
            values = np.broadcast_to(np.asarray(values, dtype=float), (SAMPLE_POINTS,))
            self.signs[key] = np.sign(values)
        return self.signs[key]

    def _univariate(self, atoms: list[sympy.Expr]) -> bool:
        if not self.symbols:
            return all(bool(a > 0) for a in atoms)
        (x,) = self.symbols
        low, high = self.bounds[x]
        decided = positive_somewhere(atoms, x, low, high)
        if decided is not None:
            return decided
        region: sympy.Set = sympy.Interval(low, high)
        for atom in atoms:
            region = region.intersect(
                sympy.solve_univariate_inequality(atom > 0, x, relational=False, domain=region)
            )
            if region.is_empty:
                return False
        return not region.is_empty


def positive_somewhere(
    atoms: Sequence[sympy.Expr], x: sympy.Symbol, low: sympy.Expr, high: sympy.Expr
) -> bool | None:
    """Whether some ``x`` in ``[low, high]`` makes every expression of ``atoms`` positive.

    Exact for polynomials in ``x`` with rational coefficients, and for ``Max`` and ``Min`` of
    such polynomials, with rational or infinite bounds; ``None`` (undecided: the caller asks
    sympy's inequality solver) otherwise.

    *Polynomials.* The bounds join the polynomials as the roots ``x - low`` and ``x - high``;
    sympy's real-root isolation (``intervals(..., strict=True)``) encloses every real root of
    them all in disjoint intervals with rational ends. Every polynomial keeps its sign
    between two consecutive roots, and a point strictly between two consecutive intervals
    lies strictly between two consecutive roots, so one point of each such gap, one left of
    the first interval and one right of the last, is a point of every cell the roots cut
    the line into. The set sought is open (strict inequalities of continuous functions), so
    with ``low < high`` it meets ``[low, high]`` if and only if it meets a cell inside
    ``(low, high)``: the signs at those points, computed exactly, decide. Anything
    unexpected (touching intervals, a test point that is a root) returns ``None`` rather
    than a guess.

    *Max and Min.* ``Max(a_1, ..., a_k)`` is split into one case per argument ``a_i``: ``a_i``
    replaces it, with ``a_i - a_j > 0`` for every other ``j`` (``< 0`` for ``Min``). Each case's
    points satisfy the original conditions. Conversely the set sought is open, and where the
    arguments are distinct polynomials they tie at finitely many points only, so if the set
    is not empty it has a point where one argument is strictly largest: a point of that
    case. Arguments that do not differ leave the question to sympy.

    Examples
    --------
    >>> p = sympy.Symbol("p")
    >>> positive_somewhere([3 * p - 1, 2 - 3 * p], p, sympy.Integer(0), sympy.Integer(1))
    True
    >>> positive_somewhere([p**2 - 2, 1 - p], p, sympy.Integer(0), sympy.oo)
    False
    >>> half = sympy.Rational(1, 2)
    >>> positive_somewhere([half - sympy.Max(p, half / 2)], p, sympy.Integer(0), sympy.oo)
    True
    """
    if not all(b.is_Rational or b in (sympy.oo, -sympy.oo) for b in (low, high)):
        return None
    if low.is_Rational and high.is_Rational and low >= high:
        return low == high and all(atom.subs(x, low) > 0 for atom in atoms)
    return _split_extremes(list(atoms), x, low, high, MAX_EXTREME_SPLITS)


#: How many ``Max``/``Min`` a univariate decision splits on before leaving it to sympy.
MAX_EXTREME_SPLITS = 6


def _split_extremes(
    atoms: list[sympy.Expr], x: sympy.Symbol, low: sympy.Expr, high: sympy.Expr, left: int
) -> bool | None:
    """:func:`positive_somewhere` with ``low < high``: one case per argument of a Max/Min."""
    innermost = [
        extreme
        for atom in atoms
        for extreme in atom.atoms(sympy.Max, sympy.Min)
        if not any(arg.has(sympy.Max, sympy.Min) for arg in extreme.args)
    ]
    if not innermost:
        return _positive_on_cells(atoms, x, low, high)
    if left == 0:
        return None
    extreme = innermost[0]
    direction = 1 if isinstance(extreme, sympy.Max) else -1
    undecided = False
    for chosen in extreme.args:
        gaps = [
            sympy.expand(direction * (chosen - other))
            for other in extreme.args
            if other is not chosen
        ]
        if any(gap == 0 for gap in gaps):
            return None
        case = [atom.xreplace({extreme: chosen}) for atom in atoms] + gaps
        decided = _split_extremes(case, x, low, high, left - 1)
        if decided:
            return True
        undecided = undecided or decided is None
    return None if undecided else False


def _positive_on_cells(
    atoms: list[sympy.Expr], x: sympy.Symbol, low: sympy.Expr, high: sympy.Expr
) -> bool | None:
    """:func:`positive_somewhere` for polynomials with ``low < high`` (by real-root isolation)."""
    try:
        polys = [sympy.Poly(atom, x, domain="QQ") for atom in atoms]
    except (sympy.PolynomialError, sympy.polys.polyerrors.CoercionFailed):
        return None
    if any(poly.is_zero for poly in polys):
        return False  # 0 > 0 nowhere
    edges = [sympy.Poly(x - b, x, domain="QQ") for b in (low, high) if b.is_Rational]
    rooted = [poly for poly in polys + edges if poly.degree() > 0]
    try:
        isolated = sympy.intervals(rooted, strict=True) if rooted else []
    except (sympy.PolynomialError, sympy.polys.polyerrors.DomainError):
        return None
    ends = [(sympy.Rational(a), sympy.Rational(b)) for (a, b), _ in isolated]
    if any(b >= a for (_, b), (a, _) in pairwise(ends)):
        return None
    points = [sympy.Integer(0)]  # no root and no finite bound: the whole line is one cell
    if ends:
        points = [ends[0][0] - 1, *((b + a) / 2 for (_, b), (a, _) in pairwise(ends))]
        points.append(ends[-1][1] + 1)
    for point in points:
        if not low < point < high:
            continue
        values = [poly.eval(point) for poly in polys]
        if any(value == 0 for value in values):
            return None
        if all(value > 0 for value in values):
            return True
    return False


def _sample(parameters: Sequence[Parameter], bounds: Bounds) -> list[np.ndarray]:
    """Seeded random points of the box (unbounded sides reach 10 times the default's size)."""
    rng = np.random.default_rng(20261125)
    columns = []
    for p in parameters:
        low, high = bounds[p.symbol]
        span = 10 * (abs(float(p.default)) + 1)
        lo = float(low) if low.is_finite else float(p.default) - span
        hi = float(high) if high.is_finite else float(p.default) + span
        column = rng.uniform(lo, hi, SAMPLE_POINTS)
        column[:3] = [lo, hi, float(p.default)]
        columns.append(column)
    return columns
