"""Pictures of sweeps: outcome maps over two parameters, outcome steps over one.

Rendering only: the caller hands over the grid's values, each point's outcome
(as a code into ``labels``) and the threshold curves already evaluated. Uses
matplotlib's object API (no pyplot, no display needed); matplotlib is an
optional extra (``pip install 'credibility[sweep]'``).

Given the game, each outcome's colour is explained in words (:func:`outcome_meaning`:
``deterrence holds: Status quo``), and :func:`sweep_title` states the values of the
parameters that are not swept.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import CredibilityError
from ..expressions import format_number
from ..kinds import adapter_named, kinds
from ..solvers.outcomes import DEGENERATE, NO_EQUILIBRIUM, SEPARATOR

if TYPE_CHECKING:
    from ..models import GameTree

__all__ = ["legend_label", "outcome_line", "outcome_map", "outcome_meaning", "sweep_title"]

#: Curves at most drawn (and labelled) on one picture.
MAX_CURVES = 8


def require_matplotlib() -> None:
    """Raise CredibilityError, in one line, if matplotlib is not installed."""
    try:
        import matplotlib  # noqa: F401  # lazy: start-up time
    except ImportError:
        raise CredibilityError(
            "drawing pictures needs matplotlib, which the 'sweep' extra installs: "
            "pip install 'credibility[sweep]'"
        ) from None


def figure(width: float, height: float, dpi: int = 120, constrained: bool = True):  # type: ignore[no-untyped-def]
    """A matplotlib Figure of ``width`` x ``height`` inches on an Agg canvas (no screen needed).

    Every picture the library draws starts here; without matplotlib this raises
    the one-line error of :func:`require_matplotlib`.
    """
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy: start-up time
    from matplotlib.figure import Figure  # lazy: start-up time

    drawn = Figure(figsize=(width, height), dpi=dpi, layout="constrained" if constrained else None)
    FigureCanvasAgg(drawn)
    return drawn


def _colors(n: int) -> list[tuple[float, float, float, float]]:
    from matplotlib import colormaps  # lazy: start-up time

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


#: What each class of perfect Bayesian equilibrium says the signal does.
_SIGNAL = {
    "separating": "reveals the type",
    "pooling": "says nothing",
    "partially pooling": "reveals some types",
    "semi-separating": "reveals the type in part (a type mixes)",
}


def _or(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} or {parts[-1]}"


def _path_meaning(game: Any, path: str) -> str:
    """A path of play in words; at a first mover who could end the game at once, a verdict.

    The first mover is deterred when it takes a move that ends the game while another of its
    moves would go on (stay out, keep the status quo); it is not when it takes one that goes
    on.
    """
    moves = path.split(" > ")
    node, steps = game.root, []
    for name in moves:
        move = next((m for m in node.moves if m.name == name), None)
        if move is None:  # not a path of this tree: say nothing rather than guess
            return ""
        steps.append(f"chance draws {name}" if node.chance else f"{node.player} plays {name}")
        node = move.node
    lottery = node.kind != "terminal"
    root = game.root
    ends = [m.node.kind == "terminal" for m in root.moves]
    if root.kind == "decision" and any(ends) and not all(ends):
        first = next(m for m in root.moves if m.name == moves[0])
        verdict = "deterrence holds" if first.node.kind == "terminal" else "deterrence fails"
        rest = steps[1:] + (["chance decides what follows"] if lottery else [])
        return verdict + (f", then {' and '.join(rest)}" if rest else "")
    return ", then ".join(steps + (["chance decides what follows"] if lottery else []))


def tree_meaning(game: GameTree, label: str) -> str:
    """A tree's outcome in words: its path of play, or a tie between paths (the tree's adapter)."""
    meanings = [
        _path_meaning(game, part) for part in label.removeprefix(DEGENERATE).split(SEPARATOR)
    ]
    if not all(meanings):
        return ""
    return meanings[0] if len(meanings) == 1 else "a tie: " + ", or ".join(meanings)


def signal_meaning(label: str) -> str:
    """What the signal does in classes of equilibrium (the signalling adapter)."""
    phrases = [_SIGNAL.get(c, c) for c in label.split(" + ")]
    if len(phrases) == 1:
        return f"the signal {phrases[0]}"
    return f"the signal {_or(phrases)}, depending on the equilibrium"


def bimatrix_meaning(label: str) -> str:
    """How many equilibria a bimatrix label names, and whether payoffs tie (the adapter)."""
    count = _count(label.removeprefix(DEGENERATE).split(SEPARATOR))
    text = "one equilibrium" if count == 1 else f"{count} equilibria"
    return f"payoffs tie here, {text}" if label.startswith(DEGENERATE) else text


def _count(parts: Sequence[str]) -> int:
    """The number of equilibria a bimatrix label names (``2 mixed`` counts two)."""
    total = 0
    for part in parts:
        count, _, rest = part.partition(" ")
        total += int(count) if count.isdigit() and rest else 1
    return total


def outcome_meaning(game: Any, label: str) -> str:
    """An outcome label in words a student knows (empty if there is nothing to add).

    Trees: the path of play, and whether the first mover is deterred (it takes a move that
    ends the game, while another would go on). Signalling games: what the signal does in
    the equilibria. Bimatrix games: how many equilibria, and whether payoffs tie (the
    label names the strategies, :func:`sweep_title` says how to read it).

    Examples
    --------
    >>> import credibility as cr
    >>> tree = cr.load("unilateral_deterrence")
    >>> outcome_meaning(tree, "Status quo")
    'deterrence holds'
    >>> outcome_meaning(tree, "Challenge > Soft > Concede")
    'deterrence fails, then chance draws Soft and Defender plays Concede'
    >>> outcome_meaning(tree, "Status quo | Challenge")
    'a tie: deterrence holds, or deterrence fails, then chance decides what follows'
    >>> outcome_meaning(cr.load("sinking_costs"), "separating + pooling")
    'the signal reveals the type or says nothing, depending on the equilibrium'
    >>> outcome_meaning(cr.load("chicken"), "Swerve/Straight | Straight/Swerve | mixed")
    '3 equilibria'
    """
    if label == NO_EQUILIBRIUM:
        return "no equilibrium found"
    kind = getattr(game, "kind", "")
    return adapter_named(kind).outcome_meaning(game, label) if kind in kinds() else ""


def legend_label(game: Any, label: str) -> str:
    """``meaning: label`` for a legend, or the label alone when there is no meaning to add.

    Examples
    --------
    >>> import credibility as cr
    >>> legend_label(cr.load("entry_deterrence"), "Out")
    'deterrence holds: Out'
    """
    meaning = outcome_meaning(game, label) if game is not None else ""
    kind = getattr(game, "kind", "")
    if kind in kinds():
        label = adapter_named(kind).legend_outcome(game, label)
    return f"{meaning}: {label}" if meaning else label


def _value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return format_number(Fraction(value) if isinstance(value, int) else value)


def sweep_title(game: Any, swept: Sequence[str], params: Mapping[str, Any] | None = None) -> str:
    """The game, what is swept, and the values of every parameter that is not swept.

    ``params`` are the values given (``--param``); the others are at their defaults.

    Examples
    --------
    >>> import credibility as cr
    >>> print(sweep_title(cr.load("sinking_costs"), ["m", "q"], {"c": 3}))
    Sinking costs: costly mobilisation as a signal of resolve
    equilibrium outcome over m and q
    other parameters: v_r = 4, v_i = 1, w = 1, c = 3
    """
    lines = [game.info.label, f"equilibrium outcome over {' and '.join(swept)}"]
    kind = getattr(game, "kind", "")
    if kind in kinds():
        lines[1] += adapter_named(kind).outcome_reading(game)
    values = {p.name: p.default for p in game.parameters}
    values.update({k: v for k, v in (params or {}).items()})
    fixed = [f"{name} = {_value(value)}" for name, value in values.items() if name not in swept]
    if fixed:
        text = ("other parameters: " + ", ".join(fixed)).replace(" = ", "\0")
        lines += [line.replace("\0", " = ") for line in textwrap.wrap(text, 90)]
    return "\n".join(lines)


def outcome_map(
    path: Path,
    names: tuple[str, str],
    x: np.ndarray,
    y: np.ndarray,
    codes: np.ndarray,
    labels: Sequence[str],
    curves: Sequence[tuple[str, np.ndarray]] = (),
    title: str = "",
    *,
    game: Any = None,
) -> None:
    """Draw the outcome regions over two parameters to a PNG.

    Parameters
    ----------
    path : Path
    names : (str, str)
        The parameters on the horizontal and vertical axes.
    x, y : numpy.ndarray
        Their values (increasing).
    codes : numpy.ndarray
        ``codes[i, j]`` is the index into ``labels`` of the outcome at
        ``(x[i], y[j])``.
    labels : sequence of str
    curves : sequence of (str, numpy.ndarray)
        Threshold curves: a label and an expression's values on the same
        grid; the curve is where the values are 0.
    title : str
        :func:`sweep_title` states the parameters that are not swept.
    game : GameTree, SignallingGame or Bimatrix, optional
        The game swept: the legend then says what each colour means
        (:func:`legend_label`).
    """
    from matplotlib.colors import BoundaryNorm, ListedColormap  # lazy: start-up time (matplotlib)
    from matplotlib.lines import Line2D  # lazy: start-up time (matplotlib)
    from matplotlib.patches import Patch  # lazy: start-up time (matplotlib)

    shown = ["\n".join(textwrap.wrap(legend_label(game, label), 95)) for label in labels]
    entries = len(labels) + min(len(curves), MAX_CURVES)
    longest = max((len(line) for label in shown for line in label.split("\n")), default=0)
    columns = 2 if entries > 6 and longest <= 40 else 1
    rows = entries + sum(label.count("\n") for label in shown)
    drawn = figure(8.5, 6 + 0.25 * -(-rows // columns))
    axes = drawn.add_subplot()
    colors = _colors(len(labels))
    cmap = ListedColormap(colors)
    norm = BoundaryNorm(np.arange(len(labels) + 1) - 0.5, len(labels))
    axes.pcolormesh(x, y, codes.T, cmap=cmap, norm=norm, shading="nearest")
    handles: list = [Patch(color=c, label=label) for c, label in zip(colors, shown)]
    styles: list[Any] = ["--", "-.", ":", (0, (5, 1, 1, 1))]
    for k, (label, values) in enumerate(curves[:MAX_CURVES]):
        style = styles[k % len(styles)]
        axes.contour(x, y, values.T, levels=[0], colors="black", linewidths=1.6, linestyles=[style])
        handles.append(Line2D([], [], color="black", linestyle=style, label=label))
    axes.set_xlabel(names[0], fontsize=12)
    axes.set_ylabel(names[1], fontsize=12)
    axes.set_title(title or "Equilibrium outcome", fontsize=11)
    drawn.legend(handles=handles, loc="outside lower center", ncols=columns, fontsize=9)
    drawn.savefig(path)


def outcome_line(
    path: Path,
    name: str,
    x: np.ndarray,
    codes: np.ndarray,
    labels: Sequence[str],
    thresholds: Sequence[tuple[str, float]] = (),
    title: str = "",
    *,
    game: Any = None,
) -> None:
    """Draw the outcome against one parameter (a step chart) to a PNG.

    Parameters
    ----------
    path : Path
    name : str
        The parameter on the horizontal axis.
    x : numpy.ndarray
        Its values (increasing).
    codes : numpy.ndarray
        The index into ``labels`` of the outcome at each value.
    labels : sequence of str
    thresholds : sequence of (str, float)
        Labelled values where an outcome changes (vertical lines).
    title : str
    game : GameTree, SignallingGame or Bimatrix, optional
        The game swept: each outcome's name then says what it means, in its colour.
    """
    shown = ["\n".join(textwrap.wrap(legend_label(game, label), 45)) for label in labels]
    lines = sum(text.count("\n") + 1 for text in shown)
    drawn = figure(8.5, 1.6 + 0.45 * max(len(labels), 0.6 * lines))
    axes = drawn.add_subplot()
    colors = _colors(len(labels))
    axes.step(x, codes, where="mid", color="0.4", linewidth=1)
    axes.scatter(x, codes, c=[colors[c] for c in codes], s=12, zorder=3)
    axes.set_yticks(range(len(labels)), shown)
    for tick, color in zip(axes.get_yticklabels(), colors):
        tick.set_color(color)
    axes.set_ylim(-0.5, len(labels) - 0.5)
    for label, value in thresholds[:MAX_CURVES]:
        axes.axvline(value, color="black", linestyle="--", linewidth=1)
        axes.annotate(
            label,
            (value, len(labels) - 0.5),
            rotation=90,
            va="top",
            ha="right",
            fontsize=8,
            xytext=(-2, -2),
            textcoords="offset points",
        )
    axes.set_xlabel(name, fontsize=12)
    axes.set_title(title or "Equilibrium outcome", fontsize=11)
    drawn.savefig(path)
