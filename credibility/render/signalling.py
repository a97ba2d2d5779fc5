"""Text and LaTeX for the perfect Bayesian equilibria of a signalling game."""

from __future__ import annotations

from fractions import Fraction

from ..expressions import format_number
from ..solvers.pbe import SignallingEquilibrium, SignallingSolution
from ..solvers.pbe_bound import BoundSignallingGame
from .conditions import latex_assignment
from .display import html_page
from .table import latex_escape, latex_header, latex_notes, table, table_width
from .terminal import ASCII, UNICODE, Notation, Style, wrap

__all__ = ["html", "latex", "text"]


def _mix(labels: tuple[str, ...], row: tuple[Fraction, ...], exact: bool) -> str:
    """``Mobilise`` for a pure choice, ``Mobilise 1/3, Stand pat 2/3`` for a mixed one."""
    support = [(label, p) for label, p in zip(labels, row) if p != 0]
    if len(support) == 1:
        return support[0][0]
    return ", ".join(f"{label} {format_number(p, exact)}" for label, p in support)


def _response(
    labels: tuple[str, ...],
    e: SignallingEquilibrium,
    m: int,
    exact: bool,
    notation: Notation = UNICODE,
) -> str:
    """The response after ``m``; off the path, every response that keeps the equilibrium.

    ``Duel ≥ 1/2`` when the receiver may duel with any probability from 1/2
    to 1 after an unsent message (``any response`` from 0 to 1); otherwise
    the least and greatest probability of each response, ``Duel 1/4..3/4``.
    """
    ranges = e.response_ranges(m) if m in e.off_path else ()
    if all(low == high for low, high in ranges):
        return _mix(labels, e.receiver[m], exact)
    certain = [(label, low) for label, (low, high) in zip(labels, ranges) if high == 1]
    if len(labels) == 2 and certain:
        label, low = certain[0]
        return "any response" if low == 0 else f"{label} {notation.ge} {format_number(low, exact)}"
    return ", ".join(
        f"{label} {format_number(low, exact)}..{format_number(high, exact)}"
        for label, (low, high) in zip(labels, ranges)
        if high > 0
    )


def _belief(solution: SignallingSolution, e: SignallingEquilibrium, m: int) -> str:
    """The belief after ``m``: P(first type) for two types, the whole vector otherwise."""
    form, exact = solution.form, solution.exact
    if len(form.types) == 2:
        if m in e.off_path:
            low, high = e.belief_range(m)
            if low == high:
                return f"off: {format_number(low, exact)}"
            return f"off: [{format_number(low, exact)}, {format_number(high, exact)}]"
        return format_number(e.beliefs[m][0], exact)
    shown = _mix(form.types, e.beliefs[m], exact)
    return f"off: {shown}" if m in e.off_path else shown


_CLASSES = {
    "separating": "separating: each type sends its own message",
    "pooling": "pooling: every type sends the same message",
    "partially pooling": "partially pooling: some types, not all, send the same message",
    "semi-separating": "semi-separating: some type mixes between messages",
}


def _legend(rows: list[list[str]], notation: Notation) -> str:
    """One sentence on the labels that appear in the equilibria's table."""
    classes = {row[1] for row in rows}
    parts = [text for kind, text in _CLASSES.items() if kind in classes]
    parts.append(
        "intuitive, D1: whether it survives Cho & Kreps's intuitive criterion and criterion D1"
    )
    cells = [cell for row in rows for cell in row[2:]]
    ranged = next((cell for cell in cells if f" {notation.ge} " in cell), None)
    if ranged is not None:
        response, low = ranged.split(f" {notation.ge} ")
        parts.append(
            f"'{ranged}' after a message nobody sends: {response} with any probability from "
            f"{low} up keeps the equilibrium"
        )
    if "any response" in cells:
        parts.append("'any response': every response to it keeps the equilibrium")
    return "; ".join(parts) + "."


