"""What every game model shares: metadata, parameter symbols and binding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import sympy

from ..errors import CredibilityError
from ..expressions import evaluate
from ..parameters import Parameter, ParamValues, bind

__all__ = ["Binding", "GameInfo", "symbols_of", "toml_key"]


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


def symbols_of(parameters: Sequence[Parameter]) -> dict[str, sympy.Symbol]:
    """Map each parameter's name to its sympy symbol."""
    return {p.name: p.symbol for p in parameters}


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
            return evaluate(expr, self.substitution)
        except CredibilityError as error:
            raise error.located(field=field) from None


def toml_key(name: str) -> str:
    """A key as written in a dotted TOML path: bare when it can be, else quoted."""
    bare = name.replace("_", "").replace("-", "")
    return name if bare.isalnum() and bare.isascii() else f'"{name}"'
