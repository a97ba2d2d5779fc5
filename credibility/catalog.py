"""Find the catalog's game files by name.

The catalog is the ``games`` folder at the top of the source tree, which a
built wheel carries inside the package as ``credibility/games``. It is found
by its path relative to this package, never by module name, so a ``games``
package of the user's own cannot take its place.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import UnknownGameError
from .io.toml_loader import parse_toml
from .models import Game, GameInfo

__all__ = ["CatalogEntry", "catalog_entries", "catalog_names", "load_catalog_model"]


@dataclass(frozen=True)
class CatalogEntry:
    """A catalog model's kind and description, read without building the model.

    Attributes
    ----------
    kind : str
        ``"bimatrix"``, ``"tree"`` or ``"signalling"``.
    info : GameInfo
        Name, title, description and source.
    """

    kind: str
    info: GameInfo


def _catalog() -> Path:
    here = Path(__file__).resolve().parent
    installed = here / "games"
    return installed if installed.is_dir() else here.parent / "games"


def catalog_names() -> list[str]:
    """The names of the catalog's models, sorted.

    Examples
    --------
    >>> "chicken" in catalog_names()
    True
    """
    return sorted(f.name[:-5] for f in _catalog().iterdir() if f.name.endswith(".toml"))


def catalog_entries() -> list[CatalogEntry]:
    """Every catalog model's kind and description, by name (what ``credibility models`` lists).

    Only the files' top-level keys are read: listing the catalog neither builds nor
    checks the models (:func:`load_catalog_model` does, and the catalog's tests load
    every one).

    Examples
    --------
    >>> entry = catalog_entries()[catalog_names().index("chicken")]
    >>> entry.kind, entry.info.title
    ('bimatrix', 'Chicken (brinkmanship)')
    """
    entries = []
    for name in catalog_names():
        data = tomllib.loads(_catalog().joinpath(f"{name}.toml").read_text(encoding="utf-8"))
        info = GameInfo(
            title=str(data.get("title", "")),
            name=name,
            description=str(data.get("description", "")),
            source=str(data.get("source", "")),
        )
        entries.append(CatalogEntry(str(data.get("kind", "")), info))
    return entries


def load_catalog_model(name: str) -> Game:
    """Load the catalog model ``name``; an unknown name suggests close matches."""
    names = catalog_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownGameError(
            f"'{name}' is neither a game file nor a catalog model{hint} "
            "(credibility models lists the catalog)"
        )
    return _parsed(name)


@cache
def _parsed(name: str) -> Game:
    """A catalog model, parsed once per process (games are immutable, so one copy serves all)."""
    text = _catalog().joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return parse_toml(text, source=f"games/{name}.toml", name=name)
