"""Logit agent QRE of signalling games: the principal branch, beliefs by Bayes' rule.

Notation: types ``t`` with prior ``pi_t``, messages ``m``, responses ``r``;
``S[t, m, r]`` and ``R[t, m, r]`` are the sender's and the receiver's payoffs.
The agents (McKelvey & Palfrey 1998, agent QRE) are the sender's types, each
choosing a message, and the receiver's information sets, one per message, each
choosing a response. At precision ``lambda``,

    sigma(m | t) = softmax_m(lambda Q_t(m)),   Q_t(m) = sum_r rho(r | m) S[t, m, r],
    rho(r | m)   = softmax_r(lambda Q_m(r)),   Q_m(r) = sum_t mu(t | m) R[t, m, r],
    mu(t | m)    = pi_t sigma(m | t) / sum_s pi_s sigma(m | s).

Every message is sent with positive probability at finite ``lambda``, so the
belief is Bayes' rule everywhere: there is no off-path belief to choose. Each
agent responds to its *conditional* expected payoff (given that its
information set is reached), which is why this is not the QRE of a fixed
strategic form: scaling a receiver agent's payoffs by the probability of its
message would change its logit choice.

The principal branch is traced from uniform choice at ``lambda = 0`` by the path
follower of :mod:`credibility.quantal.branch` on Turocy's system in
log-probabilities (:class:`~credibility.quantal.branch.BranchSystem`), with the
Jacobian in closed form:

- ``dQ_t(m) / dx_{m', r} = [m = m'] rho(r | m) S[t, m, r]`` (``x`` the
  log-probabilities);
- ``dQ_m(r) / dx_{t, m'} = [m = m'] w_t (R[t, m, r] - Q_m(r)) / W`` with
  ``w_t = pi_t sigma(m | t)`` and ``W = sum_t w_t``.

As ``lambda`` grows the branch approaches a sequential equilibrium (McKelvey &
Palfrey 1998, Theorem 6: limit points of agent QRE are sequential equilibria),
beliefs included. The limit is named among the exact perfect Bayesian equilibria
:func:`credibility.solve` finds: the one whose strategies lie within ``1e-4`` of
the branch's last point (off the path of that equilibrium: whose response set, the
box of its extreme responses, contains the branch's response to within ``1e-4``;
with two responses the box is the set itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

import numpy as np

from ..models import SignallingGame
from ..parameters import ParamValues
from ..solvers.pbe import SignallingEquilibrium, SignallingSolution, solve_signalling
from .branch import (
    LIMIT_TOLERANCE,
    Array,
    BranchModel,
    logit_response,
    normalised_payoffs,
    points_on_system,
    split_profile,
    trace_system,
)
from .result import BranchPoint, QREPoint, QREResult

__all__ = [
    "SignallingSystem",
    "agent_labels",
    "branch_model",
    "normalised_arrays",
    "outcome_labels",
    "qre_signalling",
]


class SignallingSystem:
    """Turocy's system of a signalling game's agent QRE (a :class:`BranchSystem`).

    Parameters
    ----------
    prior : array of shape (T,)
        Nature's probability of each type.
    sender, receiver : arrays of shape (T, M, R)
        ``sender[t, m, r]`` and ``receiver[t, m, r]``: the payoffs when type ``t``
        sends ``m`` and the receiver responds ``r``.

    Examples
    --------
    >>> S = np.array([[[1.0, 0.0], [0.0, 1.0]]])  # one type: a plain decision problem
    >>> system = SignallingSystem(np.array([1.0]), S, S)
    >>> system.shape
    (2, 2, 2)
    """

    def __init__(self, prior: Array, sender: Array, receiver: Array) -> None:
        self.prior = np.asarray(prior, dtype=float)
        self.sender = np.asarray(sender, dtype=float)
        self.receiver = np.asarray(receiver, dtype=float)
        types, messages, responses = self.sender.shape
        self.types, self.messages, self.responses = types, messages, responses
        self._shape = (messages,) * types + (responses,) * messages
        spread = max(float(np.ptp(self.sender)), float(np.ptp(self.receiver)))
        self._scale = spread if spread > 0 else 1e-300

    @property
    def shape(self) -> tuple[int, ...]:
        """``M`` choices for each of the ``T`` types, then ``R`` for each of the ``M`` messages."""
        return self._shape

    @property
    def scale(self) -> float:
        """The larger of the two players' payoff ranges."""
        return self._scale

    def strategies(self, probs: Sequence[Array]) -> tuple[Array, Array]:
        """``sigma[t, m]`` and ``rho[m, r]`` from the agents' probabilities."""
        T = self.types
        return np.array(probs[:T]), np.array(probs[T:])

    def _bayes(self, x_sender: Array) -> Array:
        """``mu[m, t]`` from the sender's log-probabilities ``x[t, m]``, in log space: a
        message's probabilities may all underflow while their ratios are still exact."""
        with np.errstate(divide="ignore"):  # log 0 = -inf: a type of prior 0
            a = (np.log(self.prior)[:, None] + x_sender).T  # (M, T)
        a = a - a.max(axis=1, keepdims=True)
        e = np.exp(a)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def values(self, x: Array) -> tuple[Array, Array, Array]:
        """``Q_t(m)``, ``Q_m(r)`` and the beliefs ``mu[m, t]`` at log-probabilities ``x``."""
        T, M, R = self.types, self.messages, self.responses
        mu = self._bayes(x[: T * M].reshape(T, M))
        rho = np.exp(x[T * M :].reshape(M, R))
        q_sender = np.einsum("tmr,mr->tm", self.sender, rho)
        q_receiver = np.einsum("mt,tmr->mr", mu, self.receiver)
        return q_sender, q_receiver, mu

    def system(self, y: Array) -> tuple[Array, Array]:
        """``H(y)`` and its Jacobian (see the module docstring)."""
        T, M, R = self.types, self.messages, self.responses
        lam = y[-1]
        x_sender = y[: T * M].reshape(T, M)
        x_receiver = y[T * M : -1].reshape(M, R)
        sigma, rho = np.exp(x_sender), np.exp(x_receiver)
        mu = self._bayes(x_sender)  # mu[m, t] = w[t, m] / W[m], w[t, m] = pi_t sigma(m | t)
        q_sender = np.einsum("tmr,mr->tm", self.sender, rho)
        q_receiver = np.einsum("mt,tmr->mr", mu, self.receiver)
        size = T * M + M * R
        H = np.empty(size)
        J = np.zeros((size, size + 1))
        # dQ_t(m)/dx_{m, r} = rho[m, r] S[t, m, r]
        d_sender = self.sender * rho[None, :, :]  # (T, M, R)
        # dQ_m(r)/dx_{t, m} = w[t, m] (R[t, m, r] - Q_m(r)) / W[m]
        d_receiver = mu.T[:, :, None] * (self.receiver - q_receiver[None, :, :])
        for t in range(T):
            o = t * M
            end = o + M - 1
            H[o:end] = x_sender[t, 1:] - x_sender[t, 0] - lam * (q_sender[t, 1:] - q_sender[t, 0])
            J[o:end, o + 1 : o + M] = np.eye(M - 1)
            J[o:end, o] = -1.0
            for j in range(1, M):  # row of choice j: d(Q_t(j) - Q_t(0)) / dx_{m, r}
                for m, sign in ((j, 1.0), (0, -1.0)):
                    c = T * M + m * R
                    J[o + j - 1, c : c + R] -= lam * sign * d_sender[t, m]
            J[o:end, -1] = -(q_sender[t, 1:] - q_sender[t, 0])
            H[end] = sigma[t].sum() - 1.0
            J[end, o : o + M] = sigma[t]
        for m in range(M):
            o = T * M + m * R
            end = o + R - 1
            H[o:end] = (
                x_receiver[m, 1:] - x_receiver[m, 0] - lam * (q_receiver[m, 1:] - q_receiver[m, 0])
            )
            J[o:end, o + 1 : o + R] = np.eye(R - 1)
            J[o:end, o] = -1.0
            for t in range(T):  # the sender's variable x_{t, m}
                J[o:end, t * M + m] = -lam * (d_receiver[t, m, 1:] - d_receiver[t, m, 0])
            J[o:end, -1] = -(q_receiver[m, 1:] - q_receiver[m, 0])
            H[end] = rho[m].sum() - 1.0
            J[end, o : o + R] = rho[m]
        return H, J

    def log_residual(self, lam: float, x: Array) -> float:
        """``max |sigma - logit(lambda, Q)|`` over every agent's choices."""
        T, M = self.types, self.messages
        q_sender, q_receiver, _ = self.values(x)
        sigma, rho = np.exp(x[: T * M].reshape(T, M)), np.exp(x[T * M :].reshape(M, -1))
        return float(
            max(
                np.abs(sigma - logit_response(lam, q_sender)).max(),
                np.abs(rho - logit_response(lam, q_receiver)).max(),
            )
        )

    def log_regret(self, x: Array) -> float:
        """The largest gain of an agent from its best choice, conditional on being reached."""
        T, M = self.types, self.messages
        q_sender, q_receiver, _ = self.values(x)
        sigma, rho = np.exp(x[: T * M].reshape(T, M)), np.exp(x[T * M :].reshape(M, -1))
        return float(
            max(
                (q_sender.max(axis=1) - (sigma * q_sender).sum(axis=1)).max(),
                (q_receiver.max(axis=1) - (rho * q_receiver).sum(axis=1)).max(),
            )
        )


