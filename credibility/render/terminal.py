"""Text that is safe to print: no control characters from game files reach the terminal.

Titles, labels and descriptions come from game files, which anyone may write. A
terminal obeys control sequences in what it prints (ESC starts a sequence that
can retitle the window, rewrite the screen or, in some terminals, write files;
the C1 byte CSI does the same), so text output keeps only line breaks and tabs
among the control characters, and JSON output writes C1 characters as ``\\u``
escapes (JSON escapes the others itself).
"""

from __future__ import annotations

import re

__all__ = ["printable", "printable_json"]

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
