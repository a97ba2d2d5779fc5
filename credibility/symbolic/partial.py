"""What a derivation that cannot finish says: the refusal before it starts, or what it finished.

Two limits keep :func:`credibility.thresholds` from running without end:

* before any work, a game whose payoffs use more than
  :data:`~credibility.symbolic.budget.MAX_FREE_PARAMETERS` free parameters is refused
  (:func:`refuse_too_many`), with the parameters to bind;
* on the way, a time budget (:mod:`credibility.symbolic.budget`) or more than
  :data:`~credibility.symbolic.regions.MAX_REGIONS` regions stops it; a :class:`Partial` then
  records where it stopped, what it finished and what not, and which parameters to bind:
  those that appear in the most conditions the derivation met (each parameter bound removes
  every split on a condition that depends on it alone with the chosen one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from ..errors import GameTooLargeError
from ..expressions import format_number
from ..kinds import adapter_for
from ..models import Game
from ..parameters import Parameter
from . import regions
from .budget import MAX_FREE_PARAMETERS

__all__ = ["Partial", "Suggestion", "appearances", "refuse_too_many", "suggest"]

#: What each stage of a derivation does, in words.
STAGES = {
    "start": "before the derivation began",
    "candidates": "while deriving the candidate equilibria",
    "regions": "while splitting the parameter space into regions",
    "conditions": "while shortening the regions' conditions",
    "thresholds": "while solving for the thresholds",
}


@dataclass(frozen=True)
class Suggestion:
    """A parameter to bind, the value suggested (its default) and the conditions it appears in."""

    name: str
    value: Fraction
    conditions: int

    @property
    def option(self) -> str:
        """The command-line option that binds it."""
        return f"--param {self.name}={format_number(self.value)}"

    @property
    def literal(self) -> str:
        """The value as a ``params=`` mapping takes it: ``2``, ``-1`` or ``'1/2'``."""
        text = format_number(self.value)
        return text if self.value.denominator == 1 else repr(text)


def params_text(bind: tuple[Suggestion, ...] | list[Suggestion], more: bool = False) -> str:
    """The suggestions as the ``params=`` argument binds them, ``...`` last if ``more``.

    Examples
    --------
    >>> params_text((Suggestion("w", Fraction(1), 2), Suggestion("h", Fraction(1, 2), 1)), True)
    "params={'w': 1, 'h': '1/2', ...}"
    """
    items = [f"{s.name!r}: {s.literal}" for s in bind] + (["..."] if more else [])
    return "params={" + ", ".join(items) + "}"


@dataclass(frozen=True)
class Partial:
    """Where a derivation stopped, what it finished, and what to bind to finish it.

    Attributes
    ----------
    reason : str
        ``"budget"`` (the time ran out) or ``"regions"`` (more than ``MAX_REGIONS`` regions).
    stage : str
        The stage under way (see :class:`~credibility.symbolic.budget.Step`).
    elapsed : float
        Seconds used.
    seconds : float or None
        The budget.
    finished, unfinished : tuple of str
        What was derived, and what was not, in words.
    bind : tuple of Suggestion
        The parameters to bind first, those in the most conditions first.
    parameter : str
        The parameter whose thresholds were sought (never suggested).
    counted : str
        What ``bind`` counts: ``"conditions"`` met on the way, or ``"payoffs"`` (when it
        stopped before meeting any).
    """

    reason: str
    stage: str
    elapsed: float
    seconds: float | None
    finished: tuple[str, ...]
    unfinished: tuple[str, ...]
    bind: tuple[Suggestion, ...]
    parameter: str
    counted: str = "conditions"

    @property
    def message(self) -> str:
        """Why it stopped, in one sentence.

        Examples
        --------
        >>> Partial("budget", "regions", 60.2, 60, (), (), (), "c").message
        'the time budget of 60 s ran out while splitting the parameter space into regions'
        """
        where = STAGES.get(self.stage, f"in stage {self.stage}")
        if self.reason == "regions":
            return f"the parameter space splits into more than {regions.MAX_REGIONS} regions"
        return f"the time budget of {self.seconds:g} s ran out {where}"

    @property
    def advice(self) -> str:
        """What to bind to finish, with the command line's options to type.

        The JSON contract's ``advice`` and the rendered partial result say it so;
        :attr:`params_advice` says it with the library's ``params=`` argument.

        Examples
        --------
        >>> bind = (Suggestion("w", Fraction(1), 12), Suggestion("l", Fraction(-1), 9))
        >>> print(Partial("budget", "regions", 1.0, 1, (), (), bind, "c").advice)
        bind the parameters in the most conditions (w in 12, l in 9): --param w=1 --param l=-1, \
