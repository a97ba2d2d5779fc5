"""The symmetric logit QRE of a symmetric n-player game with two actions.

Notation as in :mod:`credibility.models.symmetric`: ``n`` members, ``u1(k)`` and ``u2(k)``
a member's payoffs from the first and the second action when ``k`` of the other ``n - 1``
choose the first. If every other member chooses the first action with probability ``p``
(``q = 1 - p``), a member's expected payoff from action ``a`` is

    U_a(p) = sum_k C(n-1, k) p^k q^(n-1-k) u_a(k),

and a *symmetric* logit QRE at precision ``lambda`` is a ``p`` with
``p = exp(lambda U_1) / (exp(lambda U_1) + exp(lambda U_2))``.

The principal branch of the full game starts at the uniform profile, which is symmetric,
and the logit response of a symmetric profile is symmetric: the branch stays on the
symmetric profiles as long as it is the unique continuation, so it is traced there, with
one agent standing for every member (McKelvey & Palfrey 1995 for the correspondence; the
reduction to one ``p`` is how the volunteer's dilemma QRE is usually computed, e.g. Goeree,
Holt & Smith 2017, "An experimental examination of the volunteer's dilemma", *Games and
Economic Behavior* 102). That makes a game of 32 members as cheap as one of 2, where the
strategic form would have ``2^32`` cells. Where asymmetric QRE branch off the symmetric
ones (a symmetry-breaking bifurcation) this module follows the symmetric one only; the
bifurcations the tracer detects on it are reported. The path follower is that of
:mod:`credibility.quantal.branch`, on ``x = (log p, log q)``; the weights
``C(n-1, k) p^k q^(n-1-k)`` are computed in log space, so no power underflows.

As ``lambda`` grows the branch approaches a symmetric Nash equilibrium, named exactly among
those :func:`credibility.solve` lists when one lies within ``1e-4`` of the branch's end.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..models import SymmetricGame
from ..parameters import ParamValues
from ..solvers.symmetric import SymmetricEquilibrium, solve_symmetric
from .branch import (
    LIMIT_TOLERANCE,
    Array,
    BranchModel,
    logit_response,
    normalised_payoffs,
    points_on_system,
    trace_system,
)
from .result import BranchPoint, QREPoint, QREResult

__all__ = [
    "SymmetricSystem",
    "branch_model",
    "normalised_system",
    "outcome_labels",
    "qre_symmetric",
]


class SymmetricSystem:
    """Turocy's system of the symmetric logit QRE (a :class:`BranchSystem` of one agent).

    Parameters
    ----------
    first, second : arrays of shape (n,)
        ``u1(k)`` and ``u2(k)`` for ``k = 0 .. n-1``.

    Examples
    --------
    >>> system = SymmetricSystem(np.array([3.0, 3.0]), np.array([0.0, 4.0]))  # n = 2
    >>> q1, q2 = system.payoffs(np.log([0.5, 0.5]))
    >>> float(q1), float(q2)
    (3.0, 2.0)
    """

    def __init__(self, first: Array, second: Array) -> None:
        self.u = np.vstack([np.asarray(first, dtype=float), np.asarray(second, dtype=float)])
        self.n = self.u.shape[1]
        k = np.arange(self.n)
        self.k = k
        self.log_binomial = np.array([math.log(math.comb(self.n - 1, j)) for j in range(self.n)])
        spread = float(np.ptp(self.u))
        self._scale = spread if spread > 0 else 1e-300

    @property
    def shape(self) -> tuple[int, ...]:
        """One agent (every member alike) with two choices."""
        return (2,)

    @property
    def scale(self) -> float:
        """The payoffs' range."""
        return self._scale

    def _weights(self, x: Array) -> Array:
        """``C(n-1, k) p^k q^(n-1-k)`` for each ``k``, from ``x = (log p, log q)``."""
        return np.exp(self.log_binomial + self.k * x[0] + (self.n - 1 - self.k) * x[1])

    def payoffs(self, x: Array) -> Array:
        """``(U_1, U_2)`` at ``x = (log p, log q)``."""
        return np.asarray(self.u @ self._weights(x))

    def system(self, y: Array) -> tuple[Array, Array]:
        """``H(y)`` and its Jacobian: ``x_2 - x_1 - lambda (U_2 - U_1)`` and ``p + q - 1``."""
        x, lam = y[:2], y[2]
        w = self._weights(x)
        q = self.u @ w
        d_first = self.u @ (self.k * w)  # dU_a / dx_1
        d_second = self.u @ ((self.n - 1 - self.k) * w)  # dU_a / dx_2
        probs = np.exp(x)
        H = np.array([x[1] - x[0] - lam * (q[1] - q[0]), probs.sum() - 1.0])
        J = np.array(
            [
                [
                    -1.0 - lam * (d_first[1] - d_first[0]),
                    1.0 - lam * (d_second[1] - d_second[0]),
                    -(q[1] - q[0]),
                ],
                [probs[0], probs[1], 0.0],
            ]
        )
        return H, J

    def log_residual(self, lam: float, x: Array) -> float:
        """``|(p, q) - logit(lambda, U)|``, largest entry."""
        return float(np.abs(np.exp(x) - logit_response(lam, self.payoffs(x))).max())

    def log_regret(self, x: Array) -> float:
        """A member's gain from its best action over its mix."""
        q = self.payoffs(x)
        return float(q.max() - np.exp(x) @ q)


