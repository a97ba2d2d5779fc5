"""A one-line progress bar on standard error: points done, points per second, time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Redraws at most ten times a second; silent when ``enabled`` is False.

    Parameters
    ----------
    total : int
        Points in the sweep.
    done : int
        Points already done (a resumed sweep); the rate counts new ones only.
    enabled : bool
    stream : text file, optional
        Standard error by default.

    Examples
    --------
    >>> import io
    >>> stream = io.StringIO()
    >>> bar = Progress(1000, enabled=True, stream=stream)
    >>> bar.update(1000)
    >>> bar.close()
    >>> "1,000 / 1,000 points" in stream.getvalue()
    True
    """

    def __init__(self, total: int, done: int = 0, *, enabled: bool, stream: TextIO | None = None):
        self.total, self.done, self.start_done = total, done, done
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.start = self.last = time.perf_counter()

    def update(self, points: int) -> None:
        """Count ``points`` more done, and redraw if it is time to."""
        self.done += points
        now = time.perf_counter()
        if self.enabled and (now - self.last >= 0.1 or self.done >= self.total):
            self.last = now
            self.stream.write("\r" + self.line(now))
            self.stream.flush()

    def line(self, now: float) -> str:
        """The bar's text at time ``now``."""
        elapsed = max(now - self.start, 1e-9)
        rate = (self.done - self.start_done) / elapsed
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        eta = _clock(left) if left != float("inf") else "?"
        return (
            f"[{'#' * filled}{'.' * (width - filled)}] {self.done:,} / {self.total:,} points"
            f"  {rate:,.0f} points/s  {'done' if self.done >= self.total else 'ETA ' + eta}  "
        )

    def close(self) -> None:
        """End the line."""
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