def agent_labels(game: SignallingGame) -> tuple[str, ...]:
    """Each agent's name: ``"Sender (type)"`` for each type, ``"Receiver (message)"`` for each
    message (the keys of :attr:`QREPoint.strategies`)."""
    sender, receiver = game.players
    return (
        *(f"{sender} ({t.name})" for t in game.types),
        *(f"{receiver} ({m})" for m in game.messages),
    )


def outcome_labels(game: SignallingGame) -> tuple[str, ...]:
    """``"type > message > response"`` for each terminal history, types outermost."""
    return tuple(
        f"{t.name} > {m} > {r}" for t in game.types for m in game.messages for r in game.responses
    )


def normalised_arrays(
    game: SignallingGame, params: ParamValues | None
) -> tuple[Array, Array, Array, float]:
    """Prior and the payoff arrays divided exactly by the largest magnitude, and that magnitude."""
    binding = game.bind(params)
    prior = [binding.value(t.prior) for t in game.types]
    shape = (len(game.types), len(game.messages), len(game.responses))
    values = [
        [binding.value(pair[k]) for t in game.types for row in t.payoffs for pair in row]
        for k in (0, 1)
    ]
    (sender, receiver), unit = normalised_payoffs(values, shape)
    return np.array([float(p) for p in prior]), sender, receiver, float(unit)


