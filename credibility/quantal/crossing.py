"""Where a logit QRE outcome probability crosses a level: ``qre_threshold``.

"War probability below 5%": the values of a parameter (at a fixed ``lambda``) or of ``lambda``
(at fixed parameters) where the probability of an outcome (or of a set of outcomes, summed)
crosses a level the user names, and the intervals where it lies below or above it.

Method: the probability is evaluated on a uniform grid over the range (trees: the closed-form
agent QRE, vectorised over the whole grid at once; bimatrix games: the principal branch, one
path-following run per parameter value, traced only as far as ``lambda``, or one for all the
``lambda`` values), every pair of neighbouring grid points on opposite sides of the level
brackets a crossing, and each bracket is halved (bisection, all brackets at once) until it is no
wider than the tolerance.
numpy is imported when first needed, so that ``import credibility.quantal`` stays light.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, cast

from ..errors import CredibilityError, ParameterError
from ..expressions import format_number
from ..json_types import JSONObject
from ..parameters import ParamValues
from .api import qre

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from ..models import Bimatrix, Game, GameTree, NormalForm, SignallingGame, SymmetricGame
    from ..parameters import Parameter

    #: The probability of the outcome at each of an array of values of the argument.
    Probability = Callable[[NDArray[np.float64]], NDArray[np.float64]]

__all__ = ["DEFAULT_LAMBDA_RANGE", "QRECrossing", "QREThreshold", "qre_threshold"]

#: The range of ``lambda`` searched when none is given.
DEFAULT_LAMBDA_RANGE = (0.0, 100.0)
#: Grid points when none are given: trees (closed form, vectorised) and bimatrix games (one
#: path-following run per parameter value).
TREE_POINTS = 1001
BIMATRIX_POINTS = 101
#: Text output: a crossing whose probability is further than this from the level is a jump
#: (a bimatrix game's principal branch changing as a parameter varies), said so.
JUMP = 1e-6
#: Bisection halvings at most (a bracket of any float width is below 1e-300 of it by then).
MAX_HALVINGS = 1100


@dataclass(frozen=True)
class QRECrossing:
    """One crossing of the level, refined by bisection.

    Attributes
    ----------
    value : float
        The middle of the final bracket: the crossing lies within ``width / 2`` of it.
    low, high : float
        The final bracket: the probability is on one side of the level at ``low`` and on the
        other at ``high`` (below means ``< level``, above means ``>= level``).
    direction : str
        ``"rises above"`` or ``"falls below"``: what the probability does as the argument
        grows through ``value``.
    probability : float
        The probability at ``value``.
    """

    value: float
    low: float
    high: float
    direction: str
    probability: float

    @property
    def width(self) -> float:
        """The bracket's width: the tolerance achieved (at most the one asked for, or the
        floats' resolution where that is coarser)."""
        return self.high - self.low


