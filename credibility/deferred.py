"""A game's expressions kept from sympy until sympy is loaded, for start-up time (issue 17).

Importing sympy takes about 0.4 s, several times what loading a catalog game and describing
it (``credibility show``) take without it. So while sympy is not loaded, a game's payoffs,
probabilities and priors written in the *linear fragment* (numbers, parameters, ``+``, ``-``,
multiples: :func:`~credibility.expressions.linear_form`) are read without it, into a
:class:`DeferredExpression`: the text, the game's parameter symbols and the exact linear
form. Every other expression is parsed into sympy at once, as before.

A deferred expression stays out of the way of the code that uses sympy:

- It is accepted and refused exactly where :func:`~credibility.expressions.parse_expression`
  accepts and refuses its text: a text outside the fragment, or one it refuses, is not
  deferred, so the errors are the same and come at load time as before.
- Its sympy expression is :func:`~credibility.expressions.parse_expression`'s own: the text
  parsed again with the same symbols, when first needed.
- A model field holds one only while sympy is not loaded (:func:`defer_fields`): once sympy
  is loaded, reading the field gives the sympy expressions, and nothing more is deferred.
  Code that uses sympy imports it first, so it only ever sees sympy expressions.
- Without sympy it evaluates exactly (:meth:`DeferredExpression.exact_value`, which binding
  uses) and prints as sympy does when that is plain: a number, ``c`` or ``-c``. Anything else
  builds the sympy expression first, and answers as it: ``str`` of a sum, ``==``, ``hash``,
  arithmetic and sympy's attributes (``free_symbols``, ``subs``...); ``sympify`` takes it
  too. So even a stand-in kept from before sympy was loaded works as the expression.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

from .expressions import LazySymbols, LinearForm, linear_form, parse_expression

if TYPE_CHECKING:
    import sympy

    from .parameters import Parameter

__all__ = ["DeferredExpression", "ParameterSymbols", "defer_fields"]


class DeferredExpression:
    """Stands for the sympy expression of ``text`` over ``symbols`` until it is needed.

    Parameters
    ----------
    text : str or number
        What was given to :func:`~credibility.expressions.parse_expression`.
    symbols : mapping of str to sympy.Symbol
        The symbols to parse it with.
    form : LinearForm
        Its exact linear form, from :func:`~credibility.expressions.linear_form`.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from credibility import Parameter
    >>> from credibility.expressions import linear_form
    >>> c = Parameter("c", Fraction(5))
    >>> cost = DeferredExpression("-c", ParameterSymbols([c]), linear_form("-c", {"c"}))
    >>> cost, cost.exact_value({"c": Fraction(2)}), cost - 1, cost.free_symbols
    (-c, Fraction(-2, 1), -c - 1, {c})
    """

    __slots__ = ("_expr", "_form", "_symbols", "_text")

    def __init__(self, text: object, symbols: Mapping[str, sympy.Symbol], form: LinearForm):
        self._text = text
        self._symbols = symbols
        self._form = form
        self._expr: sympy.Expr | None = None

    def _sympy_(self) -> sympy.Expr:
        """The sympy expression (``sympify`` calls this method), built on the first call."""
        if self._expr is None:
            self._expr = parse_expression(self._text, dict(self._symbols))  # type: ignore[arg-type]
        return self._expr

    def exact_value(self, values: Mapping[str, Fraction]) -> Fraction:
        """The exact value when the parameters take ``values`` (by name), without sympy."""
        return self._form.value(values)

    @property
    def plain(self) -> bool:
        """True for a number, ``c`` or ``-c``: what prints without sympy, in every form."""
        constant, terms = self._form
        return not terms or (not constant and len(terms) == 1 and abs(terms[0][1]) == 1)

    def __str__(self) -> str:
        constant, terms = self._form
        if not terms:
            return str(constant)  # a Fraction prints as a sympy Rational: 3, -1/10
        if self.plain:
            return terms[0][0] if terms[0][1] > 0 else f"-{terms[0][0]}"
        return str(self._sympy_())

    def __repr__(self) -> str:
        return str(self) if len(self._form.terms) <= 1 else repr(self._sympy_())

    def __bool__(self) -> bool:
        return bool(self._form.constant or self._form.terms)  # only sympy's zero is false

    def __format__(self, spec: str) -> str:
        return format(self._sympy_(), spec) if spec else str(self)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # sympify must not take it for a sympy object (__sympy__)
            raise AttributeError(name)
        return getattr(self._sympy_(), name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (DeferredExpression, (self._text, self._symbols, self._form))


def _answered_by_sympy(name: str) -> Any:
    def method(self: DeferredExpression, *args: Any) -> Any:
        return getattr(self._sympy_(), name)(*args)

    method.__name__ = name
    return method


# Operators, comparisons and conversions are those of the sympy expression.
for _name in (
    "__eq__", "__ne__", "__hash__", "__lt__", "__le__", "__gt__", "__ge__",
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
    "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__",
    "__pow__", "__rpow__", "__neg__", "__pos__", "__abs__",
    "__float__", "__int__", "__complex__", "__round__",
):  # fmt: skip
    setattr(DeferredExpression, _name, _answered_by_sympy(_name))


class ParameterSymbols(LazySymbols):
    """A game's parameter names to their sympy symbols, each built when first looked up.

    What :func:`~credibility.models.common.symbols_of` returns. While sympy is not
    loaded, :func:`~credibility.expressions.parse_expression` given these symbols
    defers an expression of the linear fragment.
    """

    def __init__(self, parameters: Iterable[Parameter]):
        self._parameters = {p.name: p for p in parameters}

    def __getitem__(self, name: str) -> sympy.Symbol:
        return self._parameters[name].symbol

    def __contains__(self, name: object) -> bool:
        return name in self._parameters

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)

    def defer(self, text: object) -> sympy.Expr | None:
        """A :class:`DeferredExpression` while sympy is not loaded and ``text`` is linear."""
        if "sympy" in sys.modules:
            return None
        form = linear_form(text, self._parameters)
        return None if form is None else cast("sympy.Expr", DeferredExpression(text, self, form))


class _Pending:
    """A field's value with deferred expressions in it (see :func:`defer_fields`)."""

    __slots__ = ("value",)

    def __init__(self, value: object):
        self.value = value


