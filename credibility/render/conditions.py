"""Expressions, conditions and sets of values as people write them, in text and in LaTeX.

sympy prints a region as ``(q <= 1) & (q > 1/9)``, a point as ``Eq(m, 0)`` and a
set as ``Interval(0, oo)``; a reader writes ``1/9 < q ≤ 1``, ``m = 0`` and
``m ≥ 0``. Every text and LaTeX renderer writes its expressions, conditions and
sets through this module, so one value reads the same wherever it appears (a
threshold and the regions it separates alike). JSON keeps sympy's machine form.

Expressions are put in one form before they are printed:

* a rational function is written as one fraction, numerator and denominator
  expanded, common factors cancelled: ``3/4 - c/4`` and ``-(c - 3)/4`` both read
  ``(3 - c)/4``;
* a denominator whose sign the parameters' bounds (and, inside a region, its
  conditions) decide is written positive: ``-e/(a - c)`` reads ``e/(c - a)``
  where ``c > a``;
* in a sum the terms with a plus sign come first: ``w - m``, not ``-m + w``.

An inequality is written with a parameter alone on one side where it can be:
the parameter whose thresholds are derived first, then the others in the order
the game declares them. Two bounds on one parameter make a chain
(``1/9 < q ≤ 1``); the parts of a conjunction are joined by "and", those of a
disjunction by "or".

Text uses ``≤``, ``≥`` and ``∞``; :data:`ASCII` writes ``<=``, ``>=`` and
``inf`` instead, for a terminal that cannot print them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from ..symbolic.feasibility import Linear, solvable
from ..symbolic.signs import SignOracle, Undecided, normalise
from .terminal import ASCII, UNICODE, Notation

__all__ = [
    "ASCII",
    "UNICODE",
    "Known",
    "Notation",
    "condition",
    "expression",
    "latex_assignment",
    "latex_condition",
    "latex_expression",
    "latex_values",
    "values",
]


#: Where a region holds for every value within the parameters' bounds.
ANYWHERE = "anywhere in the bounds"
#: A set of values that is empty.
NOWHERE = "nowhere"

_LOWER = {">": True, ">=": True, "<": False, "<=": False}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


@dataclass(frozen=True)
class Known:
    """What is known of the free parameters: their bounds and, inside a region, its conditions.

    Parameters
    ----------
    bounds : dict of sympy.Symbol to (low, high)
        Each free parameter's bounds (``-oo``/``oo`` where unbounded).
    order : tuple of str
        Parameter names, the one to solve inequalities for first.
    atoms : tuple of (sympy.Expr, str)
        Conditions ``atom > 0`` (``">"``) or ``atom >= 0`` (``">="``) known to hold.

    Examples
    --------
    >>> a, c, e = sympy.symbols("a c e")
    >>> box = {s: (sympy.Integer(0), sympy.oo) for s in (a, c, e)}
    >>> Known(box).sign(a - c) is None
    True
    >>> Known(box).within(e < c - a).sign(a - c)
    -1
    """

    bounds: dict[sympy.Symbol, tuple[Any, Any]] = field(default_factory=dict)
    order: tuple[str, ...] = ()
    atoms: tuple[tuple[sympy.Expr, str], ...] = ()

    @classmethod
    def of(cls, parameters: Iterable[Any], free: Sequence[str] = ()) -> Known:
        """The bounds of the parameters named in ``free`` (all if empty), in that order."""
        parameters = list(parameters)
        names = list(free) or [p.name for p in parameters]
        chosen = {p.name: p for p in parameters if p.name in names}
        bounds = {
            chosen[n].symbol: (
                sympy.Rational(chosen[n].minimum) if chosen[n].minimum is not None else -sympy.oo,
                sympy.Rational(chosen[n].maximum) if chosen[n].maximum is not None else sympy.oo,
            )
            for n in names
            if n in chosen
        }
        rest = [p.name for p in parameters if p.name not in names]
        return cls(bounds, (*names, *rest))

    def within(self, where: Any) -> Known:
        """The same, knowing also that ``where`` (a conjunction of inequalities) holds."""
        atoms = list(self.atoms)
        parts = where.args if isinstance(where, sympy.And) else (where,)
        for part in parts:
            if isinstance(part, sympy.Rel) and part.rel_op in _LOWER:
                difference = sympy.expand(part.lhs - part.rhs)
                atom = difference if _LOWER[part.rel_op] else -difference
                atoms.append((atom, ">" if part.rel_op in ("<", ">") else ">="))
        return Known(self.bounds, self.order, tuple(atoms))

    def sign(self, expr: Any) -> int | None:
        """1 or -1 where the bounds and conditions decide the sign of ``expr``, else None."""
        expr = sympy.expand(sympy.sympify(expr))
        if expr.is_number:
            return 1 if expr > 0 else -1 if expr < 0 else None
        bounds = dict(self.bounds)
        for symbol in expr.free_symbols:
            bounds.setdefault(symbol, (-sympy.oo, sympy.oo))  # type: ignore[index]
        assumed = {}
        for atom, relation in self.atoms:
            if relation == ">" and not atom.is_number:
                key, flip = normalise(atom)
                assumed[key] = flip
        try:
            return SignOracle(bounds, assumed)(expr) or None
        except (Undecided, TypeError, ValueError):
            pass
        for sign in (1, -1):
            if self._implied(sign * expr, bounds):
                return sign
        return None

    def _implied(self, expr: sympy.Expr, bounds: dict[Any, tuple[Any, Any]]) -> bool:
        """True if the bounds and the atoms (linear ones) imply ``expr > 0``."""
        atoms = [(a, r) for a, r in self.atoms if not a.is_number]
        if not atoms:
            return False
        symbols = sorted({s for a, _ in atoms for s in a.free_symbols} | expr.free_symbols, key=str)

        def row(atom: sympy.Expr, relation: str) -> Linear | None:
            try:
                poly = sympy.Poly(atom, *symbols)
            except sympy.PolynomialError:
                return None
            if poly.total_degree() > 1 or not all(c.is_number for c in poly.coeffs()):
                return None
            terms = {i: poly.coeff_monomial(s) for i, s in enumerate(symbols)}
            return Linear.of(len(symbols), terms, poly.coeff_monomial(1), relation)

        goal = row(-expr, ">=")
        if goal is None:
            return False
        rows = [goal]
        for index, symbol in enumerate(symbols):
            low, high = bounds.get(symbol, (-sympy.oo, sympy.oo))
            if low.is_finite:
                rows.append(Linear.of(len(symbols), {index: 1}, -low, ">="))
            if high.is_finite:
                rows.append(Linear.of(len(symbols), {index: -1}, high, ">="))
        rows += [r for r in (row(a, relation) for a, relation in atoms) if r is not None]
        return solvable(rows) is sympy.false

    def subject(self, symbols: Iterable[sympy.Symbol]) -> sympy.Symbol | None:
        """The symbol to solve for: the first in ``order``, else the first by name."""
        symbols = sorted(symbols, key=str)
        for name in self.order:
            for symbol in symbols:
                if symbol.name == name:
                    return symbol
        return symbols[0] if symbols else None


def _positive_first(terms: list[Any]) -> list[Any]:
    return [t for t in terms if not t.could_extract_minus_sign()] + [
        t for t in terms if t.could_extract_minus_sign()
    ]


class _Text(StrPrinter):
    """sympy's plain printer with the terms of a sum that carry a plus sign first."""

    def __init__(self, notation: Notation) -> None:
        super().__init__()
        self.notation = notation

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list[Any]:
        return _positive_first(super()._as_ordered_terms(expr, order=order))

    def _print_Infinity(self, expr: Any) -> str:
        return self.notation.infinity

    def _print_NegativeInfinity(self, expr: Any) -> str:
        return "-" + self.notation.infinity


