"""Simplex dictionaries of ``{x >= 0 : C x <= 1}`` in floats with rigorous error bounds.

Notation as in :mod:`credibility.solvers.reverse_search`. For a basis, let
``K`` be the basic coordinates, ``J`` the rows whose slacks are nonbasic (the
tight rows; ``|J| = |K| = k``) and ``G = C[J, K]``. Writing ``Cx = [C | I]``
(column ``v`` is the constraint column of variable ``v``), the dictionary is

    rows of x_K:    Z = G^-1 H,                with H = [Cx[J, colvar] | 1]
    rows of s_i:    W = [Cx[i, colvar] | 1] - C[i, K] Z       (i not in J)
    objective:      sum of the rows of Z, minus 1 in the columns of nonbasic x_j.

With ``X`` a floating-point inverse of the rounded ``G~`` (``|G - G~| <=
E``), ``R0 = |I - fl(X G~)| + gamma_k |X| |G~| + |X| E`` bounds ``|I - X G|``
entrywise; if ``alpha = ||R0||_inf < 1/2``, ``G`` is non-singular and for each
column ``z`` of ``Z`` with computed ``z~`` and residual bound ``rho >= |h - G
z~|``: ``||z - z~||_inf <= delta = |||X| rho||_inf / (1 - alpha)`` and ``|z -
z~| <= |X| rho + R0 1 delta`` (Higham 2002, *Accuracy and Stability of
Numerical Algorithms*, sections 3.5 and 7.2; ``gamma_k = k u / (1 - k u)``).
The rows ``W`` and the objective follow by the bounds of a matrix product.
Every bound is a sum of non-negative terms, inflated by ``1 + 2^-20`` to cover
its own rounding. The compiled walk computes the same bounds in loops
(:func:`credibility.solvers.reverse_search_kernel.fresh_dictionaries`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["certified_dictionaries"]

_UNIT_ROUNDOFF = 2.0**-53
_INFLATE = 1 + 2.0**-20
_TINY = 1e-290


def _gamma(k: int) -> float:
    return k * _UNIT_ROUNDOFF / (1 - k * _UNIT_ROUNDOFF)


def certified_dictionaries(
    Cf: np.ndarray, E: np.ndarray, rowvar: np.ndarray, colvar: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Midpoints and radii enclosing the dictionaries of a batch of bases.

    Parameters
    ----------
    Cf, E : ndarray, shape (r, d)
        ``C`` rounded to floats and a bound on the rounding.
    rowvar, colvar : ndarray of int, shapes (B, r) and (B, d)
        The basic and nonbasic variables of each basis.

    Returns
    -------
    M, R : ndarray, shape (B, r + 1, d + 1)
        Midpoints and radii, in the layout of the dictionary.
    ok : ndarray of bool, shape (B,)
        The bases whose bounds could be established (the others are garbage).

    Examples
    --------
    The vertex ``(2/5, 1/5)`` of ``{x >= 0 : 2 x_0 + x_1 <= 1, x_0 + 3 x_1 <= 1}``:

    >>> Cf = np.array([[2.0, 1.0], [1.0, 3.0]])
    >>> M, R, ok = certified_dictionaries(Cf, np.zeros((2, 2)), np.array([[0, 1]]),
    ...                                   np.array([[2, 3]]))
    >>> bool(ok[0]), [round(v, 12) for v in M[0, :, 2].tolist()], bool((R[0] < 1e-14).all())
    (True, [0.4, 0.2, 0.6], True)
    """
    count, r = rowvar.shape
    d = colvar.shape[1]
    M = np.zeros((count, r + 1, d + 1))
    R = np.full((count, r + 1, d + 1), np.inf)
    ok = np.zeros(count, dtype=bool)
    Cx = np.concatenate([Cf, np.eye(r)], axis=1)
    Ex = np.concatenate([E, np.zeros((r, r))], axis=1)
    sizes = (rowvar < d).sum(axis=1)
    for k in np.unique(sizes).tolist():
        index = np.flatnonzero(sizes == k)
        m, rad, good = _group(Cx, Ex, rowvar[index], colvar[index], k, d)
        M[index], R[index], ok[index] = m, rad, good
    return M, R, ok


