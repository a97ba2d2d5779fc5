"""Text and LaTeX for the subgame-perfect equilibria of a game tree."""

from __future__ import annotations

from fractions import Fraction
from typing import cast

from ..expressions import format_number
from ..solvers.subgame_perfect import NodeChoice, TreeSolution
from .display import html_page
from .table import latex_escape, latex_header, latex_notes, table
from .terminal import Style, wrap

__all__ = ["html", "latex", "text"]


def _node(path: str) -> str:
    return "the root" if path == "" else f"'{path}'"


def _values(values: tuple, exact: bool) -> str:
    return " or ".join(format_number(v, exact) for v in values)


_LEGEND = (
    "path: the moves played; each other column: the move chosen at a decision node, "
    "named by the moves that lead to it."
)


def text(solution: TreeSolution, explain: bool = False, style: Style | None = None) -> str:
    """The equilibria as a table, the threats that are not credible, and optionally the steps.

    Lines are wrapped to the style's width (80 columns by default); a table too
    wide for it folds into one block per equilibrium.

    Examples
    --------
    >>> import sympy
    >>> from credibility import GameTree, Move, Node
    >>> from credibility.solvers.subgame_perfect import solve_tree
    >>> leaf = lambda path, a, b: Node(path, payoffs=(sympy.Integer(a), sympy.Integer(b)))
    >>> entry = Node("In", player="Incumbent",
    ...              moves=(Move("Fight", leaf("In/Fight", -1, -1)),
    ...                     Move("Accommodate", leaf("In/Accommodate", 1, 1))))
    >>> tree = GameTree(("Entrant", "Incumbent"),
    ...                 Node("", player="Entrant",
    ...                      moves=(Move("Out", leaf("Out", 0, 2)), Move("In", entry))))
    >>> print(text(solve_tree(tree)))
    game: 1 subgame-perfect equilibrium (exact arithmetic)
    <BLANKLINE>
      #  path              root  In           payoff Entrant  payoff Incumbent
      -  ----------------  ----  -----------  --------------  ----------------
      1  In > Accommodate  In    Accommodate  1               1
    <BLANKLINE>
    path: the moves played; each other column: the move chosen at a decision
      node, named by the moves that lead to it.
    <BLANKLINE>
    Threats that are not credible:
      Incumbent would not Fight at 'In': once there, Accommodate gives 1, Fight
        only -1.
      Nash equilibria resting on this threat: (Out; Fight), (Out; 1/2 [Fight] +
        1/2 [Accommodate]).
    """
    style = style or Style()
    lines = _heading(solution)
    header, rows = _table(solution)
    shown = table(
        header,
        rows,
        width=style.width,
        title=lambda row: f"Equilibrium {row[0]}: {row[1]}",
        in_title=(0, 1),
    )
    lines += ["", shown, "", _LEGEND]
    lines += ["", *_threats(solution)]
    if explain:
        lines += ["", "Backward induction, from the last moves to the first:"]
        lines += [
            f"  {sentence}" for choice in solution.choices for sentence in _step(choice, solution)
        ]
    return wrap("\n".join(lines).rstrip(), style.width)


def html(solution: TreeSolution) -> str:
    """The text's heading, table and threats as HTML (:mod:`credibility.render.display`)."""
    return html_page(_heading(solution), _table(solution), _LEGEND, _threats(solution))


def _heading(solution: TreeSolution) -> list[str]:
    """The title line (how many equilibria) and the parameter values."""
    game, exact = solution.game, solution.exact
    count = len(solution.equilibria)
    noun = "equilibrium" if count == 1 else "equilibria"
    arithmetic = "exact arithmetic" if exact else "floating point"
    lines = [f"{game.info.label}: {count} subgame-perfect {noun} ({arithmetic})"]
    if solution.parameters:
        lines.append(
            "Parameters: "
            + ", ".join(f"{n} = {format_number(v, exact)}" for n, v in solution.parameters.items())
        )
    return lines


def _table(solution: TreeSolution) -> tuple[list[str], list[list[str]]]:
    """The equilibria's table: path, the move at each decision node, payoffs."""
    game, exact = solution.game, solution.exact
    nodes = [node.path for node in game.decision_nodes()]
    header = ["#", "path", *(path or "root" for path in nodes)]
    header += [f"payoff {player}" for player in game.players]
    rows = [
        [
            str(i),
            e.outcome,
            *(e.actions[path] for path in nodes),
            *(format_number(v, exact) for v in e.payoffs),
        ]
        for i, e in enumerate(solution.equilibria, 1)
    ]
    return header, rows


def _threats(solution: TreeSolution) -> list[str]:
    exact = solution.exact
    if solution.non_credible_threats is None:
        return [f"Note: {solution.note}."]
    # Three or more players: the strategic form's pure equilibria only (the note says so).
    pure = [f"Note: {solution.note}."] if solution.note else []
    if not solution.non_credible_threats:
        return [
            "Every Nash equilibrium of the strategic form is subgame perfect: "
            "no threat in it fails to be credible.",
            *pure,
        ]
    lines = ["Threats that are not credible:"]
    for t in solution.non_credible_threats:
        lines.append(
            f"  {t.player} would not {t.threat} at {_node(t.node)}: once there, "
            f"{' or '.join(t.best)} gives {format_number(t.best_value, exact)}, "
            f"{t.threat} only {format_number(t.threat_value, exact)}."
        )
        lines.append(f"  Nash equilibria resting on this threat: {', '.join(t.equilibria)}.")
    return lines + pure


