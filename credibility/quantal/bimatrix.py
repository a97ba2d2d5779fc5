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
from .branch import (
    LIMIT_TOLERANCE,
    Array,
    fixed_point_residual,
    lambda_max_of,
    normalised_payoffs,
    points_on_branch,
    trace_branch,
)
from .result import BranchPoint, QREPoint, QREResult

__all__ = ["qre_bimatrix"]


def qre_bimatrix(
    game: Bimatrix, lambdas: Sequence[float], params: ParamValues | None = None
) -> QREResult:
    """The logit QRE of ``game`` at each of ``lambdas`` and the principal branch's limit."""
    binding = game.bind(params)
    A_exact, B_exact = game.numeric(binding)
    m, n = len(A_exact), len(A_exact[0])
    flat = [[v for row in matrix for v in row] for matrix in (A_exact, B_exact)]
    (A, B), unit = normalised_payoffs(flat, (m, n))  # lambda scales by 1 / unit
    scale = float(unit)
    passed: list[tuple[float, float]] = []
    path, _ = trace_branch(A, B, lambda_max=lambda_max_of([A, B]), bifurcations=passed)
    points = []
    found = points_on_branch([A, B], path, [lam * scale for lam in lambdas])
    for lam, (at, x) in zip(lambdas, found):
        points.append(_point(game, A, B, (lam, at, scale), np.exp(x[:m]), np.exp(x[m:])))
    branch = tuple(
        BranchPoint(
            float(y[-1]) / scale, tuple(np.exp(y[:m]).tolist()), tuple(np.exp(y[m:-1]).tolist())
        )
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
        bifurcations=tuple((a / scale, b / scale) for a, b in passed),
    )


def _point(
    game: Bimatrix, A: Array, B: Array, where: tuple[float, float, float], p: Array, q: Array
) -> QREPoint:
    """The point at ``where = (lambda asked, lambda of the normalised game, scale)``."""
    lam, at, scale = where
    rows, cols = game.row_strategies, game.column_strategies
    joint = np.outer(p, q)
    return QREPoint(
        lam=float(lam),
        strategies={
            game.players[0]: dict(zip(rows, p.tolist())),
            game.players[1]: dict(zip(cols, q.tolist())),
        },
        payoffs=(float(p @ A @ q) * scale, float(p @ B @ q) * scale),
        outcomes={
            f"{r}/{c}": float(joint[i, j]) for i, r in enumerate(rows) for j, c in enumerate(cols)
        },
        residual=fixed_point_residual(A, B, at, p, q),
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
