"""Gambit's strategic-form ``.nfg`` files (format version 1), read and written.

A file is a header and a body (whitespace is not significant)::

    NFG 1 R "title" { "Player 1" "Player 2" }  { STRATEGIES }  ["comment"]
    BODY

``STRATEGIES`` is either one count per player (``{ 2 3 }``, strategies then
get this library's default labels ``R1..Rm`` and ``C1..Cn``) or one list of
quoted labels per player (``{ { "U" "D" } { "L" "R" } }``). The body comes in
two forms:

- *payoff form*: for each contingency, the payoff of every player in turn;
- *outcome form*: a braced list of outcomes ``{ "name" u1 u2 }`` (commas
  between the payoffs are allowed), then one outcome index per contingency,
  counting from 1; index 0 is the null outcome, with payoffs 0.

Contingencies are listed with the *first* player's strategy varying fastest:
``(R1, C1), (R2, C1), ..., (Rm, C1), (R1, C2), ...``. Numbers are integers,
decimals (``0.25``, ``1e-3``) or fractions (``3/2``); all are read exactly.
Strings are double-quoted and read as Gambit's own lexer reads them: a
backslash before a quote stands for the quote; a backslash before any other
character is kept, and so is that character. Two-player games are
bimatrix games; games of three or more players are read as normal-form games
(:func:`parse_normal_nfg`; :mod:`credibility.io.gambit_normal` writes them); fewer than
two players is an error.

Names are names for people, not keys. Gambit accepts empty and repeated
labels; the reader keeps every name as written except where this library
needs a non-empty, distinct one (:func:`parse_nfg` says how it fills them
in). The outcome names of the outcome form are not kept.

Sizes are bounded: :func:`read_nfg` reads at most
:data:`~credibility.io.textfile.MAX_FILE_BYTES` of a file, and a header that
declares more strategy profiles than the text has characters (each profile
needs a number in the body) is refused before anything of that size is built.

The writer produces the payoff form with strategy labels, numbers exact
(``a/b`` for non-integers, the way Gambit writes rationals). It writes text
that pygambit 16 reads back unchanged, normalising what it cannot hold
(:func:`gambit_safe` says how).
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO, TypeVar, cast

import sympy

from ..errors import CredibilityError, GameFileError
from ..models import Bimatrix, Binding, GameInfo, NormalForm
from ..models.normal import check_size
from ..parameters import ParamValues
from .textfile import MAX_FILE_BYTES, read_text_file

__all__ = ["PLAYER_DEFAULTS", "format_nfg", "gambit_safe", "parse_nfg", "read_nfg", "write_nfg"]

PLAYER_DEFAULTS = ("Player 1", "Player 2")
"""The names given to players whose name in a file is empty."""

_NUMBER = re.compile(r"[+-]?(?:\d+/\d+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_WORD = re.compile(r'[^\s{},"]+')
_SPACE = re.compile(r"\s*")
_MAX_EXPONENT = 400


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "string", "symbol", "{", "}", ",", "end"
    text: str
    position: int
    value: Fraction | None = None


def _read_string(text: str, start: int) -> tuple[str, int]:
    """Read the quoted string whose opening quote is at ``start``.

    Mirrors Gambit's lexer: a backslash before a quote makes it part of the
    string; a backslash before any other character is kept with it.
    Returns the string and the position after the closing quote.
    """
    out: list[str] = []
    last_slash = False
    position = start + 1
    while True:
        if position >= len(text):
            raise ValueError("end of file inside a quoted string")
        char = text[position]
        if char == '"' and not last_slash:
            return "".join(out), position + 1
        if last_slash:
            out.append('"' if char == '"' else "\\" + char)
        elif char != "\\":
            out.append(char)
        last_slash = char == "\\"
        position += 1


def _number(word: str) -> Fraction:
    mantissa, _, exponent = word.lower().partition("e")
    if exponent and abs(int(exponent)) > _MAX_EXPONENT:
        raise ValueError(f"the number {word} is out of range")
    if "/" in mantissa and int(mantissa.split("/")[1]) == 0:
        raise ValueError(f"the fraction {word} divides by zero")
    return Fraction(word)


class _Lexer:
    def __init__(self, text: str, source: str):
        self.text = text
        self.source = source

    def where(self, position: int) -> str:
        line = self.text.count("\n", 0, position) + 1
        column = position - (self.text.rfind("\n", 0, position) + 1) + 1
        return f"line {line}:{column}"

    def error(self, message: str, position: int, field: str) -> GameFileError:
        return GameFileError(f"{self.where(position)}: {message}", file=self.source, field=field)

    def tokens(self) -> Iterator[_Token]:
        text, position = self.text, 0
        while True:
            position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
            if position >= len(text):
                yield _Token("end", "end of file", position)
                return
            char = text[position]
            if char in "{},":
                yield _Token(char, char, position)
                position += 1
            elif char == '"':
                try:
                    value, end = _read_string(text, position)
                except ValueError as error:
                    raise self.error(str(error), position, "header") from None
                yield _Token("string", value, position)
                position = end
            else:
                word = _WORD.match(text, position).group()  # type: ignore[union-attr]
                if _NUMBER.fullmatch(word):
                    try:
                        yield _Token("number", word, position, _number(word))
                    except ValueError as error:
                        raise self.error(str(error), position, "payoffs") from None
                else:
                    yield _Token("symbol", word, position)
                position += len(word)


_Built = TypeVar("_Built")


class _TokenReader:
    """What the ``.nfg`` and ``.efg`` parsers share: the current token and the way on.

    Every method takes the ``field`` its errors are reported under; the
    parsers wrap them with their own conventions. :meth:`next_token` is where
    a parser may relabel the errors of the lexer itself.
    """

    def __init__(self, text: str, source: str):
        self.lexer = _Lexer(text, source)
        self.stream = self.lexer.tokens()
        self.current = self.next_token()

    def next_token(self) -> _Token:
        """The lexer's next token."""
        return next(self.stream)

    def advance(self) -> _Token:
        """The current token; the next one becomes current (the end stays current)."""
        token = self.current
        if token.kind != "end":
            self.current = self.next_token()
        return token

    def unexpected(self, expected: str, field: str) -> GameFileError:
        """The error ``"{expected}, got '{token}'"`` at the current token."""
        token = self.current
        got = f"'{token.text}'" if token.kind != "end" else "the end of the file"
        return self.lexer.error(f"{expected}, got {got}", token.position, field)

    def take(self, kind: str, what: str, field: str) -> _Token:
        """The current token, which must be of ``kind`` (else the error ``expected {what}``)."""
        if self.current.kind != kind:
            raise self.unexpected(f"expected {what}", field)
        return self.advance()

    def preamble(self, file_type: str, version: str, form: str) -> str:
        """Read ``NFG 1 R "title"`` (``file_type``, ``version``, data type, title); the title.

        ``form`` names the kind of file in the message for another file type:
        ``"strategic-form"`` for ``NFG``. Errors are reported under ``header``.
        """
        token = self.current
        if token.kind != "symbol" or token.text != file_type:
            raise self.unexpected(
                f"expected the file type '{file_type}' (a Gambit {form} file)", "header"
            )
        self.advance()
        found = self.take("number", f"the format version {version}", "header")
        if found.text != version:
            raise self.lexer.error(
                f"format version {found.text} is not supported, "
                f"expected {file_type} version {version}",
                found.position,
                "header",
            )
        if self.current.kind != "symbol" or self.current.text not in ("R", "D"):
            raise self.unexpected("expected the data type 'R' or 'D'", "header")
        self.advance()
        title = self.take("string", "the game's title (a quoted string)", "header")
        return title.text

    def quoted_list(self, opening: str, item: str, field: str) -> tuple[list[str], int]:
        """A braced list of quoted strings, ``{ "a" "b" }``, and where it starts.

        ``opening`` says what the ``{`` opens, for the error where it is
        missing; ``item`` names an entry, for the error at what is neither a
        string nor ``}``.
        """
        start = self.take("{", f"'{{' opening {opening}", field).position
        strings = []
        while self.current.kind == "string":
            strings.append(self.advance().text)
        self.take("}", f"a quoted {item} or '}}'", field)
        return strings, start

    def located(self, make: Callable[[], _Built]) -> _Built:
        """What ``make`` builds, its :class:`CredibilityError` placed in this file."""
        try:
            return make()
        except CredibilityError as error:
            raise error.located(file=self.lexer.source) from None


