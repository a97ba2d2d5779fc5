"""Regions of a signalling game with parameters free.

The existence condition of each class of perfect Bayesian equilibrium
(:func:`credibility.symbolic.signalling_existence.existence_conditions`) is a
Boolean formula of polynomial inequalities. The region analysis
(:mod:`credibility.symbolic.regions`) decides the sign of each polynomial,
splitting the parameter space where the bounds do not settle it; each leaf is a
region with the classes of equilibrium that exist throughout it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from ..models import SignallingGame
from ..parameters import ParamValues
from ..solvers.pbe_classes import ordered, outcome_label
from .regions import RegionMap, parameter_box, symbolic_setting
from .signalling_existence import covers_mixed, existence_conditions
from .signs import SignOracle

__all__ = ["signalling_region_map"]


def signalling_region_map(
    game: SignallingGame, params: ParamValues | None = None, free: Sequence[str] | None = None
) -> RegionMap:
    """Regions of a signalling game, each with its classes of equilibrium.

    Parameters
    ----------
    game : SignallingGame
    params, free
        Values of the bound parameters, and the names of those left free
        (:func:`~credibility.symbolic.regions.tree_regions` has the details).

    Returns
    -------
    RegionMap
        Each region's ``outcome`` is the classes present
        (:func:`~credibility.solvers.pbe_classes.outcome_label`);
        its ``equilibria`` are the class names. ``complete`` is False if the
        game is too large for the mixed classes
        (:data:`~credibility.symbolic.signalling_existence.MAX_SYMBOLIC_PROFILES`):
        the regions then classify pure equilibria only.

    Examples
    --------
    Fearon's sunk costs, with the cost and the resolved type's value free:

    >>> import credibility as cr
    >>> game = cr.load("sinking_costs")
    >>> regions = signalling_region_map(game, {"q": "3/10", "v_i": 1, "w": 1, "c": 2})
    >>> sorted({region.outcome for region in regions.regions})
    ['pooling', 'pooling + semi-separating', 'separating + pooling']
    """
    setting = symbolic_setting(game, params, free)
    mixed = covers_mixed(game)
    box = parameter_box(setting.parameters)
    conditions = existence_conditions(game, setting.substitution, box, mixed)

    def analyse(sign: SignOracle) -> tuple[tuple[Any, ...], str]:
        classes = ordered(kind for kind, condition in conditions.items() if _holds(condition, sign))
        return tuple(classes), outcome_label(classes, mixed)

    return setting.regions(analyse, complete=mixed)


def _holds(condition: sympy.Boolean, sign: SignOracle) -> bool:
    """Decide an And/Or of inequalities ``expr >= 0`` (or ``> 0``) under the oracle."""
    if condition is sympy.true:
        return True
    if condition is sympy.false:
        return False
    if isinstance(condition, sympy.Or):
        return any(_holds(part, sign) for part in condition.args)
    if isinstance(condition, sympy.And):
        return all(_holds(part, sign) for part in condition.args)
    difference = condition.lhs - condition.rhs
    if isinstance(condition, sympy.GreaterThan | sympy.StrictGreaterThan):
        value = sign(difference)
    else:
        value = -sign(difference)
    strict = isinstance(condition, sympy.StrictGreaterThan | sympy.StrictLessThan)
    return value > 0 if strict else value >= 0