@dataclass(frozen=True)
class QREThreshold:
    """Where an outcome's QRE probability crosses a level, as a parameter or ``lambda`` varies.

    Attributes
    ----------
    game : Bimatrix or GameTree
    outcomes : tuple of str
        The outcome labels whose probabilities are summed.
    level : float
    over : str
        The argument varied: a parameter's name or ``"lambda"``.
    lam : float or None
        The fixed precision (None when ``over`` is ``"lambda"``).
    parameters : dict of str to Fraction
        The values of the fixed parameters (``over`` excluded).
    between : tuple of two floats
        The range searched.
    points : int
        Grid points over the range (spacing ``(high - low) / (points - 1)``).
    tolerance : float
        The bracket width asked for.
    crossings : tuple of QRECrossing
        In increasing order of the argument.
    below, above : tuple of (float, float)
        The intervals where the probability is below the level, and at or above it (their
        inner ends are crossings' values).
    """

    game: Bimatrix | GameTree | NormalForm | SignallingGame | SymmetricGame
    outcomes: tuple[str, ...]
    level: float
    over: str
    lam: float | None
    parameters: dict[str, Fraction]
    between: tuple[float, float]
    points: int
    tolerance: float
    crossings: tuple[QRECrossing, ...]
    below: tuple[tuple[float, float], ...]
    above: tuple[tuple[float, float], ...]

    kind = "qre-threshold"

    @property
    def spacing(self) -> float:
        """The grid spacing: crossings closer together than this may be missed."""
        return (self.between[1] - self.between[0]) / (self.points - 1)

    def to_dict(self) -> JSONObject:
        """The JSON contract's object for ``credibility qre-threshold`` (docs/json-output.md)."""

        def num(x: float) -> str:
            return format_number(float(x), exact=False)

        return {
            "format": 1,
            "kind": self.game.kind,
            "game": self.game.info.label,
            "players": list(self.game.players),
            "parameters": {k: str(v) for k, v in self.parameters.items()},
            "model": "logit",
            "method": "grid-bisection",
            "outcomes": list(self.outcomes),
            "level": num(self.level),
            "over": self.over,
            "lambda": None if self.lam is None else num(self.lam),
            "range": [num(self.between[0]), num(self.between[1])],
            "grid_points": self.points,
            "tolerance": num(self.tolerance),
            "crossings": [
                {
                    "value": num(c.value),
                    "low": num(c.low),
                    "high": num(c.high),
                    "width": num(c.width),
                    "direction": c.direction,
                    "probability": num(c.probability),
                }
                for c in self.crossings
            ],
            "below": [[num(a), num(b)] for a, b in self.below],
            "above": [[num(a), num(b)] for a, b in self.above],
        }


