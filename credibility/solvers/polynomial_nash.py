"""All isolated Nash equilibria of an n-player strategic-form game, exactly.

Support enumeration with one polynomial system per support profile, solved by
Groebner bases over the rationals (:func:`sympy.groebner`), in the manner of
Gambit's ``enumpoly`` (written independently of it).

Characterisation
----------------
Players ``i = 0..n-1`` with ``m_i`` strategies and payoff tensors ``u_i``. A
mixed profile ``sigma`` is a Nash equilibrium iff for every player ``i`` there is
a number ``v_i`` with

* ``E u_i(s, sigma_-i) = v_i`` for every ``s`` in ``supp(sigma_i)``,
* ``E u_i(s, sigma_-i) <= v_i`` for every other ``s``,
* ``sigma_i(s) > 0`` on the support and ``sum_s sigma_i(s) = 1``.

(``E u_i(sigma)`` is the ``sigma_i``-average of the ``E u_i(s, sigma_-i)``, so it
equals ``v_i``, the maximum over pure deviations, which bounds every mixed one.)

Algorithm
---------
For every support profile ``S = (S_1, ..., S_n)`` of nonempty sets, with
``S_i = {a_0 < a_1 < ... < a_k}``, the unknowns are ``x_{i,r} = sigma_i(a_r)`` for
``r >= 1`` and ``sigma_i(a_0) = 1 - sum_r x_{i,r}``: the sum-to-one equation is
eliminated. The equations are ``E u_i(a_r, sigma_-i) - E u_i(a_0, sigma_-i) = 0``
for ``r >= 1``: as many equations as unknowns, each multilinear (degree at most one
in each player's unknowns, none in player ``i``'s) with rational coefficients. Its
coefficients are read off the payoff tensor restricted to ``S_-i``: along each
other player's axis, ``sigma_j(a_0) = 1 - sum x`` turns entry ``r >= 1`` into the
coefficient ``D[r] - D[0]`` of ``x_{j,r}`` and leaves ``D[0]`` as the constant.

1. **Pruning** (before any algebra; exact integer comparisons only). A support
   profile is skipped when some ``s`` in some ``S_i`` is *conditionally
   dominated*: some other pure ``t`` (any of ``i``'s strategies) has
   ``u_i(t, s_-i) >= u_i(s, s_-i)`` at every pure ``s_-i`` in ``S_-i``, strictly
   at one at least. This includes conditional strict dominance (Porter, Nudelman
   and Shoham 2008) and is sound for the same reason: every candidate
   ``sigma_-i`` gives each profile of ``S_-i`` positive probability (a product of
   positive marginals), so ``E u_i(t, sigma_-i) - E u_i(s, sigma_-i)``, a
   positively weighted sum of nonnegative differences one of which is positive,
   is positive: ``s`` is not a best response and cannot be in the support.
2. **Groebner basis** of the equations (degree-reverse-lexicographic order, over
   QQ). The basis ``[1]`` means no complex solution at all, so no equilibrium. If
   the ideal is not zero-dimensional, the support profile is listed in
   ``continua`` and the result is marked incomplete (nothing is enumerated
   there), unless an exact linear relaxation proves that no equilibrium has this
   support. For a mixing player ``l``, the constraints of each player ``i`` whose
   other opponents all play one strategy are linear in ``sigma_l``; with
   ``sigma_l >= eps`` they form a linear program, solved in rationals
   (:func:`sympy.solvers.simplex.lpmax`). If it is infeasible or its largest
   ``eps`` is not positive, no ``sigma_l`` of full support meets them. The other
   constraints were dropped, which only enlarges the feasible set: sound.
3. **Shape position** (rational univariate representation). For a
   zero-dimensional ideal a separating linear form ``t = sum c_j x_j`` is added
   (first ``t = x_last``, then forms with seeded random integer ``c``, ever larger) and
   the basis is converted to lexicographic order with ``t`` smallest (FGLM). If
   it reads ``{x_j - g_j(t)} + {f(t)}``, the complex solutions are exactly the
   points ``x_j = g_j(theta)`` for the roots ``theta`` of ``f``, one point per
   distinct root. Should no form give that shape (a non-radical ideal), the
   squarefree parts of each variable's eliminant are added first (Seidenberg's
   lemma: the result is the radical, same solutions), then the forms are tried
   again; failing even that, the profile is listed in ``unsolved`` (incomplete).
4. **Exact signs.** ``f`` is factored over QQ; for each irreducible factor ``p``
   and each real root ``theta`` of ``p`` (exact isolating interval with rational
   ends), every needed quantity is a polynomial ``h`` in ``theta``, reduced
   modulo ``p``: each support probability (must be ``> 0``) and each
   off-support deviation gain ``E u_i(s, sigma_-i) - v_i`` (must be ``<= 0``).
   ``h(theta) = 0`` iff ``p`` divides ``h`` (``p`` is irreducible); otherwise the
   sign is read off an exact rational interval evaluation of ``h`` on the
   isolating interval, bisected until the enclosure excludes zero (it must, as
   ``h(theta) != 0``). No floating-point value decides anything.
5. **Exact values.** Each coordinate ``h(theta)`` gets its own minimal
   polynomial: the irreducible factor of ``res_y(p(y), z - h(y))`` that vanishes
   at it (again decided by divisibility modulo ``p``). Degree one gives a
   :class:`~fractions.Fraction`, degree two a radical expression, higher degree
   ``CRootOf(q, k)``, the real root ``k`` being identified by nested rational
   intervals.

Completeness and duplicates: every equilibrium ``sigma`` solves the system of its
own support profile ``supp(sigma)`` with all unknowns positive, and pruning never
removes it (step 1). If that system is zero-dimensional, ``sigma`` is one of its
points and is returned; otherwise its support is listed in ``continua``. Since
positivity is demanded on the whole support, a point is returned only from its
own support profile, so nothing is returned twice.

With a time budget (``seconds``), an enumeration that runs out stops between
support profiles or inside one long basis computation (a timer, where
:func:`credibility.symbolic.budget.running` can set one), returns what it found,
and says ``stopped`` (so not ``complete``).

Examples
--------
A 3-player game in which each player wants to match the next one (player 3
wants to mismatch player 1): no pure equilibrium, one totally mixed.

>>> from fractions import Fraction
>>> import itertools
>>> cells = list(itertools.product(range(2), repeat=3))
>>> u1 = [Fraction(int(a == b)) for a, b, c in cells]
>>> u2 = [Fraction(int(b == c)) for a, b, c in cells]
>>> u3 = [Fraction(int(c != a)) for a, b, c in cells]
>>> result = enumerate_mixed([u1, u2, u3], (2, 2, 2))
>>> [(e.support, e.probabilities[0]) for e in result.equilibria]
[(((0, 1), (0, 1), (0, 1)), (Fraction(1, 2), Fraction(1, 2)))]
>>> result.complete
True
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

import numpy as np
import sympy
from sympy.solvers.simplex import InfeasibleLPError, lpmax

from ..errors import GameTooLargeError
from ..models.normal import count_support_profiles
from ..symbolic.budget import Budget, OutOfBudget, checkpoint, running
from .reporting import reporter

__all__ = [
    "MAX_SUPPORT_PROFILES",
    "AlgebraicProfile",
    "PolynomialEnumeration",
    "enumerate_mixed",
]

#: More support profiles than this and :func:`enumerate_mixed` refuses the game.
MAX_SUPPORT_PROFILES = 20_000

#: Random separating forms tried before and after radicalisation.
_SEPARATING_TRIES = 4

Value: TypeAlias = Fraction | sympy.Expr
# A multilinear polynomial: exponent tuple (0/1 per unknown) -> integer coefficient.
Multilinear: TypeAlias = dict[tuple[int, ...], int]
Support: TypeAlias = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class AlgebraicProfile:
    """One Nash equilibrium with exact algebraic coordinates.

    Attributes
    ----------
    probabilities : tuple of tuple of Fraction or sympy.Expr
        Per player, per strategy (0 outside the support). Fractions when rational,
        else an exact sympy number: radicals when of degree 2, ``CRootOf`` above.
    payoffs : tuple of Fraction or sympy.Expr
        Each player's expected payoff, same convention.
    approx : tuple of tuple of float
        The probabilities as floats.
    support : tuple of tuple of int
        The strategies played with positive probability, per player.
    """

    probabilities: tuple[tuple[Value, ...], ...]
    payoffs: tuple[Value, ...]
    approx: tuple[tuple[float, ...], ...]
    support: Support

    @property
    def pure(self) -> bool:
        """Whether every player plays a single strategy."""
        return all(len(s) == 1 for s in self.support)


@dataclass(frozen=True)
class PolynomialEnumeration:
    """The outcome of :func:`enumerate_mixed`.

    Attributes
    ----------
    equilibria : tuple of AlgebraicProfile
        By total support size, then support (lexicographic), then ``approx``.
    continua : tuple of support profiles
        Profiles whose system is not zero-dimensional: equilibria there (if any)
        are not enumerated.
    unsolved : tuple of support profiles
        Zero-dimensional profiles no separating form put in shape position.
    supports_examined : int
        Support profiles finished (pruned ones included).
    supports_pruned : int
        Support profiles skipped by conditional dominance (see the module notes).
    supports_total : int
        Support profiles of the game: fewer were examined if the time ran out.
    """

    equilibria: tuple[AlgebraicProfile, ...]
    continua: tuple[Support, ...]
    unsolved: tuple[Support, ...]
    supports_examined: int
    supports_pruned: int
    supports_total: int

    @property
    def stopped(self) -> bool:
        """True if the time ran out before every support profile was examined."""
        return self.supports_examined < self.supports_total

    @property
    def complete(self) -> bool:
        """Whether ``equilibria`` lists every isolated equilibrium: nothing left unsolved."""
        return not self.continua and not self.unsolved and not self.stopped


# ---------------------------------------------------------------------------------------
# Exact real algebraic numbers: a root of an irreducible polynomial in an interval
# ---------------------------------------------------------------------------------------


def _fraction(c: sympy.Expr) -> Fraction:
    rational = sympy.Rational(c)
    return Fraction(int(rational.p), int(rational.q))


def _horner(coeffs: Sequence[Fraction], x: Fraction) -> Fraction:
    acc = Fraction(0)
    for c in coeffs:
        acc = acc * x + c
    return acc


def _interval_horner(
    coeffs: Sequence[Fraction], lo: Fraction, hi: Fraction
) -> tuple[Fraction, Fraction]:
    """An enclosure of ``{h(x): lo <= x <= hi}`` by rational interval arithmetic."""
    a = b = Fraction(0)
    for c in coeffs:
        products = (a * lo, a * hi, b * lo, b * hi)
        a, b = min(products) + c, max(products) + c
    return a, b


class _RealRoot:
    """The real root of an irreducible ``p`` (degree >= 2) in a rational interval ``(lo, hi)``."""

    def __init__(self, p: sympy.Poly, index: int, lo: Fraction, hi: Fraction):
        self.p = p
        self.index = index
        self.coeffs = [_fraction(c) for c in p.all_coeffs()]
        self.lo, self.hi = lo, hi
        self.sign_lo = _horner(self.coeffs, lo) > 0

    def bisect(self) -> None:
        """Halve the isolating interval (``p`` has no rational root, so no end is a root)."""
        mid = (self.lo + self.hi) / 2
        if (_horner(self.coeffs, mid) > 0) == self.sign_lo:
            self.lo = mid
        else:
            self.hi = mid

    def enclose(self, h: sympy.Poly, width: Fraction) -> tuple[Fraction, Fraction]:
        """An interval of width at most ``width`` holding ``h(theta)`` (``h`` in Q[t])."""
        coeffs = [_fraction(c) for c in h.all_coeffs()]
        while True:
            lo, hi = _interval_horner(coeffs, self.lo, self.hi)
            if hi - lo <= width:
                return lo, hi
            self.bisect()

    def sign(self, h: sympy.Poly) -> int:
        """The exact sign of ``h(theta)``."""
        h = h.rem(self.p)
        if h.is_zero:
            return 0
        coeffs = [_fraction(c) for c in h.all_coeffs()]
        while True:  # h(theta) != 0 as p is irreducible and does not divide h
            lo, hi = _interval_horner(coeffs, self.lo, self.hi)
            if lo > 0:
                return 1
            if hi < 0:
                return -1
            self.bisect()


def _exact_value(root: _RealRoot, h: sympy.Poly, z: sympy.Symbol) -> Value:
    """``h(theta)`` exactly: a Fraction, a radical (degree 2) or a CRootOf."""
    h = h.rem(root.p)
    if h.degree() <= 0:
        return _fraction(h.LC()) if not h.is_zero else Fraction(0)
    y = root.p.gens[0]
    resultant = sympy.Poly(sympy.resultant(root.p.as_expr(), z - h.as_expr(), y), z, domain="QQ")
    minimal = None
    for factor, _ in resultant.factor_list()[1]:
        if _compose_mod(factor, h, root.p).is_zero:
            minimal = factor
            break
    assert minimal is not None, "h(theta) is a root of its characteristic polynomial"
    if minimal.degree() == 1:
        a, b = (_fraction(c) for c in minimal.all_coeffs())
        return -b / a
    minimal_root = [
        _RealRoot(minimal, k, _fraction(lo), _fraction(hi))
        for k, ((lo, hi), _) in enumerate(minimal.intervals())
    ]
    width = Fraction(1)
    while True:
        lo, hi = root.enclose(h, width)
        hits = [r for r in minimal_root if r.lo <= hi and lo <= r.hi]
        if len(hits) == 1:
            k = hits[0].index
            break
        for r in hits:
            while r.hi - r.lo > width:
                r.bisect()
        width /= 4
    if minimal.degree() == 2:
        a, b, c = (sympy.Rational(_fraction(x)) for x in minimal.all_coeffs())
        sign = 1 if (k == 1) == (a > 0) else -1
        return (-b + sign * sympy.sqrt(b * b - 4 * a * c)) / (2 * a)
    return sympy.CRootOf(minimal.as_expr(), k)


def _compose_mod(q: sympy.Poly, h: sympy.Poly, p: sympy.Poly) -> sympy.Poly:
    """``q(h(t)) mod p(t)`` by Horner's rule."""
    acc = sympy.Poly(0, h.gens[0], domain="QQ")
    for c in q.all_coeffs():
        acc = (acc * h + c).rem(p)
    return acc


