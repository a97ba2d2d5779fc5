"""Pictures of game trees and signalling games: a layout (plain data), then a drawing.

A *layout* places every node in inches (``x`` to the right, ``y`` up, the root at the top)
and gives every move a *style*:

``"equilibrium"``
    a subgame-perfect move of a tree, or a move a perfect Bayesian equilibrium plays with
    positive probability;
``"threat"``
    a threat that is not credible: a move some Nash equilibrium of the tree's strategic form
    prescribes where the mover would not make it (``TreeSolution.non_credible_threats``);
``"move"``
    any other move.

:func:`tree_layout` lays a solved tree out in layers: leaves at the bottom in the order the
game file writes the moves, each parent centred over its children. :func:`signalling_layouts`
draws a signalling game with two types and two messages the textbook way (Gibbons 1992,
ch. 4): chance in the middle draws the type, the type above and the type below send a message
to the left or to the right, a dashed line joins the receiver's two nodes after the same
message (its information set: it sees the message, not the type), and the responses fan out
to the payoffs. Larger games are drawn in layers, chance at the top, each information set an
arc. :func:`draw` renders layouts with matplotlib (PNG, SVG or PDF); :mod:`.tikz` writes the
same layouts as TikZ. Tests check the layouts rather than pixels.

matplotlib is an optional extra (``pip install 'credibility[sweep]'``), imported only to draw.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CredibilityError, GameTooLargeError
from ..expressions import format_number
from ..kinds import adapter_named, kinds
from ..kinds.base import picture_refused
from ..models.common import Binding
from ..solvers.pbe_bound import BoundSignallingGame
from .plot import figure as new_figure
from .plot import require_matplotlib
from .terminal import printable

if TYPE_CHECKING:
    from ..models import SignallingGame
    from ..solvers.pbe import SignallingEquilibrium, SignallingSolution
    from ..solvers.subgame_perfect import TreeSolution

__all__ = [
    "FORMATS",
    "MAX_DEPTH",
    "MAX_LEAVES",
    "MAX_PANELS",
    "InformationSet",
    "Layout",
    "PlotEdge",
    "PlotNode",
    "draw",
    "game_layout",
    "layouts",
    "require_matplotlib",
    "signalling_layouts",
    "tree_layout",
]

#: The most leaves (payoff vectors) a picture holds; more would not be legible.
MAX_LEAVES = 200
#: The most moves from the root to a leaf a picture holds.
MAX_DEPTH = 40
#: The most equilibria drawn side by side (one panel each) without ``equilibrium=``.
MAX_PANELS = 6
#: Threats that are not credible named one by one in the legend.
MAX_THREATS = 6
#: The file suffixes :func:`draw` writes.
FORMATS = (".png", ".svg", ".pdf")

#: The offset of a label from its node, in inches, for each side (TikZ's anchor words).
SIDES = {
    "above": (0.0, 1.0),
    "below": (0.0, -1.0),
    "left": (-1.0, 0.0),
    "right": (1.0, 0.0),
    "above left": (-0.7, 0.7),
    "above right": (0.7, 0.7),
    "below left": (-0.7, -0.7),
    "below right": (0.7, -0.7),
}


@dataclass(frozen=True)
class PlotNode:
    """One node of a picture.

    Attributes
    ----------
    key : str
        A name unique in the layout (``n0`` is the root); edges refer to it.
    x, y : float
        Position in inches.
    kind : str
        ``"decision"``, ``"chance"`` or ``"terminal"``.
    label : str
        The mover's name, ``"chance"``, or the payoffs ``(0, 4)`` at a leaf.
    side : str
        Where the label goes: a key of :data:`SIDES`.
    path : str
        The node's path: move names from the root joined by ``/``.
    note : str
        A second label (a belief), at ``note_side``.
    reached : bool
        A leaf where equilibrium play can end (its payoffs are drawn bold).
    """

    key: str
    x: float
    y: float
    kind: str
    label: str
    side: str = "above"
    path: str = ""
    note: str = ""
    note_side: str = "below"
    reached: bool = False


@dataclass(frozen=True)
class PlotEdge:
    """One move: from ``parent`` to ``child`` (node keys), its label and style.

    ``side`` places the label beside the point at fraction ``at`` of the way from parent to
    child (empty: the drawing decides by the edge's direction).
    """

    parent: str
    child: str
    move: str
    label: str
    style: str
    side: str = ""
    at: float = 0.5


@dataclass(frozen=True)
class InformationSet:
    """Nodes the mover cannot tell apart, joined by a dashed line (``arc``: a curved one)."""

    members: tuple[str, ...]
    label: str
    arc: bool = False


@dataclass(frozen=True)
class Layout:
    """Everything one picture (one panel) shows.

    Attributes
    ----------
    heading : tuple of str
        The game's title and the parameter values (shared by the panels of one figure).
    title : str
        What this panel shows (the equilibrium).
    notes : tuple of str
        Lines under the panel: the payoffs' order, beliefs off the path.
    nodes, edges, information_sets
    legend : tuple of (str, str)
        ``(style, text)``: what each line or marker means, in words.
    dense : bool
        Many leaves: their payoffs are written upright, in a smaller font.
    """

    heading: tuple[str, ...]
    title: str
    notes: tuple[str, ...]
    nodes: tuple[PlotNode, ...]
    edges: tuple[PlotEdge, ...]
    information_sets: tuple[InformationSet, ...] = ()
    legend: tuple[tuple[str, str], ...] = ()
    dense: bool = False

    def node(self, key: str) -> PlotNode:
        """The node named ``key``."""
        return next(n for n in self.nodes if n.key == key)

    def moves(self, style: str) -> list[tuple[str, str]]:
        """``(parent path, move)`` of every edge drawn in ``style``, in the layout's order."""
        paths = {n.key: n.path for n in self.nodes}
        return [(paths[e.parent], e.move) for e in self.edges if e.style == style]


# -- the pure part: where everything goes ---------------------------------------------------


@dataclass
class _Vertex:
    """A node before it is placed (``moves``: label, move name, style, child)."""

    kind: str
    label: str
    path: str
    note: str = ""
    reached: bool = False
    moves: list[tuple[str, str, str, _Vertex]] = field(default_factory=list)


def _number(value: Any, exact: bool) -> str:
    """A number for a picture: exact as ``3/10``, a float to four significant digits."""
    if exact and isinstance(value, Fraction):
        return format_number(value, True)
    return f"{float(value):.4g}"


def _payoffs(values: Sequence[Any], exact: bool) -> str:
    return "(" + ", ".join(_number(v, exact) for v in values) + ")"


def _parameters(values: dict[str, Any], exact: bool) -> tuple[str, ...]:
    if not values:
        return ()
    return ("Parameters: " + ", ".join(f"{k} = {_number(v, exact)}" for k, v in values.items()),)


def _size(root: Any) -> tuple[int, int]:
    """Leaves and depth of a tree, a subtree shared by two moves counted each time it is drawn."""
    leaves: dict[int, int] = {}
    depth: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in leaves:
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((m.node, False) for m in node.moves if id(m.node) not in leaves)
            continue
        if not node.moves:
            leaves[id(node)], depth[id(node)] = 1, 0
        else:
            leaves[id(node)] = sum(leaves[id(m.node)] for m in node.moves)
            depth[id(node)] = 1 + max(depth[id(m.node)] for m in node.moves)
    return leaves[id(root)], depth[id(root)]


def check_size(leaves: int, depth: int, what: str = "the tree") -> None:
    """Raise GameTooLargeError beyond :data:`MAX_LEAVES` leaves or :data:`MAX_DEPTH` levels."""
    if leaves > MAX_LEAVES or depth > MAX_DEPTH:
        raise GameTooLargeError(
            f"{what} has {leaves:,} leaves and {depth} levels: a picture holds at most "
            f"{MAX_LEAVES} leaves and {MAX_DEPTH} levels and stays legible; "
            "solve it without drawing it (the tables have no such limit)"
        )


def _place(root: _Vertex, start: str = "") -> tuple[list[PlotNode], list[PlotEdge], bool, dict]:
    """Place a tree of vertices in layers: leaves side by side, parents over their children.

    Returns the nodes, the edges, whether the picture is dense, and each vertex's key (by id).
    """
    order: list[tuple[_Vertex, int, int | None]] = []
    stack: list[tuple[_Vertex, int, int | None]] = [(root, 0, None)]
    while stack:
        vertex, depth, parent = stack.pop()
        order.append((vertex, depth, parent))
        index = len(order) - 1
        stack.extend((child, depth + 1, index) for *_, child in reversed(vertex.moves))
    leaves = [v for v, _, _ in order if not v.moves]
    widest = max(len(v.label) for v in leaves)
    longest_move = max((len(m[0]) for v, _, _ in order for m in v.moves), default=1)
    step = min(2.4, max(0.9, 0.085 * widest + 0.3, 0.05 * longest_move + 0.3))
    dense = len(leaves) * step > 40
    if dense:
        step = 0.3
    level = 1.0 + (0.2 if longest_move > 12 else 0.0)
    xs: dict[int, float] = {}
    children: dict[int, list[int]] = {}
    for index, (_, _, parent) in enumerate(order):
        if parent is not None:
            children.setdefault(parent, []).append(index)
    slot = 0
    for index, (vertex, _, _) in enumerate(order):  # depth first: leaves come in order
        if not vertex.moves:
            xs[index] = slot * step
            slot += 1
    for index in reversed(range(len(order))):  # children before their parents
        if index in children:
            kids = children[index]
            xs[index] = (xs[kids[0]] + xs[kids[-1]]) / 2
    keys = {index: f"n{start}{index}" for index in range(len(order))}
    nodes, edges, ident = [], [], {}
    for index, (vertex, depth, parent) in enumerate(order):
        ident[id(vertex)] = keys[index]
        if not vertex.moves:
            side = "below"
        elif parent is None:
            side = "above"
        else:  # beside the node, away from the move that leads to it
            side = "left" if xs[parent] > xs[index] else "right"
        note_side = "above left" if side == "left" else "above right"
        nodes.append(
            PlotNode(
                keys[index],
                xs[index],
                -depth * level,
                vertex.kind,
                vertex.label,
                side,
                vertex.path,
                vertex.note,
                note_side,
                vertex.reached,
            )
        )
        for (label, move, style, _), kid in zip(vertex.moves, children.get(index, [])):
            edges.append(PlotEdge(keys[index], keys[kid], move, label, style))
    return nodes, edges, dense, ident


def _tree_vertices(solution: TreeSolution, equilibrium: int | None) -> _Vertex:
    """The tree as vertices: payoffs and probabilities at the bound values, moves styled."""
    game = solution.game
    exact = solution.exact
    binding = Binding(tuple(game.parameters), dict(solution.parameters))
    shown = solution.equilibria if equilibrium is None else (solution.equilibria[equilibrium],)
    chosen = {(path, move) for e in shown for path, move in e.actions.items()}
    threats = {(t.node, t.threat) for t in solution.non_credible_threats or ()}
    root = _Vertex("", "", "", reached=True)
    stack: list[tuple[Any, _Vertex]] = [(game.root, root)]
    while stack:
        node, vertex = stack.pop()
        vertex.kind = node.kind
        vertex.path = node.path
        if node.kind == "terminal":
            values = [binding.value(x) for x in node.payoffs]
            vertex.label = _payoffs(values, exact)
            continue
        vertex.label = "chance" if node.chance else node.player
        for move in node.moves:
            child = _Vertex("", "", "")
            if node.chance:
                p = binding.value(move.probability)
                label, style = f"{move.name} ({_number(p, exact)})", "move"
                child.reached = vertex.reached and p > 0
            else:
                label = move.name
                if (node.path, move.name) in chosen:
                    style = "equilibrium"
                elif (node.path, move.name) in threats:
                    style = "threat"
                else:
                    style = "move"
                child.reached = vertex.reached and style == "equilibrium"
            vertex.moves.append((label, move.name, style, child))
            stack.append((move.node, child))
    return root


def tree_layout(solution: TreeSolution, equilibrium: int | None = None) -> Layout:
    """The picture of a solved tree: subgame-perfect moves highlighted, threats marked.

    Parameters
    ----------
    solution : TreeSolution
    equilibrium : int, optional
        Highlight this equilibrium's moves only (an index into ``solution.equilibria``);
        by default every move some subgame-perfect equilibrium takes.

    Raises
    ------
    GameTooLargeError
        Beyond :data:`MAX_LEAVES` leaves or :data:`MAX_DEPTH` levels.

    Examples
    --------
    >>> import credibility as cr
    >>> layout = tree_layout(cr.solve(cr.load("entry_deterrence")))
    >>> layout.moves("equilibrium"), layout.moves("threat")
    ([('', 'In'), ('In', 'Accommodate')], [('In', 'Fight')])
    >>> [(n.label, n.reached) for n in layout.nodes if n.kind == "terminal"]
    [('(0, 4)', False), ('(-1, -1)', False), ('(1, 1)', True)]
    >>> layout.legend[1]
    ('threat', 'threat that is not credible: Fight at In (Incumbent)')
    """
    game = solution.game
    check_size(*_size(game.root))
    root = _tree_vertices(solution, equilibrium)
    nodes, edges, dense, _ = _place(root)
    count = len(solution.equilibria)
    if equilibrium is not None:
        title = f"Subgame-perfect equilibrium {equilibrium + 1} of {count}"
    elif count == 1:
        title = "The subgame-perfect equilibrium"
    else:
        title = f"The {count} subgame-perfect equilibria: the moves of each highlighted"
    move_text = "subgame-perfect move: what the mover would choose once there"
    if count > 1 and equilibrium is None:
        move_text += " (at a tie, every move one of them takes)"
    legend: list[tuple[str, str]] = [("equilibrium", move_text)]
    threats = solution.non_credible_threats or ()
    for t in threats[:MAX_THREATS]:
        where = "the root" if t.node == "" else t.node
        legend.append(
            ("threat", f"threat that is not credible: {t.threat} at {where} ({t.player})")
        )
    if len(threats) > MAX_THREATS:
        legend.append(
            ("threat", f"and {len(threats) - MAX_THREATS} more (credibility solve lists them)")
        )
    legend += [("move", "other move"), ("decision", "decision node, with the player who moves")]
    if any(node.kind == "chance" for node in game.nodes()):
        legend.append(("chance", "chance: each move's probability in brackets"))
    notes = []
    if solution.non_credible_threats is None:
        notes.append(f"Threats not analysed: {solution.note.split(': ', 1)[-1]}")
    elif not threats:
        notes.append("No Nash equilibrium rests on a threat that is not credible.")
    if solution.non_credible_threats is not None and solution.note:
        # three or more players: the strategic form's pure equilibria only
        notes.append("Threats sought among the pure Nash equilibria of the strategic form only.")
    return Layout(
        heading=(
            game.info.label,
            *_parameters(solution.parameters, solution.exact),
            f"Payoffs ({', '.join(game.players)}), in bold where subgame-perfect play can end.",
        ),
        title=title,
        notes=tuple(notes),
        nodes=tuple(nodes),
        edges=tuple(edges),
        legend=tuple(legend),
        dense=dense,
    )


# -- signalling games -----------------------------------------------------------------------


def _belief(
    form: BoundSignallingGame, e: SignallingEquilibrium, m: int, t: int, exact: bool
) -> str:
    """The receiver's probability of the node of type ``t`` after message ``m``."""
    if m not in e.off_path:
        return f"belief {_number(e.beliefs[m][t], exact)}"
    if len(form.types) == 2:
        low, high = e.belief_range(m)
        if t == 1:
            low, high = 1 - high, 1 - low
        if low == high:
            return f"belief {_number(low, exact)} (off path)"
        return f"belief {_number(low, exact)} to {_number(high, exact)} (off path)"
    return f"belief {_number(e.beliefs[m][t], exact)} (off path)"


def _off_path(form: BoundSignallingGame, e: SignallingEquilibrium, exact: bool) -> list[str]:
    """A sentence per unsent message: the beliefs and responses that keep the equilibrium."""
    lines = []
    for m in e.off_path:
        ranges = e.response_ranges(m)
        if len(ranges) == 2 and all(r == (0, 1) for r in ranges):
            responses = "any response"
        else:
            responses = ", ".join(
                f"{form.responses[r]} with probability "
                + (
                    _number(low, exact)
                    if low == high
                    else f"{_number(low, exact)} to {_number(high, exact)}"
                )
                for r, (low, high) in enumerate(ranges)
                if high > 0
            )
        drawn = ", ".join(
            f"{form.responses[r]}" + ("" if p == 1 else f" ({_number(p, exact)})")
            for r, p in enumerate(e.receiver[m])
            if p > 0
        )
        lines.append(
            f"No type sends {form.messages[m]}: the equilibrium holds with {responses} "
            f"after it (drawn: {drawn})."
        )
    return lines


def _outcome(e: SignallingEquilibrium) -> str:
    tests = [
        ("passes" if ok else "fails") + f" {name}"
        for ok, name in ((e.intuitive, "the intuitive criterion"), (e.d1, "D1"))
    ]
    return f"{e.equilibrium_class}; {' and '.join(tests)}"


def _signalling_vertices(
    game: SignallingGame, form: BoundSignallingGame, e: SignallingEquilibrium | None, exact: bool
) -> _Vertex:
    """Chance, then the types, messages and responses, as vertices (moves styled by ``e``)."""
    root = _Vertex("chance", "chance", "", reached=True)
    for t, name in enumerate(form.types):
        node = _Vertex("decision", game.sender, name, reached=form.prior[t] > 0)
        root.moves.append((f"{name} ({_number(form.prior[t], exact)})", name, "move", node))
        for m, message in enumerate(form.messages):
            p = e.sender[t][m] if e is not None else Fraction(0)
            label = message if p in (0, 1) else f"{message} ({_number(p, exact)})"
            note = _belief(form, e, m, t, exact) if e is not None else ""
            after = _Vertex(
                "decision", game.receiver, f"{name}/{message}", note, node.reached and p > 0
            )
            node.moves.append((label, message, "equilibrium" if p > 0 else "move", after))
            for r, response in enumerate(form.responses):
                q = e.receiver[m][r] if e is not None else Fraction(0)
                pair = (form.sender[t][m][r], form.receiver[t][m][r])
                leaf = _Vertex(
                    "terminal",
                    _payoffs(pair, exact),
                    f"{name}/{message}/{response}",
                    reached=after.reached and q > 0,
                )
                label = response if q in (0, 1) else f"{response} ({_number(q, exact)})"
                after.moves.append((label, response, "equilibrium" if q > 0 else "move", leaf))
    return root


def _butterfly(root: _Vertex) -> tuple[list[PlotNode], list[PlotEdge], list[InformationSet]]:
    """Two types and two messages: chance in the middle, information sets as vertical lines."""
    responses = len(root.moves[0][3].moves[0][3].moves)
    step = 1.1 if responses == 2 else 0.75
    row = max(1.6, (responses - 1) * step / 2 + 0.95)
    column, outer = 2.6, 4.4
    nodes = [PlotNode("n0", 0.0, 0.0, "chance", "chance", "left", "")]
    edges: list[PlotEdge] = []
    members: list[list[str]] = [[], []]
    for t, (label, move, style, sender) in enumerate(root.moves):
        up = 1.0 if t == 0 else -1.0
        key = f"n{t + 1}"
        nodes.append(
            PlotNode(
                key,
                0.0,
                up * row,
                "decision",
                sender.label,
                "above" if t == 0 else "below",
                sender.path,
            )
        )
        edges.append(PlotEdge("n0", key, move, label, style, "right"))
        for m, (label, move, style, receiver) in enumerate(sender.moves):
            side = -1.0 if m == 0 else 1.0
            rkey = f"n{t + 1}{m}"
            toward = ("below " if t == 0 else "above ") + ("right" if m == 0 else "left")
            nodes.append(
                PlotNode(
                    rkey,
                    side * column,
                    up * row,
                    "decision",
                    receiver.label,
                    "above" if t == 0 else "below",
                    receiver.path,
                    receiver.note,
                    toward,
                )
            )
            members[m].append(rkey)
            edges.append(PlotEdge(key, rkey, move, label, style, "above" if t == 0 else "below"))
            for r, (label, move, style, leaf) in enumerate(receiver.moves):
                lkey = f"n{t + 1}{m}{r}"
                y = up * row + ((responses - 1) / 2 - r) * step
                nodes.append(
                    PlotNode(
                        lkey,
                        side * outer,
                        y,
                        "terminal",
                        leaf.label,
                        "left" if m == 0 else "right",
                        leaf.path,
                        reached=leaf.reached,
                    )
                )
                edge_side = ("above" if y >= up * row else "below") + (
                    " right" if m == 0 else " left"
                )
                if y == up * row:
                    edge_side = "above"
                edges.append(PlotEdge(rkey, lkey, move, label, style, edge_side, 0.6))
    sets = [
        InformationSet(tuple(keys), root.moves[0][3].moves[m][1]) for m, keys in enumerate(members)
    ]
    return nodes, edges, sets


def _signalling_layout(
    game: SignallingGame,
    form: BoundSignallingGame,
    e: SignallingEquilibrium | None,
    exact: bool,
    heading: tuple[str, ...],
    title: str,
    notes: list[str],
) -> Layout:
    root = _signalling_vertices(game, form, e, exact)
    if len(form.types) == 2 and len(form.messages) == 2:
        nodes, edges, sets = _butterfly(root)
        dense = False
    else:
        nodes, edges, dense, ident = _place(root)
        sets = [
            InformationSet(
                tuple(ident[id(sender.moves[m][3])] for *_, sender in root.moves),
                message,
                arc=True,
            )
            for m, message in enumerate(form.messages)
        ]
    legend: list[tuple[str, str]] = []
    if e is not None:
        legend.append(("equilibrium", "equilibrium move (its probability in brackets if mixed)"))
    legend += [
        ("move", "other move" if e is not None else "move"),
        ("chance", "chance draws the sender's type (prior in brackets)"),
        ("infoset", f"{game.receiver}'s information set: it sees the message, not the type"),
    ]
    return Layout(
        heading=heading,
        title=title,
        notes=tuple(notes),
        nodes=tuple(nodes),
        edges=tuple(edges),
        information_sets=tuple(sets),
        legend=tuple(legend),
        dense=dense,
    )


def _check_signalling(form: BoundSignallingGame) -> None:
    types, messages, responses = len(form.types), len(form.messages), len(form.responses)
    check_size(types * messages * responses, 3, "the signalling game")


def signalling_layouts(
    solution: SignallingSolution, equilibrium: int | None = None
) -> list[Layout]:
    """One picture per perfect Bayesian equilibrium (or of the one given), on the game's tree.

    Parameters
    ----------
    solution : SignallingSolution
    equilibrium : int, optional
        An index into ``solution.equilibria``: that equilibrium only. By default every
        equilibrium, at most :data:`MAX_PANELS`.

    Raises
    ------
    GameTooLargeError
        More than :data:`MAX_PANELS` equilibria and none chosen, or more than
        :data:`MAX_LEAVES` leaves.

    Examples
    --------
    >>> import credibility as cr
    >>> first, second = signalling_layouts(cr.solve(cr.load("sinking_costs")))
    >>> first.title
    'Equilibrium 1 of 2: separating; passes the intuitive criterion and passes D1'
    >>> first.moves("equilibrium")[:2]
    [('Resolved', 'Mobilise'), ('Resolved/Mobilise', 'Back down')]
    >>> [n.note for n in second.nodes if n.note]  # doctest: +NORMALIZE_WHITESPACE
    ['belief 0 to 1/3 (off path)', 'belief 3/10', 'belief 2/3 to 1 (off path)', 'belief 7/10']
    >>> [s.members for s in first.information_sets]
    [('n10', 'n20'), ('n11', 'n21')]
    """
    game, form, exact = solution.game, solution.form, solution.exact
    _check_signalling(form)
    count = len(solution.equilibria)
    if equilibrium is None and count > MAX_PANELS:
        raise GameTooLargeError(
            f"the game has {count} perfect Bayesian equilibria: pictures show at most "
            f"{MAX_PANELS} at once; pick one with the equilibrium= argument"
        )
    heading = (
        f"{game.info.label}: perfect Bayesian equilibria",
        *_parameters(solution.parameters, exact),
        f"Payoffs ({game.sender}, {game.receiver}), in bold where equilibrium play can end. "
        f"Belief: {game.receiver}'s probability of the node, given the message.",
    )
    picked = range(count) if equilibrium is None else [equilibrium]
    return [
        _signalling_layout(
            game,
            form,
            solution.equilibria[i],
            exact,
            heading,
            f"Equilibrium {i + 1} of {count}: {_outcome(solution.equilibria[i])}",
            _off_path(form, solution.equilibria[i], exact),
        )
        for i in picked
    ]


def game_layout(game: SignallingGame, params: Any = None) -> Layout:
    """The tree of a signalling game at bound parameter values, no equilibrium drawn."""
    binding = game.bind(params)
    form = BoundSignallingGame.from_game(game, binding)
    _check_signalling(form)
    heading = (
        game.info.label,
        *_parameters(binding.values, True),
        f"Payoffs ({game.sender}, {game.receiver}).",
    )
    return _signalling_layout(game, form, None, True, heading, "The game", [])


def layouts(result: Any, equilibrium: int | None = None) -> list[Layout]:
    """The pictures of a tree's or a signalling game's solution (see the two functions above).

    The solution's kind draws them (``KindAdapter.layouts``).

    Raises
    ------
    CredibilityError
        For a game in strategic form (bimatrix or normal), which has no tree to draw.
    """
    kind = getattr(result, "kind", "")
    if kind not in kinds():
        raise picture_refused(kind)
    return adapter_named(kind).layouts(result, equilibrium)


# -- drawing with matplotlib -----------------------------------------------------------------

#: Colour, width and dash of each style; the TikZ output uses the same.
LINES: dict[str, tuple[str, float, Any]] = {
    "equilibrium": ("#1f5fbf", 2.8, "-"),
    "threat": ("#d62728", 1.8, "--"),
    "move": ("#8c8c8c", 1.0, "-"),
    "infoset": ("#000000", 0.9, (0, (4, 3))),
}
_FONT = 9.0
_CHAR = 0.0085  # inches per character per point of font size (DejaVu Sans, on average)
_GAP = 0.09  # inches between a node and its label


def _text(text: str) -> str:
    """Text as matplotlib should print it: no control characters, ``$`` not mathtext."""
    return printable(text).replace("$", r"\$")


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, never breaking ``name = value``."""
    lines = textwrap.wrap(text.replace(" = ", "\0"), width, subsequent_indent="  ")
    return [line.replace("\0", " = ") for line in lines]


def _extent(layout: Layout) -> tuple[float, float, float, float]:
    """The box (inches) around the nodes and their labels."""
    font = 7.0 if layout.dense else _FONT
    xs, ys = [], []
    for node in layout.nodes:
        for text, side in ((node.label, node.side), (node.note, node.note_side)):
            width = len(text) * _CHAR * font
            height = 1.4 * font / 72
            if layout.dense and node.kind == "terminal":
                width, height = height, width
            dx, dy = SIDES[side]
            cx = node.x + dx * (_GAP + width / 2)
            cy = node.y + dy * (_GAP + height / 2)
            xs += [cx - width / 2, cx + width / 2]
            ys += [cy - height / 2, cy + height / 2]
    return min(xs) - 0.15, max(xs) + 0.15, min(ys) - 0.15, max(ys) + 0.15


def edge_side(parent: PlotNode, child: PlotNode, edge: PlotEdge) -> str:
    """Where an edge's label goes: its own ``side``, else outside the fan of its parent."""
    if edge.side:
        return edge.side
    if abs(child.x - parent.x) < 1e-9:
        return "right"
    return "above left" if child.x < parent.x else "above right"


def _edge_label(layout: Layout, edge: PlotEdge) -> tuple[float, float, str]:
    parent, child = layout.node(edge.parent), layout.node(edge.child)
    x = parent.x + edge.at * (child.x - parent.x)
    y = parent.y + edge.at * (child.y - parent.y)
    return x, y, edge_side(parent, child, edge)


def _align(side: str) -> dict[str, str]:
    dx, dy = SIDES[side]
    return {
        "ha": "center" if dx == 0 else ("left" if dx > 0 else "right"),
        "va": "center" if dy == 0 else ("bottom" if dy > 0 else "top"),
    }


def _panel(axes: Any, layout: Layout) -> None:
    from matplotlib.patches import FancyArrowPatch  # lazy: start-up time

    font = 7.0 if layout.dense else _FONT
    points = 72 * _GAP
    for style in ("move", "threat", "equilibrium"):
        color, width, dash = LINES[style]
        for edge in layout.edges:
            if edge.style != style:
                continue
            a, b = layout.node(edge.parent), layout.node(edge.child)
            axes.plot(
                [a.x, b.x],
                [a.y, b.y],
                color=color,
                linewidth=width,
                linestyle=dash,
                solid_capstyle="round",
                zorder=2 if style == "equilibrium" else 1,
            )
            x, y, side = _edge_label(layout, edge)
            dx, dy = SIDES[side]
            axes.annotate(
                _text(edge.label),
                (x, y),
                xytext=(dx * 3, dy * 3),
                textcoords="offset points",
                fontsize=font - 0.5,
                color="0.15",
                **_align(side),
            )
    color, width, dash = LINES["infoset"]
    for info in layout.information_sets:
        for first, second in zip(info.members, info.members[1:]):
            p, q = layout.node(first), layout.node(second)
            axes.add_patch(
                FancyArrowPatch(
                    (p.x, p.y),
                    (q.x, q.y),
                    arrowstyle="-",
                    color=color,
                    linewidth=width,
                    linestyle=dash,
                    shrinkA=4,
                    shrinkB=4,
                    connectionstyle=f"arc3,rad={0.25 if info.arc else 0}",
                )
            )
    for node in layout.nodes:
        if node.kind == "decision":
            axes.plot(node.x, node.y, "o", color="black", markersize=5, zorder=3)
        elif node.kind == "chance":
            axes.plot(
                node.x,
                node.y,
                "o",
                markerfacecolor="white",
                markeredgecolor="black",
                markersize=8,
                zorder=3,
            )
        terminal = node.kind == "terminal"
        for text, side in ((node.label, node.side), (node.note, node.note_side)):
            if not text:
                continue
            dx, dy = SIDES[side]
            upright = layout.dense and terminal
            axes.annotate(
                _text(text),
                (node.x, node.y),
                xytext=(dx * points, dy * points),
                textcoords="offset points",
                fontsize=font,
                fontweight="bold" if terminal and node.reached else "normal",
                fontstyle="italic" if text is node.note else "normal",
                rotation=90 if upright else 0,
                **_align(side),
            )


def _handles(legend: Sequence[tuple[str, str]]) -> list[Any]:
    from matplotlib.lines import Line2D  # lazy: start-up time

    handles = []
    for style, text in legend:
        if style in LINES:
            color, width, dash = LINES[style]
            handles.append(Line2D([], [], color=color, linewidth=width, linestyle=dash, label=text))
        elif style == "chance":
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markerfacecolor="white",
                    markeredgecolor="black",
                    markersize=8,
                    label=text,
                )
            )
        else:
            handles.append(
                Line2D([], [], marker="o", linestyle="", color="black", markersize=5, label=text)
            )
    return handles