def _group(
    Cx: np.ndarray, Ex: np.ndarray, rowvar: np.ndarray, colvar: np.ndarray, k: int, d: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The dictionaries of bases with ``k`` basic coordinates."""
    count, r = rowvar.shape
    every = np.arange(count)[:, None]
    row_order = np.argsort(rowvar >= d, axis=1, kind="stable")
    x_rows, s_rows = row_order[:, :k], row_order[:, k:]
    K = rowvar[every, x_rows]
    Jc = rowvar[every, s_rows] - d
    col_order = np.argsort(colvar < d, axis=1, kind="stable")
    J = colvar[every, col_order[:, :k]] - d
    nonbasic_x = (colvar < d).astype(float)
    ones = np.ones((count, 1, 1))

    def block(rows: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return Cx[rows[:, :, None], columns[:, None, :]], Ex[rows[:, :, None], columns[:, None, :]]

    Hs, Hs_e = block(Jc, colvar)
    Hs = np.concatenate([Hs, np.broadcast_to(ones, (count, r - k, 1))], axis=2)
    Hs_e = np.concatenate([Hs_e, np.zeros((count, r - k, 1))], axis=2)
    M = np.zeros((count, r + 1, d + 1))
    R = np.zeros((count, r + 1, d + 1))
    ok = np.ones(count, dtype=bool)
    with np.errstate(all="ignore"):
        if k == 0:
            W, W_r = Hs, Hs_e
            Z = np.zeros((count, 0, d + 1))
            Z_r = Z
        else:
            G, G_e = block(J, K)
            H, H_e = block(J, colvar)
            H = np.concatenate([H, np.broadcast_to(ones, (count, k, 1))], axis=2)
            H_e = np.concatenate([H_e, np.zeros((count, k, 1))], axis=2)
            sign, _ = np.linalg.slogdet(G)
            ok &= sign != 0
            X = np.zeros_like(G)
            if ok.any():
                X[ok] = np.linalg.inv(G[ok])
            absX, absG = np.abs(X), np.abs(G)
            R0 = np.abs(np.eye(k) - X @ G) + _gamma(k) * (absX @ absG) + absX @ G_e
            spread = R0.sum(axis=2) * _INFLATE
            alpha = spread.max(axis=1) * _INFLATE
            Z = X @ H
            Z += X @ (H - G @ Z)
            absZ = np.abs(Z)
            residual = np.abs(H - G @ Z) + _gamma(k + 1) * (np.abs(H) + absG @ absZ)
            residual += G_e @ absZ + H_e
            reach = (absX @ residual) * _INFLATE**2
            delta = reach.max(axis=1) * _INFLATE / (1 - alpha)[:, None]
            Z_r = (reach + spread[:, :, None] * delta[:, None, :]) * _INFLATE + _TINY
            ok &= alpha < 0.5
            CK, CK_e = block(Jc, K)
            absCK = np.abs(CK)
            W = Hs - CK @ Z
            W_r = absCK @ Z_r + _gamma(k + 1) * (np.abs(Hs) + absCK @ absZ)
            W_r += CK_e @ (absZ + Z_r) + Hs_e
        M[every, x_rows] = Z
        R[every, x_rows] = Z_r
        M[every, s_rows] = W
        R[every, s_rows] = W_r * _INFLATE + _TINY
        M[:, r, :d] = Z[:, :, :d].sum(axis=1) - nonbasic_x
        M[:, r, d] = Z[:, :, d].sum(axis=1)
        R[:, r, :d] = Z_r[:, :, :d].sum(axis=1) + _gamma(k + 1) * (
            np.abs(Z[:, :, :d]).sum(axis=1) + nonbasic_x
        )
        R[:, r, d] = Z_r[:, :, d].sum(axis=1) + _gamma(k + 1) * np.abs(Z[:, :, d]).sum(axis=1)
        R[:, r] *= _INFLATE
        R[:, r] += _TINY
        ok &= np.isfinite(M).all(axis=(1, 2)) & np.isfinite(R).all(axis=(1, 2))
    return M, R, ok
