"""The ``credibility`` command and ``python -m credibility``.

The command-line front end is ``cli.py`` at the top of the source tree; a
built wheel carries it inside the package as ``credibility/cli.py`` (with the
catalog as ``credibility/games/``), so that an installed wheel adds nothing
but ``credibility`` to ``site-packages``. The front end is loaded by its path,
never by module name, so a ``cli.py`` of the user's own in the working
directory cannot take its place.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

__all__ = ["front_end", "main"]


def front_end() -> ModuleType:
    """The ``cli`` module: inside the package when installed, else beside it."""
    name = "credibility._front_end"
    if name in sys.modules:
        return sys.modules[name]
    here = Path(__file__).resolve().parent
    for path in (here / "cli.py", here.parent / "cli.py"):
        if path.is_file():
            spec = importlib.util.spec_from_file_location(name, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            return module
    raise ImportError(f"the command-line front end cli.py is missing beside {here}")


def main(argv: list[str] | None = None) -> None:
    """Run the command line (the ``credibility`` console script)."""
    front_end().main(argv)


if __name__ == "__main__":
    main()
