"""What every game model shares: metadata, parameter symbols and binding."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

from ..deferred import DeferredExpression, ParameterSymbols
from ..errors import CredibilityError, GameFileError
from ..expressions import evaluate
from ..parameters import Parameter, ParamValues, bind

if TYPE_CHECKING:
    import sympy

__all__ = [
    "Binding",
    "Distribution",
    "GameInfo",
    "check_distribution",
    "content_digest",
    "symbols_of",
    "toml_key",
]


@dataclass(frozen=True)
class GameInfo:
    """Descriptive metadata of a game.

    Parameters
    ----------
    title : str
        Display name.
    name : str
        Catalog name or file stem, empty for games built in Python.
    description, source : str
        Prose; ``source`` is the citation.
    """

    title: str = ""
    name: str = ""
    description: str = ""
    source: str = ""

    @property
    def label(self) -> str:
        """The title, else the name, else ``"game"``."""
        return self.title or self.name or "game"


def symbols_of(parameters: Sequence[Parameter]) -> Mapping[str, sympy.Symbol]:
    """Map each parameter's name to its sympy symbol (built when looked up).

    :func:`~credibility.expressions.parse_expression` given this mapping may defer
    an expression while sympy is not loaded (see :mod:`credibility.deferred`).
    """
    return ParameterSymbols(parameters)


@dataclass(frozen=True)
class Binding:
    """Parameter values chosen for one solve, and exact evaluation under them.

    Parameters
    ----------
    parameters : tuple of Parameter
        The game's parameters.
    values : dict of str to Fraction
        One value per parameter (defaults filled in).
    """

    parameters: tuple[Parameter, ...]
    values: dict[str, Fraction]

    @classmethod
    def of(cls, parameters: Sequence[Parameter], params: ParamValues | None) -> Binding:
        """Bind ``params`` (overrides of the defaults) to ``parameters``."""
        return cls(tuple(parameters), bind(parameters, params))

    @cached_property
    def substitution(self) -> dict[sympy.Symbol, Fraction]:
        """The bound values keyed by the parameters' sympy symbols."""
        return {p.symbol: self.values[p.name] for p in self.parameters}

    def value(self, expr: sympy.Expr, field: str | None = None) -> Fraction:
        """Evaluate ``expr`` exactly at the bound values."""
        try:
            if isinstance(expr, DeferredExpression):  # without sympy
                return expr.exact_value(self.values)
            return evaluate(expr, self.substitution)
        except CredibilityError as error:
            raise error.located(field=field) from None


@dataclass(frozen=True)
class Distribution:
    """Probabilities that must form a distribution at every parameter value.

    Parameters
    ----------
    field : str
        The table they belong to (where a wrong sum is reported).
    probabilities : tuple of (str, sympy.Expr)
        Each probability's field and expression.
    """

    field: str
    probabilities: tuple[tuple[str, sympy.Expr], ...]

    def check(self, binding: Binding) -> None:
        """Raise GameFileError unless the probabilities are a distribution under ``binding``."""
        values = [binding.value(expr, where) for where, expr in self.probabilities]
        check_distribution(values, [where for where, _ in self.probabilities], self.field)


def check_distribution(probabilities: list[Fraction], fields: list[str], total_field: str) -> None:
    """Raise GameFileError unless the exact probabilities lie in [0, 1] and sum to 1.

    ``fields`` name each probability's field; ``total_field`` the table they belong to.
    """
    for probability, where in zip(probabilities, fields):
        if not 0 <= probability <= 1:
            raise GameFileError(f"probability {probability} is outside [0, 1]", field=where)
    total = sum(probabilities)
    if total != 1:
        raise GameFileError(f"probabilities sum to {total}, expected 1", field=total_field)


def toml_key(name: str) -> str:
    """A key as written in a dotted TOML path: bare when it can be, else quoted."""
    bare = name.replace("_", "").replace("-", "")
    return name if bare.isalnum() and bare.isascii() else f'"{name}"'


def content_digest(game: object) -> str:
    """A SHA-256 digest (hex) of every field of a game, written out in full.

    What identifies a game for caches and for resuming a sweep. A game's ``repr`` may be short
    (a ``NormalForm``'s is one line, without its payoffs), so two games that differ only in
    their payoffs must not be told apart by it.

    Examples
    --------
    >>> from credibility.models import NormalForm
    >>> one = NormalForm.from_arrays([[[[1]]]] * 3, title="t")
    >>> two = NormalForm.from_arrays([[[[2]]]] * 3, title="t")
    >>> repr(one) == repr(two), content_digest(one) == content_digest(two)
    (True, False)
    """
    assert dataclasses.is_dataclass(game) and not isinstance(game, type)
    fields = tuple((f.name, getattr(game, f.name)) for f in dataclasses.fields(game))
    return hashlib.sha256(repr(fields).encode()).hexdigest()
