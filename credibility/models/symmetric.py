"""Symmetric games: ``n`` players with the same two actions and payoffs that depend on counts.

Notation: ``n >= 2`` players (members of an alliance), each choosing the first action
(``Defend``, the one counted) or the second (``Abstain``). A member's payoff depends on its
own action and on ``k``, the number of the *other* ``n - 1`` members who choose the first
action: ``u1(k)`` if it chooses the first action, ``u2(k)`` if the second. Each payoff is a
*base* expression in the parameters and ``k``, plus *steps*: an amount ``add`` paid only
when ``k >= at_least`` (``at_least`` an expression in the parameters, an integer at bound
values). The volunteer's dilemma (Diekmann 1985) is ``u1(k) = b - c`` and ``u2(k) = b`` if
``k >= 1``, else 0: a base 0 and one step ``{at_least = 1, add = "b"}``.

The number of players is an integer or the name of an integer parameter whose minimum is at
least 2 (``players = "n"``), so ``n`` can be swept and thresholded like any parameter.
``answer_at_least`` is how many members choosing the first action make "the alliance
answers" (default 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar

from ..errors import GameFileError
from ..parameters import Parameter, ParamValues
from .common import Binding, Distribution, GameInfo

if TYPE_CHECKING:
    import sympy

__all__ = ["K_NAME", "ActionPayoff", "Step", "SymmetricGame"]

#: The name payoff expressions use for the number of *other* players choosing the first action.
K_NAME = "k"


@dataclass(frozen=True)
class Step:
    """A payoff ``add`` paid only when at least ``at_least`` others choose the first action.

    Attributes
    ----------
    at_least : sympy.Expr
        An expression in the parameters (not in ``k``); an integer at bound values.
    add : sympy.Expr
        An expression in the parameters and ``k``.
    """

    at_least: sympy.Expr
    add: sympy.Expr


@dataclass(frozen=True)
class ActionPayoff:
    """The payoff of one action: ``base`` plus each step whose count is reached.

    Attributes
    ----------
    base : sympy.Expr
        An expression in the parameters and ``k``.
    steps : tuple of Step
    """

    base: sympy.Expr
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True, repr=False)
class SymmetricGame:
    """A symmetric game of ``n`` players with two actions, payoffs depending on counts.

    Parameters
    ----------
    count : str or int
        The number of players: the name of an integer parameter (its minimum at least 2), or an
        integer of at least 2.
    actions : tuple of two str
        The first is the action counted by ``k``.
    payoffs : tuple of two ActionPayoff
        The payoff of each action, in the order of ``actions``.
    parameters : tuple of Parameter
    info : GameInfo
    answer_at_least : sympy.Expr or int
        How many members choosing the first action make the alliance answer (default 1).

    Examples
    --------
    >>> import sympy
    >>> from credibility import Parameter
    >>> n = Parameter("n", Fraction(3), Fraction(2), Fraction(10))
    >>> game = SymmetricGame("n", ("Defend", "Abstain"),
    ...     (ActionPayoff(sympy.Integer(3)), ActionPayoff(sympy.Integer(0),
    ...      (Step(sympy.Integer(1), sympy.Integer(4)),))), (n,))
    >>> game
    <SymmetricGame 'game': n players (Defend, Abstain)>
    >>> [str(d) for d in game.differences(game.bind({"n": 4}))]
    ['3', '-1', '-1', '-1']
    """

    kind: ClassVar[str] = "symmetric"

    count: str | int
    actions: tuple[str, str]
    payoffs: tuple[ActionPayoff, ActionPayoff]
    parameters: tuple[Parameter, ...] = ()
    info: GameInfo = field(default_factory=GameInfo)
    answer_at_least: sympy.Expr | int = 1

    def __post_init__(self) -> None:
        if len(self.actions) != 2 or len(set(self.actions)) != 2:
            raise GameFileError("expected two distinct action names", field="actions")
        if len(self.payoffs) != 2:
            raise GameFileError("expected the payoff of each of the two actions", field="payoffs")
        names = {p.name: p for p in self.parameters}
        if K_NAME in names:
            raise GameFileError(
                f"'{K_NAME}' is reserved for the number of other players choosing "
                f"'{self.actions[0]}'; rename the parameter",
                field=f"parameters.{K_NAME}",
            )
        if isinstance(self.count, bool) or not isinstance(self.count, (int, str)):
            raise GameFileError(
                "expected an integer or the name of an integer parameter", field="players"
            )
        if isinstance(self.count, int):
            if self.count < 2:
                raise GameFileError(
                    f"expected at least 2 players, got {self.count}", field="players"
                )
            return
        parameter = names.get(self.count)
        if parameter is None:
            declared = ", ".join(sorted(names)) or "none"
            raise GameFileError(
                f"'{self.count}' is not a parameter (declared: {declared}); give an integer "
                "or the name of an integer parameter",
                field="players",
            )
        where = f"parameters.{self.count}"
        if parameter.minimum is None or parameter.minimum < 2:
            raise GameFileError(
                f"the number of players '{self.count}' needs min >= 2, got "
                f"{'none' if parameter.minimum is None else parameter.minimum}",
                field=f"{where}.min",
            )
        for key, value in (
            ("default", parameter.default),
            ("min", parameter.minimum),
            ("max", parameter.maximum),
        ):
            if value is not None and value.denominator != 1:
                raise GameFileError(
                    f"the number of players '{self.count}' must be an integer, got {value}",
                    field=f"{where}.{key}",
                )

    def __repr__(self) -> str:
        return (
            f"<SymmetricGame {self.info.label!r}: {self.count} players ({', '.join(self.actions)})>"
        )

    @property
    def players(self) -> tuple[str, ...]:
        """The members as names: ``Member 1``, ``...``, ``Member n`` (``n`` the count)."""
        if isinstance(self.count, int) and self.count <= 3:
            return tuple(f"Member {i + 1}" for i in range(self.count))
        return ("Member 1", "...", f"Member {self.count}")

    @property
    def count_parameter(self) -> Parameter | None:
        """The parameter giving the number of players (None: a fixed integer)."""
        if isinstance(self.count, int):
            return None
        return next(p for p in self.parameters if p.name == self.count)

    def bind(self, params: ParamValues | None = None) -> Binding:
        """Choose parameter values (defaults unless overridden)."""
        return Binding.of(self.parameters, params)

    def distributions(self) -> tuple[Distribution, ...]:
        """None: a symmetric game has no probabilities among its data."""
        return ()

    def members(self, binding: Binding) -> int:
        """The number of players at the bound values (an integer of at least 2)."""
        if isinstance(self.count, int):
            return self.count
        value = binding.values[self.count]
        if value.denominator != 1 or value < 2:
            raise GameFileError(
                f"the number of players '{self.count}' must be an integer of at least 2, "
                f"got {value}",
                field="players",
            )
        return int(value)

    def answer_count(self, binding: Binding) -> int:
        """How many members choosing the first action make the alliance answer (bound)."""
        return _integer(self.answer_at_least, binding, "answer_at_least")

    def payoff_values(self, binding: Binding) -> tuple[list[Fraction], list[Fraction]]:
        """``u1(k)`` and ``u2(k)`` for ``k = 0 .. n-1`` at the bound values, exactly."""
        n = self.members(binding)
        out = []
        for index, payoff in enumerate(self.payoffs):
            field_name = f"payoffs.{self.actions[index]}"
            values = _values(payoff.base, n, binding, f"{field_name}.base")
            for s, step in enumerate(payoff.steps):
                at = _integer(step.at_least, binding, f"{field_name}.steps[{s}].at_least")
                add = _values(step.add, n, binding, f"{field_name}.steps[{s}].add")
                values = [v + (a if k >= at else 0) for k, (v, a) in enumerate(zip(values, add))]
            out.append(values)
        return out[0], out[1]

    def differences(self, binding: Binding) -> list[Fraction]:
        """``d(k) = u1(k) - u2(k)`` for ``k = 0 .. n-1``: the gain of the first action."""
        first, second = self.payoff_values(binding)
        return [a - b for a, b in zip(first, second)]


def _integer(expr: sympy.Expr | int, binding: Binding, where: str) -> int:
    value = Fraction(expr) if isinstance(expr, int) else binding.value(expr, where)
    if value.denominator != 1:
        raise GameFileError(f"expected an integer at the bound values, got {value}", field=where)
    return int(value)


def _values(expr: sympy.Expr, n: int, binding: Binding, where: str) -> list[Fraction]:
    """``expr`` at ``k = 0 .. n-1`` (the parameters bound), exactly."""
    import sympy  # lazy: start-up time

    k = sympy.Symbol(K_NAME)
    bound = sympy.sympify(expr).xreplace(
        {s: sympy.Rational(v.numerator, v.denominator) for s, v in binding.substitution.items()}
    )
    if k not in bound.free_symbols:
        value = binding.value(bound, where)
        return [value] * n
    return [binding.value(bound.xreplace({k: sympy.Integer(i)}), where) for i in range(n)]
