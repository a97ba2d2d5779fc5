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

from .columns import columns_help
from .engine import sweep
from .grid import parse_grid
from .result import SweepResult

__all__ = ["SweepResult", "columns_help", "parse_grid", "sweep"]
