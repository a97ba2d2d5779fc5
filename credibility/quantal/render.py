"""Text and picture of a :class:`~credibility.quantal.result.QREResult` (no solving here)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..errors import CredibilityError
from ..render.table import table
from ..render.terminal import Style, wrap
from .result import QREResult, limit_profile

if TYPE_CHECKING:
    from ..models import Bimatrix, NormalForm, SignallingGame, SymmetricGame
    from ..solvers.nash import MixedEquilibrium
    from ..solvers.normal_nash import MixedProfile
    from ..solvers.pbe import SignallingEquilibrium
    from ..solvers.pure_nash import PureEquilibrium
    from ..solvers.symmetric import SymmetricEquilibrium

__all__ = ["plot_qre", "qre_text"]


def _probability(x: float) -> str:
    return f"{x:.4f}"


def _strategies(result: QREResult) -> tuple[tuple[str, ...], ...]:
    """Each player's strategy labels (bimatrix and normal-form games)."""
    game = result.game
    if game.kind == "normal":
        return cast("NormalForm", game).strategies
    bimatrix = cast("Bimatrix", game)  # not a tree: the caller checked
    return (bimatrix.row_strategies, bimatrix.column_strategies)


def qre_text(result: QREResult, style: Style | None = None) -> str:
    """A table: one row per ``lambda``, one column per outcome probability.

    Bimatrix and normal-form games then name the equilibrium the principal branch
    approaches: the exact one among those :func:`credibility.solve` finds, else (a
    normal-form game too large to enumerate) the branch's last point, numerically.
    Laid out by ``style`` (80 columns by default): a table too wide for it is turned, one
    row per outcome and a column per ``lambda``, in as many tables as needed. Any
    bifurcation point the branch passed is named.

    Examples
    --------
    >>> import credibility as cr
    >>> print(qre_text(cr.qre(cr.load("chicken"), [0, 2])))  # doctest: +ELLIPSIS
    Chicken (brinkmanship): logit quantal response equilibria (principal branch)
    Parameters: w_row = 1, l_row = -1, c_row = 5, w_column = 1, l_column = -1, c_column = 5
    Probability of each outcome (Row/Column):
      lambda  Swerve/Swerve  Swerve/Straight  Straight/Swerve  Straight/Straight
      ------  -------------  ---------------  ---------------  -----------------
      0       0.2500         0.2500           0.2500           0.2500
      2       0.5045         0.2058           0.2058           0.0839
    As lambda grows the branch selects the Nash equilibrium
      Row: Swerve 4/5, Straight 1/5; Column: Swerve 4/5, Straight 1/5 (payoffs -1/5, -1/5)
      (branch traced through ... points to lambda = ...)
    The branch passes a bifurcation point (lambda ... to ...): other branches of
      QRE cross it there, and it is followed straight on (the game is not generic;
      Gambit's tracer stops at the first).
    """
    style = style or Style()
    game = result.game
    tree = game.kind == "tree"
    signalling = game.kind == "signalling"
    what = {
        "tree": "agent QRE, one logit choice per decision node",
        "signalling": "agent QRE, one logit choice per type and per message; principal branch",
        "symmetric": "symmetric QRE, every member alike; principal branch",
    }.get(game.kind, "principal branch")
    lines = [f"{game.info.label}: logit quantal response equilibria ({what})"]
    if result.parameters:
        values = ", ".join(f"{k} = {v}" for k, v in result.parameters.items())
        lines.append(f"Parameters: {values}")
    lines.append(
        {
            "tree": "Probability of each outcome (terminal node, by its path):",
            "signalling": "Probability of each outcome (type > message > response):",
            "symmetric": "Probability of each outcome (how many members choose the first action):",
        }.get(game.kind, f"Probability of each outcome ({'/'.join(game.players)}):")
    )
    lines.append(_outcome_table(result, style))
    if signalling:
        lines.extend(_signalling_lines(result, style))
    elif game.kind == "symmetric":
        lines.extend(_symmetric_lines(result))
    elif not tree:
        limit = cast("MixedEquilibrium | PureEquilibrium | MixedProfile | None", result.limit)
        strategies = _strategies(result)
        if limit is None and game.kind == "normal" and result.branch:
            mixes = "; ".join(
                f"{who}: " + ", ".join(f"{s} {_probability(x)}" for s, x in zip(labels, probs))
                for who, labels, probs in zip(game.players, strategies, result.branch[-1].profile)
            )
            lines.append("As lambda grows the branch approaches the Nash equilibrium (numerically)")
            lines.append(f"  {mixes}")
        elif limit is None:
            lines.append(
                "As lambda grows the branch approaches no single extreme Nash equilibrium "
                f"(nearest at distance {result.limit_distance:.2g}): the game is degenerate."
            )
        else:
            mixes = "; ".join(
                f"{who}: " + ", ".join(f"{s} {x}" for s, x in zip(labels, probs))
                for who, labels, probs in zip(game.players, strategies, limit_profile(result))
            )
            payoffs = ", ".join(str(v) for v in limit.payoffs)
            lines.append("As lambda grows the branch selects the Nash equilibrium")
            lines.append(f"  {mixes} (payoffs {payoffs})")
        reached = result.branch[-1].lam if result.branch else 0.0
        lines.append(
            f"  (branch traced through {len(result.branch)} points to lambda = {reached:.3g})"
        )
    lines.extend(_bifurcation_lines(result))
    return "\n".join(wrap(line, style.width) if len(line) > style.width else line for line in lines)


