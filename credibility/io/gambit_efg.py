"""Gambit's extensive-form ``.efg`` files (format version 2), read and written.

A file is a header and a list of nodes (whitespace is not significant)::

    EFG 2 R "title" { "Player 1" "Player 2" }  ["comment"]
    NODE NODE ...

The data type after the version is ``R`` or ``D``; both are read the same
way. The nodes come in prefix order: a node, then the subtree of each of its
moves in turn. There are three sorts of node entry:

- ``c "name" INFOSET ["infoset name" { "move" PROBABILITY ... }] OUTCOME [...]``:
  a chance node;
- ``p "name" PLAYER INFOSET ["infoset name" { "move" ... }] OUTCOME [...]``:
  a decision node of player number ``PLAYER`` (counting from 1);
- ``t "name" OUTCOME [...]``: a terminal node.

Information sets are numbered per player (chance counts as a player of its
own); the moves of an information set are written where it first appears and
may be left out where it appears again. ``OUTCOME`` is a number; outcome 0
is the null outcome (payoffs 0), and any other is followed, where it first
appears, by its name and payoffs, ``"name" { u1 u2 }`` (commas between the
payoffs are allowed). An outcome at a node that is not terminal adds its
payoffs to those of every terminal node below it.

Reading. This library's trees are games of perfect information for two or
more players, with chance moves: a file with fewer than two players, or in
which a player's information set holds more than one node, is refused with a
message naming it. (Information sets of chance may hold several nodes: chance
has no information to lack, so they only share their probabilities.) Numbers
are read exactly: integers, decimals (``0.1`` is 1/10) and fractions
(``1/3``). Names are kept as written, except that the nodes of this library
are named by the move names on their path, joined by ``/``: so a ``/`` in a
move name becomes ``∕`` (U+2215, DIVISION SLASH), an empty move name becomes
``Move 1``, ``Move 2``, ... by position, and a move name an earlier move of
the same node has gets the suffix `` (2)``, `` (3)``, ... The names of nodes,
information sets and outcomes are not kept. Sizes are bounded: :func:`read_efg`
reads at most :data:`~credibility.io.textfile.MAX_FILE_BYTES` of a file, and
the paths of a tree's nodes may take :data:`MAX_PATH_CHARACTERS` in all.

Writing. :func:`format_efg` writes a tree (each node its own information
set), a signalling game (chance picks the sender's type; the sender has one
information set per type, the receiver one per message, holding one node per
type) or a bimatrix game (the two players move at once: the second player's
one information set holds a node for each of the first player's strategies).
Payoffs and probabilities are exact (``-3/2``); parameters are bound to
numbers first. The texts are normalised as for ``.nfg`` files
(:func:`~credibility.io.gambit.gambit_safe`) so that pygambit 16 reads back
the same names; :func:`efg_safe` gives the game with the names as written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TextIO

import sympy

from ..errors import GameFileError
from ..models import (
    Bimatrix,
    Binding,
    GameInfo,
    GameTree,
    Move,
    Node,
    SignallingGame,
)
from ..models.common import toml_key
from ..parameters import ParamValues
from .gambit import (
    PLAYER_DEFAULTS,
    _gambit_label,
    _quote,
    _safe_info,
    _Token,
    _TokenReader,
    _unique_names,
    _write_ascii,
    gambit_safe,
)
from .textfile import MAX_FILE_BYTES, read_text_file

__all__ = ["MAX_PATH_CHARACTERS", "efg_safe", "format_efg", "parse_efg", "read_efg", "write_efg"]

MAX_PATH_CHARACTERS = 2**26
"""The most characters all the node paths of a tree read may take together (64 Mi).