def draw(pictures: Sequence[Layout], path: Path | str) -> None:
    """Draw layouts, one panel each, above a shared legend, to a PNG, SVG or PDF file.

    Raises
    ------
    CredibilityError
        If matplotlib is missing, the suffix is not one of :data:`FORMATS` or the file
        cannot be written.
    """
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise CredibilityError(
            f"cannot draw to a '{path.suffix}' file: use .png, .svg or .pdf", file=str(path)
        )
    require_matplotlib()
    boxes = [_extent(layout) for layout in pictures]
    legend: dict[tuple[str, str], None] = {}
    for layout in pictures:
        legend.update(dict.fromkeys(layout.legend))
    longest = max((len(text) for _, text in legend), default=0)
    widest = max(b[1] - b[0] for b in boxes)
    width = max(widest + 0.5, 7.0)
    columns = 2 if 2 * (longest * _CHAR * _FONT + 0.7) < width and len(legend) > 3 else 1
    if columns == 1:
        width = max(width, longest * _CHAR * _FONT + 1.0)
    line = 1.45 * _FONT / 72
    wrap = max(40, int(width / (_CHAR * _FONT)) - 4)
    heading = [piece for text in pictures[0].heading for piece in _wrap(text, wrap)]
    top = 0.25 + line * 1.25 * len(heading)
    panels = []
    for layout, (x0, x1, y0, y1) in zip(pictures, boxes):
        notes = [piece for text in layout.notes for piece in _wrap(text, wrap)]
        panels.append((layout, notes, x0, x1, y0, y1))
    legend_height = 0.19 * -(-len(legend) // columns) + 0.25
    height = top + legend_height
    height += sum(0.35 + (y1 - y0) + line * len(notes) + 0.2 for _, notes, _, _, y0, y1 in panels)
    figure = new_figure(width, height, dpi=100, constrained=False)
    figure.text(
        0.5,
        1 - 0.15 / height,
        _text("\n".join(heading)),
        ha="center",
        va="top",
        fontsize=_FONT + 1,
        linespacing=1.25,
    )
    cursor = height - top
    for layout, notes, x0, x1, y0, y1 in panels:
        figure.text(
            0.5,
            (cursor - 0.05) / height,
            _text(layout.title),
            ha="center",
            va="top",
            fontsize=_FONT + 1,
            fontweight="bold",
        )
        cursor -= 0.35 + (y1 - y0)
        left = (width - (x1 - x0)) / 2
        axes = figure.add_axes(
            ((left / width), cursor / height, (x1 - x0) / width, (y1 - y0) / height)
        )
        axes.set_xlim(x0, x1)
        axes.set_ylim(y0, y1)
        axes.set_axis_off()
        _panel(axes, layout)
        if notes:
            figure.text(
                0.5,
                (cursor - 0.02) / height,
                _text("\n".join(notes)),
                ha="center",
                va="top",
                fontsize=_FONT - 0.5,
                linespacing=1.3,
            )
        cursor -= line * len(notes) + 0.2
    figure.legend(
        handles=_handles(list(legend)),
        loc="lower center",
        ncols=columns,
        fontsize=_FONT,
        frameon=False,
        bbox_to_anchor=(0.5, 0.05 / height),
    )
    try:
        figure.savefig(path, format=path.suffix.lower()[1:])
    except OSError as error:
        raise CredibilityError(
            f"cannot write the picture: {error.strerror}", file=str(path)
        ) from None
