"""Every Nash equilibrium of many small nondegenerate m x n games at once, by support enumeration.

Notation as in :mod:`credibility.solvers.enumeration`: game ``g`` has payoffs
``A[g]`` (row player) and ``B[g]`` (column player), ``m x n``. In a
nondegenerate game every equilibrium has supports ``I`` (rows) and ``J``
(columns) of the same size ``k``, and is the unique solution of two square
systems (Nisan et al. 2007, *Algorithmic Game Theory*, section 3.4; the
algorithm of nashpy's and QuantEcon's ``support_enumeration``):

1. for every ``k`` and every pair of supports ``(I, J)`` of size ``k``, batched
   over the games: the column player's mixture ``y`` on ``J`` that makes the
   row player indifferent on ``I`` (``(A[i] - A[i0]) y = 0`` for ``i`` in
   ``I``, ``sum(y) = 1``), and the row player's mixture ``x`` on ``I`` that
   makes the column player indifferent on ``J``, with numpy's batched solver;
2. ``(x, y)`` is an equilibrium iff both are positive and no strategy outside
   the supports pays more.

Each player's payoffs are first mapped affinely onto [0, 1] per game (the
equilibria do not change). A quantity is trusted to have its sign if it is
farther from 0 than ``tol = rtol * max(1, S / R)``, where ``R`` is the range
of the player's payoffs and ``S`` a bound on their magnitude (the rounding of
the original payoffs, relative to their range). A game is **uncertain**, for
the caller to solve exactly, if some candidate is nearly valid (every
probability and slack at least ``-tol``) without being clearly valid, or
some nearly singular system has a nearly valid solution. Every degenerate
game is uncertain: a mixed strategy with support of size ``k`` and more than
``k`` best responses solves the system of ``k`` of them, with a zero slack at
another (or that system is singular, with the strategy among its solutions).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np

from .batch_2x2 import TOLERANCE

__all__ = ["BatchEquilibria", "solve_batch", "support_pairs"]

#: Systems whose determinant (payoffs on [0, 1]) is this small count as singular.
_SINGULAR = 1e-6
#: Singular values this small relative to the largest are dropped in the consistency test.
_DROPPED = 1e-9
#: A tolerance this large (payoffs far larger than their range) leaves the game to the caller.
_LOOSEST = 1e-3
#: Floats per working array of one block.
_WORKING_SET = 2**19


def support_pairs(m: int, n: int) -> int:
    """The number of equal-size support pairs support enumeration visits.

    Examples
    --------
    >>> support_pairs(2, 2), support_pairs(4, 4)
    (5, 69)
    """
    return sum(len(_subsets(m, k)) * len(_subsets(n, k)) for k in range(1, min(m, n) + 1))


@lru_cache(maxsize=64)
def _subsets(size: int, k: int) -> np.ndarray:
    return np.array(list(combinations(range(size), k)), dtype=np.intp).reshape(-1, k)


@dataclass(frozen=True)
class BatchEquilibria:
    """The equilibria of ``N`` nondegenerate ``m x n`` games.

    Attributes
    ----------
    pure : numpy.ndarray of bool, shape (N, m, n)
        ``pure[g, i, j]``: whether the profile ``(i, j)`` is an equilibrium.
    mixed : numpy.ndarray of int64, shape (N,)
        The number of equilibria that are not pure.
    row, column : numpy.ndarray of float64, shapes (N, m) and (N, n)
        The strategies of the only equilibrium that is not pure; NaN where
        there is none or several.
    uncertain : numpy.ndarray of bool, shape (N,)
        Games the kernel does not classify (degenerate, near-ties, NaN); their
        other entries mean nothing.

    Examples
    --------
    Rock-paper-scissors, and a game where the column player is indifferent
    against the first row:

    >>> A = np.array([[[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
    ...               [[1, 0, 0], [0, 1, 0], [0, 0, 1]]])
    >>> B = np.array([[[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
    ...               [[1, 1, 0], [0, 1, 0], [0, 0, 1]]])
    >>> result = solve_batch(A, B)
    >>> result.uncertain.tolist(), result.count.tolist()[0]
    ([False, True], 1)
    >>> result.row[0].round(6).tolist()
    [0.333333, 0.333333, 0.333333]
    """

    pure: np.ndarray
    mixed: np.ndarray
    row: np.ndarray
    column: np.ndarray
    uncertain: np.ndarray

    @property
    def count(self) -> np.ndarray:
        """The number of equilibria of each game."""
        return self.pure.sum(axis=(1, 2)) + self.mixed


def solve_batch(
    A: np.ndarray,
    B: np.ndarray,
    *,
    rtol: float = TOLERANCE,
    magnitudes: tuple[np.ndarray, np.ndarray] | None = None,
) -> BatchEquilibria:
    """Find every equilibrium of ``N`` small bimatrix games, flagging the degenerate ones.

    Parameters
    ----------
    A, B : array_like, shape (N, m, n)
        The row and column players' payoffs (converted to float64).
    rtol : float
        Relative tolerance of sign decisions (see the module's notes).
    magnitudes : pair of arrays shaped like A and B, optional
        Bounds on the payoffs' magnitudes for the tolerance (for payoffs
        computed from terms that cancel); ``|A|`` and ``|B|`` by default.

    Returns
    -------
    BatchEquilibria

    Examples
    --------
    Von Stengel's 3 x 2 example (Nisan et al. 2007, figure 3.3): one pure and
    two mixed equilibria.

    >>> A = np.array([[[3, 3], [2, 5], [0, 6]]])
    >>> B = np.array([[[3, 2], [2, 6], [3, 1]]])
    >>> result = solve_batch(A, B)
    >>> result.pure[0].tolist(), result.mixed.tolist(), result.uncertain.tolist()
    ([[True, False], [False, False], [False, False]], [2], [False])
    """
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    if A.ndim != 3 or A.shape != B.shape:
        raise ValueError(f"expected two arrays of shape (N, m, n), got {A.shape} and {B.shape}")
    count, m, n = A.shape
    A_unit, tol_A, bad_A = _unit(A, None if magnitudes is None else magnitudes[0], rtol)
    B_unit, tol_B, bad_B = _unit(B, None if magnitudes is None else magnitudes[1], rtol)
    uncertain = bad_A | bad_B
    pure = np.zeros((count, m, n), dtype=bool)
    mixed = np.zeros(count, dtype=np.int64)
    row, column = np.zeros((count, m)), np.zeros((count, n))
    B_columns = B_unit.transpose(0, 2, 1)
    for k in range(1, min(m, n) + 1):
        rows, columns = _subsets(m, k), _subsets(n, k)
        per_game = len(rows) * len(columns) * max(k * k, m, n)
        size = max(1, _WORKING_SET // per_game)
        for start in range(0, count, size):
            games = slice(start, min(start + size, count))
            y, valid_y, unsure_y = _side(A_unit[games], rows, columns, tol_A[games])
            x, valid_x, unsure_x = _side(B_columns[games], columns, rows, tol_B[games])
            equilibrium = valid_y & valid_x.transpose(0, 2, 1)
            uncertain[games] |= (unsure_y | unsure_x.transpose(0, 2, 1)).any(axis=(1, 2))
            if k == 1:
                pure[games] = equilibrium
                continue
            mixed[games] += equilibrium.sum(axis=(1, 2))
            g, a, b = np.nonzero(equilibrium)
            g += start
            row[g] = 0.0
            column[g] = 0.0
            row[g[:, None], rows[a]] = x[g - start, b, a]
            column[g[:, None], columns[b]] = y[g - start, a, b]
    row[mixed != 1] = np.nan
    column[mixed != 1] = np.nan
    return BatchEquilibria(pure, mixed, row, column, uncertain)


def _unit(
    P: np.ndarray, magnitude: np.ndarray | None, rtol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each game's payoffs mapped onto [0, 1], its tolerance, and whether it is unusable."""
    low = P.min(axis=(1, 2))
    spread = P.max(axis=(1, 2)) - low
    bound = np.abs(P if magnitude is None else magnitude).max(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        tol = rtol * np.maximum(1.0, bound / spread)
        bad = ~(spread > 0) | ~(tol < _LOOSEST)  # NaN and inf land here too
        safe = np.where(bad, 1.0, spread)
        unit = (P - np.where(bad, 0.0, low)[:, None, None]) / safe[:, None, None]
    unit[bad] = 0.0
    return unit, np.where(bad, 0.0, tol), bad


def _side(
    P: np.ndarray, own: np.ndarray, other: np.ndarray, tol: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The other player's mixtures making the owner of ``P`` indifferent on each support.

    Parameters
    ----------
    P : numpy.ndarray, shape (G, r, c)
        The indifferent player's payoffs (own strategies first).
    own, other : numpy.ndarray of intp, shapes (Sa, k) and (Sb, k)
        The supports of the indifferent player and of the mixing player.
    tol : numpy.ndarray, shape (G,)

    Returns
    -------
    mix : (G, Sa, Sb, k)
        The mixture on ``other[b]`` for the pair ``(own[a], other[b])``.
    valid : (G, Sa, Sb) bool
        Every probability and every slack of the strategies outside
        ``own[a]`` clearly positive.
    unsure : (G, Sa, Sb) bool
        A singular system with a nearly valid solution, or a candidate nearly
        but not clearly valid.
    """
    sub = P[:, own[:, None, :, None], other[None, :, None, :]]  # (G, Sa, Sb, k, k)
    differences = sub[..., 1:, :] - sub[..., :1, :]
    cofactors = _cofactors(differences)
    determinant = cofactors.sum(axis=-1)
    singular = ~(np.abs(determinant) > _SINGULAR)
    outside = np.ones((len(own), P.shape[1]), dtype=bool)
    np.put_along_axis(outside, own, False, axis=1)
    unsure = np.zeros_like(singular)
    if singular.any():
        g, a, b = np.nonzero(singular)
        system = np.concatenate([differences[g, a, b], np.ones_like(sub[g, a, b][:, :1])], 1)
        against_other = P[g[:, None, None], np.arange(P.shape[1])[:, None], other[b][:, None, :]]
        gains = against_other[np.arange(len(g)), own[a, 0]][:, None, :] - against_other
        unsure[g, a, b] = _nearly_valid_line(system, gains, outside[a], tol[g])
    determinant[singular] = 1.0
    mix = cofactors / determinant[..., None]
    # payoff[g, a, b, i]: the owner's strategy i against the mixture of (a, b)
    against = P[:, :, other].transpose(0, 2, 3, 1)  # (G, Sb, k, r)
    payoff = against[:, None, :, 0, :] * mix[..., :1]
    for c in range(1, own.shape[1]):
        payoff += against[:, None, :, c, :] * mix[..., c : c + 1]
    value = np.take_along_axis(payoff, own[None, :, None, :1], axis=-1)
    slack = _least(np.where(outside[:, None, :], value - payoff, np.inf))
    least = _least(mix)
    t = tol[:, None, None]
    valid = (least > t) & (slack > t) & ~singular
    near = (least >= -t) & (slack >= -t) & ~singular
    return mix, valid, unsure | (near & ~valid)


def _least(values: np.ndarray) -> np.ndarray:
    """The minimum along the last (short) axis, faster than a reduction over it."""
    least = values[..., 0].copy()
    for i in range(1, values.shape[-1]):
        np.minimum(least, values[..., i], out=least)
    return least


def _cofactors(differences: np.ndarray) -> np.ndarray:
    """The cofactors of the last row of ``[differences; 1 ... 1]`` (k x k), along the last axis.

    The system ``[D; 1] z = e_k`` has the solution ``z = cofactors / sum(cofactors)``
    (the sum is the determinant, expanded along the row of ones).

    Examples
    --------
    >>> _cofactors(np.array([[1.0, 3.0]])).tolist()
    [-3.0, 1.0]
    """
    k = differences.shape[-1]
    if k == 1:
        return np.ones((*differences.shape[:-2], 1))
    if k == 2:
        return np.stack([-differences[..., 0, 1], differences[..., 0, 0]], axis=-1)
    if k == 3:
        return np.cross(differences[..., 0, :], differences[..., 1, :])
    minors = [
        (-1) ** (k - 1 + i) * np.linalg.det(np.delete(differences, i, axis=-1)) for i in range(k)
    ]
    return np.stack(minors, axis=-1)


def _nearly_valid_line(
    systems: np.ndarray, gains: np.ndarray, outside: np.ndarray, tol: np.ndarray
) -> np.ndarray:
    """Whether a nearly singular system ``M z = e_k`` may have a nearly valid solution.

    Parameters
    ----------
    systems : (s, k, k)
    gains : (s, r, k)
        ``gains[:, i] @ z``: how much the first support strategy beats strategy ``i``.
    outside : (s, r) bool
        The owner's strategies outside the support.
    tol : (s,)

    The least-squares solution ``z0`` of the system with its tiny singular
    values dropped leaves a residual of at least the distance of ``e_k``
    from the range of ``M``, up to the dropped singular values times the
    solution's norm: a clearly positive residual proves that no bounded
    solution exists. With one dropped value the solutions are the line
    ``z0 + t v``, and the probabilities and slacks are affine in ``t``: the
    line holds a nearly valid point iff the intervals of ``t`` where each is at
    least ``-tol`` meet. With more dropped values the answer is yes (unsure).
    """
    k = systems.shape[-1]
    u, s, vt = np.linalg.svd(systems)
    kept = s > _DROPPED * s[:, :1]
    inverse = np.divide(1.0, s, out=np.zeros_like(s), where=kept)
    z0 = np.einsum("sji,sj->si", vt, inverse * u[:, -1, :])
    residual = np.einsum("sij,sj->si", systems, z0)
    residual[:, -1] -= 1.0
    consistent = ~(np.linalg.norm(residual, axis=-1) > _SINGULAR)
    direction = vt[:, -1, :]
    start = np.concatenate([z0, np.einsum("sik,sk->si", gains, z0)], axis=1)
    slope = np.concatenate([direction, np.einsum("sik,sk->si", gains, direction)], axis=1)
    applies = np.concatenate([np.ones_like(z0, dtype=bool), outside], axis=1)
    t = tol[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = (-t - start) / slope
    moving = np.abs(slope) > _DROPPED
    low = np.where(applies & moving & (slope > 0), bound, -np.inf).max(axis=1)
    high = np.where(applies & moving & (slope < 0), bound, np.inf).min(axis=1)
    fixed = np.where(applies & ~moving, start, np.inf).min(axis=1) >= -2 * tol
    on_line = (low <= high) & fixed
    return consistent & ((kept.sum(axis=1) < k - 1) | on_line)
