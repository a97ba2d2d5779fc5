"""Text and LaTeX for the subgame-perfect equilibria of a game tree."""

from __future__ import annotations

from fractions import Fraction

from ..expressions import format_number
from ..solvers.backward import NodeChoice, TreeSolution
from .table import latex_escape, table

__all__ = ["latex", "text"]


def _node(path: str) -> str:
    return "the root" if path == "" else f"'{path}'"


def _values(values: tuple, exact: bool) -> str:
    return " or ".join(format_number(v, exact) for v in values)


def text(solution: TreeSolution, explain: bool = False) -> str:
    """The equilibria as a table, the threats that are not credible, and optionally the steps.

    Examples
    --------
    >>> import sympy
    >>> from credibility import GameTree, Move, Node
    >>> from credibility.solvers.backward import solve_tree
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
    Threats that are not credible:
      Incumbent would not Fight at 'In': once there, Accommodate gives 1, Fight only -1.
      Nash equilibria resting on this threat: (Out; Fight), (Out; 1/2 [Fight] + 1/2 [Accommodate]).
    """
    game = solution.game
    exact = solution.exact
    count = len(solution.equilibria)
    noun = "equilibrium" if count == 1 else "equilibria"
    arithmetic = "exact arithmetic" if exact else "floating point"
    lines = [f"{game.info.label}: {count} subgame-perfect {noun} ({arithmetic})"]
    if solution.parameters:
        lines.append(
            "Parameters: "
            + ", ".join(f"{n} = {format_number(v, exact)}" for n, v in solution.parameters.items())
        )
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
    lines += ["", table(header, rows)]
    lines += ["", *_threats(solution)]
    if explain:
        lines += ["", "Backward induction, from the last moves to the first:"]
        lines += [
            f"  {sentence}" for choice in solution.choices for sentence in _step(choice, solution)
        ]
    return "\n".join(lines).rstrip()


def _threats(solution: TreeSolution) -> list[str]:
    exact = solution.exact
    if solution.non_credible_threats is None:
        return [f"Note: {solution.note}."]
    if not solution.non_credible_threats:
        return [
            "Every Nash equilibrium of the strategic form is subgame perfect: "
            "no threat in it fails to be credible."
        ]
    lines = ["Threats that are not credible:"]
    for t in solution.non_credible_threats:
        lines.append(
            f"  {t.player} would not {t.threat} at {_node(t.node)}: once there, "
            f"{' or '.join(t.best)} gives {format_number(t.best_value, exact)}, "
            f"{t.threat} only {format_number(t.threat_value, exact)}."
        )
        lines.append(f"  Nash equilibria resting on this threat: {', '.join(t.equilibria)}.")
    return lines


def _step(choice: NodeChoice, solution: TreeSolution) -> list[str]:
    exact = solution.exact
    players = solution.game.players
    if choice.mover == "chance":
        terms = []
        for (move, payoffs), weight in zip(choice.options, choice.probabilities):
            shown = " or ".join(_pair(pair, exact) for pair in payoffs)
            terms.append(f"{move} with probability {format_number(weight, exact)} gives {shown}")
        expected = tuple(
            sum(
                (
                    w * payoffs[0][i]
                    for (_, payoffs), w in zip(choice.options, choice.probabilities)
                ),
                Fraction(0),
            )
            for i in (0, 1)
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
    """A LaTeX tabular of the subgame-perfect equilibria: path, actions and payoffs."""
    game = solution.game
    nodes = [node.path for node in game.decision_nodes()]
    columns = ["path", *(path or "root" for path in nodes), *game.players]
    lines = [
        r"\begin{tabular}{" + "l" * len(columns) + "}",
        r"\hline",
        " & ".join(latex_escape(c) for c in columns) + r" \\",
        r"\hline",
    ]
    for e in solution.equilibria:
        cells = [latex_escape(e.outcome), *(latex_escape(e.actions[p]) for p in nodes)]
        cells += [_latex_number(v, solution.exact) for v in e.payoffs]
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\hline", r"\end{tabular}"]
    return "\n".join(lines)


def _latex_number(value: Fraction, exact: bool) -> str:
    if exact and isinstance(value, Fraction) and value.denominator != 1:
        sign = "-" if value < 0 else ""
        return f"${sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}$"
    return f"${format_number(value, exact)}$"
