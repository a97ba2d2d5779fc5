"""How results show themselves: in a terminal, a REPL, a notebook and a DataFrame.

Every result (the three kinds of solution, :class:`ThresholdResult`, :class:`SweepResult`)
takes :class:`Displayed` as a mixin, and so is shown four ways, all from the data the
renderers use:

- ``str(result)``: the terminal text, as ``credibility solve`` prints it
  (``cr.render(result)``);
- ``repr(result)``: one line, ``<BimatrixSolution chicken: 3 equilibria (...), exact>``;
- ``result._repr_html_()``: the text's tables as HTML tables, which Jupyter shows (every
  string escaped: titles and strategy names come from game files, which anyone may write);
- ``result._repr_latex_()``: the LaTeX output (``cr.render(result, "latex")``), which
  Jupyter uses when a notebook is converted to a PDF.

``result.to_pandas()`` makes a DataFrame (pandas is imported when it is called).
Equilibria have a one-line repr too (:class:`Summarised`), with the game's names, which
they carry and read by (:class:`Named`: ``e.strategies["Row"]["Swerve"]``).

Examples
--------
>>> import credibility as cr
>>> solution = cr.solve(cr.load("chicken"))
>>> solution
<BimatrixSolution chicken: 3 equilibria (Swerve/Straight | Straight/Swerve | mixed), exact>
>>> solution.equilibria[0]
<MixedEquilibrium Row: Swerve; Column: Straight; payoffs -1, 1>
>>> solution.equilibria[1].strategies["Row"]
{'Swerve': Fraction(4, 5), 'Straight': Fraction(1, 5)}
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import CredibilityError
from ..expressions import format_number
from . import renderer
from .terminal import printable

if TYPE_CHECKING:
    import pandas

__all__ = [
    "Displayed",
    "Named",
    "Summarised",
    "clipped",
    "escaped",
    "html_page",
    "html_table",
    "number",
    "pandas_module",
]

V = TypeVar("V", covariant=True)

#: The longest one-line summary a repr prints of a list (outcome labels, thresholds).
SUMMARY_WIDTH = 80


class Named(Mapping[str, V]):
    """A read-only mapping from names (players, strategies, types, messages) to values.

    It prints as a dict, compares equal to a dict with the same items, and says which
    names there are when asked for another.

    Examples
    --------
    >>> mix = Named(("Swerve", "Straight"), (Fraction(4, 5), Fraction(1, 5)))
    >>> mix["Straight"], mix == {"Swerve": Fraction(4, 5), "Straight": Fraction(1, 5)}
    (Fraction(1, 5), True)
    >>> mix["swerve"]
    Traceback (most recent call last):
    ...
    KeyError: "'swerve': expected one of Swerve, Straight"
    """

    __slots__ = ("_items",)

    def __init__(self, names: Iterable[str], values: Iterable[V]) -> None:
        self._items = dict(zip(names, values))

    def __getitem__(self, name: str) -> V:
        try:
            return self._items[name]
        except KeyError:
            raise KeyError(f"{name!r}: expected one of {', '.join(self._items)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return repr(self._items)


def number(value: Any) -> str:
    """A value as the text output writes it: ``4/5``, ``0.8``, or a sympy expression's text.

    Examples
    --------
    >>> number(Fraction(4, 5)), number(0.8), number(2)
    ('4/5', '0.8', '2')
    """
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, float):
        return format_number(value, exact=False)
    return str(value)


def clipped(text: str, width: int = SUMMARY_WIDTH) -> str:
    """``text``, cut after a word to at most ``width`` characters with ``...`` if longer.

    Examples
    --------
    >>> clipped("a | b | c", 7), clipped("a | bcd", 6)
    ('a | ...', 'a ...')
    """
    if len(text) <= width:
        return text
    cut = text[: width - 3]
    space = cut.rfind(" ")
    return (cut[: space + 1] if space > 0 else cut) + "..."


def _renderer(result: object) -> Any:
    return renderer(result)


class Summarised:
    """Mixin: ``repr()`` is one line, ``<ClassName summary>``; subclasses write ``_summary``."""

    __slots__ = ()

    def _summary(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._summary()}>"


class Displayed(Summarised):
    """Mixin of the results: terminal text, a one-line repr, HTML and LaTeX, and a DataFrame.

    Subclasses write ``_summary`` (the repr's line) and ``_columns`` (the DataFrame's
    columns, in order); the text, HTML and LaTeX come from the result's renderer
    (:func:`credibility.render.renderer`).
    """

    __slots__ = ()

    def __str__(self) -> str:
        return str(_renderer(self).text(self))

    def _repr_html_(self) -> str | None:
        """The tables of the text output as HTML, for Jupyter."""
        return str(_renderer(self).html(self))

    def _repr_latex_(self) -> str | None:
        """The LaTeX output (a tabular), for notebooks converted to LaTeX or PDF."""
        return str(_renderer(self).latex(self))

    def _columns(self) -> dict[str, list[Any]]:
        raise NotImplementedError

    def to_pandas(self) -> pandas.DataFrame:
        """The result as a pandas DataFrame (needs pandas: ``pip install pandas``)."""
        return pandas_module().DataFrame(self._columns())


def pandas_module() -> Any:
    """pandas, imported now; a :class:`CredibilityError` saying how to install it if missing."""
    try:
        import pandas  # lazy: start-up time
    except ImportError:
        raise CredibilityError("to_pandas() needs pandas: pip install pandas") from None
    return pandas


def escaped(text: str) -> str:
    """Text safe inside HTML: control characters dropped (as in the terminal), ``<&>"'`` escaped.

    Examples
    --------
    >>> escaped("<script>alert('x')</script>\x1b[2J")
    '&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;[2J'
    """
    return html.escape(printable(text), quote=True)


def html_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An HTML table: one header row, then one row per item; every cell escaped.

    Examples
    --------
    >>> print(html_table(["#", "Row"], [["1", "<b>"]]))
    <table>
    <thead><tr><th>#</th><th>Row</th></tr></thead>
    <tbody>
    <tr><td>1</td><td>&lt;b&gt;</td></tr>
    </tbody>
    </table>
    """
    head = "".join(f"<th>{escaped(cell)}</th>" for cell in header)
    body = ["<tr>" + "".join(f"<td>{escaped(cell)}</td>" for cell in row) + "</tr>" for row in rows]
    return "\n".join(
        ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>", *body, "</tbody>", "</table>"]
    )


