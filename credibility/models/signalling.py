"""Signalling games: a sender of private type sends a message, a receiver responds.

Nature draws the sender's type ``t`` with prior probability ``prior[t]``; the
sender sees it and sends a message ``m``; the receiver sees ``m`` (not ``t``)
and chooses a response ``r``. ``payoffs[t][m][r]`` is the pair
``(sender payoff, receiver payoff)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ..deferred import defer_fields
from ..errors import GameFileError
from ..parameters import Parameter, ParamValues
from .common import Binding, Distribution, GameInfo

if TYPE_CHECKING:
    import sympy

__all__ = ["SenderType", "SignallingGame"]

PayoffPair = tuple["sympy.Expr", "sympy.Expr"]


@dataclass(frozen=True)
class SenderType:
    """One type of the sender.

    Parameters
    ----------
    name : str
    prior : sympy.Expr
        Nature's probability of this type.
    payoffs : tuple of tuples of (sender, receiver) pairs
        Indexed ``[message][response]`` in the game's order.
    """

    name: str
    prior: sympy.Expr
    payoffs: tuple[tuple[PayoffPair, ...], ...]


defer_fields(SenderType, "prior", "payoffs")  # held back from sympy while not loaded: start-up time


@dataclass(frozen=True)
class SignallingGame:
    """A sender-receiver game with a sender of private type.

    Parameters
    ----------
    players : tuple of two str
        Sender first, receiver second.
    messages, responses : tuple of str
    types : tuple of SenderType
    parameters : tuple of Parameter
    info : GameInfo

    Examples
    --------
    >>> import sympy
    >>> half, one, zero = sympy.Rational(1, 2), sympy.Integer(1), sympy.Integer(0)
    >>> pay = ((one, zero), (zero, one))
    >>> types = (SenderType("High", half, (pay, pay)), SenderType("Low", half, (pay, pay)))
    >>> game = SignallingGame(("S", "R"), ("a", "b"), ("x", "y"), types)
    >>> [t.name for t in game.types]
    ['High', 'Low']
    """

    kind: ClassVar[str] = "signalling"

    players: tuple[str, str]
    messages: tuple[str, ...]
    responses: tuple[str, ...]
    types: tuple[SenderType, ...]
    parameters: tuple[Parameter, ...] = ()
    info: GameInfo = field(default_factory=GameInfo)

    def __post_init__(self) -> None:
        if len(self.players) != 2 or self.players[0] == self.players[1]:
            raise GameFileError("expected two distinct player names", field="players")
        for what, labels in (
            ("types", [t.name for t in self.types]),
            ("messages", self.messages),
            ("responses", self.responses),
        ):
            if len(labels) < 2:
                raise GameFileError(f"a signalling game needs at least two {what}", field=what)
            if len(set(labels)) != len(labels):
                raise GameFileError(f"{what} must have distinct names", field=what)
        for sender_type in self.types:
            shape_ok = len(sender_type.payoffs) == len(self.messages) and all(
                len(row) == len(self.responses) for row in sender_type.payoffs
            )
            if not shape_ok:
                raise GameFileError(
                    "expected a payoff pair for every message and response",
                    field=f"types.{sender_type.name}.payoffs",
                )

    @property
    def sender(self) -> str:
        """The sender's name."""
        return self.players[0]

    @property
    def receiver(self) -> str:
        """The receiver's name."""
        return self.players[1]

    def distributions(self) -> tuple[Distribution, ...]:
        """The priors, which must form a distribution."""
        return (
            Distribution("types", tuple((f"types.{t.name}.prior", t.prior) for t in self.types)),
        )

    def bind(self, params: ParamValues | None = None) -> Binding:
        """Choose parameter values and check that the priors form a distribution."""
        binding = Binding.of(self.parameters, params)
        for distribution in self.distributions():
            distribution.check(binding)
        return binding
