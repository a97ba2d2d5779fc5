"""Nash equilibria of bimatrix games: the public solver and its result objects.

``solve_bimatrix`` binds the parameters, converts the payoffs to exact
fractions and hands them to a method:

- ``"enumeration"`` (default): every extreme equilibrium by vertex enumeration
  of the best-response polytopes (:mod:`credibility.solvers.enumeration`),
  exact, degenerate games included; with ``exact=False`` the enumeration runs
  in floats (much faster on large games), and then only near-ties are decided
  exactly, so an ill-conditioned game may lose an equilibrium;
- ``"support"``, ``"vertex"``, ``"lemke-howson"``: nashpy's support
  enumeration, vertex enumeration and Lemke-Howson (one equilibrium; useful for
  games too large to enumerate), on floats.

Whatever found an equilibrium, it is verified before it is reported: in exact
arithmetic (mutual best responses) when ``exact`` is true, otherwise within a
stated tolerance. Equilibria found by nashpy are recovered as exact fractions
where possible (and then verified exactly).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ..errors import CredibilityError, GameTooLargeError
from ..expressions import format_number
from ..json_types import JSONObject
from ..models import Bimatrix
from ..parameters import ParamValues
from ..render.display import Displayed, Named, Summarised, clipped, number
from .enumeration import enumerate_extreme_equilibria
from .outcomes import bimatrix_outcome

__all__ = [
    "FLOAT_TOLERANCE",
    "METHODS",
    "NASHPY_MAX_STRATEGIES",
    "BimatrixNames",
    "BimatrixSolution",
    "MixedEquilibrium",
    "is_equilibrium",
    "solve_bimatrix",
]

#: The methods ``solve_bimatrix`` accepts.
METHODS = ("enumeration", "support", "vertex", "lemke-howson")
#: Tolerance of best-response checks on floats.
FLOAT_TOLERANCE = 1e-9
#: The most strategies (both players' together) nashpy's ``support`` and
#: ``vertex`` enumeration are run on: their time grows exponentially (an 8 x 8
#: game takes seconds, a 20 x 20 one runs out of memory).
NASHPY_MAX_STRATEGIES = 14

Number = Fraction | float
#: A payoff matrix, as rows.
Matrix = Sequence[Sequence[Number]]
#: A candidate equilibrium: the row and column players' mixed strategies.
Candidate = tuple[Sequence[Number], Sequence[Number]]


class BimatrixNames(NamedTuple):
    """The names an equilibrium of a bimatrix game is read by: players and strategies."""

    players: tuple[str, str]
    row: tuple[str, ...]
    column: tuple[str, ...]

    @classmethod
    def of(cls, game: Bimatrix) -> BimatrixNames:
        """The game's names."""
        return cls(game.players, game.row_strategies, game.column_strategies)


@dataclass(frozen=True, repr=False)
class MixedEquilibrium(Summarised):
    """One Nash equilibrium: a mixed strategy per player and the expected payoffs.

    Attributes
    ----------
    row, column : tuple of Fraction or float
        Probabilities of each strategy, in the game's order (zeros included).
    payoffs : tuple of two Fraction or float
        The row and column players' expected payoffs.
    component : int
        The connected component of the equilibrium set the equilibrium is an
        extreme point of (equilibria of a nondegenerate game each form their
        own component).
    names : BimatrixNames or None
        The game's players and strategies, which ``strategies`` and ``payoff`` are
        read by; a solution gives them to its equilibria. They take no part in
        comparing or hashing equilibria.

    Examples
    --------
    >>> import credibility as cr
    >>> e = cr.solve(cr.load("chicken"), {"c_row": 5, "c_column": 5}).equilibria[1]
    >>> e
    <MixedEquilibrium Row: Swerve 4/5, Straight 1/5; Column: Swerve 4/5, Straight 1/5; \
payoffs -1/5, -1/5>
    >>> e.strategies["Column"]["Straight"], e.payoff["Row"]
    (Fraction(1, 5), Fraction(-1, 5))
    """

    row: tuple[Number, ...]
    column: tuple[Number, ...]
    payoffs: tuple[Number, Number]
    component: int = 0
    names: BimatrixNames | None = field(default=None, compare=False)

    @property
    def strategies(self) -> Mapping[str, Mapping[str, Number]]:
        """Each player's probability of each strategy, by name (read only)."""
        names = self._names()
        return Named(names.players, (Named(names.row, self.row), Named(names.column, self.column)))

    @property
    def payoff(self) -> Mapping[str, Number]:
        """Each player's expected payoff, by name (read only)."""
        return Named(self._names().players, self.payoffs)

    def _names(self) -> BimatrixNames:
        if self.names is None:
            raise AttributeError(
                "this equilibrium carries no names: the equilibria of cr.solve() have them"
            )
        return self.names

    def _summary(self) -> str:
        if self.names is None:
            parts = [
                f"row ({', '.join(map(number, self.row))})",
                f"column ({', '.join(map(number, self.column))})",
            ]
        else:
            players, row, column = self.names
            parts = [
                f"{players[0]}: {_mix(row, self.row)}",
                f"{players[1]}: {_mix(column, self.column)}",
            ]
        parts.append(f"payoffs {', '.join(map(number, self.payoffs))}")
        return "; ".join(parts)

    @property
    def pure(self) -> bool:
        """True if both players play a single strategy with probability one."""
        return all(p in (0, 1) for p in self.row + self.column)


