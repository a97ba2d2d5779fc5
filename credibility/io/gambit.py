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
Strings are double-quoted, ``\\"`` standing for a quote, as Gambit's own
lexer reads them. Only two-player games are bimatrix games; any other
number of players is an error.

The writer produces the payoff form with strategy labels, numbers exact
(``a/b`` for non-integers, the way Gambit writes rationals).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TextIO

import sympy

from ..errors import CredibilityError, GameFileError
from ..models import Bimatrix, Binding, GameInfo
from ..parameters import ParamValues

__all__ = ["format_nfg", "parse_nfg", "read_nfg", "write_nfg"]

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


class _Parser:
    def __init__(self, text: str, source: str, name: str):
        self.lexer = _Lexer(text, source)
        self.stream = self.lexer.tokens()
        self.current = next(self.stream)
        self.name = name

    def advance(self) -> _Token:
        token = self.current
        if token.kind != "end":
            self.current = next(self.stream)
        return token

    def expect(self, kind: str, what: str, field: str) -> _Token:
        if self.current.kind != kind:
            raise self.fail(f"expected {what}", field)
        return self.advance()

    def fail(self, expected: str, field: str) -> GameFileError:
        token = self.current
        got = f"'{token.text}'" if token.kind != "end" else "the end of the file"
        return self.lexer.error(f"{expected}, got {got}", token.position, field)

    def game(self) -> Bimatrix:
        title, players, strategies, comment = self.header()
        if self.current.kind == "{":
            A, B = self.outcome_body(strategies)
        elif self.current.kind == "number":
            A, B = self.payoff_body(strategies)
        else:
            raise self.fail("expected the payoffs (numbers) or an outcome list ('{')", "payoffs")
        self.expect("end", "expected the end of the file", "payoffs")
        rows, columns = strategies
        try:
            return Bimatrix(
                players=(players[0], players[1]),
                row_strategies=tuple(rows),
                column_strategies=tuple(columns),
                A=A,
                B=B,
                info=GameInfo(title=title, name=self.name, description=comment),
            )
        except CredibilityError as error:
            raise error.located(file=self.lexer.source) from None

    def header(self) -> tuple[str, list[str], tuple[list[str], list[str]], str]:
        token = self.current
        if token.kind != "symbol" or token.text != "NFG":
            raise self.fail("expected the file type 'NFG' (a Gambit strategic-form file)", "header")
        self.advance()
        version = self.expect("number", "expected the format version 1", "header")
        if version.text != "1":
            raise self.lexer.error(
                f"format version {version.text} is not supported, expected NFG version 1",
                version.position,
                "header",
            )
        if self.current.kind != "symbol" or self.current.text not in ("R", "D"):
            raise self.fail("expected the data type 'R' or 'D'", "header")
        self.advance()
        title = self.expect("string", "expected the game's title (a quoted string)", "header").text
        players = self.players()
        strategies = self.strategies(players)
        comment = self.advance().text if self.current.kind == "string" else ""
        return title, players, strategies, comment

    def players(self) -> list[str]:
        start = self.expect("{", "expected '{' opening the list of players", "players").position
        players = []
        while self.current.kind == "string":
            players.append(self.advance().text)
        self.expect("}", "expected a quoted player name or '}'", "players")
        if len(players) != 2:
            raise self.lexer.error(
                f"expected exactly two players for a bimatrix game, got {len(players)}",
                start,
                "players",
            )
        if not all(p.strip() for p in players) or players[0] == players[1]:
            raise self.lexer.error(
                f"expected two distinct, non-empty player names, got {players}", start, "players"
            )
        return players

    def strategies(self, players: list[str]) -> tuple[list[str], list[str]]:
        start = self.expect("{", "expected '{' opening the strategies", "strategies").position
        lists: list[list[str]] = []
        if self.current.kind == "{":
            while self.current.kind == "{":
                self.advance()
                labels = []
                while self.current.kind == "string":
                    labels.append(self.advance().text)
                self.expect("}", "expected a quoted strategy label or '}'", "strategies")
                lists.append(labels)
        else:
            while self.current.kind == "number":
                token = self.advance()
                if token.value is None or token.value.denominator != 1 or token.value < 1:
                    raise self.lexer.error(
                        f"expected a positive whole number of strategies, got '{token.text}'",
                        token.position,
                        "strategies",
                    )
                count = int(token.value)
                prefix = "R" if not lists else "C"
                lists.append([f"{prefix}{k + 1}" for k in range(count)])
        self.expect("}", "expected '}' closing the strategies", "strategies")
        if len(lists) != len(players):
            raise self.lexer.error(
                f"expected strategies for {len(players)} players, got {len(lists)}",
                start,
                "strategies",
            )
        for player, labels in zip(players, lists):
            if not labels:
                raise self.lexer.error(
                    f"expected at least one strategy for '{player}'", start, "strategies"
                )
            if len(set(labels)) != len(labels) or not all(s.strip() for s in labels):
                raise self.lexer.error(
                    f"expected distinct, non-empty strategy labels for '{player}', got {labels}",
                    start,
                    "strategies",
                )
        return lists[0], lists[1]

    def numbers(self, skip_commas: bool = False) -> list[Fraction]:
        values = []
        while self.current.kind == "number" or (skip_commas and self.current.kind == ","):
            token = self.advance()
            if token.value is not None:
                values.append(token.value)
        return values

    def payoff_body(self, strategies: tuple[list[str], list[str]]) -> tuple[_Matrix, _Matrix]:
        m, n = len(strategies[0]), len(strategies[1])
        start = self.current.position
        values = self.numbers()
        if len(values) != 2 * m * n:
            raise self.lexer.error(
                f"expected {2 * m * n} payoffs (2 players x {m * n} strategy profiles), "
                f"got {len(values)}",
                start,
                "payoffs",
            )
        pairs = [(values[2 * k], values[2 * k + 1]) for k in range(m * n)]
        return _matrices(pairs, m, n)

    def outcome_body(self, strategies: tuple[list[str], list[str]]) -> tuple[_Matrix, _Matrix]:
        m, n = len(strategies[0]), len(strategies[1])
        self.advance()
        outcomes: list[tuple[Fraction, Fraction]] = [(Fraction(0), Fraction(0))]
        while self.current.kind == "{":
            opening = self.advance()
            self.expect("string", "expected the outcome's name (a quoted string)", "outcomes")
            payoffs = self.numbers(skip_commas=True)
            self.expect("}", "expected a payoff or '}' closing the outcome", "outcomes")
            if len(payoffs) != 2:
                raise self.lexer.error(
                    f"expected 2 payoffs in outcome {len(outcomes)}, got {len(payoffs)}",
                    opening.position,
                    "outcomes",
                )
            outcomes.append((payoffs[0], payoffs[1]))
        self.expect("}", "expected '{' opening an outcome or '}' closing the list", "outcomes")
        start = self.current.position
        pairs = []
        while self.current.kind == "number":
            token = self.advance()
            value = token.value
            if value is None or value.denominator != 1 or not 0 <= value < len(outcomes):
                raise self.lexer.error(
                    f"expected an outcome index from 0 to {len(outcomes) - 1}, got '{token.text}'",
                    token.position,
                    "payoffs",
                )
            pairs.append(outcomes[int(value)])
        if len(pairs) != m * n:
            raise self.lexer.error(
                f"expected {m * n} outcome indices (one per strategy profile), got {len(pairs)}",
                start,
                "payoffs",
            )
        return _matrices(pairs, m, n)


