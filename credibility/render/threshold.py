"""Text and LaTeX for thresholds and the regions between them."""

from __future__ import annotations

import re
from typing import Any

import sympy

from ..expressions import format_number, format_set
from ..solvers.outcomes import DEGENERATE
from ..symbolic.thresholds import ThresholdRegion, ThresholdResult
from .table import latex_escape

__all__ = ["latex", "text"]


def text(result: ThresholdResult, explain: bool = False) -> str:
    """Thresholds, then each region's condition, outcome and equilibria.

    Parameters
    ----------
    result : ThresholdResult
    explain : bool
        Add what changes at each threshold, reading the parameter upwards
        (with other parameters free: how to read the conditions).

    Examples
    --------
    >>> import credibility as cr
    >>> game = cr.Bimatrix.from_arrays(
    ...     [[0, -1], [1, "-c"]], [[0, 1], [-1, "-c"]],
    ...     row_strategies=["Swerve", "Straight"], column_strategies=["Swerve", "Straight"],
    ...     parameters=[cr.Parameter("c", 5, 0)], title="Chicken")
    >>> print(text(cr.thresholds(game, "c")))
    Chicken: thresholds of c
      c = 1
    <BLANKLINE>
    Regions:
      c < 1: Straight/Straight
      Eq(c, 1): degenerate: Swerve/Straight | Straight/Swerve | Straight/Straight
      c > 1: Swerve/Straight | Straight/Swerve | mixed
        mixed: Row plays Swerve (c - 1)/c, Straight 1/c; Column plays Swerve (c - 1)/c, ...
    """
    game = result.game
    lines = [f"{game.info.label}: thresholds of {result.parameter}"]
    others = [name for name in result.free if name != result.parameter]
    if others:
        lines[0] += f" (symbolic in {', '.join(others)})"
    if result.bound:
        lines.append(
            "Bound: " + ", ".join(f"{n} = {format_number(v)}" for n, v in result.bound.items())
        )
    if result.thresholds:
        lines += [f"  {result.parameter} = {t.value}" for t in result.thresholds]
    else:
        lines.append(f"  none: the equilibrium set does not change with {result.parameter}")
    lines += ["", "Regions:"]
    for region in result.regions:
        lines.append(f"  {_condition(region.condition)}: {region.outcome}")
        lines += [f"    {line}" for line in _details(game, region)]
    if result.existence:
        lines += ["", "Where each class of equilibrium exists:"]
        lines += [
            f"  {kind}: {result.parameter} in {format_set(values)}"
            for kind, values in result.existence.items()
        ]
    if explain:
        lines += ["", *_changes(result)]
    if result.note:
        lines += ["", f"Note: {result.note}."]
    return "\n".join(lines)


def _changes(result: ThresholdResult) -> list[str]:
    """What changes at each threshold, reading the parameter upwards (one parameter free)."""
    x = result.parameter
    if len(result.free) > 1:
        return [
            f"How to read this: each threshold is where one of the conditions turns, so it moves "
            f"with {', '.join(result.free[1:])}; bind them (--param) to see what changes at each."
        ]
    parameter = next(p for p in result.game.parameters if p.name == x)
    low = sympy.Rational(parameter.minimum) if parameter.minimum is not None else None
    high = sympy.Rational(parameter.maximum) if parameter.maximum is not None else None
    values = [t.value for t in result.thresholds]
    marks = [low, *values, high]  # None for an unbounded end

    def between(left: sympy.Expr | None, right: sympy.Expr | None) -> sympy.Expr:
        if left is None:
            return sympy.Integer(0) if right is None else right - 1
        if right is None:
            return left + 1
        return (left + right) / 2

    if values:
        lines = [f"What changes at each threshold, reading {x} upwards:"]
    else:
        inside = _outcome_at(result, between(low, high))
        lines = [f"The same equilibria hold for every value of {x} inside its bounds: {inside}."]
    for i, value in enumerate(values, start=1):
        below = _outcome_at(result, between(marks[i - 1], value))
        above = _outcome_at(result, between(value, marks[i + 1]))
        at = _outcome_at(result, value)
        step = f"  {x} = {value}: {below} below, {above} above"
        change = _difference(below, above)
        if change:
            step += f" ({change})"
        if at not in (below, above):
            step += f"; exactly at it, {at}"
        lines.append(step + ".")
    for end, near in ((low, between(low, marks[1])), (high, between(marks[-2], high))):
        if end is None:
            continue
        at, beside = _outcome_at(result, end), _outcome_at(result, near)
        if at != beside:
            lines.append(f"  At the bound {x} = {end}: {at} ({_difference(beside, at)}).")
    return lines


