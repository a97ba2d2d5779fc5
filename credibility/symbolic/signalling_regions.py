"""Where each class of perfect Bayesian equilibrium exists, with parameters kept symbolic.

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

The existence condition of a pure class is the disjunction over the profiles
of that class; those of the mixed classes (semi-separating, hybrid), and with
three or more types those of every class, come from the support profiles'
linear systems (:mod:`credibility.symbolic.signalling_supports`). The region analysis
(:mod:`credibility.symbolic.signalling_map`) decides them over the parameters'
box, and the thresholds follow (:func:`credibility.thresholds`).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations, product
from typing import Any

import sympy

from ..errors import GameTooLargeError
from ..models import SignallingGame
from .signalling_supports import MIXED_CLASSES, class_conditions, mixed_conditions

__all__ = [
    "MAX_PURE_PROFILES",
    "MAX_SYMBOLIC_PROFILES",
    "belief_exists",
    "covers_mixed",
    "existence_conditions",
    "profile_condition",
    "symbolic_profile_count",
]

#: Support profiles at most for which the mixed classes are analysed symbolically
#: (two types: 2 messages with up to 4 responses, 3 messages with 2; three types:
#: 2 messages with 2 or 3 responses).
MAX_SYMBOLIC_PROFILES = 2_500
#: Pure profiles at most for the pure classes' conditions with three or more types.
MAX_PURE_PROFILES = 20_000
#: The classes of pure equilibrium, in the order the conditions list them.
PURE_CLASSES = ("separating", "pooling", "partially pooling")


def existence_conditions(
    game: SignallingGame,
    fixed: Mapping[sympy.Symbol, Any] | None = None,
    bounds: Mapping[sympy.Symbol, tuple[Any, Any]] | None = None,
    mixed: bool | None = None,
) -> dict[str, sympy.Boolean]:
    """For each class of equilibrium, the exact condition on the parameters for one to exist.

    Parameters
    ----------
    game : SignallingGame
        Any number of types (priors assumed positive).
    fixed : mapping of sympy.Symbol to number, optional
        Parameters bound to values, substituted first.
    bounds : mapping of sympy.Symbol to (low, high), optional
        Bounds of the parameters left symbolic (keep the formulas small).
    mixed : bool, optional
        Include the mixed classes; by default they are included when the game
        has at most ``MAX_SYMBOLIC_PROFILES`` support profiles
        (:func:`covers_mixed`).

    Returns
    -------
    dict of str to sympy Boolean
        ``"separating"``, ``"pooling"`` (and ``"partially pooling"`` with
        three or more types), then ``"semi-separating"`` and ``"hybrid"`` if
        mixed classes are included. Two types: the pure classes are a
        disjunction over profiles of the conditions of :func:`profile_condition`.

    Raises
    ------
    GameTooLargeError
        With three or more types and more than ``MAX_PURE_PROFILES`` pure
        profiles.

    Examples
    --------
    >>> import credibility as cr
    >>> conditions = existence_conditions(cr.load("sinking_costs"))
    >>> list(conditions)
    ['separating', 'pooling', 'semi-separating', 'hybrid']
    >>> values = {"q": sympy.Rational(3, 10), "v_r": 4, "v_i": 1, "w": 1, "c": 2}
    >>> symbols = {p.name: p.symbol for p in cr.load("sinking_costs").parameters}
    >>> fixed = {symbols[k]: v for k, v in values.items()}
    >>> [bool(conditions["separating"].subs(fixed).subs(symbols["m"], x)) for x in (0, 1, 3, 4)]
    [False, True, True, False]
    """
    substitution = dict(fixed or {})
    if mixed is None:
        mixed = covers_mixed(game)
    if len(game.types) != 2:
        n, R, k = len(game.messages), len(game.responses), len(game.types)
        if not mixed and n**k * R**n > MAX_PURE_PROFILES:
            raise GameTooLargeError(
                f"a game with {k} types, {n} messages and {R} responses has {n**k * R**n:,} "
                f"pure profiles (at most {MAX_PURE_PROFILES:,} for symbolic conditions): "
                "bind the parameters and solve at a point"
            )
        found = class_conditions(game, substitution, bounds, mixed=mixed)
        order = [*PURE_CLASSES, *(MIXED_CLASSES if mixed else ())]
        return {kind: found.get(kind, sympy.false) for kind in order}
    n, R = len(game.messages), len(game.responses)
    pure: dict[str, list[sympy.Boolean]] = {"separating": [], "pooling": []}
    for s in product(range(n), repeat=2):
        for q in product(range(R), repeat=n):
            kind = "pooling" if s[0] == s[1] else "separating"
            pure[kind].append(profile_condition(game, s, q).xreplace(substitution))
    conditions = {kind: sympy.Or(*parts) for kind, parts in pure.items()}
    if mixed:
        conditions.update(mixed_conditions(game, substitution, bounds))
    return conditions


def covers_mixed(game: SignallingGame) -> bool:
    """True if the mixed classes of ``game`` are analysed symbolically (few support profiles).

    Examples
    --------
    >>> import credibility as cr
    >>> covers_mixed(cr.load("tying_hands"))
    True
    """
    return symbolic_profile_count(game) <= MAX_SYMBOLIC_PROFILES


def symbolic_profile_count(game: SignallingGame) -> int:
    """The number of support profiles of a game (what the mixed classes' analysis visits).

    Examples
    --------
    >>> import credibility as cr
    >>> symbolic_profile_count(cr.load("sinking_costs"))
    81
    """
    n, R, k = len(game.messages), len(game.responses), len(game.types)
    return (2**n - 1) ** k * (2**R - 1) ** n


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