class _Latex(LatexPrinter):
    """sympy's LaTeX printer with the terms of a sum that carry a plus sign first."""

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list[Any]:
        return _positive_first(super()._as_ordered_terms(expr, order=order))


def _fraction(expr: Any, known: Known | None) -> tuple[sympy.Expr, sympy.Expr]:
    """``expr`` as numerator and denominator, in the module's one form."""
    expr = sympy.sympify(expr)
    if expr.is_number or not expr.free_symbols:
        return expr, sympy.Integer(1)
    if not expr.is_rational_function(*expr.free_symbols):  # p**k, (v/(c + v))**(1/k): as is
        return expr, sympy.Integer(1)
    try:
        numerator, denominator = sympy.cancel(sympy.together(expr)).as_numer_denom()
    except (sympy.PolynomialError, NotImplementedError):  # pragma: no cover - defensive
        numerator, denominator = expr.as_numer_denom()
    numerator, denominator = sympy.expand(numerator), sympy.expand(denominator)
    if denominator.is_number:
        flip = denominator < 0
    else:
        sign = (known or Known()).sign(denominator)
        flip = sign == -1 if sign is not None else denominator.could_extract_minus_sign()
    if flip:
        numerator, denominator = sympy.expand(-numerator), sympy.expand(-denominator)
    return numerator, denominator


