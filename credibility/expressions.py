"""Whitelisted arithmetic expressions: text to sympy, and sympy to exact numbers.

The grammar is that of ``docs/game-format.md``: numbers (decimal literals are exact,
``0.1`` is 1/10), parameter names, ``+ - * / **``, unary minus, parentheses and
the functions ``min``, ``max`` and ``abs``. The text is parsed into a syntax
tree by :mod:`ast` (which never runs it) and every node is checked against the
whitelist before a sympy expression is built from it. Nothing is ever passed
to ``eval``, ``exec`` or ``sympify``.

Powers are guarded: a power of two numbers is computed only when the result is
of a reasonable size, so ``9**9**9**9`` is rejected instead of hanging.
"""

from __future__ import annotations

import ast
import math
import re
import sys
from abc import abstractmethod
from collections.abc import Container, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from .errors import ExpressionError

if TYPE_CHECKING:
    import sympy

__all__ = [
    "FUNCTIONS",
    "FUNCTION_NAMES",
    "MAX_DIGITS",
    "LazySymbols",
    "LinearForm",
    "evaluate",
    "format_number",
    "format_set",
    "linear_form",
    "parse_expression",
    "parse_number",
]

#: The names of the functions allowed in expressions.
FUNCTION_NAMES = ("min", "max", "abs")

if TYPE_CHECKING:
    #: Function names allowed in expressions, mapped to their sympy counterparts.
    FUNCTIONS: dict[str, object]


def __getattr__(name: str) -> object:
    # lazy: start-up time (PEP 562: FUNCTIONS holds sympy's functions; sympy takes 0.4 s to load)
    if name == "FUNCTIONS":
        return _functions()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _functions() -> dict[str, object]:
    import sympy  # lazy: start-up time

    return {"min": sympy.Min, "max": sympy.Max, "abs": sympy.Abs}


_MAX_LENGTH = 2000
_MAX_EXPONENT = 1000
#: The most decimal digits a number may have: as written, and in the numerator
#: and in the denominator of its exact value (a power such as ``10**2000``
#: included). Python refuses to print integers of more than 4,300 digits.
MAX_DIGITS = 1000
_MAX_RESULT_DIGITS = MAX_DIGITS
_LOG10_2 = math.log10(2)

_BINARY = {ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow}


_EXPONENT = re.compile(r"[eE]\s*([+-]?[0-9_]+)")


def _short(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}...{text[-10:]}"


def _too_many_digits(text: str) -> ExpressionError:
    return ExpressionError(
        f"'{_short(text)}' has more than {MAX_DIGITS} digits (the limit for a number)"
    )


def _check_exponent(text: str) -> None:
    """Refuse literals such as ``1e99999999`` or 5,000 digits whose exact value is too large."""
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        raise _too_many_digits(text)
    for match in _EXPONENT.finditer(text):
        digits = match.group(1).replace("_", "")
        if len(digits.lstrip("+-")) > 6 or abs(int(digits)) > _MAX_RESULT_DIGITS:
            raise ExpressionError(
                f"'{_short(text)}' is too large to compute "
                f"(more than {MAX_DIGITS} digits, the limit for a number)"
            )


def _digits(value: int) -> int:
    """An upper bound on the number of decimal digits of ``value`` (no string conversion)."""
    return int(abs(value).bit_length() * _LOG10_2) + 1


def _check_digits(value: Fraction, text: str | None = None) -> Fraction:
    """Return ``value`` unless its numerator or denominator has more than MAX_DIGITS digits."""
    digits = max(_digits(value.numerator), _digits(value.denominator))
    if digits > MAX_DIGITS:
        if text is None:
            raise ExpressionError(
                f"a number of about {digits} digits is longer than the limit of "
                f"{MAX_DIGITS} digits for a number"
            )
        raise _too_many_digits(text)
    return value


