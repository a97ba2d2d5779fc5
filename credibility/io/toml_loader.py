"""Read game files (format version 1, TOML) into validated models.

Every problem is reported as a :class:`~credibility.errors.GameFileError`
naming the file, the field (a dotted path) and what was expected there.
Unknown keys are errors, except under ``[meta]``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CredibilityError, GameFileError
from ..expressions import MAX_DIGITS, parse_expression, parse_number
from ..kinds import adapter_named, kinds
from ..models import (
    Bimatrix,
    Game,
    GameInfo,
    GameTree,
    Move,
    Node,
    SenderType,
    SignallingGame,
)
from ..models.common import symbols_of
from ..models.common import toml_key as _key
from ..parameters import Parameter
from .textfile import read_text_file
from .toml_tables import _labels, _no_unknown_keys, _table

if TYPE_CHECKING:
    import sympy

__all__ = ["load_toml", "parse_toml"]

FORMAT_VERSION = 1
_COMMON = {"format", "kind", "title", "description", "source", "players", "parameters", "meta"}
_PARAMETER_KEYS = {"default", "min", "max", "description"}
#: How deeply inline tables and arrays may nest (the TOML reader recurses on
#: them); a tree written as ``[root.moves...]`` tables may be of any depth.
MAX_INLINE_DEPTH = 100


def load_toml(path: str | Path) -> Game:
    """Load a game file.

    Parameters
    ----------
    path : str or Path
        A ``.toml`` game file in the format of ``docs/game-format.md``.

    Returns
    -------
    Bimatrix, GameTree or SignallingGame

    Raises
    ------
    GameFileError
        If the file is missing, unreadable, larger than
        :data:`~credibility.io.textfile.MAX_FILE_BYTES` or malformed.
    """
    path = Path(path)
    text = read_text_file(path)
    return parse_toml(text, source=str(path), name=path.stem)


def parse_toml(text: str, *, source: str = "<string>", name: str = "") -> Game:
    """Parse the text of a game file.

    Parameters
    ----------
    text : str
        TOML text.
    source : str
        The file name used in error messages.
    name : str
        The game's name (the file stem).

    Examples
    --------
    >>> game = parse_toml('''
    ... kind = "bimatrix"
    ... players = ["Row", "Column"]
    ... [payoffs]
    ... Row = [[1, 0], [0, 1]]
    ... Column = [[1, 0], [0, 1]]
    ... ''')
    >>> game.shape
    (2, 2)
    """
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise GameFileError(f"not valid TOML ({error})", file=source) from None
    except RecursionError:  # tomllib reads nested inline tables and arrays recursively
        raise GameFileError(
            f"values nested too deeply for the TOML reader; inline tables and arrays may nest "
            f"at most {MAX_INLINE_DEPTH} levels (write deep trees as [root.moves...] tables)",
            file=source,
        ) from None
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        raise GameFileError(
            f"a number has more than {MAX_DIGITS} digits (the limit for a number)"
            + _line_of_digits(text),
            file=source,
        ) from None
    try:
        return _Reader(data, name).game()
    except GameFileError as error:
        raise error.located(file=source) from None
    except CredibilityError as error:  # a bad expression or parameter is a bad file too
        raise GameFileError(error.message, file=source, field=error.field) from None


class _Reader:
    def __init__(self, data: dict[str, Any], name: str):
        self.data = data
        self.name = name

    def game(self) -> Game:
        data = self.data
        version = data.get("format", FORMAT_VERSION)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise GameFileError("expected a positive integer format version", field="format")
        if version > FORMAT_VERSION:
            raise GameFileError(
                f"format {version} is newer than this reader knows (up to {FORMAT_VERSION})",
                field="format",
            )
        kind = data.get("kind")
        if not isinstance(kind, str) or kind not in kinds():
            known = ", ".join(f"'{name}'" for name in kinds())
            raise GameFileError(f"expected one of {known}, got {kind!r}", field="kind")
        adapter = adapter_named(kind)
        _no_unknown_keys(data, _COMMON | adapter.toml_keys, "")
        self.info = GameInfo(
            title=_text(data, "title"),
            name=self.name,
            description=_text(data, "description"),
            source=_text(data, "source"),
        )
        if adapter.two_player:  # a normal-form game has two or more players: read_normal
            self.players = _players(data.get("players"))
        self.parameters = _parameters(data.get("parameters", {}))
        self.symbols = symbols_of(self.parameters)
        return adapter.read_toml(self)

    def expression(self, value: Any, field: str) -> sympy.Expr:
        if isinstance(value, (dict, list)) or value is None:
            raise GameFileError("expected a number or an expression string", field=field)
        try:
            return parse_expression(value, self.symbols)
        except CredibilityError as error:
            raise error.located(field=field) from None

    # -- bimatrix ---------------------------------------------------------
    def bimatrix(self) -> Bimatrix:
        payoffs = _table(self.data, "payoffs")
        _no_unknown_keys(payoffs, set(self.players), "payoffs")
        matrices = []
        for player in self.players:
            if player not in payoffs:
                raise GameFileError(f"missing the payoff matrix of '{player}'", field="payoffs")
            matrices.append(self.matrix(payoffs[player], f"payoffs.{player}"))
        A, B = matrices
        m, n = len(A), len(A[0])
        if (len(B), len(B[0])) != (m, n):
            raise GameFileError(
                f"expected a {m} x {n} matrix like {self.players[0]}'s, got {len(B)} x {len(B[0])}",
                field=f"payoffs.{self.players[1]}",
            )
        rows, columns = [f"R{i + 1}" for i in range(m)], [f"C{j + 1}" for j in range(n)]
        if "strategies" in self.data:
            strategies = _table(self.data, "strategies")
            _no_unknown_keys(strategies, set(self.players), "strategies")
            for player, count, default in (
                (self.players[0], m, rows),
                (self.players[1], n, columns),
            ):
                labels = strategies.get(player, default)
                field = f"strategies.{player}"
                labels = _labels(labels, field)
                if len(labels) != count:
                    raise GameFileError(
                        f"expected {count} strategy labels to match the payoff matrices, "
                        f"got {len(labels)}",
                        field=field,
                    )
                if player == self.players[0]:
                    rows = labels
                else:
                    columns = labels
        try:
            return Bimatrix(
                players=self.players,
                row_strategies=tuple(rows),
                column_strategies=tuple(columns),
                A=A,
                B=B,
                parameters=self.parameters,
                info=self.info,
            )
        except CredibilityError as error:
            raise error.located(field="strategies") from None

    def matrix(self, value: Any, field: str) -> tuple[tuple[sympy.Expr, ...], ...]:
        if not isinstance(value, list) or not value:
            raise GameFileError("expected a non-empty list of rows", field=field)
        width = None
        rows = []
        for i, row in enumerate(value):
            if not isinstance(row, list) or not row:
                raise GameFileError("expected a non-empty list of payoffs", field=f"{field}[{i}]")
            if width is None:
                width = len(row)
            elif len(row) != width:
                raise GameFileError(
                    f"expected {width} entries like the first row, got {len(row)} (ragged matrix)",
                    field=f"{field}[{i}]",
                )
            rows.append(tuple(self.expression(x, f"{field}[{i}][{j}]") for j, x in enumerate(row)))
        return tuple(rows)

    # -- tree -------------------------------------------------------------
    def tree(self) -> GameTree:
        players = _tree_players(self.data.get("players"))
        self.players = players  # type: ignore[assignment]  # a tree's: two or more
        root = _table(self.data, "root")
        node = self.node(root, "", "root")
        game = GameTree(players, node, self.parameters, self.info)
        game.bind()  # chance probabilities must form distributions at the defaults
        return game

    def node(self, table: Mapping[str, Any], path: str, field: str) -> Node:
        """The subtree at ``table``, built without recursion (trees may be thousands deep)."""
        first = self.node_spec(table, path, field)
        if isinstance(first, Node):
            return first
        stack: list[tuple[_Spec, list[Move]]] = [(first, [])]
        while True:
            spec, built = stack[-1]
            if len(built) < len(spec.moves):
                name, sub, sub_path, sub_field, probability = spec.moves[len(built)]
                child = self.node_spec(sub, sub_path, sub_field)
                if isinstance(child, Node):
                    built.append(Move(name, child, probability))
                else:
                    stack.append((child, []))
                continue
            stack.pop()
            node = Node(spec.path, player=spec.player, chance=spec.chance, moves=tuple(built))
            if not stack:
                return node
            parent, siblings = stack[-1]
            name, _, _, _, probability = parent.moves[len(siblings)]
            siblings.append(Move(name, node, probability))

    def node_spec(self, table: Mapping[str, Any], path: str, field: str) -> Node | _Spec:
        """A terminal node, or a checked decision or chance node whose moves are still tables."""
        has = {key for key in ("payoffs", "player", "chance") if key in table}
        if len(has) != 1:
            raise GameFileError(
                "expected exactly one of 'payoffs' (terminal), 'player' (decision) or "
                "'chance = true' (chance)",
                field=field,
            )
        allowed = (
            {"payoffs", "probability"}
            if "payoffs" in has
            else {"player", "chance", "moves", "probability"}
        )
        _no_unknown_keys(table, allowed, field)
        if "payoffs" in has:
            pair = table["payoffs"]
            if not isinstance(pair, list) or len(pair) != len(self.players):
                raise GameFileError(
                    "expected a list of two payoffs [first player, second player]"
                    if len(self.players) == 2
                    else f"expected a list of {len(self.players)} payoffs, one per player "
                    f"{list(self.players)}"
                    + (f", got {len(pair)}" if isinstance(pair, list) else ""),
                    field=f"{field}.payoffs",
                )
            payoffs = tuple(self.expression(x, f"{field}.payoffs[{i}]") for i, x in enumerate(pair))
            return Node(path, payoffs=payoffs)  # type: ignore[arg-type]
        chance = "chance" in has
        if chance and table["chance"] is not True:
            raise GameFileError("expected chance = true", field=f"{field}.chance")
        player = None
        if not chance:
            player = table["player"]
            if player not in self.players:
                raise GameFileError(
                    f"expected one of the players {list(self.players)}, got {player!r}",
                    field=f"{field}.player",
                )
        moves_table = table.get("moves")
        if not isinstance(moves_table, dict) or not moves_table:
            raise GameFileError("expected a table of at least one move", field=f"{field}.moves")
        moves = []
        for move_name, sub in moves_table.items():
            sub_field = f"{field}.moves.{_key(move_name)}"
            if "/" in move_name or not move_name.strip():
                raise GameFileError(
                    "a move name must be non-empty and contain no '/'", field=sub_field
                )
            if not isinstance(sub, dict):
                raise GameFileError("expected a table (a node)", field=sub_field)
            sub_path = f"{path}/{move_name}" if path else move_name
            probability = None
            if chance:
                if "probability" not in sub:
                    raise GameFileError(
                        "expected a probability for a move of a chance node",
                        field=f"{sub_field}.probability",
                    )
                probability = self.expression(sub["probability"], f"{sub_field}.probability")
            elif "probability" in sub:
                raise GameFileError(
                    "only moves of a chance node carry a probability",
                    field=f"{sub_field}.probability",
                )
            moves.append((move_name, sub, sub_path, sub_field, probability))
        return _Spec(path, player, chance, tuple(moves))

    # -- signalling -------------------------------------------------------
    def signalling(self) -> SignallingGame:
        messages = tuple(_labels(self.data.get("messages"), "messages"))
        responses = tuple(_labels(self.data.get("responses"), "responses"))
        types_table = _table(self.data, "types")
        types = []
        for type_name, table in types_table.items():
            field = f"types.{_key(type_name)}"
            if not isinstance(table, dict):
                raise GameFileError("expected a table with 'prior' and 'payoffs'", field=field)
            _no_unknown_keys(table, {"prior", "payoffs"}, field)
            if "prior" not in table:
                raise GameFileError("missing the prior probability", field=f"{field}.prior")
            prior = self.expression(table["prior"], f"{field}.prior")
            payoffs = _table(table, "payoffs", field)
            _no_unknown_keys(payoffs, set(messages), f"{field}.payoffs")
            rows = []
            for message in messages:
                row_field = f"{field}.payoffs.{_key(message)}"
                if message not in payoffs or not isinstance(payoffs[message], dict):
                    raise GameFileError(
                        "expected a table of payoff pairs, one per response", field=row_field
                    )
                row = payoffs[message]
                _no_unknown_keys(row, set(responses), row_field)
                pairs = []
                for response in responses:
                    pair_field = f"{row_field}.{_key(response)}"
                    pair = row.get(response)
                    if not isinstance(pair, list) or len(pair) != 2:
                        raise GameFileError(
                            "expected a pair [sender payoff, receiver payoff]", field=pair_field
                        )
                    pairs.append(
                        tuple(self.expression(x, f"{pair_field}[{k}]") for k, x in enumerate(pair))
                    )
                rows.append(tuple(pairs))
            types.append(SenderType(type_name, prior, tuple(rows)))  # type: ignore[arg-type]
        import sympy  # lazy: start-up time

        priors = [t.prior for t in types]
        total = sympy.Add(*priors)
        if total.is_number and total != 1:
            raise GameFileError(f"priors sum to {total}, expected 1", field="types")
        for t in types:
            if t.prior.is_number and not 0 <= t.prior <= 1:
                raise GameFileError(
                    f"prior {t.prior} is outside [0, 1]", field=f"types.{_key(t.name)}.prior"
                )
        game = SignallingGame(
            self.players, messages, responses, tuple(types), self.parameters, self.info
        )
        game.bind()  # the priors must form a distribution at the defaults
        return game


@dataclass(frozen=True)
class _Spec:
    """A decision or chance node read from its table, its moves' subtrees still to build."""

    path: str
    player: str | None
    chance: bool
    moves: tuple[tuple[str, Any, str, str, sympy.Expr | None], ...]


