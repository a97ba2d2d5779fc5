r"""TikZ pictures of solved game trees and signalling games, for papers.

The picture is the one ``--plot`` draws (:mod:`.tree_plot`'s layouts): subgame-perfect or
equilibrium moves thick and blue, threats that are not credible dashed and red, information
sets dashed, the payoffs where equilibrium play can end in bold, and below the tree a legend
in words and the parameter values. It is a fragment like the other LaTeX outputs: its
preamble needs ``\usepackage{amsmath}`` and ``\usepackage{tikz}`` and nothing else (no TikZ
library), see docs/latex.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .table import latex_escape
from .tree_plot import LINES, Layout, PlotNode, edge_side, layouts

__all__ = ["tikz"]

#: The widest a picture is drawn (inches, about an article's text width); wider ones shrink.
WIDTH = 4.7
#: ... but never below this fraction of their size (labels keep their size and would collide).
MIN_SCALE = 0.55


def tikz(result: Any, equilibrium: int | None = None) -> str:
    r"""A ``tikzpicture`` per picture of a solved tree or signalling game.

    Parameters
    ----------
    result : TreeSolution or SignallingSolution
    equilibrium : int, optional
        An index into ``result.equilibria``: draw that equilibrium only (see
        :func:`~credibility.render.tree_plot.layouts`).

    Examples
    --------
    >>> import credibility as cr
    >>> out = tikz(cr.solve(cr.load("entry_deterrence")))
    >>> print("\n".join(out.splitlines()[:2]))  # doctest: +NORMALIZE_WHITESPACE
    % credibility: Entry deterrence (chain store, one market): the subgame-perfect equilibrium
    % A tikzpicture for a document whose preamble has \usepackage{amsmath} and
    \usepackage{tikz} (see docs/latex.md).
    >>> print(next(line for line in out.splitlines() if line.startswith(r"\draw[threat]")))
    \draw[threat] (n2) -- node[pos=0.5, above left, movename] {Fight} (n3);
    """
    pictures = layouts(result, equilibrium)
    first = pictures[0]
    what = f"{first.heading[0]}: {first.title[0].lower()}{first.title[1:]}"
    if len(pictures) > 1:
        what = f"{first.heading[0]}: {len(pictures)} pictures, one per equilibrium"
    lines = [
        f"% credibility: {' '.join(what.split())}",
        r"% A tikzpicture for a document whose preamble has \usepackage{amsmath} and "
        r"\usepackage{tikz} (see docs/latex.md).",
    ]
    parameters = _parameters(result.parameters)
    for k, layout in enumerate(pictures):
        if k:
            lines += ["", r"\medskip", ""]
        lines += _picture(layout, parameters)
    return "\n".join(lines)


def _parameters(values: dict[str, Any]) -> str:
    if not values:
        return ""
    from .conditions import latex_assignment  # lazy: start-up time (it loads sympy)

    return "Parameters: " + ", ".join(latex_assignment(n, v) for n, v in values.items()) + "."


def _color(hex_color: str) -> str:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"{{rgb,255:red,{red};green,{green};blue,{blue}}}"


def _text(text: str) -> str:
    return latex_escape(text)


def _payoffs(node: PlotNode) -> str:
    text = f"${latex_escape(node.label)}$"
    return r"{\boldmath " + text + "}" if node.reached else text


def _at(x: float, y: float) -> str:
    return f"({x:.3f},{y:.3f})"


def _picture(layout: Layout, parameters: str) -> list[str]:
    xs = [n.x for n in layout.nodes]
    ys = [n.y for n in layout.nodes]
    width = max(xs) - min(xs) + 1.5
    scale = max(MIN_SCALE, min(1.0, WIDTH / width))
    text_width = max(WIDTH, width * scale)
    lines = [
        r"\begin{tikzpicture}[x=" + f"{scale:.3f}in, y={scale:.3f}in,",
        r"  every node/.style={font=\footnotesize},",
        r"  movename/.style={font=\scriptsize, inner sep=2pt},",
        r"  decision/.style={circle, fill=black, inner sep=0pt, minimum size=4.5pt},",
        r"  chance/.style={circle, draw=black, fill=white, inner sep=0pt, minimum size=6pt},",
        r"  terminal/.style={inner sep=0pt, minimum size=0pt},",
        f"  equilibrium/.style={{line width=1.6pt, draw={_color(LINES['equilibrium'][0])}}},",
        f"  threat/.style={{line width=1.1pt, dashed, draw={_color(LINES['threat'][0])}}},",
        r"  move/.style={draw=black!45},",
        r"  infoset/.style={dashed, draw=black}]",
    ]
    top = max(ys) + 0.55
    center = (max(xs) + min(xs)) / 2
    title = [_text(layout.heading[0]), _text(layout.title)]
    lines.append(
        f"\\node[align=center, text width={text_width:.2f}in, font=\\small] at "
        f"{_at(center, top)} {{{title[0]}\\\\ \\textbf{{{title[1]}}}}};"
    )
    for node in layout.nodes:
        lines.append(f"\\node[{node.kind}] ({node.key}) at {_at(node.x, node.y)} {{}};")
    for style in ("move", "threat", "equilibrium"):
        for edge in (e for e in layout.edges if e.style == style):
            side = edge_side(layout.node(edge.parent), layout.node(edge.child), edge)
            lines.append(
                f"\\draw[{style}] ({edge.parent}) -- node[pos={edge.at:g}, {side}, movename] "
                f"{{{_text(edge.label)}}} ({edge.child});"
            )
    for info in layout.information_sets:
        for a, b in zip(info.members, info.members[1:]):
            path = "to[bend left=25]" if info.arc else "--"
            lines.append(f"\\draw[infoset] ({a}) {path} ({b});")
    for node in layout.nodes:
        label = _payoffs(node) if node.kind == "terminal" else _text(node.label)
        lines.append(f"\\node[{node.side}=2pt] at ({node.key}) {{{label}}};")
        if node.note:
            lines.append(
                f"\\node[{node.note_side}=2pt, font=\\scriptsize\\itshape] at ({node.key}) "
                f"{{{_text(node.note)}}};"
            )
    lines += _legend(layout, min(ys) - _below(layout) / scale, min(xs), scale, parameters)
    lines.append(r"\end{tikzpicture}")
    return lines


def _below(layout: Layout) -> float:
    """Room under the lowest node for its label (upright payoffs in a dense tree need more)."""
    if layout.dense:
        return 0.3 + max(len(n.label) for n in layout.nodes) * 0.06
    return 0.45


def _legend(layout: Layout, y: float, x: float, scale: float, parameters: str) -> list[str]:
    """A sample and a sentence per legend entry, then the notes and the parameter values.

    ``x`` and ``y`` are in the picture's units (``scale`` inches each), lengths in inches.
    """
    lines = []
    for style, text in layout.legend:
        if style in LINES:
            lines.append(f"\\draw[{style}] {_at(x, y)} -- {_at(x + 0.35 / scale, y)};")
        else:
            lines.append(f"\\node[{style}] at {_at(x + 0.175 / scale, y)} {{}};")
        lines.append(f"\\node[right, movename] at {_at(x + 0.45 / scale, y)} {{{_text(text)}}};")
        y -= 0.2 / scale
    notes = [_text(line) for line in (*layout.heading[1:], *layout.notes)]
    notes = [parameters if n.startswith("Parameters: ") else n for n in notes]
    if notes:
        lines.append(
            f"\\node[below right, align=left, text width={WIDTH:.2f}in, movename] at "
            f"{_at(x - 0.05 / scale, y + 0.05 / scale)} {{{' '.join(_sentences(notes))}}};"
        )
    return lines


def _sentences(notes: Sequence[str]) -> list[str]:
    return [n if n.endswith(".") else n + "." for n in notes if n]
