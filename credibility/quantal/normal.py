"""Logit QRE of strategic-form games with any number of players.

:func:`qre_normal` converts the game to float payoff tensors (player ``i``'s of
shape ``(m_1, ..., m_n)``), traces the principal branch
(:func:`~credibility.quantal.branch.trace_profile_branch`), refines the equilibrium at
each requested ``lambda`` by Newton's method on the fixed point (from the point where
the branch first reaches that ``lambda``) and names the exact Nash equilibrium the
branch approaches, when it can (:func:`exact_limit`).

:func:`trace_limit` (from :mod:`~credibility.quantal.branch`, re-exported here) is the
numeric side on its own: the branch's last point, traced until the profile's regret is
below a tolerance, an approximate Nash equilibrium (the one the logit tracing procedure
selects) of a game given by float tensors.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import reduce
from typing import TYPE_CHECKING

import numpy as np

from ..models import NormalForm
from ..parameters import ParamValues
from .branch import (
    LIMIT_TOLERANCE,
    Array,
    BranchLimit,
    lambda_max_of,
    normalised_payoffs,
    points_on_branch,
    profile_residual,
    split_profile,
    trace_limit,
    trace_profile_branch,
)
from .result import BranchPoint, QREPoint, QREResult

if TYPE_CHECKING:
    from ..solvers.normal_nash import NormalEquilibrium

__all__ = ["LIMIT_TOLERANCE", "BranchLimit", "exact_limit", "qre_normal", "trace_limit"]

#: The branch is traced until the regret is below this, relative to the payoffs' range.
TRACE_TOLERANCE = 1e-7


def qre_normal(
    game: NormalForm, lambdas: Sequence[float], params: ParamValues | None = None
) -> QREResult:
    """The logit QRE of ``game`` at each of ``lambdas`` and the principal branch's limit.

    Parameters
    ----------
    game : NormalForm
    lambdas : sequence of float
        Precisions ``lambda >= 0`` (validated by :func:`credibility.qre`).
    params : mapping of str to number or fraction string, optional
        Parameter values overriding the defaults.

    Returns
    -------
    QREResult
        ``branch`` holds every player's profile along the branch; ``limit`` is the
        exact equilibrium the branch approaches, or None (see :func:`exact_limit`).

    Examples
    --------
    >>> import credibility as cr
    >>> result = qre_normal(cr.load("volunteers_dilemma"), [0, 1], {"c": 2})
    >>> [round(x, 4) for x in result.points[1].strategies["Ally 1"].values()]
    [0.383, 0.617]
    >>> result.limit.strategies["Ally 1"]  # the symmetric mixed equilibrium
    {'Defend': 1 - sqrt(2)/2, 'Abstain': sqrt(2)/2}
    """
    binding = game.bind(params)
    shape = game.shape
    tensors, unit = normalised_payoffs(game.numeric(binding), shape)  # lambda scales by 1/unit
    scale = float(unit)
    # 1e-7: the limit is named within 1e-4 of an exact equilibrium; tighter regrets
    # cost many more steps where lambda * payoffs nears double precision.
    passed: list[tuple[float, float]] = []
    path, _ = trace_profile_branch(
        tensors,
        tolerance=TRACE_TOLERANCE,
        lambda_max=lambda_max_of(tensors),
        bifurcations=passed,
    )
    points = []
    found = points_on_branch(tensors, path, [lam * scale for lam in lambdas])
    for lam, (at, x) in zip(lambdas, found):
        points.append(_point(game, tensors, (lam, at, scale), split_profile(shape, x)))
    branch = tuple(
        BranchPoint(
            float(y[-1]) / scale,
            profile=tuple(tuple(p.tolist()) for p in split_profile(shape, y)),
        )
        for y in path
    )
    limit, distance = exact_limit(game, params, branch[-1].profile)
    return QREResult(
        game=game,
        parameters=dict(binding.values),
        points=tuple(points),
        branch=branch,
        limit=limit,
        limit_distance=distance,
        method="path-following",
        bifurcations=tuple((a / scale, b / scale) for a, b in passed),
    )


def exact_limit(
    game: NormalForm,
    params: ParamValues | None,
    last: Sequence[Sequence[float]],
) -> tuple[NormalEquilibrium | None, float | None]:
    """The exact equilibrium within :data:`LIMIT_TOLERANCE` of ``last``, and its distance.

    The candidates are what :func:`credibility.solve` finds: every equilibrium, pure
    and mixed, of a game small enough to enumerate by default; the pure ones of a
    larger game (whose branch may then approach a mixed equilibrium that is not a
    candidate, giving None).

    Parameters
    ----------
    game : NormalForm
    params : mapping, optional
        The parameter values (as given to :func:`qre_normal`).
    last : sequence of sequences of float
        Each player's mixed strategy at the branch's last point.

    Returns
    -------
    tuple
        The equilibrium (or None) and the largest difference of a probability
        between it and ``last`` (or None when there is no candidate).
    """
    from ..solvers.normal_nash import MixedProfile, solve_normal  # lazy: start-up time

    best: NormalEquilibrium | None = None
    distance: float | None = None
    for e in solve_normal(game, params).equilibria:
        if isinstance(e, MixedProfile):
            profile: Sequence[Sequence[float]] = e.approx
        else:
            profile = [
                [float(k == chosen) for k in range(m)] for chosen, m in zip(e.profile, game.shape)
            ]
        d = max(max(abs(a - b) for a, b in zip(p, q)) for p, q in zip(profile, last))
        if distance is None or d < distance:
            best, distance = e, d
    if distance is None or distance > LIMIT_TOLERANCE:
        return None, distance
    return best, distance


def _point(
    game: NormalForm,
    tensors: Sequence[Array],
    where: tuple[float, float, float],
    profile: list[Array],
) -> QREPoint:
    """The point at ``where = (lambda asked, lambda of the normalised game, scale)``."""
    lam, at, scale = where
    joint = reduce(np.multiply.outer, profile)  # row-major: the last player fastest
    labels = ("/".join(p) for p in itertools.product(*game.strategies))
    return QREPoint(
        lam=float(lam),
        strategies={
            who: dict(zip(strategies, p.tolist()))
            for who, strategies, p in zip(game.players, game.strategies, profile)
        },
        payoffs=tuple(float((T * joint).sum()) * scale for T in tensors),
        outcomes=dict(zip(labels, joint.ravel().tolist())),
        residual=profile_residual(tensors, at, profile),
    )
