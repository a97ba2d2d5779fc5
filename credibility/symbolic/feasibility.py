"""When a system of linear constraints with parametric coefficients has a solution, exactly.

A system of constraints ``c_1 x_1 + ... + c_d x_d + e  REL  0`` (``REL`` one of
``==``, ``>=``, ``>``), whose coefficients ``c_i`` and constants ``e`` are
polynomials in some parameters, has a solution ``x`` for exactly the
parameter values where a Boolean formula of polynomial inequalities holds.
:func:`solvable` computes that formula by Fourier-Motzkin elimination
(Schrijver 1986, *Theory of Linear and Integer Programming*, section 12.2):

* an equality whose coefficient of ``x_i`` has a known sign is solved for
  ``x_i`` and substituted, every other constraint multiplied through by that
  coefficient (by its absolute value for an inequality), so no division is
  needed and the constraints stay polynomial;
* with only inequalities left, each pair of a lower and an upper bound on
  ``x_i`` gives one constraint without it, strict if either bound is;
* when the sign of a coefficient is not known (from the parameters' bounds or
  from the signs already assumed on the way), the formula splits into one
  branch per possible sign, each branch conjoined with its assumption
  (``c > 0``, ``c < 0`` or ``c = 0``).

The result is exact: ``True``/``False`` when every coefficient is a number,
otherwise an ``And``/``Or`` of relations ``polynomial > 0``, ``>= 0`` (an
equation ``p = 0`` is written ``p >= 0 & p <= 0``). Strict inequalities make
it possible to ask for a solution with some coordinates *positive*, the
question behind "a mixed equilibrium with exactly these supports".

:class:`Box` asks it whether strict inequalities in the parameters leave any point of the
parameters' bounds (the emptiness of a region's conditions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, reduce
from typing import Any

import sympy

from .budget import check
from .signs import Bounds, SignOracle, expression_range, has_sign, normalise

__all__ = ["Box", "Linear", "solvable"]

RELATIONS = ("==", ">=", ">")


@dataclass(frozen=True)
class Linear:
    """One constraint ``sum_i coefficients[i] * x_i + constant  relation  0``.

    Attributes
    ----------
    coefficients : tuple of sympy.Expr
    constant : sympy.Expr
    relation : str
        ``"=="``, ``">="`` or ``">"``.
    """

    coefficients: tuple[sympy.Expr, ...]
    constant: sympy.Expr
    relation: str

    @classmethod
    def of(cls, size: int, terms: Mapping[int, Any], constant: Any, relation: str) -> Linear:
        """A constraint from its nonzero coefficients ``{index: coefficient}``.

        Examples
        --------
        >>> Linear.of(2, {0: 1}, -3, ">=")
        Linear(coefficients=(1, 0), constant=-3, relation='>=')
        """
        if relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, not {relation!r}")
        row = [sympy.Integer(0)] * size
        for index, value in terms.items():
            row[index] += sympy.sympify(value)
        return cls(
            tuple(sympy.expand(c) for c in row), sympy.expand(sympy.sympify(constant)), relation
        )


def solvable(
    constraints: Sequence[Linear],
    bounds: Mapping[sympy.Symbol, tuple[Any, Any]] | None = None,
) -> sympy.Boolean:
    """The exact condition on the parameters for the constraints to have a common solution.

    Parameters
    ----------
    constraints : sequence of Linear
        All with the same number of variables.
    bounds : mapping of sympy.Symbol to (low, high), optional
        Known bounds of the parameters (``-oo``/``oo`` where unbounded); signs
        they decide are not split on. Every parameter the constraints use
        should have an entry (unbounded if nothing is known).

    Returns
    -------
    sympy.Boolean
        ``True``/``False``, or a formula of polynomial inequalities.

    Examples
    --------
    ``x > 0``, ``y > 0``, ``x + y = 1`` and ``a x >= y``: solvable iff ``a > 0``.

    >>> a = sympy.Symbol("a")
    >>> system = [Linear.of(2, {0: 1}, 0, ">"), Linear.of(2, {1: 1}, 0, ">"),
    ...           Linear.of(2, {0: 1, 1: 1}, -1, "=="), Linear.of(2, {0: a, 1: -1}, 0, ">=")]
    >>> condition = solvable(system, {a: (-sympy.oo, sympy.oo)})
    >>> [condition.subs(a, value) for value in (-1, sympy.Rational(-1, 2), 0, 3)]
    [False, False, False, True]
    >>> solvable(system, {a: (sympy.Integer(1), sympy.Integer(2))})
    True
    >>> solvable([Linear.of(1, {0: 1}, 0, ">"), Linear.of(1, {0: -1}, 0, ">=")])
    False
    """
    signs = SignOracle(dict(bounds or {}), {})
    return _eliminate([_normalised(c) for c in constraints], signs)


def _relation(expr: sympy.Expr, relation: str) -> sympy.Boolean:
    if relation == ">":
        return sympy.StrictGreaterThan(expr, 0)
    if relation == ">=":
        return sympy.GreaterThan(expr, 0)
    return has_sign(expr, 0)


@lru_cache(maxsize=16384)
def _normalised(constraint: Linear) -> Linear:
    """The constraint divided by the positive rational content of its terms."""
    terms = [*constraint.coefficients, constraint.constant]
    contents = [t.as_content_primitive()[0] for t in terms if t != 0]
    if not contents:
        return constraint
    content = abs(reduce(sympy.gcd, contents))
    if content == 1:
        return constraint
    return Linear(
        tuple(sympy.expand(c / content) for c in constraint.coefficients),
        sympy.expand(constraint.constant / content),
        constraint.relation,
    )


def _eliminate(constraints: list[Linear], signs: SignOracle) -> sympy.Boolean:
    """The condition for ``constraints`` to be solvable, under the signs ``signs`` assumes."""
    check()  # each elimination is a step: a long one stops when the budget runs out
    rows: list[Linear] = []
    conditions: list[sympy.Boolean] = []
    for row in dict.fromkeys(constraints):
        row = _drop_zeros(row, signs)
        if any(c != 0 for c in row.coefficients):
            rows.append(row)
            continue
        holds = _constant_holds(row, signs)
        if holds is sympy.false:
            return sympy.false
        if holds is not sympy.true:
            conditions.append(holds)
    if not rows:
        return sympy.And(*conditions)
    pivot = _equality_pivot(rows, signs)
    if pivot is not None:
        reduced = _substitute(rows, *pivot)
        return sympy.And(*conditions, _eliminate(reduced, signs))
    equality = next((row for row in rows if row.relation == "=="), None)
    if equality is not None:  # every coefficient of it may be zero: split on one
        undecided = next(c for c in equality.coefficients if c != 0)
        return sympy.And(*conditions, _branch(undecided, rows, signs))
    index = _variable_to_eliminate(rows, signs)
    undecided = next(
        (
            row.coefficients[index]
            for row in rows
            if len(signs.possible(row.coefficients[index])) > 1
        ),
        None,
    )
    if undecided is not None:
        return sympy.And(*conditions, _branch(undecided, rows, signs))
    return sympy.And(*conditions, _eliminate(_combine(rows, index, signs), signs))


def _drop_zeros(row: Linear, signs: SignOracle) -> Linear:
    """Coefficients known to be zero under the assumptions, replaced by 0."""
    zero = sympy.Integer(0)
    coefficients = tuple(
        zero if c != 0 and signs.possible(c) == (0,) else c for c in row.coefficients
    )
    return (
        row
        if coefficients == row.coefficients
        else Linear(coefficients, row.constant, row.relation)
    )


def _constant_holds(row: Linear, signs: SignOracle) -> sympy.Boolean:
    """Whether ``constant REL 0`` holds: decided from its possible signs, else the relation."""
    possible = signs.possible(row.constant)
    allowed = {"==": {0}, ">=": {0, 1}, ">": {1}}[row.relation]
    if set(possible) <= allowed:
        return sympy.true
    if not set(possible) & allowed:
        return sympy.false
    return _relation(row.constant, row.relation)


def _equality_pivot(rows: list[Linear], signs: SignOracle) -> tuple[int, int, int] | None:
    """An equality and a variable whose coefficient has a known nonzero sign, with that sign."""
    best = None
    for r, row in enumerate(rows):
        if row.relation != "==":
            continue
        for i, c in enumerate(row.coefficients):
            if c == 0:
                continue
            possible = signs.possible(c)
            if len(possible) == 1 and possible[0] != 0:
                simple = c.is_number
                if best is None or (simple and not best[3]):
                    best = (r, i, possible[0], simple)
    return None if best is None else best[:3]


def _substitute(
    rows: list[Linear],
    pivot_row: int,
    index: int,
    sign: int,
) -> list[Linear]:
    """Eliminate variable ``index`` with equality ``pivot_row`` (coefficient of sign ``sign``)."""
    pivot = rows[pivot_row]
    c = pivot.coefficients[index]
    reduced = []
    for r, row in enumerate(rows):
        if r == pivot_row:
            continue
        a = row.coefficients[index]
        if a == 0:
            reduced.append(row)
            continue
        factor = c * sign  # positive: keeps the direction of an inequality
        other = a * sign
        reduced.append(
            _normalised(
                Linear(
                    tuple(
                        sympy.expand(factor * x - other * y)
                        for x, y in zip(row.coefficients, pivot.coefficients)
                    ),
                    sympy.expand(factor * row.constant - other * pivot.constant),
                    row.relation,
                )
            )
        )
    return reduced


def _variable_to_eliminate(rows: list[Linear], signs: SignOracle) -> int:
    """The variable whose elimination adds the fewest constraints (decided signs first)."""
    size = len(rows[0].coefficients)
    best: tuple[Any, ...] | None = None
    for i in range(size):
        used = [row.coefficients[i] for row in rows if row.coefficients[i] != 0]
        if not used:
            continue
        possible = [signs.possible(c) for c in used]
        undecided = sum(len(p) > 1 for p in possible)
        positive = sum(p == (1,) for p in possible)
        negative = sum(p == (-1,) for p in possible)
        key = (undecided, positive * negative - positive - negative, i)
        if best is None or key < best:
            best = key
    assert best is not None
    return int(best[-1])


def _branch(expr: sympy.Expr, rows: list[Linear], signs: SignOracle) -> sympy.Boolean:
    """One branch per possible sign of ``expr``, each with its assumption."""
    key, flip = normalise(expr)
    branches = []
    for sign in signs.possible(expr):
        trial = signs.assuming(key, flip * sign)
        branches.append(sympy.And(has_sign(key, flip * sign), _eliminate(rows, trial)))
    return sympy.Or(*branches)


def _combine(rows: list[Linear], index: int, signs: SignOracle) -> list[Linear]:
    """Fourier-Motzkin step: every lower bound on ``x_index`` against every upper bound."""
    kept: list[Linear] = []
    lower: list[Linear] = []
    upper: list[Linear] = []
    for row in rows:
        c = row.coefficients[index]
        sign = 0 if c == 0 else signs.possible(c)[0]
        (kept if sign == 0 else lower if sign > 0 else upper).append(row)
    for low in lower:
        for high in upper:
            a, b = low.coefficients[index], -high.coefficients[index]  # both positive
            relation = ">" if ">" in (low.relation, high.relation) else ">="
            kept.append(
                _normalised(
                    Linear(
                        tuple(
                            sympy.expand(b * x + a * y)
                            for x, y in zip(low.coefficients, high.coefficients)
                        ),
                        sympy.expand(b * low.constant + a * high.constant),
                        relation,
                    )
                )
            )
    return kept


Terms = tuple[dict[int, sympy.Expr], sympy.Expr]


class Box:
    """Emptiness of conjunctions of strict inequalities within the parameters' bounds.

    Parameters
    ----------
    bounds : mapping of sympy.Symbol to (low, high)
        The free parameters and their bounds (``-oo``/``oo`` where unbounded).

    Examples
    --------
    >>> m, v = sympy.symbols("m v")
    >>> box = Box({m: (sympy.Integer(0), sympy.oo), v: (-sympy.oo, sympy.oo)})
    >>> box.empty([v - m, -v]), box.empty([v - m, 1 - v]), box.empty([v, -v])
    (True, False, True)
    >>> box.empty([-m]), box.empty([1 - m], closed=m - 1)
    (True, True)
    """

    def __init__(self, bounds: Bounds) -> None:
        self.bounds = bounds
        self.symbols = sorted(bounds, key=str)
        self.box: list[Linear] = []
        for index, symbol in enumerate(self.symbols):
            low, high = (sympy.sympify(end) for end in bounds[symbol])
            if low.is_finite:
                self.box.append(self._row({index: sympy.Integer(1)}, -low, ">="))
            if high.is_finite:
                self.box.append(self._row({index: sympy.Integer(-1)}, high, ">="))
        self._rows: dict[sympy.Expr, Terms | None] = {}
        self._empty: dict[tuple[frozenset[sympy.Expr], sympy.Expr | None], bool] = {}

    def _row(self, terms: dict[int, sympy.Expr], constant: sympy.Expr, relation: str) -> Linear:
        return Linear.of(len(self.symbols), terms, constant, relation)

    def linear(self, atom: sympy.Expr) -> Terms | None:
        """``atom`` as ``({index: coefficient}, constant)``, if linear with numeric coefficients."""
        if atom not in self._rows:
            self._rows[atom] = self._linear(atom)
        return self._rows[atom]

    def _linear(self, atom: sympy.Expr) -> Terms | None:
        if not atom.free_symbols <= set(self.symbols):
            return None
        try:
            poly = sympy.Poly(atom, *self.symbols)
        except sympy.PolynomialError:
            return None
        if poly.total_degree() > 1 or not all(c.is_number for c in poly.coeffs()):
            return None
        coefficient = poly.coeff_monomial
        terms = {i: coefficient(s) for i, s in enumerate(self.symbols) if coefficient(s)}
        return terms, coefficient(1)

    def empty(self, atoms: Sequence[sympy.Expr], closed: sympy.Expr | None = None) -> bool:
        """True if no point of the box has every atom ``> 0`` (and ``closed >= 0``, if given).

        ``closed`` must be linear (:meth:`linear`).
        """
        key = (frozenset(atoms), closed)
        if key not in self._empty:
            self._empty[key] = self._decide(atoms, closed)
        return self._empty[key]

    def _decide(self, atoms: Sequence[sympy.Expr], closed: sympy.Expr | None) -> bool:
        check()
        signs: dict[sympy.Expr, set[int]] = {}
        rows = list(self.box)
        for atom in atoms:
            key, sign = normalise(atom)
            signs.setdefault(key, set()).add(sign)
            if len(signs[key]) > 1:
                return True
            row = self.linear(atom)
            if row is not None:
                rows.append(self._row(*row, ">"))
            elif expression_range(sympy.expand(atom), self.bounds)[1] <= 0:
                return True
        if closed is not None:
            terms, constant = self.linear(closed)  # type: ignore[misc]
            rows.append(self._row(terms, constant, ">="))
        return solvable(rows) is sympy.false