Nodes are named by their paths, so a ladder ``k`` levels deep has paths of
about ``k**2`` characters in all: without a bound, a deep ladder within the
file size limit would take gigabytes.
"""

SLASH = "\u2215"
"""What a ``/`` in a move name becomes when read: ``∕``, DIVISION SLASH (``/`` joins paths)."""


def _move_defaults(count: int) -> tuple[str, ...]:
    return tuple(f"Move {k + 1}" for k in range(count))


def _fraction(value: Fraction) -> sympy.Expr:
    return sympy.Rational(value.numerator, value.denominator)


# -- reading --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Infoset:
    """An information set as first declared: where, its name, moves and (chance) probabilities."""

    position: int
    name: str
    moves: tuple[str, ...]
    probabilities: tuple[Fraction, ...] | None


@dataclass
class _Frame:
    """A decision or chance node read from the file whose subtrees are still being read."""

    path: str
    player: str | None
    moves: tuple[str, ...]
    probabilities: tuple[Fraction, ...] | None
    offset: tuple[Fraction, ...]
    position: int
    built: list[Move] = field(default_factory=list)

    def move(self, node: Node) -> Move:
        k = len(self.built)
        probability = None if self.probabilities is None else _fraction(self.probabilities[k])
        return Move(self.moves[k], node, probability)


class _Parser(_TokenReader):
    def __init__(self, text: str, source: str, name: str):
        self.field = "header"
        super().__init__(text, source)
        self.name = name
        self.count = 0
        self.path_characters = 0
        self.infosets: dict[tuple[int, int], _Infoset] = {}
        self.outcomes: dict[int, tuple[int, tuple[Fraction, ...]]] = {}

    # -- tokens ---------------------------------------------------------------------
    def next_token(self) -> _Token:
        try:
            return next(self.stream)
        except GameFileError as error:  # the lexer's own field is not ours
            raise GameFileError(error.message, file=self.lexer.source, field=self.field) from None

    def fail(self, expected: str) -> GameFileError:
        return self.unexpected(expected, self.field)

    def error(self, message: str, position: int) -> GameFileError:
        return self.lexer.error(message, position, self.field)

    def expect(self, kind: str, what: str) -> _Token:
        return self.take(kind, what, self.field)

    def whole(self, what: str, low: int) -> int:
        token = self.current
        value = token.value
        if token.kind != "number" or value is None or value.denominator != 1 or value < low:
            raise self.fail(f"expected {what}")
        self.advance()
        return int(value)

    # -- the file ---------------------------------------------------------------------
    def game(self) -> GameTree:
        title, players, comment = self.header()
        root = self.tree(players)
        if self.current.kind != "end":
            raise self.fail(
                f"expected the end of the file: the tree is complete after node {self.count}"
            )
        info = GameInfo(title=title, name=self.name, description=comment)
        return self.located(lambda: GameTree(players, root, (), info))

    def header(self) -> tuple[str, tuple[str, ...], str]:
        title = self.preamble("EFG", "2", "extensive-form")
        self.field = "players"
        names, start = self.quoted_list("the list of players", "player name", self.field)
        if len(names) < 2:
            raise self.error(
                f"expected at least two players (a game tree of one player is a decision "
                f"problem, not a game), got {len(names)}",
                start,
            )
        players = _unique_names(names, _player_defaults(len(names)))
        self.field = "header"
        comment = self.advance().text if self.current.kind == "string" else ""
        return title, players, comment

    def tree(self, players: tuple[str, ...]) -> Node:
        """Read the nodes in prefix order, without recursion (trees may be deep)."""
        zero = (Fraction(0),) * len(players)
        first = self.node(players, "", zero, None)
        if isinstance(first, Node):
            return first
        stack = [first]
        while True:
            frame = stack[-1]
            k = len(frame.built)
            if k < len(frame.moves):
                name = frame.moves[k]
                path = f"{frame.path}/{name}" if frame.path else name
                child = self.node(players, path, frame.offset, (name, frame.position))
                if isinstance(child, Node):
                    frame.built.append(frame.move(child))
                else:
                    stack.append(child)
                continue
            stack.pop()
            node = Node(
                frame.path,
                player=frame.player,
                chance=frame.player is None,
                moves=tuple(frame.built),
            )
            if not stack:
                return node
            stack[-1].built.append(stack[-1].move(node))

    def node(
        self,
        players: tuple[str, ...],
        path: str,
        offset: tuple[Fraction, ...],
        parent: tuple[str, int] | None,
    ) -> Node | _Frame:
        """One node entry: a terminal node, or a frame whose subtrees follow.

        ``parent`` is the move that leads here and the position of the node it
        leaves (None at the root); positions become lines only in messages, as
        counting lines is linear in the size of the text.
        """
        self.count += 1
        self.field = f"node {self.count}"
        token = self.current
        if token.kind != "symbol" or token.text not in ("c", "p", "t"):
            what = "the root node"
            if parent is not None:
                what = f"move '{parent[0]}' of the node at {self.lexer.where(parent[1])}"
            truncated = " (is the file cut short?)" if token.kind == "end" else ""
            raise self.fail(f"expected a node ('c', 'p' or 't') for {what}{truncated}")
        position = token.position
        self.path_characters += len(path)
        if self.path_characters > MAX_PATH_CHARACTERS:
            raise self.error(
                f"the tree is too deep to name its nodes: with this node, the paths of the nodes "
                f"(their move names from the root joined by '/') take more than "
                f"{MAX_PATH_CHARACTERS:,} characters",
                position,
            )
        self.advance()
        self.expect("string", "the node's name (a quoted string)")
        if token.text == "t":
            payoffs = self.outcome(offset)
            return Node(path, payoffs=tuple(_fraction(x) for x in payoffs))
        if token.text == "c":
            infoset = self.chance_infoset(position)
            player = None
        else:
            start = self.current.position
            numbers = "1 or 2" if len(players) == 2 else f"1 to {len(players)}"
            number = self.whole(f"the number of the player who moves ({numbers})", 1)
            if number > len(players):
                raise self.error(
                    f"expected the number of the player who moves ({numbers}), got {number}", start
                )
            player = players[number - 1]
            infoset = self.player_infoset(number, player, position)
        return _Frame(
            path,
            player,
            infoset.moves,
            infoset.probabilities,
            self.outcome(offset),
            position,
        )

    def chance_infoset(self, position: int) -> _Infoset:
        number = self.whole("the number of the chance information set (a whole number >= 1)", 1)
        known = self.infosets.get((0, number))
        if self.current.kind != "string":
            if known is None:
                raise self.fail(
                    f"expected the name and moves of chance information set {number}, which "
                    "appears here for the first time"
                )
            return known
        name = self.advance().text
        start = self.expect("{", "'{' opening the moves and their probabilities").position
        labels: list[str] = []
        probabilities: list[Fraction] = []
        while self.current.kind == "string":
            labels.append(self.advance().text)
            token = self.expect("number", "the probability of the move (a number)")
            assert token.value is not None
            if not 0 <= token.value <= 1:
                raise self.error(
                    f"expected a probability from 0 to 1, got {token.text}", token.position
                )
            probabilities.append(token.value)
        self.expect("}", "a quoted move name or '}'")
        if not labels:
            raise self.error("expected at least one move", start)
        total = sum(probabilities, Fraction(0))
        if total != 1:
            raise self.error(f"expected probabilities that sum to 1, got {total}", start)
        infoset = _Infoset(position, name, _move_names(labels), tuple(probabilities))
        if known is None:
            self.infosets[(0, number)] = infoset
            return infoset
        if (known.moves, known.probabilities) != (infoset.moves, infoset.probabilities):
            raise self.error(
                f"chance information set {number} is declared again with other moves or "
                f"probabilities (first at {self.lexer.where(known.position)})",
                start,
            )
        return known

    def player_infoset(self, number: int, player: str, position: int) -> _Infoset:
        start = self.current.position
        infoset_number = self.whole("the number of the information set (a whole number >= 1)", 1)
        known = self.infosets.get((number, infoset_number))
        if known is not None:
            named = f", named '{known.name}'," if known.name else ""
            raise self.error(
                f"information set {infoset_number} of player {number} ('{player}'){named} "
                f"holds more than one node (at {self.lexer.where(known.position)} and "
                f"{self.lexer.where(position)}): this library reads "
                "only games of perfect information, where each information set is one node",
                start,
            )
        if self.current.kind != "string":
            raise self.fail(
                f"expected the name and moves of information set {infoset_number} of player "
                f"{number}, which appears here for the first time"
            )
        name = self.advance().text
        labels, start = self.quoted_list("the moves", "move name", self.field)
        if not labels:
            raise self.error("expected at least one move", start)
        infoset = _Infoset(position, name, _move_names(labels), None)
        self.infosets[(number, infoset_number)] = infoset
        return infoset

    def outcome(self, offset: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
        """Read an outcome reference; return ``offset`` plus its payoffs."""
        start = self.current.position
        number = self.whole("the number of the outcome (a whole number >= 0)", 0)
        known = self.outcomes.get(number)
        if self.current.kind != "string":
            if number == 0:
                return offset
            if known is None:
                raise self.fail(
                    f"expected the name and payoffs of outcome {number}, which appears here "
                    "for the first time"
                )
            payoffs = known[1]
        else:
            if number == 0:
                raise self.fail("expected no name or payoffs after the null outcome 0")
            self.advance()
            opening = self.expect("{", "'{' opening the outcome's payoffs").position
            values: list[Fraction] = []
            while self.current.kind in ("number", ","):
                token = self.advance()
                if token.value is not None:
                    values.append(token.value)
            self.expect("}", "a payoff (a number) or '}'")
            if len(values) != len(offset):
                raise self.error(
                    f"expected {len(offset)} payoffs (one per player) in outcome {number}, "
                    f"got {len(values)}",
                    opening,
                )
            payoffs = tuple(values)
            if known is None:
                self.outcomes[number] = (start, payoffs)
            elif known[1] != payoffs:
                raise self.error(
                    f"outcome {number} is declared again with other payoffs (first at "
                    f"{self.lexer.where(known[0])})",
                    opening,
                )
        return tuple(a + b for a, b in zip(offset, payoffs))


def _move_names(labels: Sequence[str]) -> tuple[str, ...]:
    """Move names as this library needs them: no ``/``, non-empty and distinct at a node."""
    return _unique_names(
        [label.replace("/", SLASH) for label in labels], _move_defaults(len(labels))
    )


def parse_efg(text: str, *, source: str = "<string>", name: str = "") -> GameTree:
    """Parse the text of a Gambit ``.efg`` file of a game of perfect information (two or more
    players).

    Parameters
    ----------
    text : str
        The file's text (``EFG 2 R`` or ``EFG 2 D``).
    source : str
        The file name used in error messages.
    name : str
        The game's name (the file stem).

    Returns
    -------
    GameTree
        The tree, with exact rational payoffs and chance probabilities and no
        parameters. The title is the file's title, the description its comment.

    Raises
    ------
    GameFileError
        If the text is not a valid EFG version 2 file, has fewer than two
        players, or has an information set of a player with more than one
        node. The message names the node entry (``node 4`` is the fourth in
        the file), the line and column, and what was expected there.

    Examples
    --------
    >>> game = parse_efg('''EFG 2 R "Entry" { "Entrant" "Incumbent" } ""
    ... p "" 1 1 "" { "Out" "In" } 0
    ... t "" 1 "" { 0 4 }
    ... p "" 2 1 "" { "Fight" "Accommodate" } 0
    ... t "" 2 "" { -1 -1 }
    ... t "" 3 "" { 1 1 }''')
    >>> [(node.path, node.payoffs) for node in game.nodes() if node.kind == "terminal"]
    [('Out', (0, 4)), ('In/Fight', (-1, -1)), ('In/Accommodate', (1, 1))]
    >>> parse_efg('EFG 2 R "" { "A" } t "" 0', source="one.efg")
    Traceback (most recent call last):
    ...
    credibility.errors.GameFileError: one.efg, field 'players': line 1:12: expected at least two
    players (a game tree of one player is a decision problem, not a game), got 1
    """
    return _Parser(text, source, name).game()


def read_efg(path: str | Path, *, limit: int = MAX_FILE_BYTES) -> GameTree:
    """Read a Gambit ``.efg`` file of a game of perfect information (two or more players).

    The file is read as UTF-8 and as it is (line ends inside quoted strings
    are kept), at most ``limit`` bytes of it.

    Parameters
    ----------
    path : str or Path
        The file; its stem becomes the game's name.
    limit : int
        The largest file read, in bytes (by default
        :data:`~credibility.io.textfile.MAX_FILE_BYTES`, 4 MiB).

    Returns
    -------
    GameTree

    Raises
    ------
    GameFileError
        If the file is missing, unreadable, larger than ``limit``, or not
        accepted by :func:`parse_efg`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "coin.efg").write_text('''EFG 2 D "A coin" { "Ann" "Bob" }
    ... c "" 1 "" { "Heads" 0.25 "Tails" 0.75 } 0
    ... t "" 1 "" { 1 -1 }
    ... t "" 2 "" { -1 1 }''')
    >>> game = read_efg(folder / "coin.efg")
    >>> game.info.name, [move.probability for move in game.root.moves]
    ('coin', [1/4, 3/4])
    """
    path = Path(path)
    text = read_text_file(path, limit=limit, universal_newlines=False)
    return parse_efg(text, source=str(path), name=path.stem)


# -- writing --------------------------------------------------------------------------

Game = Bimatrix | GameTree | SignallingGame


def _move_label(text: str) -> str:
    """A move name of a tree as pygambit 16 accepts it, keeping ``∕`` (written as ``/``)."""
    return _gambit_label(text.replace(SLASH, "/")).replace("/", SLASH)


def _labels(
    names: Sequence[str], defaults: Sequence[str], *, moves: bool = False
) -> tuple[str, ...]:
    label = _move_label if moves else _gambit_label
    return _unique_names([label(name) for name in names], defaults)


def _player_defaults(count: int) -> tuple[str, ...]:
    """The names of players whose name in a file is empty: ``Player 1``, ``Player 2``, ..."""
    return (*PLAYER_DEFAULTS, *(f"Player {k + 1}" for k in range(len(PLAYER_DEFAULTS), count)))


def _written(name: str) -> str:
    return _quote(name.replace(SLASH, "/"))


def efg_safe(game: Game) -> Game:
    """The game with its texts as :func:`format_efg` writes them and :func:`parse_efg` reads them.

    The rules are those of :func:`~credibility.io.gambit.gambit_safe` (which
    this is for a bimatrix game), applied to the names of the players and of
    the moves of every node (of a tree), or of the types, messages and
    responses (of a signalling game): non-ASCII characters become ASCII,
    whitespace is tidied, and names are made non-empty and distinct. In the
    move names of a tree, ``∕`` (U+2215) is written as ``/`` and read back as
    ``∕``. The title and the description keep every ASCII character.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame

    Returns
    -------
    Bimatrix, GameTree or SignallingGame
        The same kind of game with the same payoffs and parameters.

    Examples
    --------
    >>> tree = parse_efg('''EFG 2 R "" { "Défense" "B" }
    ... c "" 1 "" { "1/3" 1/3 "2/3" 2/3 } 0
    ... t "" 1 "" { 1 2 }
    ... t "" 2 "" { 3 4 }''')
    >>> [move.name for move in tree.root.moves]
    ['1∕3', '2∕3']
    >>> efg_safe(tree).players
    ('Defense', 'B')
    """
    if isinstance(game, Bimatrix):
        return gambit_safe(game)
    players = _labels(game.players, _player_defaults(len(game.players)))
    info = _safe_info(game.info)
    if isinstance(game, SignallingGame):
        types = _labels([t.name for t in game.types], [f"T{k + 1}" for k in range(len(game.types))])
        return dataclasses.replace(
            game,
            players=(players[0], players[1]),
            messages=_labels(game.messages, _move_defaults(len(game.messages))),
            responses=_labels(game.responses, _move_defaults(len(game.responses))),
            types=tuple(
                dataclasses.replace(sender_type, name=name)
                for sender_type, name in zip(game.types, types)
            ),
            info=info,
        )
    rename = dict(zip(game.players, players))
    return dataclasses.replace(game, players=players, root=_renamed(game.root, rename), info=info)


def _renamed(root: Node, players: dict[str, str]) -> Node:
    """The tree with safe move names (and the paths they make), built without recursion."""

    def frame(node: Node, path: str) -> tuple[Node, str, tuple[str, ...], list[Move]]:
        names = _labels([m.name for m in node.moves], _move_defaults(len(node.moves)), moves=True)
        return node, path, names, []

    def finish(node: Node, path: str, moves: list[Move]) -> Node:
        if node.kind == "terminal":
            return Node(path, payoffs=node.payoffs)
        player = None if node.player is None else players[node.player]
        return Node(path, player=player, chance=node.chance, moves=tuple(moves))

    stack = [frame(root, "")]
    while True:
        node, path, names, built = stack[-1]
        if len(built) < len(node.moves):
            k = len(built)
            child_path = f"{path}/{names[k]}" if path else names[k]
            child = node.moves[k].node
            if child.moves:
                stack.append(frame(child, child_path))
            else:
                built.append(
                    Move(names[k], finish(child, child_path, []), node.moves[k].probability)
                )
            continue
        stack.pop()
        done = finish(node, path, built)
        if not stack:
            return done
        parent, _, parent_names, siblings = stack[-1]
        k = len(siblings)
        siblings.append(Move(parent_names[k], done, parent.moves[k].probability))


def _field(path: str, key: str) -> str:
    prefix = "root"
    for name in path.split("/") if path else []:
        prefix += f".moves.{toml_key(name)}"
    return f"{prefix}.{key}"


class _Writer:
    """Node lines in prefix order, numbering information sets and outcomes as they come."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.outcomes = 0

    def decision(self, player: int, infoset: int, name: str, moves: Sequence[str]) -> None:
        actions = " ".join(_written(m) for m in moves)
        self.lines.append(f'p "" {player} {infoset} {_written(name)} {{ {actions} }} 0')

    def chance(self, infoset: int, moves: Sequence[str], probabilities: Sequence[Fraction]) -> None:
        actions = " ".join(f"{_written(m)} {p}" for m, p in zip(moves, probabilities))
        self.lines.append(f'c "" {infoset} "" {{ {actions} }} 0')

    def terminal(self, payoffs: tuple[Fraction, ...]) -> None:
        self.outcomes += 1
        k = self.outcomes
        self.lines.append(f't "" {k} "Outcome {k}" {{ {", ".join(map(str, payoffs))} }}')


