"""Text and LaTeX for thresholds and the regions between them."""

from __future__ import annotations

import re
from typing import Any

import sympy

from ..expressions import format_number
from ..kinds import adapter_for
from ..solvers.outcomes import DEGENERATE
from ..symbolic.threshold_result import ThresholdRegion, ThresholdResult
from .conditions import (
    Known,
    condition,
    expression,
    latex_assignment,
    latex_condition,
    latex_expression,
    latex_values,
    values,
)
from .display import escaped, html_page
from .table import latex_escape, latex_header, latex_notes
from .terminal import Style, wrap

__all__ = ["html", "latex", "text"]


def text(result: ThresholdResult, explain: bool = False, style: Style | None = None) -> str:
    """Thresholds, then each region's condition, outcome and equilibria.

    Conditions, thresholds and expressions are written as people write them
    (:mod:`credibility.render.conditions`), lines wrapped to the style's width.

    Parameters
    ----------
    result : ThresholdResult
    explain : bool
        Add what changes at each threshold, reading the parameter upwards
        (with other parameters free: how to read the conditions).
    style : Style, optional
        Width and symbols (80 columns, Unicode by default).

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
      c = 1: degenerate: Swerve/Straight | Straight/Swerve | Straight/Straight
      c > 1: Swerve/Straight | Straight/Swerve | mixed
        mixed: Row plays Swerve (c - 1)/c, Straight 1/c; Column plays Swerve ...
    """
    style = style or Style()
    if result.partial is not None:
        return _partial_text(result, style)
    lines = [*_heading(result), *(f"  {line}" for line in _threshold_lines(result, style))]
    lines += ["", "Regions:"]
    for where, outcome, details in _regions(result, style):
        lines.append(wrap(f"  {where}: {outcome}", style.width, indent="    "))
        lines += [f"    {line}" for line in details]
    if result.existence:
        lines += ["", "Where each class of equilibrium exists:"]
        lines += [f"  {kind}: {found}" for kind, found in _existence(result, style)]
    if explain:
        lines += ["", *_changes(result, style)]
    if result.note:
        lines += ["", f"Note: {result.note}."]
    return wrap("\n".join(lines), style.width)


def html(result: ThresholdResult) -> str:
    """The thresholds, the regions and where each class exists, as HTML tables.

    A partial result (:class:`~credibility.symbolic.threshold_result.DerivationStopped`) is its
    text, preformatted.
    """
    style = Style()
    if result.partial is not None:
        return f'<pre class="credibility">{escaped(_partial_text(result, style))}</pre>'
    found = _regions(result, style)
    table: Any = (["condition", "outcome"], [[where, outcome] for where, outcome, _ in found])
    if any(details for _, _, details in found):
        table = (
            ["condition", "outcome", "equilibria"],
            [[where, outcome, "; ".join(details)] for where, outcome, details in found],
        )
    parts: list[Any] = [
        _heading(result),
        f"Thresholds: {'; '.join(_threshold_lines(result, style))}",
        table,
    ]
    if result.existence:
        parts += ["Where each class of equilibrium exists:"]
        parts.append((["class", result.parameter], _existence(result, style)))
    if result.note:
        parts.append(f"Note: {result.note}.")
    return html_page(*parts)


def _heading(result: ThresholdResult) -> list[str]:
    """The title line (the parameter, those left symbolic) and the bound parameters."""
    lines = [f"{result.game.info.label}: thresholds of {result.parameter}"]
    others = [name for name in result.free if name != result.parameter]
    if others:
        lines[0] += f" (symbolic in {', '.join(others)})"
    if result.bound:
        lines.append(
            "Bound: " + ", ".join(f"{n} = {format_number(v)}" for n, v in result.bound.items())
        )
    return lines


def _threshold_lines(result: ThresholdResult, style: Style) -> list[str]:
    """Each threshold, ``c = 1``, or a line saying there is none."""
    if not result.thresholds:
        return [f"none: the equilibrium set does not change with {result.parameter}"]
    known = Known.of(result.game.parameters, result.free)
    return [
        f"{result.parameter} = {expression(t.value, known, style.notation)}"
        for t in result.thresholds
    ]


