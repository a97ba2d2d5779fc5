"""The signalling evaluator: exact existence conditions of equilibria, over numpy.

Each pure profile (each type's message, a response to each message) is a
perfect Bayesian equilibrium exactly when a Boolean formula of polynomial
inequalities in the parameters holds, and an equilibrium of each class
(mixed ones included) exists exactly when another such formula does
(:mod:`credibility.symbolic.signalling_supports`; the formulas assume every
prior positive). They are derived once, with the swept parameters symbolic
and the others substituted. The evaluator lambdifies every distinct
inequality once, evaluates them over the chunk and combines them with numpy's
logical operators, counting the pure profiles of each class that hold and
flagging the classes present.

At a point where some inequality's value is too close to 0 to trust its sign,
the formulas are evaluated again in exact rational arithmetic; where a prior
is 0, the formulas for that type being absent (derived on first need) decide,
in exact arithmetic too; where a formula is not a polynomial, or a game has
too many profiles for formulas, the exact solver decides
(:func:`~credibility.sweeps.rows.signalling_row`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from sympy.core.relational import Relational

from ..models import SignallingGame
from ..solvers.pbe_classes import SignallingClass, outcome_label
from ..solvers.support_systems import profile_count
from ..symbolic.regions import parameter_box
from ..symbolic.signalling_existence import MAX_PURE_PROFILES
from ..symbolic.signalling_supports import class_conditions, profile_conditions
from ..symbolic.signs import normalise
from .compiled import Compiled, exact_polynomial
from .evaluator import Chunk
from .rows import (
    at_point,
    columns_for,
    empty_columns,
    fill,
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
#: The classes, in the bits of an outcome code.
_CLASSES = tuple(SignallingClass)


@dataclass(frozen=True)
class _Formulas:
    """The compiled conditions for one set of absent types.

    ``pure`` holds one ``(class, condition)`` per pure outcome that may hold
    (pure profiles that differ only off the path are one),
    ``classes`` one ``(class, condition)`` per class when mixed equilibria are
    covered (a class exists where its condition holds, whoever mixes), and
    ``atoms`` every inequality's ``lhs - rhs``.
    """

    pure: list[tuple[str, Any]]
    classes: list[tuple[SignallingClass, Any]]
    atoms: tuple[sympy.Expr, ...]


class SignallingEvaluator:
    """Classifies grid points of a signalling game by the classes of its equilibria.

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
        ``semi_separating`` (games small enough for the mixed equilibria's
        conditions).
    boundaries : tuple of sympy.Expr
        Every inequality's left side: a class may appear or vanish where one is 0.
    symbols : tuple of sympy.Symbol
        The swept parameters' symbols.

    Examples
    --------
    >>> import credibility as cr
    >>> from credibility.sweeps.grid import make_grid, parse_grid
    >>> game = cr.load("sinking_costs")
    >>> grid = make_grid(dict([parse_grid("m=0:4:5")]), game.parameters)
    >>> rows = SignallingEvaluator(game, ["m"], {}).evaluate(grid.chunk(0, 5))
    >>> rows["outcome"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['pooling + semi-separating', 'separating + pooling + semi-separating',
     'separating + pooling', 'separating + pooling + semi-separating', 'pooling']
    >>> rows["n_equilibria"].tolist(), rows["semi_separating"].tolist()
    ([2, 2, 2, 2, 1], [1, 1, 0, 1, 0])
    """

    def __init__(self, game: SignallingGame, swept: Sequence[str], params: Mapping[str, Fraction]):
        self.game = game
        self.swept = tuple(swept)
        self.params = dict(params)
        self.columns = columns_for(game)
        by_name = {p.name: p for p in game.parameters}
        self.symbols = tuple(by_name[name].symbol for name in self.swept)
        self.mixed = sweeps_mixed_classes(game)
        self._box = parameter_box([by_name[name] for name in self.swept])
        bound = game.bind(self.params).values
        self._fixed = {
            p.symbol: sympy.Rational(bound[p.name].numerator, bound[p.name].denominator)
            for p in game.parameters
            if p.name not in self.swept
        }
        self._by_absent: dict[frozenset[int], tuple[_Formulas, dict[sympy.Expr, Any]] | None] = {}
        n, R, k = len(game.messages), len(game.responses), len(game.types)
        self.boundaries: tuple[sympy.Expr, ...] = ()
        self._formulas: _Formulas | None = None
        if profile_count(k, n, R, mixed=False) > MAX_PURE_PROFILES:
            return  # too many profiles: the exact solver at every point
        self._formulas = self._derive(frozenset())
        self._atoms = {d: Compiled(d, self.symbols) for d in self._formulas.atoms}
        self.boundaries = tuple(dict.fromkeys(normalise(d)[0] for d in self._formulas.atoms))
        priors = [t.prior.xreplace(self._fixed) for t in game.types]
        self._priors = tuple(Compiled(prior, self.symbols) for prior in priors)
        self._exact_priors = [exact_polynomial(prior, self.symbols) for prior in priors]
        self._labels = _labels(self.mixed)

    def evaluate(self, chunk: Chunk) -> dict[str, np.ndarray]:
        """The rows of every point of the chunk."""
        n = len(chunk)
        table = empty_columns(self.columns, n)
        if self._formulas is None:
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
            counts = {kind: np.zeros(n, np.int64) for kind in _CLASSES}
            for kind, condition in self._formulas.pure:
                counts[SignallingClass(kind)] += _holds(condition, signs, n)
            table["n_separating"] = counts[SignallingClass.SEPARATING]
            table["n_pooling"] = counts[SignallingClass.POOLING]
            table["n_equilibria"] = sum(counts.values(), np.zeros(n, np.int64))
            present = {kind: counts[kind] > 0 for kind in _CLASSES}
            for kind, condition in self._formulas.classes:
                present[kind] = present[kind] | _holds(condition, signs, n)
                if not kind.pure:
                    table[kind.column] = present[kind].astype(np.int64)
            code = np.zeros(n, np.int64)
            for bit, kind in enumerate(_CLASSES):
                code += present[kind].astype(np.int64) << bit
            table["outcome"] = self._labels[code]
        for i in np.flatnonzero(exact):
            fill(table, int(i), at_point(self._exact_row, chunk.exact(int(i))))
        return table

    def _exact_row(self, point: dict[str, Fraction]) -> dict[str, Any]:
        """One point's row from the formulas in exact arithmetic (the solver if they fail)."""
        values = [point[name] for name in self.swept]
        if self._formulas is None or any(f is None for f in self._exact_priors):
            return signalling_row(self.game, self.params | point)
        priors = [f(values) for f in self._exact_priors]  # type: ignore[misc]
        if min(priors) < 0:
            return signalling_row(self.game, self.params | point)
        absent = frozenset(t for t, p in enumerate(priors) if p == 0)
        if absent not in self._by_absent:
            self._by_absent[absent] = self._exact_formulas(absent)
        found = self._by_absent[absent]
        if found is None:
            return signalling_row(self.game, self.params | point)
        formulas, functions = found
        exact = {d: f(values) for d, f in functions.items()}
        counts = dict.fromkeys(_CLASSES, 0)
        for kind, condition in formulas.pure:
            counts[SignallingClass(kind)] += int(bool(_holds(condition, exact, 1).all()))
        present = {kind for kind in _CLASSES if counts[kind]}
        present |= {kind for kind, f in formulas.classes if _holds(f, exact, 1).all()}
        flags = {kind.column: int(kind in present) for kind in _CLASSES if not kind.pure}
        return {
            "outcome": outcome_label(present, self.mixed),
            "n_equilibria": sum(counts.values()),
            "n_separating": counts[SignallingClass.SEPARATING],
            "n_pooling": counts[SignallingClass.POOLING],
            **(flags if self.mixed else {}),
        }

    def _exact_formulas(
        self, absent: frozenset[int]
    ) -> tuple[_Formulas, dict[sympy.Expr, Any]] | None:
        """The formulas with the types ``absent`` of prior 0, with exact evaluators."""
        formulas = self._formulas if not absent else self._derive(absent)
        assert formulas is not None
        functions = {d: exact_polynomial(d, self.symbols) for d in formulas.atoms}
        if any(f is None for f in functions.values()):
            return None
        return formulas, functions

    def _derive(self, absent: frozenset[int]) -> _Formulas:
        """Compile the pure profiles' and the classes' conditions."""
        atoms: dict[sympy.Expr, None] = {}
        # Pure profiles that differ only in responses off the path are one outcome,
        # as solve lists them: it holds where one of them does.
        outcomes: dict[tuple[Any, ...], tuple[str, list[Any]]] = {}
        for kind, sender, receiver, condition in profile_conditions(
            self.game, self._fixed, self._box, absent=absent, mixed=False
        ):
            sent = {s for t, s in enumerate(sender) if t not in absent}
            on_path = tuple(r if (m,) in sent else None for m, r in enumerate(receiver))
            outcomes.setdefault((sender, on_path), (kind, []))[1].append(condition)
        pure = [
            (kind, _compile(sympy.Or(*conditions), atoms)) for kind, conditions in outcomes.values()
        ]
        classes = []
        if self.mixed:
            found = class_conditions(self.game, self._fixed, self._box, absent=absent)
            for kind in _CLASSES:
                classes.append((kind, _compile(found.get(kind, sympy.false), atoms)))
        return _Formulas(pure, classes, tuple(atoms))


def _labels(complete: bool) -> np.ndarray:
    """The outcome label of every code: a bit for each class."""
    labels = []
    for code in range(2 ** len(_CLASSES)):
        present = [kind for bit, kind in enumerate(_CLASSES) if code >> bit & 1]
        labels.append(outcome_label(present, complete))
    return np.array(labels, dtype=object)


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
