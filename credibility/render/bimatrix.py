"""Text and LaTeX for the Nash equilibria of a bimatrix game."""

from __future__ import annotations

from fractions import Fraction

from ..expressions import format_number
from ..solvers.nash import BimatrixSolution, MixedEquilibrium
from .display import html_page
from .table import latex_escape, latex_header, latex_notes, table
from .terminal import Style, wrap

__all__ = ["html", "latex", "text"]


def _number(value: Fraction | float, exact: bool) -> str:
    return format_number(value, exact)


def _strategy(labels: tuple[str, ...], mix: tuple, exact: bool) -> str:
    """``Straight`` for a pure strategy, ``Swerve 4/5, Straight 1/5`` for a mixed one."""
    support = [(label, p) for label, p in zip(labels, mix) if p != 0]
    if len(support) == 1 and support[0][1] == 1:
        return support[0][0]
    return ", ".join(f"{label} {_number(p, exact)}" for label, p in support)


def _kind(equilibrium: MixedEquilibrium) -> str:
    return "pure" if equilibrium.pure else "mixed"


_LEGEND = {
    "pure": "pure: each player plays one strategy",
    "mixed": "mixed: a player randomises, with the probabilities shown",
}


def text(solution: BimatrixSolution, explain: bool = False, style: Style | None = None) -> str:
    """A table of the equilibria, a legend, and notes on degeneracy and components.

    Lines are wrapped to the style's width; a table too wide for it folds into
    one block per equilibrium.

    Examples
    --------
    >>> from credibility import Bimatrix
    >>> from credibility.solvers.nash import solve_bimatrix
    >>> game = Bimatrix.from_arrays([[0, -1], [1, -5]], [[0, 1], [-1, -5]],
    ...                             row_strategies=["Swerve", "Straight"],
    ...                             column_strategies=["Swerve", "Straight"], title="Chicken")
    >>> print(text(solve_bimatrix(game)))
    Chicken: 3 Nash equilibria (exact arithmetic, nondegenerate game, method:
      enumeration)
    <BLANKLINE>
      #  Row                       Column                    payoff  payoff  kind
                                                             Row     Column
      -  ------------------------  ------------------------  ------  ------  -----
      1  Swerve                    Straight                  -1      1       pure
      2  Swerve 4/5, Straight 1/5  Swerve 4/5, Straight 1/5  -1/5    -1/5    mixed
      3  Straight                  Swerve                    1       -1      pure
    <BLANKLINE>
    pure: each player plays one strategy; mixed: a player randomises, with the
      probabilities shown.
    """
    style = style or Style()
    header, rows = _table(solution)
    lines = [*_heading(solution), ""]
    lines.append(
        table(
            header,
            rows,
            width=style.width,
            title=lambda row: f"Equilibrium {row[0]} ({row[-1]})",
            in_title=(0, len(header) - 1),
        )
    )
    legend = _legend(rows)
    if legend:
        lines += ["", *legend]
    lines.extend(_notes(solution))
    if explain:
        lines.extend(_explanation(solution))
    return wrap("\n".join(lines), style.width)


def html(solution: BimatrixSolution) -> str:
    """The text's heading, table and notes as HTML (:mod:`credibility.render.display`)."""
    header, rows = _table(solution)
    return html_page(_heading(solution), (header, rows), _legend(rows), _notes(solution))


def _heading(solution: BimatrixSolution) -> list[str]:
    """The title line (how many equilibria, how found) and the parameter values."""
    game = solution.game
    count = len(solution.equilibria)
    noun = "equilibrium" if count == 1 else "equilibria"
    if solution.total is not None:
        noun = f"{noun} listed of {solution.total:,}"
    arithmetic = "exact arithmetic" if solution.exact else "floating point"
    if solution.degenerate is None:
        degeneracy = "degeneracy not checked"
    else:
        degeneracy = "degenerate game" if solution.degenerate else "nondegenerate game"
    lines = [
        f"{game.info.label}: {count} Nash {noun} ({arithmetic}, {degeneracy}, "
        f"method: {solution.method})"
    ]
    if solution.parameters:
        values = ", ".join(f"{k} = {_number(v, True)}" for k, v in solution.parameters.items())
        lines.append(f"Parameters: {values}")
    return lines


def _table(solution: BimatrixSolution) -> tuple[list[str], list[list[str]]]:
    """The equilibria's table: its header and one row of cells per equilibrium."""
    game = solution.game
    row_player, column_player = game.players
    exact = solution.exact
    rows = [
        [
            str(index),
            _strategy(game.row_strategies, e.row, exact),
            _strategy(game.column_strategies, e.column, exact),
            _number(e.payoffs[0], exact),
            _number(e.payoffs[1], exact),
            _kind(e),
        ]
        for index, e in enumerate(solution.equilibria, start=1)
    ]
    header = [
        "#",
        row_player,
        column_player,
        f"payoff {row_player}",
        f"payoff {column_player}",
        "kind",
    ]
    return header, rows


