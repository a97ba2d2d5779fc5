"""Thresholds of one parameter: where the equilibrium set changes, and the regions between.

Regions come from :mod:`credibility.symbolic.regions` (trees, bimatrix games)
or :mod:`credibility.symbolic.signalling_regions` (signalling games). The
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

A derivation can take long with many parameters free. It reports its steps to a time budget
(:mod:`credibility.symbolic.budget`): given one, it stops when the time is up, and it stops
anyway beyond :data:`~credibility.symbolic.regions.MAX_REGIONS` regions; either way it raises
:class:`DerivationStopped` with what it finished (:mod:`credibility.symbolic.partial`). A game
whose payoffs use more than :data:`~credibility.symbolic.budget.MAX_FREE_PARAMETERS` free
parameters is refused before any work.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise
from typing import Any

import sympy

from ..errors import CredibilityError, ParameterError
from ..kinds import adapter_for
from ..models import Bimatrix, Game, GameTree, SignallingGame
from ..parameters import Parameter, ParamValues
from ..solvers.pbe_classes import ordered
from .budget import Budget, OutOfBudget, checkpoint, running
from .conditions import simplest
from .partial import Partial, refuse_too_many, suggest
from .partial import appearances as payoff_appearances
from .regions import Region, RegionMap, TooManyRegions, parameter_box, symbolic_setting
from .signs import SignOracle, Undecided
from .threshold_result import (
    DerivationStopped,
    Threshold,
    ThresholdRegion,
    ThresholdResult,
)

__all__ = ["derive_thresholds"]


def derive_thresholds(
    game: Game,
    parameter: str,
    params: ParamValues | None = None,
    *,
    budget: float | Budget | None = None,
) -> ThresholdResult:
    """The thresholds of ``parameter`` and the regions between them.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    parameter : str
        The parameter to solve the boundaries for.
    params : mapping of str to number or fraction string, optional
        Parameters bound to numbers; the others stay symbolic.
    budget : float or Budget, optional
        Seconds the derivation may take (default: no limit), or a
        :class:`~credibility.symbolic.budget.Budget` (with a progress callback, say).

    Returns
    -------
    ThresholdResult

    Raises
    ------
    GameTooLargeError
        Before any work, if the payoffs use more than ``MAX_FREE_PARAMETERS`` free
        parameters (or the game is too large for symbolic equilibria at all).
    DerivationStopped
        If the budget runs out, or the parameter space splits into more than
        ``MAX_REGIONS`` regions; its ``result`` holds what was finished.

    Examples
    --------
    >>> import credibility as cr
    >>> result = cr.thresholds(cr.load("chicken"), "c_row", {"w_row": 1, "l_row": -1,
    ...     "w_column": 1, "l_column": -1, "c_column": 5})
    >>> [t.value for t in result.thresholds]
    [1]
    >>> [str(r.condition) for r in result.regions]
    ['c_row < 1', 'Eq(c_row, 1)', 'c_row > 1']

    With no time at all, it stops at once and says what to bind:

    >>> try:
    ...     cr.thresholds(cr.load("chicken"), "c_row", budget=0)
    ... except DerivationStopped as stop:
    ...     print(stop.result.partial.message)
    ...     print([s.name for s in stop.result.partial.bind])
    the time budget of 0 s ran out before the derivation began
    ['w_row', 'l_row', 'w_column']
    """
    adapter_for(game).check_thresholds(game)
    names = {p.name: p for p in game.parameters}
    if parameter not in names:
        declared = ", ".join(sorted(names)) or "none"
        raise ParameterError(f"unknown parameter '{parameter}' (declared parameters: {declared})")
    params = dict(params or {})
    if parameter in params:
        raise ParameterError(
            f"parameter '{parameter}' is bound by the params= argument; leave it free"
        )
    setting = symbolic_setting(game, params, None)  # checks the names and values bound
    refuse_too_many(game, parameter, list(setting.parameters))
    work = _Work(game, names[parameter], params, setting.bound, list(setting.parameters))
    if not isinstance(budget, Budget):
        budget = Budget(budget)
    try:
        with running(budget):
            checkpoint("start", 0)
            if adapter_for(game).regions_by_class:
                return _by_class(work)
            return _by_equilibria(work)
    except OutOfBudget as stop:
        reason, found, pending = "budget", stop.found, stop.pending
    except TooManyRegions as stop:
        reason, found, pending = "regions", stop.found, stop.pending
    result = _stopped(work, budget, reason, found, pending)
    assert result.partial is not None
    raise DerivationStopped(f"{result.partial.message}; {result.partial.params_advice}", result)


@dataclass
class _Work:
    """A derivation's input, and what it has finished so far (read if it stops early)."""

    game: Any
    chosen: Parameter
    params: dict[str, Any]
    bound: dict[str, Fraction]
    free: list[Parameter]
    region_map: RegionMap | None = None
    finished: list[str] = field(default_factory=list)
    #: Outcomes whose conditions are shortened, with their entries (several parameters free).
    outcomes: dict[tuple[str, str], ThresholdRegion] = field(default_factory=dict)
    values: list[sympy.Expr] = field(default_factory=list)
    note: str = ""

    @property
    def free_names(self) -> tuple[str, ...]:
        """The free parameters' names, the chosen one first."""
        return (self.chosen.name, *(p.name for p in self.free if p.name != self.chosen.name))

    def mapped(self, regions: RegionMap) -> None:
        """Record the regions, all found."""
        self.region_map = regions
        outcomes = len({region.outcome for region in regions.regions})
        self.finished.append(
            f"the regions: {len(regions.regions):,} pieces of the parameter space, "
            f"{outcomes:,} outcome{'s' if outcomes != 1 else ''}"
        )


