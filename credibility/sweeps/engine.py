"""The sweep: check the grid, run its chunks (here or on Dask), stream them to a file.

Memory is bounded by the chunk size, not the grid's: a chunk is evaluated,
encoded, appended and dropped. The output appears only when complete, and an
interrupted sweep is resumed from its completed chunks
(:mod:`~credibility.sweeps.store`).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np

from ..errors import CredibilityError, ParameterError, readable_size
from ..kinds import adapter_for
from ..models import Game
from ..models.common import Binding, content_digest
from ..parameters import ParamValues
from .dask_runner import run_chunks
from .grid import PRECISION, Grid, make_grid, parse_grid
from .picture import check_plot, draw_map
from .progress import Progress
from .result import SweepResult
from .store import PartialStore
from .tasks import ChunkResult, SweepSpec, check_column_names, evaluator_for
from .validity import check_grid
from .writers import format_for

__all__ = ["DEFAULT_CHUNK_SIZE", "MAX_IN_MEMORY_POINTS", "MAX_POINTS", "estimate", "sweep"]

#: Grid points per chunk unless told otherwise. A chunk costs about 3 to 4 ms of CPU besides
#: its points (10^6 points of ``chicken`` in 245 chunks against 8, CSV and Parquet alike:
#: labels formatted, a row group, a checksum, the manifest rewritten), 5% (CSV) to 8%
#: (Parquet) of a 131,072-point chunk's work; twice as many points would save half of that
#: but double the rows held per chunk in flight (20 MB of CSV each, four at once).
DEFAULT_CHUNK_SIZE = 1 << 17
#: Larger sweeps run only when confirmed (``yes=True``, ``--yes``): hours of work, gigabytes.
MAX_POINTS = 10**9
#: Larger sweeps need an output file (kept in memory, every column is an array).
MAX_IN_MEMORY_POINTS = 10**7
#: Bytes per value in CSV and JSON Lines, roughly: numbers, then labels (measured on the catalog).
_TEXT_BYTES = (10, 24)
#: Points a second, the slowest and fastest kinds measured (benchmarks/results/sweep_scaling.csv).
_RATES = (3 * 10**5, 10**6)
#: Bumped when the rows a sweep writes change, so that old partial sweeps are not resumed.
ENGINE_VERSION = 3

#: One swept parameter's values: the command line's ``"START:STOP:COUNT"`` or
#: ``"V1,V2,..."``, or a sequence (an axis from ``parse_grid``, a list, a numpy array).
AxisValues: TypeAlias = str | Sequence[int | float | Fraction | str] | np.ndarray


def sweep(
    game: Game,
    grid: Mapping[str, AxisValues],
    params: ParamValues | None = None,
    *,
    out: str | Path | None = None,
    resume: bool = False,
    overwrite: bool = False,
    raw_csv: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
    chunk_size: int | None = None,
    plot: str | Path | None = None,
    yes: bool = False,
    qre: bool = False,
    lam: float | None = None,
) -> SweepResult:
    """Map the equilibrium outcome of a game over a grid of parameter values.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    grid : mapping of str to str or sequence
        Each swept parameter's values, kept exact: text as the command line's
        ``--grid`` takes it after ``NAME=`` (``"0:5:11"``, eleven values from 0 to 5;
        ``"1/3,1/2"``), an axis from :func:`parse_grid`, or a sequence of numbers or
        fraction strings. The grid is the Cartesian product, the first parameter
        varying slowest.
    params : mapping of str to number or fraction string, optional
        Other parameters bound (the rest keep their defaults).
    out : str or Path, optional
        Write the rows there (``.csv``, ``.jsonl`` or ``.parquet``); without
        it, the rows are kept in memory as numpy arrays (small grids).
    resume : bool
        Finish an interrupted sweep of the same arguments into ``out``.
    overwrite : bool
        Replace ``out`` if it exists (else an existing file is refused).
    raw_csv : bool
        CSV: write text cells as they are; by default those starting with
        ``=``, ``+``, ``-`` or ``@`` get a ``'`` in front, so that a
        spreadsheet does not run them as formulas.
    workers : int, optional
        Compute the chunks in this many local worker processes (1: in this
        process); see ``docs/sweeps.md`` for when it pays. Where processes
        would add no core to this process's threads, the chunks are computed
        here (:func:`~credibility.sweeps.dask_runner.processes_pay`).
    scheduler : str, optional
        Run on an existing Dask cluster (its scheduler's address).
    progress : bool
        Show a progress bar on standard error.
    chunk_size : int, optional
        Grid points per chunk (default ``DEFAULT_CHUNK_SIZE``).
    plot : str or Path, optional
        Draw the outcome map (one or two swept parameters) to this PNG.
    yes : bool
        Run a sweep of more than ``MAX_POINTS`` points (refused otherwise,
        with an estimate of its size and time).
    qre : bool
        Map the logit QRE instead: each outcome's probability (columns ``P:LABEL``) and
        the most probable one (``outcome``), at the precision ``lam`` or at each value of
        a swept ``lambda`` (a grid axis named ``"lambda"``); any kind of game
        (:mod:`credibility.quantal.grid`).
    lam : float, optional
        A QRE sweep's fixed precision ``>= 0`` (give it, or sweep ``lambda``).

    Returns
    -------
    SweepResult

    Raises
    ------
    ParameterError
        For an unknown or doubly given parameter, a value out of bounds, or a
        swept parameter named like a column the sweep writes (``outcome``,
        ``n_equilibria``, ``path``, ``payoff_PLAYER``...: the rows would have
        two columns of one name).
    CredibilityError
        For an unusable output file (existing, unwritable, a full disk), an
        interrupted sweep in the way, or one that another process is running.

    Examples
    --------
    >>> import credibility as cr
    >>> game = cr.load("sinking_costs")
    >>> result = cr.sweep(game, grid={"m": "0:4:5"}, params={"q": "1/2"})
    >>> result.columns["m"].tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0]
    >>> cr.sweep(game, grid={"m": [0, "1/2"], "q": "0.1,0.9"}).points
    4
    >>> result.columns["n_separating"].tolist(), result.columns["semi_separating"].tolist()
    ([0, 1, 1, 1, 0], [1, 1, 1, 1, 0])
    >>> result.columns["outcome"][-1]
    'pooling'
    >>> war = cr.sweep(cr.load("unilateral_deterrence"), {"lambda": "0:8:3"}, qre=True)
    >>> [round(x, 4) for x in war.columns["P:Challenge > Hard > Resist"].tolist()]
    [0.125, 0.0596, 0.009]
    """
    started = time.perf_counter()
    adapter_for(game).check_sweep(game)
    if qre and lam is not None and not (math.isfinite(lam) and lam >= 0):
        raise CredibilityError(f"lambda must be a finite number >= 0, got {lam!r}")
    if not qre and lam is not None:
        raise CredibilityError("a precision lambda is for QRE sweeps (qre=True)")
    if workers is not None and scheduler is not None:
        raise CredibilityError("give workers or a scheduler, not both")
    if workers is not None and workers < 1:
        raise CredibilityError(f"workers must be at least 1, got {workers}")
    swept = make_grid(_axes(grid), game.parameters, precision=qre)
    check_column_names(game, swept.names, qre=qre)
    suffix = Path(out).suffix.lower() if out is not None else ""
    columns = len(swept.names) + 6  # the swept values, then the kind's columns (about six)
    if swept.size > MAX_POINTS and not yes:
        raise CredibilityError(
            f"{estimate(swept.size, columns, suffix)}: above the {MAX_POINTS:,} points a sweep "
            "runs unasked; give yes=True to run it, or a coarser grid"
        )
    if out is None and swept.size > MAX_IN_MEMORY_POINTS:
        raise CredibilityError(
            f"a grid of {swept.size:,} points is too large to keep in memory "
            f"(at most {MAX_IN_MEMORY_POINTS:,}): give an output file"
        )
    if progress and swept.size >= MAX_IN_MEMORY_POINTS:
        print(estimate(swept.size, columns, suffix), file=sys.stderr)
    bound = _bound(game, params, swept)
    size = chunk_size or DEFAULT_CHUNK_SIZE
    if size < 1:
        raise CredibilityError(f"chunk size must be positive, got {size}")
    if plot is not None:
        check_plot(swept)
    output = Path(out) if out is not None else None
    fmt = format_for(output, raw_csv=raw_csv) if output is not None else None
    if output is not None and not output.parent.is_dir():
        raise CredibilityError("the output's folder does not exist", file=str(output))
    spec = SweepSpec(
        game,
        swept,
        bound,
        size,
        output.suffix.lower() if output else None,
        raw_csv=raw_csv,
        qre=qre,
        lam=lam,
    )
    evaluator = evaluator_for(spec)
    column_names = (*swept.names, *evaluator.columns)
    if output is None or fmt is None:
        result = _in_memory(spec, column_names, workers, scheduler, progress, started)
    else:
        arguments = {
            "game": f"{game.info.label} ({content_digest(game)[:16]})",
            "grid": swept.describe(),
            "params": {name: str(value) for name, value in bound.items()},
            "chunk_size": size,
            "format": fmt.name,
            "engine": ENGINE_VERSION,
        }
        if fmt.name == "csv":
            arguments["csv"] = "raw" if raw_csv else "escaped"
        if qre:
            arguments["qre"] = "lambda swept" if lam is None else repr(float(lam))
        with PartialStore(
            output,
            fmt,
            arguments,
            list(column_names),
            points=swept.size,
            chunk_size=size,
            resume=resume,
            overwrite=overwrite,
        ) as store:
            bar = Progress(swept.size, min(store.done * size, swept.size), enabled=progress)
            for chunk in run_chunks(
                spec, range(store.done, spec.chunks), workers=workers, scheduler=scheduler
            ):
                assert chunk.payload is not None
                store.append(chunk.payload, chunk.outcomes)
                bar.update(chunk.points)
            bar.close()
            outcomes = store.outcomes
            store.finish()
        result = SweepResult(
            swept.names,
            column_names,
            swept.size,
            outcomes,
            time.perf_counter() - started,
            output,
        )
    if plot is not None:
        draw_map(spec, Path(plot))
    return result


def _axes(grid: Mapping[str, AxisValues]) -> dict[str, Any]:
    """The grid with text values (``"0:5:11"``, ``"1/3,1/2"``) read as ``--grid`` reads them."""
    axes: dict[str, Any] = {}
    for name, values in grid.items():
        if not isinstance(values, str):
            axes[name] = values
            continue
        try:
            axes[name] = parse_grid(f"{name}={values}")[1]
        except ParameterError as error:
            raise ParameterError(f"swept parameter '{name}': {error.message}") from None
    return axes


def estimate(points: int, columns: int, suffix: str) -> str:
    """What a sweep will cost, roughly: output size and time.

    Examples
    --------
    >>> estimate(10**12, 8, ".csv")
    'a grid of 1,000,000,000,000 points: about 108 TB of CSV and 12 days to 39 days'
    """
    numbers, labels = _TEXT_BYTES
    size = points * ((columns - 2) * numbers + 2 * labels)
    if suffix == ".parquet":
        size //= 4  # columnar and compressed: a quarter, roughly
    kind = {".parquet": "Parquet", ".jsonl": "JSON Lines"}.get(suffix, "CSV")
    fastest, slowest = (points / rate for rate in reversed(_RATES))
    return (
        f"a grid of {points:,} points: about {readable_size(size)} of {kind} "
        f"and {_duration(fastest)} to {_duration(slowest)}"
    )


def _duration(seconds: float) -> str:
    for unit, length in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= 2 * length:
            return f"{seconds / length:.0f} {unit}"
    return f"{seconds:.0f} s"


def _bound(game: Any, params: ParamValues | None, grid: Grid) -> dict[str, Fraction]:
    """The caller's bound parameters as exact values, checked (and checked with the grid)."""
    params = dict(params or {})
    both = [name for name in grid.names if name in params]
    if both:
        raise ParameterError(f"parameter '{both[0]}' is both swept and bound")
    values = Binding.of(game.parameters, params).values
    bound = {name: values[name] for name in params}
    kept = [k for k, name in enumerate(grid.names) if name != PRECISION]
    if kept:  # a QRE sweep over lambda alone has one parameter point: as cr.qre checks it
        parameters = Grid(tuple(grid.names[k] for k in kept), tuple(grid.axes[k] for k in kept))
        check_grid(game, parameters, bound)
    return bound


def _in_memory(
    spec: SweepSpec,
    column_names: tuple[str, ...],
    workers: int | None,
    scheduler: str | None,
    progress: bool,
    started: float,
) -> SweepResult:
    """Run the sweep keeping every row as arrays."""
    bar = Progress(spec.grid.size, enabled=progress)
    chunks: list[ChunkResult] = []
    outcomes: dict[str, int] = {}
    for chunk in run_chunks(spec, range(spec.chunks), workers=workers, scheduler=scheduler):
        chunks.append(chunk)
        for label, count in chunk.outcomes.items():
            outcomes[label] = outcomes.get(label, 0) + count
        bar.update(chunk.points)
    bar.close()
    columns = {}
    for name in column_names:
        array = np.concatenate([c.table[name] for c in chunks if c.table is not None])
        array.setflags(write=False)
        columns[name] = array
    return SweepResult(
        spec.grid.names,
        column_names,
        spec.grid.size,
        outcomes,
        time.perf_counter() - started,
        None,
        columns,
    )