def _mix(names: tuple[str, ...], mix: tuple[Any, ...]) -> str:
    """``Swerve`` for a pure strategy, ``Swerve 4/5, Straight 1/5`` for a mixed one."""
    support = [(name, p) for name, p in zip(names, mix) if p != 0]
    if len(support) == 1 and support[0][1] == 1:
        return support[0][0]
    return ", ".join(f"{name} {number(p)}" for name, p in support)


@dataclass(frozen=True, repr=False)
class BimatrixSolution(Displayed):
    """The equilibria of a bimatrix game at bound parameter values.

    Attributes
    ----------
    game : Bimatrix
    parameters : dict of str to Fraction
        The values the parameters were bound to.
    equilibria : tuple of MixedEquilibrium
    exact : bool
        True if every number is an exact rational verified exactly.
    degenerate : bool or None
        Whether the game is degenerate (None if the method cannot tell).
    method : str
        The method that found the equilibria.
    complete : bool
        True if the method lists every (extreme) equilibrium.
    payoff_matrices : tuple
        The bound payoff matrices ``(A, B)`` as fractions.
    total : int or None
        How many extreme equilibria the game has, when a ``limit`` listed fewer (None
        otherwise); ``complete`` is then False.

    ``str()`` is the text ``credibility solve`` prints, ``repr()`` one line, and a
    notebook shows the table (:mod:`credibility.render.display`); ``to_pandas()`` has a
    row per equilibrium.
    """

    game: Bimatrix
    parameters: dict[str, Fraction]
    equilibria: tuple[MixedEquilibrium, ...]
    exact: bool
    degenerate: bool | None
    method: str
    complete: bool = True
    payoff_matrices: tuple[Sequence[Sequence[Fraction]], Sequence[Sequence[Fraction]]] = field(
        default=((), ()), repr=False
    )
    total: int | None = None

    kind = "bimatrix"

    def __post_init__(self) -> None:
        # The equilibria carry the game's names, to be read by them (e.strategies["Row"]).
        names = BimatrixNames.of(self.game)
        if any(e.names != names for e in self.equilibria):
            named = tuple(
                MixedEquilibrium(e.row, e.column, e.payoffs, e.component, names)
                for e in self.equilibria
            )
            object.__setattr__(self, "equilibria", named)

    @property
    def outcome(self) -> str:
        """The outcome label (:func:`~credibility.solvers.outcomes.bimatrix_outcome`).

        Examples
        --------
        >>> import credibility as cr
        >>> cr.solve(cr.load("chicken")).outcome
        'Swerve/Straight | Straight/Swerve | mixed'
        """
        return bimatrix_outcome(self.game, self.equilibria, self.degenerate)

    @property
    def components(self) -> list[list[int]]:
        """Indices of the equilibria grouped by connected component."""
        groups: dict[int, list[int]] = {}
        for index, equilibrium in enumerate(self.equilibria):
            groups.setdefault(equilibrium.component, []).append(index)
        return list(groups.values())

    def to_dict(self) -> JSONObject:
        """The JSON contract's object for ``credibility solve`` on a bimatrix game."""
        game = self.game
        row_player, column_player = game.players
        exact = self.exact

        def fmt(value: Number) -> str:
            return format_number(value, exact)

        return {
            "format": 1,
            "kind": "bimatrix",
            "game": game.info.label,
            "players": list(game.players),
            "parameters": {name: fmt(value) for name, value in self.parameters.items()},
            "exact": exact,
            "degenerate": self.degenerate,
            "method": self.method,
            "complete": self.complete,
            "equilibria": [
                {
                    "strategies": {
                        row_player: {s: fmt(p) for s, p in zip(game.row_strategies, e.row)},
                        column_player: {
                            s: fmt(p) for s, p in zip(game.column_strategies, e.column)
                        },
                    },
                    "payoffs": {row_player: fmt(e.payoffs[0]), column_player: fmt(e.payoffs[1])},
                    "pure": e.pure,
                    "component": e.component,
                }
                for e in self.equilibria
            ],
            "components": self.components,
            **({} if self.total is None else {"total": self.total}),
        }

    def _summary(self) -> str:
        count = len(self.equilibria)
        noun = "equilibrium" if count == 1 and self.total is None else "equilibria"
        if self.total is not None:
            noun += f" listed of {self.total:,}"
        how = "exact" if self.exact else "floats"
        if self.method != "enumeration":
            how += f", method {self.method}"
        name = self.game.info.name or self.game.info.label
        return f"{name}: {count} {noun} ({clipped(self.outcome)}), {how}"

    def _columns(self) -> dict[str, list[Any]]:
        """``PLAYER:STRATEGY`` probabilities (as a sweep's columns), payoffs, kind, component."""
        game = self.game
        row_player, column_player = game.players
        columns: dict[str, list[Any]] = {}
        for player, strategies, side in (
            (row_player, game.row_strategies, 0),
            (column_player, game.column_strategies, 1),
        ):
            for k, strategy in enumerate(strategies):
                columns[f"{player}:{strategy}"] = [
                    (e.row, e.column)[side][k] for e in self.equilibria
                ]
        for k, player in enumerate(game.players):
            columns[f"payoff_{player}"] = [e.payoffs[k] for e in self.equilibria]
        columns["pure"] = [e.pure for e in self.equilibria]
        columns["component"] = [e.component for e in self.equilibria]
        return columns