def _by_equilibria(work: _Work) -> ThresholdResult:
    """A game whose regions list equilibria (bimatrix games, trees)."""
    game, params = work.game, work.params
    adapter = adapter_for(game)
    regions = adapter.region_map(game, params)
    work.mapped(regions)
    if not regions.complete:
        work.note = adapter.incomplete_note(len(work.free) == 1)
    if regions.free == (work.chosen.name,):
        thresholds, found = _one_free(game, work.chosen, params, regions)
    else:
        thresholds, found = _several_free(work, regions)
    return ThresholdResult(
        game,
        work.chosen.name,
        {name: work.bound[name] for name in params},
        work.free_names,
        thresholds,
        found,
        work.note,
    )


def _stopped(
    work: _Work, budget: Budget, reason: str, found: tuple[Region, ...], pending: int
) -> ThresholdResult:
    """The partial result of a derivation that stopped (built with no long step)."""
    game = work.game
    step = budget.last
    stage = step.stage if step is not None else "start"
    by_class = adapter_for(game).regions_by_class
    cells = work.region_map.regions if work.region_map is not None else found
    grouped = _grouped(cells)
    regions = []
    for key, members in grouped.items():
        if key in work.outcomes:
            regions.append(work.outcomes[key])
            continue
        condition = sympy.Or._from_args(tuple(_raw(cell) for cell in members), is_commutative=True)
        equilibria = tuple(members[0].equilibria)
        regions.append(
            ThresholdRegion(
                condition,
                key[0],
                () if by_class else equilibria,
                equilibria if by_class else (),
                pieces=len(members),
            )
        )
    finished = list(work.finished)
    unfinished = []
    if stage == "start" or step is None:
        unfinished.append("everything: the derivation had not begun")
    elif stage == "candidates":
        finished.append(f"candidate equilibria for {step.done:,} of {step.total:,} {step.unit}")
        unfinished.append("the other candidates, the regions and the thresholds")
    elif work.region_map is None:
        finished.append(
            f"{len(found):,} regions (listed piece by piece, grouped by outcome), with "
            f"{pending:,} branches of the parameter space left to explore"
        )
        unfinished.append("the other regions, their conditions in short form, the thresholds")
    else:
        left = [key[0] for key in grouped if key not in work.outcomes]
        if work.outcomes:
            done = ", ".join(key[0] for key in work.outcomes)
            finished.append(f"the conditions in short form of {done}")
        if left:
            unfinished.append(
                f"the short form of {', '.join(left)}'s conditions (listed piece by piece)"
            )
        if work.values:
            finished.append(f"{len(work.values):,} of the thresholds")
        unfinished.append("the other thresholds" if work.values else "the thresholds")
    counts = budget.counts if budget.counts else payoff_appearances(game)
    partial = Partial(
        reason,
        stage,
        budget.elapsed,
        budget.seconds,
        tuple(finished),
        tuple(unfinished),
        suggest(work.free, work.chosen.name, counts, ties=budget.occurrences),
        work.chosen.name,
        "conditions" if budget.counts else "payoffs",
    )
    return ThresholdResult(
        game,
        work.chosen.name,
        dict(work.bound),
        work.free_names,
        tuple(Threshold(v) for v in sorted(work.values, key=_threshold_order)),
        tuple(regions),
        work.note,
        partial=partial,
    )


