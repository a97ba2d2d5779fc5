"""The principal branch of the logit QRE correspondence of a strategic-form game.

Notation (McKelvey & Palfrey 1995): ``n >= 2`` players; player ``i`` mixes ``p_i``
over ``m_i`` strategies, and ``T_i`` is ``i``'s payoff tensor, of shape
``(m_1, ..., m_n)``. Player ``i``'s expected payoff per strategy contracts ``T_i``
with every other player's mixed strategy,

    u_i(s) = sum over t_{-i} of T_i[s, t_{-i}] prod_{k != i} p_k(t_k)

(bimatrix games, ``n = 2``: ``u = A q`` and ``v = B^T p`` for the row player's
``p`` and the column player's ``q``). A logit quantal response equilibrium at
precision ``lambda >= 0`` is a fixed point

    p_i = softmax(lambda u_i(p_{-i}))    for every player i.

Following Turocy (2005), the branch is traced in log-probabilities
``x = (x_1, ..., x_n)``, ``x_i = log p_i``. For each player, with strategy 0 as
reference,

    H_ij = x_ij - x_i0 - lambda (u_ij - u_i0) = 0     (j = 1 .. m_i - 1),
    H_i,sum = sum_j exp(x_ij) - 1 = 0:

``M = m_1 + ... + m_n`` equations in ``M + 1`` unknowns ``y = (x, lambda)``,
whose solutions from the uniform profile at ``lambda = 0`` form the principal
branch. The Jacobian's blocks come from the conditional expectations
``E_ij[s, t]`` of ``T_i`` when ``i`` plays ``s``, ``j`` plays ``t`` and the others
mix: ``d u_i(s) / d x_jt = p_jt E_ij[s, t]`` (and ``u_i = E_ij p_j`` for any
``j != i``). The algorithm:

1. Start at ``y0 = (log uniform, 0)``, tangent with ``dlambda > 0``.
2. Tangent: the null vector of the ``M x (M + 1)`` Jacobian, oriented to keep
   the direction of travel, so turning points in ``lambda`` are passed by arc
   length. It solves the square system ``[J; t_prev] t = (0, ..., 0, 1)`` (one LU
   factorisation; Allgower & Georg 1990, section 2.1), whose solution is the null
   vector scaled so that ``t . t_prev = 1 > 0``; the first tangent, or one where
   that system is singular, is the last right singular vector (an SVD, a hundred
   times dearer on a 60-strategy game).
3. Predictor: ``y + h t``. Corrector: Newton steps ``-J^+ H`` (minimum norm,
   i.e. perpendicular to the tangent) until ``|H| < 1e-11``.
4. Step control: a corrector that fails, needs more than 4 iterations, or
   turns the tangent by more than 0.5 rad halves ``h``; an easy one grows it
   by 1.5 (the branch straightens as ``lambda`` grows).
5. Stop when the largest regret of the profile is below ``tolerance`` times the
   payoff range, or at ``lambda_max``.

The n-player kernels take a list of payoff tensors (:func:`trace_profile_branch`,
:func:`solve_profile_at`, :func:`profile_residual`, :func:`profile_regret`,
:func:`split_profile`; :func:`trace_limit` and :func:`branch_limit`, the branch's end
as an approximate Nash equilibrium); the bimatrix ones (:func:`trace_branch`, :func:`solve_at`,
:func:`fixed_point_residual`, :func:`regret`) are thin wrappers over them with
``tensors = [A, B]``, computing with the very same operations (for two players no
contraction is needed: ``E_01 = A``, ``E_10 = B^T``). Private kernels on float
arrays; :mod:`credibility.quantal.api` validates and converts.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from ..errors import CredibilityError

__all__ = [
    "LIMIT_TOLERANCE",
    "MAX_MAGNITUDE",
    "BranchLimit",
    "BranchModel",
    "BranchSystem",
    "branch_limit",
    "crossings",
    "fixed_point_residual",
    "lambda_max_of",
    "logit_response",
    "normalised_payoffs",
    "points_on_branch",
    "points_on_system",
    "profile_regret",
    "profile_residual",
    "profile_system",
    "regret",
    "solve_at",
    "solve_profile_at",
    "solve_system_at",
    "split_profile",
    "trace_branch",
    "trace_limit",
    "trace_profile_branch",
    "trace_system",
]

Array = NDArray[np.float64]

#: The branch's last point must lie this close (each probability) to an exact equilibrium for
#: that equilibrium to be named the branch's limit.
LIMIT_TOLERANCE = 1e-4
#: The largest payoff magnitude a QRE is computed for (it runs in floating point).
MAX_MAGNITUDE = Fraction(10) ** 300


def normalised_payoffs(
    values: Sequence[Sequence[int | Fraction]], shape: Sequence[int]
) -> tuple[list[Array], Fraction]:
    """Each player's payoffs divided by the largest payoff magnitude ``R``, as float tensors.

    The division is exact, then rounded: payoffs of 10**-200 or 10**200 keep every digit
    floats can hold, and ``lambda`` absorbs the scale (the QRE at ``lambda`` of the game
    is the QRE at ``lambda * R`` of the normalised one). Returns the tensors and ``R``
    (1 for a game whose payoffs are all 0).

    Raises
    ------
    CredibilityError
        If a payoff exceeds :data:`MAX_MAGNITUDE` in magnitude.

    Examples
    --------
    >>> tensors, scale = normalised_payoffs([[10**200, -(10**199)]], (2,))
    >>> tensors[0].tolist(), scale == 10**200
    ([1.0, -0.1], True)
    """
    largest = max((abs(Fraction(v)) for row in values for v in row), default=Fraction(0))
    if largest > MAX_MAGNITUDE:
        raise CredibilityError(
            "quantal response equilibria are computed in floating point: payoffs must be at "
            "most 1e300 in magnitude (rescale the game: the equilibria do not change)"
        )
    unit = largest or Fraction(1)
    tensors = [
        np.array([float(Fraction(v) / unit) for v in row]).reshape(tuple(shape)) for row in values
    ]
    return tensors, unit


def points_on_branch(
    tensors: Sequence[Array], path: Array, lams: Sequence[float]
) -> list[tuple[float, Array]]:
    """For each ``lambda`` (of the game of ``tensors``), the point of the branch there.

    :func:`points_on_system` on the payoff tensors. Returns ``(lambda of the point,
    log-probabilities)`` pairs.
    """
    return points_on_system(_Game(tensors), path, lams)


def points_on_system(
    game: BranchSystem, path: Array, lams: Sequence[float]
) -> list[tuple[float, Array]]:
    """For each ``lambda``, the point of ``game``'s branch there.

    Newton's method from where the traced ``path`` first reaches ``lambda``
    (:func:`solve_system_at`). At or beyond ``1e9 / game.scale`` (where ``lambda``
    times the payoffs exhausts double precision) the branch's traced end stands for it.
    Returns ``(lambda of the point, log-probabilities)`` pairs.
    """
    top = 1e9 / game.scale
    result = []
    for lam, guess in zip(lams, crossings(path, lams)):
        if lam >= top:
            result.append((float(path[-1, -1]), path[-1, :-1].copy()))
        else:
            result.append((lam, solve_system_at(game, lam, guess)))
    return result


def logit_response(lam: float, values: Array) -> Array:
    """``softmax(lam * values)`` along the last axis, computed stably."""
    z = lam * values
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    result: Array = e / e.sum(axis=-1, keepdims=True)
    return result


class BranchSystem(Protocol):
    """What the path follower needs of a game: Turocy's system in log-probabilities.

    The unknowns are ``y = (x, lambda)``, ``x`` every agent's log-probabilities in
    blocks of ``shape[k]`` choices; :meth:`system` gives ``H(y)`` (one row per choice:
    the differences against choice 0, then the block's sum) and its Jacobian. A
    strategic form's agents are its players (:func:`trace_profile_branch`); a
    signalling game's are the sender's types and the receiver's information sets
    (:mod:`credibility.quantal.signalling`).
    """

    @property
    def shape(self) -> tuple[int, ...]:
        """The number of choices of each agent."""
        ...

    @property
    def scale(self) -> float:
        """The payoffs' range (tolerances are relative to it)."""
        ...

    def system(self, y: Array) -> tuple[Array, Array]:
        """``H(y)`` and its Jacobian ``dH/dy`` (last column: ``dH/dlambda``)."""
        ...

    def log_residual(self, lam: float, x: Array) -> float:
        """``max |sigma - logit(lambda, Q(sigma))|`` over every choice, at log-probabilities."""
        ...

    def log_regret(self, x: Array) -> float:
        """The largest gain an agent could make by switching to a best choice, at ``x``."""
        ...


@dataclass(frozen=True)
class BranchModel:
    """A game's branch system, the scale of its ``lambda`` and its outcome probabilities.

    Attributes
    ----------
    system : BranchSystem
        Of the game with payoffs divided by their largest magnitude ``unit``.
    unit : float
        The QRE at ``lambda`` of the game is the system's at ``lambda * unit``.
    outcomes : callable
        Log-probabilities at a point of the branch -> each outcome's probability, in the
        order :func:`credibility.qre` lists the outcomes.
    """

    system: BranchSystem
    unit: float
    outcomes: Callable[[Array], Array]


class _Game:
    """Payoff tensors with their shape and the offsets of each player's block in ``x``."""

    __slots__ = ("_conditional", "_payoff", "n", "offsets", "scale", "shape", "size", "tensors")

    def __init__(self, tensors: Sequence[Array]) -> None:
        self.tensors = [np.asarray(T, dtype=float) for T in tensors]
        self.n = len(self.tensors)
        self.shape: tuple[int, ...] = self.tensors[0].shape
        if self.n < 2 or len(self.shape) != self.n:
            raise ValueError(f"expected n >= 2 tensors with n axes, got {self.n} of {self.shape}")
        if any(T.shape != self.shape for T in self.tensors):
            raise ValueError("the payoff tensors must all have the same shape")
        self.offsets = [int(o) for o in np.concatenate([[0], np.cumsum(self.shape)[:-1]])]
        self.size = int(sum(self.shape))
        self.scale = max(max(float(np.ptp(T)) for T in self.tensors), 1e-300)
        # einsum subscripts (one letter per axis): per player i, the contraction giving
        # u_i, and per other player j the one giving E_ij, with the players mixed over.
        letters = string.ascii_letters[: self.n]
        self._payoff: list[tuple[str, list[int]]] = []
        self._conditional: list[list[tuple[int, str, list[int]]]] = []
        for i in range(self.n):
            others = [k for k in range(self.n) if k != i]
            spec = ",".join([letters, *(letters[k] for k in others)])
            self._payoff.append((f"{spec}->{letters[i]}", others))
            pairs = []
            for j in others:
                mixed = [k for k in others if k != j]
                spec = ",".join([letters, *(letters[k] for k in mixed)])
                pairs.append((j, f"{spec}->{letters[i]}{letters[j]}", mixed))
            self._conditional.append(pairs)

    def split(self, x: Array) -> list[Array]:
        """Each player's block of ``x`` (log-probabilities or probabilities)."""
        return [x[o : o + m] for o, m in zip(self.offsets, self.shape)]

    def conditional(self, i: int, probs: Sequence[Array]) -> list[tuple[int, Array]]:
        """``(j, E_ij)`` for each other player ``j``: ``E_ij[s, t]`` is ``i``'s expected
        payoff when ``i`` plays ``s`` and ``j`` plays ``t`` (the others mix)."""
        T = self.tensors[i]
        if self.n == 2:  # no one else to mix over: the matrix itself, or its transpose
            return [(1, T)] if i == 0 else [(0, T.T)]
        return [
            (j, np.einsum(spec, T, *(probs[k] for k in mixed)))
            for j, spec, mixed in self._conditional[i]
        ]

    def payoffs(self, probs: Sequence[Array]) -> list[Array]:
        """``u_i``: each player's expected payoff per strategy against the others' mix."""
        if self.n == 2:
            A, B = self.tensors
            return [A @ probs[1], B.T @ probs[0]]
        return [
            np.einsum(spec, T, *(probs[k] for k in others))
            for T, (spec, others) in zip(self.tensors, self._payoff)
        ]

    def system(self, y: Array) -> tuple[Array, Array]:
        """``H(y)`` and its Jacobian ``dH/dy`` (last column: ``dH/dlambda``)."""
        size = self.size
        x, lam = y[:-1], y[-1]
        probs = [np.exp(b) for b in self.split(x)]
        H = np.empty(size)
        J = np.zeros((size, size + 1))
        for i, (o, m) in enumerate(zip(self.offsets, self.shape)):
            blocks = self.conditional(i, probs)
            j0, E0 = blocks[0]
            u = E0 @ probs[j0]
            # Differences against strategy 0, then the sum.
            end = o + m - 1
            H[o:end] = x[o + 1 : o + m] - x[o] - lam * (u[1:] - u[0])
            J[o:end, o + 1 : o + m] = np.eye(m - 1)
            J[o:end, o] = -1.0
            for j, E in blocks:
                oj = self.offsets[j]
                J[o:end, oj : oj + self.shape[j]] = -lam * (E[1:] - E[0]) * probs[j]
            J[o:end, -1] = -(u[1:] - u[0])
            H[end] = probs[i].sum() - 1.0
            J[end, o : o + m] = probs[i]
        return H, J

    def residual(self, lam: float, probs: Sequence[Array]) -> float:
        return float(
            max(
                np.abs(p - logit_response(lam, u)).max() for p, u in zip(probs, self.payoffs(probs))
            )
        )

    def regret(self, probs: Sequence[Array]) -> float:
        return float(max(u.max() - p @ u for p, u in zip(probs, self.payoffs(probs))))

    def log_residual(self, lam: float, x: Array) -> float:
        return self.residual(lam, split_profile(self.shape, x))

    def log_regret(self, x: Array) -> float:
        return self.regret(split_profile(self.shape, x))


def profile_system(tensors: Sequence[Array]) -> BranchSystem:
    """The branch system of a strategic form with payoff ``tensors`` (one per player)."""
    return _Game(tensors)


def split_profile(shape: Sequence[int], y: Array) -> list[Array]:
    """The mixed strategy of each player from a branch point ``y = (x, lambda)`` (or ``x``).

    ``shape`` is ``(m_1, ..., m_n)``; the probabilities are ``exp`` of each block.
    """
    offsets = [0, *itertools.accumulate(shape)]
    return [np.exp(y[a:b]) for a, b in itertools.pairwise(offsets)]


def profile_residual(tensors: Sequence[Array], lam: float, profile: Sequence[Array]) -> float:
    """``max_i |p_i - softmax(lam u_i(p_{-i}))|``: zero at a QRE.

    Parameters
    ----------
    tensors : sequence of arrays
        Player ``i``'s payoff tensor, of shape ``(m_1, ..., m_n)``.
    lam : float
    profile : sequence of arrays
        Each player's mixed strategy.
    """
    return _Game(tensors).residual(lam, profile)


def profile_regret(tensors: Sequence[Array], profile: Sequence[Array]) -> float:
    """The largest gain any player could make by a pure deviation from ``profile``."""
    return _Game(tensors).regret(profile)


def fixed_point_residual(A: Array, B: Array, lam: float, p: Array, q: Array) -> float:
    """``max |p - softmax(lam A q)|, |q - softmax(lam B^T p)|``: zero at a QRE."""
    return profile_residual([A, B], lam, [p, q])


def regret(A: Array, B: Array, p: Array, q: Array) -> float:
    """The largest gain either player could make by a pure deviation."""
    return profile_regret([A, B], [p, q])


def _tangent(J: Array, previous: Array | None) -> Array:
    if previous is not None:
        augmented = np.vstack([J, previous])
        right = np.zeros(len(augmented))
        right[-1] = 1.0
        try:
            solved: Array = np.asarray(np.linalg.solve(augmented, right), dtype=np.float64)
        except np.linalg.LinAlgError:
            solved = np.full(len(right), np.nan)
        norm = float(np.linalg.norm(solved))
        if np.isfinite(norm) and norm > 0:
            return solved / norm
    t: Array = np.linalg.svd(J)[2][-1]
    if previous is None:
        return t if t[-1] > 0 else -t
    return t if t @ previous >= 0 else -t


def _orientation(J: Array, t: Array) -> float:
    """The sign of ``det [J; t]`` (0 if it is singular)."""
    return float(np.linalg.slogdet(np.vstack([J, t]))[0])


def _correct(game: BranchSystem, y: Array, *, iterations: int = 6) -> tuple[Array, int] | None:
    """Newton steps ``-J^+ H`` to the branch; None if they do not converge.

    Converged when ``|H|`` is below ``1e-12 + 1e-14 lambda scale`` (the
    rounding error of ``lambda u`` grows with ``lambda``) or the step is negligible.
    """
    for k in range(iterations + 1):
        H, J = game.system(y)
        if not np.all(np.isfinite(H)):
            return None
        if np.abs(H).max() < 1e-12 + 1e-14 * abs(y[-1]) * game.scale:
            return y, k
        if k == iterations:
            return None
        step = np.linalg.lstsq(J, -H, rcond=None)[0]
        y = y + step
        if np.abs(step).max() < 1e-14 * (1.0 + np.abs(y).max()):
            return y, k + 1
    return None


def trace_profile_branch(
    tensors: Sequence[Array],
    *,
    tolerance: float = 1e-8,
    lambda_max: float = 1e7,
    first_step: float = 0.03,
    max_steps: int = 20_000,
    bifurcations: list[tuple[float, float]] | None = None,
) -> tuple[Array, Array]:
    """The principal branch of an n-player game: points ``y = (x_1, ..., x_n, lambda)``.

    Parameters
    ----------
    tensors : sequence of arrays
        Player ``i``'s payoff tensor, of shape ``(m_1, ..., m_n)`` (one axis per player).
    tolerance, lambda_max, first_step, max_steps, bifurcations
        As for :func:`trace_system`.

    Returns
    -------
    points, tangents : arrays of shape ``(k, m_1 + ... + m_n + 1)``
        The points from ``lambda = 0`` (log-probabilities, then ``lambda``; see
        :func:`split_profile`) and the unit tangent at each.

    Raises
    ------
    ArithmeticError
        If the step size underflows (the branch could not be followed).
    """
    return trace_system(
        _Game(tensors),
        tolerance=tolerance,
        lambda_max=lambda_max,
        first_step=first_step,
        max_steps=max_steps,
        bifurcations=bifurcations,
    )


def trace_system(
    game: BranchSystem,
    *,
    tolerance: float = 1e-8,
    lambda_max: float = 1e7,
    first_step: float = 0.03,
    max_steps: int = 20_000,
    bifurcations: list[tuple[float, float]] | None = None,
) -> tuple[Array, Array]:
    """The principal branch of ``game``'s logit QRE, from uniform choice at ``lambda = 0``.

    Parameters
    ----------
    game : BranchSystem
    tolerance : float
        Stop once the largest regret is below ``tolerance`` times the payoff range.
    lambda_max : float
        Or once ``lambda`` reaches this.
    first_step : float
        The first arc-length step.
    max_steps : int
        The most steps tried.
    bifurcations : list of (float, float), optional
        If given, each bifurcation point passed is appended to it, as the ``lambda`` of
        the two points of the branch either side of it: where the sign of
        ``det [J; t]`` changes between them. A turning point keeps that sign (the tangent
        is oriented continuously); a simple bifurcation point, where another branch of
        QRE crosses this one, flips it (Allgower & Georg 1990, section 8.1). The branch is
        followed straight on through it, as the tangent continues; an even number of
        bifurcations between two points, or a degenerate one, goes unseen.

    Returns
    -------
    points, tangents : arrays of shape ``(k, sum(game.shape) + 1)``
        The points (log-probabilities, then ``lambda``) and the unit tangent at each.

    Raises
    ------
    ArithmeticError
        If the step size underflows (the branch could not be followed).
    """
    y = np.concatenate([*(np.full(m, -np.log(m)) for m in game.shape), [0.0]])
    J = game.system(y)[1]
    t = _tangent(J, None)
    points, tangents = [y], [t]
    orientation = _orientation(J, t)
    h = first_step
    for _ in range(max_steps):
        if y[-1] >= lambda_max or game.log_regret(y[:-1]) <= tolerance * game.scale:
            break
        corrected = _correct(game, y + h * t)
        if corrected is None:
            h /= 2
            if h < 1e-12:
                raise ArithmeticError("the branch could not be followed (step size underflow)")
            continue
        z, used = corrected
        J = game.system(z)[1]
        t_new = _tangent(J, t)
        if float(np.clip(t_new @ t, -1, 1)) < np.cos(0.5) or z[-1] < -1e-9:
            h /= 2
            continue
        if bifurcations is not None:
            sign = _orientation(J, t_new)
            if sign * orientation < 0:
                bifurcations.append((float(y[-1]), float(z[-1])))
            orientation = sign if sign != 0 else orientation
        y, t = z, t_new
        points.append(y)
        tangents.append(t)
        if used <= 3:
            h *= 1.5 if used <= 2 else 1.0
    return np.array(points), np.array(tangents)


def trace_branch(
    A: Array,
    B: Array,
    *,
    tolerance: float = 1e-8,
    lambda_max: float = 1e7,
    first_step: float = 0.03,
    max_steps: int = 20_000,
    bifurcations: list[tuple[float, float]] | None = None,
) -> tuple[Array, Array]:
    """The principal branch of a bimatrix game: points ``y = (log p, log q, lambda)``.

    Returns two arrays of shape ``(k, m + n + 1)``: the points from ``lambda = 0``
    until the regret is below ``tolerance`` times the payoff range (or
    ``lambda_max``), and the tangent at each; ``bifurcations`` as for
    :func:`trace_system`. :func:`trace_profile_branch` with ``[A, B]``.
    """
    return trace_profile_branch(
        [A, B],
        tolerance=tolerance,
        lambda_max=lambda_max,
        first_step=first_step,
        max_steps=max_steps,
        bifurcations=bifurcations,
    )


@dataclass(frozen=True)
class BranchLimit:
    """The last point of a traced principal branch: an approximate Nash equilibrium.

    Attributes
    ----------
    profile : tuple of arrays
        Each player's mixed strategy (a float array of length ``m_i``).
    lam : float
        The precision ``lambda`` the branch reached.
    regret : float
        The largest gain any player could make by a pure deviation from ``profile``.
    converged : bool
        True if ``regret`` is at most ``tolerance`` times the payoff range (False:
        the tracing stopped at ``lambda_max`` first).
    points : int
        The number of points the path follower took.
    """

    profile: tuple[Array, ...]
    lam: float
    regret: float
    converged: bool
    points: int


def lambda_max_of(tensors: Sequence[Array]) -> float:
    """``1e9 / range`` of the payoffs (1 if they are all equal): where ``lambda u``
    exhausts double precision, the end of any useful tracing."""
    scale = max(float(np.ptp(T)) for T in tensors)
    return 1e9 / scale if scale > 0 else 1.0


def trace_limit(tensors: Sequence[Array], *, tolerance: float = 1e-8) -> BranchLimit:
    """Follow the principal branch until the regret is below ``tolerance`` times the payoffs' range.

    The logit tracing procedure (McKelvey & Palfrey 1995, Turocy 2005): the branch
    starts at the uniform profile (``lambda = 0``) and, in a generic game, converges
    to one Nash equilibrium as ``lambda`` grows. Its last point is that equilibrium
    to about ``tolerance`` (in payoffs, relative to their range); a pure equilibrium
    is approached exponentially fast in ``lambda``, a mixed one like ``1 / lambda``.

    Parameters
    ----------
    tensors : sequence of arrays
        Player ``i``'s payoffs, a float tensor of shape ``(m_1, ..., m_n)``, one axis
        per player (``n >= 2``).
    tolerance : float
        Relative regret at which to stop (default 1e-8). The tracing also stops at
        ``lambda = 1e9 / range``, where ``lambda u`` exhausts double precision;
        ``converged`` says which.

    Returns
    -------
    BranchLimit

    Raises
    ------
    ArithmeticError
        If the path follower cannot continue (its step size underflows).

    Examples
    --------
    >>> A = np.array([[3.0, 0.0], [5.0, 1.0]])  # prisoners' dilemma
    >>> end = trace_limit([A, A.T])
    >>> [p.round(6).tolist() for p in end.profile], end.converged
    ([[0.0, 1.0], [0.0, 1.0]], True)
    """
    arrays = [np.asarray(T, dtype=float) for T in tensors]
    shape = arrays[0].shape
    path, _ = trace_profile_branch(arrays, tolerance=tolerance, lambda_max=lambda_max_of(arrays))
    profile = split_profile(shape, path[-1])
    gain = profile_regret(arrays, profile)
    scale = max(float(np.ptp(T)) for T in arrays)
    return BranchLimit(
        profile=tuple(profile),
        lam=float(path[-1, -1]),
        regret=gain,
        converged=gain <= tolerance * scale,
        points=len(path),
    )


def branch_limit(tensors: Sequence[Array], *, tolerance: float = 1e-8) -> list[Array]:
    """Each player's mixed strategy at the end of the principal branch.

    ``trace_limit(tensors, tolerance=tolerance).profile`` as a list (see
    :func:`trace_limit`, which also tells the regret and whether it converged).
    """
    return list(trace_limit(tensors, tolerance=tolerance).profile)


def solve_profile_at(tensors: Sequence[Array], lam: float, guess: Array) -> Array:
    """Newton on the square system at fixed ``lam`` from ``guess`` (log-probabilities).

    ``guess`` and the result are ``x = (x_1, ..., x_n)``, every player's
    log-probabilities. :func:`solve_system_at` on the payoff tensors.
    """
    return solve_system_at(_Game(tensors), lam, guess)


def solve_system_at(game: BranchSystem, lam: float, guess: Array) -> Array:
    """Newton on ``game``'s square system at fixed ``lam`` from ``guess`` (log-probabilities).

    Iterates until the fixed-point residual is below 1e-13 (or no longer improves);
    where the Jacobian is exactly singular (``lam`` at a bifurcation) the step is the
    least-squares one.
    """
    x = guess.copy()
    best, best_x = np.inf, x
    for _ in range(50):
        y = np.concatenate([x, [lam]])
        H, J = game.system(y)
        try:
            x = x + np.linalg.solve(J[:, :-1], -H)
        except np.linalg.LinAlgError:  # exactly singular (a bifurcation at lam): least squares
            x = x + np.linalg.lstsq(J[:, :-1], -H, rcond=None)[0]
        residual = game.log_residual(lam, x)
        if residual < best:
            best, best_x = residual, x
        elif residual < 1e-12:
            break
        if residual < 1e-14:
            break
    return best_x


def solve_at(A: Array, B: Array, lam: float, guess: Array) -> Array:
    """Newton on the square system at fixed ``lam`` from ``guess`` (log-probabilities).

    Iterates until the fixed-point residual is below 1e-13 (or no longer improves).
    :func:`solve_profile_at` with ``[A, B]``.
    """
    return solve_profile_at([A, B], lam, guess)


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
