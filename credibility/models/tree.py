"""Game trees of perfect information with chance moves.

A node is terminal (one payoff per player), a decision node of one of the
players (two or more), or a chance node whose moves carry probabilities. Every node is addressed by
its *path*: the move names from the root joined by ``/`` (the root is ``""``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ..deferred import defer_fields
from ..errors import GameFileError
from ..parameters import Parameter, ParamValues
from .common import Binding, Distribution, GameInfo, toml_key

if TYPE_CHECKING:
    import sympy

__all__ = ["GameTree", "Move", "Node"]


@dataclass(frozen=True)
class Move:
    """A move out of a node: its name, the node it leads to, and its probability at chance nodes."""

    name: str
    node: Node
    probability: sympy.Expr | None = None


@dataclass(frozen=True)
class Node:
    """One node of a game tree.

    Parameters
    ----------
    path : str
        Move names from the root joined by ``/``.
    player : str or None
        The mover at a decision node.
    chance : bool
        True at a chance node.
    payoffs : tuple of sympy.Expr, or None
        The players' payoffs at a terminal node, one per player in the order of
        the game's ``players``.
    moves : tuple of Move
        The moves out of a decision or chance node, in the order written.
    """

    path: str
    player: str | None = None
    chance: bool = False
    payoffs: tuple[sympy.Expr, ...] | None = None
    moves: tuple[Move, ...] = ()

    @property
    def kind(self) -> str:
        """``"terminal"``, ``"decision"`` or ``"chance"``."""
        if self.payoffs is not None:
            return "terminal"
        return "chance" if self.chance else "decision"

    # repr, == and hash walk the subtree iteratively: the dataclass versions
    # recurse once per level, and trees may be thousands of moves deep.
    def __repr__(self) -> str:
        parts: list[str] = []
        stack: list[str | Node] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
                continue
            todo: list[str | Node] = [
                f"Node(path={item.path!r}, player={item.player!r}, chance={item.chance!r}, "
                f"payoffs={item.payoffs!r}, moves=("
            ]
            for k, move in enumerate(item.moves):
                todo += [", " if k else "", f"Move(name={move.name!r}, node=", move.node]
                todo.append(f", probability={move.probability!r})")
            todo.append(",))" if len(item.moves) == 1 else "))")
            stack.extend(reversed(todo))
        return "".join(parts)

    def _signature(self) -> tuple[object, ...]:
        return tuple(
            (n.path, n.player, n.chance, n.payoffs, tuple((m.name, m.probability) for m in n.moves))
            for n in self.walk()
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return self is other or self._signature() == other._signature()

    def __hash__(self) -> int:
        return hash(self._signature())

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle the subtree as a flat list of nodes, so that depth costs no recursion.

        The default would recurse a few frames per level (node, move, node...)
        and fail past Python's recursion limit; Dask and process pools pickle
        the game to send it to their workers. A subtree shared by two moves
        stays shared.
        """
        return (_rebuild, (_flatten(self),))

    def walk(self) -> Iterator[Node]:
        """Every node of the subtree, this one first (depth first, moves in order)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(move.node for move in reversed(node.moves))


# Held back from sympy while it is not loaded: start-up time.
defer_fields(Move, "probability")
defer_fields(Node, "payoffs")


@dataclass(frozen=True)
class GameTree:
    """An extensive-form game of perfect information with chance, of two or more players.

    Parameters
    ----------
    players : tuple of str
        Distinct names, two or more; each leaf has one payoff per player, in this order.
    root : Node
    parameters : tuple of Parameter
    info : GameInfo

    Examples
    --------
    >>> import sympy
    >>> leaf = lambda a, b: Node("", payoffs=(sympy.Integer(a), sympy.Integer(b)))
    >>> root = Node("", player="Entrant", moves=(Move("Out", leaf(0, 2)), Move("In", leaf(1, 1))))
    >>> tree = GameTree(("Entrant", "Incumbent"), root)
    >>> [node.kind for node in tree.nodes()]
    ['decision', 'terminal', 'terminal']
    """

    kind: ClassVar[str] = "tree"

    players: tuple[str, ...]
    root: Node
    parameters: tuple[Parameter, ...] = ()
    info: GameInfo = field(default_factory=GameInfo)

    def __post_init__(self) -> None:
        if len(self.players) < 2 or len(set(self.players)) != len(self.players):
            raise GameFileError(
                "expected two distinct player names"
                if len(self.players) <= 2
                else "expected distinct player names",
                field="players",
            )
        _check_acyclic(self.root)
        count = len(self.players)
        for node in self.nodes():
            if node.payoffs is not None and len(node.payoffs) != count:
                raise GameFileError(
                    f"expected {count} payoffs, one per player {list(self.players)}, "
                    f"got {len(node.payoffs)}",
                    field=_field(node.path, "payoffs"),
                )
            if node.kind == "decision" and node.player not in self.players:
                raise GameFileError(
                    f"player '{node.player}' is not one of {list(self.players)}",
                    field=_field(node.path, "player"),
                )
            if node.kind != "terminal" and not node.moves:
                raise GameFileError(
                    "a decision or chance node needs moves", field=_field(node.path, "moves")
                )

    def nodes(self) -> Iterator[Node]:
        """Every node, depth first from the root."""
        return self.root.walk()

    def decision_nodes(self) -> list[Node]:
        """The decision nodes, depth first."""
        return [node for node in self.nodes() if node.kind == "decision"]

    def distributions(self) -> tuple[Distribution, ...]:
        """The probabilities of each chance node, which must form a distribution."""
        return tuple(
            Distribution(
                _field(node.path, "moves"),
                tuple(
                    (_field(node.path, f"moves.{m.name}.probability"), m.probability)
                    for m in node.moves
                    if m.probability is not None
                ),
            )
            for node in self.nodes()
            if node.kind == "chance"
        )

    def bind(self, params: ParamValues | None = None) -> Binding:
        """Choose parameter values and check the chance probabilities under them."""
        binding = Binding.of(self.parameters, params)
        for distribution in self.distributions():
            distribution.check(binding)
        return binding


#: One node: path, player, chance, payoffs, moves as (name, node index, probability).
_Record = tuple[str, "str | None", bool, object, tuple[tuple[str, int, object], ...]]


def _flatten(root: Node) -> list[_Record]:
    """The nodes of a subtree, each after the nodes below it, moves naming them by index.

    Each record is ``(path, player, chance, payoffs, moves)`` with moves
    ``(name, index of the node it leads to, probability)``; the root is last.
    """
    index: dict[int, int] = {}
    records: list[_Record] = []
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in index:
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((move.node, False) for move in reversed(node.moves))
            continue
        moves = tuple((m.name, index[id(m.node)], m.probability) for m in node.moves)
        index[id(node)] = len(records)
        records.append((node.path, node.player, node.chance, node.payoffs, moves))
    return records


def _rebuild(records: list[_Record]) -> Node:
    """The root of a subtree flattened by :func:`_flatten`.

    Examples
    --------
    >>> import pickle
    >>> import sympy
    >>> leaf = Node("a", payoffs=(sympy.Integer(1), sympy.Integer(0)))
    >>> root = Node("", player="A", moves=(Move("a", leaf), Move("b", leaf)))
    >>> again = pickle.loads(pickle.dumps(root))
    >>> again == root, again.moves[0].node is again.moves[1].node
    (True, True)
    """
    nodes: list[Node] = []
    for path, player, chance, payoffs, moves in records:
        built = tuple(Move(name, nodes[k], probability) for name, k, probability in moves)
        nodes.append(Node(path, player, chance, payoffs, built))  # type: ignore[arg-type]
    return nodes[-1]


def _check_acyclic(root: Node) -> None:
    """Raise GameFileError if a move leads back to a node above it (a tree built in Python).

    Depth first, iteratively; a subtree shared by two moves is fine, a node on its own path
    is not (walking the tree would never end).
    """
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            on_path.discard(id(node))
            continue
        if id(node) in on_path:
            raise GameFileError(
                "the tree has a cycle: a move leads back to the node at this path",
                field=_field(node.path, "moves"),
            )
        on_path.add(id(node))
        stack.append((node, True))
        stack.extend((move.node, False) for move in reversed(node.moves))


def _field(path: str, key: str) -> str:
    """The TOML field of ``key`` at the node with this path."""
    prefix = "root"
    for name in path.split("/") if path else []:
        prefix += f".moves.{toml_key(name)}"
    return f"{prefix}.{key}"