def qre_threshold(
    game: Game,
    outcome: str | Sequence[str],
    level: float | Fraction,
    over: str,
    lam: float | None = None,
    params: ParamValues | None = None,
    *,
    between: tuple[float, float] | None = None,
    points: int | None = None,
    tolerance: float = 1e-9,
) -> QREThreshold:
    """Where the logit QRE probability of ``outcome`` crosses ``level``, as ``over`` varies.

    Parameters
    ----------
    game : Bimatrix or GameTree
    outcome : str or sequence of str
        An outcome label as :func:`credibility.qre` names it (a tree's terminal node by its
        path, e.g. ``"Challenge > Hard > Resist"``; a bimatrix profile ``"ROW/COLUMN"``), or
        several, whose probabilities are summed (e.g. every resisted challenge: war).
    level : float or Fraction
        A probability in ``[0, 1]``.
    over : str
        A parameter's name (its crossing values at the fixed ``lam``) or ``"lambda"`` (the
        precisions where the probability crosses, at fixed parameters).
    lam : float, optional
        The fixed precision ``lambda >= 0``; required when ``over`` is a parameter, not
        allowed when it is ``"lambda"``.
    params : mapping, optional
        Values of the other parameters (defaults otherwise).
    between : (float, float), optional
        The range searched: by default the parameter's bounds (an unbounded side needs this
        argument) or ``(0, 100)`` for ``lambda``. A parameter's range must lie within its
        bounds.
    points : int, optional
        Grid points over the range (default 1001 for trees, 101 for bimatrix games).
    tolerance : float
        The largest bracket width in the argument (absolute) at which a crossing is reported.

    Returns
    -------
    QREThreshold

    Raises
    ------
    CredibilityError
        An unknown outcome (the known ones are listed), a level outside ``[0, 1]``, an
        unknown parameter, a kind of game without QRE, a bad range, grid or tolerance.

    Notes
    -----
    The probability is evaluated at ``points`` evenly spaced values (spacing
    ``(high - low) / (points - 1)``, :attr:`QREThreshold.spacing`). Every pair of neighbours
    on opposite sides of the level (below: ``< level``; above: ``>= level``) brackets a
    crossing, which bisection narrows, keeping the ends on opposite sides, until the bracket
    is no wider than ``tolerance`` (or than the floats allow, if that is coarser: each
    crossing reports its width). Guaranteed: every reported bracket contains a crossing of a
    continuous probability, and the probability at its ends lies on opposite sides. Not
    guaranteed: two crossings between neighbouring grid points (the probability dips under
    the level and comes back, or touches it) cancel out and are missed, as is a crossing
    where the probability only touches the level; a finer grid (``points=``) finds those
    wider than its spacing. ``|P - level|`` at ``value`` is at most the slope times
    ``width / 2``, not ``tolerance`` itself. Bimatrix games: the QRE followed is the
    principal branch at each value (where it first reaches ``lambda``); a branch that jumps
    as a parameter varies makes the probability discontinuous and a "crossing" a jump.

    Examples
    --------
    >>> import credibility as cr
    >>> war = ["Challenge > Hard > Resist", "Challenge > Soft > Resist"]
    >>> result = cr.qre_threshold(cr.load("unilateral_deterrence"), war, 0.05, "lambda")
    >>> [(round(c.value, 6), c.direction) for c in result.crossings]
    [(4.394449, 'falls below')]
    >>> result.crossings[0].width <= 1e-9
    True
    """
    outcomes = (outcome,) if isinstance(outcome, str) else tuple(outcome)
    if not outcomes or not all(isinstance(o, str) for o in outcomes):
        raise CredibilityError("give an outcome label (or several, to sum their probabilities)")
    if isinstance(level, bool) or not isinstance(level, (int, float, Fraction)):
        raise CredibilityError(f"the level must be a probability in [0, 1], got {level!r}")
    if not 0 <= level <= 1:
        raise CredibilityError(f"the level must be a probability in [0, 1], got {level}")
    if isinstance(tolerance, bool) or not (
        isinstance(tolerance, (int, float)) and math.isfinite(tolerance) and tolerance > 0
    ):
        raise CredibilityError(f"the tolerance must be a number > 0, got {tolerance!r}")
    params = dict(params or {})
    names = [p.name for p in game.parameters]
    if over == "lambda":
        if lam is not None:
            raise CredibilityError("the precision varies (over='lambda'): give no fixed lam")
        fixed = params
        base = qre(game, [0.0], fixed)
    else:
        if over not in names:
            known = ", ".join(names) or "none"
            raise ParameterError(
                f"unknown parameter {over!r} to vary; the parameters of this game: {known} "
                "(or 'lambda')"
            )
        if lam is None:
            raise CredibilityError(f"give the fixed precision lam to vary {over!r}")
        fixed = {k: v for k, v in params.items() if k != over}
        base = qre(game, [lam], fixed)
    known_outcomes = base.outcome_labels
    for label in outcomes:
        if label not in known_outcomes:
            listed = ", ".join(repr(x) for x in known_outcomes)
            raise CredibilityError(f"unknown outcome {label!r}; the outcomes are: {listed}")
    low, high = _range(game, over, between)
    if points is None:
        points = TREE_POINTS if game.kind == "tree" else BIMATRIX_POINTS
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise CredibilityError(f"the grid needs at least 2 points, got {points!r}")
    parameters = {k: v for k, v in base.parameters.items() if k != over}
    if game.kind == "tree":
        tree = cast("GameTree", game)  # the kind says so
        probability = _tree_probability(tree, outcomes, over, lam, fixed)
    else:
        probability = _branch_probability(game, base.outcome_labels, outcomes, over, lam, fixed)
    crossings, below, above = _search(
        probability, float(level), low, high, points, float(tolerance)
    )
    return QREThreshold(
        game=base.game,
        outcomes=outcomes,
        level=float(level),
        over=over,
        lam=None if lam is None else float(lam),
        parameters=parameters,
        between=(low, high),
        points=points,
        tolerance=float(tolerance),
        crossings=crossings,
        below=below,
        above=above,
    )