def _fraction_from_literal(text: str, value: object) -> Fraction:
    """The exact value of a number literal written ``text`` (its source segment)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ExpressionError(f"'{text}' is not a number")
    _check_exponent(text)
    try:
        exact = Fraction(text.replace("_", ""))
    except (ValueError, ZeroDivisionError):
        exact = Fraction(value)
    return _check_digits(exact, text)


def _number_from_literal(text: str, value: object) -> sympy.Rational:
    return _rational(_fraction_from_literal(text, value))


def _check_power(base: sympy.Expr, exponent: sympy.Expr, text: str) -> None:
    """Refuse powers whose value would be too large to compute."""
    if not exponent.is_number:
        return
    if not exponent.is_Rational:
        raise ExpressionError(f"the exponent in '{text}' must be a rational number")
    if abs(exponent) > _MAX_EXPONENT:
        raise ExpressionError(
            f"the exponent in '{text}' is too large (at most {_MAX_EXPONENT} in absolute value)"
        )
    if base.is_Rational and base != 0:
        size = max(abs(base.p), abs(base.q))
        if math.log10(size) * abs(exponent) > _MAX_RESULT_DIGITS:
            raise ExpressionError(f"'{text}' is too large to compute")


class _Builder:
    def __init__(self, text: str, symbols: Mapping[str, sympy.Symbol]):
        self.text = text
        self.symbols = symbols

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or self.text

    def build(self, node: ast.AST) -> sympy.Expr:
        if isinstance(node, ast.Expression):
            return self.build(node.body)
        if isinstance(node, ast.Constant):
            return _number_from_literal(self.segment(node), node.value)
        if isinstance(node, ast.Name):
            written = self.segment(node)
            if written != node.id:  # Python's parser applied NFKC: '𝐩' reads as 'p'
                raise ExpressionError(
                    f"'{written}' would be read as '{node.id}' (NFKC normalisation); "
                    f"write '{node.id}'"
                )
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.build(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return self.binary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise ExpressionError(
            f"'{self.segment(node)}' is not allowed in an expression "
            "(numbers, parameter names, + - * / **, parentheses, min, max, abs)"
        )

    def name(self, name: str) -> sympy.Expr:
        if name in self.symbols:
            return self.symbols[name]
        declared = ", ".join(sorted(self.symbols)) or "none"
        raise ExpressionError(f"unknown name '{name}' (declared parameters: {declared})")

    def binary(self, node: ast.BinOp) -> sympy.Expr:
        left = self.build(node.left)
        right = self.build(node.right)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            if right == 0:
                raise ExpressionError(f"division by zero in '{self.segment(node)}'")
            return left / right
        _check_power(left, right, self.segment(node))
        if left == 0 and right.is_number and right < 0:
            raise ExpressionError(f"division by zero in '{self.segment(node)}'")
        if left.is_number and right.is_number and left < 0 and not right.is_integer:
            raise ExpressionError(
                f"'{self.segment(node)}' is not a real number (a negative number to a "
                "fractional power)"
            )
        return left**right

    def call(self, node: ast.Call) -> sympy.Expr:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTION_NAMES:
            raise ExpressionError(
                f"'{self.segment(node.func)}' is not an allowed function (min, max, abs)"
            )
        if node.keywords:
            raise ExpressionError(f"keyword arguments are not allowed in '{self.segment(node)}'")
        args = [self.build(arg) for arg in node.args]
        name = node.func.id
        if name == "abs" and len(args) != 1:
            raise ExpressionError(f"abs takes exactly one argument in '{self.segment(node)}'")
        if name in ("min", "max") and len(args) < 1:
            raise ExpressionError(f"{name} needs at least one argument in '{self.segment(node)}'")
        return _functions()[name](*args)  # type: ignore[operator]


def parse_expression(
    text: str | int | float | Decimal | Fraction,
    symbols: Mapping[str, sympy.Symbol] | None = None,
) -> sympy.Expr:
    """Parse a whitelisted arithmetic expression into a sympy expression.

    Parameters
    ----------
    text : str, int, float, Decimal or Fraction
        The expression. Numbers are taken exactly: a float is read through its
        shortest decimal representation, so ``0.1`` is 1/10.
    symbols : mapping of str to sympy.Symbol, optional
        The parameter names the expression may use.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ExpressionError
        If the text is not in the grammar, names an unknown parameter, or asks
        for a number too large to compute.

    Examples
    --------
    >>> import sympy
    >>> c = sympy.Symbol("c", positive=True)
    >>> parse_expression("-c + 0.1", {"c": c})
    1/10 - c
    >>> parse_expression("__import__('os')")
    Traceback (most recent call last):
    ...
    credibility.errors.ExpressionError: '__import__' is not an allowed function (min, max, abs)

    Given :class:`LazySymbols` (a game's parameters, from
    :func:`credibility.models.common.symbols_of`), the result may be a stand-in
    for the sympy expression, built without sympy while sympy is not loaded
    (see :mod:`credibility.deferred`).
    """
    if isinstance(symbols, LazySymbols):
        deferred = symbols.defer(text)
        if deferred is not None:
            return deferred
    import sympy  # lazy: start-up time

    symbols = symbols or {}
    if isinstance(text, bool):
        raise ExpressionError(f"expected a number or an expression, got {text!r}")
    if isinstance(text, (int, float, Decimal, Fraction)):
        return _rational(parse_number(text))
    if not isinstance(text, str):
        raise ExpressionError(f"expected a number or an expression, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise ExpressionError("expected an expression, got an empty string")
    if len(stripped) > _MAX_LENGTH:
        raise ExpressionError(f"expression longer than {_MAX_LENGTH} characters")
    try:
        tree = ast.parse(stripped, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ExpressionError(f"'{stripped}' is not a valid expression") from None
    try:
        expr = _Builder(stripped, symbols).build(tree)
    except RecursionError:
        raise ExpressionError(f"'{stripped[:40]}...' is nested too deeply") from None
    if expr.has(sympy.zoo, sympy.oo, sympy.nan):
        raise ExpressionError(f"'{stripped}' is not a finite number")
    for atom in expr.atoms(sympy.Rational):  # products of large powers
        _check_digits(Fraction(int(atom.p), int(atom.q)), stripped)
    return expr


class LazySymbols(Mapping[str, "sympy.Symbol"]):
    """Names to sympy symbols, built when looked up, that may parse an expression without sympy.

    :func:`parse_expression` offers its text to :meth:`defer` first: a result
    other than None stands for the sympy expression :func:`parse_expression`
    builds from the same text and symbols (an expression it would refuse is
    never deferred).
    """

    @abstractmethod
    def defer(self, text: object) -> sympy.Expr | None:
        """A stand-in for the expression ``text``, or None to parse it into sympy at once."""


class LinearForm(NamedTuple):
    """``constant + sum(coefficient * name for name, coefficient in terms)``, exactly.

    The terms are sorted by name, and no coefficient is zero.
    """

    constant: Fraction
    terms: tuple[tuple[str, Fraction], ...]

    def value(self, values: Mapping[str, Fraction]) -> Fraction:
        """The value at ``values``, a number for every name of a term."""
        total = self.constant
        for name, coefficient in self.terms:
            if name not in values:
                raise ExpressionError(f"no value given for parameter '{name}'")
            total += coefficient * values[name]
        return total


_Form = tuple[Fraction, dict[str, Fraction]]
#: How deeply :func:`linear_form` follows a text's operations; deeper ones are parsed by
#: :func:`parse_expression`, which refuses a text nested too deeply for Python's stack.
_LINEAR_DEPTH = 100


def linear_form(text: object, names: Container[str]) -> LinearForm | None:
    """The exact linear form of an expression, read without sympy; None outside the fragment.

    The linear fragment: numbers, the parameter ``names``, ``+`` and ``-``
    (binary and unary), ``*`` with a constant on one side, and ``/`` by a
    constant other than zero; a constant is a subexpression whose terms cancel
    (``c - c + 2``). :func:`parse_expression` accepts every text of the
    fragment and builds this form: sympy collects the terms of a sum and
    distributes a number over a sum as it builds it, so its result is
    ``constant + sum(coefficient * symbol)`` with these very numbers. None for
    any other text, for one :func:`parse_expression` refuses (a number too
    large, say), so that it raises its own error, and for one nested more than
    100 operations deep.

    Examples
    --------
    >>> linear_form("2*(v - d)/4 + 1", {"v", "d"})
    LinearForm(constant=Fraction(1, 1), terms=(('d', Fraction(-1, 2)), ('v', Fraction(1, 2))))
    >>> [linear_form(text, {"v"}) for text in ("v * v", "1 / (v - v)", "u", "v**2")]
    [None, None, None, None]
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float, Decimal, Fraction)):
        try:
            return LinearForm(parse_number(text), ())
        except ExpressionError:
            return None
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    if not stripped or len(stripped) > _MAX_LENGTH:
        return None
    try:
        form = _linear(stripped, ast.parse(stripped, mode="eval").body, names)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # ExpressionError included
        return None
    if form is None:
        return None
    constant, coefficients = form
    for number in (constant, *coefficients.values()):  # the atoms parse_expression checks
        if max(_digits(number.numerator), _digits(number.denominator)) > MAX_DIGITS:
            return None
    return LinearForm(constant, tuple(sorted(coefficients.items())))


