"""Agent logit QRE of game trees, vectorised over precisions and parameter grids.

McKelvey & Palfrey (1998): each decision node is an agent of its player who
chooses move ``a`` with probability ``exp(lambda Q_a) / sum_b exp(lambda Q_b)``,
where ``Q_a`` is the player's expected payoff after ``a`` under the agents'
choices below. In a tree of perfect information the continuation values are
known once the subtree is solved, so the equilibrium is unique and found by
backward recursion in closed form:

1. A terminal node's value is its payoff pair.
2. A chance node's value is the probability-weighted mean of its moves' values.
3. A decision node's choice probabilities are the softmax of ``lambda`` times
   the mover's values of its moves; its value is their weighted mean.
4. Forwards from the root, a terminal node's probability is the product of the
   choice and chance probabilities on its path.

Every quantity is a numpy array, so one pass evaluates any array of ``lambda``
values broadcast against arrays of payoffs and chance probabilities (a
``lambda`` x parameter grid).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..models import GameTree
from ..parameters import ParamValues
from .result import QREPoint, QREResult

__all__ = ["TreeArrays", "agent_qre", "compile_tree", "qre_grid", "qre_tree"]


@dataclass(frozen=True)
class TreeArrays:
    """A tree flattened for the kernel: nodes in depth-first order, the root first.

    Attributes
    ----------
    kinds : tuple of str
        ``"terminal"``, ``"decision"`` or ``"chance"`` per node.
    movers : tuple of int
        The mover's index (into the players) at decision nodes, -1 elsewhere.
    children : tuple of tuple of int
        The node indices the moves lead to.
    moves : tuple of tuple of str
        The move names.
    paths : tuple of str
        Each node's path as walked (moves joined by ``"/"``).
    labels : tuple of str
        Each node's path as an outcome label (moves joined by ``" > "``).
    expressions : tuple
        Per node: the payoff pair (terminal), the move probabilities (chance), or ().
    """

    kinds: tuple[str, ...]
    movers: tuple[int, ...]
    children: tuple[tuple[int, ...], ...]
    moves: tuple[tuple[str, ...], ...]
    paths: tuple[str, ...]
    labels: tuple[str, ...]
    expressions: tuple[tuple[Any, ...], ...]

    @property
    def terminals(self) -> list[int]:
        return [i for i, kind in enumerate(self.kinds) if kind == "terminal"]

    @property
    def decisions(self) -> list[int]:
        return [i for i, kind in enumerate(self.kinds) if kind == "decision"]


def compile_tree(game: GameTree) -> TreeArrays:
    """Flatten ``game`` (iteratively: trees may be deep)."""
    kinds: list[str] = []
    movers: list[int] = []
    children: list[tuple[int, ...]] = []
    moves: list[tuple[str, ...]] = []
    paths: list[tuple[str, ...]] = []
    expressions: list[tuple[Any, ...]] = []
    pending: dict[int, list[int]] = {}
    stack: list[tuple[Any, tuple[str, ...], int]] = [(game.root, (), -1)]
    while stack:
        node, path, parent = stack.pop()
        index = len(kinds)
        if parent >= 0:
            pending[parent].append(index)
        kinds.append(node.kind)
        movers.append(game.players.index(node.player) if node.kind == "decision" else -1)
        moves.append(tuple(m.name for m in node.moves))
        paths.append(path)
        if node.kind == "terminal":
            expressions.append(tuple(node.payoffs))
        elif node.kind == "chance":
            expressions.append(tuple(m.probability for m in node.moves))
        else:
            expressions.append(())
        pending[index] = []
        stack.extend((m.node, (*path, m.name), index) for m in reversed(node.moves))
    children = [tuple(pending[i]) for i in range(len(kinds))]
    return TreeArrays(
        kinds=tuple(kinds),
        movers=tuple(movers),
        children=tuple(children),
        moves=tuple(moves),
        paths=tuple("/".join(p) for p in paths),
        labels=tuple(" > ".join(p) or "(root)" for p in paths),
        expressions=tuple(expressions),
    )


def agent_qre(
    tree: TreeArrays, lam: Any, values: Sequence[Any]
) -> tuple[dict[int, list[Any]], list[Any], list[tuple[Any, ...]]]:
    """The kernel: choice probabilities, node reach probabilities and node values.

    ``values[i]`` is node ``i``'s payoffs, one per player (terminal), or move
    probabilities (chance) as floats or arrays; ``lam`` a float or an array. Everything
    broadcasts. Returns (decision node -> probability of each move, probability
    of reaching each node, each node's values, one per player).
    """
    lam = np.asarray(lam, dtype=float)
    size = len(tree.kinds)
    value: list[Any] = [None] * size
    choice: dict[int, list[Any]] = {}
    for i in reversed(range(size)):  # children come after their parent
        kind, kids = tree.kinds[i], tree.children[i]
        if kind == "terminal":
            value[i] = tuple(np.asarray(v, dtype=float) for v in values[i])
            continue
        if kind == "chance":
            weights = [np.asarray(w, dtype=float) for w in values[i]]
        else:
            k = tree.movers[i]
            q = [value[c][k] for c in kids]
            top = q[0]
            for x in q[1:]:
                top = np.maximum(top, x)
            exps = [np.exp(lam * (x - top)) for x in q]  # lam * (x - top) <= 0: no overflow
            total = sum(exps)
            weights = [e / total for e in exps]
            choice[i] = weights
        value[i] = tuple(
            sum(w * value[c][k] for w, c in zip(weights, kids)) for k in range(len(value[kids[0]]))
        )
    reach: list[Any] = [None] * size
    reach[0] = np.ones_like(lam)
    for i in range(size):
        kind = tree.kinds[i]
        if kind == "terminal":
            continue
        weights = choice[i] if kind == "decision" else values[i]
        for w, c in zip(weights, tree.children[i]):
            reach[c] = reach[i] * w
    return choice, reach, value


def _float_values(tree: TreeArrays, binding: Any) -> list[Any]:
    return [
        tuple(float(binding.value(x)) for x in exprs) if kind != "decision" else ()
        for kind, exprs in zip(tree.kinds, tree.expressions)
    ]


def qre_tree(
    game: GameTree, lambdas: Sequence[float], params: ParamValues | None = None
) -> QREResult:
    """The agent logit QRE of ``game`` at each of ``lambdas``."""
    binding = game.bind(params)
    tree = compile_tree(game)
    lam = np.asarray(lambdas, dtype=float)
    choice, reach, value = agent_qre(tree, lam, _float_values(tree, binding))
    lam = lam.reshape(-1)

    def at(x: Any, k: int) -> float:
        return float(np.broadcast_to(x, lam.shape)[k])

    points = []
    for k, lam_k in enumerate(lam.tolist()):
        strategies = {
            tree.paths[i]: {move: at(w, k) for move, w in zip(tree.moves[i], choice[i])}
            for i in tree.decisions
        }
        residual = 0.0
        for i in tree.decisions:
            q = np.array([at(value[c][tree.movers[i]], k) for c in tree.children[i]])
            z = np.exp(lam_k * (q - q.max()))
            sigma = np.array(list(strategies[tree.paths[i]].values()))
            residual = max(residual, float(np.abs(sigma - z / z.sum()).max()))
        points.append(
            QREPoint(
                lam=lam_k,
                strategies=strategies,
                payoffs=tuple(at(v, k) for v in value[0]),
                outcomes={tree.labels[i]: at(reach[i], k) for i in tree.terminals},
                residual=residual,
            )
        )
    return QREResult(
        game=game,
        parameters=dict(binding.values),
        points=tuple(points),
        method="backward-recursion",
    )


def qre_grid(
    game: GameTree,
    lambdas: Any,
    grid: Mapping[str, Any],
    params: ParamValues | None = None,
) -> dict[str, Any]:
    """Outcome probabilities of the agent QRE over ``lambda`` and a parameter grid at once.

    Parameters
    ----------
    game : GameTree
    lambdas : array
        Precisions; broadcast against the grid arrays (give them shapes that broadcast,
        e.g. ``lam[:, None]`` against ``p[None, :]``).
    grid : mapping of str to array
        Parameter name -> values; the other parameters take ``params`` or their defaults.
    params : mapping, optional

    Returns
    -------
    dict of str to numpy array
        Terminal node label -> probability, of the broadcast shape.
    """
    import sympy  # lazy: start-up time (sympy)

    names = {p.name for p in game.parameters}
    unknown = sorted(set(grid) - names)
    if unknown:
        raise ParameterError(f"unknown parameter {unknown[0]!r} in the grid")
    fixed = {k: v for k, v in dict(params or {}).items() if k not in grid}
    binding = game.bind(fixed)
    symbols = [p.symbol for p in game.parameters if p.name in grid]
    subs = {p.symbol: binding.values[p.name] for p in game.parameters if p.name not in grid}
    tree = compile_tree(game)
    args = [np.asarray(grid[s.name], dtype=float) for s in symbols]
    values: list[Any] = []
    for kind, exprs in zip(tree.kinds, tree.expressions):
        evaluated = []
        for expr in exprs:
            bound = sympy.sympify(expr).subs(subs)
            # lambdify runs generated code: only on expressions our own parser built.
            evaluated.append(sympy.lambdify(symbols, bound, "numpy")(*args) + 0.0 * sum(args, 0.0))
        values.append(tuple(evaluated) if kind != "decision" else ())
    _, reach, _ = agent_qre(tree, lambdas, values)
    return {tree.labels[i]: reach[i] for i in tree.terminals}
