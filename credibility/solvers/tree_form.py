"""The reduced strategic form of a game tree, and the threats its Nash equilibria rest on.

A pure strategy of a player names a move at each of the player's decision
nodes; the *reduced* form leaves out the nodes the player's own earlier moves
make unreachable, so strategies that differ only there are one. Every profile
of reduced strategies has expected payoffs (chance moves averaged), which make
a bimatrix game. Its Nash equilibria can prescribe moves a player would never
make once the node is reached: those are the threats that are not credible.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import product

from ..errors import GameTooLargeError
from ..models.tree import GameTree, Node
from .enumeration import count_subsets, enumerate_extreme_equilibria

__all__ = [
    "MAX_STRATEGIES",
    "ReducedForm",
    "StrategicEquilibrium",
    "expected_payoffs",
    "reduced_form",
]

#: The most reduced strategies per player we put into a strategic form.
MAX_STRATEGIES = 64
#: The most support choices the exact enumeration of the strategic form may take.
MAX_FORM_SUBSETS = 200_000
#: The deepest tree whose strategic form we build (the walks recurse).
MAX_FORM_DEPTH = 200

Strategy = tuple[tuple[str, str], ...]  # (node path, move) in depth-first order


@dataclass(frozen=True)
class StrategicEquilibrium:
    """An extreme Nash equilibrium of the reduced strategic form.

    Attributes
    ----------
    strategies : tuple of two tuples of Fraction
        Each player's probabilities over its reduced strategies.
    payoffs : tuple of two Fraction
    """

    strategies: tuple[tuple[Fraction, ...], tuple[Fraction, ...]]
    payoffs: tuple[Fraction, Fraction]


@dataclass(frozen=True)
class ReducedForm:
    """The reduced strategic form of a tree and its extreme Nash equilibria.

    Attributes
    ----------
    strategies : tuple of two tuples of Strategy
        Each player's reduced strategies: ``(node path, move)`` pairs.
    labels : tuple of two tuples of str
        A readable label per strategy (its moves, with node paths where
        needed to tell strategies apart).
    payoffs : tuple of two matrices of Fraction
        ``payoffs[i][r][c]``: player i's expected payoff.
    equilibria : tuple of StrategicEquilibrium
    degenerate : bool
    """

    strategies: tuple[tuple[Strategy, ...], tuple[Strategy, ...]]
    labels: tuple[tuple[str, ...], tuple[str, ...]]
    payoffs: tuple[list[list[Fraction]], list[list[Fraction]]]
    equilibria: tuple[StrategicEquilibrium, ...]
    degenerate: bool

    def describe(self, equilibrium: StrategicEquilibrium) -> str:
        """A profile as ``(row, column)``, mixed strategies as ``p label + ...``."""
        parts = []
        for player in (0, 1):
            weights = equilibrium.strategies[player]
            played = [(w, label) for w, label in zip(weights, self.labels[player]) if w > 0]
            if len(played) == 1:
                parts.append(played[0][1])
            else:
                parts.append(" + ".join(f"{w} [{label}]" for w, label in played))
        return f"({parts[0]}; {parts[1]})"


def reduced_form(
    tree: GameTree,
    payoffs: Mapping[str, tuple[Fraction, Fraction]],
    probabilities: Mapping[tuple[str, str], Fraction],
) -> ReducedForm:
    """Build the reduced strategic form at bound values and enumerate its extreme equilibria.

    Parameters
    ----------
    tree : GameTree
    payoffs : mapping of node path to the terminal payoff pair (exact)
    probabilities : mapping of (chance node path, move) to its exact probability

    Returns
    -------
    ReducedForm

    Raises
    ------
    GameTooLargeError
        If a player has more than ``MAX_STRATEGIES`` reduced strategies or the
        form is too large to enumerate exactly.
    """
    if _depth(tree.root) > MAX_FORM_DEPTH:
        raise GameTooLargeError(
            f"the tree is deeper than {MAX_FORM_DEPTH} moves, too deep for its strategic form"
        )
    counts = [_count_strategies(tree, player) for player in tree.players]
    if max(counts) > MAX_STRATEGIES or count_subsets(*counts) > MAX_FORM_SUBSETS:
        raise GameTooLargeError(
            f"the strategic form has {counts[0]:,} x {counts[1]:,} reduced strategies, "
            "too many to enumerate its Nash equilibria"
        )
    strategies = tuple(tuple(_strategies(tree.root, player)) for player in tree.players)
    matrices: tuple[list[list[Fraction]], list[list[Fraction]]] = ([], [])
    for row in strategies[0]:
        outcomes = [
            expected_payoffs(tree.root, dict(row) | dict(col), payoffs, probabilities)
            for col in strategies[1]
        ]
        matrices[0].append([u[0] for u in outcomes])
        matrices[1].append([u[1] for u in outcomes])
    found = enumerate_extreme_equilibria(*matrices)
    equilibria = tuple(
        StrategicEquilibrium(
            (tuple(e.row), tuple(e.column)),
            (_expected(matrices[0], e.row, e.column), _expected(matrices[1], e.row, e.column)),
        )
        for e in found.equilibria
    )
    labels = (_labels(strategies[0]), _labels(strategies[1]))
    return ReducedForm(strategies, labels, matrices, equilibria, found.degenerate)  # type: ignore[arg-type]


def _depth(root: Node) -> int:
    deepest = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((move.node, depth + 1) for move in node.moves)
    return deepest


def _count_strategies(tree: GameTree, player: str) -> int:
    counts: dict[str, int] = {}
    for node in reversed(list(tree.nodes())):
        below = [counts[move.node.path] for move in node.moves]
        if node.payoffs is not None:
            counts[node.path] = 1
        elif not node.chance and node.player == player:
            counts[node.path] = sum(below)
        else:
            counts[node.path] = math.prod(below)
    return counts[tree.root.path]


def _strategies(node: Node, player: str) -> list[Strategy]:
    """The player's reduced strategies in the subgame at ``node``."""
    if node.payoffs is not None:
        return [()]
    if not node.chance and node.player == player:
        return [
            ((node.path, move.name), *rest)
            for move in node.moves
            for rest in _strategies(move.node, player)
        ]
    combined: list[Strategy] = []
    for parts in product(*(_strategies(move.node, player) for move in node.moves)):
        combined.append(tuple(pair for part in parts for pair in part))
    return combined


