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

from ..errors import ParameterError
from ..kinds import adapter_for
from ..models.common import content_digest
from .evaluator import Evaluator, codes_of
from .grid import Grid
from .writers import make_format

__all__ = [
    "ChunkResult",
    "SweepSpec",
    "check_column_names",
    "compute_chunk",
    "count_outcomes",
    "evaluator_for",
    "make_evaluator",
    "output_columns",
]

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
    qre : bool
        Map the logit QRE's outcome probabilities instead of the equilibria
        (:class:`~credibility.quantal.grid.QREEvaluator`).
    lam : float or None
        A QRE sweep's fixed precision (None: ``lambda`` is one of the grid's axes).
    """

    game: Any
    grid: Grid
    params: dict[str, Fraction]
    chunk_size: int
    suffix: str | None = None
    raw_csv: bool = False
    qre: bool = False
    lam: float | None = None
    chunks: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "chunks", -(-self.grid.size // self.chunk_size))

    @cached_property
    def key(self) -> str:
        """A digest of the game, the grid and the bound parameters (the evaluator's identity)."""
        text = repr((content_digest(self.game), self.grid.describe(), sorted(self.params.items())))
        if self.qre:
            text += repr(("qre", self.lam))
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
    payload : bytes-like or None
        The encoded rows (bytes, or a buffer holding them; None when kept as
        arrays).
    table : dict of str to numpy.ndarray or None
        The rows as arrays (only when there is no output file).
    """

    index: int
    points: int
    outcomes: dict[str, int]
    payload: Any
    table: dict[str, np.ndarray] | None


def make_evaluator(
    game: Any,
    swept: tuple[str, ...],
    params: dict[str, Fraction],
    *,
    qre: bool = False,
    lam: float | None = None,
) -> Evaluator:
    """The fastest exact evaluator for the game's kind (its adapter's ``evaluator``).

    Trees: :class:`~credibility.sweeps.tree.TreeEvaluator`; signalling games:
    :class:`~credibility.sweeps.signalling.SignallingEvaluator`; bimatrix
    games: :class:`~credibility.sweeps.bimatrix.BimatrixEvaluator`
    (:mod:`credibility.kinds`). With ``qre``: the QRE's outcome probabilities at ``lam`` or
    at the grid's ``lambda`` (:class:`~credibility.quantal.grid.QREEvaluator`).
    """
    if qre:
        from ..quantal.grid import QREEvaluator  # lazy: start-up time (the QRE machinery)

        return QREEvaluator(game, swept, params, lam)
    return adapter_for(game).evaluator(game, swept, params)


def output_columns(game: Any, *, qre: bool = False) -> tuple[str, ...]:
    """The columns a sweep of ``game`` writes after the swept parameters (without building it).

    Examples
    --------
    >>> import credibility as cr
    >>> output_columns(cr.load("chicken"))[:3]
    ('outcome', 'n_equilibria', 'Row:Swerve')
    >>> output_columns(cr.load("chicken"), qre=True)[:3]
    ('outcome', 'n_equilibria', 'P:Swerve/Swerve')
    """
    if qre:
        from ..quantal.grid import outcome_labels  # lazy: start-up time (the QRE machinery)

        return ("outcome", "n_equilibria", *(f"P:{label}" for label in outcome_labels(game)))
    return adapter_for(game).output_columns(game)


def check_column_names(game: Any, swept: tuple[str, ...], *, qre: bool = False) -> None:
    """Refuse a swept parameter named like a column the sweep writes, before any work.

    The output would hold two columns of one name (and a reader would take
    one for the other), so the parameter must be renamed in the game.

    Examples
    --------
    >>> import credibility as cr
    >>> check_column_names(cr.load("chicken"), ("c_row",))
    >>> from credibility.models import Bimatrix
    >>> from credibility.parameters import Parameter
    >>> from fractions import Fraction
    >>> game = Bimatrix.from_arrays([["outcome", 0], [0, 1]], [[1, 0], [0, 1]],
    ...                             parameters=[Parameter("outcome", Fraction(1))])
    >>> check_column_names(game, ("outcome",))
    Traceback (most recent call last):
    ...
    credibility.errors.ParameterError: cannot sweep 'outcome': the output has a column of that ...
    """
    columns = output_columns(game, qre=qre)
    clash = [name for name in swept if name in columns]
    if clash:
        shown = ", ".join(columns[:3]) + (", ..." if len(columns) > 3 else "")
        raise ParameterError(
            f"cannot sweep '{clash[0]}': the output has a column of that name ({shown}); "
            "rename the parameter in the game"
        )


def evaluator_for(spec: SweepSpec) -> Evaluator:
    """The spec's evaluator, built once per process."""
    if spec.key not in _CACHE:
        _CACHE.clear()
        _CACHE[spec.key] = make_evaluator(
            spec.game, spec.grid.names, spec.params, qre=spec.qre, lam=spec.lam
        )
    return _CACHE[spec.key]


def count_outcomes(outcomes: np.ndarray) -> dict[str, int]:
    """How many points have each outcome, in order of first appearance.

    Examples
    --------
    >>> count_outcomes(np.array(["b", "a", "b"], dtype=object))
    {'b': 2, 'a': 1}
    >>> from credibility.sweeps.evaluator import coded
    >>> count_outcomes(coded(np.array([2, 0, 2]), np.array(["a", "b", "c"], dtype=object)))
    {'c': 2, 'a': 1}
    """
    known = codes_of(outcomes)
    if known is None:
        return dict(Counter(outcomes.tolist()))
    codes, labels = known
    counts = np.bincount(codes, minlength=len(labels))
    first = np.full(len(labels), len(codes))
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # the last write, the first appearance, wins
    result: dict[str, int] = {}
    for k in np.argsort(first, kind="stable")[: np.count_nonzero(counts)].tolist():
        label = str(labels[k])
        result[label] = result.get(label, 0) + int(counts[k])
    return result


def compute_chunk(spec: SweepSpec, index: int) -> ChunkResult:
    """Evaluate chunk ``index`` of the sweep and encode its rows."""
    evaluator = evaluator_for(spec)
    start = index * spec.chunk_size
    stop = min(start + spec.chunk_size, spec.grid.size)
    chunk = spec.grid.chunk(start, stop)
    rows = evaluator.evaluate(chunk)
    table = {name: np.asanyarray(chunk.values[name]) for name in spec.grid.names}
    table.update((name, np.asanyarray(rows[name])) for name in evaluator.columns)
    outcomes = count_outcomes(table["outcome"])
    if spec.suffix is None:
        plain = {name: np.asarray(array) for name, array in table.items()}
        return ChunkResult(index, stop - start, outcomes, None, plain)
    return ChunkResult(
        index,
        stop - start,
        outcomes,
        make_format(spec.suffix, raw_csv=spec.raw_csv).encode_chunk(table),
        None,
    )
