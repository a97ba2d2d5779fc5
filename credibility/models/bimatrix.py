"""Bimatrix games: two players, one payoff matrix each.

Notation: the first (row) player has ``m`` strategies, the second (column)
player ``n``. ``A[i][j]`` is the row player's payoff and ``B[i][j]`` the column
player's when row ``i`` meets column ``j``. Entries are sympy expressions over
the game's parameters, so one model serves every parameter value.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar, cast

from ..deferred import DeferredExpression, defer_fields
from ..errors import GameFileError
from ..expressions import parse_expression
from ..parameters import Parameter, ParamValues
from .common import Binding, Distribution, GameInfo, symbols_of

if TYPE_CHECKING:
    import sympy

__all__ = ["Bimatrix"]

Matrix = tuple[tuple["sympy.Expr", ...], ...]


@dataclass(frozen=True)
class Bimatrix:
    """A two-player game in strategic form.

    Parameters
    ----------
    players : tuple of two str
        Row player first.
    row_strategies, column_strategies : tuple of str
        Strategy labels, ``m`` and ``n`` of them.
    A, B : tuple of tuples of sympy.Expr
        The row and column players' ``m x n`` payoff matrices.
    parameters : tuple of Parameter
        The symbols the payoffs may use.
    info : GameInfo
        Title, catalog name, description and source.

    Examples
    --------
    >>> game = Bimatrix.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> game.shape
    (2, 2)
    >>> game.row_strategies
    ('R1', 'R2')
    """

    kind: ClassVar[str] = "bimatrix"

    players: tuple[str, str]
    row_strategies: tuple[str, ...]
    column_strategies: tuple[str, ...]
    A: Matrix
    B: Matrix
    parameters: tuple[Parameter, ...] = ()
    info: GameInfo = field(default_factory=GameInfo)

    def __post_init__(self) -> None:
        m, n = len(self.row_strategies), len(self.column_strategies)
        if len(self.players) != 2 or self.players[0] == self.players[1]:
            raise GameFileError("expected two distinct player names", field="players")
        for label, strategies in (("row", self.row_strategies), ("column", self.column_strategies)):
            if not strategies:
                raise GameFileError(f"the {label} player needs at least one strategy")
            if len(set(strategies)) != len(strategies):
                raise GameFileError(f"{label} strategy labels must be distinct")
        for name, matrix in (("A", self.A), ("B", self.B)):
            if len(matrix) != m or any(len(row) != n for row in matrix):
                raise GameFileError(
                    f"payoff matrix {name} must be {m} x {n} to match the strategies"
                )

    @classmethod
    def from_arrays(
        cls,
        A: Sequence[Sequence[object]],
        B: Sequence[Sequence[object]],
        *,
        players: Sequence[str] = ("Row", "Column"),
        row_strategies: Sequence[str] | None = None,
        column_strategies: Sequence[str] | None = None,
        parameters: Sequence[Parameter] = (),
        title: str = "",
    ) -> Bimatrix:
        """Build a game from two nested sequences (or numpy arrays) of payoffs.

        Entries may be numbers, Fractions or expression strings over
        ``parameters``.

        Examples
        --------
        >>> from fractions import Fraction
        >>> from credibility import Parameter
        >>> c = Parameter("c", Fraction(5), Fraction(0))
        >>> game = Bimatrix.from_arrays([[0, -1], [1, "-c"]], [[0, 1], [-1, "-c"]],
        ...                             parameters=[c], title="Chicken")
        >>> game.A[1][1]
        -c
        """
        symbols = symbols_of(parameters)
        rows_a = _rows(A, "A")
        rows_b = _rows(B, "B")
        m, n = len(rows_a), len(rows_a[0])
        if (len(rows_b), len(rows_b[0])) != (m, n):
            raise GameFileError(
                f"expected a matrix of {m} x {n} like A, got {len(rows_b)} x {len(rows_b[0])}",
                field="B",
            )
        A_expr = tuple(tuple(_entry(x, symbols) for x in row) for row in rows_a)
        B_expr = tuple(tuple(_entry(x, symbols) for x in row) for row in rows_b)
        return cls(
            players=(players[0], players[1]) if len(players) == 2 else tuple(players),  # type: ignore[arg-type]
            row_strategies=tuple(row_strategies or (f"R{i + 1}" for i in range(m))),
            column_strategies=tuple(column_strategies or (f"C{j + 1}" for j in range(n))),
            A=A_expr,
            B=B_expr,
            parameters=tuple(parameters),
            info=GameInfo(title=title),
        )

    @property
    def shape(self) -> tuple[int, int]:
        """``(m, n)``: the numbers of row and column strategies."""
        return len(self.row_strategies), len(self.column_strategies)

    def numeric(self, binding: Binding) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
        """The payoff matrices as exact fractions under ``binding``."""
        A = [
            [binding.value(x, f"payoffs.{self.players[0]}[{i}][{j}]") for j, x in enumerate(row)]
            for i, row in enumerate(self.A)
        ]
        B = [
            [binding.value(x, f"payoffs.{self.players[1]}[{i}][{j}]") for j, x in enumerate(row)]
            for i, row in enumerate(self.B)
        ]
        return A, B

    def distributions(self) -> tuple[Distribution, ...]:
        """None: a bimatrix game has no probabilities among its data."""
        return ()

    def bind(self, params: ParamValues | None = None) -> Binding:
        """Choose parameter values (defaults unless overridden)."""
        return Binding.of(self.parameters, params)


defer_fields(Bimatrix, "A", "B")  # held back from sympy while it is not loaded: start-up time


def _rows(matrix: object, name: str) -> list[list[object]]:
    """The rows of a payoff matrix given as nested sequences or a 2-D numpy array."""
    expected = "expected a 2-D array of payoffs (a non-empty list of equally long rows)"
    ndim = getattr(matrix, "ndim", None)
    if ndim is not None and ndim != 2:
        raise GameFileError(f"{expected}, got a {ndim}-D array", field=name)
    if not _is_sequence(matrix) or not len(matrix):  # type: ignore[arg-type]
        raise GameFileError(f"{expected}, got {_kind(matrix)}", field=name)
    rows: list[list[object]] = []
    for i, row in enumerate(cast(Iterable[object], matrix)):
        if not _is_sequence(row):
            raise GameFileError(f"{expected}, got a 1-D array", field=f"{name}[{i}]")
        entries = list(cast(Iterable[object], row))
        if not entries:
            raise GameFileError(f"{expected}, got an empty row", field=f"{name}[{i}]")
        for j, entry in enumerate(entries):
            if _is_sequence(entry) or getattr(entry, "ndim", False):
                raise GameFileError(f"{expected}, got a 3-D array", field=f"{name}[{i}][{j}]")
        if rows and len(entries) != len(rows[0]):
            raise GameFileError(
                f"{expected}, got rows of {len(rows[0])} and {len(entries)} entries (ragged)",
                field=f"{name}[{i}]",
            )
        rows.append(entries)
    return rows


def _is_sequence(value: object) -> bool:
    return (
        hasattr(value, "__len__")
        and hasattr(value, "__iter__")
        and not isinstance(value, (str, bytes, dict))
    )


def _kind(value: object) -> str:
    if value is None:
        return "None"
    if _is_sequence(value):
        return "an empty sequence"
    return f"a {type(value).__name__} ({value!r:.40})"


def _entry(value: object, symbols: Mapping[str, sympy.Symbol]) -> sympy.Expr:
    loaded = sys.modules.get("sympy")  # lazy: start-up time (a sympy object means sympy is loaded)
    if isinstance(value, DeferredExpression) or (loaded and isinstance(value, loaded.Expr)):
        return value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return parse_expression(value, symbols)  # type: ignore[arg-type]
