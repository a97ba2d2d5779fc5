"""Regions of the pure Nash equilibria of a game in strategic form with any number of players.

The mathematics
---------------
Notation as in :mod:`credibility.models.normal`: players ``i = 0..n-1``, payoffs ``u_i(s)``
of the profiles ``s``. A profile ``s`` is a pure Nash equilibrium iff no player gains by a
unilateral deviation:

    d_i(s, t) = u_i(s) - u_i(t, s_-i) >= 0   for every player i and strategy t != s_i.

With parameters free, each ``d_i(s, t)`` is an expression in them (the payoffs expanded,
the bound parameters replaced by their values). The analysis asks the sign of every such
difference of every profile (:class:`~credibility.symbolic.signs.SignOracle`); an
undecided one splits the parameter space in two (:func:`~credibility.symbolic.regions.explore`)
and the analysis runs again on each side. In a region, the equilibria are the profiles all
of whose differences are positive or identically zero, listed in row-major profile order
as :func:`~credibility.solvers.pure_nash.pure_equilibria` lists them, and labelled by the same
:func:`~credibility.solvers.normal_nash.normal_label`.

Soundness
---------
A region is an open set (strict inequalities ``expression > 0``) on which every difference
has a constant sign: either it is identically zero (a tie built into the payoffs, which
counts as ``>= 0`` everywhere, as the exact solver counts it), or its sign is decided
nonzero from the bounds and the region's assumptions, which hold at every point of it.
So the equilibria listed hold at every point strictly inside. A difference is never
assumed zero: where one vanishes (a boundary) ties appear and the equilibrium set may
grow; boundaries are left to the exact solver at the point, as for trees
(:func:`~credibility.symbolic.regions.tree_regions`) and in ``credibility threshold``.

Size
----
Each run of the analysis decides ``profiles * sum_i (m_i - 1)`` differences, and it runs
once per branch of the split. A game with more than :data:`MAX_SYMBOLIC_PROFILES`
profiles, or more than :data:`MAX_SYMBOLIC_DEVIATIONS` differences, is refused before
any work (:class:`~credibility.errors.GameTooLargeError`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import sympy

from ..errors import GameTooLargeError
from ..models.normal import NormalForm
from ..parameters import ParamValues
from ..solvers.normal_nash import normal_label
from ..solvers.pure_nash import PureEquilibrium
from .regions import RegionMap, symbolic_setting
from .signs import SignOracle

__all__ = [
    "MAX_SYMBOLIC_DEVIATIONS",
    "MAX_SYMBOLIC_PROFILES",
    "check_symbolic_size",
    "normal_regions",
]

#: The most profiles a symbolic analysis takes: 4,096 (twelve players of two strategies,
#: or 16 x 16 x 16). Every profile's payoffs are sympy expressions expanded once, and
#: every branch of the split decides the signs of all their differences again: about
#: 20 microseconds a difference once the bounds decide it, so tens of branches of a game
#: this size already take seconds; an exact sweep (``credibility sweep``) has no such limit.
MAX_SYMBOLIC_PROFILES = 4096
#: The most payoff differences (profiles times unilateral deviations) it takes: 2**16,
#: every player of a 4,096-profile game having five or so deviations, for the same reason.
MAX_SYMBOLIC_DEVIATIONS = 2**16


def check_symbolic_size(game: NormalForm) -> int:
    """The number of payoff differences of ``game``; GameTooLargeError beyond the limits.

    Examples
    --------
    >>> import credibility as cr
    >>> check_symbolic_size(cr.load("volunteers_dilemma"))  # 8 profiles, 3 deviations each
    24
    >>> check_symbolic_size(NormalForm.from_arrays([[[[0] * 20] * 20] * 20] * 3))
    Traceback (most recent call last):
    ...
    credibility.errors.GameTooLargeError: a normal-form game of shape 20 x 20 x 20 has 8,000 \
