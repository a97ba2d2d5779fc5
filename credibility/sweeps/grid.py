"""Grids of parameter values: parsing ``--grid``, exact axes, and cutting the product into chunks.

An **axis** is the sequence of values one parameter takes: ``START:STOP:COUNT``
(COUNT evenly spaced values, both ends included) or a listed ``V1,V2,...``.
Values are exact rationals; an axis computes them lazily, so an axis of 10^8
values costs no memory. The **grid** is the Cartesian product of its axes, the
first varying slowest (C order), and is evaluated chunk by chunk: point ``i``
of the grid is ``numpy.unravel_index(i, shape)``.

Floating-point values handed to the vectorised evaluators are the exact
values correctly rounded to float64 (``float(Fraction)``), computed without
Python loops wherever the integers involved fit in 53 bits.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, overload

import numpy as np

from ..errors import CredibilityError, ParameterError
from ..expressions import parse_number
from ..parameters import Parameter
from .evaluator import Chunk, coded

__all__ = ["PRECISION", "Grid", "Linspace", "Listed", "extremes", "make_grid", "parse_grid"]

_EXACT_FLOAT = 2**53
#: The name under which a QRE sweep varies the precision of choice.
PRECISION = "lambda"


class _Axis(Sequence[Fraction]):
    """Exact values of one swept parameter, with a vectorised float view."""

    def floats(self, indices: np.ndarray) -> np.ndarray:
        """The values at ``indices``, correctly rounded to float64."""
        raise NotImplementedError

    def describe(self) -> str:
        """A canonical text of the axis (``START:STOP:COUNT`` or ``V1,V2,...``)."""
        raise NotImplementedError

    def rationals(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The exact values at ``indices`` as int64 numerators and positive denominators.

        In lowest terms; None if some numerator or denominator of the axis
        does not fit in 62 bits (the values are then only exact as Fractions).
        """
        raise NotImplementedError

    def __iter__(self) -> Iterator[Fraction]:
        return (self[i] for i in range(len(self)))

    @overload
    def __getitem__(self, index: int) -> Fraction: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Fraction, ...]: ...

    def __getitem__(self, index: int | slice) -> Fraction | tuple[Fraction, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("axis index out of range")
        return self._value(index)

    def _value(self, index: int) -> Fraction:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Axis):
            return self.describe() == other.describe()
        if isinstance(other, Sequence):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.describe())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()!r})"


