"""Plain-text tables and LaTeX escaping shared by the renderers."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Collection, Sequence

__all__ = [
    "LATEX_PREAMBLE",
    "latex_escape",
    "latex_header",
    "latex_notes",
    "table",
    "table_width",
]


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    indent: str = "  ",
    width: int | None = None,
    title: Callable[[Sequence[str]], str] | None = None,
    in_title: Collection[int] = (0,),
    flexible: int | None = None,
) -> str:
    """Left-aligned columns separated by two spaces, with a rule under the header.

    A table wider than ``width`` folds. The ``flexible`` column, if any (prose
    such as a description), wraps within its cells; else the column names wrap
    onto more lines (``payoff Row`` over two), and the indent goes; if it is
    still too wide, each row becomes a block: a title line (``title(row)``, else
    the first cell) and then one line per column left, the column's name and the
    row's value, long values wrapped.

    Parameters
    ----------
    header : sequence of str
    rows : sequence of sequences of str
    indent : str
        Put before every line.
    width : int, optional
        The most columns a line may take; no limit if None.
    title : callable, optional
        A block's title line from its row (when the table folds).
    in_title : collection of int
        Columns the title shows, left out of the block's lines.
    flexible : int, optional
        A column whose cells may wrap onto more lines.

    Examples
    --------
    >>> print(table(["#", "name"], [["1", "Swerve"], ["2", "Straight"]]))
      #  name
      -  --------
      1  Swerve
      2  Straight
    >>> print(table(["#", "payoff Row", "payoff Column"], [["1", "-1", "1/5"]], width=20))
      #  payoff  payoff
         Row     Column
      -  ------  ------
      1  -1      1/5
    >>> print(table(["#", "Row", "Column"], [["1", "Swerve", "Straight"]], width=18,
    ...             title=lambda row: f"Equilibrium {row[0]}"))
      Equilibrium 1
        Row     Swerve
        Column  Straight
    """
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row)]
    names: list[Sequence[str]] = [header]

    def wide(widths: list[int]) -> bool:
        return width is not None and len(indent) + sum(widths) + 2 * (len(widths) - 1) > width

    if wide(widths) and flexible is not None and width is not None:
        rest = len(indent) + sum(widths) - widths[flexible] + 2 * (len(widths) - 1)
        room = width - rest
        if room >= max(20, len(header[flexible])):
            return table(header, _wrapped(rows, flexible, room), indent, width, title, in_title)
    if wide(widths):
        cells = [max((len(row[i]) for row in rows), default=0) for i in range(len(header))]
        widths = [
            max(cell, *(len(word) for word in name.split()), 1) for cell, name in zip(cells, header)
        ]
        if wide(widths) and indent and width is not None and width >= table_width(header, rows, ""):
            return table(header, rows, "", width, title, in_title)
        if wide(widths):
            return _blocks(header, rows, indent, width or 0, title, in_title)
        wrapped = [textwrap.wrap(name, w) or [""] for name, w in zip(header, widths)]
        depth = max(len(parts) for parts in wrapped)
        names = [[parts[i] if i < len(parts) else "" for parts in wrapped] for i in range(depth)]
    lines = [*names, ["-" * w for w in widths], *rows]
    return "\n".join(
        (indent + "  ".join(cell.ljust(w) for cell, w in zip(line, widths))).rstrip()
        for line in lines
    )


def _wrapped(rows: Sequence[Sequence[str]], column: int, room: int) -> list[list[str]]:
    """Rows whose cells in ``column`` are wrapped to ``room``, continued on rows of their own."""
    out = []
    for row in rows:
        parts = textwrap.wrap(row[column], room, break_long_words=False) or [""]
        out.append([*row[:column], parts[0], *row[column + 1 :]])
        out += [["" if i != column else part for i in range(len(row))] for part in parts[1:]]
    return out


def table_width(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> int:
    """The fewest columns :func:`table` needs without folding into blocks.

    Examples
    --------
    >>> table_width(["#", "payoff Row"], [["1", "-1/5"]])
    11
    """
    cells = [max((len(row[i]) for row in rows), default=0) for i in range(len(header))]
    widths = [
        max(cell, *(len(word) for word in name.split()), 1) for cell, name in zip(cells, header)
    ]
    return len(indent) + sum(widths) + 2 * (len(widths) - 1)


def _blocks(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    indent: str,
    width: int,
    title: Callable[[Sequence[str]], str] | None,
    in_title: Collection[int],
) -> str:
    """One block per row: a title, then ``column  value`` lines (the table, folded)."""
    shown = [i for i in range(len(header)) if i not in in_title]
    key = max((len(header[i]) for i in shown), default=0)
    inner = indent + "  "
    blocks = []
    for row in rows:
        lines = [indent + (title(row) if title else row[0])]
        for i in shown:
            if key + len(inner) + 2 > width // 2:  # names too long to leave room: value below
                lines.append(inner + header[i])
                lines += textwrap.wrap(
                    row[i], width, initial_indent=inner + "  ", subsequent_indent=inner + "  "
                ) or [inner + "  "]
                continue
            lead = inner + header[i].ljust(key) + "  "
            lines += textwrap.wrap(
                row[i],
                width,
                initial_indent=lead,
                subsequent_indent=" " * len(lead),
                break_long_words=False,
            ) or [lead.rstrip()]
        blocks.append("\n".join(line.rstrip() for line in lines))
    return "\n\n".join(blocks)


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}


def latex_escape(text: str) -> str:
    r"""Escape text for LaTeX (``<``, ``>`` and ``|`` too, which text fonts print as other glyphs).

    Examples
    --------
    >>> latex_escape("c_row & 50%")
    'c\\_row \\& 50\\%'
    >>> latex_escape("In > Accommodate | Out")
    'In \\textgreater{} Accommodate \\textbar{} Out'
    """
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


#: What a document needs in its preamble for every LaTeX output (``\\text`` is amsmath's).
LATEX_PREAMBLE = r"\usepackage{amsmath}"


def latex_header(what: str) -> list[str]:
    r"""The comment lines that open every LaTeX output: what it is, and the preamble it needs.

    Examples
    --------
    >>> print("\n".join(latex_header("Chicken: Nash equilibria")))
    % credibility: Chicken: Nash equilibria
    % A tabular for a document whose preamble has \usepackage{amsmath} (see docs/latex.md).
    """
    return [
        f"% credibility: {' '.join(what.split())}",
        f"% A tabular for a document whose preamble has {LATEX_PREAMBLE} (see docs/latex.md).",
    ]


def latex_notes(
    columns: int, label: str, items: Sequence[str], per_row: int = 4, spec: str = "l"
) -> list[str]:
    r"""Rows spanning the whole tabular: ``label`` then ``items``, ``per_row`` to a row.

    ``spec`` is the spanning cell's column type (``p{...}`` for a paragraph that wraps).

    Examples
    --------
    >>> latex_notes(3, "Parameters", ["$c = 5$", "$w = 1$"])
    ['\\multicolumn{3}{l}{Parameters: $c = 5$, $w = 1$} \\\\']
    """
    rows = []
    for start in range(0, len(items), per_row):
        chunk = ", ".join(items[start : start + per_row])
        lead = f"{label}: " if start == 0 else r"\quad "
        rows.append(f"\\multicolumn{{{columns}}}{{{spec}}}{{{lead}{chunk}}} \\\\")
    return rows