def _regions(result: ThresholdResult, style: Style) -> list[tuple[str, str, list[str]]]:
    """Each region's condition, outcome, and the lines on its equilibria (:func:`_details`)."""
    game = result.game
    known = Known.of(game.parameters, result.free)
    found = []
    for region in result.regions:
        where = condition(region.condition, known, style.notation)
        inside = known.within(region.condition)
        found.append((where, region.outcome, _details(game, region, inside, style)))
    return found


def _existence(result: ThresholdResult, style: Style) -> list[list[str]]:
    """Each class of equilibrium and the values of the parameter where one exists."""
    return [
        [kind, values(found, result.parameter, style.notation)]
        for kind, found in result.existence.items()
    ]


def _partial_text(result: ThresholdResult, style: Style) -> str:
    """A derivation that stopped early: what it finished and found, and what to bind.

    Regions whose conditions were shortened are written as in a full result; the others
    (the pieces the analysis found, often long) are counted, for ``--format json`` to list.
    """
    partial = result.partial
    assert partial is not None
    game, x, notation = result.game, result.parameter, style.notation
    known = Known.of(game.parameters, result.free)
    lines = [f"{game.info.label}: thresholds of {x}, partial result"]
    others = [name for name in result.free if name != x]
    if others:
        lines[0] += f" (symbolic in {', '.join(others)})"
    if result.bound:
        lines.append(
            "Bound: " + ", ".join(f"{n} = {format_number(v)}" for n, v in result.bound.items())
        )
    lines.append(f"Stopped after {partial.elapsed:.1f} s: {partial.message}.")
    lines += ["Finished:", *(f"  {item}" for item in partial.finished or ["nothing yet"])]
    lines += ["Not finished:", *(f"  {item}" for item in partial.unfinished)]
    if result.thresholds:
        lines += ["", "Thresholds found:"]
        lines += [f"  {x} = {expression(t.value, known, notation)}" for t in result.thresholds]
    shortened = [region for region in result.regions if not region.pieces]
    if shortened:
        lines += ["", "Regions:"]
        for region in shortened:
            where = condition(region.condition, known, notation)
            lines.append(wrap(f"  {where}: {region.outcome}", style.width, indent="    "))
            inside = known.within(region.condition)
            lines += [f"    {line}" for line in _details(game, region, inside, style)]
    pieces: dict[str, int] = {}
    for region in result.regions:
        if region.pieces:
            pieces[region.outcome] = pieces.get(region.outcome, 0) + region.pieces
    if pieces:
        lines += ["", "Regions found, conditions not shortened (--format json lists them):"]
        lines += [
            f"  {outcome}: {count:,} piece{'s' if count != 1 else ''}"
            for outcome, count in pieces.items()
        ]
    lines += ["", f"To finish, {partial.advice}."]
    if result.note:
        lines += ["", f"Note: {result.note}."]
    return wrap("\n".join(lines), style.width)


def _changes(result: ThresholdResult, style: Style) -> list[str]:
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
        step = f"  {x} = {expression(value, None, style.notation)}: {below} below, {above} above"
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
            shown = expression(end, None, style.notation)
            lines.append(f"  At the bound {x} = {shown}: {at} ({_difference(beside, at)}).")
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


def _details(game: Any, region: ThresholdRegion, known: Known, style: Style) -> list[str]:
    """The mixed equilibria's probabilities (bimatrix) or the payoffs (trees), as expressions.

    Denominators are written positive where the bounds and the region's condition decide
    their sign (``known``).
    """

    def shown(value: Any) -> str:
        return expression(value, known, style.notation)

    return adapter_for(game).region_details(game, region.equilibria, shown)