def _raw(cell: Region) -> sympy.Boolean:
    """A region's conditions as found, with no work on them (sympy's checks take long)."""
    return sympy.And._from_args(
        tuple(sympy.StrictGreaterThan(c, 0, evaluate=False) for c in cell.conditions),
        is_commutative=True,
    )


def _one_free(
    game: Bimatrix | GameTree | SignallingGame,
    chosen: Parameter,
    params: dict[str, Any],
    regions: RegionMap,
) -> tuple[tuple[Threshold, ...], tuple[ThresholdRegion, ...]]:
    adapter = adapter_for(game)
    by_class = adapter.regions_by_class

    x = chosen.symbol
    low = sympy.Rational(chosen.minimum) if chosen.minimum is not None else -sympy.oo
    high = sympy.Rational(chosen.maximum) if chosen.maximum is not None else sympy.oo
    candidates: set[sympy.Expr] = set()
    atoms = list(dict.fromkeys(atom for region in regions.regions for atom in region.conditions))
    for done, atom in enumerate(atoms):
        checkpoint("thresholds", done, len(atoms), unit="conditions solved")
        for root in sympy.solveset(atom, x, domain=sympy.Interval.open(low, high)):
            candidates.add(root if root.is_Rational else sympy.nsimplify(root))
    points = sorted(candidates, key=float)
    edges = [low, *points, high]
    checks = 0

    def checked() -> None:
        nonlocal checks
        checkpoint("thresholds", checks, 2 * len(points) + 3, unit="points solved")
        checks += 1

    # Trees and bimatrix games: the solver's own label at each point solved (a
    # bimatrix game's says whether it is degenerate there).
    labels: dict[sympy.Expr, str] = {}

    def solved(value: sympy.Expr) -> tuple[Any, tuple]:
        checked()
        solution = adapter.solve(
            game,
            params | {chosen.name: _fraction(value)},
            exact=True,
            method=None,
            mixed=adapter.region_mixed,
        )
        key, entries, label = adapter.at_point(game, solution, regions.complete)
        if label is not None:
            labels[value] = label
        return key, entries

    spans = []
    for left, right in pairwise(edges):
        sample = _inside(left, right, chosen)
        found_region = regions.region_at({chosen.name: sample})
        if found_region is None:  # pragma: no cover - samples avoid every candidate root
            raise CredibilityError(f"no region contains {chosen.name} = {sample}")
        region = found_region
        if not regions.complete and not by_class:
            _, equilibria = solved(sample)
            region = Region(region.conditions, tuple(equilibria), labels[sample])
        spans.append((left, right, adapter.equilibrium_key(game, region.equilibria), region))
    at_points = [solved(p) if p.is_rational else None for p in points]

    thresholds: list[Threshold] = []
    found: list[ThresholdRegion] = []

    def point_region(value: sympy.Expr, at: tuple[Any, tuple]) -> ThresholdRegion:
        outcome = labels.get(value) or adapter.outcome_label(game, at[1], regions.complete)
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
    if adapter_for(game).regions_by_class:
        return ThresholdRegion(condition, outcome, (), tuple(equilibria))
    return ThresholdRegion(condition, outcome, equilibria)