class _Parser(_TokenReader):
    def __init__(self, text: str, source: str, name: str):
        super().__init__(text, source)
        self.name = name

    def fail(self, expected: str, field: str) -> GameFileError:
        return self.unexpected(expected, field)

    def game(self) -> Bimatrix:
        title, players, declared, comment = self.header()
        form = self.current.kind
        self.check_size(declared.strategies, declared.position)
        if form not in ("{", "number"):
            raise self.fail("expected the payoffs (numbers) or an outcome list ('{')", "payoffs")
        rows, columns = (
            _unique_names(labels, _default_labels(prefix, len(labels)))
            if isinstance(labels, list)
            else _default_labels(prefix, labels)
            for prefix, labels in zip("RC", declared.strategies)
        )
        shape = (len(rows), len(columns))
        A, B = self.outcome_body(shape) if form == "{" else self.payoff_body(shape)
        self.take("end", "the end of the file", "payoffs")
        info = GameInfo(title=title, name=self.name, description=comment)
        return self.located(
            lambda: Bimatrix(
                players=players, row_strategies=rows, column_strategies=columns, A=A, B=B, info=info
            )
        )

    def check_size(self, declared: Sequence[list[str] | int], position: int) -> tuple[int, ...]:
        """Refuse a header declaring more strategy profiles than the text has characters.

        ``declared`` holds each player's strategies (labels, or their count)
        and ``position`` is where their list starts; returns their numbers.
        Each profile needs a number in the body (an outcome index, or its
        payoffs), so a file cannot hold more profiles than it has characters.
        The check comes before anything of the declared size is built, so
        what is built afterwards is bounded by the length of the text. A body
        that is merely too short gets the exact count later.
        """
        shape = tuple(len(x) if isinstance(x, list) else x for x in declared)
        cells = math.prod(shape)
        size = len(self.lexer.text)
        if cells > size:
            raise self.lexer.error(
                f"expected strategy counts the file can hold: "
                f"{' x '.join(map(str, shape))} strategies make {cells} strategy profiles, each "
                f"needing a number in the body, but the whole file has {size} characters",
                position,
                "strategies",
            )
        return shape

    def header(self) -> tuple[str, tuple[str, str], _Declared, str]:
        title = self.preamble("NFG", "1", "strategic-form")
        players = self.players()
        declared = self.strategies(players)
        comment = self.advance().text if self.current.kind == "string" else ""
        return title, players, declared, comment

    def players(self) -> tuple[str, str]:
        players, start = self.player_names()
        if len(players) > 2:  # a normal-form game: _NormalParser reads it (issue 15)
            raise _MorePlayers
        if len(players) != 2:
            raise self.lexer.error(
                f"expected two or more players, got {len(players)}",
                start,
                "players",
            )
        first, second = _unique_names(players, PLAYER_DEFAULTS)
        return first, second

    def player_names(self) -> tuple[list[str], int]:
        """The quoted player names of the header, as written, and where their list starts."""
        return self.quoted_list("the list of players", "player name", "players")

    def strategies(self, players: tuple[str, str]) -> _Declared:
        """Read the strategies: per player a list of labels, or a count (kept as a number)."""
        declared, start = self.strategy_lists(players)
        return _Declared((declared[0], declared[1]), start)

    def strategy_lists(self, players: Sequence[str]) -> tuple[list[list[str] | int], int]:
        """The strategies of each of ``players`` and where their list starts in the file."""
        start = self.take("{", "'{' opening the strategies", "strategies").position
        declared: list[list[str] | int] = []
        if self.current.kind == "{":
            while self.current.kind == "{":
                labels, _ = self.quoted_list("the labels", "strategy label", "strategies")
                declared.append(labels)
        else:
            while self.current.kind == "number":
                token = self.advance()
                if token.value is None or token.value.denominator != 1 or token.value < 1:
                    raise self.lexer.error(
                        f"expected a positive whole number of strategies, got '{token.text}'",
                        token.position,
                        "strategies",
                    )
                declared.append(int(token.value))
        self.take("}", "'}' closing the strategies", "strategies")
        if len(declared) != len(players):
            raise self.lexer.error(
                f"expected strategies for {len(players)} players, got {len(declared)}",
                start,
                "strategies",
            )
        for player, given in zip(players, declared):
            if not given:
                raise self.lexer.error(
                    f"expected at least one strategy for '{player}'", start, "strategies"
                )
        return declared, start

    def numbers(self, skip_commas: bool = False) -> list[Fraction]:
        values = []
        while self.current.kind == "number" or (skip_commas and self.current.kind == ","):
            token = self.advance()
            if token.value is not None:
                values.append(token.value)
        return values

    def payoff_body(self, shape: tuple[int, int]) -> tuple[_Matrix, _Matrix]:
        m, n = shape
        return _matrices([(a, b) for a, b in self.payoff_rows(2, m * n)], m, n)

    def outcome_body(self, shape: tuple[int, int]) -> tuple[_Matrix, _Matrix]:
        m, n = shape
        return _matrices([(a, b) for a, b in self.outcome_rows(2, m * n)], m, n)

    def payoff_rows(self, n: int, cells: int) -> list[list[Fraction]]:
        """The payoff-list body: ``n`` payoffs for each of ``cells`` strategy profiles."""
        start = self.current.position
        values = self.numbers()
        if len(values) != n * cells:
            raise self.lexer.error(
                f"expected {n * cells} payoffs ({n} players x {cells} strategy profiles), "
                f"got {len(values)}",
                start,
                "payoffs",
            )
        return [values[n * k : n * k + n] for k in range(cells)]

    def outcome_rows(self, n: int, cells: int) -> list[list[Fraction]]:
        """The outcome-list body: outcomes of ``n`` payoffs, then one index per profile."""
        self.advance()
        outcomes: list[list[Fraction]] = [[Fraction(0)] * n]
        while self.current.kind == "{":
            opening = self.advance()
            self.take("string", "the outcome's name (a quoted string)", "outcomes")
            payoffs = self.numbers(skip_commas=True)
            self.take("}", "a payoff or '}' closing the outcome", "outcomes")
            if len(payoffs) != n:
                raise self.lexer.error(
                    f"expected {n} payoffs in outcome {len(outcomes)}, got {len(payoffs)}",
                    opening.position,
                    "outcomes",
                )
            outcomes.append(payoffs)
        self.take("}", "'{' opening an outcome or '}' closing the list", "outcomes")
        start = self.current.position
        rows = []
        while self.current.kind == "number":
            token = self.advance()
            value = token.value
            if value is None or value.denominator != 1 or not 0 <= value < len(outcomes):
                raise self.lexer.error(
                    f"expected an outcome index from 0 to {len(outcomes) - 1}, got '{token.text}'",
                    token.position,
                    "payoffs",
                )
            rows.append(outcomes[int(value)])
        if len(rows) != cells:
            raise self.lexer.error(
                f"expected {cells} outcome indices (one per strategy profile), got {len(rows)}",
                start,
                "payoffs",
            )
        return rows


