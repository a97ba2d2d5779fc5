"""Renderers: turn solution objects into text, JSON and LaTeX. They neither solve nor read files.

Each kind of result has its own module (``bimatrix``, ``tree``, ``signalling``,
``threshold``) exposing ``text(result, explain=False, style=None)`` and
``latex(result)``. JSON is ``result.to_dict()`` dumped as is. Text is laid out by a
:class:`~credibility.render.terminal.Style` (width and symbols; 80 columns and
Unicode by default), with conditions written by :mod:`credibility.render.conditions`.
"""

from __future__ import annotations

import importlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .terminal import Style

__all__ = ["render"]

_MODULES = {
    "BimatrixSolution": "bimatrix",
    "TreeSolution": "tree",
    "SignallingSolution": "signalling",
    "ThresholdResult": "threshold",
}


def render(
    result: Any, fmt: str = "text", explain: bool = False, style: Style | None = None
) -> str:
    """Render a result as ``"text"``, ``"json"`` or ``"latex"``.

    Parameters
    ----------
    result : BimatrixSolution, TreeSolution, SignallingSolution or ThresholdResult
    fmt : str
        ``"text"`` (default), ``"json"`` or ``"latex"``.
    explain : bool
        Text: add the derivation.
    style : Style, optional
        Text: width and symbols (80 columns, Unicode by default).
    """
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    module = importlib.import_module(f".{_MODULES[type(result).__name__]}", __name__)
    if fmt == "latex":
        return module.latex(result)
    return module.text(result, explain=explain, style=style)
