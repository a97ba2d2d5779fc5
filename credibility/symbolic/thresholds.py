"""Thresholds of one parameter: where the equilibrium set changes, and the regions between.

Regions come from :mod:`credibility.symbolic.regions` (trees, bimatrix games)
or :mod:`credibility.symbolic.signalling_map` (signalling games). The
candidate thresholds are the roots, in the chosen parameter, of the region
boundaries.

With the chosen parameter the only free one, the candidates are numbers. The
equilibrium set is then compared on each open interval between candidates and
at each candidate (by the exact solver wherever the candidate is rational): a
candidate where nothing changes is dropped, so every threshold reported is a
real change, and the regions are the intervals and points between them.

With other parameters free too, thresholds are expressions in them. Each
region's condition is a union of conjunctions of inequalities, shortened by
:func:`~credibility.symbolic.conditions.simplest` (the same set up to its
boundaries), each inequality left solved for the chosen parameter where its
coefficient's sign is known from the bounds, else for another. The
thresholds are the roots of the inequalities left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise
from typing import Any

import sympy

from ..errors import CredibilityError, ParameterError
from ..expressions import format_number, format_set
from ..models import Bimatrix, GameTree, SignallingGame
from ..parameters import Parameter, ParamValues
from ..solvers.outcomes import bimatrix_outcome, tree_outcome
from ..solvers.pbe_classes import ordered
from ..solvers.pbe_classes import outcome_label as classes_label
from .conditions import simplest
from .regions import (
    Region,
    RegionMap,
    SignOracle,
    Undecided,
    parameter_box,
)

__all__ = ["Threshold", "ThresholdRegion", "ThresholdResult", "derive_thresholds"]


@dataclass(frozen=True)
class Threshold:
    """A value of the parameter at which the equilibrium set changes.

    Attributes
    ----------
    value : sympy.Expr
        A number, or an expression in the parameters left free.
    """

    value: sympy.Expr

    @property
    def latex(self) -> str:
        """The value in LaTeX."""
        return sympy.latex(self.value)


@dataclass(frozen=True)
class ThresholdRegion:
    """A region of the parameter space and the equilibria that hold there.

    Attributes
    ----------
    condition : sympy.Boolean
        Where the region lies (within the parameters' bounds).
    outcome : str
        A short label of the equilibrium set.
    equilibria : tuple
        The equilibria, with expressions where parameters are free
        (``TreeEquilibrium``, ``MixedEquilibrium``; empty for signalling games,
        whose regions list ``classes``).
    classes : tuple of str
        Signalling games: the classes of perfect Bayesian equilibrium present.
    """

    condition: sympy.Boolean
    outcome: str
    equilibria: tuple[Any, ...] = ()
    classes: tuple[str, ...] = ()

    @property
    def latex(self) -> str:
        """The condition in LaTeX."""
        return sympy.latex(self.condition)


@dataclass(frozen=True)
class ThresholdResult:
    """The thresholds of one parameter and the regions between them.

    Attributes
    ----------
    game : Bimatrix, GameTree or SignallingGame
    parameter : str
    bound : dict of str to Fraction
        The parameters bound to numbers.
    free : tuple of str
        The parameters left symbolic (the chosen one first).
    thresholds : tuple of Threshold
    regions : tuple of ThresholdRegion
    note : str
        What the analysis assumed or left out, if anything.
    existence : dict of str to sympy.Set
        Signalling games with one parameter free: for each class of
        equilibrium, the values of the parameter where one exists.
    """

    game: Any
    parameter: str
    bound: dict[str, Fraction]
    free: tuple[str, ...]
    thresholds: tuple[Threshold, ...]
    regions: tuple[ThresholdRegion, ...]
    note: str = ""
    existence: dict[str, sympy.Set] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract's object for ``credibility threshold``."""
        game = self.game
        result: dict[str, Any] = {
            "format": 1,
            "kind": game.kind,
            "game": game.info.label,
            "players": list(game.players),
            "parameters": {name: format_number(v) for name, v in self.bound.items()},
            "parameter": self.parameter,
            "free": list(self.free),
            "thresholds": [{"value": str(t.value), "latex": t.latex} for t in self.thresholds],
            "regions": [
                {
                    "condition": str(region.condition),
                    "latex": region.latex,
                    "outcome": region.outcome,
                    "equilibria": [_equilibrium_dict(game, e) for e in region.equilibria],
                    **({"classes": list(region.classes)} if game.kind == "signalling" else {}),
                }
                for region in self.regions
            ],
        }
        if self.existence:
            result["existence"] = {
                kind: {"set": str(values), "latex": sympy.latex(values), "text": format_set(values)}
                for kind, values in self.existence.items()
            }
        if self.note:
            result["note"] = self.note
        return result


def derive_thresholds(
    game: Bimatrix | GameTree | SignallingGame, parameter: str, params: ParamValues | None = None
) -> ThresholdResult:
    """The thresholds of ``parameter`` and the regions between them.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    parameter : str
        The parameter to solve the boundaries for.
    params : mapping of str to number or fraction string, optional
        Parameters bound to numbers; the others stay symbolic.

    Returns
    -------
    ThresholdResult

    Examples
    --------
    >>> import credibility as cr
    >>> result = cr.thresholds(cr.load("chicken"), "c_row", {"w_row": 1, "l_row": -1,
    ...     "w_column": 1, "l_column": -1, "c_column": 5})
    >>> [t.value for t in result.thresholds]
    [1]
    >>> [str(r.condition) for r in result.regions]
    ['c_row < 1', 'Eq(c_row, 1)', 'c_row > 1']
    """
    names = {p.name: p for p in game.parameters}
    if parameter not in names:
        declared = ", ".join(sorted(names)) or "none"
        raise ParameterError(f"unknown parameter '{parameter}' (declared parameters: {declared})")
    params = dict(params or {})
    if parameter in params:
        raise ParameterError(f"parameter '{parameter}' is bound by --param; leave it free")
    if isinstance(game, SignallingGame):
        return _signalling(game, parameter, params)
    regions = _region_map(game, params)
    bound = game.bind(params).values
    bound = {name: bound[name] for name in params}
    if regions.free == (parameter,):
        thresholds, found = _one_free(game, names[parameter], params, regions)
    else:
        free_parameters = [names[n] for n in regions.free]
        thresholds, found = _several_free(names[parameter], regions, free_parameters)
    free = (parameter, *(n for n in regions.free if n != parameter))
    note = ""
    if not regions.complete:
        note = _DEGENERATE_NOTE if regions.free == (parameter,) else _DEGENERATE_SYMBOLIC_NOTE
    return ThresholdResult(game, parameter, bound, free, thresholds, found, note)


_DEGENERATE_NOTE = (
    "the game is degenerate for every parameter value (its payoffs tie by construction); "
    "each region lists the extreme equilibria the exact solver finds at one point of it"
)
_DEGENERATE_SYMBOLIC_NOTE = (
    "the game is degenerate for every parameter value (its payoffs tie by construction); "
    "the regions list equilibria whose supports have equal sizes only: bind the other "
    "parameters with --param for every extreme equilibrium"
)


def _region_map(game: Bimatrix | GameTree, params: dict[str, Any]) -> RegionMap:
    from .regions import bimatrix_regions, tree_regions

    if isinstance(game, GameTree):
        return tree_regions(game, params)
    return bimatrix_regions(game, params)


def _key(game: Any, equilibria: Any) -> Any:
    """What identifies an equilibrium set across a threshold (not the payoffs, which move)."""
    if isinstance(game, SignallingGame):
        return tuple(equilibria)  # the classes present
    if isinstance(game, GameTree):
        # The path too: where a chance move becomes sure, the path (and label) goes on.
        return frozenset((tuple(sorted(e.actions.items())), e.path) for e in equilibria)
    return bimatrix_outcome(game, equilibria)  # the label, ties (degeneracy) aside


def _outcome(game: Any, equilibria: Any, complete: bool = True) -> str:
    if isinstance(game, SignallingGame):
        return classes_label(equilibria, complete)
    if isinstance(game, GameTree):
        return tree_outcome(game, equilibria)
    return bimatrix_outcome(game, equilibria)


def _one_free(
    game: Bimatrix | GameTree | SignallingGame,
    chosen: Parameter,
    params: dict[str, Any],
    regions: RegionMap,
) -> tuple[tuple[Threshold, ...], tuple[ThresholdRegion, ...]]:
    from ..api import solve

    signalling = isinstance(game, SignallingGame)

    x = chosen.symbol
    low = sympy.Rational(chosen.minimum) if chosen.minimum is not None else -sympy.oo
    high = sympy.Rational(chosen.maximum) if chosen.maximum is not None else sympy.oo
    candidates: set[sympy.Expr] = set()
    for region in regions.regions:
        for atom in region.conditions:
            for root in sympy.solveset(atom, x, domain=sympy.Interval.open(low, high)):
                candidates.add(sympy.nsimplify(root))
    points = sorted(candidates, key=float)
    edges = [low, *points, high]

    # Trees and bimatrix games: the solver's own label at each point solved (a
    # bimatrix game's says whether it is degenerate there).
    labels: dict[sympy.Expr, str] = {}

    def solved(value: sympy.Expr) -> tuple[Any, tuple]:
        solution = solve(game, params | {chosen.name: _fraction(value)})
        if signalling:
            classes = _signalling_classes(solution, regions.complete)
            return classes, classes
        labels[value] = solution.outcome
        return _key(game, solution.equilibria), solution.equilibria

    spans = []
    for left, right in pairwise(edges):
        sample = _inside(left, right, chosen)
        found_region = regions.region_at({chosen.name: sample})
        if found_region is None:  # pragma: no cover - samples avoid every candidate root
            raise CredibilityError(f"no region contains {chosen.name} = {sample}")
        region = found_region
        if not regions.complete and not signalling:
            _, equilibria = solved(sample)
            region = Region(region.conditions, tuple(equilibria), labels[sample])
        spans.append((left, right, _key(game, region.equilibria), region))
    at_points = [solved(p) if p.is_rational else None for p in points]

    thresholds: list[Threshold] = []
    found: list[ThresholdRegion] = []

    def point_region(value: sympy.Expr, at: tuple[Any, tuple]) -> ThresholdRegion:
        outcome = labels.get(value) or _outcome(game, at[1], regions.complete)
        return _threshold_region(game, sympy.Eq(x, value), outcome, tuple(at[1]))

    # A bound is no threshold, but the equilibrium set may differ on it.
    at_low = solved(low) if low.is_finite else None
    closed_low = at_low is None or at_low[0] == spans[0][2]
    if not closed_low:
        found.append(point_region(low, at_low))  # type: ignore[arg-type]
    start, closed = low, closed_low
    for index, point in enumerate(points):
        left, right = spans[index], spans[index + 1]
        here = at_points[index]
        changes = left[2] != right[2] or (here is not None and here[0] != left[2])
        if not changes:
            continue
        thresholds.append(Threshold(point))
        found.append(_interval_region(game, x, start, point, left[3], closed, False))
        if here is not None:
            found.append(point_region(point, here))
        start, closed = point, False
    at_high = solved(high) if high.is_finite else None
    closed_high = at_high is None or at_high[0] == spans[-1][2]
    found.append(_interval_region(game, x, start, high, spans[-1][3], closed, closed_high))
    if not closed_high:
        found.append(point_region(high, at_high))  # type: ignore[arg-type]
    return tuple(thresholds), tuple(found)


def _interval_region(
    game: Any,
    x: sympy.Symbol,
    left: sympy.Expr,
    right: sympy.Expr,
    region: Region,
    closed_left: bool,
    closed_right: bool,
) -> ThresholdRegion:
    parts = []
    if left.is_finite:
        parts.append(x >= left if closed_left else x > left)
    if right.is_finite:
        parts.append(x <= right if closed_right else x < right)
    return _threshold_region(game, sympy.And(*parts), region.outcome, region.equilibria)


def _threshold_region(
    game: Any, condition: sympy.Boolean, outcome: str, equilibria: tuple[Any, ...]
) -> ThresholdRegion:
    """A region's entry; a signalling game's "equilibria" are the classes present."""
    if isinstance(game, SignallingGame):
        return ThresholdRegion(condition, outcome, (), tuple(equilibria))
    return ThresholdRegion(condition, outcome, equilibria)


def _signalling_classes(solution: Any, mixed: bool) -> tuple[str, ...]:
    """The classes of equilibrium at a point (pure ones only if the regions have no mixed)."""
    if mixed:
        return tuple(solution.classes)
    return tuple(sorted({e.equilibrium_class for e in solution.equilibria if e.pure}))


def _inside(left: sympy.Expr, right: sympy.Expr, chosen: Parameter) -> sympy.Expr:
    """A rational point strictly between two edges (either may be infinite)."""
    if left.is_finite and right.is_finite:
        return (
            sympy.nsimplify((left + right) / 2)
            if (left + right).is_rational
            else _between(left, right)
        )
    if left.is_finite:
        return sympy.floor(left) + 1
    if right.is_finite:
        return sympy.ceiling(right) - 1
    return sympy.Rational(chosen.default)


def _between(left: sympy.Expr, right: sympy.Expr) -> sympy.Expr:
    """A rational number strictly between two reals (one of them irrational)."""
    gap = float(right - left) / 4
    return sympy.nsimplify(sympy.Rational(float(left) + 2 * gap).limit_denominator(10**9))


def _fraction(value: sympy.Expr) -> Fraction:
    rational = sympy.Rational(value)
    return Fraction(int(rational.p), int(rational.q))


def _several_free(
    chosen: Parameter, regions: RegionMap, free: list[Parameter], signalling: bool = False
) -> tuple[tuple[Threshold, ...], tuple[ThresholdRegion, ...]]:
    x = chosen.symbol
    oracle = SignOracle(parameter_box(free), {})
    # Regions merge when their equilibria are the same (actions and expressions alike).
    grouped: dict[tuple[str, str], list[Region]] = {}
    for region in regions.regions:
        grouped.setdefault((region.outcome, repr(region.equilibria)), []).append(region)
    pieces = {key: simplest(members, oracle.bounds) for key, members in grouped.items()}
    # The thresholds are the roots of the conditions left: every boundary between
    # two outcomes lies on one of them.
    values: list[sympy.Expr] = []
    for cells in pieces.values():
        for atom in (a for cell in cells for a in cell.conditions if x in a.free_symbols):
            for root in _roots(atom, x):
                if root.is_number and root in oracle.bounds[x]:
                    continue  # a bound of the range, not a threshold
                if not any(sympy.simplify(root - v) == 0 for v in values):
                    values.append(root)
    found = tuple(
        ThresholdRegion(
            sympy.Or(*(_display(cell, x, oracle) for cell in pieces[key])),
            key[0],
            () if signalling else members[0].equilibria,
            members[0].equilibria if signalling else (),
        )
        for key, members in grouped.items()
    )
    values.sort(key=lambda v: (not v.is_number, float(v) if v.is_number else 0.0, str(v)))
    return tuple(Threshold(v) for v in values), found


def _roots(atom: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    """The solutions of ``atom = 0`` for ``x`` that sympy finds in closed form."""
    try:
        return list(sympy.solve(atom, x))
    except (NotImplementedError, sympy.PolynomialError):
        return []


def _display(region: Region, x: sympy.Symbol, oracle: SignOracle) -> sympy.Boolean:
    """A region's conditions, each solved for ``x`` or else for another parameter.

    An inequality is solved for a parameter it is linear in whose coefficient
    has a sign known from the bounds: ``x`` first, then the others in order
    (``c*q + q - 1 > 0`` reads ``q > 1/(c + 1)``, ``v - w > 0`` reads ``v > w``).
    """
    parts = []
    for atom in region.conditions:
        others = [s for s in oracle.bounds if s != x and s in atom.free_symbols]
        for symbol in [x, *others]:
            solved = _solved_for(atom, symbol, oracle)
            if solved is not None:
                parts.append(solved)
                break
        else:
            parts.append(sympy.StrictGreaterThan(atom, 0))
    return sympy.And(*parts)


def _solved_for(atom: sympy.Expr, x: sympy.Symbol, oracle: SignOracle) -> sympy.Boolean | None:
    """``atom > 0`` as a bound on ``x`` (None unless linear in ``x`` with a known sign)."""
    try:
        poly = sympy.Poly(atom, x) if x in atom.free_symbols else None
    except sympy.PolynomialError:
        poly = None
    if poly is None or poly.degree() != 1:
        return None
    a, b = poly.all_coeffs()
    try:
        sign = oracle(a)
    except Undecided:
        return None
    root = sympy.factor(-b / a)
    return sympy.StrictGreaterThan(x, root) if sign > 0 else sympy.StrictLessThan(x, root)


def _signalling(game: SignallingGame, parameter: str, params: dict[str, Any]) -> ThresholdResult:
    from .signalling_map import signalling_region_map

    names = {p.name: p for p in game.parameters}
    chosen = names[parameter]
    unbound = [p for p in game.parameters if p.name != parameter and p.name not in params]
    region_map = signalling_region_map(game, params)
    note = "" if region_map.complete else _PURE_ONLY_NOTE
    if unbound:
        thresholds, found = _several_free(chosen, region_map, [chosen, *unbound], signalling=True)
        return ThresholdResult(
            game,
            parameter,
            {name: v for name, v in game.bind(params).values.items() if name in params},
            (parameter, *(p.name for p in unbound)),
            thresholds,
            found,
            note=note,
        )
    thresholds, found = _one_free(game, chosen, params, region_map)
    values = game.bind(params).values
    return ThresholdResult(
        game,
        parameter,
        {name: v for name, v in values.items() if name != parameter},
        (parameter,),
        thresholds,
        found,
        existence=_existence(chosen, found),
        note=note,
    )


_PURE_ONLY_NOTE = (
    "the game has too many support profiles for symbolic mixed equilibria; the regions "
    "classify pure perfect Bayesian equilibria (mixed ones: credibility solve at a point)"
)


def _existence(chosen: Parameter, regions: tuple[ThresholdRegion, ...]) -> dict[str, sympy.Set]:
    """For each class, the values of the parameter where some equilibrium of it exists."""
    low, high = parameter_box([chosen])[chosen.symbol]
    domain = sympy.Interval(low, high)
    found: dict[str, list[sympy.Set]] = {}
    for region in regions:
        values = domain if region.condition is sympy.true else region.condition.as_set()
        for kind in region.classes:
            found.setdefault(kind, []).append(values)
    return {kind: sympy.Union(*found[kind]).intersect(domain) for kind in ordered(found)}


def _equilibrium_dict(game: Any, equilibrium: Any) -> dict[str, Any]:
    """An equilibrium in the ``solve`` shape, with expressions written as strings."""
    players = game.players
    if isinstance(game, GameTree):
        return {
            "actions": dict(equilibrium.actions),
            "path": list(equilibrium.path),
            "payoffs": {p: _text(v) for p, v in zip(players, equilibrium.payoffs)},
        }
    return {
        "strategies": {
            players[0]: {s: _text(v) for s, v in zip(game.row_strategies, equilibrium.row)},
            players[1]: {s: _text(v) for s, v in zip(game.column_strategies, equilibrium.column)},
        },
        "payoffs": {p: _text(v) for p, v in zip(players, equilibrium.payoffs)},
        "pure": equilibrium.pure,
    }


def _text(value: Any) -> str:
    if isinstance(value, Fraction):
        return format_number(value)
    return str(sympy.simplify(value))