_Matrix = tuple[tuple[sympy.Expr, ...], ...]


@dataclass(frozen=True)
class _Declared:
    """The strategies a header declares: per player, its labels or only their count."""

    strategies: tuple[list[str] | int, list[str] | int]
    position: int


def _default_labels(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{k + 1}" for k in range(count))


def _unique_names(
    names: Sequence[str], defaults: Sequence[str], *, gambit_16: bool = False
) -> tuple[str, ...]:
    """Make names non-empty and distinct, in a way that depends on nothing else.

    An empty (or all-whitespace) name becomes its default; a name that an
    earlier one already took gets the first suffix `` (2)``, `` (3)``, ...
    that no other name has. With ``gambit_16``, a name that is the number of a
    later position (``"2"`` first of two) also gets a suffix: Gambit 16.7
    gives positions the default labels ``"1"``, ``"2"``, ... and relabels them
    one at a time when it reads a file, refusing the file on such a clash.
    """
    filled = [name if name.strip() else default for name, default in zip(names, defaults)]
    given = set(filled)
    used: set[str] = set()
    result = []
    for position, name in enumerate(filled, start=1):
        clash = name in used or (gambit_16 and _later_number(name, position, len(filled)))
        if clash:
            suffix = 2
            while f"{name} ({suffix})" in given or f"{name} ({suffix})" in used:
                suffix += 1
            name = f"{name} ({suffix})"
        used.add(name)
        result.append(name)
    return tuple(result)


def _later_number(name: str, position: int, count: int) -> bool:
    digits = len(str(count))
    return (
        name.isascii()
        and name.isdigit()
        and not name.startswith("0")
        and len(name) <= digits
        and position < int(name) <= count
    )


def _matrices(pairs: list[tuple[Fraction, Fraction]], m: int, n: int) -> tuple[_Matrix, _Matrix]:
    """Arrange per-profile payoff pairs (first player fastest) as the matrices A and B."""

    def rational(value: Fraction) -> sympy.Expr:
        return sympy.Rational(value.numerator, value.denominator)

    A = tuple(tuple(rational(pairs[i + j * m][0]) for j in range(n)) for i in range(m))
    B = tuple(tuple(rational(pairs[i + j * m][1]) for j in range(n)) for i in range(m))
    return A, B


def parse_nfg(text: str, *, source: str = "<string>", name: str = "") -> Bimatrix | NormalForm:
    """Parse the text of a Gambit ``.nfg`` file.

    A game of more than two players is read by
    :func:`parse_normal_nfg` as a
    :class:`~credibility.models.normal.NormalForm`; what follows is about two players.

    Names are kept as written (spaces, quotes, any Unicode), except that
    this library needs non-empty, distinct names for the two players and for
    each player's strategies. So, in order:

    - an empty (or all-whitespace) player name becomes ``"Player 1"`` or
      ``"Player 2"`` by position; an empty strategy label becomes the default
      label of its position, ``R1, R2, ...`` for the first player and
      ``C1, C2, ...`` for the second (the labels of the count form);
    - a name already taken by an earlier one gets the first suffix
      ``" (2)"``, ``" (3)"``, ... that no other name in the list has:
      ``"defect", "defect"`` become ``"defect", "defect (2)"``.

    (Gambit 16.7 itself names them otherwise: ``"_1"``, ``"defect_1"``.)

    Parameters
    ----------
    text : str
        The file's text, in either the payoff or the outcome form.
    source : str
        The file name used in error messages.
    name : str
        The game's name (the file stem).

    Returns
    -------
    Bimatrix
        The game, with exact rational payoffs and no parameters.

    Raises
    ------
    GameFileError
        If the text is not a valid NFG version 1 file of a two-player game,
        or its header declares more strategy profiles than the text has
        characters (it could not hold a number for each).

    Examples
    --------
    >>> game = parse_nfg('NFG 1 R "PD" { "Row" "Column" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> game.A[1][0], game.B[1][0], game.row_strategies
    (5, 0, ('R1', 'R2'))
    >>> game = parse_nfg('NFG 1 D "" { "" "" } { { "a" "a" } { "" } } 1 2 3 4')
    >>> game.players, game.row_strategies, game.column_strategies
    (('Player 1', 'Player 2'), ('a', 'a (2)'), ('C1',))
    >>> parse_nfg('NFG 1 R "" { "A" "B" "C" } { 1 1 1 } 0 1 2').kind  # see parse_normal_nfg
    'normal'
    """
    try:
        return _Parser(text, source, name).game()
    except _MorePlayers:
        return parse_normal_nfg(text, source=source, name=name)


class _MorePlayers(Exception):
    """Raised by the two-player reader at a header of more than two players."""


class _NormalParser(_Parser):
    """The reader of :class:`_Parser`, for ``n >= 2`` players (normal-form games)."""

    def game(self) -> NormalForm:  # type: ignore[override]
        title, players, header_declared, comment = self.header()
        # this class's strategies() gives a list per player (the parent's type says _Declared)
        declared = cast("list[list[str] | int]", header_declared)
        form = self.current.kind
        shape = self.check_size(declared, self.position)
        cells = self.located(lambda: check_size(shape))
        if form not in ("{", "number"):
            raise self.fail("expected the payoffs (numbers) or an outcome list ('{')", "payoffs")
        labels = tuple(
            _unique_names(x, _default_labels("S", len(x)))
            if isinstance(x, list)
            else _default_labels("S", x)
            for x in declared
        )
        n = len(players)
        rows = self.outcome_rows(n, cells) if form == "{" else self.payoff_rows(n, cells)
        self.take("end", "the end of the file", "payoffs")
        payoffs = tuple(_row_major([r[i] for r in rows], shape) for i in range(n))
        info = GameInfo(title=title, name=self.name, description=comment)
        return self.located(lambda: NormalForm(players, labels, payoffs, info=info))

    def players(self) -> tuple[str, ...]:  # type: ignore[override]
        players, _ = self.player_names()
        return _unique_names(players, _player_defaults(len(players)))

    def strategies(self, players: tuple[str, ...]) -> list[list[str] | int]:  # type: ignore[override]
        declared, self.position = self.strategy_lists(players)
        return declared


def _player_defaults(count: int) -> tuple[str, ...]:
    """The names of players whose name is empty: ``Player 1``, ``Player 2``, ..."""
    return _default_labels("Player ", count)


def _row_major(values: list[Any], shape: tuple[int, ...]) -> tuple[Any, ...]:
    """Values listed first-player-fastest (Gambit), reordered last-player-fastest."""
    import numpy as np  # lazy: start-up time

    array = np.empty(len(values), dtype=object)
    array[:] = values
    return tuple(array.reshape(shape[::-1]).transpose().ravel().tolist())


def parse_normal_nfg(text: str, *, source: str = "<string>", name: str = "") -> NormalForm:
    """Parse a Gambit ``.nfg`` file of any number (two or more) of players.

    Parameters
    ----------
    text : str
        The file's text, in the payoff or the outcome form.
    source : str
        The file name used in error messages.
    name : str
        The game's name (the file stem).

    Returns
    -------
    NormalForm
        Exact rational payoffs, no parameters.

    Raises
    ------
    GameFileError
        If the text is not a valid NFG version 1 file.
    GameTooLargeError
        If it declares more than :data:`~credibility.models.normal.MAX_PROFILES` profiles.

    Examples
    --------
    >>> game = parse_normal_nfg('''NFG 1 R "" { "A" "B" "C" } { 2 1 1 }
    ... 1 2 3  4 5 6''')
    >>> game.shape, game.payoff("C", ("S2", "S1", "S1"))
    ((2, 1, 1), Fraction(6, 1))
    """
    return _NormalParser(text, source, name).game()


def read_nfg(path: str | Path, *, limit: int = MAX_FILE_BYTES) -> Bimatrix | NormalForm:
    """Read a Gambit ``.nfg`` file: a bimatrix game, or a normal-form game of 3+ players.

    The file is read as UTF-8 and as it is: line ends inside quoted strings
    are kept (``\\r\\n`` stays ``\\r\\n``), as Gambit keeps them.

    Parameters
    ----------
    path : str or Path
        The file; its stem becomes the game's name.
    limit : int
        The largest file read, in bytes (by default
        :data:`~credibility.io.textfile.MAX_FILE_BYTES`, 4 MiB).

    Returns
    -------
    Bimatrix or NormalForm
        A bimatrix game for two players, a normal-form game for more.

    Raises
    ------
    GameFileError
        If the file is missing, unreadable, larger than ``limit``, or not a
        valid NFG file (see :func:`parse_nfg`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "pennies.nfg").write_text('''NFG 1 R "Matching pennies"
    ... { "Even" "Odd" } { { "H" "T" } { "H" "T" } } ""
    ... { { "even wins" 1, -1 } { "odd wins" -1, 1 } }
    ... 1 2 2 1''')
    >>> game = read_nfg(folder / "pennies.nfg")
    >>> game.info.name, game.column_strategies, game.A
    ('pennies', ('H', 'T'), ((1, -1), (-1, 1)))
    """
    path = Path(path)
    text = read_text_file(path, limit=limit, universal_newlines=False)
    return parse_nfg(text, source=str(path), name=path.stem)


# -- writing --------------------------------------------------------------------------


def _ascii(char: str) -> str:
    """A non-ASCII character as ASCII: its letters without accents, else ``<U+XXXX>``."""
    letters = "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
    )
    if letters and all(" " <= c <= "~" for c in letters):
        return letters
    return f"<U+{ord(char):04X}>"