# ---------------------------------------------------------------------------------------
# The polynomial system of one support profile
# ---------------------------------------------------------------------------------------


class _Game:
    """Integer payoff tensors (each player's scaled by the lcm of its denominators)."""

    def __init__(self, payoffs: Sequence[Sequence[Fraction | int]], shape: tuple[int, ...]):
        self.shape = shape
        self.n = len(shape)
        self.scale: list[int] = []
        self.tensors: list[np.ndarray] = []
        for values in payoffs:
            fractions = [Fraction(v) for v in values]
            scale = math.lcm(*(f.denominator for f in fractions))
            ints = np.empty(len(fractions), dtype=object)
            ints[:] = [f.numerator * (scale // f.denominator) for f in fractions]
            self.scale.append(scale)
            self.tensors.append(ints.reshape(shape))
        self._dominated: dict[tuple[int, Support], frozenset[int]] = {}

    def restricted(self, i: int, support: Support) -> np.ndarray:
        """``u_i`` with axis ``i`` first (all of ``i``'s strategies), others on ``S_-i``."""
        index = tuple(
            np.arange(self.shape[j]) if j == i else np.asarray(support[j]) for j in range(self.n)
        )
        return np.moveaxis(self.tensors[i][np.ix_(*index)], i, 0)

    def dominated(self, i: int, support: Support) -> frozenset[int]:
        """``i``'s strategies dominated on ``S_-i`` by a pure one: never worse, once better."""
        key = (i, tuple(s for j, s in enumerate(support) if j != i))
        if key not in self._dominated:
            rows = self.restricted(i, support).reshape(self.shape[i], -1)
            self._dominated[key] = frozenset(
                s
                for s in range(self.shape[i])
                if any(
                    bool(np.all(rows[t] >= rows[s]) and np.any(rows[t] > rows[s]))
                    for t in range(self.shape[i])
                    if t != s
                )
            )
        return self._dominated[key]


def _multilinear(table: np.ndarray, offsets: Sequence[int | None], nvars: int) -> Multilinear:
    """The polynomial ``sum_{s_-i} table[s_-i] prod_j sigma_j(s_j)`` as a coefficient dict.

    ``table`` has one axis per other player ``j`` (its support), ``offsets[k]`` is the
    index of axis ``k``'s first unknown (``None`` when the support is a singleton).
    """
    coefficients = table
    for axis in range(table.ndim):
        if table.shape[axis] > 1:
            first = np.take(coefficients, [0], axis=axis)
            rest = np.take(coefficients, range(1, table.shape[axis]), axis=axis) - first
            coefficients = np.concatenate([first, rest], axis=axis)
    poly: Multilinear = {}
    for index, c in np.ndenumerate(coefficients):
        if c:
            exponent = [0] * nvars
            for axis, r in enumerate(index):
                offset = offsets[axis]
                if r and offset is not None:
                    exponent[offset + r - 1] = 1
            poly[tuple(exponent)] = int(c)
    return poly


@dataclass
class _System:
    """The equations and the quantities to sign-check of one support profile."""

    support: Support
    nvars: int
    offsets: list[int | None]  # per player, its first unknown's index
    values: list[Multilinear]  # per player: E u_i(a_0, sigma_-i), scaled
    # (player i, s in S_i?, E u_i(s, sigma_-i) - E u_i(a_0, sigma_-i)) for every s != a_0:
    # an equation (= 0) when s is in the support, a deviation (<= 0) when not.
    owners: list[tuple[int, bool, Multilinear]]

    @property
    def equations(self) -> list[Multilinear]:
        return [poly for _, is_equation, poly in self.owners if is_equation]

    @property
    def deviations(self) -> list[Multilinear]:
        return [poly for _, is_equation, poly in self.owners if not is_equation]


def _system(game: _Game, support: Support) -> _System:
    offsets: list[int | None] = []
    nvars = 0
    for chosen in support:
        offsets.append(nvars if len(chosen) > 1 else None)
        nvars += len(chosen) - 1
    values: list[Multilinear] = []
    owners: list[tuple[int, bool, Multilinear]] = []
    for i in range(game.n):
        others = [offsets[j] for j in range(game.n) if j != i]
        table = game.restricted(i, support)
        base = table[support[i][0]]
        values.append(_multilinear(base, others, nvars))
        for s in range(game.shape[i]):
            if s == support[i][0]:
                continue
            poly = _multilinear(table[s] - base, others, nvars)
            owners.append((i, s in support[i], poly))
    return _System(support, nvars, offsets, values, owners)


def _evaluate(poly: Multilinear, point: Sequence[Fraction]) -> Fraction:
    total = Fraction(0)
    for exponent, c in poly.items():
        term = Fraction(c)
        for e, x in zip(exponent, point):
            if e:
                term *= x
        total += term
    return total


def _substitute(poly: Multilinear, images: Sequence[sympy.Poly], modulus: sympy.Poly) -> sympy.Poly:
    """``poly(g_1(t), ..., g_k(t)) mod p(t)``."""
    total = sympy.Poly(0, modulus.gens[0], domain="QQ")
    for exponent, c in poly.items():
        term = sympy.Poly(c, modulus.gens[0], domain="QQ")
        for e, g in zip(exponent, images):
            if e:
                term = (term * g).rem(modulus)
        total += term
    return total.rem(modulus)


def _probability_polys(system: _System) -> list[list[Multilinear]]:
    """Per player, per support strategy: its probability as a (linear) polynomial."""
    out: list[list[Multilinear]] = []
    zero = (0,) * system.nvars
    for s, offset in zip(system.support, system.offsets):
        if offset is None:
            out.append([{zero: 1}])
            continue
        units = []
        for r in range(len(s) - 1):
            e = [0] * system.nvars
            e[offset + r] = 1
            units.append(tuple(e))
        first: Multilinear = {zero: 1, **{u: -1 for u in units}}
        out.append([first] + [{u: 1} for u in units])
    return out


# ---------------------------------------------------------------------------------------
# Solving: Groebner basis, shape position, exact real roots
# ---------------------------------------------------------------------------------------


def _refuted(
    system: _System, probabilities: list[list[Multilinear]], xs: Sequence[sympy.Symbol]
) -> bool:
    """Whether a linear relaxation proves no equilibrium has this support (exact LPs).

    For each player ``l`` who mixes, take the constraints of every player ``i != l``
    whose opponents other than ``l`` all play a single strategy: they are linear in
    ``sigma_l``. Together with ``sigma_l >= eps`` they form a linear program; if its
    largest ``eps`` is not positive (or it is infeasible), no ``sigma_l`` with full
    support satisfies them, so there is no equilibrium. Dropping the other
    constraints only enlarges the feasible set, so the conclusion is sound.
    """
    mixing = [k for k, chosen in enumerate(system.support) if len(chosen) > 1]
    zero = (0,) * system.nvars
    for player, is_equation, poly in system.owners:
        if not any(k != player for k in mixing):  # a constant: the opponents play pure
            constant = poly.get(zero, 0)
            if constant > 0 or (is_equation and constant != 0):
                return True
    eps = sympy.Dummy("eps")
    for mixer in mixing:
        constraints = [_as_expr(q, xs) >= eps for q in probabilities[mixer]]
        for player, is_equation, poly in system.owners:
            if player == mixer or any(k not in (player, mixer) for k in mixing):
                continue
            expr = _as_expr(poly, xs)
            constraints.append(sympy.Eq(expr, 0) if is_equation else expr <= 0)
        if any(c is sympy.false for c in constraints):
            return True
        try:
            best, _ = lpmax(eps, [c for c in constraints if c is not sympy.true])
        except InfeasibleLPError:
            return True
        if best <= 0:
            return True
    return False


def _as_expr(poly: Multilinear, xs: Sequence[sympy.Symbol]) -> sympy.Expr:
    return sympy.Add(
        *(c * sympy.Mul(*(x for e, x in zip(exponent, xs) if e)) for exponent, c in poly.items())
    )


@dataclass
class _Shape:
    """Solutions ``x_j = images[j](t)`` for the roots ``t`` of ``eliminant``."""

    images: list[sympy.Poly]
    eliminant: sympy.Poly


def _shape(basis: sympy.GroebnerBasis, nvars: int) -> _Shape | None:
    """Read a lex basis (last generator smallest) as ``{x_j - g_j(t)} + {f(t)}``, if it is."""
    gens = basis.gens
    t = gens[-1]
    polys = list(basis.polys)
    eliminant = polys[-1]
    if any(e[:-1] != (0,) * (len(gens) - 1) for e in eliminant.monoms()):
        return None
    images: list[sympy.Poly | None] = [None] * len(gens)
    for poly in polys[:-1]:
        leading = poly.monoms()[0]
        if sum(leading) != 1 or leading[-1]:
            return None
        j = leading.index(1)
        rest = poly - sympy.Poly(gens[j], *gens, domain="QQ")
        if any(e[:-1] != (0,) * (len(gens) - 1) for e in rest.monoms()):
            return None
        images[j] = -sympy.Poly(rest.as_expr(), t, domain="QQ")
    images[-1] = sympy.Poly(t, t, domain="QQ")
    if any(g is None for g in images[:nvars]):
        return None
    return _Shape([g for g in images[:nvars] if g is not None], sympy.Poly(eliminant, t))


def _separate(generators: list[sympy.Poly], xs: Sequence[sympy.Symbol], seed: int) -> _Shape | None:
    """Try ``t = x_last``, then seeded random forms ``t = c . x``, for a shape-position basis."""
    lex = sympy.groebner(generators, *xs, order="grevlex", domain="QQ").fglm("lex")
    shape = _shape(lex, len(xs))
    if shape is not None:
        return shape
    t = sympy.Dummy("t")
    rng = random.Random(seed)
    for attempt in range(_SEPARATING_TRIES):  # coefficients up to 10, 100, ...: fewer ties
        form = sum(rng.randint(1, 10 ** (attempt + 1)) * x for x in xs)
        extended = [sympy.Poly(g.as_expr(), *xs, t, domain="QQ") for g in generators]
        extended.append(sympy.Poly(t - form, *xs, t, domain="QQ"))
        lex = sympy.groebner(extended, *xs, t, order="grevlex", domain="QQ").fglm("lex")
        shape = _shape(lex, len(xs))
        if shape is not None:
            return shape
    return None


def _radical(generators: list[sympy.Poly], xs: Sequence[sympy.Symbol]) -> list[sympy.Poly]:
    """Generators of the radical of a zero-dimensional ideal (Seidenberg's lemma)."""
    out = list(generators)
    for j, x in enumerate(xs):
        order = [*xs[:j], *xs[j + 1 :], x]
        lex = sympy.groebner(generators, *order, order="grevlex", domain="QQ").fglm("lex")
        eliminant = sympy.Poly(lex.polys[-1].as_expr(), x, domain="QQ")
        out.append(sympy.Poly(eliminant.sqf_part().as_expr(), *xs, domain="QQ"))
    return out


def _solve(system: _System, game: _Game, z: sympy.Symbol) -> tuple[str, list[AlgebraicProfile]]:
    """``("ok", equilibria)``, ``("continuum", [])`` or ``("unsolved", [])``."""
    probabilities = _probability_polys(system)
    if system.nvars == 0:
        return "ok", _check_rational(system, game, probabilities, [])
    xs = sympy.symbols(f"x0:{system.nvars}")
    generators = [sympy.Poly.from_dict(eq, *xs, domain="QQ") for eq in system.equations if eq]
    if not generators:
        return ("ok" if _refuted(system, probabilities, xs) else "continuum"), []
    basis = sympy.groebner(generators, *xs, order="grevlex", domain="QQ")
    if basis.exprs == [1]:
        return "ok", []
    if not basis.is_zero_dimensional:
        return ("ok" if _refuted(system, probabilities, xs) else "continuum"), []
    seed = hash(system.support) & 0xFFFF
    shape = _separate(list(basis.polys), xs, seed)
    if shape is None:
        shape = _separate(_radical(list(basis.polys), xs), xs, seed)
    if shape is None:
        return "unsolved", []
    found: list[AlgebraicProfile] = []
    for factor, _ in shape.eliminant.factor_list()[1]:
        if factor.degree() == 1:
            a, b = (_fraction(c) for c in factor.all_coeffs())
            theta = -b / a
            point = [_horner([_fraction(c) for c in g.all_coeffs()], theta) for g in shape.images]
            found.extend(_check_rational(system, game, probabilities, point))
            continue
        for k, ((lo, hi), _) in enumerate(factor.intervals()):
            root = _RealRoot(factor, k, _fraction(lo), _fraction(hi))
            profile = _check_algebraic(system, game, probabilities, shape, root, z)
            if profile is not None:
                found.append(profile)
    return "ok", found


def _check_rational(
    system: _System,
    game: _Game,
    probabilities: list[list[Multilinear]],
    point: Sequence[Fraction],
) -> list[AlgebraicProfile]:
    """The equilibrium at a rational point, if it is one (empty list otherwise)."""
    sigma = [[_evaluate(q, point) for q in player] for player in probabilities]
    if any(p <= 0 for player in sigma for p in player):
        return []
    if any(_evaluate(d, point) > 0 for d in system.deviations):
        return []
    payoffs = tuple(_evaluate(v, point) / scale for v, scale in zip(system.values, game.scale))
    full = _full(system.support, game.shape, sigma)
    approx = tuple(tuple(float(p) for p in player) for player in full)
    return [AlgebraicProfile(full, payoffs, approx, system.support)]


def _check_algebraic(
    system: _System,
    game: _Game,
    probabilities: list[list[Multilinear]],
    shape: _Shape,
    root: _RealRoot,
    z: sympy.Symbol,
) -> AlgebraicProfile | None:
    """The equilibrium at the point of an irrational root ``theta``, if it is one."""
    sigma = [[_substitute(q, shape.images, root.p) for q in player] for player in probabilities]
    if any(root.sign(p) <= 0 for player in sigma for p in player):
        return None
    if any(root.sign(_substitute(d, shape.images, root.p)) > 0 for d in system.deviations):
        return None
    exact = [[_exact_value(root, p, z) for p in player] for player in sigma]
    payoffs = tuple(
        _exact_value(root, _substitute(v, shape.images, root.p) * sympy.Rational(1, scale), z)
        for v, scale in zip(system.values, game.scale)
    )
    full = _full(system.support, game.shape, exact)
    approx = tuple(tuple(float(sympy.N(p, 20)) for p in player) for player in full)
    return AlgebraicProfile(full, payoffs, approx, system.support)


def _full(
    support: Support, shape: tuple[int, ...], sigma: Sequence[Sequence[Value]]
) -> tuple[tuple[Value, ...], ...]:
    out = []
    for s, m, values in zip(support, shape, sigma):
        row: list[Value] = [Fraction(0)] * m
        for strategy, value in zip(s, values):
            row[strategy] = value
        out.append(tuple(row))
    return tuple(out)


# ---------------------------------------------------------------------------------------
# The enumeration
# ---------------------------------------------------------------------------------------


def _support_profiles(shape: tuple[int, ...]) -> Iterator[Support]:
    """All support profiles by total size, then lexicographically."""
    subsets = [
        [c for k in range(1, m + 1) for c in itertools.combinations(range(m), k)] for m in shape
    ]
    profiles = sorted(itertools.product(*subsets), key=lambda s: (sum(map(len, s)), s))
    yield from profiles


def enumerate_mixed(
    payoffs: Sequence[Sequence[Fraction]],
    shape: tuple[int, ...],
    *,
    seconds: float | None = None,
) -> PolynomialEnumeration:
    """Every isolated Nash equilibrium, exactly, by support enumeration.

    Parameters
    ----------
    payoffs : sequence of sequence of Fraction
        One flat row-major list per player (last player's strategy fastest).
    shape : tuple of int
        ``(m_1, ..., m_n)``, ``n >= 2``.
    seconds : float, optional
        A time budget. When it runs out (checked between support profiles, and by a
        timer inside one long Groebner basis computation where
        :func:`credibility.symbolic.budget.running` can set one), the enumeration stops
        and returns what it found, with ``stopped`` true. None: no limit.

    Returns
    -------
    PolynomialEnumeration

    Raises
    ------
    GameTooLargeError
        When the game has more than :data:`MAX_SUPPORT_PROFILES` support profiles
        (raised before any work).
    """
    total = count_support_profiles(shape)
    if total > MAX_SUPPORT_PROFILES:
        raise GameTooLargeError(
            f"{total:,} support profiles for a game of shape {'x'.join(map(str, shape))}: "
            f"exact polynomial enumeration handles at most {MAX_SUPPORT_PROFILES:,}"
        )
    game = _Game(payoffs, shape)
    z = sympy.Symbol("z")
    equilibria: list[AlgebraicProfile] = []
    continua: list[Support] = []
    unsolved: list[Support] = []
    examined = pruned = 0
    report = reporter()
    budget = Budget(seconds)
    with running(budget):
        try:
            for support in _support_profiles(shape):
                checkpoint("support enumeration", examined, total, unit="support profiles")
                if report is not None:
                    report(examined, total, "support profiles")
                if any(set(support[i]) & game.dominated(i, support) for i in range(game.n)):
                    pruned += 1
                    examined += 1
                    continue
                status, found = _solve(_system(game, support), game, z)
                if status == "continuum":
                    continua.append(support)
                elif status == "unsolved":
                    unsolved.append(support)
                equilibria.extend(sorted(found, key=lambda e: e.approx))
                examined += 1
        except OutOfBudget:
            if budget.seconds is None or budget.elapsed < budget.seconds:
                raise  # an outer budget's, not this one's
    if report is not None:
        report(examined, total, "support profiles")
    return PolynomialEnumeration(
        tuple(equilibria), tuple(continua), tuple(unsolved), examined, pruned, total
    )