def text(solution: SignallingSolution, explain: bool = False, style: Style | None = None) -> str:
    """Tables of the equilibria (strategies, payoffs, beliefs) and notes; ``explain`` adds the why.

    Lines are wrapped to the style's width (80 columns by default); a table too
    wide for it folds into one block per equilibrium.

    Examples
    --------
    >>> from credibility.solvers.pbe import solve_signalling
    >>> from credibility.io.toml_loader import parse_toml
    >>> game = parse_toml('''
    ... kind = "signalling"
    ... title = "Beer-quiche"
    ... players = ["Sender", "Receiver"]
    ... messages = ["Beer", "Quiche"]
    ... responses = ["Duel", "Not"]
    ... [types.Strong]
    ... prior = 0.9
    ... payoffs = {Beer = {Duel = [1, 0], Not = [3, 1]}, Quiche = {Duel = [0, 0], Not = [2, 1]}}
    ... [types.Weak]
    ... prior = 0.1
    ... payoffs = {Beer = {Duel = [0, 1], Not = [2, 0]}, Quiche = {Duel = [1, 1], Not = [3, 0]}}
    ... ''')
    >>> print(text(solve_signalling(game)))  # doctest: +ELLIPSIS
    Beer-quiche: 2 perfect Bayesian equilibria (exact arithmetic; pure and mixed
      strategies)
    <BLANKLINE>
      Equilibrium 1 (pooling; intuitive yes, D1 yes)
        sends     Strong: Beer; Weak: Beer
        responds  Not after Beer; Duel ≥ 1/2 after Quiche
        payoffs   Strong 3, Weak 2, Receiver 9/10
    <BLANKLINE>
      Equilibrium 2 (pooling; intuitive no, D1 no)
        sends     Strong: Quiche; Weak: Quiche
        responds  Duel ≥ 1/2 after Beer; Not after Quiche
        payoffs   Strong 2, Weak 3, Receiver 9/10
    <BLANKLINE>
    pooling: every type sends the same message; intuitive, D1: whether it survives
      Cho & Kreps's intuitive criterion and criterion D1; 'Duel ≥ 1/2' after a
      message nobody sends: Duel with any probability from 1/2 up keeps the
      equilibrium.
    <BLANKLINE>
    Beliefs: P(Strong | message) after each message; ...
      #  after Beer     after Quiche
      -  -------------  -------------
      1  9/10           off: [0, 1/2]
      2  off: [0, 1/2]  9/10
    <BLANKLINE>
    Strategic form (4 x 4): 4 extreme Nash equilibria ...
    """
    style = style or Style()
    notation = style.notation
    lines = [*_heading(solution), ""]
    header, rows = _table(solution, notation)
    if table_width(header, rows) <= style.width:
        lines.append(table(header, rows, width=style.width))
    else:
        lines.append(_blocks(solution, rows))
    if solution.equilibria:
        lines += ["", _legend(rows, notation)]
        lines += ["", _beliefs_heading(solution)]
        lines.append(
            table(
                *_belief_table(solution),
                width=style.width,
                title=lambda row: f"Equilibrium {row[0]}",
            )
        )
    lines.extend(_notes(solution))
    if explain:
        for index, e in enumerate(solution.equilibria, start=1):
            lines.extend(_explanation(solution, index, e, notation))
    return wrap("\n".join(lines), style.width)


def html(solution: SignallingSolution) -> str:
    """The text's heading, tables and notes as HTML (:mod:`credibility.render.display`)."""
    header, rows = _table(solution)
    if not solution.equilibria:
        return html_page(_heading(solution), (header, rows), _notes(solution))
    return html_page(
        _heading(solution),
        (header, rows),
        _legend(rows, UNICODE),
        _beliefs_heading(solution),
        _belief_table(solution),
        _notes(solution),
    )


def _heading(solution: SignallingSolution) -> list[str]:
    """The title line (how many equilibria, how found) and the parameter values."""
    count = len(solution.equilibria)
    noun = "equilibrium" if count == 1 else "equilibria"
    arithmetic = "exact arithmetic" if solution.exact else "decimals"
    scope = "pure and mixed strategies" if solution.complete else "pure strategies only"
    lines = [f"{solution.game.info.label}: {count} perfect Bayesian {noun} ({arithmetic}; {scope})"]
    if solution.parameters:
        values = ", ".join(f"{k} = {format_number(v)}" for k, v in solution.parameters.items())
        lines.append(f"Parameters: {values}")
    return lines


