"""Regions of the parameter space, each with the equilibria that hold throughout it.

With parameters left symbolic, a solver's comparisons ("is this payoff
difference positive?") cannot always be decided. Each undecided comparison
splits the parameter space in two: the analysis is rerun on each side with the
sign assumed, until every comparison is decided. The leaves are **regions**: a
conjunction of strict inequalities ``expression > 0`` and the equilibria that
hold wherever all of them do. Boundaries (an expression equal to zero) are
where ties occur; they are left to the exact solver at that point.

Signs are decided from the parameters' bounds (interval arithmetic over the
box ``min <= x <= max``) and from the comparisons already assumed on the way
(:class:`~credibility.symbolic.signs.SignOracle`). A branch whose assumptions
cannot hold together is dropped: exactly (sympy's univariate inequality
solver) when one parameter is free, otherwise when no point of a dense sample
of the box satisfies them (:class:`~credibility.symbolic.signs.SignFeasibility`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from ..errors import CredibilityError, ParameterError
from ..models import GameTree
from ..parameters import Parameter, ParamValues
from ..solvers.backward_induction import subgame_plans
from ..solvers.outcomes import tree_outcome
from ..solvers.subgame_perfect import equilibria_of
from .budget import OutOfBudget, checkpoint, note
from .signs import SignFeasibility, SignOracle, Undecided

__all__ = [
    "MAX_REGIONS",
    "Region",
    "RegionMap",
    "SymbolicSetting",
    "TooManyRegions",
    "explore",
    "free_parameters",
    "parameter_box",
    "symbolic_setting",
    "tree_regions",
]

#: The most regions an analysis may produce before we stop.
MAX_REGIONS = 512


@dataclass(frozen=True)
class Region:
    """Where some equilibria hold: every expression in ``conditions`` is positive.

    Attributes
    ----------
    conditions : tuple of sympy.Expr
        The region is the set of parameter values (within the bounds) where
        every expression is > 0.
    equilibria : tuple
        The equilibria there, with values as sympy expressions in the free
        parameters (``TreeEquilibrium`` or ``SymbolicMixedEquilibrium``).
    outcome : str
        A short label of the equilibrium set, the same one the numeric solver
        gives at any point strictly inside.
    """

    conditions: tuple[sympy.Expr, ...]
    equilibria: tuple[Any, ...]
    outcome: str

    @property
    def condition(self) -> sympy.Boolean:
        """The conditions as one sympy relation (``True`` if there are none)."""
        return sympy.And(*(sympy.StrictGreaterThan(c, 0) for c in self.conditions))

    def contains(self, values: dict[sympy.Symbol, Any]) -> bool:
        """True if every condition is positive at ``values`` (exact where the values are)."""
        return all(bool(c.subs(values) > 0) for c in self.conditions)


@dataclass(frozen=True)
class RegionMap:
    """The regions of a game with some parameters free.

    Attributes
    ----------
    free : tuple of str
        The parameters left symbolic.
    symbols : tuple of sympy.Symbol
        Their symbols, in the same order.
    regions : tuple of Region
        Disjoint regions; together with their boundaries they cover the box
        of the free parameters' bounds.
    bound : dict of str to Fraction
        The values of the other parameters.
    complete : bool
        False if the regions' equilibria may leave some out: a bimatrix game
        with ties built into its payoffs (degenerate at every parameter value)
        has extreme equilibria that equal-size supports do not find.
    """

    free: tuple[str, ...]
    symbols: tuple[sympy.Symbol, ...]
    regions: tuple[Region, ...]
    bound: dict[str, Fraction] = field(default_factory=dict)
    complete: bool = True

    def region_at(self, values: dict[str, Any]) -> Region | None:
        """The region strictly containing a point (None on a boundary)."""
        point = {s: _exact(values[name]) for name, s in zip(self.free, self.symbols)}
        for region in self.regions:
            if region.contains(point):
                return region
        return None


def _exact(value: Any) -> sympy.Expr:
    """A point's coordinate as a sympy number: exact numbers as they are (``nsimplify`` takes
    a millisecond on a Rational, more with large denominators), anything else through it."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, (int, Fraction)):
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.nsimplify(value)


