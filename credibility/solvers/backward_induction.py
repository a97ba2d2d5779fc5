"""Backward induction over a game tree, for exact numbers and for sympy expressions alike.

The walk is the textbook one: from the leaves up, a decision node keeps the
moves that give its mover the most, a chance node averages its moves. Where a
mover is indifferent every best move is kept, so the result lists *every* pure
subgame-perfect plan of every subgame.

The arithmetic is whatever the payoffs are (``Fraction`` or ``sympy.Expr``);
comparisons go through a ``sign`` function. For numbers it is the plain sign;
the symbolic analysis (:mod:`credibility.symbolic.regions`) passes one that
decides signs under assumptions on the parameters, or stops the walk to split
the parameter space.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Any

from ..errors import GameTooLargeError
from ..models.tree import GameTree, Move, Node
from .exact import exact_sign

__all__ = [
    "MAX_EQUILIBRIA",
    "Plan",
    "subgame_plans",
]

#: The most subgame-perfect plans one subgame may have before we refuse to list them.
MAX_EQUILIBRIA = 10_000

Value = Any  # a Fraction or a sympy expression
Sign = Callable[[Value], int]


@dataclass(frozen=True, eq=False)
class Plan:
    """A subgame-perfect plan of the subgame at ``node``.

    Attributes
    ----------
    node : Node
        The subgame's root.
    choice : int or None
        The index of the move chosen at a decision node (None elsewhere).
    below : tuple of Plan
        One plan for the subgame after each move of the node, in move order.
    payoffs : tuple of values
        Expected payoffs of the plan, one per player, first player first.
    """

    node: Node
    choice: int | None
    below: tuple[Plan, ...]
    payoffs: tuple[Value, ...]

    def actions(self) -> dict[str, str]:
        """The move the plan prescribes at every decision node, keyed by node path (depth first)."""
        chosen: dict[str, str] = {}
        for plan in self.walk():
            if plan.choice is not None:
                chosen[plan.node.path] = plan.node.moves[plan.choice].name
        return chosen

    def walk(self) -> Iterator[Plan]:
        """This plan and every plan below it, depth first in move order."""
        stack = [self]
        while stack:
            plan = stack.pop()
            yield plan
            stack.extend(reversed(plan.below))

    def path(self, is_one: Callable[[Node, Move], bool]) -> tuple[str, ...]:
        """The moves played from the plan's node.

        The path follows decision moves and chance moves that happen for sure
        (``is_one(node, move)``), and stops at a terminal node or at
        the first chance node that is a real lottery.
        """
        moves: list[str] = []
        plan = self
        while plan.below:
            node = plan.node
            if plan.choice is not None:
                index = plan.choice
            else:
                certain = [i for i, move in enumerate(node.moves) if is_one(node, move)]
                if len(certain) != 1:
                    break
                index = certain[0]
            moves.append(node.moves[index].name)
            plan = plan.below[index]
        return tuple(moves)


def post_order(tree: GameTree) -> list[Node]:
    """Every node after all of its descendants (reversed depth-first order)."""
    return list(tree.nodes())[::-1]


def subgame_plans(
    tree: GameTree,
    payoffs: Callable[[Node], tuple[Value, ...]],
    probability: Callable[[Node, Move], Value],
    sign: Sign = exact_sign,
    *,
    limit: int = MAX_EQUILIBRIA,
) -> dict[str, list[Plan]]:
    """Every pure subgame-perfect plan of every subgame, by backward induction.

    Parameters
    ----------
    tree : GameTree
    payoffs : callable
        The payoffs of a terminal node, one per player (numbers or expressions).
    probability : callable
        ``probability(node, move)``: the probability of a move at a chance node.
    sign : callable
        The sign (-1, 0, 1) of a difference of payoffs.
    limit : int
        Refuse subgames with more plans than this.

    Returns
    -------
    dict of str to list of Plan
        Keyed by node path; the root's entry lists the subgame-perfect
        equilibria of the whole game.

    Raises
    ------
    GameTooLargeError
        If ties multiply the plans of a subgame beyond ``limit``.

    Examples
    --------
    Selten's entry game: the incumbent would rather accommodate than fight.

    >>> from credibility import GameTree, Move, Node
    >>> leaf = lambda path, a, b: Node(path, payoffs=(Fraction(a), Fraction(b)))
    >>> entry = Node("In", player="Incumbent",
    ...              moves=(Move("Fight", leaf("In/Fight", -1, -1)),
    ...                     Move("Accommodate", leaf("In/Accommodate", 1, 1))))
    >>> tree = GameTree(("Entrant", "Incumbent"),
    ...                 Node("", player="Entrant",
    ...                      moves=(Move("Out", leaf("Out", 0, 2)), Move("In", entry))))
    >>> plans = subgame_plans(tree, lambda node: node.payoffs, None)
    >>> [plan.actions() for plan in plans[""]]
    [{'': 'In', 'In': 'Accommodate'}]
    """
    players = tree.players
    plans: dict[str, list[Plan]] = {}
    for node in post_order(tree):
        if node.payoffs is not None:
            plans[node.path] = [Plan(node, None, (), payoffs(node))]
            continue
        options = [plans[move.node.path] for move in node.moves]
        if math.prod(len(o) for o in options) > limit:
            raise GameTooLargeError(
                f"the subgame at '{node.path}' has more than {limit:,} subgame-perfect plans "
                "(too many ties to list)"
            )
        found: list[Plan] = []
        if node.chance:
            weights = [probability(node, move) for move in node.moves]
            for combo in product(*options):
                expected = tuple(
                    sum((w * plan.payoffs[i] for w, plan in zip(weights, combo)), Fraction(0))
                    for i in range(len(players))
                )
                found.append(Plan(node, None, combo, expected))  # type: ignore[arg-type]
        else:
            mover = players.index(node.player)  # type: ignore[arg-type]
            for combo in product(*options):
                values = [plan.payoffs[mover] for plan in combo]
                for index in best_moves(values, sign):
                    found.append(Plan(node, index, combo, combo[index].payoffs))
        plans[node.path] = found
    return plans


def best_moves(values: list[Value], sign: Sign) -> list[int]:
    """The indices of the largest values (every one of them where there are ties).

    Examples
    --------
    >>> best_moves([Fraction(1), Fraction(3), Fraction(3)], exact_sign)
    [1, 2]
    """
    best = 0
    for index in range(1, len(values)):
        if sign(values[index] - values[best]) > 0:
            best = index
    return [
        index
        for index in range(len(values))
        if index == best or sign(values[index] - values[best]) == 0
    ]
