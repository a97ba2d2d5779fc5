"""The one label of a bimatrix or tree outcome, whoever found the equilibria.

An *outcome* is the set of equilibria at a point of the parameter space. Every
place that names one (``solve``'s ``outcome``, ``credibility threshold``'s
regions, a sweep's ``outcome`` column and summary counts, plot legends) takes
the name from this module, so the same set gets the same label whichever
command found it and in whatever order the equilibria came.

Both kinds separate equilibria with :data:`SEPARATOR` (``" | "``) and list them
in a canonical order:

Bimatrix games (:func:`bimatrix_label`, :func:`bimatrix_outcome`)
    One name per extreme equilibrium: ``ROW/COLUMN`` when both players play a
    pure strategy, ``mixed`` in place of a player who mixes, ``mixed`` alone
    when both do. Pure profiles come first, in the game's strategy order
    (row strategy, then column strategy), then the profiles where one player
    mixes (the row player's pure strategies first), then ``mixed``. A name
    shared by several equilibria is written once with their number in front
    (``2 mixed``). A degenerate game (ties in the payoffs, as on a
    threshold: its equilibria may form segments between those listed) has
    ``degenerate: `` in front. Chicken: ``Swerve/Straight | Straight/Swerve
    | mixed``. No equilibrium at all (only the symbolic analysis of a game
    degenerate by construction can find none) reads ``no equilibrium``.
Game trees (:func:`tree_outcome`)
    The distinct paths of play of the subgame-perfect equilibria
    (:attr:`~credibility.solvers.subgame_perfect.TreeEquilibrium.outcome`: moves
    joined by ``" > "``), in the order of the tree: paths compare move by
    move in the order the moves are written, a path before its longer
    continuations. Entry deterrence at a tie: ``Out | In > Accommodate``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..models import Bimatrix, GameTree
    from ..models.tree import Node
    from .subgame_perfect import TreeEquilibrium

__all__ = [
    "DEGENERATE",
    "NO_EQUILIBRIUM",
    "SEPARATOR",
    "bimatrix_key",
    "bimatrix_label",
    "bimatrix_outcome",
    "tree_order",
    "tree_outcome",
]

#: Between the equilibria of an outcome label.
SEPARATOR = " | "
#: In front of the label of a degenerate bimatrix game.
DEGENERATE = "degenerate: "
#: The label of an empty set of equilibria (of those looked for).
NO_EQUILIBRIUM = "no equilibrium"


def bimatrix_key(strategy: Sequence[Any]) -> int:
    """The index of the strategy played for sure, or ``len(strategy)`` if the player mixes.

    Works on exact, float and symbolic probabilities alike (a symbolic
    probability is never exactly 1).

    Examples
    --------
    >>> bimatrix_key((0, 1)), bimatrix_key((0.5, 0.5))
    (1, 2)
    """
    return next((k for k, p in enumerate(strategy) if p == 1), len(strategy))


def bimatrix_label(
    keys: Iterable[tuple[int, int]],
    row_strategies: Sequence[str],
    column_strategies: Sequence[str],
    degenerate: bool | None = False,
) -> str:
    """The label of a bimatrix outcome given by its equilibria's keys, in any order.

    Parameters
    ----------
    keys : iterable of (int, int)
        One ``(i, j)`` per extreme equilibrium: the index of the row (column)
        player's pure strategy, or ``m`` (``n``) if that player mixes.
    row_strategies, column_strategies : sequence of str
    degenerate : bool or None
        Whether the game is degenerate at that point (None: unknown, read as
        not degenerate).

    Returns
    -------
    str
        See the module's description.

    Examples
    --------
    >>> chicken = ["Swerve", "Straight"]
    >>> bimatrix_label([(2, 2), (1, 0), (0, 1)], chicken, chicken)
    'Swerve/Straight | Straight/Swerve | mixed'
    >>> bimatrix_label([(0, 2), (2, 1), (0, 0)], ["U", "D"], ["L", "R"], True)
    'degenerate: U/L | U/mixed | mixed/R'
    >>> bimatrix_label([(3, 3), (0, 0), (3, 3)], ["A", "B", "C"], ["a", "b", "c"])
    'A/a | 2 mixed'
    """
    m, n = len(row_strategies), len(column_strategies)
    counts = Counter(keys)
    names = []
    for i, j in sorted(counts, key=lambda key: ((key[0] == m) + (key[1] == n), key)):
        if i == m and j == n:
            name = "mixed"
        else:
            row = row_strategies[i] if i < m else "mixed"
            column = column_strategies[j] if j < n else "mixed"
            name = f"{row}/{column}"
        names.append(name if counts[i, j] == 1 else f"{counts[i, j]} {name}")
    label = SEPARATOR.join(names) or NO_EQUILIBRIUM
    return DEGENERATE + label if degenerate else label


def bimatrix_outcome(
    game: Bimatrix, equilibria: Iterable[Any], degenerate: bool | None = False
) -> str:
    """The label of a set of bimatrix equilibria (``MixedEquilibrium``), in any order.

    The probabilities may be fractions, floats or sympy expressions.

    Examples
    --------
    >>> import credibility as cr
    >>> game = cr.load("chicken")
    >>> solution = cr.solve(game)
    >>> bimatrix_outcome(game, reversed(solution.equilibria))
    'Swerve/Straight | Straight/Swerve | mixed'
    """
    keys = [(bimatrix_key(e.row), bimatrix_key(e.column)) for e in equilibria]
    return bimatrix_label(keys, game.row_strategies, game.column_strategies, degenerate)


def _path_order(root: Node, path: Sequence[str]) -> tuple[int, ...]:
    """The indices of a path's moves, each among the moves of its node."""
    order = []
    node = root
    for name in path:
        index = next(k for k, move in enumerate(node.moves) if move.name == name)
        order.append(index)
        node = node.moves[index].node
    return tuple(order)


def tree_order(root: Node, equilibrium: TreeEquilibrium) -> tuple[tuple[int, ...], ...]:
    """The canonical sort key of a subgame-perfect equilibrium: its path, then its actions.

    Paths compare by the indices of their moves (a path before its longer
    continuations); equilibria on the same path by the index of the move
    each decision node takes, the nodes depth first.
    """
    actions = []
    for node in root.walk():
        if node.kind == "decision" and node.path in equilibrium.actions:
            chosen = equilibrium.actions[node.path]
            actions.append(next(k for k, move in enumerate(node.moves) if move.name == chosen))
    return _path_order(root, equilibrium.path), tuple(actions)


def tree_outcome(game: GameTree, equilibria: Iterable[TreeEquilibrium]) -> str:
    """The label of a set of subgame-perfect equilibria, in any order: their distinct paths.

    Examples
    --------
    >>> import credibility as cr
    >>> game = cr.load("brinkmanship_risk")
    >>> solution = cr.solve(game, {"q": "1/9"})
    >>> tree_outcome(game, reversed(solution.equilibria))
    'Comply | Defy > Acquiesce'
    """
    paths = {e.path: e.outcome for e in equilibria}
    ordered = sorted(paths, key=lambda path: _path_order(game.root, path))
    return SEPARATOR.join(paths[path] for path in ordered) or NO_EQUILIBRIUM