def solve_bimatrix(
    game: Bimatrix,
    params: ParamValues | None = None,
    *,
    exact: bool = True,
    method: str | None = None,
    limit: int | None = None,
) -> BimatrixSolution:
    """Find the Nash equilibria of a bimatrix game.

    Parameters
    ----------
    game : Bimatrix
    params : mapping of str to number or fraction string, optional
        Parameter values overriding the defaults.
    exact : bool
        Report exact fractions verified exactly (default) or floats. For
        ``"enumeration"``, False also drops the certification of the search
        (see :mod:`credibility.solvers.enumeration`, "Floats only"): faster,
        complete except where floating-point error exceeds a relative 1e-9,
        and every equilibrium verified within ``FLOAT_TOLERANCE``.
    method : str, optional
        One of ``METHODS``; ``"enumeration"`` by default.
    limit : int, optional
        ``"enumeration"`` only: list at most this many extreme equilibria; the
        solution's ``total`` then says how many there are.

    Returns
    -------
    BimatrixSolution

    Raises
    ------
    GameTooLargeError
        If the game is too large for enumeration, or has more than
        :data:`~credibility.solvers.enumeration.MAX_EQUILIBRIA` extreme
        equilibria and no ``limit`` is given.
    CredibilityError
        For an unknown method, a ``limit`` below 1, or a ``limit`` with another
        method than ``"enumeration"``.

    Examples
    --------
    Chicken with a crash cost of 5 (the mixed equilibrium plays Straight with
    probability 1/5):

    >>> game = Bimatrix.from_arrays([[0, -1], [1, -5]], [[0, 1], [-1, -5]],
    ...                             row_strategies=["Swerve", "Straight"],
    ...                             column_strategies=["Swerve", "Straight"])
    >>> solution = solve_bimatrix(game)
    >>> [(e.row, e.payoffs) for e in solution.equilibria if not e.pure]
    [((Fraction(4, 5), Fraction(1, 5)), (Fraction(-1, 5), Fraction(-1, 5)))]
    >>> solution.degenerate
    False
    """
    method = method or "enumeration"
    if method not in METHODS:
        raise CredibilityError(f"unknown method '{method}' (expected one of: {', '.join(METHODS)})")
    if limit is not None and method != "enumeration":
        raise CredibilityError(
            f"the limit= argument applies to the enumeration method only, not to {method}"
        )
    if limit is not None and limit < 1:
        raise CredibilityError(f"the limit= argument is a number of equilibria, not {limit}")
    binding = game.bind(params)
    A, B = game.numeric(binding)
    total = None
    if method == "enumeration":
        enumeration = (
            enumerate_extreme_equilibria(A, B, limit=limit)
            if exact
            else enumerate_extreme_equilibria(A, B, exact=False, limit=limit)
        )
        found: list[tuple[Sequence[Number], Sequence[Number], int]] = [
            (e.row, e.column, e.component) for e in enumeration.equilibria
        ]
        degenerate: bool | None = enumeration.degenerate
        complete = enumeration.total == len(found)
        total = None if complete else enumeration.total
    else:
        found = [(x, y, k) for k, (x, y) in enumerate(_nashpy(A, B, method))]
        degenerate = None
        complete = method != "lemke-howson"
    equilibria = []
    for row, column, component in found:
        equilibrium = _checked(A, B, row, column, component, exact)
        if equilibrium is not None:
            equilibria.append(equilibrium)
    return BimatrixSolution(
        game=game,
        parameters=binding.values,
        equilibria=tuple(equilibria),
        exact=exact and all(isinstance(p, Fraction) for e in equilibria for p in e.row + e.column),
        degenerate=degenerate,
        method=method,
        complete=complete,
        payoff_matrices=(A, B),
        total=total,
    )


