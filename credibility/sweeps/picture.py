"""The ``--plot`` picture of a sweep: outcomes on a thinned grid, with the threshold curves.

The picture does not need the sweep's rows: it evaluates the same evaluator
on the grid thinned to at most ``MAP_SIDE`` values per axis (``LINE_POINTS``
for one axis), which is exact at every point shown and costs little whatever
the sweep's size. Threshold curves are the evaluator's boundary expressions
(region conditions of a tree, existence inequalities of a signalling game)
whose zero set runs along places where the outcome actually changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import CredibilityError
from ..render.plot import outcome_line, outcome_map, sweep_title
from .compiled import Compiled
from .grid import Grid, Listed
from .tasks import SweepSpec, evaluator_for

if TYPE_CHECKING:
    import sympy

__all__ = ["check_plot", "draw_map"]

MAP_SIDE = 300
LINE_POINTS = 2000


def check_plot(grid: Grid) -> None:
    """Raise early if the sweep cannot be drawn (before hours of work are done)."""
    if len(grid.names) not in (1, 2):
        raise CredibilityError(
            f"the plot= argument draws one or two swept parameters, not {len(grid.names)}"
        )
    try:
        import matplotlib  # noqa: F401  # lazy: start-up time (matplotlib)
    except ImportError:
        raise CredibilityError(
            "the plot= argument needs matplotlib: pip install 'credibility[sweep]'"
        ) from None


def thin(grid: Grid, side: int) -> Grid:
    """The grid with each axis cut to at most ``side`` values, evenly picked, ends kept."""
    axes = []
    for axis in grid.axes:
        if len(axis) <= side:
            axes.append(axis)
            continue
        picks = np.unique(np.linspace(0, len(axis) - 1, side).round().astype(np.int64))
        axes.append(Listed([axis[int(i)] for i in picks]))
    return Grid(grid.names, tuple(axes))


def draw_map(spec: SweepSpec, path: Path) -> None:
    """Draw the outcome map (two parameters) or line (one parameter) of a sweep to ``path``."""
    grid = thin(spec.grid, MAP_SIDE if len(spec.grid.names) == 2 else LINE_POINTS)
    evaluator = evaluator_for(spec)
    chunk = grid.chunk(0, grid.size)
    outcomes = np.asarray(evaluator.evaluate(chunk)["outcome"]).tolist()
    labels = list(dict.fromkeys(outcomes))
    index = {label: i for i, label in enumerate(labels)}
    codes = np.array([index[o] for o in outcomes], dtype=np.int64).reshape(grid.shape)
    values = [chunk.values[name] for name in grid.names]
    symbols = getattr(evaluator, "symbols", ())
    fields = [
        (_label(expr, symbols), Compiled(expr, symbols)(*values).reshape(grid.shape))
        for expr in getattr(evaluator, "boundaries", ())
    ]
    axes = [axis.floats(np.arange(len(axis))) for axis in grid.axes]
    title = sweep_title(spec.game, grid.names, spec.params)
    try:
        if len(axes) == 2:
            curves = [(label, f) for label, f in fields if _follows_changes(f, codes)]
            names = (grid.names[0], grid.names[1])
            outcome_map(path, names, axes[0], axes[1], codes, labels, curves, title, game=spec.game)
        else:
            thresholds = [
                (label, root) for label, f in fields for root in _roots(axes[0], f, codes)
            ]
            outcome_line(
                path, grid.names[0], axes[0], codes, labels, thresholds, title, game=spec.game
            )
    except OSError as error:
        raise CredibilityError(
            f"cannot write the picture: {error.strerror}", file=str(path)
        ) from None


def _label(expr: sympy.Expr, symbols: tuple[sympy.Symbol, ...]) -> str:
    """``expr = 0`` solved for the last parameter it involves, where that is unique."""
    import sympy  # lazy: start-up time (sympy, for --plot only)

    for symbol in reversed(symbols):
        if symbol in expr.free_symbols:
            solutions = sympy.solve(expr, symbol)
            if len(solutions) == 1:
                return f"{symbol} = {solutions[0]}"
            break
    return f"{expr} = 0"


def _follows_changes(field: np.ndarray, codes: np.ndarray) -> bool:
    """True if the field's sign changes mostly where the outcome changes (and somewhere).

    Pairs of points that touch the grid's edges are left out: a bound of a
    parameter (``p = 0``) is no threshold worth a curve.
    """
    crossings = together = 0
    for axis in range(codes.ndim):
        inner = [slice(1, -1) if a == axis else slice(None) for a in range(codes.ndim)]
        sign = (np.diff(np.sign(field), axis=axis) != 0)[tuple(inner)]
        change = (np.diff(codes, axis=axis) != 0)[tuple(inner)]
        crossings += int(sign.sum())
        together += int((sign & change).sum())
    return together > 0 and together >= 0.2 * crossings


def _roots(x: np.ndarray, field: np.ndarray, codes: np.ndarray) -> list[float]:
    """Where the field crosses 0 between neighbouring points whose outcomes differ."""
    roots: dict[float, None] = {}
    inner = np.arange(len(x) - 1)[1:-1]
    for i in inner[(np.diff(np.sign(field))[1:-1] != 0) & (np.diff(codes)[1:-1] != 0)]:
        a, b = field[i], field[i + 1]
        root = float(x[i] if a == b else x[i] + (x[i + 1] - x[i]) * a / (a - b))
        roots[round(root, 12)] = None
    return list(roots)
