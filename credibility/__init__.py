"""credibility: a game-theoretic deterrence credibility calculator.

Load a game (a file, a catalog name or Python objects), solve it exactly, and
derive the thresholds at which deterrence holds.

>>> import credibility as cr
>>> solution = cr.solve(cr.load("chicken"), params={"c_row": 5, "c_column": 5})
>>> [e.pure for e in solution.equilibria]
[True, False, True]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    CredibilityError,
    ExpressionError,
    GameFileError,
    GameTooLargeError,
    ParameterError,
    UnknownGameError,
)
from .render import render  # eager: the name is also the subpackage's (and it is light)

if TYPE_CHECKING:
    from .api import load, qre, solve, thresholds
    from .catalog import catalog_names
    from .models import (
        Bimatrix,
        GameInfo,
        GameTree,
        Move,
        Node,
        NormalForm,
        SenderType,
        SignallingGame,
    )
    from .parameters import Parameter
    from .quantal import qre_threshold as qre_threshold
    from .sweeps import sweep

__all__ = [
    "Bimatrix",
    "CredibilityError",
    "ExpressionError",
    "GameFileError",
    "GameInfo",
    "GameTooLargeError",
    "GameTree",
    "Move",
    "Node",
    "NormalForm",
    "Parameter",
    "ParameterError",
    "SenderType",
    "SignallingGame",
    "UnknownGameError",
    "catalog_names",
    "load",
    "qre",
    "qre_threshold",
    "render",
    "solve",
    "sweep",
    "thresholds",
]

__version__ = "0.1.0"

# The rest of the public names, each imported with its module when first used (PEP 562), so
# that `import credibility` stays fast: solving needs numpy, symbolic work sympy, sweeps more.
_LAZY = {
    "load": "api",
    "qre": "api",
    "solve": "api",
    "thresholds": "api",
    "catalog_names": "catalog",
    "Bimatrix": "models",
    "GameInfo": "models",
    "GameTree": "models",
    "Move": "models",
    "Node": "models",
    "NormalForm": "models",
    "SenderType": "models",
    "SignallingGame": "models",
    "Parameter": "parameters",
    # Not in __all__, which tests/test_startup.py pins: reachable as cr.qre_threshold.
    "qre_threshold": "quantal",
    "sweep": "sweeps",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # lazy: start-up time
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
