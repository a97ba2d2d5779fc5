"""Renderers: turn solution objects into text, JSON and LaTeX. They neither solve nor read files.

Each kind of result has its own module (``bimatrix``, ``tree``, ``signalling``,
``threshold``) exposing ``text(result, explain=False)`` and ``latex(result)``.
JSON is ``result.to_dict()`` dumped as is.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

__all__ = ["render"]

_MODULES = {
    "BimatrixSolution": "bimatrix",
    "TreeSolution": "tree",
    "SignallingSolution": "signalling",
    "ThresholdResult": "threshold",
}


def render(result: Any, fmt: str = "text", explain: bool = False) -> str:
    """Render a result as ``"text"``, ``"json"`` or ``"latex"``."""
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    module = importlib.import_module(f".{_MODULES[type(result).__name__]}", __name__)
    if fmt == "latex":
        return module.latex(result)
    return module.text(result, explain=explain)