class Linspace(_Axis):
    """COUNT evenly spaced exact values from START to STOP, both included.

    Examples
    --------
    >>> axis = Linspace(Fraction(0), Fraction(1), 4)
    >>> list(axis)
    [Fraction(0, 1), Fraction(1, 3), Fraction(2, 3), Fraction(1, 1)]
    >>> axis.floats(np.arange(4)).tolist()
    [0.0, 0.3333333333333333, 0.6666666666666666, 1.0]
    """

    def __init__(self, start: Fraction, stop: Fraction, count: int):
        if count < 1:
            raise ParameterError(f"COUNT must be a positive integer, got {count}")
        if count == 1 and start != stop:
            raise ParameterError("COUNT 1 needs START equal to STOP")
        self.start, self.stop, self.length = start, stop, count
        steps = max(count - 1, 1)
        common = math.lcm(start.denominator, stop.denominator)
        self._a = start.numerator * (common // start.denominator)
        self._b = stop.numerator * (common // stop.denominator)
        self._den = common * steps
        self._steps = steps
        self._fast = (
            max(abs(self._a), abs(self._b)) * steps < _EXACT_FLOAT and self._den < _EXACT_FLOAT
        )

    def __len__(self) -> int:
        return self.length

    def _value(self, index: int) -> Fraction:
        return Fraction(self._a * (self._steps - index) + self._b * index, self._den)

    def floats(self, indices: np.ndarray) -> np.ndarray:
        if self.length == 1:
            return np.full(len(indices), float(self.start))
        if self._fast:
            k = indices.astype(np.int64)
            numerator = self._a * (self._steps - k) + self._b * k
            return numerator.astype(np.float64) / float(self._den)
        return np.array([float(self._value(int(i))) for i in indices], dtype=np.float64)

    def describe(self) -> str:
        return f"{self.start}:{self.stop}:{self.length}"

    def rationals(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The exact values at ``indices`` as int64 numerators and denominators (lowest terms).

        Examples
        --------
        >>> [a.tolist() for a in Linspace(Fraction(0), Fraction(1), 5).rationals(np.arange(5))]
        [[0, 1, 1, 3, 1], [1, 4, 2, 4, 1]]
        """
        if self.length == 1:
            return _fractions([self.start], np.zeros(len(indices), dtype=np.int64))
        if not self._fast:
            return None
        k = indices.astype(np.int64)
        numerator = self._a * (self._steps - k) + self._b * k
        common = np.gcd(numerator, self._den)
        return numerator // common, self._den // common


class Listed(_Axis):
    """Values listed one by one.

    Examples
    --------
    >>> Listed([Fraction(1, 3), Fraction(1, 2)]).describe()
    '1/3,1/2'
    """

    def __init__(self, values: Sequence[Fraction]):
        if not values:
            raise ParameterError("expected at least one value")
        self._values = tuple(values)
        self._floats = np.array([float(v) for v in self._values], dtype=np.float64)

    def __len__(self) -> int:
        return len(self._values)

    def _value(self, index: int) -> Fraction:
        return self._values[index]

    def floats(self, indices: np.ndarray) -> np.ndarray:
        return self._floats[indices]

    def describe(self) -> str:
        return ",".join(str(v) for v in self._values)

    def rationals(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        return _fractions(self._values, indices)


def _fractions(
    values: Sequence[Fraction], indices: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """``values[indices]`` as numerators and denominators, None beyond 62 bits."""
    if any(abs(v.numerator) >= 2**62 or v.denominator >= 2**62 for v in values):
        return None
    numerators = np.array([v.numerator for v in values], dtype=np.int64)
    denominators = np.array([v.denominator for v in values], dtype=np.int64)
    return numerators[indices], denominators[indices]


def parse_grid(text: str) -> tuple[str, Linspace | Listed]:
    """Read one ``--grid`` option: ``NAME=START:STOP:COUNT`` or ``NAME=V1,V2,...``.

    Values are numbers or exact fractions (never expressions) and stay exact.

    Parameters
    ----------
    text : str

    Returns
    -------
    (str, sequence of Fraction)
        The parameter's name and its values, an exact sequence computed
        lazily (so an axis of any length costs no memory).

    Raises
    ------
    ParameterError
        If the text is malformed.

    Examples
    --------
    >>> name, values = parse_grid("p=0:1:5")
    >>> name, [str(v) for v in values]
    ('p', ['0', '1/4', '1/2', '3/4', '1'])
    >>> parse_grid("c=1/3, 0.5")[1][:]
    (Fraction(1, 3), Fraction(1, 2))
    >>> parse_grid("p=0:1")
    Traceback (most recent call last):
    ...
    credibility.errors.ParameterError: 'p=0:1': expected NAME=START:STOP:COUNT or NAME=V1,V2,...
    """
    name, sep, spec = text.partition("=")
    name, spec = name.strip(), spec.strip()
    usage = f"'{text}': expected NAME=START:STOP:COUNT or NAME=V1,V2,..."
    if not sep or not name.isidentifier() or not spec:
        raise ParameterError(usage)
    try:
        if ":" in spec:
            parts = [part.strip() for part in spec.split(":")]
            if len(parts) != 3:
                raise ParameterError(usage)
            start, stop, count = parts
            if not count.isdigit():
                raise ParameterError(f"'{text}': COUNT must be a positive integer, got '{count}'")
            if len(count) > 15:
                raise ParameterError(
                    f"'{name}=...': COUNT has more than 15 digits (too many points)"
                )
            return name, Linspace(parse_number(start), parse_number(stop), int(count))
        items = [item.strip() for item in spec.split(",")]
        if not all(items):
            raise ParameterError(f"'{text}': an empty value in the list")
        return name, Listed([parse_number(item) for item in items])
    except ParameterError:
        raise
    except CredibilityError as error:
        raise ParameterError(f"'{text}': {error.message}") from None


@dataclass(frozen=True)
class Grid:
    """The Cartesian product of the swept parameters' axes, the first varying slowest.

    Examples
    --------
    >>> grid = Grid(("p", "c"), (Linspace(Fraction(0), Fraction(1), 3), Listed([Fraction(2)])))
    >>> grid.size, grid.shape
    (3, (3, 1))
    >>> chunk = grid.chunk(1, 3)
    >>> chunk.values["p"].tolist(), chunk.exact(0)
    ([0.5, 1.0], {'p': Fraction(1, 2), 'c': Fraction(2, 1)})
    """

    names: tuple[str, ...]
    axes: tuple[Linspace | Listed, ...]

    @property
    def shape(self) -> tuple[int, ...]:
        """The number of values of each axis."""
        return tuple(len(axis) for axis in self.axes)

    @property
    def size(self) -> int:
        """The number of grid points."""
        return math.prod(self.shape)

    def describe(self) -> list[str]:
        """Each axis as ``NAME=...`` text, in grid order."""
        return [f"{name}={axis.describe()}" for name, axis in zip(self.names, self.axes)]

    def chunk(self, start: int, stop: int) -> Chunk:
        """The points ``start`` (included) to ``stop`` (excluded) of the grid."""
        indices = np.unravel_index(np.arange(start, stop, dtype=np.int64), self.shape)
        values = {
            name: _axis_values(axis, index)
            for name, axis, index in zip(self.names, self.axes, indices)
        }

        def exact(i: int) -> dict[str, Fraction]:
            return {
                name: axis[int(index[i])]
                for name, axis, index in zip(self.names, self.axes, indices)
            }

        def rationals(
            points: np.ndarray,
        ) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
            found = {}
            for name, axis, index in zip(self.names, self.axes, indices):
                pair = axis.rationals(index[points])
                if pair is None:
                    return None
                found[name] = pair
            return found

        return Chunk(self.names, values, exact, rationals)


def _axis_values(axis: Linspace | Listed, index: np.ndarray) -> np.ndarray:
    """An axis's floats at ``index``, coded by the index (each distinct value computed once)."""
    if not len(index):
        return axis.floats(index)
    low, high = int(index.min()), int(index.max())
    return coded(index - low, axis.floats(np.arange(low, high + 1, dtype=np.int64)))


def make_grid(
    grid: Mapping[str, Any], parameters: Sequence[Parameter], *, precision: bool = False
) -> Grid:
    """Check a ``{name: values}`` mapping against a game's parameters and build the Grid.

    Values may be an axis from :func:`parse_grid` or any sequence of numbers
    or fraction strings. Every name must be a declared parameter, and every
    value within its bounds; with ``precision`` (a QRE sweep) the name
    :data:`PRECISION` may be swept too, over values ``>= 0`` (no parameter can take
    that name: it is a Python keyword).

    Examples
    --------
    >>> p = Parameter("p", Fraction(1, 2), Fraction(0), Fraction(1))
    >>> make_grid({"p": ["0", "1/2"]}, [p]).describe()
    ['p=0,1/2']
    >>> make_grid({"p": [2]}, [p])
    Traceback (most recent call last):
    ...
    credibility.errors.ParameterError: swept parameter 'p' = 2 is above its maximum 1
    """
    if not grid:
        raise ParameterError("nothing to sweep: give at least one grid (NAME=START:STOP:COUNT)")
    declared = {p.name: p for p in parameters}
    names, axes = [], []
    for name, values in grid.items():
        if precision and name == PRECISION:
            axis = values if isinstance(values, (Linspace, Listed)) else _listed(name, values)
            if len(axis) == 0 or min(extremes(axis)) < 0:
                raise ParameterError(f"swept '{PRECISION}' needs values >= 0")
            names.append(name)
            axes.append(axis)
            continue
        if name not in declared:
            known = ", ".join(declared) or "none"
            hint = " (QRE sweeps can sweep lambda: qre=True, --qre)" if name == PRECISION else ""
            raise ParameterError(
                f"cannot sweep '{name}': not a parameter (declared: {known}){hint}"
            )
        axis = values if isinstance(values, (Linspace, Listed)) else _listed(name, values)
        if len(axis) == 0:
            raise ParameterError(f"swept parameter '{name}' has no values")
        try:
            for value in extremes(axis):
                declared[name].check(value)
        except ParameterError as error:
            raise ParameterError(f"swept {error.message}") from None
        names.append(name)
        axes.append(axis)
    result = Grid(tuple(names), tuple(axes))
    if result.size >= 2**62:
        raise ParameterError(f"a grid of {result.size:,} points is too large")
    return result


def _listed(name: str, values: Any) -> Listed:
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise ParameterError(f"swept parameter '{name}': expected a sequence of values")
    try:
        return Listed([parse_number(v.item() if hasattr(v, "item") else v) for v in values])
    except CredibilityError as error:
        raise ParameterError(f"swept parameter '{name}': {error.message}") from None


def extremes(axis: Linspace | Listed) -> tuple[Fraction, ...]:
    """The first and last value of a linspace, the smallest and largest of a list."""
    if isinstance(axis, Linspace):
        return (axis.start, axis.stop)
    return (min(axis), max(axis))
