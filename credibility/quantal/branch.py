"""The principal branch of the logit QRE correspondence of a bimatrix game.

Notation (McKelvey & Palfrey 1995): the row player mixes ``p`` over ``m``
strategies, the column player ``q`` over ``n``; their expected payoffs per
strategy are ``u = A q`` and ``v = B^T p``. A logit quantal response
equilibrium at precision ``lambda >= 0`` is a fixed point

    p = softmax(lambda u(q)),    q = softmax(lambda v(p)).

Following Turocy (2005), the branch is traced in log-probabilities
``x = (log p, log q)``. For each player, with strategy 0 as reference,

    H_j = x_j - x_0 - lambda (u_j - u_0) = 0     (j = 1 .. m - 1),
    H_sum = sum_j exp(x_j) - 1 = 0,

and likewise for the column player: ``m + n`` equations in ``m + n + 1``
unknowns ``y = (x, lambda)``, whose solutions from the uniform profile at
``lambda = 0`` form the principal branch. The algorithm:

1. Start at ``y0 = (log uniform, 0)``, tangent with ``dlambda > 0``.
2. Tangent: the null vector of the ``(m + n) x (m + n + 1)`` Jacobian (the
   last right singular vector), oriented to keep the direction of travel, so
   turning points in ``lambda`` are passed by arc length.
3. Predictor: ``y + h t``. Corrector: Newton steps ``-J^+ H`` (minimum norm,
   i.e. perpendicular to the tangent) until ``|H| < 1e-11``.
4. Step control: a corrector that fails, needs more than 4 iterations, or
   turns the tangent by more than 0.5 rad halves ``h``; an easy one grows it
   by 1.5 (the branch straightens as ``lambda`` grows).
5. Stop when the largest regret of the profile is below ``tolerance`` times the
   payoff range, or at ``lambda_max``.

Private kernels on float arrays; :mod:`credibility.quantal.api` validates and converts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "crossings",
    "fixed_point_residual",
    "logit_response",
    "regret",
    "solve_at",
    "trace_branch",
]

Array = NDArray[np.float64]


def logit_response(lam: float, values: Array) -> Array:
    """``softmax(lam * values)`` along the last axis, computed stably."""
    z = lam * values
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    result: Array = e / e.sum(axis=-1, keepdims=True)
    return result


def fixed_point_residual(A: Array, B: Array, lam: float, p: Array, q: Array) -> float:
    """``max |p - softmax(lam A q)|, |q - softmax(lam B^T p)|``: zero at a QRE."""
    return float(
        max(
            np.abs(p - logit_response(lam, A @ q)).max(),
            np.abs(q - logit_response(lam, B.T @ p)).max(),
        )
    )


def _system(A: Array, B: Array, y: Array) -> tuple[Array, Array]:
    """``H(y)`` and its Jacobian ``dH/dy`` (last column: ``dH/dlambda``)."""
    m, n = A.shape
    x, lam = y[:-1], y[-1]
    p, q = np.exp(x[:m]), np.exp(x[m:])
    u, v = A @ q, B.T @ p
    H = np.empty(m + n)
    J = np.zeros((m + n, m + n + 1))
    # Row player: differences against strategy 0, then the sum.
    H[: m - 1] = x[1:m] - x[0] - lam * (u[1:] - u[0])
    J[: m - 1, 1:m] = np.eye(m - 1)
    J[: m - 1, 0] = -1.0
    J[: m - 1, m : m + n] = -lam * (A[1:] - A[0]) * q
    J[: m - 1, -1] = -(u[1:] - u[0])
    H[m - 1] = p.sum() - 1.0
    J[m - 1, :m] = p
    # Column player.
    r = m
    H[r : r + n - 1] = x[m + 1 :] - x[m] - lam * (v[1:] - v[0])
    J[r : r + n - 1, m + 1 : m + n] = np.eye(n - 1)
    J[r : r + n - 1, m] = -1.0
    J[r : r + n - 1, :m] = -lam * (B[:, 1:].T - B[:, 0]) * p
    J[r : r + n - 1, -1] = -(v[1:] - v[0])
    H[m + n - 1] = q.sum() - 1.0
    J[m + n - 1, m : m + n] = q
    return H, J


def _tangent(J: Array, previous: Array | None) -> Array:
    t: Array = np.linalg.svd(J)[2][-1]
    if previous is None:
        return t if t[-1] > 0 else -t
    return t if t @ previous >= 0 else -t


def _correct(
    A: Array, B: Array, y: Array, scale: float, *, iterations: int = 6
) -> tuple[Array, int] | None:
    """Newton steps ``-J^+ H`` to the branch; None if they do not converge.

    Converged when ``|H|`` is below ``1e-12 + 1e-14 lambda scale`` (the
    rounding error of ``lambda u`` grows with ``lambda``) or the step is negligible.
    """
    for k in range(iterations + 1):
        H, J = _system(A, B, y)
        if not np.all(np.isfinite(H)):
            return None
        if np.abs(H).max() < 1e-12 + 1e-14 * abs(y[-1]) * scale:
            return y, k
        if k == iterations:
            return None
        step = np.linalg.lstsq(J, -H, rcond=None)[0]
        y = y + step
        if np.abs(step).max() < 1e-14 * (1.0 + np.abs(y).max()):
            return y, k + 1
    return None


def regret(A: Array, B: Array, p: Array, q: Array) -> float:
    """The largest gain either player could make by a pure deviation."""
    u, v = A @ q, B.T @ p
    return float(max(u.max() - p @ u, v.max() - q @ v))


def trace_branch(
    A: Array,
    B: Array,
    *,
    tolerance: float = 1e-8,
    lambda_max: float = 1e7,
    first_step: float = 0.03,
    max_steps: int = 20_000,
) -> tuple[Array, Array]:
    """The principal branch: points ``y = (log p, log q, lambda)`` and unit tangents.

    Returns two arrays of shape ``(k, m + n + 1)``: the points from ``lambda = 0``
    until the regret is below ``tolerance`` times the payoff range (or
    ``lambda_max``), and the tangent at each point.
    """
    m, n = A.shape
    scale = max(float(np.ptp(A)), float(np.ptp(B)), 1e-300)
    y = np.concatenate([np.full(m, -np.log(m)), np.full(n, -np.log(n)), [0.0]])
    t = _tangent(_system(A, B, y)[1], None)
    points, tangents = [y], [t]
    h = first_step
    for _ in range(max_steps):
        p, q = np.exp(y[:m]), np.exp(y[m:-1])
        if y[-1] >= lambda_max or regret(A, B, p, q) <= tolerance * scale:
            break
        corrected = _correct(A, B, y + h * t, scale)
        if corrected is None:
            h /= 2
            if h < 1e-12:
                raise ArithmeticError("the branch could not be followed (step size underflow)")
            continue
        z, used = corrected
        t_new = _tangent(_system(A, B, z)[1], t)
        if float(np.clip(t_new @ t, -1, 1)) < np.cos(0.5) or z[-1] < -1e-9:
            h /= 2
            continue
        y, t = z, t_new
        points.append(y)
        tangents.append(t)
        if used <= 3:
            h *= 1.5 if used <= 2 else 1.0
    return np.array(points), np.array(tangents)


def solve_at(A: Array, B: Array, lam: float, guess: Array) -> Array:
    """Newton on the square system at fixed ``lam`` from ``guess`` (log-probabilities).

    Iterates until the fixed-point residual is below 1e-13 (or no longer improves).
    """
    m, _ = A.shape
    x = guess.copy()
    best, best_x = np.inf, x
    for _ in range(50):
        y = np.concatenate([x, [lam]])
        H, J = _system(A, B, y)
        x = x + np.linalg.solve(J[:, :-1], -H)
        p, q = np.exp(x[:m]), np.exp(x[m:])
        residual = fixed_point_residual(A, B, lam, p, q)
        if residual < best:
            best, best_x = residual, x
        elif residual < 1e-12:
            break
        if residual < 1e-14:
            break
    return best_x


def crossings(points: Array, lams: Sequence[float]) -> list[Array]:
    """For each ``lam``, a guess interpolated where the branch first reaches it."""
    guesses = []
    ls = points[:, -1]
    for lam in lams:
        hit = np.nonzero(ls >= lam)[0]
        if len(hit) == 0:  # beyond the traced branch: its last point
            guesses.append(points[-1, :-1])
            continue
        k = int(hit[0])
        if k == 0:
            guesses.append(points[0, :-1])
            continue
        a, b = points[k - 1], points[k]
        w = (lam - a[-1]) / (b[-1] - a[-1])
        guesses.append(a[:-1] + w * (b[:-1] - a[:-1]))
    return guesses
