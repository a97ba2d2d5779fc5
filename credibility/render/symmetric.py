"""Text, LaTeX and HTML for the symmetric equilibria of a symmetric n-player game.

One line per equilibrium: its label, ``p`` (exact, then a decimal), the probability that the
alliance answers and each member's expected payoff; then the closed form in ``n`` where the
solver found one, and the note that asymmetric equilibria are not listed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..expressions import format_number
from ..models.symmetric import SymmetricGame
from ..solvers.symmetric import SymmetricSolution, decimal
from .table import latex_escape, latex_header, latex_notes
from .terminal import Style, wrap

__all__ = ["html", "latex", "payoff_lines", "payoffs_dict", "text"]

#: Exact values longer than this are shown by their decimal only in text and LaTeX.
SHORT = 60


def _heading(solution: SymmetricSolution) -> list[str]:
    game = solution.game
    count = len(solution.equilibria)
    noun = "equilibrium" if count == 1 else "equilibria"
    lines = [
        f"{game.info.label}: {count} symmetric {noun} (n = {solution.n} members, "
        f"actions {' / '.join(game.actions)}, exact arithmetic)"
    ]
    if solution.parameters:
        values = ", ".join(f"{k} = {format_number(v)}" for k, v in solution.parameters.items())
        lines.append(f"Parameters: {values}")
    return lines


def _exact(value: Any) -> str:
    shown = str(value)
    return shown if len(shown) <= SHORT else ""


def _value(value: Any) -> str:
    """``exact ~ decimal`` (the decimal alone when the exact form is long or equal)."""
    exact, approx = _exact(value), decimal(value)
    if not exact or exact == approx:
        return approx
    return f"{exact} ~ {approx}"


def _answer_phrase(solution: SymmetricSolution) -> str:
    m = solution.answer_at_least
    first = solution.game.actions[0]
    return f"P(at least {m} member{'s' if m != 1 else ''} {first})"


def text(solution: SymmetricSolution, explain: bool = False, style: Style | None = None) -> str:
    """A heading, one line per symmetric equilibrium, the closed form and the note.

    Examples
    --------
    >>> import credibility as cr
    >>> print(text(cr.solve(cr.load("collective_defence_n"), {"n": 2})))
    Collective defence in an alliance of n members (volunteer's dilemma): 1 symmetric
      equilibrium (n = 2 members, actions Defend / Abstain, exact arithmetic)
    Parameters: n = 2, b = 4, c = 1
    <BLANKLINE>
      1  mixed: p = 3/4, P(at least 1 member Defend) = 15/16, payoff 3
    <BLANKLINE>
    Closed form in n: p* = 1 - (c/b)**(1/(n - 1)); answer = 1 - (c/b)**(n/(n - 1))
    <BLANKLINE>
    Symmetric equilibria only: asymmetric equilibria (e.g. exactly one member defends)
      exist too and are not listed; the normal kind enumerates pure ones for a fixed n.
    """
    style = style or Style()
    lines = [*_heading(solution), ""]
    if solution.every_p:
        lines.append("  Every p is an equilibrium: the two actions tie whatever the others do.")
    width = len(str(len(solution.equilibria)))
    for index, e in enumerate(solution.equilibria, start=1):
        lines.append(
            f"  {index:>{width}}  {e.label}: p = {_value(e.p)}, "
            f"{_answer_phrase(solution)} = {_value(e.answer)}, payoff {_value(e.payoff)}"
        )
    if explain:
        lines += [
            "",
            "D(p) = sum_k C(n-1,k) p^k (1-p)^(n-1-k) d(k), with d(k) the gain of "
            f"{solution.game.actions[0]} when k others choose it: "
            + ", ".join(format_number(x) for x in solution.differences[:12])
            + (" ..." if len(solution.differences) > 12 else "")
            + ". A mixed equilibrium is a root of D in (0, 1), verified exactly; all "
            f"{solution.game.actions[0]} needs d(n-1) >= 0, all "
            f"{solution.game.actions[1]} needs d(0) <= 0.",
        ]
    if solution.closed_form:
        parts = [f"{name} = {expr}" for name, expr in solution.closed_form.items()]
        lines += ["", "Closed form in n: " + "; ".join(parts)]
    lines += ["", solution.note]
    return wrap("\n".join(lines), style.width)


def html(solution: SymmetricSolution) -> str:
    """The text's heading, a table of the equilibria and the note, as HTML (a notebook table)."""
    from .display import html_page  # lazy: start-up time

    header = ["#", "equilibrium", "p", "p (decimal)", _answer_phrase(solution), "payoff"]
    rows = [
        [str(i), e.label, _exact(e.p), decimal(e.p), decimal(e.answer), decimal(e.payoff)]
        for i, e in enumerate(solution.equilibria, start=1)
    ]
    notes = [f"{k} = {v}" for k, v in solution.closed_form.items()] + [solution.note]
    return html_page(_heading(solution), (header, rows), notes)


def latex(solution: SymmetricSolution) -> str:
    r"""A LaTeX tabular of the symmetric equilibria.

    Examples
    --------
    >>> import credibility as cr
    >>> print(latex(cr.solve(cr.load("collective_defence_n"), {"n": 2})))  # doctest: +ELLIPSIS
    % credibility: ...
    ...
    1 & mixed & $\frac{3}{4}$ & $\frac{15}{16}$ & $3$ \\
    ...
    """
    import sympy  # lazy: start-up time

    def cell(value: Any) -> str:
        if len(str(value)) <= SHORT:
            return f"${sympy.latex(value)}$"
        return f"${decimal(value)}$"

    game = solution.game
    lines = [
        *latex_header(f"{game.info.label}: symmetric equilibria, n = {solution.n}"),
        r"\begin{tabular}{rllll}",
        r"\hline",
        r"\# & equilibrium & $p$ & $P(\text{answer})$ & payoff \\",
        r"\hline",
    ]
    for index, e in enumerate(solution.equilibria, start=1):
        cells = [str(index), latex_escape(e.label), cell(e.p), cell(e.answer), cell(e.payoff)]
        lines.append(" & ".join(cells) + r" \\")
    lines.append(r"\hline")
    if solution.parameters:
        from .conditions import latex_assignment  # lazy: start-up time (it loads sympy)

        items = [latex_assignment(name, value) for name, value in solution.parameters.items()]
        lines += latex_notes(5, "Parameters", items)
    if solution.closed_form:
        items = [f"${latex_escape(k)} = {sympy.latex(v)}$" for k, v in solution.closed_form.items()]
        lines += latex_notes(5, "Closed form", items)
    lines += latex_notes(5, "Note", ["symmetric equilibria only (asymmetric ones not listed)"])
    lines.append(r"\end{tabular}")
    return "\n".join(lines)


def payoff_lines(game: SymmetricGame, shown: Callable[[Any], str]) -> list[str]:
    """``credibility show``: the number of players, the actions and each action's payoff."""
    first = game.actions[0]
    lines = [
        f"Players: {game.count} members, each choosing {first} or {game.actions[1]}",
        f"k = the number of the other members who choose {first}",
    ]
    if game.answer_at_least != 1:
        lines.append(f"The alliance answers when at least {shown(game.answer_at_least)} {first}")
    lines += ["", "Payoffs:"]
    for action, payoff in zip(game.actions, game.payoffs):
        text = shown(payoff.base)
        for step in payoff.steps:
            text += f" + ({shown(step.add)} if k >= {shown(step.at_least)})"
        lines.append(f"  {action}: {text}")
    return lines


def payoffs_dict(game: SymmetricGame) -> dict[str, Any]:
    """``credibility show --format json``: the count, the actions and each action's payoff."""
    return {
        "count": str(game.count),
        "actions": list(game.actions),
        "answer_at_least": str(game.answer_at_least),
        "payoffs": {
            action: {
                "base": str(payoff.base),
                "steps": [{"at_least": str(s.at_least), "add": str(s.add)} for s in payoff.steps],
            }
            for action, payoff in zip(game.actions, game.payoffs)
        },
    }
