"""The bimatrix evaluator: vectorised kernels over a chunk, the exact solver where they cannot tell.

2x2 games go to the sign kernel (:mod:`~credibility.solvers.batch_2x2`):
the four payoff differences that decide the equilibria are built once as
sympy expressions in the swept parameters (the others bound exactly), and
evaluated over the chunk with a tolerance on their signs
(:mod:`~credibility.sweeps.compiled`). Payoffs that are all linear and still
kept from sympy (:mod:`credibility.deferred`: a catalog game, sympy not yet
loaded) are read as exact linear forms instead, and their differences
evaluated by :class:`~credibility.sweeps.compiled.Linear` to the same bits,
so that such a sweep never loads sympy (0.4 s of its start-up) unless a
point needs the exact solver. A difference that does not depend on
the swept parameters has an exact sign, so a game that is degenerate
everywhere (a tie that holds at every point) stays in the kernel. Small
``m x n`` games go to exact batched vertex enumeration
(:mod:`~credibility.solvers.batch_vertices`) on their payoffs computed in
integers (below), which settles degenerate games too; points whose payoffs
cannot be had that way go to batched support enumeration in floats
(:mod:`~credibility.solvers.batch_support`), which leaves degenerate games
to the exact solver. Larger games are solved exactly at every point.

Ties. Where a 2x2 game's float difference is too close to 0 to trust its
sign (on a threshold: a degenerate game), the differences are computed again
exactly, in integers, at the grid point's exact rational values
(:class:`~credibility.sweeps.compiled.IntegerForm`: payoffs that are
polynomials in the swept parameters, grid values whose numerators and
denominators fit in 62 bits), and the sign kernel classifies the game from
exact signs, degenerate or not. Larger games get their payoffs that way at
every point. Both give the exact solver's row, to the bit, without leaving
numpy: a sweep over integer (or simple fraction) grids settles its ties at
kernel speed.

Every point these do not settle is solved by
:func:`~credibility.solvers.nash.solve_bimatrix` at its exact parameter
values, and :func:`bimatrix_row` turns the solution into the row. Every path
labels the outcome with :func:`~credibility.solvers.outcomes.bimatrix_label`,
the label ``credibility threshold`` and ``solve``'s ``outcome`` give too.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from ..deferred import DeferredExpression
from ..errors import CredibilityError
from ..expressions import LinearForm, evaluate
from ..models import Bimatrix
from ..solvers.batch_2x2 import TABLES, Equilibria2x2, classify_differences, equilibrium_keys
from ..solvers.batch_support import solve_batch, support_pairs
from ..solvers.batch_vertices import MAX_EXACT_CHOICES, ExactBatch, exact_choices, solve_exact_batch
from ..solvers.nash import BimatrixSolution, solve_bimatrix
from ..solvers.outcomes import bimatrix_key, bimatrix_label
from .columns import COLUMNS_HELP
from .compiled import Compiled, IntegerForm, Linear
from .evaluator import Chunk, coded
from .rows import at_point, empty_columns, fill

if TYPE_CHECKING:
    import sympy

__all__ = ["COLUMNS_HELP", "MAX_SUPPORT_PAIRS", "BimatrixEvaluator", "bimatrix_row"]

#: Games with more equal-size support pairs than this are solved exactly point by point.
MAX_SUPPORT_PAIRS = 1000
_MAX_CELLS = 48

Table = dict[str, np.ndarray]


def probability_columns(game: Bimatrix) -> tuple[str, ...]:
    """The ``PLAYER:STRATEGY`` columns, row player's strategies first.

    Examples
    --------
    >>> import credibility as cr
    >>> probability_columns(cr.load("chicken"))
    ('Row:Swerve', 'Row:Straight', 'Column:Swerve', 'Column:Straight')
    """
    row_player, column_player = game.players
    return (
        *(f"{row_player}:{s}" for s in game.row_strategies),
        *(f"{column_player}:{s}" for s in game.column_strategies),
    )


def bimatrix_row(solution: BimatrixSolution) -> dict[str, Any]:
    """The sweep's row of one point from the exact solution.

    Examples
    --------
    >>> import credibility as cr
    >>> row = bimatrix_row(cr.solve(cr.load("chicken"), {"c_row": 4}))
    >>> row["outcome"], row["n_equilibria"], row["Row:Straight"], row["Column:Straight"]
    ('Swerve/Straight | Straight/Swerve | mixed', 3, 0.2, 0.25)
    """
    game = solution.game
    m, n = game.shape
    mixed = [
        e for e in solution.equilibria if bimatrix_key(e.row) == m or bimatrix_key(e.column) == n
    ]
    row: dict[str, Any] = {
        "outcome": solution.outcome,
        "n_equilibria": len(solution.equilibria),
    }
    names = probability_columns(game)
    values = mixed[0].row + mixed[0].column if len(mixed) == 1 else (np.nan,) * len(names)
    row.update(zip(names, map(float, values)))
    return row


class BimatrixEvaluator:
    """Classifies the grid points of a bimatrix game with its vectorised kernels.

    Parameters
    ----------
    game : Bimatrix
    swept : sequence of str
        The swept parameters.
    params : mapping of str to Fraction
        Other parameters bound (the rest keep their defaults).

    Attributes
    ----------
    columns : tuple of str
        ``outcome``, ``n_equilibria`` and a probability column per strategy
        (see ``COLUMNS_HELP``).
    symbols : tuple of sympy.Symbol
        The swept parameters' symbols (built when first read, as is ``boundaries``).
    boundaries : tuple of sympy.Expr
        Payoff differences in the swept parameters: best responses change
        where one is 0.

    Examples
    --------
    Chicken as Row's crash cost grows: Straight dominates while it is below
    Row's loss of face, ties with Swerve (a segment of equilibria) at equality,
    then the game is chicken.

    >>> import credibility as cr
    >>> from credibility.sweeps.grid import make_grid, parse_grid
    >>> game = cr.load("chicken")
    >>> grid = make_grid(dict([parse_grid("c_row=0:2:3")]), game.parameters)
    >>> rows = BimatrixEvaluator(game, ["c_row"], {}).evaluate(grid.chunk(0, 3))
    >>> for outcome in rows["outcome"]:
    ...     print(outcome)
    Straight/Swerve
    degenerate: Swerve/Straight | Straight/Swerve | mixed/Straight
    Swerve/Straight | Straight/Swerve | mixed
    >>> rows["Column:Straight"].tolist()
    [nan, 1.0, 0.5]
    """

    #: Chunks may be evaluated by several threads at once (label codes are locked).
    thread_safe = True

    def __init__(self, game: Bimatrix, swept: Sequence[str], params: Mapping[str, Fraction]):
        self._lock = threading.Lock()
        self.game = game
        self.swept = tuple(swept)
        self.params = dict(params)
        self.columns = ("outcome", "n_equilibria", *probability_columns(game))
        self._values = game.bind(self.params).values
        m, n = game.shape
        # outcome labels by code: the rows hold codes until the chunk is done
        self._names: list[str] = []
        self._index: dict[str, int] = {}
        self._differences: tuple[_Sign, ...] = ()
        self._entries: tuple[tuple[Compiled, Compiled], ...] = ()
        # exact integer forms of the two players' payoff differences (2x2) or payoffs
        self._integers: tuple[IntegerForm, IntegerForm] | None = None
        if (m, n) == (2, 2):
            if not self._linear_2x2():
                A, B = self._payoffs()
                (a, b), (c, d) = A
                (e, f), (g, h) = B
                self._differences = tuple(
                    _Sign.of(x, self.symbols) for x in (a - c, b - d, e - f, g - h)
                )
                self._integers = _integer_forms([a - c, b - d], [e - f, g - h], self.symbols)
            labels = [
                bimatrix_label(
                    equilibrium_keys(code),
                    game.row_strategies,
                    game.column_strategies,
                    bool(TABLES["degenerate"][code]),
                )
                for code in range(81)
            ]
            self._names = labels
            self._index = {label: labels.index(label) for label in labels}
        elif support_pairs(m, n) <= MAX_SUPPORT_PAIRS and m * n <= _MAX_CELLS:
            A, B = self._payoffs()
            self._entries = tuple(
                (Compiled(x, self.symbols), Compiled(_magnitude(x), self.symbols))
                for matrix in (A, B)
                for row in matrix
                for x in row
            )
            if exact_choices(m, n) <= MAX_EXACT_CHOICES:
                self._integers = _integer_forms(
                    [x for row in A for x in row], [x for row in B for x in row], self.symbols
                )

    @cached_property
    def symbols(self) -> tuple[sympy.Symbol, ...]:
        """The swept parameters' symbols."""
        names = {p.name: p for p in self.game.parameters}
        return tuple(names[name].symbol for name in self.swept)

    @cached_property
    def boundaries(self) -> tuple[sympy.Expr, ...]:
        """Payoff differences in the swept parameters: best responses change where one is 0."""
        return _boundaries(*self._payoffs())

    def _payoffs(self) -> tuple[list[list[sympy.Expr]], list[list[sympy.Expr]]]:
        """The payoff matrices as sympy expressions in the swept parameters, the others bound."""
        import sympy  # lazy: start-up time (sympy; linear 2x2 payoffs need none, see _linear_2x2)

        values = self._values
        bound = {
            p.symbol: sympy.Rational(values[p.name].numerator, values[p.name].denominator)
            for p in self.game.parameters
            if p.name not in self.swept
        }
        A = [[sympy.sympify(x).subs(bound) for x in row] for row in self.game.A]
        B = [[sympy.sympify(x).subs(bound) for x in row] for row in self.game.B]
        return A, B

    def _linear_2x2(self) -> bool:
        """Set up the 2x2 kernel's differences from linear forms, without sympy, if it can.

        It can when every payoff is a deferred linear expression (sympy not loaded when
        the game was read and since) whose differences have coefficients exact in floats;
        their values, tolerances and integer forms are then those of the sympy expressions
        (:class:`~credibility.sweeps.compiled.Linear`,
        :meth:`~credibility.sweeps.compiled.IntegerForm.of_linear`).
        """
        game = self.game
        payoffs = [x for matrix in (game.A, game.B) for row in matrix for x in row]
        if not all(isinstance(x, DeferredExpression) for x in payoffs):
            return False
        forms = [_linear_form(x, self._values, self.swept) for x in payoffs]
        a, b, c, d, e, f, g, h = forms
        differences = [_minus(a, c), _minus(b, d), _minus(e, f), _minus(g, h)]
        # the parameters whose symbols are nonnegative or nonpositive (Parameter.symbol)
        signed = {
            p.name
            for p in game.parameters
            if (p.minimum is not None and p.minimum >= 0)
            or (p.maximum is not None and p.maximum <= 0)
        }
        signs = []
        for form in differences:
            if not form.terms:
                signs.append(_Sign(constant=form.constant))
                continue
            linear = Linear.of(form, self.swept, signed)
            if linear is None:
                return False
            signs.append(_Sign(linear))
        self._differences = tuple(signs)
        try:
            self._integers = (
                IntegerForm.of_linear(differences[:2], self.swept),
                IntegerForm.of_linear(differences[2:], self.swept),
            )
        except ValueError:
            self._integers = None
        return True

    def evaluate(self, chunk: Chunk) -> dict[str, np.ndarray]:
        """The rows of every point of the chunk (``outcome`` as a :class:`Coded` array)."""
        size = len(chunk)
        values = [np.asarray(chunk.values[name], dtype=np.float64) for name in self.swept]
        if self._differences:
            table, uncertain = self._two_by_two(values, size)
            if uncertain.any() and self._integers is not None:
                uncertain = self._settle_exactly(chunk, table, uncertain)
        elif self._entries and self._integers is not None:
            # exact batched vertex enumeration is faster than the float batch: first
            table, uncertain = self._empty(size), np.ones(size, dtype=bool)
            uncertain = self._settle_exactly(chunk, table, uncertain)
            left = np.flatnonzero(uncertain)
            if len(left):
                part, unsure = self._batched([v[left] for v in values], len(left))
                for name in self.columns:
                    table[name][left] = part[name]
                uncertain[left] = unsure
        elif self._entries:
            table, uncertain = self._batched(values, size)
        else:
            table, uncertain = self._empty(size), np.ones(size, dtype=bool)
        for i in np.flatnonzero(uncertain):
            row = at_point(self._exact_row, chunk.exact(int(i)))
            row["outcome"] = self._code(row["outcome"])
            fill(table, int(i), row)
        with self._lock:
            names = np.array(self._names, dtype=object)
        table["outcome"] = coded(table["outcome"], names)
        return table

    def _empty(self, size: int) -> Table:
        """Rows to fill (outcome codes 0 until filled)."""
        table = empty_columns(self.columns, size)
        table["outcome"] = np.zeros(size, dtype=np.int64)
        return table

    def _code(self, label: str) -> int:
        """The code of an outcome label (new labels get the next code)."""
        with self._lock:
            if label not in self._index:
                self._index[label] = len(self._names)
                self._names.append(label)
            return self._index[label]

    def _exact_row(self, point: dict[str, Fraction]) -> dict[str, Any]:
        return bimatrix_row(solve_bimatrix(self.game, self.params | point))

    def _two_by_two(self, values: list[np.ndarray], size: int) -> tuple[Table, np.ndarray]:
        """The rows as the sign kernel settles them, and the points it leaves."""
        differences = np.empty((size, 4))
        uncertain = np.zeros(size, dtype=bool)
        for k, sign in enumerate(self._differences):
            differences[:, k], unsure = sign(values, size)
            uncertain |= unsure
        result = classify_differences(differences, uncertain)
        return self._table_2x2(result), result.uncertain

    def _table_2x2(self, result: Equilibria2x2) -> Table:
        """The rows of classified 2x2 games."""
        code = result.code
        table = {
            "outcome": code.astype(np.int64),  # the first 81 labels are the sign codes'
            "n_equilibria": TABLES["count"][code].astype(np.int64),
        }
        # the second strategies' probabilities at p* and q* are ratios (not 1 - p*)
        assert result.row_second is not None and result.column_second is not None
        for name, candidate, star, strategy in zip(
            self.columns[2:],
            (TABLES["only_row"][code],) * 2 + (TABLES["only_column"][code],) * 2,
            (result.row, result.row_second, result.column, result.column_second),
            (0, 1, 0, 1),
        ):
            table[name] = _probability(candidate, star, strategy)
        return table

    def _settle_exactly(self, chunk: Chunk, table: Table, uncertain: np.ndarray) -> np.ndarray:
        """Fill the rows of the uncertain points the exact integer kernels settle; the rest."""
        assert self._integers is not None
        points = np.flatnonzero(uncertain)
        rationals = chunk.rationals(points) if chunk.rationals is not None else None
        if rationals is None:
            return uncertain
        numerators = [rationals[name][0] for name in self.swept]
        denominators = [rationals[name][1] for name in self.swept]
        row_values, row_ok = self._integers[0](numerators, denominators)
        column_values, column_ok = self._integers[1](numerators, denominators)
        ok = row_ok & column_ok
        m, n = self.game.shape
        if (m, n) == (2, 2):
            differences = np.concatenate([row_values, column_values]).T
            # exact as floats below 2**52, and so are the denominators b1 - b0 of p* and q*
            ok &= (np.abs(differences) < 2.0**52).all(axis=1)
            result = classify_differences(differences.astype(np.float64), ~ok)
            part = self._table_2x2(result)
            settled = ~result.uncertain
        else:
            A = row_values.T.reshape(-1, m, n)
            B = column_values.T.reshape(-1, m, n)
            batch = solve_exact_batch(A, B)
            part = self._exact_table(batch)
            settled = ok & ~batch.uncertain
        where = points[settled]
        for name in self.columns:
            table[name][where] = part[name][settled]
        left = uncertain.copy()
        left[where] = False
        return left

    def _exact_table(self, batch: ExactBatch) -> Table:
        """The rows of games solved by exact batched vertex enumeration."""
        _, first, inverse = np.unique(
            batch.signature(), axis=0, return_index=True, return_inverse=True
        )
        game = self.game
        labels = [
            self._code(
                bimatrix_label(
                    batch.keys(int(g)),
                    game.row_strategies,
                    game.column_strategies,
                    bool(batch.degenerate[g]),
                )
            )
            for g in first
        ]
        table = {
            "outcome": np.array(labels, dtype=np.int64)[inverse.reshape(-1)],
            "n_equilibria": batch.count,
        }
        for name, probabilities in zip(self.columns[2:], (*batch.row.T, *batch.column.T)):
            table[name] = np.ascontiguousarray(probabilities)
        return table

    def _batched(self, values: list[np.ndarray], size: int) -> tuple[Table, np.ndarray]:
        """The rows as batched support enumeration settles them, and the points it leaves."""
        m, n = self.game.shape
        entries = np.array([[value(*values), bound(*values)] for value, bound in self._entries])
        A, B = entries[: m * n], entries[m * n :]
        result = solve_batch(
            A[:, 0].T.reshape(size, m, n),
            B[:, 0].T.reshape(size, m, n),
            magnitudes=(A[:, 1].T.reshape(size, m, n), B[:, 1].T.reshape(size, m, n)),
        )
        cells = result.pure.reshape(size, m * n).astype(np.int64) << np.arange(m * n)
        codes = cells.sum(axis=1) * 1024 + np.minimum(result.mixed, 1023)
        unique, inverse = np.unique(codes, return_inverse=True)
        labels = [self._code(self._batched_label(int(c) >> 10, int(c) & 1023)) for c in unique]
        table = {
            "outcome": np.array(labels, dtype=np.int64)[inverse.reshape(-1)],
            "n_equilibria": result.count,
        }
        for name, probabilities in zip(self.columns[2:], (*result.row.T, *result.column.T)):
            table[name] = np.ascontiguousarray(probabilities)
        return table, result.uncertain

    def _batched_label(self, cells: int, mixed: int) -> str:
        m, n = self.game.shape
        keys = [divmod(cell, n) for cell in range(m * n) if cells >> cell & 1]
        keys += [(m, n)] * mixed
        return bimatrix_label(keys, self.game.row_strategies, self.game.column_strategies)