def qre_signalling(
    game: SignallingGame, lambdas: Sequence[float], params: ParamValues | None = None
) -> QREResult:
    """The logit agent QRE of ``game`` at each of ``lambdas``, on the principal branch.

    Parameters
    ----------
    game : SignallingGame
    lambdas : sequence of float
        Precisions ``lambda >= 0``.
    params : mapping, optional
        Parameter values overriding the defaults.

    Returns
    -------
    QREResult
        Points with each agent's choice probabilities (keys from :func:`agent_labels`),
        the receiver's beliefs, the outcome probabilities (``"type > message >
        response"``); the branch as traced; and the perfect Bayesian equilibrium it
        approaches, if one of :func:`credibility.solve`'s lies within ``1e-4``.

    Examples
    --------
    >>> import credibility as cr
    >>> result = qre_signalling(cr.load("sinking_costs"), [0.0, 50.0])
    >>> round(result.points[0].beliefs["Mobilise"]["Resolved"], 12)  # the prior, q = 3/10
    0.3
    >>> result.limit.equilibrium_class
    'pooling'
    """
    binding = game.bind(params)
    prior, sender, receiver, scale = normalised_arrays(game, params)
    system = SignallingSystem(prior, sender, receiver)
    passed: list[tuple[float, float]] = []
    path, _ = trace_system(system, lambda_max=1e9 / system.scale, bifurcations=passed)
    found = points_on_system(system, path, [lam * scale for lam in lambdas])
    points = [_point(game, system, lam, at, x, scale) for lam, (at, x) in zip(lambdas, found)]
    branch = tuple(
        BranchPoint(
            float(y[-1]) / scale,
            profile=tuple(tuple(p.tolist()) for p in split_profile(system.shape, y)),
        )
        for y in path
    )
    solution = solve_signalling(game, params)
    end = path[-1, :-1]
    limit, distance = _nearest(solution, system, end)
    return QREResult(
        game=game,
        parameters=dict(binding.values),
        points=tuple(points),
        branch=branch,
        limit=limit if distance <= LIMIT_TOLERANCE else None,
        limit_distance=distance if np.isfinite(distance) else None,
        method="path-following",
        bifurcations=tuple((a / scale, b / scale) for a, b in passed),
    )


