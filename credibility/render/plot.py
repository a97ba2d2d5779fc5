"""Pictures of sweeps: outcome maps over two parameters, outcome steps over one.

Rendering only: the caller hands over the grid's values, each point's outcome
(as a code into ``labels``) and the threshold curves already evaluated. Uses
matplotlib's object API (no pyplot, no display needed); matplotlib is an
optional extra (``pip install 'credibility[sweep]'``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["outcome_line", "outcome_map"]

#: Curves at most drawn (and labelled) on one picture.
MAX_CURVES = 8


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=120, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _colors(n: int) -> list[tuple[float, float, float, float]]:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


def outcome_map(
    path: Path,
    names: tuple[str, str],
    x: np.ndarray,
    y: np.ndarray,
    codes: np.ndarray,
    labels: Sequence[str],
    curves: Sequence[tuple[str, np.ndarray]] = (),
    title: str = "",
) -> None:
    """Draw the outcome regions over two parameters to a PNG.

    Parameters
    ----------
    path : Path
    names : (str, str)
        The parameters on the horizontal and vertical axes.
    x, y : numpy.ndarray
        Their values (increasing).
    codes : numpy.ndarray
        ``codes[i, j]`` is the index into ``labels`` of the outcome at
        ``(x[i], y[j])``.
    labels : sequence of str
    curves : sequence of (str, numpy.ndarray)
        Threshold curves: a label and an expression's values on the same
        grid; the curve is where the values are 0.
    title : str
    """
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    entries = len(labels) + min(len(curves), MAX_CURVES)
    longest = max((len(label) for label in labels), default=0)
    columns = 2 if entries > 6 and longest <= 40 else 1
    figure = _figure(8.5, 6 + 0.25 * -(-entries // columns))
    axes = figure.add_subplot()
    colors = _colors(len(labels))
    cmap = ListedColormap(colors)
    norm = BoundaryNorm(np.arange(len(labels) + 1) - 0.5, len(labels))
    axes.pcolormesh(x, y, codes.T, cmap=cmap, norm=norm, shading="nearest")
    handles: list = [Patch(color=c, label=label) for c, label in zip(colors, labels)]
    styles: list[Any] = ["--", "-.", ":", (0, (5, 1, 1, 1))]
    for k, (label, values) in enumerate(curves[:MAX_CURVES]):
        style = styles[k % len(styles)]
        axes.contour(x, y, values.T, levels=[0], colors="black", linewidths=1.6, linestyles=[style])
        handles.append(Line2D([], [], color="black", linestyle=style, label=label))
    axes.set_xlabel(names[0], fontsize=12)
    axes.set_ylabel(names[1], fontsize=12)
    axes.set_title(title or "Equilibrium outcome", fontsize=11)
    figure.legend(handles=handles, loc="outside lower center", ncols=columns, fontsize=9)
    figure.savefig(path)


def outcome_line(
    path: Path,
    name: str,
    x: np.ndarray,
    codes: np.ndarray,
    labels: Sequence[str],
    thresholds: Sequence[tuple[str, float]] = (),
    title: str = "",
) -> None:
    """Draw the outcome against one parameter (a step chart) to a PNG.

    Parameters
    ----------
    path : Path
    name : str
        The parameter on the horizontal axis.
    x : numpy.ndarray
        Its values (increasing).
    codes : numpy.ndarray
        The index into ``labels`` of the outcome at each value.
    labels : sequence of str
    thresholds : sequence of (str, float)
        Labelled values where an outcome changes (vertical lines).
    title : str
    """
    figure = _figure(8.5, 1.6 + 0.45 * len(labels))
    axes = figure.add_subplot()
    colors = _colors(len(labels))
    axes.step(x, codes, where="mid", color="0.4", linewidth=1)
    axes.scatter(x, codes, c=[colors[c] for c in codes], s=12, zorder=3)
    axes.set_yticks(range(len(labels)), labels)
    axes.set_ylim(-0.5, len(labels) - 0.5)
    for label, value in thresholds[:MAX_CURVES]:
        axes.axvline(value, color="black", linestyle="--", linewidth=1)
        axes.annotate(
            label,
            (value, len(labels) - 0.5),
            rotation=90,
            va="top",
            ha="right",
            fontsize=8,
            xytext=(-2, -2),
            textcoords="offset points",
        )
    axes.set_xlabel(name, fontsize=12)
    axes.set_title(title or "Equilibrium outcome", fontsize=11)
    figure.savefig(path)