def _line_of_digits(text: str) -> str:
    match = re.search(rf"[0-9_]{{{MAX_DIGITS + 1},}}", text)
    return f" on line {text.count(chr(10), 0, match.start()) + 1}" if match else ""


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise GameFileError("expected a string", field=key)
    return value


def _players(value: Any) -> tuple[str, str]:
    labels = _labels(value, "players")
    if len(labels) != 2:
        raise GameFileError(
            f"expected exactly two player names, got {len(labels)}", field="players"
        )
    return labels[0], labels[1]


def _tree_players(value: Any) -> tuple[str, ...]:
    """A game tree's players: two or more distinct names."""
    labels = _labels(value, "players")
    if len(labels) < 2:
        raise GameFileError(
            f"expected exactly two player names, got {len(labels)}", field="players"
        )
    return tuple(labels)


def _parameters(table: Any) -> tuple[Parameter, ...]:
    if not isinstance(table, dict):
        raise GameFileError("expected a table of parameter tables", field="parameters")
    parameters = []
    for name, spec in table.items():
        field = f"parameters.{_key(name)}"
        if not isinstance(spec, dict):
            raise GameFileError("expected a table with at least 'default'", field=field)
        _no_unknown_keys(spec, _PARAMETER_KEYS, field)
        if "default" not in spec:
            raise GameFileError("missing the default value", field=f"{field}.default")
        values = {}
        for key in ("default", "min", "max"):
            if key in spec:
                values[key] = _constant(spec[key], f"{field}.{key}")
        description = spec.get("description", "")
        if not isinstance(description, str):
            raise GameFileError("expected a string", field=f"{field}.description")
        try:
            parameters.append(
                Parameter(
                    name, values["default"], values.get("min"), values.get("max"), description
                )
            )
        except CredibilityError as error:
            raise error.located(field=field) from None
    return tuple(parameters)


def _constant(value: Any, field: str):
    """A number, or an expression string without parameters, as a Fraction."""
    try:
        if isinstance(value, str):
            expr = parse_expression(value)
            if not expr.is_Rational:
                raise GameFileError("expected a rational number", field=field)
            return parse_number(f"{expr.p}/{expr.q}")
        return parse_number(value)
    except CredibilityError as error:
        raise error.located(field=field) from None