or every parameter but c with --defaults
        """
        defaults = f"every parameter but {self.parameter} with --defaults"
        if not self.bind:
            return f"bind {defaults}"
        counts = ", ".join(f"{s.name} in {s.conditions:,}" for s in self.bind)
        options = " ".join(s.option for s in self.bind)
        return (
            f"bind the parameters in the most {self.counted} ({counts}): {options}, or {defaults}"
        )

    @property
    def params_advice(self) -> str:
        """What to bind to finish, as the ``params=`` argument of :func:`credibility.thresholds`.

        Examples
        --------
        >>> bind = (Suggestion("w", Fraction(1), 12), Suggestion("l", Fraction(-1), 9))
        >>> print(Partial("budget", "regions", 1.0, 1, (), (), bind, "c").params_advice)
        bind the parameters in the most conditions (w in 12, l in 9): params={'w': 1, 'l': -1}, \
or every parameter but c at its default
        """
        defaults = f"every parameter but {self.parameter} at its default"
        if not self.bind:
            return f"bind {defaults}"
        counts = ", ".join(f"{s.name} in {s.conditions:,}" for s in self.bind)
        return (
            f"bind the parameters in the most {self.counted} ({counts}): "
            f"{params_text(self.bind)}, or {defaults}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``partial`` object of the JSON contract."""
        return {
            "reason": self.reason,
            "stage": self.stage,
            "message": self.message,
            "seconds": None if self.seconds is None else format_number(Fraction(str(self.seconds))),
            "elapsed": f"{self.elapsed:.3f}",
            "finished": list(self.finished),
            "unfinished": list(self.unfinished),
            "bind": [
                {"name": s.name, "value": format_number(s.value), "conditions": s.conditions}
                for s in self.bind
            ],
            "advice": self.advice,
        }


def expressions(game: Game) -> Iterator[sympy.Expr]:
    """Every payoff, chance probability and prior of a game (its kind's adapter lists them)."""
    return adapter_for(game).expressions(game)


def appearances(game: Game) -> Counter[str]:
    """For each parameter, the number of payoffs, probabilities and priors it appears in."""
    counts: Counter[str] = Counter()
    for value in expressions(game):
        counts.update(str(s) for s in value.free_symbols)
    return counts


def suggest(
    free: list[Parameter],
    chosen: str,
    counts: Counter[str],
    size: int = 3,
    ties: Counter[str] | None = None,
) -> tuple[Suggestion, ...]:
    """The free parameters (but ``chosen``) in the most conditions, at most ``size`` of them.

    Ties go to the larger count in ``ties``, then to the game's order; parameters in no
    condition are not suggested.

    Examples
    --------
    >>> from collections import Counter
    >>> free = [Parameter("a", 1), Parameter("b", 2), Parameter("c", 3)]
    >>> [s.option for s in suggest(free, "a", Counter({"a": 9, "c": 4, "b": 4}))]
    ['--param b=2', '--param c=3']
    """
    ranked = sorted(
        (p for p in free if p.name != chosen and counts[p.name] > 0),
        key=lambda p: (-counts[p.name], -(ties or Counter())[p.name]),
    )
    return tuple(Suggestion(p.name, Fraction(p.default), counts[p.name]) for p in ranked[:size])


def refuse_too_many(game: Game, chosen: str, free: list[Parameter]) -> None:
    """Refuse, before any work, a game whose payoffs use too many free parameters.

    Raises
    ------
    GameTooLargeError
        Beyond ``MAX_FREE_PARAMETERS`` free parameters in the payoffs, probabilities and
        priors (declared parameters that none of them uses do not count). Its
        ``suggested_params`` maps the parameters to bind first (those in the most
        payoffs) to their defaults, ready for ``params=``.
    """
    counts = appearances(game)
    used = [p for p in free if counts[p.name] > 0]
    if len(used) <= MAX_FREE_PARAMETERS:
        return
    extra = len(used) - MAX_FREE_PARAMETERS
    suggested = suggest(used, chosen, counts)
    error = GameTooLargeError(
        f"{len(used):,} free parameters appear in the game's payoffs, more than the "
        f"{MAX_FREE_PARAMETERS} a symbolic derivation keeps: bind at least {extra:,} of them "
        f"(those in the most payoffs first: {params_text(suggested, more=True)}), "
        f"or every parameter but {chosen} at its default"
    )
    error.suggested_params = {s.name: s.value for s in suggested}  # type: ignore[attr-defined]
    raise error
