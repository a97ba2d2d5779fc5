"""The tree evaluator: symbolic regions first, then numpy over the chunk.

The regions of the tree (:func:`credibility.symbolic.regions.tree_regions`,
with the swept parameters free and the others bound) are derived once. Over a
chunk, each region's conditions are evaluated in float64; a point is assigned
to the region all of whose conditions are positive beyond the tolerance
(:mod:`~credibility.sweeps.compiled`). Regions are disjoint, so the assignment
is unambiguous. Points near a boundary, or outside every region, are solved
exactly (:func:`~credibility.sweeps.rows.tree_row`). The payoffs of a
region's first equilibrium are lambdified too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy

from ..errors import CredibilityError
from ..models import GameTree
from .compiled import Compiled
from .evaluator import Chunk
from .rows import at_point, columns_for, empty_columns, fill, tree_row

__all__ = ["TreeEvaluator"]


@dataclass(frozen=True)
class _CompiledRegion:
    conditions: tuple[Compiled, ...]
    outcome: str
    n_equilibria: int
    path: str
    payoffs: tuple[Compiled, ...]


class TreeEvaluator:
    """Classifies grid points of a game tree by its symbolic regions.

    Parameters
    ----------
    game : GameTree
    swept : sequence of str
        The swept parameters (left free in the regions).
    params : mapping of str to Fraction
        Other parameters bound (the rest keep their defaults).

    Attributes
    ----------
    columns : tuple of str
        ``outcome``, ``n_equilibria``, ``path`` and ``payoff_PLAYER`` per player.
    boundaries : tuple of sympy.Expr
        The regions' condition expressions: outcomes may change where one is 0.
    symbols : tuple of sympy.Symbol
        The swept parameters' symbols.

    Examples
    --------
    A challenger deterred when the defender is resolved with probability
    p > 1/3 (ties at p = 1/3 go to the exact solver):

    >>> from credibility.io.toml_loader import parse_toml
    >>> from credibility.sweeps.grid import make_grid, parse_grid
    >>> game = parse_toml('''
    ... kind = "tree"
    ... players = ["Challenger", "Defender"]
    ... parameters.p = {default = 0.5, min = 0, max = 1}
    ... root.player = "Challenger"
    ... root.moves."Status quo".payoffs = [0, 0]
    ... root.moves.Challenge.chance = true
    ... [root.moves.Challenge.moves.Resolved]
    ... probability = "p"
    ... player = "Defender"
    ... moves = {Resist = {payoffs = [-2, 1]}, Concede = {payoffs = [1, -1]}}
    ... [root.moves.Challenge.moves.Irresolute]
    ... probability = "1 - p"
    ... player = "Defender"
    ... moves = {Resist = {payoffs = [-2, -3]}, Concede = {payoffs = [1, -1]}}
    ... ''')
    >>> grid = make_grid(dict([parse_grid("p=0:1:4")]), game.parameters)
    >>> evaluator = TreeEvaluator(game, ["p"], {})
    >>> evaluator.boundaries
    (3*p - 1, p - 1, p)
    >>> rows = evaluator.evaluate(grid.chunk(0, 4))
    >>> rows["outcome"].tolist()
    ['Challenge > Irresolute > Concede', 'Status quo | Challenge', 'Status quo', 'Status quo']
    >>> rows["payoff_Challenger"].tolist()
    [1.0, 0.0, 0.0, 0.0]
    """

    def __init__(self, game: GameTree, swept: Sequence[str], params: Mapping[str, Fraction]):
        from ..symbolic.regions import normalise, tree_regions

        self.game = game
        self.swept = tuple(swept)
        self.params = dict(params)
        self.columns = columns_for(game)
        try:
            region_map = tree_regions(game, self.params, free=self.swept)
        except CredibilityError:  # too many regions: every point goes to the exact solver
            self.symbols: tuple[sympy.Symbol, ...] = ()
            self.regions: tuple[_CompiledRegion, ...] = ()
            self.boundaries: tuple[sympy.Expr, ...] = ()
            return
        self.symbols = region_map.symbols
        self.regions = tuple(
            _CompiledRegion(
                tuple(Compiled(c, self.symbols) for c in region.conditions),
                region.outcome,
                len(region.equilibria),
                region.equilibria[0].outcome,
                tuple(Compiled(v, self.symbols) for v in region.equilibria[0].payoffs),
            )
            for region in region_map.regions
        )
        self.boundaries = tuple(
            dict.fromkeys(
                normalise(c)[0] for region in region_map.regions for c in region.conditions
            )
        )

    def evaluate(self, chunk: Chunk) -> dict[str, np.ndarray]:
        """The rows of every point of the chunk."""
        n = len(chunk)
        values = [chunk.values[name] for name in self.swept]
        table = empty_columns(self.columns, n)
        payoff_columns = self.columns[3:]
        settled = np.zeros(n, dtype=bool)
        for region in self.regions:
            inside = np.ones(n, dtype=bool)
            for condition in region.conditions:
                result = condition(*values)
                inside &= (result > 0) & ~condition.uncertain(result, *values)
            if not inside.any():
                continue
            settled |= inside
            table["outcome"][inside] = region.outcome
            table["n_equilibria"][inside] = region.n_equilibria
            table["path"][inside] = region.path
            for name, payoff in zip(payoff_columns, region.payoffs):
                table[name][inside] = payoff(*values)[inside]
        for i in np.flatnonzero(~settled):
            row = at_point(
                lambda point: tree_row(self.game, self.params | point), chunk.exact(int(i))
            )
            fill(table, int(i), row)
        return table
