"""Text for a terminal: safe to print, as wide as the terminal, in characters it can show.

**Control characters.**
Titles, labels and descriptions come from game files, which anyone may write. A
terminal obeys control sequences in what it prints (ESC starts a sequence that
can retitle the window, rewrite the screen or, in some terminals, write files;
the C1 byte CSI does the same), so text output keeps only line breaks and tabs
among the control characters, and JSON output writes C1 characters as ``\\u``
escapes (JSON escapes the others itself).

**Width.** Text output is wrapped to the terminal's width (``shutil.get_terminal_size``,
which honours ``COLUMNS``), or to 80 columns when standard output is not a terminal
(a pipe, a file, a test), so the same command prints the same text wherever its
output goes. Tables too wide for it fold (:func:`credibility.render.table.table`).

**Characters.** Conditions use ``≤``, ``≥`` and ``∞``. When standard output's
encoding cannot print them (``PYTHONIOENCODING=ascii``, an old console), the
renderers write ``<=``, ``>=`` and ``inf`` instead (:data:`ASCII`), and
:func:`encodable` spells any other character the encoding lacks (an accented
letter from a game file) without it.
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
import unicodedata
from dataclasses import dataclass
from typing import Any, TextIO

__all__ = [
    "ASCII",
    "UNICODE",
    "Notation",
    "Style",
    "encodable",
    "printable",
    "printable_json",
    "style_for",
    "wrap",
]

#: Columns when standard output is not a terminal.
DEFAULT_WIDTH = 80
#: The narrowest width text is wrapped to, however narrow the terminal.
MIN_WIDTH = 40


@dataclass(frozen=True)
class Notation:
    """The symbols plain text uses for relations and infinity.

    Attributes
    ----------
    le, ge, infinity : str
        Less than or equal, greater than or equal, and infinity.
    """

    le: str
    ge: str
    infinity: str


#: Unicode symbols, the default.
UNICODE = Notation("\u2264", "\u2265", "\u221e")
#: Plain ASCII, for a terminal whose encoding lacks the Unicode symbols.
ASCII = Notation("<=", ">=", "inf")


@dataclass(frozen=True)
class Style:
    """How text output is laid out: its width and its symbols.

    Attributes
    ----------
    width : int
        Columns to wrap lines and fold tables to.
    notation : Notation
        :data:`UNICODE` or :data:`ASCII`.
    """

    width: int = DEFAULT_WIDTH
    notation: Notation = UNICODE


def style_for(stream: TextIO | Any = None) -> Style:
    """The style for printing to ``stream`` (standard output by default).

    The terminal's width if ``stream`` is a terminal, else 80 columns; ASCII symbols
    if the stream's encoding cannot encode the Unicode ones.

    Examples
    --------
    >>> import io
    >>> style_for(io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    Style(width=80, notation=Notation(le='<=', ge='>=', infinity='inf'))
    """
    stream = sys.stdout if stream is None else stream
    try:
        terminal = bool(stream.isatty())
    except (AttributeError, ValueError):
        terminal = False
    width = max(shutil.get_terminal_size().columns, MIN_WIDTH) if terminal else DEFAULT_WIDTH
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "".join((UNICODE.le, UNICODE.ge, UNICODE.infinity)).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return Style(width, ASCII)
    return Style(width, UNICODE)


def wrap(
    text: str, width: int = DEFAULT_WIDTH, indent: str | None = None, groups: bool = True
) -> str:
    """Each line of ``text`` wrapped to ``width``; continuation lines get ``indent``.

    A line keeps its own leading spaces; its continuations are indented by
    ``indent`` more (two spaces by default). A short parenthesised group, such
    as ``(c - a - e)/(c - a)``, is not broken (unless ``groups`` is false, for
    prose), nor is a word longer than a line.

    Examples
    --------
    >>> print(wrap("  Incumbent would not Fight at 'In': once there, Accommodate gives 1.", 40))
      Incumbent would not Fight at 'In':
        once there, Accommodate gives 1.
    >>> print(wrap("Violate e/(c - a), Comply (c - a - e)/(c - a)", 30))
    Violate e/(c - a), Comply
      (c - a - e)/(c - a)
    """
    lines = []
    for line in text.split("\n"):
        if len(line) <= width:
            lines.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip(" "))]
        more = lead + ("  " if indent is None else indent)
        pieces = textwrap.wrap(
            _glued(line.strip(" ")) if groups else line.strip(" "),
            width,
            initial_indent=lead,
            subsequent_indent=more,
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines += [piece.replace(_GLUE, " ") for piece in pieces] or [line]
    return "\n".join(lines)


_GLUE = "\x00"
#: The longest parenthesised group kept on one line.
_GROUP = 24


def _glued(line: str) -> str:
    """``line`` with the spaces inside short parenthesised groups made unbreakable."""
    out: list[str] = []
    depth = start = 0
    for index, character in enumerate(line):
        if character == "(":
            if depth == 0:
                start = index
            depth += 1
        elif character == ")" and depth:
            depth -= 1
            if depth == 0 and index - start <= _GROUP:
                group = line[start : index + 1]
                out[start : index + 1] = group.replace(" ", _GLUE)
                continue
        out.append(character)
    return "".join(out)


_SPELLED = {
    UNICODE.le: ASCII.le,
    UNICODE.ge: ASCII.ge,
    UNICODE.infinity: ASCII.infinity,
    "\u2212": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
}


def encodable(text: str, encoding: str | None, json: bool = False) -> str:
    """``text`` in characters ``encoding`` has: ASCII look-alikes, accents dropped, else ``?``.

    With ``json``, a character the encoding lacks is written as a ``\\u`` escape
    instead, which keeps JSON text (where such characters stand only in strings)
    the same data.

    Examples
    --------
    >>> encodable("prot\u00e9g\u00e9: q \u2264 1, m \u2265 0, \u221e", "ascii")
    'protege: q <= 1, m >= 0, inf'
    >>> encodable("q \u2264 1", "utf-8")
    'q \u2264 1'
    >>> print(encodable('{"title": "prot\u00e9g\u00e9"}', "ascii", json=True))
    {"title": "prot\\u00e9g\\u00e9"}
    """
    encoding = encoding or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        pass
    except LookupError:
        return text
    else:
        return text
    out = []
    for character in text:
        try:
            character.encode(encoding)
        except UnicodeEncodeError:
            if json:
                units = character.encode("utf-16-be")
                out += [
                    f"\\u{int.from_bytes(units[i : i + 2]):04x}" for i in (0, 2)[: len(units) // 2]
                ]
                continue
            spelled = _SPELLED.get(character)
            if spelled is None:
                bare = unicodedata.normalize("NFKD", character)
                spelled = "".join(c for c in bare if not unicodedata.combining(c))
            try:
                spelled.encode(encoding)
            except UnicodeEncodeError:
                spelled = "?"
            character = spelled or "?"
        out.append(character)
    return "".join(out)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile("[\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` without control characters, line breaks and tabs kept.

    Examples
    --------
    >>> printable("Chicken\\x1b]0;pwned\\x07 game\\n\\x9b2J")
    'Chicken]0;pwned game\\n2J'
    """
    return _CONTROL.sub("", text)


def printable_json(text: str) -> str:
    """JSON text with the C1 control characters (and DEL) written as escapes.

    Examples
    --------
    >>> printable_json('{"title": "a\\x9bb"}')
    '{"title": "a\\\\u009bb"}'
    """
    return _C1.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