def expected_payoffs(
    node: Node,
    moves: dict[str, str],
    payoffs: Mapping[str, tuple[Fraction, Fraction]],
    probabilities: Mapping[tuple[str, str], Fraction],
) -> tuple[Fraction, Fraction]:
    """Expected payoffs from ``node`` when each decision node plays ``moves[path]``.

    ``payoffs`` maps terminal paths to payoff pairs and ``probabilities`` maps
    ``(chance node path, move)`` to the move's probability.
    """
    if node.payoffs is not None:
        return payoffs[node.path]
    if node.chance:
        total = [Fraction(0), Fraction(0)]
        for move in node.moves:
            weight = probabilities[(node.path, move.name)]
            if weight:
                u = expected_payoffs(move.node, moves, payoffs, probabilities)
                total[0] += weight * u[0]
                total[1] += weight * u[1]
        return total[0], total[1]
    chosen = next(m for m in node.moves if m.name == moves[node.path])
    return expected_payoffs(chosen.node, moves, payoffs, probabilities)


def _expected(matrix: list[list[Fraction]], row, column) -> Fraction:
    return sum(
        (r * c * matrix[i][j] for i, r in enumerate(row) if r for j, c in enumerate(column) if c),
        Fraction(0),
    )


def _labels(strategies: tuple[Strategy, ...]) -> tuple[str, ...]:
    """Moves joined by commas; with node paths if that is needed to tell strategies apart."""
    short = tuple(", ".join(move for _, move in s) or "(no move)" for s in strategies)
    if len(set(short)) == len(short):
        return short
    return tuple(
        ", ".join(f"{path or 'root'}: {move}" for path, move in s) or "(no move)"
        for s in strategies
    )
