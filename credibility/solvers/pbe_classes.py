"""The classes of perfect Bayesian equilibria of signalling games, in one place.

A class is a property of the sender's strategy alone (Fudenberg & Tirole
1991, *Game Theory*, section 8.2; Gibbons 1992, *Game Theory for Applied
Economists*, section 4.2):

- ``separating``: every type sends its own message, with certainty;
- ``pooling``: every type sends the same message, with certainty;
- ``partially pooling``: pure, neither (three or more types, some share);
- ``semi-separating``: some type mixes between messages. Gibbons calls these
  *hybrid* equilibria; other authors say *partially separating*.

The receiver's mixing never makes a class of its own: a pooling equilibrium
whose receiver mixes (on or off the path) is pooling. Types with prior zero
are ignored.

Every place that names a class (solve, threshold, sweep columns, plots, JSON)
takes it from :class:`SignallingClass`; an outcome (the set of classes
present) is written by :func:`outcome_label`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

__all__ = ["NO_EQUILIBRIUM", "SignallingClass", "ordered", "outcome_label", "sender_class"]


class SignallingClass(StrEnum):
    """A class of perfect Bayesian equilibrium (its value is the name printed).

    Examples
    --------
    >>> SignallingClass.SEMI_SEPARATING, SignallingClass.SEMI_SEPARATING.column
    ('semi-separating', 'semi_separating')
    >>> [c.value for c in SignallingClass if c.pure]
    ['separating', 'pooling', 'partially pooling']
    """

    SEPARATING = "separating"
    POOLING = "pooling"
    PARTIALLY_POOLING = "partially pooling"
    SEMI_SEPARATING = "semi-separating"

    def __repr__(self) -> str:  # prints as the name people read, in lists too
        return repr(self.value)

    @property
    def pure(self) -> bool:
        """True for the classes of a pure sender strategy."""
        return self is not SignallingClass.SEMI_SEPARATING

    @property
    def column(self) -> str:
        """The name as a column or identifier (``semi_separating``)."""
        return self.value.replace("-", "_").replace(" ", "_")


#: The outcome label when no equilibrium exists (of those enumerated).
NO_EQUILIBRIUM = "no equilibrium"


def sender_class(messages: Sequence[Sequence[int]]) -> SignallingClass:
    """The class of a sender strategy given by the messages each type sends.

    Parameters
    ----------
    messages : sequence of sequence of int
        For each type of positive prior, the messages it sends with positive
        probability.

    Examples
    --------
    >>> sender_class([[0], [0, 1]]), sender_class([[1], [1]]), sender_class([[0], [1], [1]])
    ('semi-separating', 'pooling', 'partially pooling')
    """
    if any(len(sent) > 1 for sent in messages):
        return SignallingClass.SEMI_SEPARATING
    distinct = len({tuple(sent) for sent in messages})
    if distinct == 1:
        return SignallingClass.POOLING
    if distinct == len(messages):
        return SignallingClass.SEPARATING
    return SignallingClass.PARTIALLY_POOLING


def ordered(classes: Iterable[str]) -> list[SignallingClass]:
    """The distinct classes in the enumeration's order."""
    present = {SignallingClass(c) for c in classes}
    return [c for c in SignallingClass if c in present]


def outcome_label(classes: Iterable[str], complete: bool = True) -> str:
    """The one label of an outcome: the classes present, in the enumeration's order.

    ``complete`` is False when only pure equilibria were looked for (games
    too large for mixed ones): an empty outcome then reads "no pure
    equilibrium" (a finite game always has some equilibrium, perhaps mixed).

    Examples
    --------
    >>> outcome_label(["semi-separating", "pooling", "separating", "pooling"])
    'separating + pooling + semi-separating'
    >>> outcome_label([]), outcome_label([], complete=False)
    ('no equilibrium', 'no pure equilibrium')
    """
    label = " + ".join(c.value for c in ordered(classes))
    return label or (NO_EQUILIBRIUM if complete else "no pure equilibrium")
