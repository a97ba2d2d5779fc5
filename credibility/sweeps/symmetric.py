"""The symmetric-game evaluator: each grid point solved exactly, once per distinct point.

The row (its columns after the swept parameters): ``outcome``, the kinds of symmetric
equilibrium (:func:`~credibility.solvers.symmetric.symmetric_outcome`, as ``solve`` and
``credibility threshold`` label them); ``n_equilibria``, their number; ``p_mixed``, the mixed
equilibrium's probability of the first action when there is exactly one mixed equilibrium
(NaN otherwise); ``p_answer``, the probability that the alliance answers (at least
``answer_at_least`` members choose the first action) in it (NaN otherwise).

Exact per point (documented choice): the roots of the gain polynomial are found exactly by
:func:`~credibility.solvers.symmetric.solve_symmetric` at each point's exact values; points with
the same exact values are solved once (a grid over ``n`` and ``c`` repeats each ``n`` many
times only in the float columns, not in the exact values). :func:`symmetric_row` is the row.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ..models.symmetric import SymmetricGame
from ..solvers.symmetric import solve_symmetric
from .evaluator import Chunk
from .rows import at_point, empty_columns, fill

__all__ = ["SymmetricEvaluator", "symmetric_row"]


def symmetric_row(game: SymmetricGame, params: Mapping[str, Fraction]) -> dict[str, Any]:
    """The row of a symmetric game at one point, from ``solve_symmetric`` (exact).

    Examples
    --------
    >>> import credibility as cr
    >>> row = symmetric_row(cr.load("collective_defence_n"), {"n": Fraction(2)})
    >>> row["outcome"], row["p_mixed"], row["p_answer"]
    ('mixed', 0.75, 0.9375)
    """
    solution = solve_symmetric(game, dict(params))
    mixed = solution.mixed
    one = len(mixed) == 1
    return {
        "outcome": solution.outcome,
        "n_equilibria": len(solution.equilibria),
        "p_mixed": float(mixed[0].p.evalf(17)) if one else math.nan,
        "p_answer": float(mixed[0].answer.evalf(17)) if one else math.nan,
    }


class SymmetricEvaluator:
    """Classifies grid points of a symmetric game, each distinct point solved exactly.

    Examples
    --------
    >>> import credibility as cr
    >>> from credibility.sweeps.grid import make_grid, parse_grid
    >>> game = cr.load("collective_defence_n")
    >>> grid = make_grid(dict([parse_grid("n=2,12,32")]), game.parameters)
    >>> rows = SymmetricEvaluator(game, ["n"], {}).evaluate(grid.chunk(0, 3))
    >>> [round(x, 4) for x in rows["p_answer"].tolist()]
    [0.9375, 0.7796, 0.7609]
    """

    def __init__(self, game: SymmetricGame, swept: Sequence[str], params: Mapping[str, Fraction]):
        self.game = game
        self.swept = tuple(swept)
        self.params = dict(params)
        self.columns: tuple[str, ...] = ("outcome", "n_equilibria", "p_mixed", "p_answer")
        self.cache: dict[tuple[Fraction, ...], dict[str, Any]] = {}

    def evaluate(self, chunk: Chunk) -> dict[str, np.ndarray]:
        """The rows of every point of the chunk."""
        n = len(chunk)
        table = empty_columns(self.columns, n)
        for i in range(n):
            point = chunk.exact(i)
            key = tuple(point[name] for name in self.swept)
            row = self.cache.get(key)
            if row is None:
                row = at_point(lambda values: symmetric_row(self.game, self.params | values), point)
                self.cache[key] = row
            fill(table, i, row)
        return table