def _tree_lines(game: GameTree, binding: Binding, writer: _Writer) -> None:
    infosets = [0] * (len(game.players) + 1)  # chance, then each player
    stack = [game.root]
    while stack:
        node = stack.pop()
        if node.kind == "terminal":
            assert node.payoffs is not None
            writer.terminal(
                tuple(
                    binding.value(x, _field(node.path, f"payoffs[{k}]"))
                    for k, x in enumerate(node.payoffs)
                )
            )
            continue
        names = [m.name for m in node.moves]
        if node.chance:
            infosets[0] += 1
            probabilities = [
                binding.value(
                    m.probability if m.probability is not None else sympy.Integer(0),
                    _field(node.path, f"moves.{toml_key(m.name)}.probability"),
                )
                for m in node.moves
            ]
            writer.chance(infosets[0], names, probabilities)
        else:
            player = game.players.index(node.player or "") + 1
            infosets[player] += 1
            writer.decision(player, infosets[player], "", names)
        stack.extend(m.node for m in reversed(node.moves))


def _signalling_lines(game: SignallingGame, binding: Binding, writer: _Writer) -> None:
    priors = [binding.value(t.prior, f"types.{toml_key(t.name)}.prior") for t in game.types]
    writer.chance(1, [t.name for t in game.types], priors)
    for k, sender_type in enumerate(game.types, start=1):
        writer.decision(1, k, sender_type.name, game.messages)
        for i, message in enumerate(game.messages):
            writer.decision(2, i + 1, message, game.responses)
            for j, response in enumerate(game.responses):
                where = (
                    f"types.{toml_key(sender_type.name)}.payoffs.{toml_key(message)}."
                    f"{toml_key(response)}"
                )
                pair = sender_type.payoffs[i][j]
                writer.terminal(
                    (binding.value(pair[0], f"{where}[0]"), binding.value(pair[1], f"{where}[1]"))
                )


