"""credibility: a game-theoretic deterrence credibility calculator.

Load a game (a file, a catalog name or Python objects), solve it exactly, and
derive the thresholds at which deterrence holds.

>>> import credibility as cr
>>> solution = cr.solve(cr.load("chicken"), params={"c_row": 5, "c_column": 5})
>>> [e.pure for e in solution.equilibria]
[True, False, True]
"""

from .api import load, solve, thresholds
from .catalog import catalog_names
from .errors import (
    CredibilityError,
    ExpressionError,
    GameFileError,
    GameTooLargeError,
    ParameterError,
    UnknownGameError,
)
from .models import Bimatrix, GameInfo, GameTree, Move, Node, SenderType, SignallingGame
from .parameters import Parameter
from .render import render
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
    "Parameter",
    "ParameterError",
    "SenderType",
    "SignallingGame",
    "UnknownGameError",
    "catalog_names",
    "load",
    "render",
    "solve",
    "sweep",
    "thresholds",
]

__version__ = "0.1.0"