def expression(expr: Any, known: Known | None = None, notation: Notation = UNICODE) -> str:
    """``expr`` as text, in the module's one form.

    Examples
    --------
    >>> a, c, e, m, w = sympy.symbols("a c e m w")
    >>> expression(sympy.Rational(3, 4) - c / 4), expression(-(c - 3) / 4)
    ('(3 - c)/4', '(3 - c)/4')
    >>> expression(w - m)
    'w - m'
    >>> box = {s: (sympy.Integer(0), sympy.oo) for s in (a, c, e)}
    >>> expression(-e / (a - c), Known(box).within(e < c - a))
    'e/(c - a)'
    """
    printer = _Text(notation)
    numerator, denominator = _fraction(expr, known)
    top = printer.doprint(numerator)
    if denominator == 1:
        return top
    if isinstance(numerator, sympy.Add):
        top = f"({top})"
    bottom = printer.doprint(denominator)
    if isinstance(denominator, (sympy.Add, sympy.Mul)) or (
        denominator.is_Rational and not denominator.is_Integer
    ):
        bottom = f"({bottom})"
    return f"{top}/{bottom}"


def latex_expression(expr: Any, known: Known | None = None) -> str:
    r"""``expr`` in LaTeX, in the module's one form.

    Examples
    --------
    >>> c = sympy.Symbol("c")
    >>> latex_expression(sympy.Rational(3, 4) - c / 4)
    '\\frac{3 - c}{4}'
    """
    printer = _Latex()
    numerator, denominator = _fraction(expr, known)
    if numerator.is_Rational and not numerator.is_Integer:
        numerator, denominator = sympy.Integer(numerator.p), sympy.Integer(numerator.q)
    if denominator == 1:
        return printer.doprint(numerator)
    top = printer.doprint(numerator)
    sign = ""
    if numerator.could_extract_minus_sign() and not isinstance(numerator, sympy.Add):
        sign, top = "-", printer.doprint(-numerator)
    return f"{sign}\\frac{{{top}}}{{{printer.doprint(denominator)}}}"


class _Writer:
    """Relations, conjunctions and disjunctions in text."""

    def __init__(self, notation: Notation) -> None:
        self.notation = notation

    def expr(self, value: Any, known: Known | None) -> str:
        return expression(value, known, self.notation)

    def side(self, value: Any, known: Known | None) -> str:
        """One side of a relation: a product of sums stays a product (``b*(c + v) > v``)."""
        if not isinstance(value, sympy.Mul) or not any(f.is_Add for f in value.args):
            return self.expr(value, known)
        factors = sorted(value.args, key=lambda f: (not f.is_number, f.is_Add, str(f)))
        shown = [
            self.group(self.expr(f, known)) if f.is_Add else self.expr(f, known) for f in factors
        ]
        if factors[0] == -1:
            return "-" + self.times.join(shown[1:])
        return self.times.join(shown)

    times = "*"

    def op(self, op: str) -> str:
        return {"<=": self.notation.le, ">=": self.notation.ge, "==": "="}.get(op, op)

    def word(self, word: str) -> str:
        return f" {word} "

    def group(self, text: str) -> str:
        return f"({text})"

    def phrase(self, text: str) -> str:
        return text


class _LatexWriter(_Writer):
    def __init__(self) -> None:
        super().__init__(UNICODE)

    def expr(self, value: Any, known: Known | None) -> str:
        if value in (sympy.oo, -sympy.oo):
            return "-\\infty" if value == -sympy.oo else "\\infty"
        return latex_expression(value, known)

    def op(self, op: str) -> str:
        return {"<=": r"\le", ">=": r"\ge", "==": "=", "!=": r"\ne"}.get(op, op)

    def word(self, word: str) -> str:
        return f" \\text{{ {word} }} "

    def group(self, text: str) -> str:
        return f"({text})"  # not \left(...\right), which TeX cannot break across lines

    times = " "

    def phrase(self, text: str) -> str:
        return f"\\text{{{text}}}"


class _LatexTextWriter(_LatexWriter):
    """Words between math: ``$a$ and $b$``, which a paragraph column can break."""

    def word(self, word: str) -> str:
        return f"$ {word} $"


