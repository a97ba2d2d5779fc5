"""A time budget for symbolic derivations, and the progress they report on the way.

A derivation with many parameters free can take minutes or more (the regions multiply with every
comparison the parameters leave open). The steps of :func:`credibility.thresholds` call
:func:`checkpoint` between units of work: it hands a :class:`Step` (stage, count, time used) to
the budget's progress callback, and raises :class:`OutOfBudget` once the time is up, so that the
derivation stops and reports what it finished.

Checks between steps cannot cut short one step that runs long by itself (a single sympy call on
a large expression). Where Python allows it (the main thread, on a system with ``SIGALRM``, no
handler of its own installed, the real clock), :func:`running` also sets a timer for the end of
the budget, which raises the same exception inside such a call (and, should it ring inside a
finalizer or another callback where Python drops exceptions, rings again 10 ms later).
``OutOfBudget`` derives from ``BaseException``, so that no ``except Exception`` inside sympy
swallows it; callers never see it: :func:`credibility.thresholds` turns it into a
:class:`~credibility.symbolic.threshold_result.DerivationStopped` error carrying the partial result.

While it runs, a derivation also notes the conditions it meets (:func:`note`): which parameters
appear in the most of them is what to bind first when it cannot finish.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "MAX_FREE_PARAMETERS",
    "Budget",
    "OutOfBudget",
    "Step",
    "check",
    "checkpoint",
    "note",
    "running",
]

#: The most free parameters the game's payoffs may use for a symbolic derivation to start
#: (a 2 x 2 game with 64 of them takes 10 s here, with 128 a minute; more are refused at once).
MAX_FREE_PARAMETERS = 64


@dataclass(frozen=True)
class Step:
    """One progress report of a derivation.

    Attributes
    ----------
    stage : str
        The step under way: ``"start"``, ``"candidates"`` (candidate equilibria or support
        profiles), ``"regions"`` (splitting the parameter space), ``"conditions"`` (shortening
        each outcome's condition) or ``"thresholds"`` (the roots, and the solver's check at
        each candidate point).
    done : int
        Units of the stage done so far.
    total : int or None
        Units of the stage in all, if known.
    unit : str
        What ``done`` counts (``"support pairs"``, ``"branches"``).
    detail : str
        More about the stage (``"37 regions, 12 branches pending"``).
    elapsed : float
        Seconds since the derivation started.
    seconds : float or None
        The budget (None: no limit).
    """

    stage: str
    done: int
    total: int | None
    unit: str
    detail: str
    elapsed: float
    seconds: float | None


class OutOfBudget(BaseException):  # a signal to stop, like KeyboardInterrupt
    """Raised inside a derivation when its time is up (caught by the derivation itself).

    Attributes
    ----------
    step : Step or None
        The last step reported before the budget ran out.
    found : tuple
        Work finished inside the interrupted stage, if it keeps any (regions found so far).
    pending : int
        Branches of that stage left unexplored.
    """

    def __init__(self, step: Step | None) -> None:
        super().__init__("the time budget ran out")
        self.step = step
        self.found: tuple[Any, ...] = ()
        self.pending = 0


class Budget:
    """The time a derivation may take, where it reports progress, and what it has met so far.

    Parameters
    ----------
    seconds : float, optional
        Seconds allowed (None, the default, or infinity: no limit). 0 stops at the first
        check.
    progress : callable, optional
        Called with a :class:`Step` at every check (often: keep it cheap, or throttle it).
    clock : callable
        Seconds as a float, ``time.monotonic`` by default (tests pass a fake one).

    Examples
    --------
    >>> ticks = iter(range(100))
    >>> budget = Budget(2, clock=lambda: next(ticks))
    >>> with running(budget):
    ...     try:
    ...         for done in range(10):
    ...             checkpoint("regions", done, unit="branches")
    ...     except OutOfBudget as stop:
    ...         print(stop.step.stage, stop.step.done, stop.step.elapsed)
    regions 1 2.0
    """

    def __init__(
        self,
        seconds: float | None = None,
        *,
        progress: Callable[[Step], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if seconds is not None and not seconds >= 0:
            raise ValueError(f"a budget is a number of seconds >= 0, not {seconds!r}")
        self.seconds = None if seconds == float("inf") else seconds
        self.progress = progress
        self.clock = clock
        self.started = clock()
        self.last: Step | None = None
        self._shown = 0.0  # when the progress callback was last called
        #: For each parameter, the number of distinct conditions it appears in.
        self.counts: Counter[str] = Counter()
        #: For each parameter, the number of times a condition with it was met (a split on
        #: one condition in many branches counts each time): what breaks ties in ``counts``.
        self.occurrences: Counter[str] = Counter()
        self._seen: set[Any] = set()

    @property
    def elapsed(self) -> float:
        """Seconds since the derivation started."""
        return float(self.clock() - self.started)

    def report(
        self, stage: str, done: int, total: int | None = None, unit: str = "", detail: str = ""
    ) -> None:
        """Record a step, pass it to the progress callback, and stop if the time is up.

        Raises
        ------
        OutOfBudget
            Once ``elapsed`` reaches ``seconds``.
        """
        elapsed = self.elapsed
        step = Step(stage, done, total, unit, detail, elapsed, self.seconds)
        self.last = step
        if self.progress is not None:
            self._shown = elapsed
            self.progress(step)
        if self.seconds is not None and elapsed >= self.seconds:
            _disarm()
            raise OutOfBudget(step)

    def check(self) -> None:
        """Stop if the time is up (a cheap check for inner loops).

        It reports no step, but passes the last one again to the progress callback, with
        the time used, every half second: a long step does not look like a hang.
        """
        elapsed = self.elapsed
        if self.progress is not None and self.last is not None and elapsed - self._shown >= 0.5:
            self._shown = elapsed
            self.progress(replace(self.last, elapsed=elapsed))
        if self.seconds is not None and elapsed >= self.seconds:
            _disarm()
            raise OutOfBudget(self.last)

    def note(self, conditions: Iterable[Any]) -> None:
        """Count, for each parameter, the conditions (sympy objects) it appears in."""
        for condition in conditions:
            names = [str(s) for s in getattr(condition, "free_symbols", ())]
            self.occurrences.update(names)
            if condition not in self._seen:
                self._seen.add(condition)
                self.counts.update(names)


_current: ContextVar[Budget | None] = ContextVar("credibility_budget", default=None)


def checkpoint(
    stage: str, done: int, total: int | None = None, *, unit: str = "", detail: str = ""
) -> None:
    """Report a step to the running budget (nothing happens outside :func:`running`).

    Raises
    ------
    OutOfBudget
        If the running budget's time is up.
    """
    budget = _current.get()
    if budget is not None:
        budget.report(stage, done, total, unit, detail)


def check() -> None:
    """Stop if the running budget's time is up (no report; for inner loops)."""
    budget = _current.get()
    if budget is not None:
        budget.check()


