"""Logit quantal response equilibria (McKelvey & Palfrey 1995, 1998).

Players who err: each chooses a strategy with probability proportional to
``exp(lambda * expected payoff)``. At ``lambda = 0`` choice is uniform; as
``lambda`` grows the equilibria approach Nash equilibria (strategic forms: along
the principal branch, Turocy 2005) or the subgame-perfect equilibrium (the
agent QRE of a game tree).

Modules: :mod:`.branch` (path following on float payoff tensors of any number of
players), :mod:`.bimatrix`, :mod:`.normal` (strategic forms of any number of players),
:mod:`.tree` (agent QRE, vectorised), :mod:`.result`, :mod:`.render`, :mod:`.fit`
(maximum-likelihood estimation of ``lambda`` from outcome counts), :mod:`.crossing`
(where an outcome's probability crosses a level).
"""

from __future__ import annotations

from .api import DEFAULT_LAMBDAS, fit_qre, qre, read_counts
from .crossing import QRECrossing, QREThreshold, qre_threshold
from .result import BranchPoint, QREPoint, QREResult

__all__ = [
    "DEFAULT_LAMBDAS",
    "BranchPoint",
    "QRECrossing",
    "QREPoint",
    "QREResult",
    "QREThreshold",
    "fit_qre",
    "qre",
    "qre_threshold",
    "read_counts",
]
