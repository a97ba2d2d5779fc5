"""One chunk's work, as a plain function of picklable arguments (for Dask workers too).

A :class:`SweepSpec` describes the sweep; :func:`compute_chunk` evaluates one
chunk of it and encodes the rows. Each process builds the evaluator (regions,
lambdified conditions) once per sweep and keeps it in a small cache, since
compiled functions do not travel between processes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from ..models import GameTree, SignallingGame
from .evaluator import Evaluator
from .grid import Grid
from .writers import make_format

__all__ = ["ChunkResult", "SweepSpec", "compute_chunk", "evaluator_for", "make_evaluator"]

_CACHE: dict[str, Evaluator] = {}


@dataclass(frozen=True)
class SweepSpec:
    """Everything a process needs to compute any chunk of a sweep.

    Attributes
    ----------
    game : GameTree, SignallingGame or Bimatrix
    grid : Grid
    params : dict of str to Fraction
        The parameters bound by the caller (not swept).
    chunk_size : int
    suffix : str or None
        The output format's suffix; None keeps the rows as arrays instead.
    raw_csv : bool
        CSV: write text cells as they are (no ``'`` before a leading ``=``, ``+``, ``-``, ``@``).
    """

    game: Any
    grid: Grid
    params: dict[str, Fraction]
    chunk_size: int
    suffix: str | None = None
    raw_csv: bool = False
    chunks: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "chunks", -(-self.grid.size // self.chunk_size))

    @cached_property
    def key(self) -> str:
        """A digest of the game, the grid and the bound parameters (the evaluator's identity)."""
        text = repr((self.game, self.grid.describe(), sorted(self.params.items())))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class ChunkResult:
    """One evaluated chunk.

    Attributes
    ----------
    index : int
    points : int
    outcomes : dict of str to int
        Outcome counts, in order of first appearance.
    payload : bytes or None
        The encoded rows (None when kept as arrays).
    table : dict of str to numpy.ndarray or None
        The rows as arrays (only when there is no output file).
    """

    index: int
    points: int
    outcomes: dict[str, int]
    payload: bytes | None
    table: dict[str, np.ndarray] | None


def make_evaluator(game: Any, swept: tuple[str, ...], params: dict[str, Fraction]) -> Evaluator:
    """The fastest exact evaluator for the game's kind.

    Trees: :class:`~credibility.sweeps.tree.TreeEvaluator`; signalling games:
    :class:`~credibility.sweeps.signalling.SignallingEvaluator`; bimatrix
    games: :class:`~credibility.sweeps.bimatrix.BimatrixEvaluator`.
    """
    if isinstance(game, GameTree):
        from .tree import TreeEvaluator

        return TreeEvaluator(game, swept, params)
    if isinstance(game, SignallingGame):
        from .signalling import SignallingEvaluator

        return SignallingEvaluator(game, swept, params)
    from .bimatrix import BimatrixEvaluator

    return BimatrixEvaluator(game, swept, params)


def evaluator_for(spec: SweepSpec) -> Evaluator:
    """The spec's evaluator, built once per process."""
    if spec.key not in _CACHE:
        _CACHE.clear()
        _CACHE[spec.key] = make_evaluator(spec.game, spec.grid.names, spec.params)
    return _CACHE[spec.key]


def compute_chunk(spec: SweepSpec, index: int) -> ChunkResult:
    """Evaluate chunk ``index`` of the sweep and encode its rows."""
    evaluator = evaluator_for(spec)
    start = index * spec.chunk_size
    stop = min(start + spec.chunk_size, spec.grid.size)
    chunk = spec.grid.chunk(start, stop)
    rows = evaluator.evaluate(chunk)
    table = {name: np.asarray(chunk.values[name]) for name in spec.grid.names}
    table.update((name, np.asarray(rows[name])) for name in evaluator.columns)
    outcomes = dict(Counter(table["outcome"].tolist()))
    if spec.suffix is None:
        return ChunkResult(index, stop - start, outcomes, None, table)
    return ChunkResult(
        index,
        stop - start,
        outcomes,
        make_format(spec.suffix, raw_csv=spec.raw_csv).encode(table),
        None,
    )