def _table(
    solution: SignallingSolution, notation: Notation = UNICODE
) -> tuple[list[str], list[list[str]]]:
    """The equilibria's table: class, what each type sends, the responses, payoffs, tests."""
    form, exact = solution.form, solution.exact
    header = [
        "#",
        "class",
        *form.types,
        *(f"after {m}" for m in form.messages),
        *(f"payoff {t}" for t in form.types),
        f"payoff {solution.game.receiver}",
        "intuitive",
        "D1",
    ]
    rows = [
        [
            str(index),
            e.equilibrium_class,
            *(_mix(form.messages, row, exact) for row in e.sender),
            *(_response(form.responses, e, m, exact, notation) for m in range(len(e.receiver))),
            *(format_number(u, exact) for u in e.payoffs),
            "yes" if e.intuitive else "no",
            "yes" if e.d1 else "no",
        ]
        for index, e in enumerate(solution.equilibria, start=1)
    ]
    return header, rows


def _beliefs_heading(solution: SignallingSolution) -> str:
    form = solution.form
    what = f"P({form.types[0]} | message)" if len(form.types) == 2 else "the belief over types"
    return (
        f"Beliefs: {what} after each message; 'off' marks a message nobody sends, "
        "with the beliefs that support a response to it that keeps the equilibrium."
    )


def _belief_table(solution: SignallingSolution) -> tuple[list[str], list[list[str]]]:
    """The beliefs after each message, one row per equilibrium."""
    messages = solution.form.messages
    rows = [
        [str(i), *(_belief(solution, e, m) for m in range(len(messages)))]
        for i, e in enumerate(solution.equilibria, start=1)
    ]
    return ["#", *(f"after {m}" for m in messages)], rows


def _blocks(solution: SignallingSolution, rows: list[list[str]]) -> str:
    """The equilibria's table folded for a narrow terminal: one block of four lines each."""
    form = solution.form
    k, n = len(form.types), len(form.messages)
    blocks = []
    for row in rows:
        sends = row[2 : 2 + k]
        responds = row[2 + k : 2 + k + n]
        payoffs = row[2 + k + n : 3 + 2 * k + n]
        players = [*form.types, solution.game.receiver]
        blocks.append(
            "\n".join(
                [
                    f"  Equilibrium {row[0]} ({row[1]}; intuitive {row[-2]}, D1 {row[-1]})",
                    "    sends     " + "; ".join(f"{t}: {m}" for t, m in zip(form.types, sends)),
                    "    responds  "
                    + "; ".join(f"{r} after {m}" for m, r in zip(form.messages, responds)),
                    "    payoffs   " + ", ".join(f"{p} {u}" for p, u in zip(players, payoffs)),
                ]
            )
        )
    return "\n\n".join(blocks)


def _notes(solution: SignallingSolution) -> list[str]:
    notes = []
    for members in solution.components:
        if len(members) > 1:
            listed = ", ".join(str(i + 1) for i in members)
            notes += [
                "",
                f"Equilibria {listed} are the extreme points of one continuum: "
                "their mixtures are equilibria too.",
            ]
    shown = {e.equilibrium_class for e in solution.equilibria}
    inside = [kind for kind in solution.classes if kind not in shown]
    if inside:
        notes += [
            "",
            f"Inside the continua there are {' and '.join(inside)} equilibria too "
            f"(classes present: {', '.join(solution.classes)}).",
        ]
    if not solution.complete:
        notes += ["", "The game is too large to enumerate mixed equilibria: pure ones only."]
    harsanyi = solution.harsanyi
    notes.append("")
    size = f"{harsanyi.sender_strategies} x {harsanyi.receiver_strategies}"
    if harsanyi.skipped:
        notes.append(f"Strategic form ({size}) not solved: {harsanyi.skipped}.")
        return notes
    failing = harsanyi.not_perfect_bayesian
    notes.append(
        f"Strategic form ({size}): {harsanyi.nash_equilibria} extreme Nash equilibria "
        f"(as behaviour strategies), {len(failing)} of them not perfect Bayesian."
    )
    form, exact = solution.form, solution.exact
    for (sigma, rho), reasons in failing:
        sender = "; ".join(
            f"{t} {_mix(form.messages, row, exact)}" for t, row in zip(form.types, sigma)
        )
        responses = "; ".join(
            f"{m} -> {_mix(form.responses, row, exact)}" for m, row in zip(form.messages, rho)
        )
        notes.append(f"  {sender} | {responses}: {'; '.join(reasons)}")
    return notes