def _outcome_at(result: ThresholdResult, value: sympy.Expr) -> str:
    for region in result.regions:
        condition = region.condition.subs({s: value for s in region.condition.free_symbols})
        if condition is sympy.true:
            return region.outcome
    return "no region"  # outside the bounds


def _difference(below: str, above: str) -> str:
    """The parts of an outcome label (joined by ' + ' or ' | ') that appear and disappear."""
    old, new = (re.split(r" \+ | \| ", label.removeprefix(DEGENERATE)) for label in (below, above))
    gained = [part for part in new if part not in old]
    lost = [part for part in old if part not in new]
    said = []
    if gained and lost:
        said.append(f"{', '.join(lost)} gives way to {', '.join(gained)}")
    elif gained:
        said.append(f"{', '.join(gained)} {'appears' if len(gained) == 1 else 'appear'}")
    elif lost:
        said.append(f"{', '.join(lost)} {'disappears' if len(lost) == 1 else 'disappear'}")
    return "; ".join(said)


def _condition(condition: sympy.Boolean) -> str:
    return "anywhere in the bounds" if condition is sympy.true else str(condition)


def _details(game: Any, region: ThresholdRegion) -> list[str]:
    """The mixed equilibria's probabilities (bimatrix) or the payoffs (trees), as expressions."""
    if game.kind == "bimatrix":
        lines = []
        for e in region.equilibria:
            if e.pure:
                continue
            row = ", ".join(f"{s} {_expr(p)}" for s, p in zip(game.row_strategies, e.row) if p != 0)
            column = ", ".join(
                f"{s} {_expr(q)}" for s, q in zip(game.column_strategies, e.column) if q != 0
            )
            lines.append(f"mixed: {game.players[0]} plays {row}; {game.players[1]} plays {column}")
        return lines
    if game.kind == "tree":
        return [
            f"payoffs of {e.outcome}: "
            + ", ".join(f"{p} {_expr(v)}" for p, v in zip(game.players, e.payoffs))
            for e in region.equilibria
        ]
    return []


def _expr(value: Any) -> str:
    return str(sympy.simplify(value)) if not isinstance(value, int) else str(value)


def latex(result: ThresholdResult) -> str:
    """The thresholds and regions as a LaTeX tabular (conditions in math mode)."""
    lines = [
        r"\begin{tabular}{ll}",
        r"\hline",
        r"condition & outcome \\",
        r"\hline",
    ]
    for region in result.regions:
        lines.append(f"${region.latex}$ & {latex_escape(region.outcome)} \\\\")
    lines += [r"\hline", r"\end{tabular}"]
    if result.existence:
        lines += ["", r"\begin{tabular}{ll}", r"\hline", r"class & values \\", r"\hline"]
        for kind, values in result.existence.items():
            name = latex_escape(result.parameter)
            lines.append(f"{kind} & ${name} \\in {sympy.latex(values)}$ \\\\")
        lines += [r"\hline", r"\end{tabular}"]
    if result.thresholds:
        values = ", ".join(f"${t.latex}$" for t in result.thresholds)
        lines.insert(0, f"% thresholds of {latex_escape(result.parameter)}: {values}")
    return "\n".join(lines)
