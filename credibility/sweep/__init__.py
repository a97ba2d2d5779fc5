"""Sweeps: outcome maps over grids of parameter values, vectorised, resumable, on Dask.

>>> import credibility as cr
>>> from credibility.sweep import parse_grid, sweep
>>> result = sweep(cr.load("sinking_costs"), dict([parse_grid("m=0:4:3")]))
>>> result.outcomes
{'pooling': 2, 'pooling + separating': 1}
"""

from .columns import columns_help
from .engine import sweep
from .grid import parse_grid
from .result import SweepResult

__all__ = ["SweepResult", "columns_help", "parse_grid", "sweep"]
