"""Text, LaTeX and HTML for the Nash equilibria of a strategic-form game.

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
from ..solvers.normal_nash import MixedProfile, NormalSolution, Value
from ..solvers.pure_nash import PureEquilibrium
from .table import latex_escape, latex_header, latex_notes
from .terminal import Style, wrap

__all__ = ["html", "latex", "payoff_lines", "payoffs_dict", "text"]


def _heading(solution: NormalSolution) -> list[str]:
    game = solution.game
    count = len(solution.equilibria)
    noun = "equilibrium" if count == 1 else "equilibria"
    pure = "pure " if solution.method == "pure best response" else ""
    arithmetic = "exact arithmetic" if solution.exact else "floating point"
    lines = [
        f"{game.info.label}: {count} {pure}Nash {noun} ({len(game.players)} players, "
        f"{game.profiles:,} profiles, {arithmetic}, method: {solution.method})"
    ]
    if solution.parameters:
        values = ", ".join(f"{k} = {format_number(v)}" for k, v in solution.parameters.items())
        lines.append(f"Parameters: {values}")
    return lines


def value_text(value: Value, exact: bool = True) -> str:
    """A probability or payoff: ``4/5``; an algebraic number with its decimal value.

    Examples
    --------
    >>> import sympy
    >>> value_text(Fraction(4, 5)), value_text(1 - sympy.sqrt(2) / 2)
    ('4/5', '1 - sqrt(2)/2 (about 0.292893)')
    """
    if isinstance(value, (Fraction, int, float)):
        return format_number(value, exact)
    return f"{value} (about {float(value):.6g})"


def _epsilon(e: MixedProfile) -> str:
    if e.epsilon == 0:
        return "epsilon = 0: an exact equilibrium (checked in exact arithmetic)"
    return (
        f"epsilon = {float(e.epsilon):.3g}: no player gains more than this by deviating "
        "alone (computed exactly for these rational probabilities)"
    )


def _lines(solution: NormalSolution) -> list[str]:
    """One line per equilibrium, ``#  strategies  ->  payoffs``, a mixed one's mixtures below."""
    exact = solution.exact
    width = len(str(len(solution.equilibria)))
    lines = []
    for index, e in enumerate(solution.equilibria, start=1):
        if isinstance(e, PureEquilibrium):
            lines.append(
                f"  {index:>{width}}  {' / '.join(e.strategies)}  ->  "
                + ", ".join(format_number(v, exact) for v in e.payoffs)
            )
            continue
        payoffs = ", ".join(value_text(v) for v in e.payoffs)
        lines.append(f"  {index:>{width}}  {e.label()}  ->  {payoffs}")
        pad = " " * (width + 4)
        for player, names, probabilities in zip(e.players, e.labels, e.probabilities):
            mix = ", ".join(
                f"{name} {value_text(x)}" for name, x in zip(names, probabilities) if x != 0
            )
            lines.append(f"{pad}{player}: {mix}")
        if solution.method == "logit":
            lines.append(f"{pad}{_epsilon(e)}")
    return lines


def _note(solution: NormalSolution) -> str:
    if solution.complete:
        return ""
    note = solution.note or "not complete"
    return note[0].upper() + note[1:] + "."


