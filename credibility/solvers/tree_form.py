"""The reduced strategic form of a game tree, and the threats its Nash equilibria rest on.

A pure strategy of a player names a move at each of the player's decision
nodes; the *reduced* form leaves out the nodes the player's own earlier moves
make unreachable, so strategies that differ only there are one. Every profile
of reduced strategies has expected payoffs (chance moves averaged), which make
a bimatrix game when there are two players (its extreme Nash equilibria, mixed
ones included, by the bimatrix engine) and an n-player game in strategic form
(:class:`~credibility.models.normal.NormalForm`) when there are more (its pure
Nash equilibria only, by :mod:`credibility.solvers.pure_nash`). Its Nash
equilibria can prescribe moves a player would never make once the node is
reached: those are the threats that are not credible.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import TYPE_CHECKING, Any

from ..errors import GameTooLargeError
from ..models.tree import GameTree, Node
from .enumeration import count_subsets, enumerate_extreme_equilibria

if TYPE_CHECKING:
    from ..models.normal import NormalForm

__all__ = [
    "MAX_FORM_PROFILES",
    "MAX_STRATEGIES",
    "PURE_ONLY_NOTE",
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
#: The most profiles of reduced strategies in the strategic form of a tree of three or more
#: players (each is one walk of the tree; 50,000 take a few seconds).
MAX_FORM_PROFILES = 50_000
#: What the strategic form of a tree of three or more players leaves out.
PURE_ONLY_NOTE = (
    "pure Nash equilibria of the strategic form only: mixed equilibria of trees with more "
    "than two players are not computed"
)

Strategy = tuple[tuple[str, str], ...]  # (node path, move) in depth-first order


@dataclass(frozen=True)
class StrategicEquilibrium:
    """An extreme Nash equilibrium of the reduced strategic form (a pure one beyond two players).

    Attributes
    ----------
    strategies : tuple of tuples of Fraction
        Each player's probabilities over its reduced strategies.
    payoffs : tuple of Fraction
        One per player.
    """

    strategies: tuple[tuple[Fraction, ...], ...]
    payoffs: tuple[Fraction, ...]


@dataclass(frozen=True)
class ReducedForm:
    """The reduced strategic form of a tree and its Nash equilibria.

    Two players: a bimatrix game and its extreme Nash equilibria, mixed ones
    included. Three or more: a game in strategic form and its pure Nash
    equilibria only (``pure_only``).

    Attributes
    ----------
    strategies : tuple of tuples of Strategy
        Each player's reduced strategies: ``(node path, move)`` pairs.
    labels : tuple of tuples of str
        A readable label per strategy (its moves, with node paths where
        needed to tell strategies apart).
    payoffs : tuple of lists
        Two players: matrices, ``payoffs[i][r][c]`` player i's expected payoff.
        More: per player, the expected payoffs of every profile in row-major
        order (last player fastest), as in ``normal``.
    equilibria : tuple of StrategicEquilibrium
    degenerate : bool
    normal : NormalForm or None
        The strategic form as a game (three or more players; None for two).
    """

    strategies: tuple[tuple[Strategy, ...], ...]
    labels: tuple[tuple[str, ...], ...]
    payoffs: tuple[list[Any], ...]
    equilibria: tuple[StrategicEquilibrium, ...]
    degenerate: bool
    normal: NormalForm | None = None

    @property
    def pure_only(self) -> bool:
        """True when only the pure Nash equilibria were computed (three or more players)."""
        return len(self.strategies) > 2

    def describe(self, equilibrium: StrategicEquilibrium) -> str:
        """A profile as ``(row; column)`` (``(a; b; c)`` for more players), mixed strategies
        as ``p [label] + ...``."""
        parts = []
        for player in range(len(self.strategies)):
            weights = equilibrium.strategies[player]
            played = [(w, label) for w, label in zip(weights, self.labels[player]) if w > 0]
            if len(played) == 1:
                parts.append(played[0][1])
            else:
                parts.append(" + ".join(f"{w} [{label}]" for w, label in played))
        return f"({'; '.join(parts)})"


def reduced_form(
    tree: GameTree,
    payoffs: Mapping[str, tuple[Fraction, ...]],
    probabilities: Mapping[tuple[str, str], Fraction],
) -> ReducedForm:
    """Build the reduced strategic form at bound values and enumerate its equilibria.

    Two players: its extreme Nash equilibria (mixed included), by the bimatrix
    engine. Three or more: its pure Nash equilibria (:func:`_pure_form`).

    Parameters
    ----------
    tree : GameTree
    payoffs : mapping of node path to the terminal payoffs, one per player (exact)
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
    if len(tree.players) > 2:
        return _pure_form(tree, payoffs, probabilities)
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


def _pure_form(
    tree: GameTree,
    payoffs: Mapping[str, tuple[Fraction, ...]],
    probabilities: Mapping[tuple[str, str], Fraction],
) -> ReducedForm:
    """The reduced strategic form of a tree of three or more players, and its pure equilibria.

    Every profile of reduced strategies (in row-major order, the last player's
    strategy fastest) is played out on the tree; the payoffs make a
    :class:`~credibility.models.normal.NormalForm` whose pure Nash equilibria
    :func:`~credibility.solvers.pure_nash.pure_equilibria` finds exactly.
    """
    from ..models.normal import NormalForm  # lazy: start-up time
    from .pure_nash import pure_equilibria  # lazy: start-up time

    counts = [_count_strategies(tree, player) for player in tree.players]
    if max(counts) > MAX_STRATEGIES or math.prod(counts) > MAX_FORM_PROFILES:
        shape = " x ".join(f"{count:,}" for count in counts)
        raise GameTooLargeError(
            f"the strategic form has {shape} reduced strategies, "
            "too many to find its Nash equilibria"
        )
    strategies = tuple(tuple(_strategies(tree.root, player)) for player in tree.players)
    n = len(tree.players)
    tensors: tuple[list[Fraction], ...] = tuple([] for _ in range(n))
    for profile in product(*strategies):
        moves: dict[str, str] = {}
        for strategy in profile:
            moves.update(strategy)
        outcome = expected_payoffs(tree.root, moves, payoffs, probabilities)
        for i in range(n):
            tensors[i].append(outcome[i])
    labels = tuple(_labels(s) for s in strategies)
    game = NormalForm(tree.players, labels, tuple(tuple(t) for t in tensors))
    equilibria = tuple(
        StrategicEquilibrium(
            tuple(
                tuple(Fraction(int(k == chosen)) for k in range(len(strategies[i])))
                for i, chosen in enumerate(e.profile)
            ),
            tuple(Fraction(v) for v in e.payoffs),
        )
        for e in pure_equilibria(game, game.numeric(game.bind()))
    )
    return ReducedForm(strategies, labels, tensors, equilibria, False, game)


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
    payoffs: Mapping[str, tuple[Fraction, ...]],
    probabilities: Mapping[tuple[str, str], Fraction],
) -> tuple[Fraction, ...]:
    """Expected payoffs from ``node`` when each decision node plays ``moves[path]``.

    ``payoffs`` maps terminal paths to their payoffs (one per player) and
    ``probabilities`` maps ``(chance node path, move)`` to the move's probability.
    """
    if node.payoffs is not None:
        return payoffs[node.path]
    if node.chance:
        total: list[Fraction] = []
        for move in node.moves:
            weight = probabilities[(node.path, move.name)]
            if weight:
                u = expected_payoffs(move.node, moves, payoffs, probabilities)
                if not total:
                    total = [Fraction(0)] * len(u)
                for k, x in enumerate(u):
                    total[k] += weight * x
        return tuple(total)
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
