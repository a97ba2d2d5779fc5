"""The tree evaluator: symbolic regions first, then numpy over the chunk.

The regions of the tree (:func:`credibility.symbolic.regions.tree_regions`,
with the swept parameters free and the others bound) are derived once. Over a
chunk, each region's conditions are evaluated in float64; a point is assigned
to the region all of whose conditions are positive beyond the tolerance
(:mod:`~credibility.sweeps.compiled`). Regions are disjoint, so the assignment
is unambiguous. Points near a boundary, or outside every region, are solved
exactly (:func:`~credibility.sweeps.rows.tree_row`). The payoffs of a
region's first equilibrium are lambdified too.

Deep trees. The symbolic regions cost time that grows fast with the number
of nodes (an escalation ladder of 80 rungs spends nearly all of its sweep in
sympy's ``solve_univariate_inequality``, one call per region condition). A
tree of more than :data:`MAX_SYMBOLIC_NODES` decision and chance nodes is
classified instead by backward induction in float64 over the chunk
(:class:`_Induction`): every node's expected payoffs, bottom-up, with a bound
on their rounding; at a decision node the mover's best move, where it beats
every other by more than the tolerance. A point with a near-tie at any
node (several subgame-perfect equilibria, or a doubt), or a probability near
0 or 1 where it decides the path, goes to the exact solver; elsewhere the
equilibrium is unique and its path and payoffs are read off. It has no
symbolic boundaries (``--plot`` draws the regions without curves).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy

from ..errors import CredibilityError
from ..models import GameTree
from ..models.tree import Node
from ..symbolic.regions import tree_regions
from ..symbolic.signs import normalise
from .compiled import TOLERANCE, Compiled, Polynomial, compile_expression
from .evaluator import Chunk
from .rows import at_point, columns_for, empty_columns, fill, tree_row

__all__ = ["MAX_SYMBOLIC_NODES", "TreeEvaluator"]

#: Trees with more decision and chance nodes than this are classified by vectorised induction.
MAX_SYMBOLIC_NODES = 24


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
        self.game = game
        self.swept = tuple(swept)
        self.params = dict(params)
        self.columns = columns_for(game)
        self._induction: _Induction | None = None
        self.symbols: tuple[sympy.Symbol, ...] = ()
        self.regions: tuple[_CompiledRegion, ...] = ()
        self.boundaries: tuple[sympy.Expr, ...] = ()
        inner = [node for node in game.nodes() if node.kind != "terminal"]
        if len(inner) > MAX_SYMBOLIC_NODES and _is_tree(game.root):
            self._induction = _Induction(game, self.swept, self.params)
            self.symbols = self._induction.symbols
            return
        try:
            region_map = tree_regions(game, self.params, free=self.swept)
        except CredibilityError:  # too many regions: every point goes to the exact solver
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
        if self._induction is not None:
            settled = self._induction.fill(table, values, n, payoff_columns)
        else:
            settled = self._by_regions(table, values, n, payoff_columns)
        for i in np.flatnonzero(~settled):
            row = at_point(
                lambda point: tree_row(self.game, self.params | point), chunk.exact(int(i))
            )
            fill(table, int(i), row)
        return table

    def _by_regions(
        self,
        table: dict[str, np.ndarray],
        values: list[np.ndarray],
        n: int,
        payoff_columns: tuple[str, ...],
    ) -> np.ndarray:
        """Fill the points inside a region; which they are."""
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
        return settled


def _is_tree(root: Node) -> bool:
    """True if no node is reached by two moves (then a node's path from the root is unique)."""
    seen: set[int] = set()
    for node in root.walk():
        if id(node) in seen:
            return False
        seen.add(id(node))
    return True


class _Induction:
    """Backward induction over a chunk in float64, for trees too deep for symbolic regions.

    Every value carries a bound on the sum of the absolute values of the
    terms it was computed from (as :class:`~credibility.sweeps.compiled.Compiled`
    does for one expression); two values closer than ``TOLERANCE`` times
    ``1 +`` their bounds are a (possible) tie.
    """

    def __init__(self, game: GameTree, swept: tuple[str, ...], params: Mapping[str, Fraction]):
        names = {p.name: p for p in game.parameters}
        self.symbols = tuple(names[name].symbol for name in swept)
        values = game.bind(params).values
        bound = {
            p.symbol: sympy.Rational(values[p.name].numerator, values[p.name].denominator)
            for p in game.parameters
            if p.name not in swept
        }
        self.players = game.players
        # nodes parents first; a node's index is its position
        self.nodes = list(game.root.walk())
        index = {id(node): k for k, node in enumerate(self.nodes)}
        self.children = [[index[id(m.node)] for m in node.moves] for node in self.nodes]
        cache: dict[sympy.Expr, Compiled | Polynomial] = {}

        def compiled(expr: sympy.Expr) -> Compiled | Polynomial:
            if expr not in cache:
                cache[expr] = compile_expression(expr, self.symbols)
            return cache[expr]

        self.payoffs: dict[int, tuple[Compiled | Polynomial, ...]] = {}
        self.probabilities: dict[int, list[Compiled | Polynomial]] = {}
        self.certain: dict[int, int | None] = {}  # chance nodes with constant probabilities
        for k, node in enumerate(self.nodes):
            if node.kind == "terminal":
                assert node.payoffs is not None
                self.payoffs[k] = tuple(
                    compiled(sympy.sympify(x).subs(bound)) for x in node.payoffs
                )
            elif node.kind == "chance":
                expressions = [sympy.sympify(m.probability).subs(bound) for m in node.moves]
                self.probabilities[k] = [compiled(e) for e in expressions]
                if not any(e.free_symbols for e in expressions):
                    ones = [i for i, e in enumerate(expressions) if e == 1]
                    self.certain[k] = ones[0] if len(ones) == 1 else None
        # each node's path label, from its parent's
        self.labels = [""] * len(self.nodes)
        for k, node in enumerate(self.nodes):
            for move, child in zip(node.moves, self.children[k]):
                self.labels[child] = (
                    f"{self.labels[k]} > {move.name}" if self.labels[k] else move.name
                )
        self.labels = [label or "(chance)" for label in self.labels]

    def fill(
        self,
        table: dict[str, np.ndarray],
        values: list[np.ndarray],
        n: int,
        payoff_columns: tuple[str, ...],
    ) -> np.ndarray:
        """Fill the points where the equilibrium is unique and sure; which they are."""
        unsure = np.zeros(n, dtype=bool)
        m = len(self.players)  # a node's value: m payoffs, then their m magnitudes
        value: dict[int, tuple[np.ndarray, ...]] = {}
        choice: dict[int, np.ndarray] = {}
        sure: dict[int, np.ndarray] = {}  # chance nodes: the move of probability 1, else -1
        for k in reversed(range(len(self.nodes))):  # children before parents
            node = self.nodes[k]
            below = [value.pop(c) for c in self.children[k]]
            if node.kind == "terminal":
                compiled = self.payoffs[k]
                value[k] = (
                    *(payoff(*values) for payoff in compiled),
                    *(payoff.magnitude(*values) for payoff in compiled),
                )
            elif node.kind == "decision":
                mover = self.players.index(node.player)  # type: ignore[arg-type]
                best = np.zeros(n, dtype=np.int64)
                chosen = list(below[0])
                for c, option in enumerate(below[1:], start=1):
                    with np.errstate(invalid="ignore"):
                        better = option[mover] > chosen[mover]
                    best[better] = c
                    chosen = [np.where(better, new, old) for new, old in zip(option, chosen)]
                top, top_bound = chosen[mover], chosen[m + mover]
                for c, option in enumerate(below):
                    with np.errstate(invalid="ignore"):
                        close = (top - option[mover]) <= TOLERANCE * (
                            1 + top_bound + option[m + mover]
                        )
                    unsure |= close & (best != c)
                unsure |= ~np.isfinite(top)
                value[k] = tuple(chosen)
                choice[k] = best
            else:
                probabilities = [p(*values) for p in self.probabilities[k]]
                bounds = [p.magnitude(*values) for p in self.probabilities[k]]
                value[k] = tuple(
                    sum((p if i < m else q) * b[i] for p, q, b in zip(probabilities, bounds, below))
                    for i in range(2 * m)
                )
                if k in self.certain:
                    move = self.certain[k]
                    sure[k] = np.full(n, -1 if move is None else move)
                else:
                    ones = np.full(n, -1)
                    for i, (p, q) in enumerate(zip(probabilities, bounds)):
                        with np.errstate(invalid="ignore"):
                            near = np.abs(p - 1) <= TOLERANCE * (1 + q)
                        unsure |= near & (p != 1)  # a sure move, or nearly: exactly
                        ones[near & (p == 1)] = i
                    sure[k] = ones
        root = value.pop(0)
        for payoff in root[:m]:
            unsure |= ~np.isfinite(payoff)
        # the path: down from the root along the choices and the sure chance moves
        end = np.zeros(n, dtype=np.int64)
        for k, node in enumerate(self.nodes):
            here = end == k
            if node.kind == "decision":
                picks = choice[k][here]
            elif node.kind == "chance":
                picks = sure[k][here]
            else:
                continue
            moved = picks >= 0
            targets = np.array(self.children[k], dtype=np.int64)
            where = np.flatnonzero(here)[moved]
            end[where] = targets[picks[moved]]
        settled = ~unsure
        labels = np.array(self.labels, dtype=object)
        table["outcome"][settled] = labels[end[settled]]
        table["path"][settled] = labels[end[settled]]
        table["n_equilibria"][settled] = 1
        for name, payoff in zip(payoff_columns, root[:m]):
            table[name][settled] = payoff[settled]
        return settled