def branch_model(game: SignallingGame, params: ParamValues | None = None) -> BranchModel:
    """The agent QRE's branch system at ``params``, with the outcome probabilities.

    Examples
    --------
    >>> import credibility as cr
    >>> model = branch_model(cr.load("sinking_costs"))
    >>> x = np.log(np.full(sum(model.system.shape), 0.5))  # uniform choice
    >>> model.outcomes(x).round(3).tolist()
    [0.075, 0.075, 0.075, 0.075, 0.175, 0.175, 0.175, 0.175]
    """
    prior, sender, receiver, unit = normalised_arrays(game, params)
    system = SignallingSystem(prior, sender, receiver)

    def outcomes(x: Array) -> Array:
        sigma, rho = system.strategies(split_profile(system.shape, x))
        reach = system.prior[:, None, None] * sigma[:, :, None] * rho[None, :, :]
        return np.asarray(reach.reshape(-1))

    return BranchModel(system, unit, outcomes)


def _point(
    game: SignallingGame, system: SignallingSystem, lam: float, at: float, x: Array, scale: float
) -> QREPoint:
    """The QRE at ``lam`` (found at ``at`` of the normalised game: ``lam * scale``, or the
    branch's end where that exhausts double precision)."""
    probs = split_profile(system.shape, x)
    sigma, rho = system.strategies(probs)
    _, _, mu = system.values(x)
    agents = agent_labels(game)
    choices = [*(game.messages,) * system.types, *(game.responses,) * system.messages]
    reach = system.prior[:, None, None] * sigma[:, :, None] * rho[None, :, :]  # (T, M, R)
    payoffs = (
        float((reach * system.sender).sum()) * scale,
        float((reach * system.receiver).sum()) * scale,
    )
    return QREPoint(
        lam=lam,
        strategies={
            agent: dict(zip(names, p.tolist())) for agent, names, p in zip(agents, choices, probs)
        },
        payoffs=payoffs,
        outcomes=dict(zip(outcome_labels(game), reach.reshape(-1).tolist())),
        residual=system.log_residual(at, x),
        beliefs={
            m: {t.name: float(mu[k, j]) for j, t in enumerate(game.types)}
            for k, m in enumerate(game.messages)
        },
    )


def _nearest(
    solution: SignallingSolution, system: SignallingSystem, x: Array
) -> tuple[SignallingEquilibrium | None, float]:
    """The equilibrium of ``solution`` nearest the branch's end ``x``, and its distance.

    Off the equilibrium's path, the response shown is its extreme response nearest the
    branch's, with the corner of the beliefs that support it nearest the branch's belief,
    so the limit reads as the branch approaches it.
    """
    sigma, rho = system.strategies(split_profile(system.shape, x))
    best: SignallingEquilibrium | None = None
    best_distance = np.inf
    for e in solution.equilibria:
        distance = float(np.abs(sigma - np.array(e.sender, dtype=float)).max())
        for m in range(system.messages):
            if m in e.off_path:
                for r, (low, high) in enumerate(e.response_ranges(m)):
                    below, above = float(low) - rho[m, r], rho[m, r] - float(high)
                    distance = max(distance, below, above)
            else:
                gap = np.abs(rho[m] - np.array(e.receiver[m], dtype=float)).max()
                distance = max(distance, float(gap))
        if distance < best_distance:
            best, best_distance = e, distance
    if best is None or not best.off_path:
        return best, best_distance
    return _as_approached(best, solution, rho, system.values(x)[2]), best_distance


def _as_approached(
    e: SignallingEquilibrium, solution: SignallingSolution, rho: Array, mu: Array
) -> SignallingEquilibrium:
    """``e`` with each off-path response replaced by its extreme response nearest ``rho``,
    and the belief there by the supporting corner nearest ``mu``."""
    form = solution.form
    receiver = [list(row) for row in e.receiver]
    beliefs = [list(row) for row in e.beliefs]
    for m in e.off_path:
        extremes = e.off_path_responses.get(m, (e.receiver[m],))
        nearest = min(
            extremes, key=lambda row: float(np.abs(np.array(row, dtype=float) - rho[m]).max())
        )
        if float(np.abs(np.array(nearest, dtype=float) - rho[m]).max()) > LIMIT_TOLERANCE:
            continue
        corners = sorted(
            e.belief_vertices.get(m, ()),
            key=lambda b: float(np.abs(np.array(b, dtype=float) - mu[m]).max()),
        )
        for belief in corners:
            values = [
                sum(
                    (mu * form.receiver[t][m][r] for t, mu in enumerate(belief)),
                    Fraction(0),
                )
                for r in range(len(form.responses))
            ]
            top = max(values)
            if all(values[r] == top for r, x in enumerate(nearest) if x != 0):
                receiver[m], beliefs[m] = list(nearest), list(belief)
                break
    return replace(
        e,
        receiver=tuple(tuple(row) for row in receiver),
        beliefs=tuple(tuple(row) for row in beliefs),
    )
