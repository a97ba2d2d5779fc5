"""The result of a sweep: outcome counts, timing, and the rows when kept in memory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import CredibilityError
from ..json_types import JSONObject
from ..render.display import Displayed, clipped, html_page, pandas_module

if TYPE_CHECKING:
    import pandas

__all__ = ["SweepResult"]


@dataclass(frozen=True, repr=False)
class SweepResult(Displayed):
    """What a sweep found.

    Attributes
    ----------
    names : tuple of str
        The swept parameters, in grid order (the first varies slowest).
    column_names : tuple of str
        Every column: the swept parameters, then ``outcome``, ``n_equilibria``
        and the kind's own columns.
    points : int
        Grid points evaluated.
    outcomes : dict of str to int
        How many points have each outcome, in order of first appearance.
    seconds : float
        Wall-clock time of the sweep.
    output : Path or None
        The file written, if any.
    columns : mapping of str to numpy.ndarray
        The rows as read-only arrays (one per column) when the sweep was kept
        in memory (no output file); empty otherwise.

    Examples
    --------
    >>> import credibility as cr
    >>> result = cr.sweep(cr.load("sinking_costs"), grid={"m": ["0", "2"]})
    >>> result.columns["outcome"].tolist()
    ['pooling + semi-separating', 'separating + pooling']
    >>> summary = result.to_summary()
    >>> summary["points"], summary["outcomes"]
    (2, {'pooling + semi-separating': 1, 'separating + pooling': 1})
    >>> result  # doctest: +ELLIPSIS
    <SweepResult m: 2 points, 2 outcomes (pooling + semi-separating 1, ...), in memory>
    """

    names: tuple[str, ...]
    column_names: tuple[str, ...]
    points: int
    outcomes: dict[str, int]
    seconds: float
    output: Path | None = None
    columns: Mapping[str, np.ndarray] = field(default_factory=dict)

    def to_summary(self) -> JSONObject:
        """The JSON summary object of ``credibility sweep --format json``."""
        return {
            "format": 1,
            "points": self.points,
            "outcomes": dict(self.outcomes),
            "seconds": f"{self.seconds:.3f}",
            "output": str(self.output) if self.output is not None else None,
        }

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (needs pandas, and the rows kept in memory)."""
        if not self.columns:
            raise CredibilityError(
                f"the rows were written to {self.output}, not kept: read that file instead"
            )
        frame: pandas.DataFrame = pandas_module().DataFrame(
            {name: self.columns[name] for name in self.column_names}
        )
        return frame

    def _summary(self) -> str:
        counts = clipped(", ".join(f"{label} {n:,}" for label, n in self.outcomes.items()))
        kinds = len(self.outcomes)
        where = "in memory" if self.output is None else f"-> {self.output}"
        return (
            f"{', '.join(self.names)}: {self.points:,} points, {kinds} "
            f"outcome{'' if kinds == 1 else 's'} ({counts}), {where}"
        )

    def _lines(self) -> tuple[str, list[list[str]]]:
        """What ``credibility sweep`` prints: a line on the run, then each outcome's count."""
        where = "kept in memory" if self.output is None else str(self.output)
        head = f"{self.points:,} points in {self.seconds:.2f} s -> {where}"
        return head, [[f"{count:,}", label] for label, count in self.outcomes.items()]

    def __str__(self) -> str:
        head, counts = self._lines()
        return "\n".join([head, *(f"  {count:>12}  {label}" for count, label in counts)])

    def _repr_html_(self) -> str | None:
        head, counts = self._lines()
        return html_page(head, (["points", "outcome"], counts))

    def _repr_latex_(self) -> str | None:
        return None  # no LaTeX output for sweeps: a notebook shows the HTML
