"""Where each class of pure perfect Bayesian equilibrium exists, with parameters kept symbolic.

For a two-type signalling game, a pure profile (each type's message ``s[t]``,
the receiver's response ``q[m]`` to each message) is a perfect Bayesian
equilibrium exactly when three families of polynomial inequalities hold:

1. each type prefers its message: ``sender[t][s[t]][q[s[t]]] >= sender[t][m][q[m]]``;
2. on the path, Bayes' rule multiplied through by the message's probability:
   ``sum over senders t of m of p[t] (receiver[t][m][q[m]] - receiver[t][m][r]) >= 0``;
3. off the path, some belief ``mu`` in ``[0, 1]`` (on the first type) makes
   ``q[m]`` a best reply. Each competing response ``r`` asks
   ``g_r(mu) = b_r + mu (a_r - b_r) >= 0`` with ``a_r``, ``b_r`` the receiver's
   gains from ``q[m]`` over ``r`` against each type. Each ``g_r`` holds on an
   interval of ``[0, 1]``, and by Helly's theorem in one dimension the
   intervals meet if every pair does; a pair meets at an end of ``[0, 1]`` or,
   when one interval is ``[mu_r, 1]`` and the other ``[0, mu_r']``, if
   ``a_r b_r' - b_r a_r' >= 0`` (``mu_r <= mu_r'`` with the denominators
   cleared). No division, so the conditions are exact polynomial ones.

The existence condition of a class is the disjunction over the profiles of
that class. With one parameter free and the others bound, each condition is
turned into a set of values (sympy's univariate inequality solver, on the
parameter's bounds as the domain), whose boundary points are the thresholds.
Mixed (semi-separating and hybrid) equilibria are not covered here: the
numeric solver finds them at any point.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, pairwise, product

import sympy

from ..errors import CredibilityError
from ..models import SignallingGame
from ..parameters import ParamValues

__all__ = [
    "ClassRegion",
    "SignallingRegions",
    "belief_exists",
    "existence_conditions",
    "profile_condition",
    "signalling_regions",
]


@dataclass(frozen=True)
class ClassRegion:
    """An open interval of the parameter and the classes of pure equilibria found throughout it.

    Attributes
    ----------
    interval : sympy.Interval
    classes : tuple of str
        Sorted; empty if no pure equilibrium exists there.
    """

    interval: sympy.Interval
    classes: tuple[str, ...]


@dataclass(frozen=True)
class SignallingRegions:
    """Thresholds of one parameter and the pure equilibrium classes between them.

    Attributes
    ----------
    parameter : str
    thresholds : tuple of sympy.Expr
        Sorted values at which a class of pure equilibrium appears or vanishes.
    regions : tuple of ClassRegion
        The open intervals between thresholds, in order.
    existence : dict of str to sympy.Set
        For each class, the parameter values at which it exists.
    """

    parameter: str
    thresholds: tuple[sympy.Expr, ...]
    regions: tuple[ClassRegion, ...]
    existence: dict[str, sympy.Set]


def existence_conditions(game: SignallingGame) -> dict[str, sympy.Boolean]:
    """For each class of pure equilibrium, the exact condition on the parameters for it to exist.

    Parameters
    ----------
    game : SignallingGame
        A game with two types (priors assumed positive).

    Returns
    -------
    dict of str to sympy Boolean
        ``"separating"`` and ``"pooling"``, each a disjunction over profiles
        of conjunctions of polynomial inequalities.

    Examples
    --------
    >>> import credibility as cr
    >>> conditions = existence_conditions(cr.load("sinking_costs"))
    >>> m = sympy.Symbol("m", nonnegative=True)
    >>> sorted(conditions)
    ['pooling', 'separating']
    >>> values = {"q": sympy.Rational(3, 10), "v_r": 4, "v_i": 1, "w": 1, "c": 2}
    >>> symbols = {p.name: p.symbol for p in cr.load("sinking_costs").parameters}
    >>> fixed = {symbols[k]: v for k, v in values.items()}
    >>> [bool(conditions["separating"].subs(fixed).subs(symbols["m"], x)) for x in (0, 1, 3, 4)]
    [False, True, True, False]
    """
    if len(game.types) != 2:
        raise CredibilityError("symbolic signalling regions cover games with two types")
    n, R = len(game.messages), len(game.responses)
    found: dict[str, list[sympy.Boolean]] = {"separating": [], "pooling": []}
    for s in product(range(n), repeat=2):
        for q in product(range(R), repeat=n):
            kind = "pooling" if s[0] == s[1] else "separating"
            found[kind].append(profile_condition(game, s, q))
    return {kind: sympy.Or(*conditions) for kind, conditions in found.items()}


def signalling_regions(
    game: SignallingGame, parameter: str, params: ParamValues | None = None
) -> SignallingRegions:
    """Thresholds of ``parameter`` at which a class of pure equilibrium appears or vanishes.

    The other parameters are bound (to ``params``, else their defaults).

    Parameters
    ----------
    game : SignallingGame
    parameter : str
    params : mapping of str to number or fraction string, optional

    Returns
    -------
    SignallingRegions

    Examples
    --------
    Fearon's sunk costs separate the types between two thresholds of the cost:

    >>> import credibility as cr
    >>> result = signalling_regions(cr.load("sinking_costs"), "m")
    >>> result.thresholds
    (1, 3)
    >>> result.existence["separating"]
    Interval(1, 3)
    >>> [r.classes for r in result.regions]
    [('pooling',), ('pooling', 'separating'), ('pooling',)]
    """
    names = {p.name: p for p in game.parameters}
    if parameter not in names:
        declared = ", ".join(sorted(names)) or "none"
        raise CredibilityError(f"unknown parameter '{parameter}' (declared parameters: {declared})")
    chosen = names[parameter]
    others = {k: v for k, v in (params or {}).items() if k != parameter}
    values = game.bind(others).values if others or len(names) > 1 else {}
    fixed = {
        p.symbol: sympy.Rational(values[p.name].numerator, values[p.name].denominator)
        for p in game.parameters
        if p.name != parameter and p.name in values
    }
    x = chosen.symbol
    low = sympy.Rational(str(chosen.minimum)) if chosen.minimum is not None else -sympy.oo
    high = sympy.Rational(str(chosen.maximum)) if chosen.maximum is not None else sympy.oo
    domain = sympy.Interval(low, high)
    existence = {
        kind: _as_set(condition.subs(fixed), x, domain)
        for kind, condition in existence_conditions(game).items()
    }
    points: set[sympy.Expr] = set()
    for values_set in existence.values():
        for point in values_set.boundary:
            if point.is_finite and low < point < high:
                points.add(point)
    thresholds = tuple(sorted(points, key=lambda v: float(v)))
    edges = [low, *thresholds, high]
    regions = []
    for left, right in pairwise(edges):
        interval = sympy.Interval.open(left, right)
        sample = _inside(left, right)
        classes = tuple(sorted(k for k, v in existence.items() if v.contains(sample) is sympy.true))
        regions.append(ClassRegion(interval, classes))
    return SignallingRegions(parameter, thresholds, tuple(regions), existence)


def profile_condition(
    game: SignallingGame, s: tuple[int, ...], q: tuple[int, ...]
) -> sympy.Boolean:
    """The exact condition for a pure profile of a two-type game to be a PBE.

    Parameters
    ----------
    game : SignallingGame
    s : tuple of int
        Each type's message (index into ``game.messages``).
    q : tuple of int
        The receiver's response to each message (index into ``game.responses``).

    Returns
    -------
    sympy.Boolean
        Polynomial inequalities in the parameters (see the module docstring).
    """
    n, R = len(game.messages), len(game.responses)
    sender = [[[pair[0] for pair in row] for row in t.payoffs] for t in game.types]
    receiver = [[[pair[1] for pair in row] for row in t.payoffs] for t in game.types]
    priors = [t.prior for t in game.types]
    conditions: list[sympy.Boolean] = []
    for t in range(2):
        for m in range(n):
            if m != s[t]:
                conditions.append(sender[t][s[t]][q[s[t]]] - sender[t][m][q[m]] >= 0)
    for m in range(n):
        senders = [t for t in range(2) if s[t] == m]
        gains = {
            r: [receiver[t][m][q[m]] - receiver[t][m][r] for t in range(2)]
            for r in range(R)
            if r != q[m]
        }
        if senders:
            for a in gains.values():
                conditions.append(sympy.Add(*(priors[t] * a[t] for t in senders)) >= 0)
        else:
            conditions.append(belief_exists(list(gains.values())))
    return sympy.And(*conditions)


def belief_exists(gains: list[list[sympy.Expr]]) -> sympy.Boolean:
    """Some mu in [0, 1] with mu a_r + (1 - mu) b_r >= 0 for every (a_r, b_r) (Helly, pairwise)."""
    single = [sympy.Or(a >= 0, b >= 0) for a, b in gains]
    pairs = []
    for (a, b), (c, d) in combinations(gains, 2):
        pairs.append(
            sympy.Or(
                sympy.And(b >= 0, d >= 0),
                sympy.And(a >= 0, c >= 0),
                sympy.And(b < 0, a >= 0, d >= 0, c < 0, a * d - b * c >= 0),
                sympy.And(d < 0, c >= 0, b >= 0, a < 0, c * b - d * a >= 0),
            )
        )
    return sympy.And(*single, *pairs)


def _as_set(condition: sympy.Boolean, x: sympy.Symbol, domain: sympy.Interval) -> sympy.Set:
    """The values of ``x`` in ``domain`` where ``condition`` holds."""
    if condition is sympy.true:
        return domain
    if condition is sympy.false:
        return sympy.EmptySet
    if isinstance(condition, sympy.And):
        return sympy.Intersection(*(_as_set(c, x, domain) for c in condition.args))
    if isinstance(condition, sympy.Or):
        return sympy.Union(*(_as_set(c, x, domain) for c in condition.args))
    if x not in condition.free_symbols:
        raise CredibilityError(f"cannot decide '{condition}': bind every other parameter")
    return sympy.solve_univariate_inequality(condition, x, relational=False, domain=domain)


def _inside(left: sympy.Expr, right: sympy.Expr) -> sympy.Expr:
    """A point strictly between ``left`` and ``right`` (either may be infinite)."""
    if left.is_infinite and right.is_infinite:
        return sympy.Integer(0)
    if left.is_infinite:
        return right - 1
    if right.is_infinite:
        return left + 1
    return (left + right) / 2