def note(conditions: Iterable[Any]) -> None:
    """Note conditions met, for the suggestion of what to bind (nothing outside :func:`running`)."""
    budget = _current.get()
    if budget is not None:
        budget.note(conditions)


@contextmanager
def running(budget: Budget) -> Iterator[Budget]:
    """Make ``budget`` the one :func:`checkpoint` reports to, and set the timer if possible.

    The clock starts here. The timer (see the module's notes) is set only with the real clock,
    a finite positive budget, in the main thread, and when no ``SIGALRM`` handler or timer is
    in use; it is cleared on the way out, and the previous handler restored.
    """
    budget.started = budget.clock()
    token = _current.set(budget)
    previous = _arm(budget)
    hook = sys.unraisablehook
    armed = _timer_is_ours()
    if armed:
        sys.unraisablehook = _rung_again_if_lost(hook)
    try:
        yield budget
    finally:
        _disarm()
        if armed:
            sys.unraisablehook = hook
        if previous is not None:
            signal.signal(signal.SIGALRM, previous)
        _current.reset(token)


def _arm(budget: Budget) -> Any:
    """Set the timer for the end of the budget; the previous handler, or None if not set."""
    seconds = budget.seconds
    if (
        seconds is None
        or not 0 < seconds < 10**7
        or budget.clock is not time.monotonic
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        return None
    previous = signal.getsignal(signal.SIGALRM)
    if previous not in (signal.SIG_DFL, None) or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        return None

    def expired(signum: int, frame: Any) -> None:
        _disarm()
        raise OutOfBudget(budget.last)

    signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return previous


#: Seconds until the timer rings again when its exception was lost.
_AGAIN = 0.01


def _rung_again_if_lost(hook: Callable[[Any], object]) -> Callable[[Any], None]:
    """``sys.unraisablehook`` while the timer is set: a lost stop rings again 10 ms later.

    Python runs finalizers (``__del__``), weak reference callbacks and the garbage collector's
    callbacks (which some libraries install, Hypothesis among them) wherever an allocation or
    a release happens to trigger them. The timer may ring inside one; the exception it raises
    there cannot propagate, and Python hands it to this hook instead ("Exception ignored in
    ..."). Such a stop is dropped quietly and the timer set again, to ring in the derivation's
    own code; anything else goes to ``hook``.
    """

    def lost(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, OutOfBudget) and _timer_is_ours():
            signal.setitimer(signal.ITIMER_REAL, _AGAIN)
            return
        hook(unraisable)

    return lost


def _timer_is_ours() -> bool:
    """Whether the ``SIGALRM`` handler is this module's (then only this module sets the timer)."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and getattr(signal.getsignal(signal.SIGALRM), "__qualname__", "").startswith("_arm.")
    )


def _disarm() -> None:
    """Clear the timer if this module set it (a no-op otherwise)."""
    if _timer_is_ours():
        signal.setitimer(signal.ITIMER_REAL, 0)