strategy profiles, more than the 4,096 (MAX_SYMBOLIC_PROFILES) ...
    """
    profiles = math.prod(game.shape)
    deviations = profiles * sum(m - 1 for m in game.shape)
    dims = " x ".join(str(m) for m in game.shape)
    advice = "; use solve() or sweep at chosen values"
    if profiles > MAX_SYMBOLIC_PROFILES:
        raise GameTooLargeError(
            f"a normal-form game of shape {dims} has {profiles:,} strategy profiles, more than "
            f"the {MAX_SYMBOLIC_PROFILES:,} (MAX_SYMBOLIC_PROFILES) a symbolic derivation "
            f"takes{advice}"
        )
    if deviations > MAX_SYMBOLIC_DEVIATIONS:
        raise GameTooLargeError(
            f"a normal-form game of shape {dims} has {deviations:,} unilateral deviations to "
            f"compare, more than the {MAX_SYMBOLIC_DEVIATIONS:,} (MAX_SYMBOLIC_DEVIATIONS) a "
            f"symbolic derivation takes{advice}"
        )
    return deviations


def normal_regions(
    game: NormalForm, params: ParamValues | None = None, free: Sequence[str] | None = None
) -> RegionMap:
    """The regions of a strategic-form game: where each set of pure Nash equilibria holds.

    Parameters
    ----------
    game : NormalForm
    params : mapping of str to number or fraction string, optional
        Parameters bound to numbers.
    free : sequence of str, optional
        Parameters left symbolic (default: every parameter not in ``params``).

    Returns
    -------
    RegionMap
        Each region's equilibria are :class:`~credibility.solvers.pure_nash.PureEquilibrium`
        whose payoffs are sympy expressions in the free parameters.

    Raises
    ------
    GameTooLargeError
        Before any work, beyond :data:`MAX_SYMBOLIC_PROFILES` profiles or
        :data:`MAX_SYMBOLIC_DEVIATIONS` payoff differences.

    Examples
    --------
    The volunteer's dilemma (Diekmann 1985) of three allies, benefit ``b = 4`` bound:
    one volunteer while the cost is below the benefit, nobody above it.

    >>> import credibility as cr
    >>> for region in normal_regions(cr.load("volunteers_dilemma"), {"b": 4}).regions:
    ...     print(region.condition, "->", region.outcome)
    (c > 0) & (c - 4 > 0) -> Abstain/Abstain/Abstain
    (c > 0) & (4 - c > 0) -> Defend/Abstain/Abstain | Abstain/Defend/Abstain | ...
    """
    check_symbolic_size(game)
    setting = symbolic_setting(game, params, free)
    shape = game.shape
    players = len(shape)
    cells = math.prod(shape)
    # Each player's payoff at every profile (row-major), expanded, bound parameters replaced.
    values = [
        [sympy.expand(setting.fix(sympy.sympify(entry))) for entry in entries]
        for entries in game.payoffs
    ]
    # Row-major strides: profile k's strategy of player i is (k // stride[i]) % m_i.
    strides = [math.prod(shape[i + 1 :]) for i in range(players)]
    # Per profile, the differences to decide: constant ones are decided now, once.
    rejected = [False] * cells  # a constant difference < 0: never an equilibrium
    pending: list[list[sympy.Expr]] = [[] for _ in range(cells)]
    seen: list[set[sympy.Expr]] = [set() for _ in range(cells)]
    for k in range(cells):
        for i in range(players):
            own = (k // strides[i]) % shape[i]
            base = k - own * strides[i]
            for t in range(shape[i]):
                if t == own:
                    continue
                difference = sympy.expand(values[i][k] - values[i][base + t * strides[i]])
                if difference.is_number:
                    if difference < 0:
                        rejected[k] = True
                elif difference not in seen[k]:
                    seen[k].add(difference)
                    pending[k].append(difference)
    equilibria = [
        PureEquilibrium(
            profile,
            tuple(labels[s] for labels, s in zip(game.strategies, profile)),
            tuple(values[i][k] for i in range(players)),
        )
        for k, profile in enumerate(_profiles(shape))
    ]
    candidates = [k for k in range(cells) if not rejected[k]]

    def analyse(sign: SignOracle) -> tuple[tuple[Any, ...], str]:
        found = tuple(
            equilibria[k]
            for k in candidates
            if all(sign(difference) >= 0 for difference in pending[k])
        )
        return found, normal_label(found)

    return setting.regions(analyse)


def _profiles(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Every profile of ``shape`` in row-major order (the last player fastest)."""
    profiles: list[tuple[int, ...]] = [()]
    for m in shape:
        profiles = [(*p, s) for p in profiles for s in range(m)]
    return profiles