def _bimatrix_lines(game: Bimatrix, binding: Binding, writer: _Writer) -> None:
    A, B = game.numeric(binding)
    writer.decision(1, 1, "", game.row_strategies)
    for i in range(len(game.row_strategies)):
        writer.decision(2, 1, "", game.column_strategies)
        for j in range(len(game.column_strategies)):
            writer.terminal((A[i][j], B[i][j]))


def format_efg(game: Game, params: Binding | ParamValues | None = None) -> str:
    """The text of a Gambit ``.efg`` file (``EFG 2 R``) for a game.

    A tree is written with one information set per node. A signalling game is
    written as the extensive form it stands for: chance picks the sender's
    type with the prior probabilities; the sender, who knows the type, sends a
    message (one information set per type, named after it); the receiver, who
    sees only the message, responds (one information set per message, named
    after it, holding one node per type). A bimatrix game is written as a
    simultaneous-move tree: the first player moves, then the second, in one
    information set that holds a node per strategy of the first player
    (:func:`parse_efg` does not read such a file back, as it is not of perfect
    information; Gambit does).

    Each terminal node has an outcome of its own, ``Outcome 1``, ``Outcome
    2``, ... in prefix order. Numbers are exact (``-3/2``). The title is the
    game's title, the comment its description; names are normalised as
    :func:`efg_safe` describes, so that pygambit 16 reads back the same. The
    text is ASCII.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    params : Binding, or mapping of str to number or fraction string, optional
        Parameter values (the defaults unless overridden); the file holds
        numbers only.

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        If a parameter value is unknown or out of bounds.
    GameFileError
        If the chance probabilities or priors are not a distribution at the
        values bound.

    Examples
    --------
    >>> tree = parse_efg('''EFG 2 R "Entry" { "Entrant" "Incumbent" } ""
    ... p "" 1 1 "" { "Out" "In" } 0
    ... t "" 1 "" { 0 4 }
    ... c "" 1 "" { "Weak" 1/3 "Strong" 2/3 } 0
    ... t "" 2 "" { 0.5 1 }
    ... p "" 2 1 "" { "Fight" "Accommodate" } 0
    ... t "" 3 "" { -1 -1 }
    ... t "" 4 "" { 1 1 }''')
    >>> print(format_efg(tree))
    EFG 2 R "Entry" { "Entrant" "Incumbent" }
    ""
    <BLANKLINE>
    p "" 1 1 "" { "Out" "In" } 0
    t "" 1 "Outcome 1" { 0, 4 }
    c "" 1 "" { "Weak" 1/3 "Strong" 2/3 } 0
    t "" 2 "Outcome 2" { 1/2, 1 }
    p "" 2 1 "" { "Fight" "Accommodate" } 0
    t "" 3 "Outcome 3" { -1, -1 }
    t "" 4 "Outcome 4" { 1, 1 }
    <BLANKLINE>
    >>> parse_efg(format_efg(tree)) == tree
    True
    """
    binding = params if isinstance(params, Binding) else game.bind(params)
    safe = efg_safe(game)
    writer = _Writer()
    if isinstance(safe, GameTree):
        _tree_lines(safe, binding, writer)
    elif isinstance(safe, SignallingGame):
        _signalling_lines(safe, binding, writer)
    else:
        _bimatrix_lines(safe, binding, writer)
    players = " ".join(_written(p) for p in safe.players)
    return (
        f"EFG 2 R {_quote(safe.info.title)} {{ {players} }}\n"
        f"{_quote(safe.info.description)}\n\n" + "\n".join(writer.lines) + "\n"
    )


def write_efg(
    game: Game, params: Binding | ParamValues | None, target: str | Path | TextIO
) -> None:
    """Write a game as a Gambit ``.efg`` file (see :func:`format_efg`).

    The text is ASCII, with ``\\n`` line ends on every platform.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    params : Binding, or mapping of str to number or fraction string, or None
        Parameter values (the defaults unless overridden).
    target : str, Path or text stream
        A file path, or an open text stream to write to.

    Raises
    ------
    ParameterError
        If a parameter value is unknown or out of bounds.

    Examples
    --------
    >>> import io
    >>> import credibility as cr
    >>> stream = io.StringIO()
    >>> write_efg(cr.load("entry_deterrence"), {"r": 3}, stream)
    >>> tree = parse_efg(stream.getvalue())
    >>> [node.payoffs for node in tree.nodes() if node.kind == "terminal"]
    [(0, 4), (-1, 2), (1, 1)]
    """
    _write_ascii(format_efg(game, params), target)