def _step(choice: NodeChoice, solution: TreeSolution) -> list[str]:
    exact = solution.exact
    players = solution.game.players
    if choice.mover == "chance":
        terms = []
        for (move, payoffs), weight in zip(choice.options, choice.probabilities):
            shown = " or ".join(
                _pair(cast("tuple[Fraction, ...]", pair), exact) for pair in payoffs
            )
            terms.append(f"{move} with probability {format_number(weight, exact)} gives {shown}")
        expected = tuple(
            sum(
                (
                    w * cast("tuple[Fraction, ...]", payoffs[0])[i]
                    for (_, payoffs), w in zip(choice.options, choice.probabilities)
                ),
                Fraction(0),
            )
            for i in range(len(players))
        )
        return [
            f"At {_node(choice.node)} chance decides: {'; '.join(terms)}. "
            f"Expected payoffs ({', '.join(players)}): {_pair(expected, exact)}."
        ]
    options = ", ".join(f"{move} {_values(values, exact)}" for move, values in choice.options)
    chosen = " or ".join(choice.chosen)
    tie = (
        " (indifferent: each starts a subgame-perfect equilibrium)"
        if len(choice.chosen) > 1
        else ""
    )
    return [
        f"At {_node(choice.node)} {choice.mover} compares {options}, and chooses {chosen}{tie}."
    ]


def _pair(values: tuple, exact: bool) -> str:
    return "(" + ", ".join(format_number(v, exact) for v in values) + ")"


def latex(solution: TreeSolution) -> str:
    r"""A LaTeX tabular of the subgame-perfect equilibria, the threats that are not credible
    and the parameter values.

    Examples
    --------
    >>> import credibility as cr
    >>> print(latex(cr.solve(cr.load("entry_deterrence"))))  # doctest: +ELLIPSIS
    % credibility: Entry deterrence (chain store, one market): subgame-perfect equilibria
    % A tabular for a document whose preamble has \usepackage{amsmath} (see docs/latex.md).
    \begin{tabular}{lllll}
    \hline
    path & root & In & Entrant & Incumbent \\
    \hline
    In \textgreater{} Accommodate & In & Accommodate & $1$ & $1$ \\
    \hline
    \multicolumn{5}{l}{Threats that are not credible:} \\
    \multicolumn{5}{l}{\quad Incumbent would not Fight at In: Accommodate gives $1$, ...} \\
    \hline
    \multicolumn{5}{l}{Parameters: $m = 4$, $p = 1$, $q = 1$, $f = 1$} \\
    \multicolumn{5}{l}{\quad $w = 1$, $r = 0$} \\
    \end{tabular}
    """
    game = solution.game
    nodes = [node.path for node in game.decision_nodes()]
    columns = ["path", *(path or "root" for path in nodes), *game.players]
    lines = [
        *latex_header(f"{game.info.label}: subgame-perfect equilibria"),
        r"\begin{tabular}{" + "l" * len(columns) + "}",
        r"\hline",
        " & ".join(latex_escape(c) for c in columns) + r" \\",
        r"\hline",
    ]
    for e in solution.equilibria:
        cells = [latex_escape(e.outcome), *(latex_escape(e.actions[p]) for p in nodes)]
        cells += [_latex_number(v, solution.exact) for v in e.payoffs]
        lines.append(" & ".join(cells) + r" \\")
    lines.append(r"\hline")
    span = len(columns)
    threats = solution.non_credible_threats
    if threats is None:
        lines += latex_notes(span, "Note", [latex_escape(solution.note)], spec=r"p{0.9\linewidth}")
    elif not threats:
        lines += latex_notes(span, "Threats that are not credible", ["none"])
        if solution.note:
            lines += latex_notes(
                span, "Note", [latex_escape(solution.note)], spec=r"p{0.9\linewidth}"
            )
    else:
        lines += [f"\\multicolumn{{{span}}}{{l}}{{Threats that are not credible:}} \\\\"]
        for t in threats:
            node = "the root" if t.node == "" else latex_escape(t.node)
            best = " or ".join(latex_escape(b) for b in t.best)
            lines.append(
                f"\\multicolumn{{{span}}}{{l}}{{\\quad {latex_escape(t.player)} would not "
                f"{latex_escape(t.threat)} at {node}: {best} gives "
                f"{_latex_number(t.best_value, solution.exact)}, {latex_escape(t.threat)} only "
                f"{_latex_number(t.threat_value, solution.exact)}.}} \\\\"
            )
        if solution.note:
            lines += latex_notes(
                span, "Note", [latex_escape(solution.note)], spec=r"p{0.9\linewidth}"
            )
    lines.append(r"\hline")
    if solution.parameters:
        from .conditions import latex_assignment  # lazy: start-up time (it loads sympy)

        items = [latex_assignment(name, value) for name, value in solution.parameters.items()]
        lines += latex_notes(span, "Parameters", items)
    lines.append(r"\end{tabular}")
    return "\n".join(lines)


def _latex_number(value: Fraction, exact: bool) -> str:
    if exact and isinstance(value, Fraction) and value.denominator != 1:
        sign = "-" if value < 0 else ""
        return f"${sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}$"
    return f"${format_number(value, exact)}$"
