"""Text, LaTeX and HTML for the pure Nash equilibria of a strategic-form game.

Games with many players would make a table too wide, so the text is compact: one
line per equilibrium, the strategies joined by ``/`` in the players' order and
then the payoffs in the same order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from ..expressions import format_number
from ..models.normal import NormalForm
from ..solvers.pure_nash import NormalSolution
from .table import latex_escape, latex_header, latex_notes
from .terminal import Style, wrap

__all__ = ["html", "latex", "payoff_lines", "payoffs_dict", "text"]


def _heading(solution: NormalSolution) -> list[str]:
    game = solution.game
    count = len(solution.equilibria)
    noun = "equilibrium" if count == 1 else "equilibria"
    arithmetic = "exact arithmetic" if solution.exact else "floating point"
    lines = [
        f"{game.info.label}: {count} pure Nash {noun} ({len(game.players)} players, "
        f"{game.profiles:,} profiles, {arithmetic}, method: {solution.method})"
    ]
    if solution.parameters:
        values = ", ".join(f"{k} = {format_number(v)}" for k, v in solution.parameters.items())
        lines.append(f"Parameters: {values}")
    return lines


def _lines(solution: NormalSolution) -> list[str]:
    """One line per equilibrium: ``#  strategies  ->  payoffs``."""
    exact = solution.exact
    width = len(str(len(solution.equilibria)))
    return [
        f"  {index:>{width}}  {' / '.join(e.strategies)}  ->  "
        + ", ".join(format_number(v, exact) for v in e.payoffs)
        for index, e in enumerate(solution.equilibria, start=1)
    ]


def _note(solution: NormalSolution) -> str:
    if solution.complete:
        return ""
    return "Pure equilibria only: mixed equilibria of this game are not computed (not complete)."


def text(solution: NormalSolution, explain: bool = False, style: Style | None = None) -> str:
    """A heading, one line per pure equilibrium and a note that mixed ones are not searched.

    ``explain`` adds, for each equilibrium, that no player gains by deviating alone.

    Examples
    --------
    >>> from credibility.models.normal import NormalForm
    >>> from credibility.solvers.pure_nash import solve_normal
    >>> u = [[[1, 0], [0, 0]], [[0, 0], [0, 2]]]
    >>> game = NormalForm.from_arrays([u, u, u], players=["A", "B", "C"], title="Stag hunt")
    >>> print(text(solve_normal(game)))
    Stag hunt: 2 pure Nash equilibria (3 players, 8 profiles, exact arithmetic, method:
      pure best response)
    <BLANKLINE>
      Strategies and payoffs in the order A / B / C:
      1  S1 / S1 / S1  ->  1, 1, 1
      2  S2 / S2 / S2  ->  2, 2, 2
    <BLANKLINE>
    Pure equilibria only: mixed equilibria of this game are not computed (not
      complete).
    """
    style = style or Style()
    game = solution.game
    lines = _heading(solution)
    lines.append("")
    if solution.equilibria:
        lines.append(f"  Strategies and payoffs in the order {' / '.join(game.players)}:")
        lines.extend(_lines(solution))
    else:
        lines.append("  No pure equilibrium.")
    if explain and solution.equilibria:
        lines.append("")
        lines.append(
            "Each line is a profile at which every player's strategy is a best response: "
            "no player gains by changing strategy alone (checked against every alternative, "
            + ("in exact arithmetic)." if solution.exact else "in floating point).")
        )
    note = _note(solution)
    if note:
        lines += ["", note]
    return wrap("\n".join(lines), style.width)


def html(solution: NormalSolution) -> str:
    """The text's heading, table and note as HTML (:mod:`credibility.render.display`)."""
    from .display import html_page  # lazy: start-up time

    game = solution.game
    header = ["#", *game.players, *(f"payoff {p}" for p in game.players)]
    rows = [
        [str(i), *e.strategies, *(format_number(v, solution.exact) for v in e.payoffs)]
        for i, e in enumerate(solution.equilibria, start=1)
    ]
    note = _note(solution)
    return html_page(_heading(solution), (header, rows), [note] if note else [])