def latex(result: ThresholdResult) -> str:
    r"""The thresholds and regions as a LaTeX tabular (conditions in math mode).

    It opens with comment lines naming the preamble it needs (amsmath), states the
    thresholds above the regions and the parameter values (bound and symbolic) below.

    Examples
    --------
    >>> import credibility as cr
    >>> game = cr.load("unilateral_deterrence")
    >>> bound = {p.name: p.default for p in game.parameters if p.name != "p"}
    >>> print(latex(cr.thresholds(game, "p", bound)))  # doctest: +ELLIPSIS
    % credibility: Unilateral deterrence with a defender of uncertain resolve: thresholds of p
    % A tabular for a document whose preamble has \usepackage{amsmath} (see docs/latex.md).
    \begin{tabular}{ll}
    \hline
    \multicolumn{2}{l}{Thresholds of $p$: $p = \frac{1}{3}$} \\
    \hline
    condition & outcome \\
    \hline
    $p = 0$ & Challenge \textgreater{} Soft \textgreater{} Concede \\
    $0 < p < \frac{1}{3}$ & Challenge \\
    ...
    \multicolumn{2}{l}{Parameters: $a_{SQ} = 0$, $a_{DC} = 1$, $a_{DD} = -2$, $b_{SQ} = 3$} \\
    ...
    \end{tabular}
    """
    if result.partial is not None:
        return _partial_latex(result)
    game = result.game
    known = Known.of(game.parameters, result.free)
    x = result.parameter
    symbol = latex_expression(sympy.Symbol(x))
    conditions = [latex_condition(region.condition, known, text=True) for region in result.regions]
    wide = max((len(c) for c in conditions), default=0) > 60
    column = r"p{0.6\linewidth}" if wide else "l"
    lines = [
        *latex_header(f"{game.info.label}: thresholds of {x}"),
        f"\\begin{{tabular}}{{{column}l}}",
    ]
    lines.append(r"\hline")
    if result.thresholds:
        shown = ", ".join(
            f"${symbol} = {latex_expression(t.value, known)}$" for t in result.thresholds
        )
    else:
        shown = "none, the equilibrium set does not change with " + f"${symbol}$"
    lines += latex_notes(2, f"Thresholds of ${symbol}$", [shown], per_row=1)
    lines += [r"\hline", r"condition & outcome \\", r"\hline"]
    for where, region in zip(conditions, result.regions):
        cell = f"\\raggedright {where}" if wide else where  # a wrapping cell, not justified
        lines.append(f"{cell} & {latex_escape(region.outcome)} \\\\")
    lines.append(r"\hline")
    if result.existence:
        lines += [r"class & values \\", r"\hline"]
        for kind, found in result.existence.items():
            lines.append(f"{latex_escape(kind)} & ${latex_values(found, x)}$ \\\\")
        lines.append(r"\hline")
    if result.bound:
        items = [latex_assignment(name, value) for name, value in result.bound.items()]
        lines += latex_notes(2, "Parameters", items)
    others = [name for name in result.free if name != x]
    if others:
        items = [f"${latex_expression(sympy.Symbol(name))}$" for name in others]
        lines += latex_notes(2, "Symbolic", items, per_row=8)
    if result.note:
        lines += latex_notes(2, "Note", [latex_escape(result.note)], spec=r"p{0.9\linewidth}")
    lines.append(r"\end{tabular}")
    return "\n".join(lines)


def _partial_latex(result: ThresholdResult) -> str:
    """A partial result: comment lines on what was finished, and the regions found.

    Regions whose conditions were not shortened get a row with their number of pieces.
    """
    partial = result.partial
    assert partial is not None
    game, x = result.game, result.parameter
    known = Known.of(game.parameters, result.free)

    def comment(text: str) -> str:
        return "% " + " ".join(text.split())

    lines = [
        *latex_header(f"{game.info.label}: thresholds of {x}, partial result"),
        comment(f"Stopped after {partial.elapsed:.1f} s: {partial.message}."),
        *(comment(f"Finished: {item}.") for item in partial.finished),
        *(comment(f"Not finished: {item}.") for item in partial.unfinished),
        comment(f"To finish, {partial.advice}."),
        r"\begin{tabular}{ll}",
        r"\hline",
    ]
    if result.thresholds:
        symbol = latex_expression(sympy.Symbol(x))
        shown = [f"${symbol} = {latex_expression(t.value, known)}$" for t in result.thresholds]
        lines += latex_notes(2, "Thresholds found", shown, per_row=1)
        lines.append(r"\hline")
    lines += [r"condition & outcome \\", r"\hline"]
    for region in result.regions:
        if region.pieces:
            where = f"{region.pieces:,} piece{'s' if region.pieces != 1 else ''}, not shortened"
        else:
            where = latex_condition(region.condition, known, text=True)
        lines.append(f"{where} & {latex_escape(region.outcome)} \\\\")
    lines += [r"\hline", r"\end{tabular}"]
    return "\n".join(lines)
