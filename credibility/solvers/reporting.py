"""Progress of long enumerations, reported to whoever asked for it.

Solvers are silent. Inside a :func:`reporting` block, an enumeration that can take
long calls ``callback(done, total, unit)`` now and then: how many of its units of work
(``unit``, such as ``"sender support profiles"``) are done, of how many (``None`` when
the total is not known in advance). The command line draws its progress display
from these calls during ``credibility solve``.

Examples
--------
>>> import credibility as cr
>>> seen = []
>>> with reporting(lambda done, total, unit: seen.append((done, total, unit))):
...     _ = cr.solve(cr.load("sinking_costs"))
>>> seen[0], seen[-1]
((0, 9, 'sender support profiles'), (9, 9, 'sender support profiles'))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["Report", "reporter", "reporting"]

#: ``callback(done, total, unit)``: units of work done, of how many (None if unknown).
Report = Callable[[int, "int | None", str], None]

_reporter: ContextVar[Report | None] = ContextVar("solver_progress", default=None)


@contextmanager
def reporting(callback: Report) -> Iterator[None]:
    """Inside the block, long enumerations report their progress to ``callback``."""
    token = _reporter.set(callback)
    try:
        yield
    finally:
        _reporter.reset(token)


def reporter() -> Report | None:
    """The callback of the innermost :func:`reporting` block, or None outside any."""
    return _reporter.get()
