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

__all__ = ["Chunk", "Evaluator"]


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
    """

    names: tuple[str, ...]
    values: Mapping[str, np.ndarray]
    exact: Callable[[int], dict[str, Fraction]]

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
