"""Load a game file by its suffix."""

from __future__ import annotations

from pathlib import Path

from ..models import Bimatrix, GameTree, SignallingGame
from .toml_loader import load_toml

__all__ = ["load_path"]


def load_path(path: str | Path) -> Bimatrix | GameTree | SignallingGame:
    """Load a ``.toml`` game file or a Gambit ``.nfg`` file."""
    path = Path(path)
    if path.suffix == ".nfg":
        from .gambit import read_nfg

        return read_nfg(path)
    return load_toml(path)