def latex(solution: NormalSolution) -> str:
    r"""A LaTeX tabular of the pure equilibria: one column per player, then the payoffs.

    Examples
    --------
    >>> from credibility.models.normal import NormalForm
    >>> from credibility.solvers.pure_nash import solve_normal
    >>> u = [[[1, 0], [0, 0]], [[0, 0], [0, 1]]]
    >>> print(latex(solve_normal(NormalForm.from_arrays([u, u, u]))))  # doctest: +ELLIPSIS
    % credibility: game: pure Nash equilibria
    ...
    \begin{tabular}{rllllll}
    ...
    1 & S1 & S1 & S1 & $1$ & $1$ & $1$ \\
    ...
    """
    game = solution.game
    exact = solution.exact
    n = len(game.players)

    def number(value: Fraction | float) -> str:
        if exact and isinstance(value, Fraction) and value.denominator != 1:
            sign = "-" if value < 0 else ""
            return f"${sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}$"
        return f"${format_number(value, exact)}$"

    names = [latex_escape(p) for p in game.players]
    columns = 1 + 2 * n
    lines = [
        *latex_header(f"{game.info.label}: pure Nash equilibria"),
        f"\\begin{{tabular}}{{r{'l' * (2 * n)}}}",
        r"\hline",
        "\\# & "
        + " & ".join(names)
        + " & "
        + " & ".join(f"$u_{{\\text{{{p}}}}}$" for p in names)
        + " \\\\",
        r"\hline",
    ]
    for index, e in enumerate(solution.equilibria, start=1):
        cells = [str(index), *(latex_escape(s) for s in e.strategies)]
        cells += [number(v) for v in e.payoffs]
        lines.append(" & ".join(cells) + " \\\\")
    lines.append(r"\hline")
    if solution.parameters:
        from .conditions import latex_assignment  # lazy: start-up time (it loads sympy)

        items = [latex_assignment(name, value) for name, value in solution.parameters.items()]
        lines += latex_notes(columns, "Parameters", items)
    if not solution.complete:
        lines += latex_notes(columns, "Note", ["pure equilibria only (mixed not computed)"])
    lines.append(r"\end{tabular}")
    return "\n".join(lines)


#: ``credibility show`` lists at most this many profiles of a normal-form game.
SHOW_PROFILES = 200


def payoff_lines(game: NormalForm, shown: Callable[[Any], str]) -> list[str]:
    """``credibility show``: strategies per player, then one line per profile (the first
    :data:`SHOW_PROFILES`)."""
    lines = ["Strategies:"]
    lines += [f"  {p}: {', '.join(s)}" for p, s in zip(game.players, game.strategies)]
    lines += ["", f"Payoffs ({', '.join(game.players)}), one line per strategy profile:"]
    for position, profile in enumerate(itertools.product(*game.strategies)):
        if position == SHOW_PROFILES:
            lines.append(f"  ... and {game.profiles - SHOW_PROFILES:,} more profiles")
            break
        values = ", ".join(_entry(v[position], shown) for v in game.payoffs)
        lines.append(f"  {' / '.join(profile)}  ->  {values}")
    return lines


def payoffs_dict(game: NormalForm) -> dict[str, Any]:
    """``credibility show --format json``: strategies, and payoffs as nested arrays."""
    shape = game.shape

    def nested(entries: tuple[Any, ...]) -> list[Any]:
        flat: list[Any] = [str(x) for x in entries]
        for m in reversed(shape[1:]):
            flat = [flat[k : k + m] for k in range(0, len(flat), m)]
        return flat

    return {
        "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
        "payoffs": {p: nested(v) for p, v in zip(game.players, game.payoffs)},
    }


def _entry(value: Any, shown: Callable[[Any], str]) -> str:
    if isinstance(value, (int, Fraction)):
        return format_number(Fraction(value))
    return shown(value)
