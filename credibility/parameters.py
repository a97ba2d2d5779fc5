"""Parameters: the named symbols of a game, their defaults, bounds and binding.

A game's payoffs, probabilities and priors are sympy expressions over its
parameters. *Binding* chooses a value for each: the default unless overridden.
A bound value must lie within the parameter's inclusive ``min``/``max``.
Symbolic analyses keep some parameters free; their sympy symbols carry the
assumptions that the bounds imply (``min = 0`` makes a symbol nonnegative).
"""

from __future__ import annotations

import keyword
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

from .errors import CredibilityError, ParameterError
from .expressions import FUNCTION_NAMES, parse_number

if TYPE_CHECKING:
    import sympy

__all__ = ["ParamValues", "Parameter", "bind", "check_name", "parse_assignment"]

#: What callers may pass as parameter values: numbers or fraction strings.
ParamValues = Mapping[str, int | float | str | Fraction]


def check_name(name: str) -> str:
    """Return ``name`` if it may name a parameter, else raise ParameterError.

    A parameter name is an ASCII identifier (letters, digits and ``_``, not
    starting with a digit) that is not a Python keyword, not one of the
    functions ``min``, ``max``, ``abs`` and does not start with ``__``
    (reserved). Any other name works everywhere a name goes: expressions,
    sympy, numpy code, LaTeX and sweep columns. Python reads identifiers
    after NFKC normalisation (``𝐩`` is ``p``), so a name that normalisation
    changes is refused with its normalised form.

    Examples
    --------
    >>> check_name("maximum")
    'maximum'
    >>> check_name("lambda")
    Traceback (most recent call last):
    ...
    credibility.errors.ParameterError: parameter name 'lambda' is a Python keyword
    """
    if not isinstance(name, str) or not name:
        raise ParameterError(f"parameter name {name!r} is not a non-empty string")
    normal = unicodedata.normalize("NFKC", name)
    if normal != name:
        raise ParameterError(
            f"parameter name '{name}' would be read as '{normal}' (NFKC normalisation); "
            f"write '{normal}'"
        )
    if not name.isidentifier() or not name.isascii():
        raise ParameterError(
            f"parameter name '{name}' is not an ASCII identifier "
            "(letters a-z, A-Z, digits and _, not starting with a digit)"
        )
    if keyword.iskeyword(name):
        raise ParameterError(f"parameter name '{name}' is a Python keyword")
    if name in FUNCTION_NAMES:
        raise ParameterError(f"parameter name '{name}' shadows the function {name}")
    if name.startswith("__"):
        raise ParameterError(f"parameter name '{name}' starts with '__' (reserved)")
    return name


@dataclass(frozen=True)
class Parameter:
    """A named symbol of a game.

    Parameters
    ----------
    name : str
        An identifier, not one of the function names ``min``, ``max``, ``abs``.
    default : Fraction
        The value used when the parameter is not bound explicitly.
    minimum, maximum : Fraction or None
        Inclusive bounds, if any.
    description : str
        What the parameter means, for ``credibility show``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> p = Parameter("p", Fraction(1, 2), Fraction(0), Fraction(1))
    >>> p.symbol.is_nonnegative
    True
    >>> p.check(Fraction(3, 2))
    Traceback (most recent call last):
    ...
    credibility.errors.ParameterError: parameter 'p' = 3/2 is above its maximum 1
    """

    name: str
    default: Fraction
    minimum: Fraction | None = None
    maximum: Fraction | None = None
    description: str = ""

    def __post_init__(self) -> None:
        check_name(self.name)
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ParameterError(
                f"parameter '{self.name}' has min {self.minimum} above max {self.maximum}"
            )
        self.check(self.default, what="default")

    @cached_property
    def symbol(self) -> sympy.Symbol:
        """The sympy symbol, with the assumptions the bounds imply."""
        import sympy  # lazy: start-up time

        assumptions: dict[str, bool] = {"real": True}
        if self.minimum is not None and self.minimum > 0:
            assumptions["positive"] = True
        elif self.minimum is not None and self.minimum >= 0:
            assumptions["nonnegative"] = True
        if self.maximum is not None and self.maximum < 0:
            assumptions["negative"] = True
        elif self.maximum is not None and self.maximum <= 0:
            assumptions["nonpositive"] = True
        return sympy.Symbol(self.name, **assumptions)

    @property
    def interval(self) -> sympy.Interval:
        """The parameter's domain as a sympy interval (closed where bounded)."""
        import sympy  # lazy: start-up time

        low = sympy.Rational(self.minimum) if self.minimum is not None else -sympy.oo
        high = sympy.Rational(self.maximum) if self.maximum is not None else sympy.oo
        return sympy.Interval(low, high)

    def check(self, value: Fraction, what: str = "") -> Fraction:
        """Return ``value`` if it lies within the bounds, else raise ParameterError."""
        label = f"parameter '{self.name}'" + (f" {what}" if what else "")
        if self.minimum is not None and value < self.minimum:
            raise ParameterError(f"{label} = {value} is below its minimum {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise ParameterError(f"{label} = {value} is above its maximum {self.maximum}")
        return value


def bind(parameters: Iterable[Parameter], values: ParamValues | None = None) -> dict[str, Fraction]:
    """Choose a value for every parameter: the given one, else the default.

    Parameters
    ----------
    parameters : iterable of Parameter
    values : mapping of str to number or fraction string, optional
        Overrides. Every name must be a declared parameter.

    Returns
    -------
    dict of str to Fraction
        One exact value per parameter, in declaration order.

    Raises
    ------
    ParameterError
        For an unknown name, a malformed value or one outside the bounds.

    Examples
    --------
    >>> from fractions import Fraction
    >>> c = Parameter("c", Fraction(5), Fraction(0))
    >>> bind([c], {"c": "1/2"})
    {'c': Fraction(1, 2)}
    """
    declared = {p.name: p for p in parameters}
    values = dict(values or {})
    unknown = [name for name in values if name not in declared]
    if unknown:
        names = ", ".join(declared) or "none"
        raise ParameterError(f"unknown parameter '{unknown[0]}' (declared parameters: {names})")
    bound: dict[str, Fraction] = {}
    for name, parameter in declared.items():
        if name in values:
            try:
                value = parse_number(values[name])
            except CredibilityError as error:
                raise ParameterError(f"parameter '{name}': {error.message}") from None
            bound[name] = parameter.check(value)
        else:
            bound[name] = parameter.default
    return bound


def parse_assignment(text: str) -> tuple[str, str]:
    """Split ``NAME=VALUE`` as typed after ``--param``.

    Examples
    --------
    >>> parse_assignment("c=1/2")
    ('c', '1/2')
    """
    name, sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name or not value:
        raise ParameterError(f"expected NAME=VALUE, got '{text}'")
    return name, value
