"""Logit QRE of bimatrix games: bind, trace the principal branch, identify its limit.

:func:`qre_bimatrix` converts the game to float matrices, traces the branch
(:func:`~credibility.quantal.branch.trace_branch`), refines the equilibrium at each
requested ``lambda`` by Newton's method on the fixed point (from the point
where the branch first reaches that ``lambda``), and names the exact Nash
equilibrium (from :func:`credibility.solve`) that the branch approaches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..models import Bimatrix
from ..parameters import ParamValues
from ..solvers.nash import solve_bimatrix
from .branch import Array, crossings, fixed_point_residual, solve_at, trace_branch
from .result import BranchPoint, QREPoint, QREResult

__all__ = ["qre_bimatrix"]

#: The branch's last point must lie this close (each probability) to an exact equilibrium.
LIMIT_TOLERANCE = 1e-4


def qre_bimatrix(
    game: Bimatrix, lambdas: Sequence[float], params: ParamValues | None = None
) -> QREResult:
    """The logit QRE of ``game`` at each of ``lambdas`` and the principal branch's limit."""
    binding = game.bind(params)
    A_exact, B_exact = game.numeric(binding)
    A = np.array(A_exact, dtype=float)
    B = np.array(B_exact, dtype=float)
    m = A.shape[0]
    scale = max(float(np.ptp(A)), float(np.ptp(B)))
    lambda_max = 1e9 / scale if scale > 0 else 1.0
    path, _ = trace_branch(A, B, lambda_max=lambda_max)
    points = []
    for lam, guess in zip(lambdas, crossings(path, lambdas)):
        x = solve_at(A, B, lam, guess)
        points.append(_point(game, A, B, lam, np.exp(x[:m]), np.exp(x[m:])))
    branch = tuple(
        BranchPoint(float(y[-1]), tuple(np.exp(y[:m]).tolist()), tuple(np.exp(y[m:-1]).tolist()))
        for y in path
    )
    solution = solve_bimatrix(game, params, exact=True)
    limit, distance = _nearest(solution.equilibria, branch[-1])
    return QREResult(
        game=game,
        parameters=dict(binding.values),
        points=tuple(points),
        branch=branch,
        limit=limit if distance <= LIMIT_TOLERANCE else None,
        limit_distance=distance,
        method="path-following",
    )


def _point(game: Bimatrix, A: Array, B: Array, lam: float, p: Array, q: Array) -> QREPoint:
    rows, cols = game.row_strategies, game.column_strategies
    joint = np.outer(p, q)
    return QREPoint(
        lam=float(lam),
        strategies={
            game.players[0]: dict(zip(rows, p.tolist())),
            game.players[1]: dict(zip(cols, q.tolist())),
        },
        payoffs=(float(p @ A @ q), float(p @ B @ q)),
        outcomes={
            f"{r}/{c}": float(joint[i, j]) for i, r in enumerate(rows) for j, c in enumerate(cols)
        },
        residual=fixed_point_residual(A, B, lam, p, q),
    )


def _nearest(equilibria: Sequence[Any], last: BranchPoint) -> tuple[Any, float]:
    best, distance = None, float("inf")
    for e in equilibria:
        d = max(
            max(abs(float(x) - y) for x, y in zip(e.row, last.row)),
            max(abs(float(x) - y) for x, y in zip(e.column, last.column)),
        )
        if d < distance:
            best, distance = e, d
    return best, distance
