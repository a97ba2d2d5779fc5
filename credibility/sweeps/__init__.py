"""Sweeps: outcome maps over grids of parameter values, vectorised, resumable, on Dask.

The package is ``credibility.sweeps``; its function ``sweep`` is re-exported
as ``cr.sweep``, and its modules import as usual (``import
credibility.sweeps.grid``).

Modules: ``grid`` (parsing, exact axes, chunks), ``tree`` and ``signalling``
(vectorised evaluators), ``rows`` (the exact per-point rows), ``compiled``
(lambdified expressions and tolerances), ``tasks`` and ``dask_runner`` (where
chunks run), ``writers`` and ``store`` (formats; atomic, resumable output),
``progress``, ``result``, ``picture`` (``--plot``), ``engine`` (``sweep``).

>>> import credibility as cr
>>> from credibility.sweeps import parse_grid, sweep
>>> result = sweep(cr.load("sinking_costs"), dict([parse_grid("m=0:4:3")]))
>>> result.outcomes
{'pooling + semi-separating': 1, 'separating + pooling': 1, 'pooling': 1}
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .columns import columns_help

if TYPE_CHECKING:
    from .engine import sweep
    from .grid import parse_grid
    from .result import SweepResult

__all__ = ["SweepResult", "columns_help", "parse_grid", "sweep"]

_LAZY = {"sweep": "engine", "parse_grid": "grid", "SweepResult": "result"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # lazy: start-up time (the engine imports numpy, sympy and the solvers)
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value
