"""The signalling evaluator: exact existence conditions of equilibria, over numpy.

For a two-type game, every pure profile (each type's message, a response to
each message) is a perfect Bayesian equilibrium exactly when a conjunction of
polynomial inequalities holds (:mod:`credibility.symbolic.signalling_regions`;
the conditions assume both priors positive), and a semi-separating or hybrid
equilibrium exists exactly when a Boolean formula of such inequalities does
(:mod:`credibility.symbolic.signalling_supports`, derived once with the swept
parameters symbolic). The evaluator substitutes the bound parameters,
lambdifies every distinct inequality once, evaluates them over the chunk and
combines them with numpy's logical operators, counting the pure profiles of
each class that hold and flagging the mixed classes. At a point where some inequality's value is
too close to 0 to trust its sign, the conditions are evaluated again in exact
rational arithmetic; where some prior is zero (the conditions assume positive
priors), or a condition is not a polynomial, the exact solver decides
(:func:`~credibility.sweep.rows.signalling_row`). Games with more than two
types are solved exactly at every point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import product
from typing import Any

import numpy as np
import sympy
from sympy.core.relational import Relational

from ..models import SignallingGame
from .compiled import Compiled, exact_polynomial
from .evaluator import Chunk
from .rows import (
    at_point,
    columns_for,
    empty_columns,
    fill,
    signalling_label,
    signalling_row,
    sweeps_mixed_classes,
)

__all__ = ["SignallingEvaluator"]

_COMPARE = {
    ">=": np.greater_equal,
    ">": np.greater,
    "<=": np.less_equal,
    "<": np.less,
}


class SignallingEvaluator:
    """Classifies grid points of a signalling game by the classes of its pure equilibria.

    Parameters
    ----------
    game : SignallingGame
    swept : sequence of str
        The swept parameters.
    params : mapping of str to Fraction
        Other parameters bound (the rest keep their defaults).

    Attributes
    ----------
    columns : tuple of str
        ``outcome``, ``n_equilibria``, ``n_separating``, ``n_pooling``, then
        ``semi_separating`` and ``hybrid`` (two-type games small enough for
        the mixed classes' conditions).
    boundaries : tuple of sympy.Expr
        Every inequality's left side: a class may appear or vanish where one is 0.
    symbols : tuple of sympy.Symbol
        The swept parameters' symbols.

    Examples
    --------
    >>> import credibility as cr
    >>> from credibility.sweep.grid import make_grid, parse_grid
    >>> game = cr.load("sinking_costs")
    >>> grid = make_grid(dict([parse_grid("m=0:4:5")]), game.parameters)
    >>> rows = SignallingEvaluator(game, ["m"], {}).evaluate(grid.chunk(0, 5))
    >>> rows["outcome"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['pooling + semi-separating', 'hybrid + pooling + semi-separating + separating',
     'hybrid + pooling + separating', 'hybrid + pooling + semi-separating + separating',
     'hybrid + pooling']
    >>> rows["n_equilibria"].tolist(), rows["semi_separating"].tolist()
    ([2, 2, 2, 3, 2], [1, 1, 0, 1, 0])
    """

    def __init__(self, game: SignallingGame, swept: Sequence[str], params: Mapping[str, Fraction]):
        from ..symbolic.regions import normalise, parameter_box
        from ..symbolic.signalling_regions import profile_condition
        from ..symbolic.signalling_supports import mixed_conditions

        self.game = game
        self.swept = tuple(swept)
        self.params = dict(params)
        self.columns = columns_for(game)
        by_name = {p.name: p for p in game.parameters}
        self.symbols = tuple(by_name[name].symbol for name in self.swept)
        self.profiles: list[tuple[str, Any]] = []
        self.mixed: list[tuple[str, Any]] = []
        self._labels = _labels(())
        self._exact: dict[sympy.Expr, Any] | None = None
        self._exact_priors: list[Any] = []
        self._fixed: dict[sympy.Symbol, sympy.Rational] = {}
        self._one_type: dict[int, _OneType | None] = {}
        if len(game.types) != 2:
            self.boundaries: tuple[sympy.Expr, ...] = ()
            self._priors: tuple[Compiled, ...] = ()
            self._atoms: dict[sympy.Expr, Compiled] = {}
            return
        bound = game.bind(self.params).values
        fixed = {
            p.symbol: sympy.Rational(bound[p.name].numerator, bound[p.name].denominator)
            for p in game.parameters
            if p.name not in self.swept
        }
        self._fixed = fixed
        n, responses = len(game.messages), len(game.responses)
        differences: dict[sympy.Expr, None] = {}
        for s in product(range(n), repeat=2):
            for q in product(range(responses), repeat=n):
                kind = "pooling" if s[0] == s[1] else "separating"
                condition = profile_condition(game, s, q).xreplace(fixed)
                if condition is not sympy.false:
                    self.profiles.append((kind, _compile(condition, differences)))
        if sweeps_mixed_classes(game):
            box = parameter_box([by_name[name] for name in self.swept])
            for kind, condition in mixed_conditions(game, fixed, box).items():
                self.mixed.append((kind.replace("-", "_"), _compile(condition, differences)))
        self._labels = _labels([column for column, _ in self.mixed])
        self._atoms = {d: Compiled(d, self.symbols) for d in differences}
        self.boundaries = tuple(dict.fromkeys(normalise(d)[0] for d in differences))
        priors = [t.prior.xreplace(fixed) for t in game.types]
        self._priors = tuple(Compiled(prior, self.symbols) for prior in priors)
        exact = {d: exact_polynomial(d, self.symbols) for d in (*differences, *priors)}
        if all(f is not None for f in exact.values()):
            self._exact = exact
            self._exact_priors = [exact[prior] for prior in priors]

    def evaluate(self, chunk: Chunk) -> dict[str, np.ndarray]:
        """The rows of every point of the chunk."""
        n = len(chunk)
        table = empty_columns(self.columns, n)
        if not self.profiles and not self._priors:
            exact = np.ones(n, dtype=bool)
        else:
            values = [chunk.values[name] for name in self.swept]
            exact = np.zeros(n, dtype=bool)
            for prior in self._priors:
                result = prior(*values)
                exact |= (result <= 0) | prior.uncertain(result, *values)
            signs = {}
            for difference, compiled in self._atoms.items():
                result = compiled(*values)
                exact |= compiled.uncertain(result, *values)
                signs[difference] = result
            counts = {"separating": np.zeros(n, np.int64), "pooling": np.zeros(n, np.int64)}
            for kind, condition in self.profiles:
                counts[kind] += _holds(condition, signs, n)
            table["n_separating"] = counts["separating"]
            table["n_pooling"] = counts["pooling"]
            table["n_equilibria"] = counts["separating"] + counts["pooling"]
            code = 2 * (counts["separating"] > 0).astype(np.int64) + (counts["pooling"] > 0)
            for bit, (column, condition) in enumerate(self.mixed, start=2):
                flag = _holds(condition, signs, n).astype(np.int64)
                table[column] = flag
                code += flag << bit
            table["outcome"] = self._labels[code]
        for i in np.flatnonzero(exact):
            fill(table, int(i), at_point(self._exact_row, chunk.exact(int(i))))
        return table

    def _exact_row(self, point: dict[str, Fraction]) -> dict[str, Any]:
        """One point's row from the conditions in exact arithmetic (the solver if they fail)."""
        values = [point[name] for name in self.swept]
        if self._exact is None:
            return signalling_row(self.game, self.params | point)
        priors = [f(values) for f in self._exact_priors]
        if min(priors) < 0:
            return signalling_row(self.game, self.params | point)
        if 0 in priors:
            return self._one_type_row(priors.index(1), values, point)
        exact = {d: f(values) for d, f in self._exact.items()}
        counts = {"separating": 0, "pooling": 0}
        for kind, condition in self.profiles:
            counts[kind] += int(bool(_holds(condition, exact, 1).all()))
        flags = {column: int(bool(_holds(c, exact, 1).all())) for column, c in self.mixed}
        return _row(counts["separating"], counts["pooling"], flags)

    def _one_type_row(
        self, present: int, values: list[Fraction], point: dict[str, Fraction]
    ) -> dict[str, Any]:
        """A point where one type has prior 0: Bayes' rule sees only the other type.

        Every pure equilibrium is then pooling (the classes ignore types of
        prior 0), and each profile is counted once, as the solver does; the
        mixed classes have conditions of their own for this case.
        """
        if present not in self._one_type:
            self._one_type[present] = self._one_type_conditions(present)
        conditions = self._one_type[present]
        if conditions is None:
            return signalling_row(self.game, self.params | point)
        profiles, mixed, functions = conditions
        exact = {d: f(values) for d, f in functions.items()}
        pooling = sum(int(bool(_holds(c, exact, 1).all())) for c in profiles)
        flags = {column: int(bool(_holds(c, exact, 1).all())) for column, c in mixed}
        return _row(0, pooling, flags)

    def _one_type_conditions(self, present: int) -> _OneType | None:
        from ..symbolic.regions import parameter_box
        from ..symbolic.signalling_supports import mixed_conditions

        n, responses = len(self.game.messages), len(self.game.responses)
        differences: dict[sympy.Expr, None] = {}
        profiles = []
        for s in product(range(n), repeat=2):
            for q in product(range(responses), repeat=n):
                condition = _one_type_condition(self.game, s, q, present).xreplace(self._fixed)
                profiles.append(_compile(condition, differences))
        mixed = []
        if self.mixed:
            by_name = {p.name: p for p in self.game.parameters}
            box = parameter_box([by_name[name] for name in self.swept])
            found = mixed_conditions(self.game, self._fixed, box, absent=1 - present)
            for kind, condition in found.items():
                mixed.append((kind.replace("-", "_"), _compile(condition, differences)))
        functions = {d: exact_polynomial(d, self.symbols) for d in differences}
        if any(f is None for f in functions.values()):
            return None
        return profiles, mixed, functions


_OneType = tuple[list[Any], list[tuple[str, Any]], dict[sympy.Expr, Any]]


def _labels(mixed: Sequence[str]) -> np.ndarray:
    """The outcome label of every code: bit 0 pooling, bit 1 separating, then each mixed class."""
    labels = []
    for code in range(2 ** (2 + len(mixed))):
        present = [c.replace("_", "-") for bit, c in enumerate(mixed, start=2) if code >> bit & 1]
        labels.append(signalling_label(code >> 1 & 1, code & 1, present))
    return np.array(labels, dtype=object)


def _row(separating: int, pooling: int, flags: Mapping[str, int] | None = None) -> dict[str, Any]:
    flags = dict(flags or {})
    present = [column.replace("_", "-") for column, flag in flags.items() if flag]
    return {
        "outcome": signalling_label(separating, pooling, present),
        "n_equilibria": separating + pooling,
        "n_separating": separating,
        "n_pooling": pooling,
        **flags,
    }


def _one_type_condition(
    game: SignallingGame, s: tuple[int, ...], q: tuple[int, ...], present: int
) -> Any:
    """When a pure profile is a PBE while only type ``present`` has a positive prior.

    As :func:`credibility.symbolic.signalling_regions.existence_conditions`'s
    profile conditions, with Bayes' rule over the present type only: both
    types best reply; after the present type's message the receiver best
    replies to it; after any other message, to some belief.
    """
    from ..symbolic.signalling_regions import belief_exists

    n, responses = len(game.messages), len(game.responses)
    sender = [[[pair[0] for pair in row] for row in t.payoffs] for t in game.types]
    receiver = [[[pair[1] for pair in row] for row in t.payoffs] for t in game.types]
    conditions: list[Any] = [
        sender[t][s[t]][q[s[t]]] - sender[t][m][q[m]] >= 0
        for t in range(2)
        for m in range(n)
        if m != s[t]
    ]
    for m in range(n):
        gains = [
            [receiver[t][m][q[m]] - receiver[t][m][r] for t in range(2)]
            for r in range(responses)
            if r != q[m]
        ]
        if s[present] == m:
            conditions.extend(a[present] >= 0 for a in gains)
        else:
            conditions.append(belief_exists(gains))
    return sympy.And(*conditions)


def _compile(condition: Any, differences: dict[sympy.Expr, None]) -> tuple[Any, ...]:
    """A boolean combination of inequalities as nested tuples keyed by ``lhs - rhs``."""
    if condition is sympy.true or condition is sympy.false:
        return ("const", bool(condition))
    if isinstance(condition, (sympy.And, sympy.Or)):
        op = "and" if isinstance(condition, sympy.And) else "or"
        return (op, tuple(_compile(c, differences) for c in condition.args))
    if isinstance(condition, Relational) and condition.rel_op in _COMPARE:
        difference = sympy.expand(condition.lhs - condition.rhs)
        differences[difference] = None
        return ("compare", _COMPARE[condition.rel_op], difference)
    raise TypeError(f"unexpected condition {condition!r}")


def _holds(condition: tuple[Any, ...], values: dict[sympy.Expr, np.ndarray], n: int) -> np.ndarray:
    """Where a compiled condition holds, from the values of the inequalities' sides."""
    if condition[0] == "const":
        return np.full(n, condition[1])
    if condition[0] == "compare":
        return condition[1](values[condition[2]], 0)
    parts = [_holds(c, values, n) for c in condition[1]]
    reduce = np.logical_and if condition[0] == "and" else np.logical_or
    return reduce.reduce(parts)
