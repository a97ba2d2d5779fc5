"""The game models: immutable, validated, payoffs as sympy expressions."""

from .bimatrix import Bimatrix
from .common import Binding, GameInfo
from .normal import NormalForm
from .signalling import SenderType, SignallingGame
from .symmetric import SymmetricGame
from .tree import GameTree, Move, Node

Game = Bimatrix | GameTree | SignallingGame | NormalForm | SymmetricGame

__all__ = [
    "Bimatrix",
    "Binding",
    "Game",
    "GameInfo",
    "GameTree",
    "Move",
    "Node",
    "NormalForm",
    "SenderType",
    "SignallingGame",
    "SymmetricGame",
]
