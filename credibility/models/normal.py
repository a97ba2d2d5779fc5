"""Games in strategic (normal) form with any number of players.

Notation: ``n >= 2`` players; player ``i`` has ``m_i`` strategies. A strategy
profile is a tuple ``(s_1, ..., s_n)`` of strategy indices, and the game's
*shape* is ``(m_1, ..., m_n)``. Player ``i``'s payoffs form a tensor ``u_i`` of
that shape: ``u_i[s_1, ..., s_n]`` is what ``i`` gets at the profile. Profiles
are numbered in row-major (C) order, the *last* player's strategy varying
fastest, as numpy lays out an array (Gambit's ``.nfg`` files list them the
other way round, first player fastest; :mod:`credibility.io.gambit_normal`
converts).

An entry is an exact number (a :class:`~fractions.Fraction`) or an expression
over the game's parameters, as in bimatrix files. Two-player games stay
:class:`~credibility.models.bimatrix.Bimatrix` games in files; ``NormalForm``
is for any number of players from two up.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, cast

from ..errors import GameFileError, GameTooLargeError
from ..expressions import parse_expression, parse_number
from ..parameters import Parameter, ParamValues
from .common import Binding, Distribution, GameInfo, symbols_of

if TYPE_CHECKING:
    import sympy

    from ..deferred import DeferredExpression

__all__ = ["MAX_PROFILES", "NormalForm", "check_size", "count_support_profiles"]

#: The largest number of strategy profiles (cells of the payoff tensor) a game may have:
#: 2**24, about 16.8 million. Each cell holds one payoff per player, and the solver
#: needs a few bytes per cell besides, so this bounds memory to a few hundred MB.
MAX_PROFILES = 2**24

#: A payoff: an int or Fraction, or a sympy (or deferred) expression over the parameters.
Entry: TypeAlias = "int | Fraction | sympy.Expr | DeferredExpression"


def check_size(shape: Sequence[int], field: str | None = "strategies") -> int:
    """The number of profiles of ``shape``; GameTooLargeError beyond :data:`MAX_PROFILES`.

    Called before any tensor of that size is built.

    Examples
    --------
    >>> check_size((2, 3, 4))
    24
    >>> check_size((1000, 1000, 1000))
    Traceback (most recent call last):
    ...
    credibility.errors.GameTooLargeError: field 'strategies': a game of shape 1000 x 1000 x 1000
    has 1,000,000,000 strategy profiles, more than the limit of 16,777,216 (MAX_PROFILES)
    """
    cells = math.prod(shape)
    if cells > MAX_PROFILES:
        dims = " x ".join(str(m) for m in shape)
        raise GameTooLargeError(
            f"a game of shape {dims} has {cells:,} strategy profiles, more than the limit of "
            f"{MAX_PROFILES:,} (MAX_PROFILES)",
            field=field,
        )
    return cells


def count_support_profiles(shape: Sequence[int]) -> int:
    """Support profiles (a nonempty set of strategies per player): ``prod(2**m_i - 1)``.

    Examples
    --------
    >>> count_support_profiles((2, 2, 2)), count_support_profiles((3, 3, 3))
    (27, 343)
    """
    return math.prod(2**m - 1 for m in shape)


@dataclass(frozen=True, repr=False)
class NormalForm:
    """A game in strategic form with ``n >= 2`` players.

    Parameters
    ----------
    players : tuple of str
        Distinct player names, at least two.
    strategies : tuple of tuple of str
        Each player's strategy labels (at least one each, distinct per player).
    payoffs : tuple of tuple
        Per player, the payoffs of every profile in row-major order (last
        player fastest), ``prod(shape)`` entries: exact numbers (int or
        Fraction) or expressions.
    parameters : tuple of Parameter
    info : GameInfo

    Examples
    --------
    >>> u = [[[1, 0], [0, 0]], [[0, 0], [0, 1]]]  # 2 x 2 x 2: all get 1 if they match
    >>> game = NormalForm.from_arrays([u, u, u])
    >>> game.shape, game.players
    ((2, 2, 2), ('Player 1', 'Player 2', 'Player 3'))
    """

    kind: ClassVar[str] = "normal"

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: tuple[tuple[Entry, ...], ...]
    parameters: tuple[Parameter, ...] = ()
    info: GameInfo = field(default_factory=GameInfo)

    def __post_init__(self) -> None:
        n = len(self.players)
        if n < 2:
            raise GameFileError(f"expected at least two players, got {n}", field="players")
        if len(set(self.players)) != n:
            raise GameFileError("expected distinct player names", field="players")
        if len(self.strategies) != n:
            raise GameFileError(
                f"expected the strategies of {n} players, got {len(self.strategies)}",
                field="strategies",
            )
        for player, labels in zip(self.players, self.strategies):
            if not labels:
                raise GameFileError(
                    f"player '{player}' needs at least one strategy", field="strategies"
                )
            if len(set(labels)) != len(labels):
                raise GameFileError(
                    f"the strategy labels of '{player}' must be distinct", field="strategies"
                )
        cells = check_size(self.shape)
        if len(self.payoffs) != n:
            raise GameFileError(
                f"expected payoffs for {n} players, got {len(self.payoffs)}", field="payoffs"
            )
        for player, entries in zip(self.players, self.payoffs):
            if len(entries) != cells:
                raise GameFileError(
                    f"expected {cells} payoffs of '{player}' (one per profile), got {len(entries)}",
                    field="payoffs",
                )

    @classmethod
    def from_arrays(
        cls,
        payoffs: Sequence[object],
        *,
        strategies: Sequence[Sequence[str]] | None = None,
        players: Sequence[str] | None = None,
        parameters: Sequence[Parameter] = (),
        title: str = "",
    ) -> NormalForm:
        """Build a game from one payoff tensor per player (nested lists or numpy arrays).

        Every tensor has the game's shape ``(m_1, ..., m_n)``, where ``n`` is the number
        of tensors. Entries may be numbers, Fractions or expression strings over
        ``parameters``.

        Parameters
        ----------
        payoffs : sequence of array-like
            ``payoffs[i][s_1]...[s_n]`` is player ``i``'s payoff.
        strategies : sequence of sequences of str, optional
            Labels; by default ``S1, S2, ...`` for every player.
        players : sequence of str, optional
            Names; by default ``Player 1, Player 2, ...``.
        parameters : sequence of Parameter
        title : str

        Examples
        --------
        >>> from credibility import Parameter
        >>> c = Parameter("c", Fraction(1), Fraction(0))
        >>> game = NormalForm.from_arrays(
        ...     [[[1, "-c"], [0, 0]], [[1, 0], ["-c", 0]]],
        ...     strategies=[["In", "Out"], ["In", "Out"]], players=["A", "B"], parameters=[c])
        >>> game.payoff("A", ("In", "Out"))
        -c
        """
        count = len(payoffs)
        if count < 2:
            raise GameFileError(
                f"expected one payoff tensor per player, at least two, got {count}",
                field="payoffs",
            )
        names = (
            tuple(players)
            if players is not None
            else tuple(f"Player {i + 1}" for i in range(count))
        )
        if len(names) != count:
            raise GameFileError(
                f"expected {count} player names (one per payoff tensor), got {len(names)}",
                field="players",
            )
        shape = _shape(payoffs[0], count, "payoffs[0]")
        check_size(shape, "payoffs")
        symbols = symbols_of(parameters)
        flat = []
        for i, tensor in enumerate(payoffs):
            raw = list(_flatten(tensor, shape, f"payoffs[{i}]"))
            if set(map(type, raw)) == {int} and min(raw) > -(2**63) and max(raw) < 2**63:
                flat.append(tuple(raw))  # machine-sized integers, kept as ints: fast
            else:
                flat.append(tuple(_entry(x, symbols) for x in raw))
        if strategies is None:
            labels = tuple(tuple(f"S{k + 1}" for k in range(m)) for m in shape)
        else:
            labels = tuple(tuple(s) for s in strategies)
            if len(labels) != count or tuple(len(s) for s in labels) != shape:
                got = tuple(len(s) for s in labels)
                raise GameFileError(
                    f"expected strategy labels for the shape {shape} of the tensors, got {got}",
                    field="strategies",
                )
        return cls(names, labels, tuple(flat), tuple(parameters), GameInfo(title=title))

    def __repr__(self) -> str:
        """One line: the payoffs of a large game would fill the screen.

        Examples
        --------
        >>> NormalForm.from_arrays([[[[0]]]] * 3, title="t")
        <NormalForm 't': 3 players (Player 1, Player 2, Player 3), 1 x 1 x 1>
        """
        dims = " x ".join(map(str, self.shape))
        return (
            f"<NormalForm {self.info.label!r}: {len(self.players)} players "
            f"({', '.join(self.players)}), {dims}>"
        )

    @property
    def shape(self) -> tuple[int, ...]:
        """``(m_1, ..., m_n)``: each player's number of strategies."""
        return tuple(len(s) for s in self.strategies)

    @property
    def profiles(self) -> int:
        """The number of strategy profiles, ``m_1 * ... * m_n``."""
        return math.prod(self.shape)

    def index(self, profile: Sequence[str | int]) -> int:
        """The row-major position of a profile given by labels or indices."""
        position = 0
        for labels, chosen in zip(self.strategies, profile, strict=True):
            k = chosen if isinstance(chosen, int) else labels.index(chosen)
            position = position * len(labels) + k
        return position

    def payoff(self, player: str, profile: Sequence[str | int]) -> Entry:
        """Player ``player``'s payoff entry at ``profile`` (labels or indices)."""
        return self.payoffs[self.players.index(player)][self.index(profile)]

    def numeric(self, binding: Binding) -> list[list[int | Fraction]]:
        """Per player, the payoffs of every profile (row-major) as exact numbers.

        Numbers stay as they are held (ints or Fractions); expressions are evaluated
        exactly under ``binding`` to Fractions.
        """
        out: list[list[int | Fraction]] = []
        for player, entries in zip(self.players, self.payoffs):
            kinds = set(map(type, entries))
            if kinds <= {int, Fraction}:  # numbers only (fast: no loop in Python)
                out.append(cast("list[int | Fraction]", list(entries)))
                continue
            values: list[int | Fraction] = []
            for k, x in enumerate(entries):
                if isinstance(x, (int, Fraction)):
                    values.append(x)
                else:
                    values.append(binding.value(x, f"payoffs.{player}[{k}]"))
            out.append(values)
        return out

    def distributions(self) -> tuple[Distribution, ...]:
        """None: a strategic-form game has no probabilities among its data."""
        return ()

    def bind(self, params: ParamValues | None = None) -> Binding:
        """Choose parameter values (defaults unless overridden)."""
        return Binding.of(self.parameters, params)


