"""What the sweep engine asks of each kind of game: evaluate one chunk of grid points.

The engine cuts the grid into chunks and hands each to an :class:`Evaluator`,
which returns one array per output column. Evaluators are built per game kind
(bimatrix, tree, signalling); each is exact: points it cannot classify safely
in floating point (ties, boundaries) go to the exact per-point solver.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

import numpy as np

__all__ = ["Chunk", "Coded", "Evaluator", "coded", "codes_of"]


class Coded(np.ndarray):
    """An array that also knows itself as codes into its distinct values.

    ``uniques[codes]`` equals the array. Writers format each distinct value
    once and outcome counts come from the codes (a sweep's columns repeat a
    few values: swept parameters, labels). An array derived from a coded one
    (a slice, a sum) is a plain array again: its ``codes`` are None. Use
    :func:`coded` to make one and :func:`codes_of` to read one.
    """

    codes: np.ndarray | None
    uniques: np.ndarray | None

    def __array_finalize__(self, obj: object) -> None:
        self.codes = None
        self.uniques = None


def coded(codes: np.ndarray, uniques: np.ndarray) -> Coded:
    """The array ``uniques[codes]``, knowing its codes.

    Examples
    --------
    >>> labels = coded(np.array([1, 0, 1]), np.array(["a", "b"], dtype=object))
    >>> labels.tolist(), codes_of(labels)[0].tolist(), codes_of(labels[1:])
    (['b', 'a', 'b'], [1, 0, 1], None)
    """
    array = np.asarray(uniques)[codes].view(Coded)
    array.codes = np.asarray(codes)
    array.uniques = np.asarray(uniques)
    return array


def codes_of(array: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(codes, uniques)`` of a :class:`Coded` array, None for any other."""
    if isinstance(array, Coded) and array.codes is not None and array.uniques is not None:
        return array.codes, array.uniques
    return None


@dataclass(frozen=True)
class Chunk:
    """A block of grid points.

    Attributes
    ----------
    names : tuple of str
        The swept parameters, in grid order.
    values : mapping of str to numpy.ndarray
        Each swept parameter's value at every point of the chunk (float64, one
        entry per point).
    exact : callable
        ``exact(i)`` gives the exact values (name -> Fraction) of point ``i``
        of the chunk, for the exact fallback.
    rationals : callable, optional
        ``rationals(points)`` gives, for the points at the indices
        ``points`` of the chunk, each swept parameter's exact values as int64
        numerators and positive denominators (name -> pair of arrays), or
        None where they do not fit (then only ``exact`` is exact).
    """

    names: tuple[str, ...]
    values: Mapping[str, np.ndarray]
    exact: Callable[[int], dict[str, Fraction]]
    rationals: Callable[[np.ndarray], dict[str, tuple[np.ndarray, np.ndarray]] | None] | None = None

    def __len__(self) -> int:
        return len(next(iter(self.values.values()))) if self.values else 0


class Evaluator(Protocol):
    """Classifies the grid points of one game with some parameters bound.

    ``columns`` names the output columns that follow the swept parameters'
    own columns; it starts with ``"outcome"`` and ``"n_equilibria"``.
    ``evaluate(chunk)`` returns, for each column, an array with one entry per
    point of the chunk (``outcome`` as an array of str).
    """

    columns: tuple[str, ...]

    def evaluate(self, chunk: Chunk) -> dict[str, np.ndarray]: ...