def is_equilibrium(
    A: Matrix,
    B: Matrix,
    row: tuple[Number, ...],
    column: tuple[Number, ...],
    tolerance: float = 0,
) -> bool:
    """Check that ``(row, column)`` is a pair of mutual best responses.

    Exact for Fractions with ``tolerance = 0``; for floats pass a tolerance.

    Examples
    --------
    >>> F = Fraction
    >>> A = [[F(0), F(-1)], [F(1), F(-5)]]
    >>> B = [[F(0), F(1)], [F(-1), F(-5)]]
    >>> is_equilibrium(A, B, (F(4, 5), F(1, 5)), (F(4, 5), F(1, 5)))
    True
    >>> is_equilibrium(A, B, (F(1), F(0)), (F(1), F(0)))
    False
    """
    return _payoffs_if_equilibrium(A, B, row, column, tolerance) is not None


def _payoffs_if_equilibrium(
    A: Matrix,
    B: Matrix,
    row: tuple[Number, ...],
    column: tuple[Number, ...],
    tolerance: float = 0,
) -> tuple[Number, Number] | None:
    """The expected payoffs if ``(row, column)`` are mutual best responses, else None."""
    if any(p < -tolerance for p in row + column):
        return None
    # typeshed's sum() of Fraction | float is an object: the comparison is of numbers.
    if abs(sum(row) - 1) > tolerance or abs(sum(column) - 1) > tolerance:  # type: ignore[operator]
        return None
    row_values = [sum(a * q for a, q in zip(A_i, column) if q) for A_i in A]
    column_values = [sum(B[i][j] * p for i, p in enumerate(row) if p) for j in range(len(column))]
    row_payoff = sum(p * v for p, v in zip(row, row_values) if p)
    column_payoff = sum(q * v for q, v in zip(column, column_values) if q)
    if max(row_values) > row_payoff + tolerance or max(column_values) > column_payoff + tolerance:
        return None
    return row_payoff, column_payoff