def _bifurcation_lines(result: QREResult) -> list[str]:
    """A sentence on the bifurcation points the branch passed, if any."""
    if not result.bifurcations:
        return []
    where = "; ".join(f"{a:.3g} to {b:.3g}" for a, b in result.bifurcations)
    many = len(result.bifurcations) > 1
    return [
        f"The branch passes {'bifurcation points' if many else 'a bifurcation point'} "
        f"(lambda {where}): other branches of QRE cross it there, and it is followed "
        "straight on (the game is not generic; Gambit's tracer stops at the first)."
    ]


def _outcome_table(result: QREResult, style: Style) -> str:
    """One row per ``lambda`` and a column per outcome; if that is wider than the style
    allows, one row per outcome and a column per ``lambda``, in as many tables as needed."""
    header = ["lambda", *result.outcome_labels]
    rows = [
        [f"{pt.lam:g}", *(_probability(x) for x in pt.outcomes.values())] for pt in result.points
    ]
    if max(map(len, table(header, rows).splitlines())) <= style.width:
        return table(header, rows)
    label_width = max(len(label) for label in result.outcome_labels)
    column = max(len(_probability(0.0)), *(len(f"{pt.lam:g}") for pt in result.points)) + 2
    per_table = max(1, (style.width - 4 - label_width) // column)
    parts = []
    for start in range(0, len(result.points), per_table):
        chunk = result.points[start : start + per_table]
        parts.append(
            table(
                ["lambda:", *(f"{pt.lam:g}" for pt in chunk)],
                [
                    [label, *(_probability(pt.outcomes[label]) for pt in chunk)]
                    for label in result.outcome_labels
                ],
                width=style.width,
                title=lambda row: row[0],
            )
        )
    return "\n\n".join(parts)


def _symmetric_lines(result: QREResult) -> list[str]:
    """The symmetric equilibrium the branch approaches."""
    from ..solvers.symmetric import decimal  # lazy: start-up time (sympy)

    game = cast("SymmetricGame", result.game)  # the caller checked the kind
    limit = cast("SymmetricEquilibrium | None", result.limit)
    lines = []
    if limit is None:
        lines.append(
            "As lambda grows the branch approaches none of the symmetric equilibria solve lists "
            f"(nearest at distance {result.limit_distance or 0:.2g})."
        )
    else:
        exact = str(limit.p)
        if limit.p.is_Rational:
            p = exact
        elif len(exact) <= 40:
            p = f"{exact} = {decimal(limit.p)}"
        else:
            p = f"{decimal(limit.p)} (an algebraic number: solve gives it exactly)"
        lines.append(
            f"As lambda grows the branch selects the symmetric equilibrium ({limit.label})"
        )
        lines.append(
            f"  each of the {limit.n} members chooses {game.actions[0]} with probability {p}; "
            f"payoff {decimal(limit.payoff)}; the alliance answers with probability "
            f"{decimal(limit.answer)}"
        )
    reached = result.branch[-1].lam if result.branch else 0.0
    lines.append(f"  (branch traced through {len(result.branch)} points to lambda = {reached:.3g})")
    return lines


def _signalling_lines(result: QREResult, style: Style) -> list[str]:
    """The receiver's beliefs at each ``lambda`` and the equilibrium the branch approaches."""
    game = cast("SignallingGame", result.game)  # the caller checked the kind
    shown = [t.name for t in game.types][: max(1, len(game.types) - 1)]  # the last is implied
    header = ["lambda", *(f"P({t} | {m})" for m in game.messages for t in shown)]
    rows = [
        [f"{pt.lam:g}", *(_probability(pt.beliefs[m][t]) for m in game.messages for t in shown)]
        for pt in result.points
    ]
    lines = [
        f"The {game.players[1]}'s beliefs (Bayes' rule: every message is sent at finite lambda):",
        table(header, rows, width=style.width, title=lambda row: f"lambda = {row[0]}"),
    ]
    limit = cast("SignallingEquilibrium | None", result.limit)
    if limit is None:
        lines.append(
            "As lambda grows the branch approaches none of the perfect Bayesian equilibria "
            f"listed by solve (nearest at distance {result.limit_distance or 0:.2g})."
        )
    else:
        sender, receiver = game.players
        sends = "; ".join(
            f"{t.name}: " + ", ".join(f"{m} {x}" for m, x in zip(game.messages, row) if x != 0)
            for t, row in zip(game.types, limit.sender)
        )
        responds = "; ".join(
            f"after {m}: " + ", ".join(f"{r} {x}" for r, x in zip(game.responses, row) if x != 0)
            for m, row in zip(game.messages, limit.receiver)
        )
        payoffs = ", ".join(
            f"{who} {v}" for who, v in zip([*(t.name for t in game.types), receiver], limit.payoffs)
        )
        lines.append(
            f"As lambda grows the branch selects the {limit.equilibrium_class} perfect Bayesian "
            "equilibrium"
        )
        lines.append(f"  {sender} sends {sends}")
        lines.append(f"  {receiver} responds {responds}")
        lines.append(f"  (payoffs {payoffs})")
    reached = result.branch[-1].lam if result.branch else 0.0
    lines.append(f"  (branch traced through {len(result.branch)} points to lambda = {reached:.3g})")
    return lines


def plot_qre(result: QREResult, path: Path) -> None:
    """Draw each outcome's probability against ``lambda`` to a PNG.

    ``result`` should hold many points (a fine grid of ``lambda``).
    """
    from ..render.plot import figure as new_figure  # lazy: start-up time (numpy)

    figure = new_figure(7, 4.2)
    axes = figure.add_subplot()
    lams = [pt.lam for pt in result.points]
    for label in result.outcome_labels:
        axes.plot(lams, [pt.outcomes[label] for pt in result.points], label=label)
    axes.set_xscale("symlog", linthresh=min((x for x in lams if x > 0), default=1.0))
    axes.set_xlabel("lambda (precision of choice; 0: uniformly random)")
    axes.set_ylabel("probability")
    axes.set_ylim(-0.02, 1.02)
    axes.set_title(f"{result.game.info.label}: logit QRE outcome probabilities", fontsize=10)
    axes.legend(fontsize=8, loc="best")
    try:
        figure.savefig(path)
    except OSError as error:
        raise CredibilityError(f"cannot write the plot: {error.strerror}") from None
