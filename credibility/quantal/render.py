"""Text and picture of a :class:`~credibility.quantal.result.QREResult` (no solving here)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..errors import CredibilityError
from ..render.table import table
from ..render.terminal import Style, wrap
from .result import QREResult, limit_profile

if TYPE_CHECKING:
    from ..models import Bimatrix, NormalForm

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
    Laid out by ``style`` (80 columns by default): a table too wide for it becomes one
    block per ``lambda``.

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
    """
    style = style or Style()
    game = result.game
    tree = game.kind == "tree"
    what = "agent QRE, one logit choice per decision node" if tree else "principal branch"
    lines = [f"{game.info.label}: logit quantal response equilibria ({what})"]
    if result.parameters:
        values = ", ".join(f"{k} = {v}" for k, v in result.parameters.items())
        lines.append(f"Parameters: {values}")
    lines.append(
        "Probability of each outcome (terminal node, by its path):"
        if tree
        else f"Probability of each outcome ({'/'.join(game.players)}):"
    )
    header = ["lambda", *result.outcome_labels]
    rows = [
        [f"{pt.lam:g}", *(_probability(x) for x in pt.outcomes.values())] for pt in result.points
    ]
    lines.append(table(header, rows, width=style.width, title=lambda row: f"lambda = {row[0]}"))
    if not tree:
        limit = result.limit
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
    return "\n".join(wrap(line, style.width) if len(line) > style.width else line for line in lines)


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
