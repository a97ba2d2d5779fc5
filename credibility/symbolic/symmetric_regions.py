"""Thresholds of a symmetric game in its number of players: where the equilibria change.

The number of players ``n`` is an integer, so the generic derivation of
:mod:`credibility.symbolic.thresholds` (roots of region boundaries on the real line) is fed a
region map built from the integers: every ``n`` in ``[min, max]`` of its bounds is solved
exactly (:func:`~credibility.solvers.symmetric.solve_symmetric`), consecutive ``n`` with the
same kind of equilibrium set (``all Defend | mixed`` ...) form a run, and a run ``a..b`` is
the region ``a <= n < b + 1`` of the real line (its conditions ``n - a > 0`` and
``b + 1 - n > 0``, the first run open to the left). The thresholds are then the integers
``a`` where a new run starts, and each region's integers are those of its interval.

Refused: another parameter free (bind it, or sweep it), and an ``n`` without a max or with a
max above :data:`MAX_MEMBERS`.
"""

from __future__ import annotations

from typing import Any

import sympy

from ..errors import CredibilityError
from ..models.symmetric import SymmetricGame
from ..parameters import ParamValues
from ..solvers.symmetric import solve_symmetric
from .budget import checkpoint
from .regions import Region, RegionMap

__all__ = ["MAX_MEMBERS", "symmetric_regions"]

#: The largest number of players a threshold derivation scans (each n is solved exactly; a
#: threshold game of 64 members takes about 0.7 s, of 200 members 90 s).
MAX_MEMBERS = 64


def symmetric_regions(game: SymmetricGame, params: ParamValues) -> RegionMap:
    """The runs of equal kinds of symmetric equilibria over the integers ``n`` of its bounds.

    Examples
    --------
    >>> import credibility as cr
    >>> regions = symmetric_regions(cr.load("collective_defence_n"), {"b": 4, "c": 1})
    >>> [r.outcome for r in regions.regions]
    ['mixed']
    """
    parameter = game.count_parameter
    if parameter is None:  # pragma: no cover - check_thresholds refuses first
        raise CredibilityError("this symmetric game's number of players is fixed")
    used: set[str] = set()
    for payoff in game.payoffs:
        for expr in (payoff.base, *(x for s in payoff.steps for x in (s.at_least, s.add))):
            used |= {str(s) for s in sympy.sympify(expr).free_symbols}
    if not isinstance(game.answer_at_least, int):
        used |= {str(s) for s in game.answer_at_least.free_symbols}
    free = sorted(
        p.name
        for p in game.parameters
        if p.name != parameter.name and p.name in used and p.name not in params
    )
    if parameter.name in params:
        others = ", ".join(free) or "the other parameters"
        raise CredibilityError(
            f"thresholds of a symmetric game are found in its number of players "
            f"'{parameter.name}' only (over the integers); for {others}, bind "
            f"'{parameter.name}' and sweep instead"
        )
    if free:
        raise CredibilityError(
            f"thresholds of a symmetric game are found in its number of players "
            f"'{parameter.name}' only, over the integers, with the other parameters bound: "
            f"bind {', '.join(free)} (--param or --defaults), or sweep them"
        )
    low = int(parameter.minimum) if parameter.minimum is not None else 2
    if parameter.maximum is None or parameter.maximum > MAX_MEMBERS:
        raise CredibilityError(
            f"the number of players '{parameter.name}' needs a max of at most {MAX_MEMBERS} "
            f"for thresholds in it (each n is solved exactly); got "
            f"{'none' if parameter.maximum is None else parameter.maximum}"
        )
    high = int(parameter.maximum)
    runs: list[tuple[int, int, Any]] = []
    for n in range(low, high + 1):
        checkpoint("regions", n - low, high - low + 1, unit="numbers of players solved")
        solution = solve_symmetric(game, dict(params) | {parameter.name: n})
        key = tuple(e.label for e in solution.equilibria)
        if runs and runs[-1][2][0] == key:
            # the run's last n speaks for it: inside the region's interval, past its threshold
            runs[-1] = (runs[-1][0], n, (key, solution))
        else:
            runs.append((n, n, (key, solution)))
    x = parameter.symbol
    regions = []
    for index, (start, stop, (_, solution)) in enumerate(runs):
        conditions = []
        if index > 0:
            conditions.append(x - start)
        if index < len(runs) - 1:
            conditions.append(stop + 1 - x)
        regions.append(Region(tuple(conditions), tuple(solution.equilibria), solution.outcome))
    bound = {p.name: v for p, v in ((p, game.bind(params).values[p.name]) for p in game.parameters)}
    bound.pop(parameter.name)
    return RegionMap((parameter.name,), (x,), tuple(regions), bound, True)
