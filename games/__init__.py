"""The catalog of named deterrence models, written in the user's own file format.

Each ``*.toml`` file here is a game file (see ``game-format.md``) that cites
its source; the model's name is the file stem.
"""

from credibility.catalog import catalog_names as names
from credibility.catalog import load_catalog_model as load

__all__ = ["load", "names"]