def _explanation(
    solution: SignallingSolution,
    index: int,
    e: SignallingEquilibrium,
    notation: Notation = UNICODE,
) -> list[str]:
    """Bayes' rule on the path, the receiver's and each type's comparisons, the off-path beliefs."""
    form, exact = solution.form, solution.exact
    receiver = solution.game.receiver

    def num(value: Fraction) -> str:
        return format_number(value, exact)

    lines = ["", f"Equilibrium {index} ({e.equilibrium_class}):"]
    for m, message in enumerate(form.messages):
        if m in e.off_path:
            continue
        terms = [f"{num(form.prior[t])} x {num(e.sender[t][m])}" for t in range(len(form.types))]
        total = " + ".join(terms)
        posterior = ", ".join(
            f"P({t} | {message}) = {terms[i]} / ({total}) = {num(e.beliefs[m][i])}"
            for i, t in enumerate(form.types)
        )
        lines.append(
            f"  Bayes' rule after {message} (prior x probability of sending it): {posterior}."
        )
        lines.append("    " + _receiver_comparison(solution, e, m))
    for m in e.off_path:
        message = form.messages[m]
        corners = e.belief_vertices[m]
        if len(form.types) == 2:
            low, high = e.belief_range(m)
            where = f"P({form.types[0]} | {message})"
            if low == high:
                where += f" is exactly {num(low)}"
            else:
                where += f" lies in [{num(low)}, {num(high)}]"
        else:
            listed = "; ".join(_mix(form.types, c, exact) for c in corners)
            where = f"the belief lies in the polytope with corners {listed}"
        lines.append(
            f"  Nobody sends {message}, so Bayes' rule says nothing there: the responses "
            f"that keep the equilibrium ({_response(form.responses, e, m, exact, notation)}) "
            "include a "
            f"best reply for {receiver} exactly when {where}. With the belief "
            f"{_mix(form.types, e.beliefs[m], exact)}:"
        )
        lines.append("    " + _receiver_comparison(solution, e, m))
    for t, name in enumerate(form.types):
        values = [form.value(t, m, e.receiver[m]) for m in range(len(form.messages))]
        listed = ", ".join(f"{msg} {num(v)}" for msg, v in zip(form.messages, values))
        sent = _mix(form.messages, e.sender[t], exact)
        lines.append(
            f"  {name} expects {listed} from each message given {receiver}'s responses; "
            f"the best is {num(max(values))}, and it sends {sent}."
        )
    if e.off_path:
        verdict = "survives." if e.intuitive else f"fails: {e.intuitive_reason}"
        lines.append(f"  Intuitive criterion (Cho & Kreps 1987): {verdict}")
        verdict = "survives." if e.d1 else f"fails: {e.d1_reason}"
        lines.append(f"  Criterion D1 (Cho & Kreps 1987): {verdict}")
        for m, (intuitive, d1) in e.surviving_beliefs.items():
            message = form.messages[m]
            lines.append(
                f"  Beliefs after {message} may rest on {_types(form, intuitive)} under the "
                f"intuitive criterion, on {_types(form, d1)} under D1."
            )
    if e.continuum:
        lines.append("  It is an extreme point of a continuum of equilibria.")
    return lines