def _range(game: Game, over: str, between: tuple[float, float] | None) -> tuple[float, float]:
    if over == "lambda":
        low, high = DEFAULT_LAMBDA_RANGE if between is None else between
        minimum: Fraction | None = Fraction(0)
        maximum: Fraction | None = None
    else:
        parameter = next(p for p in game.parameters if p.name == over)
        minimum, maximum = parameter.minimum, parameter.maximum
        if between is None:
            if minimum is None or maximum is None:
                side = "minimum" if minimum is None else "maximum"
                raise ParameterError(
                    f"parameter {over!r} has no {side}: give the range to search (between=)"
                )
            low, high = float(minimum), float(maximum)
        else:
            low, high = between
    try:
        low, high = float(low), float(high)
    except (TypeError, ValueError):
        raise CredibilityError(f"the range must be two numbers, got {between!r}") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise CredibilityError(f"the range must be finite with low < high, got {low}, {high}")
    what = "lambda" if over == "lambda" else f"parameter {over!r}"
    if minimum is not None and low < minimum:
        raise CredibilityError(f"the range starts below the minimum {minimum} of {what}")
    if maximum is not None and high > maximum:
        raise CredibilityError(f"the range ends above the maximum {maximum} of {what}")
    return low, high


def _search(
    probability: Probability, level: float, low: float, high: float, points: int, tolerance: float
) -> tuple[
    tuple[QRECrossing, ...], tuple[tuple[float, float], ...], tuple[tuple[float, float], ...]
]:
    """Grid, brackets, bisection (all brackets at once), and the intervals between."""
    import numpy as np  # lazy: start-up time

    grid = np.linspace(low, high, points)
    below = probability(grid) < level
    starts = np.flatnonzero(below[:-1] != below[1:])
    lo, hi = grid[starts].copy(), grid[starts + 1].copy()
    lo_below = below[starts]
    for _ in range(MAX_HALVINGS):
        mid = (lo + hi) / 2
        active = (hi - lo > tolerance) & (mid > lo) & (mid < hi)
        if not active.any():
            break
        index = np.flatnonzero(active)
        mid_below = probability(mid[index]) < level
        same = mid_below == lo_below[index]
        lo[index[same]] = mid[index[same]]
        hi[index[~same]] = mid[index[~same]]
    values = (lo + hi) / 2
    at = probability(values) if len(values) else values
    crossings = tuple(
        QRECrossing(
            value=float(v),
            low=float(a),
            high=float(b),
            direction="rises above" if was_below else "falls below",
            probability=float(p),
        )
        for v, a, b, was_below, p in zip(values, lo, hi, lo_below, at)
    )
    ends = [low, *(c.value for c in crossings), high]
    under: list[tuple[float, float]] = []
    over: list[tuple[float, float]] = []
    state = bool(below[0])
    for a, b in itertools.pairwise(ends):
        (under if state else over).append((a, b))
        state = not state
    return crossings, tuple(under), tuple(over)


def _tree_probability(
    game: GameTree,
    outcomes: tuple[str, ...],
    over: str,
    lam: float | None,
    params: ParamValues,
) -> Probability:
    """The summed probability as a vectorised function of ``lambda`` or of one parameter."""
    import numpy as np  # lazy: start-up time

    from .tree import agent_qre, compile_tree  # lazy: start-up time (numpy)

    tree = compile_tree(game)
    index = [tree.labels.index(label) for label in outcomes]
    binding = game.bind(params)
    if over == "lambda":
        values = [
            tuple(float(binding.value(x)) for x in exprs) if kind != "decision" else ()
            for kind, exprs in zip(tree.kinds, tree.expressions)
        ]

        def of_lambda(x: NDArray[np.float64]) -> NDArray[np.float64]:
            _, reach, _ = agent_qre(tree, x, values)
            return np.broadcast_to(sum(reach[i] for i in index), x.shape).astype(float)

        return of_lambda

    import sympy  # lazy: start-up time (sympy)

    symbol = next(p.symbol for p in game.parameters if p.name == over)
    subs = {p.symbol: binding.values[p.name] for p in game.parameters if p.name != over}
    # lambdify runs generated code: only on expressions our own parser built (as qre_grid).
    functions = [
        tuple(sympy.lambdify([symbol], sympy.sympify(e).subs(subs), "numpy") for e in exprs)
        if kind != "decision"
        else ()
        for kind, exprs in zip(tree.kinds, tree.expressions)
    ]
    at = float(lam or 0.0)

    def of_parameter(x: NDArray[np.float64]) -> NDArray[np.float64]:
        values = [tuple(f(x) + 0.0 * x for f in fs) for fs in functions]
        _, reach, _ = agent_qre(tree, at, values)
        return np.broadcast_to(sum(reach[i] for i in index), x.shape).astype(float)

    return of_parameter