class _Sign:
    """A payoff difference over a chunk: its float values and where their sign is unsure.

    Either ``compiled`` over the swept parameters, or a ``constant``.
    """

    def __init__(self, compiled: Compiled | Linear | None = None, constant: Fraction = Fraction(0)):
        self.compiled = compiled
        # A constant's sign is exact, unless its float underflows to 0.
        self.value = float(constant)
        self.unsure = constant != 0 and self.value == 0

    @staticmethod
    def of(expr: sympy.Expr, symbols: tuple[sympy.Symbol, ...]) -> _Sign:
        """The difference ``expr`` (a constant if it has an exact value)."""
        if not expr.free_symbols:
            try:
                return _Sign(constant=evaluate(expr, {}))
            except CredibilityError:  # not a rational number: each point reports it
                pass
        return _Sign(Compiled(expr, symbols))

    def __call__(self, values: list[np.ndarray], size: int) -> tuple[np.ndarray, np.ndarray]:
        if self.compiled is None:
            return np.broadcast_to(self.value, (size,)), np.broadcast_to(self.unsure, (size,))
        result = self.compiled(*values)
        return result, self.compiled.uncertain(result, *values)


def _linear_form(
    payoff: DeferredExpression, values: Mapping[str, Fraction], swept: Sequence[str]
) -> LinearForm:
    """A linear payoff as a form in the swept parameters, the others bound to ``values``.

    Read from exact values: at the swept parameters' zero, and at each one's unit.
    """
    base = {name: Fraction(0) if name in swept else value for name, value in values.items()}
    constant = payoff.exact_value(base)
    terms = ((name, payoff.exact_value(base | {name: Fraction(1)}) - constant) for name in swept)
    return LinearForm(constant, tuple(sorted((name, c) for name, c in terms if c)))