def _types(form: BoundSignallingGame, chosen: tuple[int, ...]) -> str:
    if len(chosen) == len(form.types):
        return "any type"
    return " or ".join(form.types[t] for t in chosen) + (" alone" if len(chosen) == 1 else "")


def _receiver_comparison(solution: SignallingSolution, e: SignallingEquilibrium, m: int) -> str:
    form, exact = solution.form, solution.exact
    values = [form.receiver_value(m, r, e.beliefs[m]) for r in range(len(form.responses))]
    listed = ", ".join(f"{r} {format_number(v, exact)}" for r, v in zip(form.responses, values))
    played = _mix(form.responses, e.receiver[m], exact)
    return (
        f"{solution.game.receiver} expects {listed} under these beliefs and plays {played} "
        "(only best replies)."
    )


def latex(solution: SignallingSolution) -> str:
    r"""A LaTeX tabular of the equilibria, ready to paste, with the parameter values.

    Off the path, a response that may be given with any probability from a bound
    up reads ``Duel $\ge$ 1/2``, as in the text output.

    Examples
    --------
    >>> from credibility.solvers.pbe import solve_signalling
    >>> from credibility.io.toml_loader import parse_toml
    >>> game = parse_toml('''
    ... kind = "signalling"
    ... players = ["S", "R"]
    ... messages = ["a", "b"]
    ... responses = ["x", "y"]
    ... [types.H]
    ... prior = 0.5
    ... payoffs = {a = {x = [1, 1], y = [0, 0]}, b = {x = [0, 0], y = [0, 0]}}
    ... [types.L]
    ... prior = 0.5
    ... payoffs = {a = {x = [1, 1], y = [0, 0]}, b = {x = [0, 0], y = [0, 0]}}
    ... ''')
    >>> print(latex(solve_signalling(game)).splitlines()[2])
    \begin{tabular}{rlllllrrrll}
    """
    form, exact = solution.form, solution.exact

    def number(value: Fraction) -> str:
        if exact and value.denominator != 1:
            sign = "-" if value < 0 else ""
            return f"${sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}$"
        return f"${format_number(value, exact)}$"

    def mix(labels: tuple[str, ...], row: tuple[Fraction, ...]) -> str:
        support = [(label, p) for label, p in zip(labels, row) if p != 0]
        if len(support) == 1:
            return latex_escape(support[0][0])
        return ", ".join(f"{latex_escape(label)} {number(p)}" for label, p in support)

    k, n = len(form.types), len(form.messages)
    columns = "rl" + "l" * (k + n) + "r" * (k + 1) + "ll"
    players = [latex_escape(t) for t in form.types] + [latex_escape(solution.game.receiver)]
    header = " & ".join(
        [
            r"\#",
            "class",
            *(latex_escape(t) for t in form.types),
            *(f"after {latex_escape(m)}" for m in form.messages),
            *(f"$u_{{\\text{{{p}}}}}$" for p in players),
            "intuitive",
            "D1",
        ]
    )

    def response(e: SignallingEquilibrium, m: int) -> str:
        shown = _response(form.responses, e, m, exact, ASCII)
        return r" $\ge$ ".join(latex_escape(part) for part in shown.split(f" {ASCII.ge} "))

    lines = [
        *latex_header(f"{solution.game.info.label}: perfect Bayesian equilibria"),
        f"\\begin{{tabular}}{{{columns}}}",
        r"\hline",
        header + r" \\",
        r"\hline",
    ]
    for index, e in enumerate(solution.equilibria, start=1):
        cells = [
            str(index),
            e.equilibrium_class,
            *(mix(form.messages, row) for row in e.sender),
            *(response(e, m) for m in range(len(e.receiver))),
            *(number(u) for u in e.payoffs),
            "yes" if e.intuitive else "no",
            "yes" if e.d1 else "no",
        ]
        lines.append(" & ".join(cells) + r" \\")
    lines.append(r"\hline")
    if solution.parameters:
        items = [latex_assignment(name, value) for name, value in solution.parameters.items()]
        lines += latex_notes(len(columns), "Parameters", items)
    lines.append(r"\end{tabular}")
    return "\n".join(lines)