class TooManyRegions(CredibilityError):
    """More than ``MAX_REGIONS`` regions: the analysis stopped.

    Attributes
    ----------
    found : tuple of Region
        The regions found before it stopped.
    pending : int
        Branches left unexplored.
    """

    def __init__(self, found: tuple[Region, ...], pending: int) -> None:
        super().__init__(
            f"more than {MAX_REGIONS} regions: bind some parameters with the params= argument"
        )
        self.found = found
        self.pending = pending


def free_parameters(
    parameters: Sequence[Parameter], params: ParamValues | None, free: Sequence[str] | None
) -> tuple[list[Parameter], dict[str, Any]]:
    """Split the parameters into the free ones and the values of the bound ones.

    Without ``free``, every parameter not in ``params`` stays free.
    """
    names = {p.name: p for p in parameters}
    params = dict(params or {})
    for name in list(params) + list(free or ()):
        if name not in names:
            declared = ", ".join(sorted(names)) or "none"
            raise ParameterError(f"unknown parameter '{name}' (declared parameters: {declared})")
    chosen = list(free) if free is not None else [n for n in names if n not in params]
    clash = [name for name in chosen if name in params]
    if clash:
        raise ParameterError(f"parameter '{clash[0]}' is both bound and left free")
    return [names[n] for n in chosen], params


@dataclass(frozen=True)
class SymbolicSetting:
    """The parameters an analysis leaves free, and the values of the others.

    Attributes
    ----------
    parameters : tuple of Parameter
        The free parameters.
    bound : dict of str to Fraction
        The values of the other parameters.
    substitution : dict of sympy.Symbol to sympy.Rational
        The same values keyed by symbol, to substitute into expressions.
    """

    parameters: tuple[Parameter, ...]
    bound: dict[str, Fraction]
    substitution: dict[sympy.Symbol, sympy.Rational]

    def fix(self, expr: Any) -> Any:
        """``expr`` with the bound parameters replaced by their values."""
        return expr.xreplace(self.substitution)

    def regions(
        self, analyse: Callable[[SignOracle], tuple[tuple[Any, ...], str]], complete: bool = True
    ) -> RegionMap:
        """Explore ``analyse`` over the free parameters' box and collect the regions."""
        return RegionMap(
            tuple(p.name for p in self.parameters),
            tuple(p.symbol for p in self.parameters),
            explore(analyse, self.parameters),
            self.bound,
            complete,
        )


def symbolic_setting(
    game: Any, params: ParamValues | None, free: Sequence[str] | None
) -> SymbolicSetting:
    """Bind ``params`` (the free parameters at their defaults only to check the binding).

    Without ``free``, every parameter not in ``params`` stays free.
    """
    parameters, bound = free_parameters(game.parameters, params, free)
    fixed = game.bind(bound | {p.name: p.default for p in parameters})
    names = {p.name for p in parameters}
    return SymbolicSetting(
        tuple(parameters),
        {name: v for name, v in fixed.values.items() if name not in names},
        {
            p.symbol: sympy.Rational(fixed.values[p.name])
            for p in game.parameters
            if p.name not in names
        },
    )


def parameter_box(parameters: Sequence[Parameter]) -> dict[sympy.Symbol, tuple[Any, Any]]:
    """Each parameter's symbol and its bounds as sympy numbers (``-oo``/``oo`` where unbounded)."""
    return {
        p.symbol: (
            sympy.Rational(p.minimum) if p.minimum is not None else -sympy.oo,
            sympy.Rational(p.maximum) if p.maximum is not None else sympy.oo,
        )
        for p in parameters
    }


