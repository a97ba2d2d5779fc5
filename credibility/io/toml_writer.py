"""Write games as game files in this library's own format (TOML, ``docs/game-format.md``).

:func:`format_toml` is the inverse of :func:`~credibility.io.toml_loader.parse_toml`:
reading back what it writes gives the same game (the same players, names,
parameters, payoff expressions and metadata; the name is the file's stem), so
it solves the same. Parameters stay parameters; binding values changes their
defaults. Payoffs, probabilities and priors are written as TOML integers where
they are whole numbers, else as expression strings (``"1/3"``, ``"1 - p"``)
that :func:`format_expression` prints from the sympy expressions. Free-form
``[meta]`` tables are not part of a model, so they are not written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import TextIO

import sympy

from ..errors import CredibilityError, GameFileError
from ..expressions import parse_expression
from ..kinds import adapter_for
from ..models import (
    Bimatrix,
    Binding,
    Game,
    GameInfo,
    GameTree,
    Node,
    SignallingGame,
)
from ..models.common import symbols_of
from ..parameters import Parameter, ParamValues
from .toml_loader import FORMAT_VERSION

__all__ = ["format_expression", "format_toml", "write_toml"]


_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5
_FUNCTIONS = {sympy.Min: "min", sympy.Max: "max", sympy.Abs: "abs"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_INT64 = 2**63
_WIDTH = 100


def _print(expr: sympy.Expr) -> tuple[str, int]:
    """The text of an expression in the game-file grammar, and its precedence."""
    if expr.is_Integer:
        return str(int(expr)), _ATOM if expr >= 0 else _NEG
    if expr.is_Rational:
        text = f"{int(expr.p)}/{int(expr.q)}"
        return text, _MUL if expr > 0 else _NEG
    if expr.is_Symbol:
        return str(expr.name), _ATOM
    if expr.is_Add:
        return _print_sum(expr), _ADD
    if expr.is_Mul or (expr.is_Pow and expr.exp.is_Rational and expr.exp < 0):
        return _print_product(expr)
    if expr.is_Pow:
        base, exponent = expr.args
        left = _wrap(base, _ATOM)
        right = _print(exponent)[0]
        if not (exponent.is_Integer and exponent >= 0) and not exponent.is_Symbol:
            right = f"({right})"
        return f"{left}**{right}", _POW
    for function, name in _FUNCTIONS.items():
        if isinstance(expr, function):
            return f"{name}({', '.join(_print(arg)[0] for arg in expr.args)})", _ATOM
    raise CredibilityError(f"cannot write the expression '{expr}' in a game file")


def _wrap(expr: sympy.Expr, least: int) -> str:
    """The text of ``expr``, in parentheses unless it binds at least as tightly as ``least``."""
    text, precedence = _print(expr)
    return text if precedence >= least else f"({text})"


def _print_sum(expr: sympy.Expr) -> str:
    terms = expr.as_ordered_terms()
    terms.sort(key=lambda term: bool(term.could_extract_minus_sign()))  # v - m, not -m + v
    out = [_wrap(terms[0], _ADD)]
    for term in terms[1:]:
        if term.could_extract_minus_sign():
            out.append(f" - {_wrap(-term, _MUL)}")
        else:
            out.append(f" + {_wrap(term, _MUL)}")
    return "".join(out)


def _print_product(expr: sympy.Expr) -> tuple[str, int]:
    """A product (or a power with a negative exponent) as ``numerator/denominator``."""
    coefficient, rest = expr.as_coeff_Mul()
    if coefficient < 0:
        return f"-{_wrap(-expr, _MUL)}", _NEG
    numerator = [] if coefficient.p == 1 else [str(coefficient.p)]
    denominator = [] if coefficient.q == 1 else [str(coefficient.q)]
    for factor in rest.args if rest.is_Mul else [rest]:
        exponent = factor.exp if factor.is_Pow else None
        if exponent is not None and exponent.is_Rational and exponent < 0:
            denominator.append(_wrap(sympy.Pow(factor.base, -exponent), _POW))
        else:
            numerator.append(_wrap(factor, _POW))
    top = "*".join(numerator) or "1"
    if not denominator:
        return top, _MUL
    bottom = denominator[0] if len(denominator) == 1 else f"({'*'.join(denominator)})"
    return f"{top}/{bottom}", _MUL


def format_expression(expr: sympy.Expr) -> str:
    """An expression as a game file writes it: numbers, parameters, ``+ - * / **``, min, max, abs.

    Parsing the text back with the same parameters gives the same expression.

    Parameters
    ----------
    expr : sympy.Expr
        An expression built by :func:`~credibility.expressions.parse_expression`.

    Returns
    -------
    str

    Examples
    --------
    >>> import sympy
    >>> from credibility.expressions import parse_expression
    >>> p, m, v = sympy.symbols("p m v")
    >>> names = {"p": p, "m": m, "v": v}
    >>> [format_expression(parse_expression(text, names))
    ...  for text in ("1 - p", "(1 - p) * 2/3", "max(0, v - m)", "-p**(1/2)", "0.25 / m")]
    ['1 - p', '2/3 - 2*p/3', 'max(0, v - m)', '-p**(1/2)', '1/(4*m)']
    """
    return _print(sympy.sympify(expr))[0]


def _string(text: str) -> str:
    """A TOML basic string."""
    return '"' + "".join(_escape(char) for char in text) + '"'


def _escape(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if char < " " or char == "\x7f":
        return f"\\u{ord(char):04X}"
    return char


def _prose(text: str, indent: int) -> str:
    """A TOML string for prose: a multi-line basic string wrapped at spaces when long.

    Each line but the last ends with a backslash, which TOML drops with the
    line end; lines break only after a space and before a character that is
    not whitespace, so no character of the text is lost.
    """
    if indent + len(text) + 2 <= _WIDTH and "\n" not in text:
        return _string(text)
    lines: list[str] = []
    line = ""
    for k, char in enumerate(text):
        line += _escape(char)
        breakable = char == " " and k + 1 < len(text) and text[k + 1] not in " \t"
        if breakable and len(line) >= _WIDTH - 20:
            lines.append(line)
            line = ""
    lines.append(line)
    return '"""\\\n' + "\\\n".join(lines) + '"""'


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else _string(name)


def _number(value: Fraction) -> str:
    if value.denominator == 1 and abs(value) < _INT64:
        return str(value.numerator)
    return _string(str(value))


class _Writer:
    """Lines of a game file, checking that each expression reads back the same."""

    def __init__(self, game: Game):
        self.lines: list[str] = []
        self.symbols = symbols_of(game.parameters)

    def expression(self, expr: sympy.Expr, field: str) -> str:
        if expr.is_Integer and abs(expr) < _INT64:
            return str(int(expr))
        text = format_expression(expr)
        try:
            same = parse_expression(text, self.symbols) == expr
        except CredibilityError as error:
            raise GameFileError(
                f"cannot be written in a game file: {error.message}", field=field
            ) from None
        if not same:
            raise GameFileError(
                f"cannot be written in a game file: '{text}' reads back as another expression "
                "(please report this)",
                field=field,
            )
        return _string(text)

    def pair(self, pair: Sequence[sympy.Expr], field: str) -> str:
        first = self.expression(pair[0], f"{field}[0]")
        return f"[{first}, {self.expression(pair[1], f'{field}[1]')}]"

    def payoffs(self, values: Sequence[sympy.Expr], field: str) -> str:
        """One payoff per player, as a TOML array (a tree's leaf, of any number of players)."""
        if len(values) == 2:
            return self.pair(values, field)
        items = ", ".join(self.expression(v, f"{field}[{k}]") for k, v in enumerate(values))
        return f"[{items}]"

    def header(self, game: Game, values: dict[str, Fraction]) -> None:
        info: GameInfo = game.info
        self.lines += [f"format = {FORMAT_VERSION}", f"kind = {_string(game.kind)}"]
        for key, text in (
            ("title", info.title),
            ("description", info.description),
            ("source", info.source),
        ):
            if text:
                self.lines.append(f"{key} = {_prose(text, len(key) + 3)}")
        self.lines.append(f"players = {_array(game.players)}")
        adapter_for(game).write_toml_header(self, game)
        for parameter in game.parameters:
            self.parameter(parameter, values[parameter.name])

    def signalling_header(self, game: SignallingGame) -> None:
        """A signalling game's messages and responses, before the parameters."""
        self.lines += [
            f"messages = {_array(game.messages)}",
            f"responses = {_array(game.responses)}",
        ]

    def parameter(self, parameter: Parameter, default: Fraction) -> None:
        self.lines += ["", f"[parameters.{_key(parameter.name)}]", f"default = {_number(default)}"]
        if parameter.minimum is not None:
            self.lines.append(f"min = {_number(parameter.minimum)}")
        if parameter.maximum is not None:
            self.lines.append(f"max = {_number(parameter.maximum)}")
        if parameter.description:
            self.lines.append(f"description = {_prose(parameter.description, 14)}")

    def bimatrix(self, game: Bimatrix) -> None:
        row, column = game.players
        self.lines += [
            "",
            "[strategies]",
            f"{_key(row)} = {_array(game.row_strategies)}",
            f"{_key(column)} = {_array(game.column_strategies)}",
            "",
            "[payoffs]",
        ]
        for player, matrix in ((row, game.A), (column, game.B)):
            self.lines.append(f"{_key(player)} = [")
            for i, entries in enumerate(matrix):
                field = f"payoffs.{player}[{i}]"
                texts = [self.expression(x, f"{field}[{j}]") for j, x in enumerate(entries)]
                self.lines.append(f"    [{', '.join(texts)}],")
            self.lines.append("]")

    def tree(self, game: GameTree) -> None:
        stack: list[tuple[Node, str, sympy.Expr | None]] = [(game.root, "root", None)]
        while stack:
            node, table, probability = stack.pop()
            self.lines += ["", f"[{table}]"]
            if probability is not None:
                self.lines.append(
                    f"probability = {self.expression(probability, f'{table}.probability')}"
                )
            if node.payoffs is not None:
                self.lines.append(f"payoffs = {self.payoffs(node.payoffs, f'{table}.payoffs')}")
                continue
            if node.chance:
                self.lines.append("chance = true")
            else:
                self.lines.append(f"player = {_string(node.player or '')}")
            names = [move.name for move in node.moves]
            for move in node.moves:
                if not move.name.strip() or "/" in move.name or names.count(move.name) > 1:
                    raise GameFileError(
                        f"the move name {move.name!r} cannot be written: move names must be "
                        "non-empty, distinct at a node and without '/'",
                        field=f"{table}.moves",
                    )
            stack.extend(
                (move.node, f"{table}.moves.{_key(move.name)}", move.probability)
                for move in reversed(node.moves)
            )

    def signalling(self, game: SignallingGame) -> None:
        for sender_type in game.types:
            table = f"types.{_key(sender_type.name)}"
            prior = self.expression(sender_type.prior, f"{table}.prior")
            self.lines += ["", f"[{table}]", f"prior = {prior}", f"[{table}.payoffs]"]
            for message, row in zip(game.messages, sender_type.payoffs):
                cells = ", ".join(
                    f"{_key(response)} = "
                    + self.pair(pair, f"{table}.payoffs.{_key(message)}.{_key(response)}")
                    for response, pair in zip(game.responses, row)
                )
                self.lines.append(f"{_key(message)} = {{ {cells} }}")


def _array(names: Sequence[str]) -> str:
    return "[" + ", ".join(_string(name) for name in names) + "]"


def format_toml(game: Game, params: Binding | ParamValues | None = None) -> str:
    """The text of a game file (``docs/game-format.md``) for a game.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    params : Binding, or mapping of str to number or fraction string, optional
        Values that become the parameters' defaults (they must lie within the
        parameters' bounds); the other defaults stay.

    Returns
    -------
    str
        TOML text (UTF-8 when encoded), ``\\n`` line ends.

    Raises
    ------
    ParameterError
        If a value is unknown or out of bounds.
    GameFileError
        If the game cannot be written as a file that reads back the same (a
        tree built in Python with a move name that is empty, repeated at a
        node or contains ``/``).

    Examples
    --------
    >>> import credibility as cr
    >>> from credibility.io.toml_loader import parse_toml
    >>> game = cr.Bimatrix.from_arrays(
    ...     [[0, -1], [1, "-c"]], [[0, 1], [-1, "-c"]],
    ...     parameters=[cr.Parameter("c", Fraction(5), Fraction(0))], title="Chicken")
    >>> text = format_toml(game, {"c": "1/2"})
    >>> print(text)
    format = 1
    kind = "bimatrix"
    title = "Chicken"
    players = ["Row", "Column"]
    <BLANKLINE>
    [parameters.c]
    default = "1/2"
    min = 0
    <BLANKLINE>
    [strategies]
    Row = ["R1", "R2"]
    Column = ["C1", "C2"]
    <BLANKLINE>
    [payoffs]
    Row = [
        [0, -1],
        [1, "-c"],
    ]
    Column = [
        [0, 1],
        [-1, "-c"],
    ]
    <BLANKLINE>
    >>> parse_toml(text).A == game.A
    True
    """
    binding = params if isinstance(params, Binding) else game.bind(params)
    writer = _Writer(game)
    writer.header(game, binding.values)
    adapter_for(game).write_toml(writer, game)
    return "\n".join(writer.lines) + "\n"


def write_toml(
    game: Game, params: Binding | ParamValues | None, target: str | Path | TextIO
) -> None:
    """Write a game as a game file (see :func:`format_toml`), UTF-8 with ``\\n`` line ends.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    params : Binding, or mapping of str to number or fraction string, or None
        New defaults for some parameters.
    target : str, Path or text stream
        A file path, or an open text stream to write to.

    Examples
    --------
    >>> import io
    >>> import credibility as cr
    >>> from credibility.io.toml_loader import parse_toml
    >>> stream = io.StringIO()
    >>> write_toml(cr.load("tying_hands"), {"a": 3}, stream)
    >>> parse_toml(stream.getvalue()).parameters[1].default
    Fraction(3, 1)
    """
    text = format_toml(game, params)
    if isinstance(target, (str, Path)):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    else:
        target.write(text)