def _minus(left: LinearForm, right: LinearForm) -> LinearForm:
    """``left - right``, as sympy's sum collects it (terms that cancel dropped)."""
    coefficients = dict(left.terms)
    for name, coefficient in right.terms:
        coefficients[name] = coefficients.get(name, Fraction(0)) - coefficient
    terms = tuple(sorted((name, c) for name, c in coefficients.items() if c))
    return LinearForm(left.constant - right.constant, terms)


def _integer_forms(
    rows: list[sympy.Expr], columns: list[sympy.Expr], symbols: tuple[sympy.Symbol, ...]
) -> tuple[IntegerForm, IntegerForm] | None:
    """Exact integer forms of each player's expressions (None unless all are polynomials)."""
    try:
        return IntegerForm(rows, symbols), IntegerForm(columns, symbols)
    except ValueError:
        return None


def _probability(candidate: np.ndarray, star: np.ndarray, strategy: int) -> np.ndarray:
    """A strategy's probability in the only non-pure equilibrium of 2x2 games.

    ``candidate`` is the player's candidate in that equilibrium (0 or 1: a
    pure strategy, 2: the mixture, -1: no such equilibrium) and ``star`` the
    strategy's probability in the mixture.

    Examples
    --------
    >>> _probability(np.array([0, 1, 2, -1]), np.full(4, 0.25), 1).tolist()
    [0.0, 1.0, 0.25, nan]
    """
    # by candidate 0, 1, 2 and -1 (the last entry): one lookup, not np.select's three masks
    pure = np.array([float(strategy == 0), float(strategy == 1), np.nan, np.nan])
    return np.where(candidate == 2, star, pure[candidate])


def _magnitude(expr: sympy.Expr) -> sympy.Expr:
    """The sum of the absolute values of the expression's terms (a bound for rounding)."""
    import sympy  # lazy: start-up time (sympy; linear 2x2 payoffs need none, see _linear_2x2)

    return sympy.Add(*(sympy.Abs(term) for term in sympy.Add.make_args(sympy.expand(expr))))


def _boundaries(A: list[list[sympy.Expr]], B: list[list[sympy.Expr]]) -> tuple[sympy.Expr, ...]:
    """The non-constant differences between a player's payoffs against the same strategy."""
    from ..symbolic.signs import normalise  # lazy: start-up time (sympy, for --plot only)

    m, n = len(A), len(A[0])
    differences = [
        A[i][j] - A[k][j] for j in range(n) for i in range(m) for k in range(i + 1, m)
    ] + [B[i][j] - B[i][k] for i in range(m) for j in range(n) for k in range(j + 1, n)]
    return tuple(dict.fromkeys(normalise(d)[0] for d in differences if d.free_symbols))
