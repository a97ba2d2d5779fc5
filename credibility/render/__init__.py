"""Renderers: turn solution objects into text, JSON and LaTeX. They neither solve nor read files.

Each kind of result has its own module (``bimatrix``, ``tree``, ``signalling``,
``normal``, named by the kind's adapter in :mod:`credibility.kinds`; and ``threshold``)
exposing ``text(result, explain=False, style=None)``,
``latex(result)`` and ``html(result)`` (what a notebook shows:
:mod:`credibility.render.display`). JSON is ``result.to_dict()`` dumped as is. Text is laid out by a
:class:`~credibility.render.terminal.Style` (width and symbols; 80 columns and
Unicode by default), with conditions written by :mod:`credibility.render.conditions`.
"""

from __future__ import annotations

import importlib
import json
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import CredibilityError

if TYPE_CHECKING:
    from ..solvers.nash import BimatrixSolution
    from ..solvers.normal_nash import NormalSolution
    from ..solvers.pbe import SignallingSolution
    from ..solvers.subgame_perfect import TreeSolution
    from ..symbolic.threshold_result import ThresholdResult
    from .terminal import Style

__all__ = ["render"]


def render(
    result: BimatrixSolution | TreeSolution | SignallingSolution | NormalSolution | ThresholdResult,
    fmt: str = "text",
    explain: bool = False,
    style: Style | None = None,
) -> str:
    """Render a result as ``"text"``, ``"json"`` or ``"latex"``.

    Parameters
    ----------
    result : BimatrixSolution, TreeSolution, SignallingSolution, NormalSolution or ThresholdResult
    fmt : str
        ``"text"`` (default), ``"json"`` or ``"latex"``.
    explain : bool
        Text: add the derivation.
    style : Style, optional
        Text: width and symbols (80 columns, Unicode by default).
    """
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    module = renderer(result)
    if fmt == "latex":
        return str(module.latex(result))
    return str(module.text(result, explain=explain, style=style))


def renderer(result: object) -> ModuleType:
    """The module that renders ``result`` (``text``, ``latex`` and ``html``), imported now.

    Raises
    ------
    CredibilityError
        For an object no renderer knows.
    """
    if type(result).__name__ == "ThresholdResult":
        return importlib.import_module(".threshold", __name__)
    from ..kinds import adapter_named, kinds  # lazy: start-up time (the kinds load the models)

    kind = getattr(result, "kind", None)
    if isinstance(kind, str) and kind in kinds():
        adapter = adapter_named(kind)
        module = adapter.renderer()
        if isinstance(result, adapter.solution_type()):
            return module
    raise CredibilityError(
        f"cannot render a {type(result).__name__}: expected a solution or a ThresholdResult"
    )