def _is_sequence(value: object) -> bool:
    return (
        hasattr(value, "__len__")
        and hasattr(value, "__iter__")
        and not isinstance(value, (str, bytes, dict))
    )


def _shape(tensor: Any, depth: int, name: str) -> tuple[int, ...]:
    """The shape of a nested sequence ``depth`` deep, read along its first entries."""
    shape = getattr(tensor, "shape", None)
    if shape is not None and not isinstance(tensor, (list, tuple)):
        if len(shape) != depth:
            raise GameFileError(
                f"expected a {depth}-D tensor (one axis per player), got a {len(shape)}-D array",
                field=name,
            )
        if 0 in shape:
            raise GameFileError("a player with no strategy (an axis of length 0)", field=name)
        return tuple(int(m) for m in shape)
    dims: list[int] = []
    value = tensor
    for _ in range(depth):
        if not _is_sequence(value):
            raise GameFileError(
                f"expected a {depth}-D tensor (one axis per player), got {len(dims)}-D",
                field=name,
            )
        if not len(value):
            raise GameFileError("a player with no strategy (an empty list)", field=name)
        dims.append(len(value))
        value = value[0]
    return tuple(dims)


def _flatten(tensor: Any, shape: tuple[int, ...], name: str) -> Iterator[Any]:
    """The entries of ``tensor`` in row-major order, checking it has ``shape``."""
    if getattr(tensor, "shape", None) is not None and not isinstance(tensor, (list, tuple)):
        if tuple(tensor.shape) != shape:
            raise GameFileError(
                f"expected a tensor of shape {shape} like payoffs[0], got {tuple(tensor.shape)}",
                field=name,
            )
        yield from tensor.ravel().tolist()
        return
    stack: list[tuple[Any, int, str]] = [(tensor, 0, name)]
    while stack:
        value, depth, where = stack.pop()
        if depth == len(shape):
            if _is_sequence(value):
                raise GameFileError(
                    f"expected a number or expression, got a sequence (a tensor deeper than "
                    f"{len(shape)}-D)",
                    field=where,
                )
            yield value
            continue
        if not _is_sequence(value) or len(value) != shape[depth]:
            got = len(value) if _is_sequence(value) else "a number"
            raise GameFileError(
                f"expected {shape[depth]} entries along axis {depth} (shape {shape}), got {got}",
                field=where,
            )
        for k in range(len(value) - 1, -1, -1):
            stack.append((value[k], depth + 1, f"{where}[{k}]"))


def _entry(value: Any, symbols: Mapping[str, sympy.Symbol]) -> Entry:
    """A payoff as a Fraction when it is a number, else a parsed expression."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise GameFileError(f"expected a number or an expression, got {value!r}")
    if isinstance(value, (int, Decimal)):
        return parse_number(value)
    if isinstance(value, float):
        return parse_number(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return _entry(value.item(), symbols)
    loaded = sys.modules.get("sympy")  # lazy: start-up time (a sympy object means it is loaded)
    if loaded and isinstance(value, loaded.Expr):
        if value.is_Rational:
            return Fraction(int(value.p), int(value.q))
        return value
    expr = parse_expression(value, symbols)
    if loaded is None:
        return expr
    return Fraction(int(expr.p), int(expr.q)) if getattr(expr, "is_Rational", False) else expr