def _backslashes(text: str) -> str:
    """Shorten by one each run of backslashes that Gambit's lexer cannot give back.

    Reading a string, Gambit's lexer turns ``k`` backslashes before a quote
    into ``2k - 2`` backslashes and the quote, and ``k`` backslashes before
    any other character into ``2k - 1`` backslashes and the character; a
    string cannot end with a backslash. So a run of backslashes in a text
    survives only if its length is even before a quote and odd before any
    other character; a run at the very end is dropped.
    """

    def fix(match: re.Match[str]) -> str:
        run, after = match.group(1), match.group(2)
        if not after:
            return ""
        if (len(run) % 2 == 1) == (after == '"'):
            run = run[:-1]
        return run + after

    return re.sub(r"(\\+)(.?)", fix, text, flags=re.DOTALL)


def _gambit_text(text: str) -> str:
    """A title or description as it is written: ASCII, with backslashes that survive."""
    return _backslashes("".join(c if c.isascii() else _ascii(c) for c in text))


def _gambit_label(text: str) -> str:
    """A name as pygambit 16 accepts it: printable ASCII words, one space apart."""
    chars = []
    for char in text:
        if char.isspace():
            chars.append(" ")
        elif " " < char <= "~":
            chars.append(char)
        else:
            chars.append(f"<U+{ord(char):04X}>" if char.isascii() else _ascii(char))
    label = re.sub(" +", " ", "".join(chars)).strip(" ")
    while True:
        fixed = re.sub(" +", " ", _backslashes(label)).strip(" ")
        if fixed == label:
            return label
        label = fixed


