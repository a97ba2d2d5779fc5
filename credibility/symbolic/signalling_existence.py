"""Where each class of perfect Bayesian equilibrium exists, with parameters kept symbolic.

An equilibrium with given supports (the messages each type sends, the
responses played after each message) exists exactly when three systems of
linear constraints have a solution; with payoffs and priors polynomial in the
parameters, that is a Boolean formula of polynomial inequalities
(:mod:`credibility.symbolic.signalling_supports`). The existence condition of
a class is the disjunction of the formulas of its support profiles. The
region analysis (:mod:`credibility.symbolic.signalling_regions`) decides them over
the parameters' box, and the thresholds follow (:func:`credibility.thresholds`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy

from ..errors import GameTooLargeError
from ..models import SignallingGame
from ..solvers.pbe_classes import SignallingClass
from ..solvers.support_systems import profile_count
from .signalling_supports import class_conditions

__all__ = [
    "MAX_PURE_PROFILES",
    "MAX_SYMBOLIC_PROFILES",
    "covers_mixed",
    "existence_conditions",
    "symbolic_profile_count",
]

#: Support profiles at most for which the mixed classes are analysed symbolically
#: (two types: 2 messages with up to 4 responses, 3 messages with 2; three types:
#: 2 messages with 2 or 3 responses).
MAX_SYMBOLIC_PROFILES = 2_500
#: Pure profiles at most for the pure classes' conditions with three or more types.
MAX_PURE_PROFILES = 20_000


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
        The classes (:class:`~credibility.solvers.pbe_classes.SignallingClass`)
        in their order: ``"separating"``, ``"pooling"`` (and ``"partially
        pooling"`` with three or more types), then ``"semi-separating"`` if
        mixed equilibria are included. With them, a class's condition covers
        its equilibria whose receiver mixes too.

    Raises
    ------
    GameTooLargeError
        Beyond ``MAX_PURE_PROFILES`` pure profiles.

    Examples
    --------
    >>> import credibility as cr
    >>> conditions = existence_conditions(cr.load("sinking_costs"))
    >>> list(conditions)
    ['separating', 'pooling', 'semi-separating']
    >>> values = {"q": sympy.Rational(3, 10), "v_r": 4, "v_i": 1, "w": 1, "c": 2}
    >>> symbols = {p.name: p.symbol for p in cr.load("sinking_costs").parameters}
    >>> fixed = {symbols[k]: v for k, v in values.items()}
    >>> [bool(conditions["separating"].subs(fixed).subs(symbols["m"], x)) for x in (0, 1, 3, 4)]
    [False, True, True, False]
    """
    if mixed is None:
        mixed = covers_mixed(game)
    k, n, R = len(game.types), len(game.messages), len(game.responses)
    if not mixed and (pure := profile_count(k, n, R, mixed=False)) > MAX_PURE_PROFILES:
        raise GameTooLargeError(
            f"a game with {k} types, {n} messages and {R} responses has {pure:,} "
            f"pure profiles (at most {MAX_PURE_PROFILES:,} for symbolic conditions): "
            "bind the parameters and solve at a point"
        )
    found = class_conditions(game, fixed, bounds, mixed=mixed)
    return {kind: found[kind] for kind in SignallingClass if kind in found}


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
    return profile_count(len(game.types), len(game.messages), len(game.responses))