def _oriented(relation: Any, known: Known) -> tuple[sympy.Expr, str, sympy.Expr]:
    """``(left, op, right)`` with a parameter alone on the left where one can be."""
    op = relation.rel_op
    lhs, rhs = relation.lhs, relation.rhs
    if isinstance(lhs, sympy.Symbol):
        return lhs, op, rhs
    if isinstance(rhs, sympy.Symbol):
        return rhs, _FLIP[op], lhs
    difference = sympy.expand(lhs - rhs)
    subject = known.subject(difference.free_symbols)
    if subject is None:
        return lhs, op, rhs
    terms = sympy.Add.make_args(difference)
    left = sympy.Add(*(t for t in terms if subject in t.free_symbols))
    right = -sympy.Add(*(t for t in terms if subject not in t.free_symbols))
    if left.could_extract_minus_sign():
        left, right, op = -left, -right, _FLIP[op]
    left = sympy.factor_terms(left)
    if isinstance(left, sympy.Mul):
        factor = sympy.Mul(*(f for f in left.args if subject not in f.free_symbols))
        if factor != 1:
            sign = known.sign(factor)
            if sign is not None:
                left, right = (
                    sympy.Mul(*(f for f in left.args if subject in f.free_symbols)),
                    (right / factor),
                )
                op = op if sign > 0 else _FLIP[op]
    return left, op, right


def _condition(where: Any, known: Known, writer: _Writer, nested: bool = False) -> str:
    if where is sympy.true or where is True:
        return writer.phrase(ANYWHERE)
    if where is sympy.false or where is False:
        return writer.phrase(NOWHERE)
    if isinstance(where, sympy.Or):
        text = writer.word("or").join(
            _condition(part, known, writer, nested=True) for part in _ordered(where.args, known)
        )
        return writer.group(text) if nested else text
    if isinstance(where, sympy.And):
        text = writer.word("and").join(_conjunction(where.args, known, writer))
        return writer.group(text) if nested else text
    if isinstance(where, sympy.Rel):
        left, op, right = _oriented(where, known)
        return f"{writer.side(left, known)} {writer.op(op)} {writer.expr(right, known)}"
    return str(where)  # pragma: no cover - conditions are relations, And and Or


def _ordered(parts: Iterable[Any], known: Known) -> list[Any]:
    """Conditions in the order of the parameters they bound (the chosen one first)."""

    def key(part: Any) -> tuple[int, int, str]:
        subject = known.subject(part.free_symbols)
        name = subject.name if subject is not None else ""
        rank = known.order.index(name) if name in known.order else len(known.order)
        size = len(part.args) if isinstance(part, (sympy.And, sympy.Or)) else 1
        return rank, size, str(part)

    return sorted(parts, key=key)


def _conjunction(parts: Sequence[Any], known: Known, writer: _Writer) -> list[str]:
    """The parts of an ``And``; a lower and an upper bound on one parameter make a chain."""
    oriented: list[tuple[Any, tuple[sympy.Expr, str, sympy.Expr] | None]] = []
    for part in _ordered(parts, known):
        relation = _oriented(part, known) if isinstance(part, sympy.Rel) else None
        oriented.append((part, relation))
    bounds: dict[sympy.Expr, dict[bool, list[int]]] = {}
    for index, (_, relation) in enumerate(oriented):
        if relation is not None and relation[1] in _LOWER and relation[0].free_symbols:
            bounds.setdefault(relation[0], {True: [], False: []})[_LOWER[relation[1]]].append(index)
    chained: dict[int, str] = {}
    skipped: set[int] = set()
    for subject, sides in bounds.items():
        if len(sides[True]) == 1 and len(sides[False]) == 1:
            low, high = oriented[sides[True][0]][1], oriented[sides[False][0]][1]
            assert low is not None and high is not None
            first = min(sides[True][0], sides[False][0])
            chained[first] = (
                f"{writer.expr(low[2], known)} {writer.op(_FLIP[low[1]])} "
                f"{writer.side(subject, known)} {writer.op(high[1])} {writer.expr(high[2], known)}"
            )
            skipped.add(max(sides[True][0], sides[False][0]))
    texts = []
    for index, (part, _) in enumerate(oriented):
        if index in chained:
            texts.append(chained[index])
        elif index not in skipped:
            texts.append(_condition(part, known, writer, nested=True))
    return texts