def _quote(text: str) -> str:
    """Quote a text that :func:`_backslashes` leaves unchanged, for Gambit's lexer."""
    out = ['"']
    run = 0
    for char in text:
        if char == "\\":
            run += 1
            continue
        if char == '"':
            out.append("\\" * (run // 2 + 1) + '"')
        else:
            out.append("\\" * ((run + 1) // 2) + char)
        run = 0
    out.append('"')
    return "".join(out)


def gambit_safe(game: Bimatrix) -> Bimatrix:
    """The game with its texts as :func:`format_nfg` writes them.

    pygambit 16 reads these texts back unchanged from the written file. The
    title and the description keep every ASCII character (tabs, line ends,
    leading and repeated spaces); names (of the players and the strategies)
    must be printable ASCII with single spaces between words, non-empty and
    distinct. So, in order:

    1. a non-ASCII character becomes its letters without accents (``é``
       becomes ``e``, ``ﬁ`` becomes ``fi``) when it decomposes into printable
       ASCII, else its code point, ``<U+65E5>``;
    2. in names, any whitespace becomes a space, runs of spaces become one
       and leading and trailing spaces go; any other control character
       becomes its code point, ``<U+0000>``;
    3. backslashes that Gambit's reader cannot give back are shortened by
       one: a run of odd length before a quote, of even length before any
       other character, and a run at the very end (which goes entirely);
    4. names are made non-empty and distinct as :func:`parse_nfg` does; and
       a name that is the number of a later position (``"2"`` for the first
       of two strategies) gets a suffix too, ``"2 (2)"``, since pygambit
       16.7 refuses such a file.

    Text that needs none of this is unchanged. Quotes need nothing: the
    writer escapes them.

    Parameters
    ----------
    game : Bimatrix

    Returns
    -------
    Bimatrix
        The same payoffs and parameters, with the texts changed as above.

    Examples
    --------
    >>> game = Bimatrix.from_arrays([[1, 2]], [[3, 4]], players=["Défense", " "],
    ...                             column_strategies=["hold\\tfast", "hold  fast"],
    ...                             title="  日本 ")
    >>> safe = gambit_safe(game)
    >>> safe.players, safe.column_strategies, safe.info.title
    (('Defense', 'Player 2'), ('hold fast', 'hold fast (2)'), '  <U+65E5><U+672C> ')
    """
    players = _safe_names(game.players, PLAYER_DEFAULTS)
    rows, columns = (
        _safe_names(labels, _default_labels(prefix, len(labels)))
        for prefix, labels in zip("RC", (game.row_strategies, game.column_strategies))
    )
    return dataclasses.replace(
        game,
        players=(players[0], players[1]),
        row_strategies=rows,
        column_strategies=columns,
        info=_safe_info(game.info),
    )


def _safe_names(names: Sequence[str], defaults: Sequence[str]) -> tuple[str, ...]:
    """Names (of players, or of a player's strategies) as :func:`gambit_safe` writes them."""
    return _unique_names([_gambit_label(name) for name in names], defaults, gambit_16=True)


def _safe_info(info: GameInfo) -> GameInfo:
    """The title and description as :func:`gambit_safe` writes them (see :func:`_gambit_text`)."""
    return dataclasses.replace(
        info, title=_gambit_text(info.title), description=_gambit_text(info.description)
    )


def _nfg_text(
    info: GameInfo, players: Sequence[str], strategies: Sequence[Sequence[str]], payoffs: str
) -> str:
    """The text of an ``.nfg`` file in the payoff form, its texts already made safe.

    ``strategies`` holds the labels of each player; ``payoffs`` is the body,
    the numbers of each profile in Gambit's order (first player fastest).
    """
    labels = "\n".join("{ " + " ".join(_quote(s) for s in ls) + " }" for ls in strategies)
    return (
        f"NFG 1 R {_quote(info.title)} {{ {' '.join(_quote(p) for p in players)} }}\n\n"
        f"{{ {labels}\n}}\n"
        f"{_quote(info.description)}\n\n"
        f"{payoffs}\n"
    )


def format_nfg(game: Bimatrix, params: Binding | ParamValues | None = None) -> str:
    """The text of a Gambit ``.nfg`` file (payoff form, strategy labels) for a game.

    The title is the game's title, empty if it has none; the comment is its
    description. Texts are normalised as :func:`gambit_safe` describes, so
    that pygambit 16 reads back the same names and title. The text is ASCII.

    Parameters
    ----------
    game : Bimatrix
    params : Binding, or mapping of str to number or fraction string, optional
        Parameter values (the defaults unless overridden); the file holds
        numbers only.

    Returns
    -------
    str

    Examples
    --------
    >>> game = Bimatrix.from_arrays([[0, -1], [1, "-3/2"]], [[0, 1], [-1, "-3/2"]],
    ...                             row_strategies=["Swerve", "Straight"],
    ...                             column_strategies=["Swerve", "Straight"], title="Chicken")
    >>> print(format_nfg(game))
    NFG 1 R "Chicken" { "Row" "Column" }
    <BLANKLINE>
    { { "Swerve" "Straight" }
    { "Swerve" "Straight" }
    }
    ""
    <BLANKLINE>
    0 0 1 -1 -1 1 -3/2 -3/2
    <BLANKLINE>
    """
    binding = params if isinstance(params, Binding) else game.bind(params)
    A, B = game.numeric(binding)
    m, n = game.shape
    safe = gambit_safe(game)
    payoffs = " ".join(f"{A[i][j]} {B[i][j]}" for j in range(n) for i in range(m))
    strategies = (safe.row_strategies, safe.column_strategies)
    return _nfg_text(safe.info, safe.players, strategies, payoffs)


def write_nfg(
    game: Bimatrix,
    params: Binding | ParamValues | None,
    target: str | Path | TextIO,
) -> None:
    """Write a game as a Gambit ``.nfg`` file (payoff form, strategy labels).

    The text is that of :func:`format_nfg`: ASCII, with ``\\n`` line ends on
    every platform.

    Parameters
    ----------
    game : Bimatrix
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
    >>> stream = io.StringIO()
    >>> write_nfg(Bimatrix.from_arrays([[1]], [[2]]), None, stream)
    >>> parse_nfg(stream.getvalue()).B
    ((2,),)
    """
    _write_ascii(format_nfg(game, params), target)


def _write_ascii(text: str, target: str | Path | TextIO) -> None:
    """Write the text of a Gambit file to a path (as ASCII, line ends as they are) or a stream."""
    if isinstance(target, (str, Path)):
        with open(target, "w", encoding="ascii", newline="") as stream:
            stream.write(text)
    else:
        target.write(text)