def explore(
    analyse: Callable[[SignOracle], tuple[tuple[Any, ...], str]],
    parameters: Sequence[Parameter],
) -> tuple[Region, ...]:
    """Run ``analyse`` under every consistent choice of the signs it cannot decide.

    Parameters
    ----------
    analyse : callable
        Takes a SignOracle, returns ``(equilibria, outcome label)``; may raise
        ``Undecided`` from the oracle.
    parameters : sequence of Parameter
        The free parameters (their bounds are the domain).

    Returns
    -------
    tuple of Region

    Raises
    ------
    TooManyRegions
        Beyond ``MAX_REGIONS`` regions, with the regions found.

    Notes
    -----
    Each branch is a step of the running budget (:mod:`credibility.symbolic.budget`), stage
    ``"regions"``; when the budget runs out, the ``OutOfBudget`` raised carries the regions
    found (``found``) and the branches left (``pending``).
    """
    bounds = parameter_box(parameters)
    feasible = SignFeasibility(parameters, bounds)
    regions: list[Region] = []
    pending: list[dict[Any, int]] = [{}]
    branches = 0
    try:
        while pending:
            checkpoint(
                "regions",
                branches,
                unit="branches",
                detail=f"{len(regions):,} regions, {len(pending):,} pending",
            )
            assumed = pending[-1]
            try:
                equilibria, outcome = analyse(SignOracle(bounds, assumed))
            except Undecided as split:
                note([split.key])
                pending.pop()
                branches += 1
                for sign in reversed(split.signs):
                    trial = assumed | {split.key: sign}
                    if feasible(trial):
                        pending.append(trial)
                continue
            pending.pop()
            branches += 1
            conditions = tuple(sympy.expand(key * sign) for key, sign in assumed.items())
            regions.append(Region(conditions, equilibria, outcome))
            if len(regions) > MAX_REGIONS:
                raise TooManyRegions(tuple(regions), len(pending))
    except OutOfBudget as stop:
        stop.found, stop.pending = tuple(regions), len(pending)
        raise
    return tuple(regions)


def tree_regions(
    game: GameTree, params: ParamValues | None = None, free: Sequence[str] | None = None
) -> RegionMap:
    """The regions of a game tree: where each set of subgame-perfect equilibria holds.

    Parameters
    ----------
    game : GameTree
    params : mapping of str to number or fraction string, optional
        Parameters bound to numbers.
    free : sequence of str, optional
        Parameters left symbolic (default: every parameter not in ``params``).

    Returns
    -------
    RegionMap

    Examples
    --------
    The challenger of the spec's example tree is deterred iff the defender is
    resolved with probability p > 1/3:

    >>> from fractions import Fraction
    >>> from credibility import GameTree, Move, Node, Parameter
    >>> p = Parameter("p", Fraction(1, 2), Fraction(0), Fraction(1))
    >>> leaf = lambda path, a, b: Node(path, payoffs=(sympy.Integer(a), sympy.Integer(b)))
    >>> def defender(path, resist):
    ...     return Node(path, player="Defender",
    ...                 moves=(Move("Resist", leaf(path + "/Resist", -2, resist)),
    ...                        Move("Concede", leaf(path + "/Concede", 1, -1))))
    >>> resolved = Move("Resolved", defender("Challenge/Resolved", 1), p.symbol)
    >>> irresolute = Move("Irresolute", defender("Challenge/Irresolute", -3), 1 - p.symbol)
    >>> lottery = Node("Challenge", chance=True, moves=(resolved, irresolute))
    >>> status_quo = Move("Status quo", leaf("Status quo", 0, 0))
    >>> root = Node("", player="Challenger", moves=(status_quo, Move("Challenge", lottery)))
    >>> tree = GameTree(("Challenger", "Defender"), root, (p,))
    >>> for region in tree_regions(tree).regions:
    ...     print(region.condition, "->", region.outcome)
    3*p - 1 > 0 -> Status quo
    (p > 0) & (1 - 3*p > 0) & (1 - p > 0) -> Challenge

    (The second region's ``p > 0`` and ``1 - p > 0`` keep the path exact:
    at ``p = 1`` chance is no lottery and the path goes on.)
    """
    setting = symbolic_setting(game, params, free)

    def value(expr: sympy.Expr) -> sympy.Expr:
        return sympy.expand(setting.fix(expr))

    payoffs = {
        node.path: tuple(value(x) for x in node.payoffs)
        for node in game.nodes()
        if node.payoffs is not None
    }
    probabilities = {
        (node.path, move.name): value(move.probability)  # type: ignore[arg-type]
        for node in game.nodes()
        if node.chance
        for move in node.moves
    }

    def analyse(sign: SignOracle) -> tuple[tuple[Any, ...], str]:
        plans = subgame_plans(
            game,
            lambda node: payoffs[node.path],
            lambda node, move: probabilities[(node.path, move.name)],
            sign,
        )
        equilibria = equilibria_of(
            plans[game.root.path],
            lambda node, move: sign(probabilities[(node.path, move.name)] - 1) == 0,
            sympy.simplify,
        )
        return equilibria, tree_outcome(game, equilibria)

    return setting.regions(analyse)