def _has_deferred(value: object) -> bool:
    if isinstance(value, DeferredExpression):
        return True
    return isinstance(value, tuple) and any(_has_deferred(item) for item in value)


def _built(value: Any) -> Any:
    if isinstance(value, DeferredExpression):
        return value._sympy_()
    if isinstance(value, tuple):
        return tuple(_built(item) for item in value)
    return value


_NO_DEFAULT = object()


class _ExpressionField:
    """A data descriptor for a dataclass field of expressions (nested in tuples, or None)."""

    def __init__(self, name: str, default: object):
        self.name = name
        self.default = default

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:  # the class's attribute: the field's default, if any
            if self.default is _NO_DEFAULT:
                raise AttributeError(self.name)
            return self.default
        value = instance.__dict__[self.name]
        if type(value) is _Pending:
            if "sympy" not in sys.modules:
                return value.value
            value = instance.__dict__[self.name] = _built(value.value)
        return value

    def __set__(self, instance: object, value: object) -> None:
        instance.__dict__[self.name] = _Pending(value) if _has_deferred(value) else value


def defer_fields(cls: type, *names: str) -> None:
    """Let the fields ``names`` of the dataclass ``cls`` hold deferred expressions.

    Reading such a field gives its deferred expressions while sympy is not loaded;
    once it is, the sympy expressions, built on that first read and kept.
    """
    for name in names:
        setattr(cls, name, _ExpressionField(name, cls.__dict__.get(name, _NO_DEFAULT)))