def _legend(rows: list[list[str]]) -> list[str]:
    """The sentence on the kinds of equilibrium the table shows (none for an empty table)."""
    kinds = [kind for kind in _LEGEND if any(row[-1] == kind for row in rows)]
    return ["; ".join(_LEGEND[kind] for kind in kinds) + "."] if kinds else []


def _notes(solution: BimatrixSolution) -> list[str]:
    notes = []
    if solution.degenerate:
        notes.append("")
        notes.append(
            "The game is degenerate: the rows above are the extreme equilibria "
            "(vertices of the equilibrium components)."
        )
        for members in solution.components:
            if len(members) > 1:
                listed = ", ".join(str(i + 1) for i in members)
                notes.append(
                    f"Equilibria {listed} lie in one connected component: "
                    "mixtures between them can be equilibria too."
                )
    if solution.total is not None:
        notes.append("")
        notes.append(
            f"The game has {solution.total:,} extreme equilibria; {len(solution.equilibria):,} "
            "are listed (a limit: --limit, or limit= in Python). Components are numbered over "
            "all of them."
        )
    elif not solution.complete:
        notes.append("")
        notes.append(f"Method {solution.method} finds one equilibrium, not all of them.")
    if not solution.exact:
        notes.append("")
        notes.append("Floating-point results, verified as best responses within 1e-9 (relative).")
    return notes


def _explanation(solution: BimatrixSolution) -> list[str]:
    """Why each equilibrium is one: each player's payoff against the other's mix."""
    game = solution.game
    A, B = solution.payoff_matrices
    exact = solution.exact
    lines = [""]
    for index, e in enumerate(solution.equilibria, start=1):
        lines.append(f"Equilibrium {index}:")
        row_values = [sum(a * q for a, q in zip(A_i, e.column)) for A_i in A]
        column_values = [
            sum(B[i][j] * e.row[i] for i in range(len(e.row))) for j in range(len(e.column))
        ]
        for player, labels, values, mix in (
            (game.players[0], game.row_strategies, row_values, e.row),
            (game.players[1], game.column_strategies, column_values, e.column),
        ):
            best = max(values)
            parts = ", ".join(
                f"{label} {_number(v if exact else float(v), exact)}"
                for label, v in zip(labels, values)
            )
            played = [label for label, p in zip(labels, mix) if p != 0]
            lines.append(
                f"  {player} earns {parts} against the other's strategy; "
                f"the best is {_number(best if exact else float(best), exact)}, "
                f"and {player} plays only best replies ({', '.join(played)})."
            )
    return lines


def latex(solution: BimatrixSolution) -> str:
    r"""A LaTeX tabular of the equilibria, ready to paste.

    Examples
    --------
    >>> from credibility import Bimatrix
    >>> from credibility.solvers.nash import solve_bimatrix
    >>> game = Bimatrix.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    >>> print(latex(solve_bimatrix(game)))  # doctest: +ELLIPSIS
    % credibility: game: Nash equilibria
    % A tabular for a document whose preamble has \usepackage{amsmath} (see docs/latex.md).
    \begin{tabular}{rllrrl}
    \hline
    \# & Row & Column & $u_{\text{Row}}$ & $u_{\text{Column}}$ & kind \\
    ...
    \end{tabular}
    """
    game = solution.game
    exact = solution.exact

    def number(value: Fraction | float) -> str:
        if exact and isinstance(value, Fraction) and value.denominator != 1:
            sign = "-" if value < 0 else ""
            return f"${sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}$"
        return f"${_number(value, exact)}$"

    def strategy(labels: tuple[str, ...], mix: tuple) -> str:
        support = [(label, p) for label, p in zip(labels, mix) if p != 0]
        if len(support) == 1:
            return latex_escape(support[0][0])
        return ", ".join(f"{latex_escape(label)} {number(p)}" for label, p in support)

    row_player, column_player = (latex_escape(p) for p in game.players)
    lines = [
        *latex_header(f"{game.info.label}: Nash equilibria"),
        r"\begin{tabular}{rllrrl}",
        r"\hline",
        f"\\# & {row_player} & {column_player} & $u_{{\\text{{{row_player}}}}}$ & "
        f"$u_{{\\text{{{column_player}}}}}$ & kind \\\\",
        r"\hline",
    ]
    for index, e in enumerate(solution.equilibria, start=1):
        lines.append(
            f"{index} & {strategy(game.row_strategies, e.row)} & "
            f"{strategy(game.column_strategies, e.column)} & {number(e.payoffs[0])} & "
            f"{number(e.payoffs[1])} & {_kind(e)} \\\\"
        )
    lines.append(r"\hline")
    if solution.parameters:
        from .conditions import latex_assignment  # lazy: start-up time (it loads sympy)

        items = [latex_assignment(name, value) for name, value in solution.parameters.items()]
        lines += latex_notes(6, "Parameters", items)
    if solution.total is not None:
        listed = f"{len(solution.equilibria):,} of the game's {solution.total:,} extreme equilibria"
        lines += latex_notes(6, "Listed", [listed])
    lines.append(r"\end{tabular}")
    return "\n".join(lines)
