"""Plain-text tables and LaTeX escaping shared by the renderers."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["latex_escape", "table"]


def table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> str:
    """Left-aligned columns separated by two spaces, with a rule under the header.

    Examples
    --------
    >>> print(table(["#", "name"], [["1", "Swerve"], ["2", "Straight"]]))
      #  name
      -  --------
      1  Swerve
      2  Straight
    """
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row)]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join(
        (indent + "  ".join(cell.ljust(w) for cell, w in zip(line, widths))).rstrip()
        for line in lines
    )


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
}


def latex_escape(text: str) -> str:
    r"""Escape text for LaTeX.

    Examples
    --------
    >>> latex_escape("c_row & 50%")
    'c\\_row \\& 50\\%'
    """
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)