def condition(where: Any, known: Known | None = None, notation: Notation = UNICODE) -> str:
    """A condition (relations joined by ``&`` and ``|``) as people write it.

    Parameters
    ----------
    where : sympy.Boolean
    known : Known, optional
        The parameters' bounds and order (which parameter to solve for first).
    notation : Notation
        :data:`UNICODE` (default) or :data:`ASCII`.

    Examples
    --------
    >>> q, m, c = sympy.symbols("q m c")
    >>> condition((q <= 1) & (q > sympy.Rational(1, 9)))
    '1/9 < q ≤ 1'
    >>> condition(sympy.Eq(m, 0)), condition(sympy.true)
    ('m = 0', 'anywhere in the bounds')
    >>> condition((m > 1) | ((q > c) & (m < 0)), Known(order=("m", "q")), ASCII)
    'm > 1 or (m < 0 and q > c)'
    """
    return _condition(where, known or Known(), _Writer(notation))


def latex_condition(where: Any, known: Known | None = None, text: bool = False) -> str:
    r"""A condition in LaTeX math (``amsmath`` for ``\text``), written as :func:`condition` does.

    With ``text``, the result is text with the relations in math mode
    (``$a > 1$ and $b < 2$``), which TeX can break at the words.

    Examples
    --------
    >>> q, m = sympy.symbols("q m")
    >>> latex_condition((q <= 1) & (q > sympy.Rational(1, 9)))
    '\\frac{1}{9} < q \\le 1'
    >>> latex_condition(sympy.true)
    '\\text{anywhere in the bounds}'
    >>> latex_condition((q > 1) & (m > 0), Known(order=("q", "m")), text=True)
    '$q > 1$ and $m > 0$'
    """
    if text:
        return f"${_condition(where, known or Known(), _LatexTextWriter())}$"
    return _condition(where, known or Known(), _LatexWriter())


def _values(values: sympy.Set, name: str, writer: _Writer) -> str:
    symbol = sympy.Symbol(name)
    if values.is_empty:
        return writer.phrase(NOWHERE)
    if isinstance(values, sympy.Union):
        return writer.word("or").join(_values(part, name, writer) for part in values.args)
    if isinstance(values, sympy.FiniteSet):
        return writer.word("or").join(
            f"{writer.expr(symbol, None)} = {writer.expr(v, None)}" for v in values
        )
    if isinstance(values, sympy.Interval):
        x = writer.expr(symbol, None)
        low, high = values.start, values.end
        below = writer.op("<" if values.left_open else "<=")
        above = writer.op("<" if values.right_open else "<=")
        if low.is_infinite and high.is_infinite:
            return writer.phrase(ANYWHERE)
        if low.is_infinite:
            return f"{x} {above} {writer.expr(high, None)}"
        if high.is_infinite:
            return f"{x} {writer.op('>' if values.left_open else '>=')} {writer.expr(low, None)}"
        return f"{writer.expr(low, None)} {below} {x} {above} {writer.expr(high, None)}"
    return str(values)  # pragma: no cover - existence sets are unions of intervals and points


def values(values: sympy.Set, name: str, notation: Notation = UNICODE) -> str:
    """A set of values of parameter ``name`` as inequalities.

    Examples
    --------
    >>> values(sympy.Interval(0, sympy.oo), "m"), values(sympy.Interval(1, 3), "m")
    ('m ≥ 0', '1 ≤ m ≤ 3')
    >>> values(sympy.Union(sympy.Interval(0, 1), sympy.FiniteSet(3)), "m", ASCII)
    '0 <= m <= 1 or m = 3'
    >>> values(sympy.EmptySet, "m")
    'nowhere'
    """
    return _values(values, name, _Writer(notation))


def latex_values(values: sympy.Set, name: str) -> str:
    r"""A set of values of parameter ``name`` as LaTeX inequalities.

    Examples
    --------
    >>> latex_values(sympy.Interval.Lopen(0, 1), "q")
    '0 < q \\le 1'
    """
    return _values(values, name, _LatexWriter())


def latex_assignment(name: str, value: Any) -> str:
    r"""``name = value`` in LaTeX math, for the parameter values a LaTeX output states.

    Examples
    --------
    >>> from fractions import Fraction
    >>> latex_assignment("c_row", Fraction(-3, 10))
    '$c_{row} = -\\frac{3}{10}$'
    """
    number = sympy.Rational(value) if not isinstance(value, float) else sympy.Float(value)
    return f"${sympy.latex(sympy.Symbol(name))} = {latex_expression(number)}$"
