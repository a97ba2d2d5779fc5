"""Thresholds of a symmetric game in its number of players, or in another parameter at a fixed n.

**In the number of players** ``n``. ``n`` is an integer, so the generic derivation of
:mod:`credibility.symbolic.thresholds` (roots of region boundaries on the real line) is fed a
region map built from the integers: every ``n`` in ``[min, max]`` of its bounds is classified
by the kind of its equilibrium set (``all Defend | mixed`` ...) with the sweep's evaluator
(:class:`~credibility.sweeps.symmetric.SymmetricEvaluator`: vectorised where the signs of the
gains are certain, :func:`~credibility.solvers.symmetric.solve_symmetric` exactly elsewhere;
its module argues why that classification is exact), consecutive ``n`` of the same kind form
a run, the run's last ``n`` is solved exactly for the equilibria shown, and a run ``a..b`` is
the region ``a <= n < b + 1`` of the real line (its conditions ``n - a > 0`` and
``b + 1 - n > 0``, the first run open to the left). The thresholds are then the integers
``a`` where a new run starts, and each region's integers are those of its interval.

**In another real parameter** ``x`` (a cost, a stake), with ``n`` and every other parameter
bound. The payoffs are then rational functions of ``x`` and so is each gain
``d(k) = u1(k) - u2(k)``; write ``d(k) = N_k(x) / L(x)`` over a common denominator and
``N(p, x) = sum_k C(n-1, k) p^k (1-p)^(n-1-k) N_k(x)``, so that ``D(p) = N(p, x) / L(x)``.
By :mod:`credibility.solvers.symmetric` the equilibrium set's *kind* (its labels: all-first
iff ``d(n-1) >= 0``, all-second iff ``d(0) <= 0``, one mixed equilibrium per distinct root of
``D`` in (0, 1)) is decided by the sign of ``d(n-1)``, the sign of ``d(0)`` and the number of
distinct roots of ``D`` in (0, 1). On an open interval of ``x`` on which none of these vanish:

- ``L(x)`` (a denominator: where an expression is undefined),
- ``N_0(x)`` and ``N_{n-1}(x)`` (``d(0)`` and ``d(n-1)``: a pure profile's condition flips, a
  root of ``D`` enters or leaves (0, 1) through ``p = 0`` or ``p = 1``, since ``D(0) = d(0)``
  and ``D(1) = d(n-1)``; ``D`` identically 0 needs ``d(0) = 0`` too),
- the discriminant of ``N`` in ``p`` and its leading coefficient in ``p`` (where two roots
  meet, or a complex pair becomes real, or the degree drops; their product is the resultant
  of ``N`` and ``dN/dp``, which vanishes wherever ``N`` has a multiple root),

the signs of ``d(0)`` and ``d(n-1)`` are constant (continuous and non-zero), and the roots of
``D`` in (0, 1) are all simple, so each moves continuously with ``x`` (implicit functions);
none can reach 0 or 1 (``D`` is non-zero there), two cannot meet and none can appear from a
complex pair (either would be a multiple root). So their number is constant too, and one exact
solve at one rational point of the interval gives the kind throughout it. The candidates are
the real roots, strictly inside ``x``'s bounds, of those polynomials, factored over the
rationals first (roots exact: rationals, radicals or ``CRootOf``). When the discriminant is
identically 0 (``N`` has a multiple factor for every ``x``), ``N`` is replaced by its
square-free part (the same roots in ``p`` wherever its content does not vanish, and the content
divides the leading coefficient, a candidate already). When ``D`` is a binomial in
``q = 1 - p`` (``N = alpha q^(n-1) + beta``, the volunteer's dilemma) its distinct roots are
simple unless ``alpha beta = 0``, so the zeros of ``alpha`` (``beta = N_{n-1}``) replace the
discriminant, at any ``n``; otherwise the discriminant is computed for at most
:data:`MAX_DISCRIMINANT_MEMBERS` players, and a larger ``n`` is refused.

Between consecutive candidates the game is solved exactly at one rational point, and neighbours
of the same kind are merged unless the exact solve at a rational candidate between them differs
(an isolated point: kept as a boundary, so that the derivation reports it). Each region's
conditions are its interval's (``x - a > 0``, ``b - x > 0``), its equilibria those of its
sample point (as for the runs of ``n``); :mod:`credibility.symbolic.thresholds` then solves
exactly at each rational threshold and between. An irrational candidate where only the point
itself differs (both sides alike) cannot be solved exactly there and is not reported.

Refused: more than one other parameter free (bind all but one), a parameter that counts
members (a step's ``at_least`` or ``answer_at_least``: an integer), an ``n`` too large for the
discriminant, and, for thresholds in ``n``, an ``n`` without a max or with a max above
:data:`MAX_MEMBERS`.
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction
from itertools import pairwise
from typing import Any

import sympy

from ..errors import CredibilityError
from ..expressions import format_number
from ..models.symmetric import K_NAME, SymmetricGame
from ..parameters import ParamValues
from ..solvers.symmetric import solve_symmetric
from .budget import checkpoint
from .regions import Region, RegionMap

__all__ = ["MAX_DISCRIMINANT_MEMBERS", "MAX_MEMBERS", "symmetric_regions"]

#: The largest number of players a threshold derivation scans (each n classified, one n per
#: run and each threshold solved exactly: about 0.8 s for the 3-of-n game of 3 to 32 members).
MAX_MEMBERS = 64
#: The largest number of players for thresholds in another parameter when the gain polynomial
#: needs its discriminant in p (not a binomial in 1 - p).
MAX_DISCRIMINANT_MEMBERS = 16

_P = sympy.Symbol("p")


def symmetric_regions(game: SymmetricGame, params: ParamValues) -> RegionMap:
    """The regions of a symmetric game: in ``n`` over the integers, or in one other parameter.

    Examples
    --------
    >>> import credibility as cr
    >>> regions = symmetric_regions(cr.load("collective_defence_n"), {"b": 4, "c": 1})
    >>> [r.outcome for r in regions.regions]
    ['mixed']
    >>> regions = symmetric_regions(cr.load("collective_defence_n"), {"n": 12, "b": 4})
    >>> [(str(r.condition), r.outcome) for r in regions.regions]
    [('4 - c > 0', 'mixed'), ('c - 4 > 0', 'all Abstain')]
    """
    parameter = game.count_parameter
    used: set[str] = set()
    for payoff in game.payoffs:
        for expr in (payoff.base, *(x for s in payoff.steps for x in (s.at_least, s.add))):
            used |= {str(s) for s in sympy.sympify(expr).free_symbols}
    if not isinstance(game.answer_at_least, int):
        used |= {str(s) for s in game.answer_at_least.free_symbols}
    if parameter is None:  # a fixed number of players
        return _regions_in_other(game, params, "n", used)
    free = sorted(
        p.name
        for p in game.parameters
        if p.name != parameter.name and p.name in used and p.name not in params
    )
    if parameter.name in params:
        return _regions_in_other(game, params, parameter.name, used)
    if free:
        raise CredibilityError(
            f"thresholds of a symmetric game are found in one parameter with the others bound: "
            f"for thresholds in its number of players '{parameter.name}', bind "
            f"{', '.join(free)} (--param or --defaults), or sweep them; for thresholds in "
            f"another, bind '{parameter.name}' too"
        )
    low = int(parameter.minimum) if parameter.minimum is not None else 2
    if parameter.maximum is None or parameter.maximum > MAX_MEMBERS:
        raise CredibilityError(
            f"the number of players '{parameter.name}' needs a max of at most {MAX_MEMBERS} "
            f"for thresholds in it (each n is solved exactly); got "
            f"{'none' if parameter.maximum is None else parameter.maximum}"
        )
    high = int(parameter.maximum)
    checkpoint("regions", 0, high - low + 1, unit="numbers of players classified")
    labels = _labels_by_count(game, params, parameter.name, low, high)
    runs: list[tuple[int, int]] = []
    for n, label in zip(range(low, high + 1), labels):
        if runs and labels[runs[-1][1] - low] == label:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    x = parameter.symbol
    regions = []
    for index, (start, stop) in enumerate(runs):
        checkpoint("regions", index, len(runs), unit="runs of players solved exactly")
        # the run's last n speaks for it: inside the region's interval, past its threshold
        solution = solve_symmetric(game, dict(params) | {parameter.name: stop})
        conditions = []
        if index > 0:
            conditions.append(x - start)
        if index < len(runs) - 1:
            conditions.append(stop + 1 - x)
        regions.append(Region(tuple(conditions), tuple(solution.equilibria), solution.outcome))
    bound = {p.name: v for p, v in ((p, game.bind(params).values[p.name]) for p in game.parameters)}
    bound.pop(parameter.name)
    return RegionMap((parameter.name,), (x,), tuple(regions), bound, True)


def _labels_by_count(
    game: SymmetricGame, params: ParamValues, name: str, low: int, high: int
) -> list[str]:
    """The outcome label at each ``n`` in ``low..high``: the sweep's vectorised evaluator,
    which decides each point in floats only where the signs are certain and solves the rest
    exactly (:mod:`credibility.sweeps.symmetric` argues it), as ``solve_symmetric`` labels it.
    """
    from ..sweeps.grid import make_grid  # lazy: start-up time (numpy)
    from ..sweeps.symmetric import SymmetricEvaluator  # lazy: start-up time (numpy)

    counts = list(range(low, high + 1))
    grid = make_grid({name: counts}, game.parameters)
    bound = game.bind(params).values
    fixed = {p.name: bound[p.name] for p in game.parameters if p.name != name}
    rows = SymmetricEvaluator(game, [name], fixed).evaluate(grid.chunk(0, len(counts)))
    return [str(label) for label in rows["outcome"].tolist()]


def _regions_in_other(
    game: SymmetricGame, params: ParamValues, count: str, used: set[str]
) -> RegionMap:
    """The regions in the one parameter left free, ``n`` and the others bound (the module)."""
    unbound = [p for p in game.parameters if p.name != count and p.name not in params]
    free = [p for p in unbound if p.name in used]
    if len(free) > 1 or (not free and len(unbound) != 1):
        names = ", ".join(p.name for p in (free or unbound))
        raise CredibilityError(
            f"with the number of players '{count}' bound, thresholds of a symmetric game "
            f"are found in one other parameter, the rest bound: bind all but one of {names} "
            f"(--param or --defaults), or sweep them"
        )
    chosen = free[0] if free else unbound[0]
    x = chosen.symbol
    counts: set[sympy.Symbol] = set()
    for payoff in game.payoffs:
        for step in payoff.steps:
            counts |= sympy.sympify(step.at_least).free_symbols
    if not isinstance(game.answer_at_least, int):
        counts |= game.answer_at_least.free_symbols
    if x in counts:
        raise CredibilityError(
            f"'{chosen.name}' counts members in this symmetric game (an integer): thresholds "
            f"are found in its number of players '{count}' or in a real parameter; "
            f"sweep '{chosen.name}' instead"
        )
    binding = game.bind(params)
    n = game.members(binding)
    checkpoint("regions", 0, unit="gains d(k) in " + chosen.name)
    numerators, denominator = _gains(game, binding, n, x)
    low = sympy.Rational(chosen.minimum) if chosen.minimum is not None else -sympy.oo
    high = sympy.Rational(chosen.maximum) if chosen.maximum is not None else sympy.oo
    polynomials = [denominator, numerators[0], numerators[-1]]
    polynomials += _meeting_roots(numerators, x, count, n)
    undefined = _real_roots([denominator], x, low, high)
    if undefined:
        raise CredibilityError(
            f"the payoffs are undefined at {chosen.name} = "
            f"{', '.join(str(v) for v in undefined)}, inside its bounds: set its min or max "
            f"to leave {'it' if len(undefined) == 1 else 'them'} out, or sweep instead"
        )
    points = _real_roots(polynomials, x, low, high)
    edges = [low, *points, high]
    samples = [_rational_between(a, b) for a, b in pairwise(edges)]
    total = len(samples) + len(points)
    solutions = []
    for index, sample in enumerate(samples):
        checkpoint("regions", index, total, unit="points solved")
        solutions.append(solve_symmetric(game, dict(params) | {chosen.name: _fraction(sample)}))
    keys = [tuple(e.label for e in s.equilibria) for s in solutions]
    # merge neighbours alike, unless the exact solve at a rational point between differs
    runs: list[tuple[int, int]] = [(0, 0)]
    for index, point in enumerate(points):
        checkpoint("regions", len(samples) + index, total, unit="points solved")
        same = keys[index] == keys[index + 1]
        if same and point.is_rational:
            here = solve_symmetric(game, dict(params) | {chosen.name: _fraction(point)})
            same = tuple(e.label for e in here.equilibria) == keys[index]
        if same:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index + 1, index + 1))
    regions = []
    for start, stop in runs:
        conditions = []
        if start > 0:
            conditions.append(x - points[start - 1])
        if stop < len(points):
            conditions.append(points[stop] - x)
        solution = solutions[start]
        # The values shown are those at the sample point: say which.
        sample = f"{chosen.name} = {format_number(_fraction(samples[start]))}"
        equilibria = tuple(replace(e, sample=sample) for e in solution.equilibria)
        regions.append(Region(tuple(conditions), equilibria, solution.outcome))
    bound = {p.name: binding.values[p.name] for p in game.parameters if p.name != chosen.name}
    return RegionMap((chosen.name,), (x,), tuple(regions), bound, True)


def _gains(
    game: SymmetricGame, binding: Any, n: int, x: sympy.Symbol
) -> tuple[list[sympy.Poly], sympy.Poly]:
    """``N_k(x)`` for ``k = 0 .. n-1`` and ``L(x)``: ``d(k) = N_k / L`` (polynomials in x)."""
    k = sympy.Symbol(K_NAME)
    values = {
        s: sympy.Rational(v.numerator, v.denominator)
        for s, v in binding.substitution.items()
        if s != x
    }
    payoffs = []
    for payoff in game.payoffs:
        base = sympy.sympify(payoff.base).xreplace(values)
        steps = [
            (int(sympy.sympify(s.at_least).xreplace(values)), sympy.sympify(s.add).xreplace(values))
            for s in payoff.steps
        ]
        payoffs.append(
            [
                base.xreplace({k: i}) + sum((a.xreplace({k: i}) for at, a in steps if i >= at), 0)
                for i in range(n)
            ]
        )
    fractions = [sympy.fraction(sympy.cancel(sympy.together(a - b))) for a, b in zip(*payoffs)]
    denominator = sympy.Poly(1, x, domain=sympy.QQ)
    for _, den in fractions:
        denominator = denominator.lcm(sympy.Poly(den, x, domain=sympy.QQ))
    numerators = []
    for num, den in fractions:
        scale = denominator.quo(sympy.Poly(den, x, domain=sympy.QQ))
        numerators.append(sympy.Poly(num, x, domain=sympy.QQ) * scale)
    return numerators, denominator


def _meeting_roots(
    numerators: list[sympy.Poly], x: sympy.Symbol, count: str, n: int
) -> list[sympy.Poly]:
    """Polynomials in x vanishing wherever ``N(p, x)`` has a multiple root in p (the module)."""
    if all(num == numerators[-1] for num in numerators[1:]):
        return [numerators[0] - numerators[1]]  # a binomial in q = 1 - p: alpha
    m = len(numerators) - 1
    terms = []
    for k, num in enumerate(numerators):
        if not num.is_zero:
            terms.append(math.comb(m, k) * _P**k * (1 - _P) ** (m - k) * num.as_expr())
    gain = sympy.Poly(sympy.expand(sympy.Add(*terms)), _P, x, domain=sympy.QQ)
    if gain.is_zero or gain.degree(_P) < 2 or x not in gain.free_symbols:
        if gain.is_zero:
            return []
        leading = sympy.expand(gain.as_expr()).coeff(_P, gain.degree(_P))
        return [sympy.Poly(leading, x, domain=sympy.QQ)]  # where the degree in p drops
    if n > MAX_DISCRIMINANT_MEMBERS:
        raise CredibilityError(
            f"thresholds in another parameter at {count} = {n} need the discriminant of the "
            f"gain polynomial, computed for at most {MAX_DISCRIMINANT_MEMBERS} players: bind "
            f"{count} to at most {MAX_DISCRIMINANT_MEMBERS}, or sweep instead"
        )
    checkpoint("regions", 0, unit="discriminant in p")
    in_p = sympy.Poly(gain.as_expr(), _P, domain=sympy.QQ[x])
    discriminant = in_p.discriminant()
    if discriminant == 0:
        in_p = sympy.Poly(gain.sqf_part().as_expr(), _P, domain=sympy.QQ[x])
        discriminant = in_p.discriminant() if in_p.degree() >= 2 else 0
    leading = sympy.expand(in_p.as_expr()).coeff(_P, in_p.degree())
    found = [sympy.Poly(leading, x, domain=sympy.QQ)]
    if discriminant != 0:
        found.append(sympy.Poly(sympy.sympify(discriminant), x, domain=sympy.QQ))
    return found


def _real_roots(
    polynomials: list[sympy.Poly], x: sympy.Symbol, low: sympy.Expr, high: sympy.Expr
) -> list[sympy.Expr]:
    """The distinct real roots of the polynomials strictly inside ``(low, high)``, in order."""
    factors: dict[sympy.Poly, None] = {}
    for poly in polynomials:
        if poly.is_zero or poly.degree() < 1:
            continue
        for factor, _ in poly.factor_list()[1]:
            factors[factor.monic()] = None
    roots: list[sympy.Expr] = []
    for factor in factors:
        for root in sympy.Poly(factor, x).real_roots(radicals=True):
            if bool(low < root) and bool(root < high):
                roots.append(root)
    return sorted(set(roots), key=lambda r: sympy.N(r, 30))


def _rational_between(left: sympy.Expr, right: sympy.Expr) -> sympy.Rational:
    """A rational strictly between two edges (exact; either may be infinite)."""
    if left.is_infinite and right.is_infinite:
        return sympy.Integer(0)
    if left.is_infinite:
        return sympy.ceiling(right) - 1
    if right.is_infinite:
        return sympy.floor(left) + 1
    if left.is_rational and right.is_rational:
        return (left + right) / 2
    a, b = sympy.N(left, 50), sympy.N(right, 50)
    for digits in (10, 20, 40):
        guess = sympy.Rational(Fraction(str((a + b) / 2)).limit_denominator(10**digits))
        if bool(left < guess) and bool(guess < right):
            return guess
    raise CredibilityError(f"no rational found between {left} and {right}")  # pragma: no cover


def _fraction(value: sympy.Expr) -> Fraction:
    rational = sympy.Rational(value)
    return Fraction(int(rational.p), int(rational.q))