def _linear(text: str, node: ast.AST, names: Container[str], depth: int = 0) -> _Form | None:
    """The linear form of ``node``, or None (see :func:`linear_form`); raises on a bad number."""
    if depth > _LINEAR_DEPTH:
        return None
    if isinstance(node, ast.Constant):
        segment = ast.get_source_segment(text, node) or text  # as _Builder.segment reads it
        return _fraction_from_literal(segment, node.value), {}
    if isinstance(node, ast.Name):
        written = ast.get_source_segment(text, node) or text
        if written != node.id or node.id not in names:
            return None
        return Fraction(0), {node.id: Fraction(1)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _linear(text, node.operand, names, depth + 1)
        if operand is None or isinstance(node.op, ast.UAdd):
            return operand
        return _scaled(operand, Fraction(-1))
    if not isinstance(node, ast.BinOp) or type(node.op) not in _BINARY - {ast.Pow}:
        return None
    left = _linear(text, node.left, names, depth + 1)
    right = None if left is None else _linear(text, node.right, names, depth + 1)
    if left is None or right is None:
        return None
    if isinstance(node.op, (ast.Add, ast.Sub)):
        sign = 1 if isinstance(node.op, ast.Add) else -1
        coefficients = dict(left[1])
        for name, coefficient in right[1].items():
            coefficients[name] = coefficients.get(name, Fraction(0)) + sign * coefficient
        return left[0] + sign * right[0], {n: k for n, k in coefficients.items() if k}
    if isinstance(node.op, ast.Mult):
        if not left[1]:
            return _scaled(right, left[0])
        return _scaled(left, right[0]) if not right[1] else None
    if right[1] or right[0] == 0:  # division by something other than a constant, or by zero
        return None
    return _scaled(left, 1 / right[0])


def _scaled(form: _Form, factor: Fraction) -> _Form:
    if not factor:
        return Fraction(0), {}
    return form[0] * factor, {name: k * factor for name, k in form[1].items()}


def _rational(value: Fraction) -> sympy.Rational:
    import sympy  # lazy: start-up time

    return sympy.Rational(value.numerator, value.denominator)


def parse_number(value: object) -> Fraction:
    """Read a number exactly: an int, a finite float or Decimal, or a fraction string.

    Parameters
    ----------
    value : int, float, Decimal, Fraction or str
        A string may be an integer, a decimal (``"0.25"``) or a fraction
        (``"1/3"``), never an expression.

    Returns
    -------
    fractions.Fraction

    Raises
    ------
    ExpressionError
        If the value is not a finite number.

    Examples
    --------
    >>> parse_number("1/3")
    Fraction(1, 3)
    >>> parse_number(0.1)
    Fraction(1, 10)
    """
    if isinstance(value, bool):
        raise ExpressionError(f"expected a number, got {value!r}")
    if isinstance(value, Fraction):
        return _check_digits(value)
    if isinstance(value, int):
        return _check_digits(Fraction(value))
    numpy = sys.modules.get("numpy")  # lazy: start-up time (a numpy scalar means numpy is loaded)
    if numpy is not None and isinstance(value, numpy.integer):
        return Fraction(int(value))
    if numpy is not None and isinstance(value, numpy.floating):
        value = float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExpressionError(f"expected a finite number, got {value!r}")
        return Fraction(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ExpressionError(f"expected a finite number, got {value}")
        if abs(value.adjusted()) > _MAX_RESULT_DIGITS:
            raise ExpressionError(f"'{_short(str(value))}' is too large to compute")
        if len(value.as_tuple().digits) > MAX_DIGITS:
            raise _too_many_digits(str(value))
        return _check_digits(Fraction(value), str(value))
    if isinstance(value, str):
        text = value.strip()
        _check_exponent(text)
        try:
            if text.lower().lstrip("+-") in ("inf", "infinity", "nan"):
                raise ValueError
            return _check_digits(Fraction(text), text)
        except (ValueError, ZeroDivisionError):
            raise ExpressionError(
                f"expected a number or a fraction such as 1/3, got '{value}'"
            ) from None
    raise ExpressionError(f"expected a number, got {type(value).__name__}")


def evaluate(expr: sympy.Expr, values: Mapping[sympy.Symbol, Fraction]) -> Fraction:
    """Evaluate an expression built by :func:`parse_expression` exactly.

    Parameters
    ----------
    expr : sympy.Expr
        An expression over the symbols in ``values``.
    values : mapping of sympy.Symbol to Fraction
        A value for every free symbol.

    Returns
    -------
    fractions.Fraction

    Raises
    ------
    ExpressionError
        On division by zero, a missing value, or a power too large to compute.

    Examples
    --------
    >>> import sympy
    >>> p = sympy.Symbol("p")
    >>> evaluate(parse_expression("max(p, 1 - p) / 2", {"p": p}), {p: Fraction(1, 3)})
    Fraction(1, 3)
    """
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    if expr.is_Symbol:
        try:
            return values[expr]
        except KeyError:
            raise ExpressionError(f"no value given for parameter '{expr}'") from None
    args = [evaluate(arg, values) for arg in expr.args]
    if expr.is_Add:
        return sum(args, Fraction(0))
    if expr.is_Mul:
        result = Fraction(1)
        for arg in args:
            result *= arg
        return result
    if expr.is_Pow:
        base, exponent = args
        return _power(base, exponent, expr)
    import sympy  # lazy: start-up time

    if isinstance(expr, sympy.Min):
        return min(args)
    if isinstance(expr, sympy.Max):
        return max(args)
    if isinstance(expr, sympy.Abs):
        return abs(args[0])
    raise ExpressionError(f"cannot evaluate '{expr}' exactly")


def _power(base: Fraction, exponent: Fraction, expr: sympy.Expr) -> Fraction:
    if exponent.denominator != 1:
        root = _exact_root(base, exponent.denominator)
        if root is None:
            raise ExpressionError(f"'{expr}' is not rational at these parameter values")
        base, exponent = root, Fraction(exponent.numerator)
    if base == 1 or (base == 0 and exponent > 0):
        return base
    if abs(exponent) > _MAX_EXPONENT:
        raise ExpressionError(f"the exponent of '{expr}' is too large at these parameter values")
    if base == 0 and exponent < 0:
        raise ExpressionError(f"division by zero in '{expr}' at these parameter values")
    size = max(_digits(base.numerator), _digits(base.denominator)) - 1
    if size * abs(exponent) > MAX_DIGITS:
        raise ExpressionError(
            f"'{expr}' has more than {MAX_DIGITS} digits at these parameter values "
            "(the limit for a number)"
        )
    return base ** int(exponent)


def _exact_root(value: Fraction, degree: int) -> Fraction | None:
    if value < 0:
        return None
    if degree >= max(value.numerator.bit_length(), value.denominator.bit_length()):
        # Any root n/d other than 0 or 1 has n or d >= 2, whose power has >= degree bits.
        return value if value in (0, 1) else None
    num = round(value.numerator ** (1 / degree))
    den = round(value.denominator ** (1 / degree))
    for n in (num - 1, num, num + 1):
        for d in (den - 1, den, den + 1):
            if n >= 0 and d > 0 and Fraction(n, d) ** degree == value:
                return Fraction(n, d)
    return None


def format_number(value: Fraction | float, exact: bool = True) -> str:
    """Format a number the way the JSON contract wants it.

    Exact values print as ``"4/5"``, ``"-1"`` or ``"0"``; floats print with
    enough digits to round-trip.

    Examples
    --------
    >>> format_number(Fraction(4, 5))
    '4/5'
    >>> format_number(0.8, exact=False)
    '0.8'
    """
    if exact and isinstance(value, Fraction):
        return str(value)
    number = float(value)
    if number == 0:
        return "0"
    return repr(number)


def format_set(values: sympy.Set) -> str:
    """A set of real numbers in interval notation.

    Examples
    --------
    >>> import sympy
    >>> format_set(sympy.Union(sympy.Interval.Ropen(0, 1), sympy.FiniteSet(3)))
    '[0, 1) or {3}'
    >>> format_set(sympy.Interval(sympy.Rational(1, 3), sympy.oo)), format_set(sympy.EmptySet)
    ('[1/3, oo)', 'nowhere')
    """
    import sympy  # lazy: start-up time

    if values.is_empty:
        return "nowhere"
    if isinstance(values, sympy.Union):
        return " or ".join(format_set(part) for part in values.args)
    if isinstance(values, sympy.Interval):
        left = "(" if values.left_open or values.start.is_infinite else "["
        right = ")" if values.right_open or values.end.is_infinite else "]"
        return f"{left}{values.start}, {values.end}{right}"
    return str(values)