def text(solution: NormalSolution, explain: bool = False, style: Style | None = None) -> str:
    """A heading, one line per equilibrium (a mixed one's mixtures below it) and a note.

    ``explain`` adds how the equilibria were found and checked.

    Examples
    --------
    >>> from credibility.models.normal import NormalForm
    >>> from credibility.solvers.normal_nash import solve_normal
    >>> u = [[[1, 0], [0, 0]], [[0, 0], [0, 2]]]
    >>> game = NormalForm.from_arrays([u, u, u], players=["A", "B", "C"], title="Stag hunt")
    >>> print(text(solve_normal(game)))
    Stag hunt: 3 Nash equilibria (3 players, 8 profiles, exact arithmetic, method:
      support enumeration)
    <BLANKLINE>
      Strategies and payoffs in the order A / B / C:
      1  S1 / S1 / S1  ->  1, 1, 1
      2  S2 / S2 / S2  ->  2, 2, 2
      3  mixed  ->  6 - 4*sqrt(2) (about 0.343146), 6 - 4*sqrt(2) (about 0.343146),
        6 - 4*sqrt(2) (about 0.343146)
         A: S1 2 - sqrt(2) (about 0.585786), S2 -1 + sqrt(2) (about 0.414214)
         B: S1 2 - sqrt(2) (about 0.585786), S2 -1 + sqrt(2) (about 0.414214)
         C: S1 2 - sqrt(2) (about 0.585786), S2 -1 + sqrt(2) (about 0.414214)
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
        lines += ["", _explanation(solution)]
    note = _note(solution)
    if note:
        lines += ["", note]
    return wrap("\n".join(lines), style.width)


def _explanation(solution: NormalSolution) -> str:
    checked = "in exact arithmetic" if solution.exact else "in floating point"
    pure = (
        "A pure profile is an equilibrium when every player's strategy is a best response: "
        "no player gains by changing strategy alone "
        f"(checked against every alternative, {checked})."
    )
    if solution.method == "support enumeration":
        return pure + (
            " A mixed equilibrium makes each player indifferent among the strategies they "
            "mix and no better off with any other. For every choice of supports, those "
            "indifferences are polynomial equations in the probabilities; they were solved "
            "exactly (Groebner bases over the rationals), and each solution with positive "
            "probabilities was checked against every deviation."
        )
    if solution.method == "logit":
        return pure + (
            " The mixed profile is where the logit quantal response equilibrium goes as "
            "players make fewer mistakes (the principal branch, traced from uniform play); "
            "its probabilities are rounded to exact fractions, and epsilon is their exact "
            "largest gain from a deviation."
        )
    return pure


def html(solution: NormalSolution) -> str:
    """The text's heading, table and note as HTML (:mod:`credibility.render.display`)."""
    from .display import html_page  # lazy: start-up time

    game = solution.game
    header = ["#", *game.players, *(f"payoff {p}" for p in game.players)]
    rows = []
    for i, e in enumerate(solution.equilibria, start=1):
        if isinstance(e, PureEquilibrium):
            cells = list(e.strategies)
        else:
            cells = [_mixture(names, p) for names, p in zip(e.labels, e.probabilities)]
        rows.append([str(i), *cells, *(value_text(v, solution.exact) for v in e.payoffs)])
    note = _note(solution)
    return html_page(_heading(solution), (header, rows), [note] if note else [])


def _mixture(names: tuple[str, ...], probabilities: tuple[Value, ...]) -> str:
    return ", ".join(f"{n} {value_text(x)}" for n, x in zip(names, probabilities) if x != 0)


def latex(solution: NormalSolution) -> str:
    r"""A LaTeX tabular of the equilibria: one column per player, then the payoffs.

    Examples
    --------
    >>> from credibility.models.normal import NormalForm
    >>> from credibility.solvers.normal_nash import solve_normal
    >>> u = [[[1, 0], [0, 0]], [[0, 0], [0, 1]]]
    >>> print(latex(solve_normal(NormalForm.from_arrays([u, u, u]), mixed=False)))
    ... # doctest: +ELLIPSIS
    % credibility: game: pure Nash equilibria
    ...
    \begin{tabular}{rllllll}
    ...
    1 & S1 & S1 & S1 & $1$ & $1$ & $1$ \\
    ...
    """
    import sympy  # lazy: start-up time

    game = solution.game
    exact = solution.exact
    n = len(game.players)

    def number(value: Value) -> str:
        if isinstance(value, Fraction) and exact and value.denominator != 1:
            sign = "-" if value < 0 else ""
            return f"${sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}$"
        if isinstance(value, (Fraction, int, float)):
            return f"${format_number(value, exact)}$"
        return f"${sympy.latex(value)}$"

    def cell(names: tuple[str, ...], probabilities: tuple[Value, ...]) -> str:
        return ", ".join(
            f"{latex_escape(name)} {number(x)}" for name, x in zip(names, probabilities) if x != 0
        )

    names = [latex_escape(p) for p in game.players]
    columns = 1 + 2 * n
    pure = "pure " if solution.method == "pure best response" else ""
    lines = [
        *latex_header(f"{game.info.label}: {pure}Nash equilibria"),
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
        if isinstance(e, PureEquilibrium):
            cells = [str(index), *(latex_escape(s) for s in e.strategies)]
        else:
            cells = [str(index), *(cell(s, p) for s, p in zip(e.labels, e.probabilities))]
        cells += [number(v) for v in e.payoffs]
        lines.append(" & ".join(cells) + " \\\\")
    lines.append(r"\hline")
    if solution.parameters:
        from .conditions import latex_assignment  # lazy: start-up time (it loads sympy)

        items = [latex_assignment(name, value) for name, value in solution.parameters.items()]
        lines += latex_notes(columns, "Parameters", items)
    if not solution.complete:
        lines += latex_notes(columns, "Note", [latex_escape(solution.note)])
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