def html_page(*parts: str | tuple[Sequence[str], Sequence[Sequence[str]]] | Sequence[str]) -> str:
    """A result as HTML: paragraphs and tables in order, in one ``<div>``.

    Each part is a paragraph (a str; ``""`` for none), a table (a ``(header, rows)``
    pair) or lines (a list of str: consecutive lines make one paragraph, a blank line
    starts another). The first paragraph, the result's title, is bold.

    Examples
    --------
    >>> print(html_page("Chicken: 1 equilibrium", (["#"], [["1"]]), ["A & B", "", "C"]))
    <div class="credibility">
    <p><strong>Chicken: 1 equilibrium</strong></p>
    <table>
    <thead><tr><th>#</th></tr></thead>
    <tbody>
    <tr><td>1</td></tr>
    </tbody>
    </table>
    <p>A &amp; B</p>
    <p>C</p>
    </div>
    """
    out = ['<div class="credibility">']
    for part in parts:
        if isinstance(part, tuple):
            header, rows = part
            out.append(html_table(header, rows))
            continue
        lines = [part] if isinstance(part, str) else list(part)
        paragraph: list[str] = []
        for line in [*lines, ""]:
            if line.strip():
                paragraph.append(escaped(line.strip()))
                continue
            if paragraph:
                if len(out) == 1:  # the title
                    paragraph[0] = f"<strong>{paragraph[0]}</strong>"
                out.append("<p>" + "<br>\n".join(paragraph) + "</p>")
                paragraph = []
    out.append("</div>")
    return "\n".join(out)