_Matrix = tuple[tuple[sympy.Expr, ...], ...]


def _matrices(pairs: list[tuple[Fraction, Fraction]], m: int, n: int) -> tuple[_Matrix, _Matrix]:
    """Arrange per-profile payoff pairs (first player fastest) as the matrices A and B."""

    def rational(value: Fraction) -> sympy.Expr:
        return sympy.Rational(value.numerator, value.denominator)

    A = tuple(tuple(rational(pairs[i + j * m][0]) for j in range(n)) for i in range(m))
    B = tuple(tuple(rational(pairs[i + j * m][1]) for j in range(n)) for i in range(m))
    return A, B


def parse_nfg(text: str, *, source: str = "<string>", name: str = "") -> Bimatrix:
    """Parse the text of a two-player Gambit ``.nfg`` file.

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
        If the text is not a valid NFG version 1 file of a two-player game.

    Examples
    --------
    >>> game = parse_nfg('NFG 1 R "PD" { "Row" "Column" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> game.A[1][0], game.B[1][0], game.row_strategies
    (5, 0, ('R1', 'R2'))
    >>> parse_nfg('NFG 1 R "" { "A" "B" "C" } { 1 1 1 } 0 0 0', source="three.nfg")
    Traceback (most recent call last):
    ...
    credibility.errors.GameFileError: three.nfg, field 'players': line 1:12: expected exactly two
    players for a bimatrix game, got 3
    """
    return _Parser(text, source, name).game()


def read_nfg(path: str | Path) -> Bimatrix:
    """Read a two-player Gambit ``.nfg`` file as a bimatrix game.

    Parameters
    ----------
    path : str or Path
        The file; its stem becomes the game's name.

    Returns
    -------
    Bimatrix

    Raises
    ------
    GameFileError
        If the file is missing, unreadable or not a valid two-player NFG file.

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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GameFileError("no such file", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise GameFileError(f"cannot read the file ({error})", file=str(path)) from None
    return parse_nfg(text, source=str(path), name=path.stem)


def _quote(text: str, field: str) -> str:
    quoted = '"' + text.replace('"', '\\"') + '"'
    try:
        readable = _read_string(quoted, 0) == (text, len(quoted))
    except ValueError:
        readable = False
    if not readable:
        raise GameFileError(
            f"'{text}' cannot be written in Gambit's format "
            "(a backslash may not precede a quote, another backslash or the end)",
            field=field,
        )
    return quoted


def format_nfg(game: Bimatrix, params: Binding | ParamValues | None = None) -> str:
    """The text of a Gambit ``.nfg`` file (payoff form, strategy labels) for a game.

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
    players = " ".join(_quote(p, "players") for p in game.players)
    labels = [
        "{ " + " ".join(_quote(s, "strategies") for s in strategies) + " }"
        for strategies in (game.row_strategies, game.column_strategies)
    ]
    payoffs = " ".join(f"{A[i][j]} {B[i][j]}" for j in range(n) for i in range(m))
    title = _quote(game.info.title or game.info.name, "title")
    return (
        f"NFG 1 R {title} {{ {players} }}\n\n"
        f"{{ {labels[0]}\n{labels[1]}\n}}\n"
        f"{_quote(game.info.description, 'description')}\n\n"
        f"{payoffs}\n"
    )


def write_nfg(
    game: Bimatrix,
    params: Binding | ParamValues | None,
    target: str | Path | TextIO,
) -> None:
    """Write a game as a Gambit ``.nfg`` file (payoff form, strategy labels).

    Parameters
    ----------
    game : Bimatrix
    params : Binding, or mapping of str to number or fraction string, or None
        Parameter values (the defaults unless overridden).
    target : str, Path or text stream
        A file path, or an open text stream to write to.

    Raises
    ------
    GameFileError
        If a label cannot be represented in Gambit's format.
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
    text = format_nfg(game, params)
    if isinstance(target, (str, Path)):
        Path(target).write_text(text, encoding="utf-8")
    else:
        target.write(text)