def _branch_probability(
    game: Game,
    labels: tuple[str, ...],
    outcomes: tuple[str, ...],
    over: str,
    lam: float | None,
    params: ParamValues,
) -> Probability:
    """The summed probability on the principal branch (strategic forms, signalling and
    symmetric games), at each value of the argument: as :func:`credibility.qre` (the branch's
    first reach of ``lambda``, refined by Newton's method), tracing the branch only that far
    and naming no limit (:func:`~credibility.quantal.grid.outcome_table`)."""
    import numpy as np  # lazy: start-up time

    from .grid import BranchTable, branch_model  # lazy: start-up time (numpy)

    cells = [labels.index(label) for label in outcomes]
    if over == "lambda":
        table = BranchTable(branch_model(game, params))  # one tracing for every lambda

        def of_lambda(x: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.asarray(table.at([float(v) for v in x])[:, cells].sum(axis=1), dtype=float)

        return of_lambda

    parameter = next(p for p in game.parameters if p.name == over)
    at = float(lam or 0.0)

    def of_parameter(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.array(
            [
                float(
                    BranchTable(branch_model(game, {**params, over: _within(parameter, float(v))}))
                    .at([at])[0, cells]
                    .sum()
                )
                for v in x
            ],
            dtype=float,
        )

    return of_parameter


def _within(parameter: Parameter, v: float) -> Fraction | float:
    """``v``, or the parameter's bound it reaches (exactly: the grid's ends are floats)."""
    if parameter.minimum is not None and v <= parameter.minimum:
        return parameter.minimum
    if parameter.maximum is not None and v >= parameter.maximum:
        return parameter.maximum
    return v


def _g(x: float) -> str:
    return format(float(x), ".9g")


def threshold_text(result: QREThreshold, comparison: str = "<") -> str:
    """The text ``credibility qre-threshold`` prints: one line per crossing, then the intervals
    where ``P comparison level`` holds (``"<"``: below; ``">"``: at or above)."""
    what = " + ".join(result.outcomes)
    at = "" if result.lam is None else f" (lambda = {_g(result.lam)})"
    name = result.over
    lines = [
        f"{result.game.info.label}: where the logit QRE probability of {what} crosses "
        f"{_g(result.level)} as {name} varies{at}"
    ]
    if result.parameters:
        fixed = ", ".join(f"{k} = {v}" for k, v in result.parameters.items())
        lines.append(f"{'Fixed parameters' if name != 'lambda' else 'Parameters'}: {fixed}")
    low, high = result.between
    if result.crossings:
        lines.append(f"Crossings (bisection to a bracket no wider than {_g(result.tolerance)}):")
        for c in result.crossings:
            jump = (
                f"; P = {_g(c.probability)} there: the probability jumps"
                if abs(c.probability - result.level) > JUMP
                else ""
            )
            lines.append(
                f"  {name} = {_g(c.value)}: {c.direction} {_g(result.level)} "
                f"(bracket width {c.width:.2g}{jump})"
            )
    else:
        lines.append(f"No crossing in [{_g(low)}, {_g(high)}].")
    holds = result.below if comparison == "<" else result.above
    sign = "<" if comparison == "<" else ">="
    condition = f"P {sign} {_g(result.level)}"
    if not holds:
        lines.append(f"{condition} nowhere in [{_g(low)}, {_g(high)}]")
    else:
        spans = " and ".join(f"[{_g(a)}, {_g(b)}]" for a, b in holds)
        lines.append(f"{condition} for {name} in {spans}")
    lines.append(
        f"Grid: {result.points} points over [{_g(low)}, {_g(high)}], spacing "
        f"{_g(result.spacing)}; crossings closer together than that may be missed (--points)."
    )
    return "\n".join(lines)