def _checked(
    A: Matrix,
    B: Matrix,
    row: Sequence[Number],
    column: Sequence[Number],
    component: int,
    exact: bool,
) -> MixedEquilibrium | None:
    """Verify a candidate and build the equilibrium, exactly where possible."""
    exact_row, exact_column = _as_fractions(row), _as_fractions(column)
    payoffs = _payoffs_if_equilibrium(A, B, exact_row, exact_column)
    if payoffs is not None:
        if exact:
            return MixedEquilibrium(exact_row, exact_column, payoffs, component)
        u_row, u_column = (float(u) for u in payoffs)
        return MixedEquilibrium(
            _floats_vec(exact_row), _floats_vec(exact_column), (u_row, u_column), component
        )
    A_float, B_float = _floats(A), _floats(B)
    row, column = _floats_vec(row), _floats_vec(column)
    tolerance = FLOAT_TOLERANCE * _scale(A_float, B_float)
    payoffs = _payoffs_if_equilibrium(A_float, B_float, row, column, tolerance)
    if payoffs is None:
        warnings.warn("discarded a candidate equilibrium that failed verification", stacklevel=3)
        return None
    return MixedEquilibrium(row, column, payoffs, component)


def _as_fractions(vector: Iterable[Number]) -> tuple[Fraction, ...]:
    """Fractions as they are; floats rounded to the nearest simple fraction."""
    return tuple(
        v if isinstance(v, Fraction) else Fraction(float(v)).limit_denominator(10**6)
        for v in vector
    )


def _floats(M: Matrix) -> list[list[float]]:
    return [[float(x) for x in row] for row in M]


def _floats_vec(v: Iterable[Number]) -> tuple[float, ...]:
    return tuple(float(x) for x in v)


def _scale(A: list[list[float]], B: list[list[float]]) -> float:
    return max(1.0, max(abs(x) for row in A + B for x in row))


def _nashpy(A: Matrix, B: Matrix, method: str) -> list[Candidate]:
    m, n = len(A), len(A[0])
    if min(m, n) == 1:
        # One player has a single strategy: the equilibria are the other's best replies
        # (nashpy's Lemke-Howson loops forever on these and vertex enumeration fails).
        replies = _pure_best_replies(A, B)
        return replies[:1] if method == "lemke-howson" else replies
    if method != "lemke-howson" and m + n > NASHPY_MAX_STRATEGIES:
        raise GameTooLargeError(
            f"a {m} x {n} game is too large for nashpy's {method} enumeration (at most "
            f"{NASHPY_MAX_STRATEGIES} strategies in all); use the default exact method "
            "(method='enumeration')"
        )
    try:
        return _run_nashpy(A, B, method)
    except Exception as error:  # nashpy (and scipy's Qhull under it) fail on degenerate games
        raise CredibilityError(
            f"nashpy's {method} method failed on this game ({type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else 'no message'}); use the default "
            "exact method (method='enumeration')"
        ) from None


def _pure_best_replies(A: Matrix, B: Matrix) -> list[Candidate]:
    """The pure equilibria of a game in which one player has a single strategy."""
    m, n = len(A), len(A[0])

    def unit(size: int, k: int) -> tuple[Fraction, ...]:
        return tuple(Fraction(int(i == k)) for i in range(size))

    if m == 1:
        best = max(B[0])
        return [(unit(1, 0), unit(n, j)) for j in range(n) if B[0][j] == best]
    best = max(A[i][0] for i in range(m))
    return [(unit(m, i), unit(1, 0)) for i in range(m) if A[i][0] == best]


def _run_nashpy(A: Matrix, B: Matrix, method: str) -> list[Candidate]:
    import nashpy  # lazy: start-up time (nashpy)

    # Equilibria are unchanged by a positive affine map of each player's payoffs;
    # on [0, 1] nashpy's fixed tolerances miss fewer equilibria.
    game = nashpy.Game(_unit_scaled(_floats(A)), _unit_scaled(_floats(B)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy warns about degenerate games; we report it
        if method == "support":
            return list(game.support_enumeration())
        if method == "vertex":
            return list(game.vertex_enumeration())
        return [game.lemke_howson(initial_dropped_label=0)]


def _unit_scaled(payoffs: Sequence[Sequence[float]]) -> NDArray[np.float64]:
    """The payoffs mapped affinely onto [0, 1] (unchanged if all are equal)."""
    matrix = np.array(payoffs, dtype=float)
    low, high = matrix.min(), matrix.max()
    return (matrix - low) / (high - low) if high > low else matrix