def outcome_labels(game: SymmetricGame) -> tuple[str, str]:
    """Whether at least ``answer_at_least`` members choose the first action (the alliance
    answers), or not; the count as the game gives it (``m`` if it is a parameter), so that
    the labels do not change with the parameters.

    Examples
    --------
    >>> import credibility as cr
    >>> outcome_labels(cr.load("article5_threshold"))
    ('at least m choose Answer', 'fewer than m choose Answer')
    """
    first = game.actions[0]
    m = str(game.answer_at_least)
    missing = f"no member chooses {first}" if m == "1" else f"fewer than {m} choose {first}"
    return (f"at least {m} choose {first}", missing)


def normalised_system(
    game: SymmetricGame, params: ParamValues | None
) -> tuple[SymmetricSystem, float, int, int]:
    """The system of the payoffs divided exactly by their largest magnitude, that magnitude,
    ``n`` and the answering count."""
    binding = game.bind(params)
    first, second = game.payoff_values(binding)
    (u1, u2), unit = normalised_payoffs([first, second], (len(first),))
    return SymmetricSystem(u1, u2), float(unit), game.members(binding), game.answer_count(binding)


def _answer(p: float, n: int, m: int) -> float:
    """``P(at least m of n choose the first action)`` when each does with probability ``p``."""
    return float(sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(m, n + 1)))


def branch_model(game: SymmetricGame, params: ParamValues | None = None) -> BranchModel:
    """The symmetric QRE's branch system at ``params``, with the outcome probabilities.

    Examples
    --------
    >>> import credibility as cr
    >>> model = branch_model(cr.load("collective_defence_n"), {"n": 3})
    >>> model.outcomes(np.log([0.5, 0.5])).tolist()  # whether at least one defends
    [0.875, 0.125]
    """
    system, unit, n, m = normalised_system(game, params)

    def outcomes(x: Array) -> Array:
        answer = _answer(float(np.exp(x[0])), n, m)
        return np.array([answer, 1.0 - answer])

    return BranchModel(system, unit, outcomes)


def qre_symmetric(
    game: SymmetricGame, lambdas: Sequence[float], params: ParamValues | None = None
) -> QREResult:
    """The symmetric logit QRE of ``game`` at each of ``lambdas``, on the principal branch.

    Parameters
    ----------
    game : SymmetricGame
    lambdas : sequence of float
        Precisions ``lambda >= 0``.
    params : mapping, optional
        Parameter values overriding the defaults (``n`` among them, if it is a parameter).

    Returns
    -------
    QREResult
        Points with every member's mix (under the key ``"each member"``), each member's
        expected payoff (``n`` equal entries), the probability that the alliance answers
        and that it does not; the branch; and the symmetric equilibrium it approaches.

    Examples
    --------
    >>> import credibility as cr
    >>> result = qre_symmetric(cr.load("collective_defence_n"), [0.0, 2.0], {"n": 5})
    >>> round(result.points[1].strategies["each member"]["Defend"], 4)
    0.3536
    >>> str(result.limit.p)  # Diekmann's 1 - (c/b)^(1/(n-1))
    '1 - sqrt(2)/2'
    """
    binding = game.bind(params)
    system, scale, n, m = normalised_system(game, params)
    passed: list[tuple[float, float]] = []
    path, _ = trace_system(system, lambda_max=1e9 / system.scale, bifurcations=passed)
    found = points_on_system(system, path, [lam * scale for lam in lambdas])
    labels = outcome_labels(game)
    points = []
    for lam, (at, x) in zip(lambdas, found):
        p = float(np.exp(x[0]))
        answer = _answer(p, n, m)
        value = float(np.exp(x) @ system.payoffs(x)) * scale
        points.append(
            QREPoint(
                lam=lam,
                strategies={"each member": dict(zip(game.actions, np.exp(x).tolist()))},
                payoffs=(value,) * n,
                outcomes=dict(zip(labels, (answer, 1.0 - answer))),
                residual=system.log_residual(at, x),
            )
        )
    branch = tuple(
        BranchPoint(float(y[-1]) / scale, profile=(tuple(np.exp(y[:2]).tolist()),)) for y in path
    )
    end = float(np.exp(path[-1, 0]))
    limit, distance = _nearest(solve_symmetric(game, params).equilibria, end)
    return QREResult(
        game=game,
        parameters=dict(binding.values),
        points=tuple(points),
        branch=branch,
        limit=limit if distance <= LIMIT_TOLERANCE else None,
        limit_distance=distance if math.isfinite(distance) else None,
        method="path-following",
        bifurcations=tuple((a / scale, b / scale) for a, b in passed),
    )


def _nearest(
    equilibria: Sequence[SymmetricEquilibrium], p: float
) -> tuple[SymmetricEquilibrium | None, float]:
    best: SymmetricEquilibrium | None = None
    best_distance = math.inf
    for e in equilibria:
        distance = abs(float(e.p.evalf(30)) - p)
        if distance < best_distance:
            best, best_distance = e, distance
    return best, best_distance
