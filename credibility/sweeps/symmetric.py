"""The symmetric-game evaluator: vectorised over a chunk, exact where floats cannot decide.

The row (its columns after the swept parameters): ``outcome``, the kinds of symmetric
equilibrium (:func:`~credibility.solvers.symmetric.symmetric_outcome`, as ``solve`` and
``credibility threshold`` label them); ``n_equilibria``, their number; ``p_mixed``, the mixed
equilibrium's probability of the first action when there is exactly one mixed equilibrium
(NaN otherwise); ``p_answer``, the probability that the alliance answers (at least
``answer_at_least`` members choose the first action) in it (NaN otherwise).

Exact path: :func:`symmetric_row` is the row at one point, from
:func:`~credibility.solvers.symmetric.solve_symmetric` (the roots of the gain polynomial found
exactly at the point's exact values). Points with the same exact values are solved once (a
grid over ``n`` and ``c`` repeats each ``n`` many times only in the float columns, not in the
exact values).

Vectorised path (every point it cannot decide soundly goes to the exact path):

1. The points are grouped by what must be an exact integer: the member count ``n``, each
   step's ``at_least`` and ``answer_at_least``, bound exactly at one representative point of
   each distinct combination of the grid values they depend on (a point where one of them
   is not a valid integer goes to the exact path, which reports the error).
2. In a group, ``d(k) = u1(k) - u2(k)`` for ``k = 0 .. n-1`` is evaluated in floats at
   every point (shape ``(points, n)``); the payoff expressions are compiled once per game,
   with ``k`` as one more variable (:func:`~credibility.sweeps.compiled.compile_expression`).
   Only payoffs that are rational at rational values are vectorised (:func:`_rational`:
   ``2**c`` is not, and the exact path reports where it is irrational), and only groups of
   at most ``MAX_MEMBERS`` members.
   ``s(k)`` is the sum of the absolute values of the terms summed. A sign is trusted only if
   ``|d(k)| > TOLERANCE * (1 + s(k))`` (:mod:`~credibility.sweeps.compiled`'s rule, far
   above the rounding errors): any other ``d(k)`` (a possible tie, or every ``d(k) = 0``,
   *every p*) or a value that is not finite sends the point to the exact path. Then the
   signs of every ``d(k)`` are the exact ones, and so are the pure equilibria: all-first iff
   ``d(n-1) > 0``, all-second iff ``d(0) < 0``.
3. Mixed equilibria. ``D(p) = sum_k C(n-1, k) p^k (1-p)^(n-1-k) d(k)`` has the ``d(k)`` as
   its coefficients in the Bernstein basis. With ``t = p / (1 - p)``, which maps (0, 1)
   onto (0, inf), ``D(p) = (1-p)^(n-1) sum_k C(n-1, k) d(k) t^k``: the roots of ``D`` in
   (0, 1) are the positive roots of a polynomial whose coefficients have the signs of the
   ``d(k)``. By Descartes' rule of signs, their number (with multiplicity) is at most the
   number ``V`` of sign changes of ``(d(0), ..., d(n-1))`` and has its parity (the rule of
   signs in the Bernstein basis: G. G. Lorentz, *Bernstein Polynomials*, University of
   Toronto Press, 1953; R. T. Farouki and V. T. Rajan, "Algorithms for polynomials in
   Bernstein form", Computer Aided Geometric Design 5(1), 1988, 1-26). So ``V = 0``: no
   mixed equilibrium; ``V = 1``: exactly one, a simple root, in the bracket ``(0, 1)``,
   whose ends have the certain signs of ``d(0)`` and ``d(n-1)``; ``V >= 2``: step 4.
4. Subdivision (``V >= 2``; :func:`_isolate`, in the style of J. M. Lane and
   R. F. Riesenfeld, "Bounds on a polynomial", BIT 21(1), 1981, 112-117, and B. Mourrain and
   J. P. Pavone, "Subdivision methods for solving polynomial equations", Journal of Symbolic
   Computation 44(3), 2009, 292-306). The exact path counts the *distinct* roots of ``D``
   in (0, 1), one mixed equilibrium each. De Casteljau's algorithm at ``1/2`` (averages of
   neighbours, :func:`_halves`) gives, in exact arithmetic, the Bernstein coefficients of
   ``D`` on the two halves of a piece (of ``D(a + (b - a) t)``, ``t`` in ``[0, 1]``), so the
   rule of signs holds on every piece. Pieces are halved, vectorised over the points, at
   most ``MAX_DEPTH`` times, until each piece is *decided*: every coefficient's sign is
   certain, and they change sign at most once. Certain: ``|c| > e``, with ``e`` a bound on
   the distance of the float ``c`` from the exact coefficient, carried through the averages
   from ``e = TOLERANCE (1 + s(k))`` for ``d(k)`` (step 2's rule, whose premise is that
   bound): ``fl(a + b) / 2`` is off by at most the average of the errors of ``a`` and
   ``b`` plus ``u (|a| + |b|) / 2`` (``u`` the unit roundoff, halving exact), and the bound
   is rounded up (``SLACK``). Then on a decided piece the exact coefficients have the signs
   of the floats, none zero: with no sign change ``D`` has one strict sign on the closed
   piece (a combination of its coefficients with nonnegative weights summing to 1), so no
   root; with one, ``D`` has exactly one root in the open piece, a simple one (at most one
   with multiplicity, of odd number). The ends of a piece are its first and last
   coefficients (``D`` at the split points), nonzero, and the pieces cover ``[0, 1]``: the
   roots in (0, 1) are exactly the pieces with one sign change, all simple, so their number
   is that of the distinct roots. A multiple root (a tangency), a root at a split point
   (``D(1/2) = 0``), roots closer than the finest pieces, or coefficients too small to
   trust keep a piece undecided at ``MAX_DEPTH``: the point goes to the exact path. Roots
   are located only when there is exactly one (``p_mixed`` and ``p_answer`` are NaN
   otherwise, as in the exact path); its bracket is then its piece.
5. The single root is found by Newton's method safeguarded by bisection inside its bracket
   (on ``D`` from the ``d(k)``, not from the subdivided coefficients).
   Accuracy: the root is kept only if its estimated relative error is below ``ACCURACY``:
   ``(|D(p)| + e(p)) / (|D'(p)| p)`` with ``e(p)`` a bound on the rounding errors of ``D``
   (:func:`_gain`), and likewise the error of ``p_answer`` (the binomial tail, a sum of
   positive terms) propagated from ``p``; otherwise, or if Newton's method does not
   converge, the exact path. The floats then agree with the exact path's (``evalf(17)``
   rounded to float) to within ``ACCURACY`` relative, and in practice to a few ulps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..errors import CredibilityError
from ..models.common import Binding
from ..models.symmetric import K_NAME, SymmetricGame
from ..solvers.symmetric import SymmetricEquilibrium, solve_symmetric, symmetric_outcome
from .compiled import TOLERANCE, Compiled, Polynomial, compile_expression
from .evaluator import Chunk, codes_of
from .rows import at_point, empty_columns, fill

__all__ = ["ACCURACY", "MAX_MEMBERS", "SymmetricEvaluator", "symmetric_row"]

#: The estimated relative error above which a float ``p_mixed`` or ``p_answer`` is not kept.
ACCURACY = 2.0**-40
#: Groups with more members go to the exact path (their binomial coefficients overflow).
MAX_MEMBERS = 1000
#: Newton (or bisection) steps before a point is handed to the exact path.
MAX_STEPS = 200
#: The unit roundoff of float64.
UNIT = 2.0**-53
#: Halvings of [0, 1] (Bernstein subdivision) before a point with ``V >= 2`` goes exact.
MAX_DEPTH = 8
#: Error bounds carried through de Casteljau's averages are rounded up by this factor.
SLACK = 0.5 * (1 + 2.0**-39)

Structure = tuple[int, tuple[tuple[int, ...], tuple[int, ...]], int]


def symmetric_row(game: SymmetricGame, params: Mapping[str, Fraction]) -> dict[str, Any]:
    """The row of a symmetric game at one point, from ``solve_symmetric`` (exact).

    Examples
    --------
    >>> import credibility as cr
    >>> row = symmetric_row(cr.load("collective_defence_n"), {"n": Fraction(2)})
    >>> row["outcome"], row["p_mixed"], row["p_answer"]
    ('mixed', 0.75, 0.9375)
    """
    solution = solve_symmetric(game, dict(params))
    mixed = solution.mixed
    one = len(mixed) == 1
    return {
        "outcome": solution.outcome,
        "n_equilibria": len(solution.equilibria),
        "p_mixed": float(mixed[0].p.evalf(17)) if one else math.nan,
        "p_answer": float(mixed[0].answer.evalf(17)) if one else math.nan,
    }


class SymmetricEvaluator:
    """Classifies grid points of a symmetric game, vectorised, exact where floats cannot decide.

    Parameters
    ----------
    game : SymmetricGame
    swept : sequence of str
        The swept parameters.
    params : mapping of str to Fraction
        Other parameters bound (the rest keep their defaults).

    Attributes
    ----------
    columns : tuple of str
        ``outcome``, ``n_equilibria``, ``p_mixed``, ``p_answer``.
    cache : dict
        The rows of the points solved exactly, by their exact swept values.
    fallbacks : int
        How many points were handed to the exact path (cached ones included).

    Examples
    --------
    >>> import credibility as cr
    >>> from credibility.sweeps.grid import make_grid, parse_grid
    >>> game = cr.load("collective_defence_n")
    >>> grid = make_grid(dict([parse_grid("n=2,12,32")]), game.parameters)
    >>> evaluator = SymmetricEvaluator(game, ["n"], {})
    >>> rows = evaluator.evaluate(grid.chunk(0, 3))
    >>> [round(x, 4) for x in rows["p_answer"].tolist()], evaluator.fallbacks
    ([0.9375, 0.7796, 0.7609], 0)
    """

    def __init__(self, game: SymmetricGame, swept: Sequence[str], params: Mapping[str, Fraction]):
        self.game = game
        self.swept = tuple(swept)
        self.params = dict(params)
        self.columns: tuple[str, ...] = ("outcome", "n_equilibria", "p_mixed", "p_answer")
        self.cache: dict[tuple[Fraction, ...], dict[str, Any]] = {}
        self.fallbacks = 0
        names = {p.name: p for p in game.parameters}
        symbols = [names[name].symbol for name in self.swept]
        values = game.bind(self.params).values
        bound = {
            p.symbol: sympy.Rational(values[p.name].numerator, values[p.name].denominator)
            for p in game.parameters
            if p.name not in self.swept
        }
        k = sympy.Symbol(K_NAME)
        variables = [*symbols, k]

        def compiled(expr: Any) -> Compiled | Polynomial:
            return compile_expression(sympy.sympify(expr).xreplace(bound), variables)

        #: Per action: the base payoff and each step's amount, compiled (variables: swept, k).
        self.bases = tuple(compiled(payoff.base) for payoff in game.payoffs)
        self.adds = tuple(tuple(compiled(s.add) for s in payoff.steps) for payoff in game.payoffs)
        #: Operations in computing ``d(k)`` (each adds at most one rounding error of size s(k)).
        self.operations = (
            2
            + len(self.swept)
            + sum(
                int(sympy.count_ops(expr.expr)) + 1
                for expr in (*self.bases, *(add for adds in self.adds for add in adds))
            )
        )
        #: False if a payoff may be irrational at rational values: then every point is exact.
        self.rational = all(
            _rational(expr.expr, k)
            for expr in (*self.bases, *(add for adds in self.adds for add in adds))
        )
        integers: set[str] = {str(game.count)}
        for expr in (
            game.answer_at_least,
            *(step.at_least for payoff in game.payoffs for step in payoff.steps),
        ):
            integers |= {s.name for s in sympy.sympify(expr).free_symbols}
        #: The swept parameters the member count and the thresholds depend on.
        self.structural = tuple(name for name in self.swept if name in integers)
        #: The outcome labels by (all-first, number of mixed equilibria, all-second), as found.
        self.labels: dict[tuple[bool, int, bool], str] = {}

    def evaluate(self, chunk: Chunk) -> dict[str, np.ndarray]:
        """The rows of every point of the chunk."""
        size = len(chunk)
        table = empty_columns(self.columns, size)
        values = [np.asarray(chunk.values[name], dtype=np.float64) for name in self.swept]
        settled = np.zeros(size, dtype=bool)
        for structure, points in self._groups(chunk, size) if self.rational else ():
            if structure is None or structure[0] > MAX_MEMBERS:
                continue
            settled[points] = self._group(table, structure, points, [v[points] for v in values])
        for i in np.flatnonzero(~settled):
            self.fallbacks += 1
            point = chunk.exact(int(i))
            key = tuple(point[name] for name in self.swept)
            row = self.cache.get(key)
            if row is None:
                row = at_point(lambda values: symmetric_row(self.game, self.params | values), point)
                self.cache[key] = row
            fill(table, int(i), row)
        return table

    def _groups(self, chunk: Chunk, size: int) -> list[tuple[Structure | None, np.ndarray]]:
        """The points by member count and thresholds, bound exactly (None: not valid integers)."""
        codes = []
        for name in self.structural:
            found = codes_of(chunk.values[name])
            codes.append(found[0] if found is not None else np.arange(size))
        if not codes:
            return [(self._structure(self.game.bind(self.params)), np.arange(size))]
        _, first, inverse = np.unique(
            np.stack(codes, axis=1), axis=0, return_index=True, return_inverse=True
        )
        inverse = inverse.ravel()
        groups = []
        for g, i in enumerate(first):
            point = self.params | chunk.exact(int(i))
            try:
                structure = self._structure(self.game.bind(point))
            except CredibilityError:  # the exact path reports it, the point named
                structure = None
            groups.append((structure, np.flatnonzero(inverse == g)))
        return groups

    def _structure(self, binding: Binding) -> Structure | None:
        """``(n, each action's step thresholds, answer_at_least)`` at bound values."""
        game = self.game
        try:
            n = game.members(binding)
            steps = [[binding.value(s.at_least) for s in payoff.steps] for payoff in game.payoffs]
            m = game.answer_count(binding)
        except CredibilityError:  # the exact path reports it, the point named
            return None
        if any(value.denominator != 1 for row in steps for value in row):
            return None
        first, second = (tuple(int(value) for value in row) for row in steps)
        return n, (first, second), m

    def _differences(
        self, structure: Structure, values: list[np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """``d(k)`` and ``s(k)`` at the points, shape ``(points, n)``."""
        n, thresholds, _ = structure
        size = len(values[0])
        k = np.arange(n, dtype=np.float64)
        flat = [np.repeat(v, n) for v in values] + [np.tile(k, size)]
        d = np.zeros((size, n))
        scale = np.zeros((size, n))
        with np.errstate(all="ignore"):
            for sign, base, adds, steps in zip((1.0, -1.0), self.bases, self.adds, thresholds):
                d += sign * base(*flat).reshape(size, n)
                scale += base.magnitude(*flat).reshape(size, n)
                for add, at in zip(adds, steps):
                    paid = k >= at
                    d += np.where(paid, sign * add(*flat).reshape(size, n), 0.0)
                    scale += np.where(paid, add.magnitude(*flat).reshape(size, n), 0.0)
        return d, scale

    def _group(
        self,
        table: dict[str, np.ndarray],
        structure: Structure,
        points: np.ndarray,
        values: list[np.ndarray],
    ) -> np.ndarray:
        """Fill the rows of ``points`` (one member count) that floats decide; which they are."""
        n, _, m = structure
        d, scale = self._differences(structure, values)
        with np.errstate(all="ignore"):
            sure = (np.abs(d) > TOLERANCE * (1 + scale)).all(axis=1)
            sure &= np.isfinite(scale).all(axis=1) & np.isfinite(d).all(axis=1)
        positive = d > 0
        changes = (positive[:, 1:] != positive[:, :-1]).sum(axis=1)
        first = positive[:, n - 1]
        second = ~positive[:, 0]
        # the number of roots of D in (0, 1), and the bracket of the root where there is one
        count = np.where(changes == 1, 1, 0)
        low, high, start = np.zeros(len(points)), np.ones(len(points)), positive[:, 0].copy()
        many = np.flatnonzero(sure & (changes >= 2))
        if len(many):
            found, (owner, left, right, sign) = _isolate(d[many], TOLERANCE * (1 + scale[many]))
            sure[many[found < 0]] = False
            count[many] = found
            low[many[owner]], high[many[owner]], start[many[owner]] = left, right, sign
        p = np.full(len(points), np.nan)
        answer = np.full(len(points), np.nan)
        where = np.flatnonzero(sure & (count == 1))
        if len(where):
            error = UNIT * ((3 * n + 4) * np.abs(d[where]) + self.operations * scale[where])
            root, relative = _root(d[where], error, low[where], high[where], start[where])
            tail, inexact = _answer(root, relative, n, m)
            ok = (relative <= ACCURACY) & (inexact <= ACCURACY)
            p[where] = root
            answer[where] = tail
            sure[where[~ok]] = False
        for roots in np.unique(count[sure]).tolist():
            for all_first in (False, True):
                for all_second in (False, True):
                    chosen = points[
                        sure & (first == all_first) & (count == roots) & (second == all_second)
                    ]
                    table["outcome"][chosen] = self._label(all_first, roots, all_second)
                    table["n_equilibria"][chosen] = all_first + roots + all_second
        table["p_mixed"][points[sure]] = p[sure]
        table["p_answer"][points[sure]] = answer[sure]
        return sure

    def _label(self, all_first: bool, mixed: int, all_second: bool) -> str:
        """The outcome label (:func:`symmetric_outcome`) of the pure ones and ``mixed`` roots."""
        key = (all_first, mixed, all_second)
        label = self.labels.get(key)
        if label is None:
            game = self.game
            one = SymmetricEquilibrium(f"all {game.actions[0]}", sympy.Integer(1), 0, 0, 2)
            root = SymmetricEquilibrium("mixed", sympy.Rational(1, 2), 0, 0, 2)
            zero = SymmetricEquilibrium(f"all {game.actions[1]}", sympy.Integer(0), 0, 0, 2)
            equilibria = [one] * all_first + [root] * mixed + [zero] * all_second
            label = self.labels[key] = symmetric_outcome(tuple(equilibria))
        return label


def _rational(expr: sympy.Expr, k: sympy.Symbol) -> bool:
    """True if ``expr`` is rational wherever its symbols are (``k`` a natural number).

    Built of rationals, symbols, sums, products, ``Min``, ``Max``, ``Abs`` and powers whose
    exponent is an integer or a polynomial in ``k`` with integer coefficients; other
    expressions (``2**c``) may be irrational at a grid point, where the exact path reports
    the error, so their points all go to it.

    Examples
    --------
    >>> k, c = sympy.symbols("k c")
    >>> _rational(c**k / (c - 1) + abs(c), k), _rational(2**c, k), _rational(c ** (k / 2), k)
    (True, False, False)
    >>> _rational(c ** (1 / k), k)
    False
    """
    allowed = (sympy.Symbol, sympy.Rational, sympy.Add, sympy.Mul, sympy.Min, sympy.Max, sympy.Abs)
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow):
            exponent = node.exp
            if not exponent.is_Integer and not (
                exponent.free_symbols <= {k}
                and exponent.is_polynomial(k)
                and all(c.is_Integer for c in sympy.Poly(exponent, k).coeffs())
            ):
                return False
        elif not isinstance(node, allowed):
            return False
    return True


def _gain(d: np.ndarray, error: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, ...]:
    """``D(p)``, ``D'(p)`` and a bound on the rounding errors of ``D(p)``, per row.

    ``error[:, k]`` bounds the error of ``d(k)`` and of the products and sums that weigh it:
    each ``p^k (1-p)^(n-1-k)`` is within ``(n + 1)`` roundings of its value, the sum adds
    ``n``; the bound returned is ``2 sum_k B_k(p) error[:, k]`` (a factor 2 of slack).
    """
    n = d.shape[1]
    degree = n - 1
    q = 1 - p
    powers = np.arange(n, dtype=np.float64)
    up = p[:, np.newaxis] ** powers
    down = q[:, np.newaxis] ** powers
    binomials = np.array([math.comb(degree, k) for k in range(n)], dtype=np.float64)
    basis = binomials * up * down[:, ::-1]
    value = (basis * d).sum(axis=1)
    bound = 2 * (basis * error).sum(axis=1)
    lower = np.array([math.comb(degree - 1, k) for k in range(degree)], dtype=np.float64)
    slope = degree * (lower * up[:, :degree] * down[:, degree - 1 :: -1] * np.diff(d)).sum(axis=1)
    return value, slope, bound


def _halves(c: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, ...]:
    """De Casteljau at 1/2: the Bernstein coefficients of each row's piece on its two halves.

    ``c[:, j]`` are the coefficients of ``D`` on a piece, ``e[:, j]`` bounds on their errors
    (against the exact coefficients); returns the coefficients and error bounds of the left
    and the right half (``left[:, -1] == right[:, 0]`` is ``D`` at the midpoint). Each step
    averages neighbours, ``fl(a + b) / 2``: its error is at most the average of theirs plus
    ``u (|a| + |b|) / 2`` (one rounding of the sum; halving is exact); the bound itself is
    rounded up by a factor ``1 + 2^-39``, far above the few roundings in computing it.
    """
    n = c.shape[1]
    left, right = np.empty_like(c), np.empty_like(c)
    left_error, right_error = np.empty_like(e), np.empty_like(e)
    left[:, 0], right[:, n - 1] = c[:, 0], c[:, n - 1]
    left_error[:, 0], right_error[:, n - 1] = e[:, 0], e[:, n - 1]
    for r in range(1, n):
        a, b = c[:, :-1], c[:, 1:]
        e = (e[:, :-1] + e[:, 1:] + UNIT * (np.abs(a) + np.abs(b))) * SLACK
        c = (a + b) / 2
        left[:, r], right[:, n - 1 - r] = c[:, 0], c[:, -1]
        left_error[:, r], right_error[:, n - 1 - r] = e[:, 0], e[:, -1]
    return left, left_error, right, right_error


def _isolate(
    d: np.ndarray, bound: np.ndarray
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """The number of roots of ``D`` in (0, 1) per row, by subdivision; -1 where undecided.

    ``bound[:, k]`` bounds the error of ``d[:, k]``. Pieces of ``[0, 1]`` are halved
    (:func:`_halves`) up to ``MAX_DEPTH`` times until every coefficient of each piece
    exceeds its error bound and has at most one sign change; a row with a piece still
    undecided is -1. Also returned, for the rows with exactly one root: the row, the ends of
    the piece that holds it and whether ``D`` is positive at its left end.
    """
    size = len(d)
    count = np.zeros(size, dtype=np.int64)
    undecided = np.zeros(size, dtype=bool)
    owner, low = np.arange(size), np.zeros(size)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    c, e = d, bound
    with np.errstate(all="ignore"):
        for level in range(1, MAX_DEPTH + 1):
            left, left_error, right, right_error = _halves(c, e)
            width = 0.5**level
            c, e = np.concatenate([left, right]), np.concatenate([left_error, right_error])
            owner = np.concatenate([owner, owner])
            low = np.concatenate([low, low + width])
            certain = (np.abs(c) > e).all(axis=1) & np.isfinite(e).all(axis=1)
            positive = c > 0
            changes = (positive[:, 1:] != positive[:, :-1]).sum(axis=1)
            one = certain & (changes == 1)
            np.add.at(count, owner[one], 1)
            found.append((owner[one], low[one], low[one] + width, positive[one, 0]))
            split = ~certain | (changes >= 2)
            if level == MAX_DEPTH:
                undecided[owner[split]] = True
            split &= ~undecided[owner]
            c, e, owner, low = c[split], e[split], owner[split], low[split]
            if not len(c):
                break
    count[undecided] = -1
    rows, lows, highs, signs = (np.concatenate(column) for column in zip(*found))
    single = count[rows] == 1
    return count, (rows[single], lows[single], highs[single], signs[single])


def _root(
    d: np.ndarray, error: np.ndarray, low: np.ndarray, high: np.ndarray, start: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The root of ``D`` in ``(low, high)`` of each row (its only one), and its relative error.

    ``D(low)`` and ``D(high)`` are nonzero, of opposite signs, ``D(low) > 0`` where
    ``start``. Newton's method from the midpoint, a step that leaves the bracket
    ``(low, high)`` replaced by bisection, until the step is below 4 roundings or ``|D(p)|``
    is below its rounding-error bound (then one last Newton step). The error estimate is
    ``(|D(p)| + e(p)) / (|D'(p)| p)``; infinite where ``MAX_STEPS`` did not suffice.
    """
    size = len(d)
    low, high = low.copy(), high.copy()
    p = (low + high) / 2
    estimate = np.full(size, np.inf)
    active = np.arange(size)
    with np.errstate(all="ignore"):
        for _ in range(MAX_STEPS):
            if not len(active):
                break
            x = p[active]
            value, slope, bound = _gain(d[active], error[active], x)
            below = (value > 0) == start[active]
            low[active] = np.where(below, x, low[active])
            high[active] = np.where(below, high[active], x)
            newton = x - value / slope
            inside = (newton > low[active]) & (newton < high[active])
            step = np.where(inside, newton, (low[active] + high[active]) / 2)
            noisy = np.abs(value) <= bound
            done = noisy | (np.abs(step - x) <= 4 * UNIT * x)
            estimate[active[done]] = ((np.abs(value) + bound) / (np.abs(slope) * x))[done]
            p[active] = np.where(noisy & ~inside, x, step)
            active = active[~done]
    return p, estimate


def _answer(p: np.ndarray, relative: np.ndarray, n: int, m: int) -> tuple[np.ndarray, ...]:
    """P(at least ``m`` of ``n`` choose the first action, each with ``p``), and its error.

    A sum of positive terms (each within ``2 n + 4`` roundings); the relative error
    ``relative`` of ``p`` adds ``p A'(p) / A(p)`` times itself, with
    ``A'(p) = n C(n-1, m-1) p^(m-1) (1-p)^(n-m)``.
    """
    if m <= 0 or m > n:
        return np.full(len(p), 1.0 if m <= 0 else 0.0), np.zeros(len(p))
    if m == 1:  # 1 - (1-p)^n, to a few roundings, with p A'(p) / A(p) <= 1
        with np.errstate(all="ignore"):
            return -np.expm1(n * np.log1p(-p)), relative + 4 * UNIT
    j = np.arange(m, n + 1, dtype=np.float64)
    binomials = np.array([math.comb(n, int(i)) for i in j], dtype=np.float64)
    with np.errstate(all="ignore"):
        terms = binomials * p[:, np.newaxis] ** j * (1 - p)[:, np.newaxis] ** (n - j)
        tail = terms.sum(axis=1)
        slope = n * math.comb(n - 1, m - 1) * p ** (m - 1) * (1 - p) ** (n - m)
        error = (p * slope / tail) * relative + (2 * n + 4) * UNIT
    return tail, error
