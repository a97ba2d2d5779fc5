"""A one-line progress display on standard error: work done, rate, and time left or used.

One class serves every long command: a sweep counts grid points towards a known total (a bar
and an ETA); a derivation (``credibility threshold``) or an enumeration (``credibility solve``)
goes through stages, each counting its own unit, some without a known total, against an
optional time budget.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Redraws at most ten times a second; silent when ``enabled`` is False.

    Parameters
    ----------
    total : int or None
        Units of work in all (None if unknown: no bar and no ETA).
    done : int
        Units already done (a resumed sweep); the rate counts new ones only.
    enabled : bool
    stream : text file, optional
        Standard error by default.
    unit : str
        What is counted (``"points"``).
    label : str
        Put in front of the line (a stage's name, say).
    limit : float, optional
        A time budget in seconds: the line then shows the time used of it.
    delay : float
        Seconds before the first redraw (quick work shows nothing).
    clock : callable
        Seconds as a float (``time.perf_counter``).

    Examples
    --------
    >>> import io
    >>> stream = io.StringIO()
    >>> bar = Progress(1000, enabled=True, stream=stream)
    >>> bar.update(1000)
    >>> bar.close()
    >>> "1,000 / 1,000 points" in stream.getvalue()
    True

    A stage of a derivation, without a total, against a budget of a minute:

    >>> now = iter([0.0, 5.0])
    >>> bar = Progress(None, enabled=True, stream=io.StringIO(), label="regions",
    ...                unit="branches", limit=60, clock=lambda: next(now))
    >>> bar.show(120, detail="37 regions")
    >>> bar.line(5.0)
    'regions: 120 branches, 24/s  (37 regions)  5 s of 60 s  '
    """

    def __init__(
        self,
        total: int | None,
        done: int = 0,
        *,
        enabled: bool,
        stream: TextIO | None = None,
        unit: str = "points",
        label: str = "",
        limit: float | None = None,
        delay: float = 0.0,
        clock: Callable[[], float] = time.perf_counter,
    ):
        self.total, self.done, self.start_done = total, done, done
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.unit, self.label, self.detail = unit, label, ""
        self.limit, self.delay, self.clock = limit, delay, clock
        self.start = self.last = self.stage_start = clock()
        self.drawn = 0  # the length of the longest line drawn (0: nothing drawn yet)

    def update(self, points: int) -> None:
        """Count ``points`` more done, and redraw if it is time to."""
        self.done += points
        self._draw(finished=self.total is not None and self.done >= self.total)

    def show(
        self,
        done: int,
        total: int | None = None,
        *,
        label: str | None = None,
        unit: str | None = None,
        detail: str = "",
    ) -> None:
        """Set the count (and the stage, if ``label`` changes it), and redraw if it is time to.

        A new ``label`` starts a new stage: its rate counts from here.
        """
        if label is not None and label != self.label:
            self.label, self.start_done, self.stage_start = label, done, self.clock()
        if unit is not None:
            self.unit = unit
        self.done, self.total, self.detail = done, total, detail
        self._draw(finished=False)

    def _draw(self, finished: bool) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start < self.delay:
            return
        if now - self.last >= 0.1 or finished or not self.drawn:
            self.last = now
            line = self.line(now)
            self.stream.write("\r" + line.ljust(self.drawn))
            self.stream.flush()
            self.drawn = max(self.drawn, len(line))

    def line(self, now: float) -> str:
        """The line's text at time ``now``.

        A sweep's line (no label) shows the bar, the count, the rate and the ETA; a stage's,
        shorter, the bar and the ETA if the total is known, else the count and the rate.
        """
        elapsed = max(now - self.stage_start, 1e-9)
        rate = (self.done - self.start_done) / elapsed
        shown_rate = f"{rate:,.0f}" if rate >= 10 or rate == 0 else f"{rate:.1f}"
        if self.total is None:
            text = f"{self.done:,} {self.unit}, {shown_rate}/s  "
        else:
            width = 16 if self.label else 24
            filled = min(int(width * self.done / self.total) if self.total else width, width)
            left = (self.total - self.done) / rate if rate > 0 else float("inf")
            eta = _clock(left) if left != float("inf") else "?"
            text = f"[{'#' * filled}{'.' * (width - filled)}] {self.done:,} / {self.total:,} "
            text += f"{self.unit}  " if self.label else f"{self.unit}  {shown_rate} {self.unit}/s  "
            text += f"{'done' if self.done >= self.total else 'ETA ' + eta}  "
        if self.label:
            text = f"{self.label}: {text}"
        if self.detail:
            text += f"({self.detail})  "
        if self.limit is not None:
            text += f"{now - self.start:.0f} s of {self.limit:g} s  "
        return text

    def close(self) -> None:
        """End the line (if one was drawn)."""
        if self.enabled and self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