def _inside(left: sympy.Expr, right: sympy.Expr, chosen: Parameter) -> sympy.Expr:
    """A rational point strictly between two edges (either may be infinite)."""
    if left.is_finite and right.is_finite:
        middle = (left + right) / 2
        if middle.is_Rational:  # already exact (nsimplify would return it, a millisecond later)
            return middle
        return sympy.nsimplify(middle) if middle.is_rational else _between(left, right)
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
    work: _Work, regions: RegionMap, by_class: bool = False
) -> tuple[tuple[Threshold, ...], tuple[ThresholdRegion, ...]]:
    x = work.chosen.symbol
    oracle = SignOracle(parameter_box(work.free), {})
    grouped = _grouped(regions.regions)
    pieces: dict[tuple[str, str], list[Region]] = {}
    # The outcomes of fewest pieces first: if the budget runs out, the most are shortened.
    by_size = sorted(grouped.items(), key=lambda item: len(item[1]))
    for done, (key, members) in enumerate(by_size):
        checkpoint("conditions", done, len(grouped), unit="outcomes", detail=key[0])
        pieces[key] = simplest(members, oracle.bounds)
        work.outcomes[key] = ThresholdRegion(
            sympy.Or(*(_display(cell, x, oracle) for cell in pieces[key])),
            key[0],
            () if by_class else members[0].equilibria,
            members[0].equilibria if by_class else (),
        )
    # The thresholds are the roots of the conditions left: every boundary between
    # two outcomes lies on one of them.
    atoms = list(
        dict.fromkeys(
            a
            for key in grouped
            for cell in pieces[key]
            for a in cell.conditions
            if x in a.free_symbols
        )
    )
    values = work.values
    for done, atom in enumerate(atoms):
        checkpoint("thresholds", done, len(atoms), unit="conditions solved")
        for root in _roots(atom, x):
            if root.is_number and root in oracle.bounds[x]:
                continue  # a bound of the range, not a threshold
            if not any(sympy.simplify(root - v) == 0 for v in values):
                values.append(root)
    found = tuple(work.outcomes[key] for key in grouped)
    return tuple(Threshold(v) for v in sorted(values, key=_threshold_order)), found


def _grouped(regions: tuple[Region, ...]) -> dict[tuple[str, str], list[Region]]:
    """Regions with the same equilibria (actions and expressions alike), in order."""
    shown: dict[int, str] = {}  # regions share equilibrium objects: each printed once

    def key(region: Region) -> tuple[str, str]:
        for e in region.equilibria:
            if id(e) not in shown:  # every compared field as printed (not the short repr)
                shown[id(e)] = _printed(e)
        parts = [shown[id(e)] for e in region.equilibria]
        return region.outcome, f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"

    grouped: dict[tuple[str, str], list[Region]] = {}
    for region in regions:
        grouped.setdefault(key(region), []).append(region)
    return grouped


def _printed(value: object) -> str:
    """``value`` in full: a dataclass by its compared fields, nested; anything else by repr."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (_printed(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare)
        return f"{type(value).__name__}({', '.join(fields)})"
    if isinstance(value, tuple):
        return f"({', '.join(_printed(item) for item in value)})"
    return repr(value)


def _threshold_order(value: sympy.Expr) -> tuple[bool, float, str]:
    """Numbers first, in order, then expressions by their text."""
    return (not value.is_number, float(value) if value.is_number else 0.0, str(value))


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


def _by_class(work: _Work) -> ThresholdResult:
    """A game whose regions list classes of equilibrium (signalling games)."""
    game, params, chosen = work.game, work.params, work.chosen
    adapter = adapter_for(game)
    region_map = adapter.region_map(game, params)
    work.mapped(region_map)
    work.note = "" if region_map.complete else adapter.incomplete_note(len(work.free) == 1)
    if len(work.free) > 1:
        thresholds, found = _several_free(work, region_map, by_class=True)
        return ThresholdResult(
            game,
            chosen.name,
            dict(work.bound),
            work.free_names,
            thresholds,
            found,
            note=work.note,
        )
    thresholds, found = _one_free(game, chosen, params, region_map)
    return ThresholdResult(
        game,
        chosen.name,
        dict(work.bound),
        (chosen.name,),
        thresholds,
        found,
        existence=_existence(chosen, found),
        note=work.note,
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
