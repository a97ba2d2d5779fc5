"""The certified reverse search as a compiled depth-first walk (numba, an optional accelerator).

Notation, decisions and error bounds are those of
:mod:`credibility.solvers.reverse_search`, whose docstring gives the soundness
argument: :func:`walk` takes the same certified decisions and carries out the
same midpoint-radius interval pivots (the same formulas and order of
operations for every bound, the same inflation by ``1 + 2^-20`` and the same
least radius ``10^-290``), one basis at a time in scalar loops compiled by
numba instead of a numpy batch at a time. Only the ratio test differs: it
compares cross products instead of quotients, but it merely proposes the
pivot row, which the certified checks then prove to be the unique minimum (or
the basis is doubtful). A basis with any decision its enclosure does not
settle is handed back to Python, exactly as the numpy path hands it on, to be
given a fresh enclosure (:func:`fresh_dictionaries`, the bounds of
:mod:`credibility.solvers.certified_dictionary` in loops) or computed in
integers.

The walk keeps a stack of bases: it pops the top basis, decides it and, if
every decision is certified, records its nonbasic labels and pushes its
children. A child is pushed as its parent's index and its pivot, and pivoted
(from the parent's enclosure) only when it is popped: the dictionaries held
are those of the bases on the path with children still to come, not one per
child waiting (on a 21 x 21 game, some 13,000 children wait at once). A basis
is decided where it was pivoted, and freed entries are used again: no
dictionary is ever copied. It stops when the stack is empty or a budget of
bases is spent, so that the caller can report progress, enforce its limit and
interleave the exact work; the stack it leaves is in the same form.

Every function is compiled with ``nogil=True``: a call of :func:`walk` or
:func:`fresh_dictionaries` releases the GIL (it touches no Python object), so
that the two best-response polytopes of a game can be searched on two cores
(:mod:`credibility.solvers.complementary_pairs`).

Nothing here asks for fast-math: every operation is rounded to nearest as the
bounds assume (a fused multiply-add, should the compiler use one, rounds once
instead of twice, within the same bounds).

This module imports numba at the top: it is itself imported lazily, and only
if numba is installed (:func:`credibility.solvers.reverse_search.compiled_kernel`).
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["fresh_dictionaries", "walk"]

_UNIT_ROUNDOFF = 2.0**-53
_INFLATE = 1 + 2.0**-20
_TINY = 1e-290


@numba.njit(cache=True, nogil=True)
def _product_radius(x_m: float, x_r: float, inv_m: float, inv_r: float, magnitude: float) -> float:
    """The inflated radius of ``x * inv``, as ``reverse_search._product_radius``."""
    return (
        abs(x_m) * inv_r + x_r * (inv_m + inv_r) + _UNIT_ROUNDOFF * magnitude
    ) * _INFLATE + _TINY


@numba.njit(cache=True, nogil=True)
def _decide(
    Pm: np.ndarray,
    Pr: np.ndarray,
    rowvar: np.ndarray,
    colvar: np.ndarray,
    edges: np.ndarray,
    rows: np.ndarray,
    margin: np.ndarray,
    work: np.ndarray,
    pivot: np.ndarray,
) -> int:
    """Certified decisions for one basis, as ``reverse_search._decide``.

    Writes the children's entering columns and leaving rows to ``edges`` and
    ``rows`` and returns their number, or -1 if some decision is doubtful.
    ``margin`` (shape ``(r,)``), ``work`` (``(5, d)``) and ``pivot`` (``(d,)``,
    integers) are work space. The ratio tests and the margins of all columns
    are computed together, row by row (contiguous in memory, so the compiler
    vectorises them); each entry by the same formula as one column at a time.
    """
    r, d = rowvar.shape[0], colvar.shape[0]
    u = _UNIT_ROUNDOFF
    for i in range(r):
        if not Pm[i, d] > Pr[i, d]:
            return -1
        margin[i] = Pm[i, d] - _INFLATE * (Pr[i, d] + 4 * u * Pm[i, d])
    for j in range(d):
        if not abs(Pm[r, j]) > Pr[r, j]:
            return -1
    a_best, b_best, theta, phi, psi = work[0], work[1], work[2], work[3], work[4]
    for e in range(d):
        pivot[e] = -1
        a_best[e] = 0.0
        b_best[e] = 0.0
    # The ratio test (b > 0 here): for each column a least b_i / a_i over positive a_i,
    # compared by cross products (the checks below prove that it is the unique least ratio).
    for i in range(r):
        b = Pm[i, d]
        for e in range(d):
            a = Pm[i, e]
            take = (a > 0) & ((pivot[e] < 0) | (b * a_best[e] < b_best[e] * a))
            pivot[e] = i if take else pivot[e]
            a_best[e] = a if take else a_best[e]
            b_best[e] = b if take else b_best[e]
    # The columns with a negative reduced cost are the candidate edges; the others get
    # pivot -1 and are left alone below.
    for e in range(d):
        theta[e] = phi[e] = psi[e] = 0.0
        if not Pm[r, e] < 0:
            pivot[e] = -1
            continue
        p = pivot[e]
        if p < 0:
            return -1
        a_m, b_m = a_best[e], b_best[e]
        a_r, b_r = Pr[p, e], Pr[p, d]
        a_low = a_m - a_r
        if not a_low > 0:
            return -1
        theta_m = b_m / a_m
        theta_r = ((b_r + theta_m * a_r) / a_low + u * theta_m) * _INFLATE + _TINY
        theta[e] = theta_m
        phi[e] = _INFLATE * (theta_r + 6 * u * theta_m)
        psi[e] = _INFLATE * (theta_m + theta_r)
    # Every other basic variable stays certainly positive after the pivot: then the pivot row
    # is the unique minimum ratio, which is also the lexicographic minimum.
    bad = False
    for i in range(r):
        m_i = margin[i]
        for e in range(d):
            col_m = Pm[i, e]
            factor = (np.copysign(phi[e], col_m) + theta[e]) * col_m + Pr[i, e] * psi[e]
            bad |= (pivot[e] >= 0) & (pivot[e] != i) & (not m_i > factor)
    if bad:
        return -1
    children = 0
    for e in range(d):
        p = pivot[e]
        if p < 0:
            continue
        a_m, a_r = a_best[e], Pr[p, e]
        inv_m = 1 / a_m
        inv_r = (a_r / ((a_m - a_r) * a_m) + u * inv_m) * _INFLATE + _TINY
        ze_m, ze_r = Pm[r, e], Pr[r, e]
        leaving = rowvar[p]
        not_child = False
        unsettled = False
        for j in range(d):
            row_m = Pm[p, j]
            q_m = row_m * inv_m
            abs_q = abs(q_m)
            q_r = _product_radius(row_m, Pr[p, j], inv_m, inv_r, abs_q)
            zn_m = Pm[r, j] - ze_m * q_m
            zn_r = (q_r + 2 * u * abs_q) * (_INFLATE * abs(ze_m))
            zn_r += (abs_q + q_r) * (_INFLATE * ze_r)
            zn_r += _INFLATE * (Pr[r, j] + 2 * u * abs(Pm[r, j]))
            # Only the smaller variables count: one that certainly improves makes the basis not
            # a child; without one, an unsettled sign leaves it doubtful. All columns are
            # computed (no early exit), which vectorises.
            looked = (j != e) & (colvar[j] < leaving)
            not_child |= looked & (zn_m > zn_r)
            unsettled |= looked & (not zn_m < -zn_r)
        if not_child:
            continue
        if unsettled:
            return -1
        edges[children] = e
        rows[children] = p
        children += 1
    return children


@numba.njit(cache=True, nogil=True)
def _pivot(
    Pm: np.ndarray,
    Pr: np.ndarray,
    p: int,
    e: int,
    M: np.ndarray,
    R: np.ndarray,
    scratch: np.ndarray,
) -> None:
    """The child's dictionary in ``M, R``: the interval pivot of ``reverse_search._pivot``.

    ``scratch`` is work space of shape ``(3, d + 1)``.
    """
    r1, d1 = Pm.shape
    u = _UNIT_ROUNDOFF
    a_m, a_r = Pm[p, e], Pr[p, e]
    inv_m = 1 / a_m
    inv_r = (a_r / ((a_m - a_r) * a_m) + u * inv_m) * _INFLATE + _TINY
    q_m, phi, psi = scratch[0], scratch[1], scratch[2]
    for j in range(d1):
        row_m = Pm[p, j]
        q = row_m * inv_m
        abs_q = abs(q)
        q_r = _product_radius(row_m, Pr[p, j], inv_m, inv_r, abs_q)
        q_m[j] = q
        phi[j] = _INFLATE * (q_r + 2 * u * abs_q)
        psi[j] = _INFLATE * (abs_q + q_r)
        M[p, j] = q
        R[p, j] = q_r
    for i in range(r1):
        if i == p:
            continue
        c_m, c_r = Pm[i, e], Pr[i, e]
        abs_c = abs(c_m)
        for j in range(d1):
            t_m = Pm[i, j]
            R[i, j] = (
                Pr[i, j] * _INFLATE + abs(t_m) * (_INFLATE * u) + abs_c * phi[j] + c_r * psi[j]
            )
            M[i, j] = t_m - c_m * q_m[j]
        column = -c_m * inv_m
        M[i, e] = column
        R[i, e] = _product_radius(c_m, c_r, inv_m, inv_r, abs(column))
    M[p, e] = inv_m
    R[p, e] = inv_r


@numba.njit(cache=True, nogil=True)
def walk(
    M: np.ndarray,
    R: np.ndarray,
    rowvar: np.ndarray,
    colvar: np.ndarray,
    fresh: np.ndarray,
    entries: np.ndarray,
    budget: int,
    labels: np.ndarray,
    words: int,
) -> tuple[
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
]:
    """Walk the reverse search tree depth first from a stack of bases, up to a budget.

    Parameters
    ----------
    M, R : ndarray of float, shape (S, r + 1, d + 1)
        Midpoints and radii of the dictionaries the stack refers to (its *pool*).
    rowvar, colvar : ndarray of int16, shapes (S, r) and (S, d)
        The basic and nonbasic variables of each dictionary of the pool.
    fresh : ndarray of bool, shape (S,)
        The dictionaries whose enclosures were computed from scratch.
    entries : ndarray of int, shape (B, 3)
        The stack, its top last: ``(s, -1, -1)`` is the basis of dictionary ``s``;
        ``(s, p, e)`` is its child by the pivot on row ``p`` and column ``e``,
        not yet pivoted.
    budget : int
        The most bases to pop.
    labels : ndarray of int, shape (r + d,)
        The caller's label of each variable.
    words : int
        64-bit words per label set.

    Returns
    -------
    M, R, rowvar, colvar, fresh, entries
        The stack left, in the same form (the pool may be the same arrays, changed,
        or larger ones).
    found : ndarray of uint64, shape (V, words)
        The nonbasic labels (the zero set) of each basis decided.
    doubtful_rowvar, doubtful_colvar, doubtful_fresh
        The bases with a decision their enclosures do not settle.
    """
    # A child is pivoted only when it is popped: the stack holds a dictionary for each basis
    # on the path with children still to come, not one for each of those children (that
    # would be ten times the memory on a deep tree). ``uses`` counts the stack's references
    # to each dictionary; one with none is free for a new child. A pivot reads its parent
    # only, which stays as it was decided, so every child is pivoted from the same entries,
    # and decided the same way, as if it had been pivoted when its parent was decided.
    r, d = rowvar.shape[1], colvar.shape[1]
    size = M.shape[0]
    uses = np.zeros(size, np.intp)
    count = entries.shape[0]
    for k in range(count):
        uses[entries[k, 0]] += 1
    free = np.empty(size, np.intp)
    spare = 0  # entries of ``free`` in use
    for s in range(size):
        if uses[s] == 0:
            free[spare] = s
            spare += 1
    stack = np.empty((max(count, 64), 3), np.intp)
    _copy(entries, stack[:count])
    found = np.zeros((budget, words), np.uint64)
    doubtful_rowvar = np.empty((budget, r), rowvar.dtype)
    doubtful_colvar = np.empty((budget, d), colvar.dtype)
    doubtful_fresh = np.empty(budget, np.bool_)
    edges = np.empty(d, np.intp)
    rows = np.empty(d, np.intp)
    scratch = np.empty((3, d + 1))
    margin = np.empty(r)
    work = np.empty((5, d))
    pivot = np.empty(d, np.intp)
    decided = 0
    doubtful = 0
    while count > 0 and decided + doubtful < budget:
        count -= 1
        parent, p, e = stack[count, 0], stack[count, 1], stack[count, 2]
        top = parent
        if p >= 0:  # a child: pivot it from its parent into a free dictionary
            if spare == 0:  # room for more: twice the dictionaries
                capacity = max(2 * size, 64)
                M, R = _grown(M, size, capacity), _grown(R, size, capacity)
                rowvar, colvar = _grown(rowvar, size, capacity), _grown(colvar, size, capacity)
                fresh, uses = _grown(fresh, size, capacity), _grown(uses, size, capacity)
                for k in range(capacity - size):
                    uses[size + k] = 0
                more = np.empty(capacity, np.intp)  # every dictionary may be free at once
                for k in range(capacity - size):
                    more[k] = capacity - 1 - k
                free, spare, size = more, capacity - size, capacity
            spare -= 1
            top = free[spare]
            _pivot(M[parent], R[parent], p, e, M[top], R[top], scratch)
            _copy(rowvar[parent], rowvar[top])
            _copy(colvar[parent], colvar[top])
            rowvar[top, p] = colvar[parent, e]
            colvar[top, e] = rowvar[parent, p]
            fresh[top] = False
            uses[parent] -= 1
            if uses[parent] == 0:
                free[spare] = parent
                spare += 1
            uses[top] = 1
        Pm, Pr, prow, pcol = M[top], R[top], rowvar[top], colvar[top]
        children = _decide(Pm, Pr, prow, pcol, edges, rows, margin, work, pivot)
        if children < 0:
            _copy(prow, doubtful_rowvar[doubtful])
            _copy(pcol, doubtful_colvar[doubtful])
            doubtful_fresh[doubtful] = fresh[top]
            doubtful += 1
            children = 0
        else:
            for j in range(d):
                label = labels[pcol[j]]
                found[decided, label >> 6] |= np.uint64(1) << np.uint64(label & 63)
            decided += 1
        uses[top] = children
        if children == 0:
            free[spare] = top
            spare += 1
            continue
        if count + children > stack.shape[0]:
            stack = _grown(stack, count, max(2 * stack.shape[0], count + children))
        for k in range(children):
            stack[count, 0] = top
            stack[count, 1] = rows[k]
            stack[count, 2] = edges[k]
            count += 1
    return (
        M,
        R,
        rowvar,
        colvar,
        fresh,
        stack[:count].copy(),
        found[:decided],
        doubtful_rowvar[:doubtful],
        doubtful_colvar[:doubtful],
        doubtful_fresh[:doubtful],
    )


@numba.njit(cache=True, nogil=True)
def _grown(stack: np.ndarray, count: int, capacity: int) -> np.ndarray:
    """A stack with room for ``capacity`` entries, its first ``count`` copied."""
    larger = np.empty((capacity, *stack.shape[1:]), stack.dtype)
    _copy(stack[:count], larger[:count])
    return larger


@numba.njit(cache=True, nogil=True)
def _copy(source: np.ndarray, target: np.ndarray) -> None:
    """Copy an array into a contiguous one of its shape (a loop compiles faster than ``[:] =``)."""
    flat = target.reshape(-1)
    for k, value in enumerate(source.reshape(-1)):
        flat[k] = value


@numba.njit(cache=True, nogil=True)
def _gamma(k: int) -> float:
    """``gamma_k = k u / (1 - k u)``: bounds the rounding of a sum of ``k`` products."""
    return k * _UNIT_ROUNDOFF / (1 - k * _UNIT_ROUNDOFF)


@numba.njit(cache=True, nogil=True)
def fresh_dictionaries(
    Cf: np.ndarray, E: np.ndarray, rowvar: np.ndarray, colvar: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Enclosures from scratch, as in :mod:`~credibility.solvers.certified_dictionary`.

    The same a posteriori bounds (that module's docstring), term by term, one
    basis at a time, in loops (no BLAS: numba would need SciPy for it); the
    approximate inverse ``X`` comes from Gauss-Jordan elimination with partial
    pivoting (the bounds hold for any ``X``: a poor one only makes ``alpha``
    large and the basis not ``ok``). Sums are accumulated in another order
    than numpy's, which the bounds allow (``gamma_n`` bounds the rounding of
    an inner product of length ``n`` in any order).
    """
    count, r = rowvar.shape
    d = colvar.shape[1]
    M = np.zeros((count, r + 1, d + 1))
    R = np.zeros((count, r + 1, d + 1))
    ok = np.zeros(count, np.bool_)
    for t in range(count):
        ok[t] = _fresh(Cf, E, rowvar[t], colvar[t], M[t], R[t])
    return M, R, ok


@numba.njit(cache=True, nogil=True)
def _fresh(
    Cf: np.ndarray,
    E: np.ndarray,
    rowvar: np.ndarray,
    colvar: np.ndarray,
    M: np.ndarray,
    R: np.ndarray,
) -> bool:
    """The enclosure of one basis's dictionary into ``M, R``; False if it cannot be established.

    Plain loops throughout (numpy's array expressions take numba long to compile).
    """
    r, d = rowvar.shape[0], colvar.shape[0]
    d1 = d + 1
    # The rows of the basic coordinates K and of the basic slacks Jc; the tight rows J.
    x_rows, K = np.empty(r, np.intp), np.empty(r, np.intp)
    s_rows, Jc = np.empty(r, np.intp), np.empty(r, np.intp)
    k = slacks = 0
    for i in range(r):
        if rowvar[i] < d:
            x_rows[k], K[k] = i, rowvar[i]
            k += 1
        else:
            s_rows[slacks], Jc[slacks] = i, rowvar[i] - d
            slacks += 1
    J = np.empty(k, np.intp)
    tight = 0
    for c in range(d):
        if colvar[c] >= d:
            J[tight] = colvar[c] - d
            tight += 1
    g1 = _gamma(k + 1)
    H, H_e = _right_side(Cf, E, J, colvar)
    Z = np.zeros((k, d1))
    Z_r = np.zeros((k, d1))
    alpha = 0.0
    if k:
        G = np.empty((k, k))
        G_e = np.empty((k, k))
        for a in range(k):
            for b in range(k):
                G[a, b] = Cf[J[a], K[b]]
                G_e[a, b] = E[J[a], K[b]]
        X = _inverse(G)
        gk = _gamma(k)
        # R0 = |I - X G| + gamma_k |X| |G| + |X| G_e; spread: its row sums; alpha: their max.
        # (Each sum runs over the same index in the same order as written out entry by entry;
        # the loops are ordered so that the innermost one runs along rows, in memory order.)
        spread = np.zeros(k)
        xg, xg_size, xg_error = np.empty(k), np.empty(k), np.empty(k)
        for a in range(k):
            xg[:] = 0.0
            xg_size[:] = 0.0
            xg_error[:] = 0.0
            for c in range(k):
                x = X[a, c]
                abs_x = abs(x)
                for b in range(k):
                    xg[b] += x * G[c, b]
                    xg_size[b] += abs_x * abs(G[c, b])
                    xg_error[b] += abs_x * G_e[c, b]
            total = 0.0
            for b in range(k):
                total += abs((1.0 if a == b else 0.0) - xg[b]) + gk * xg_size[b] + xg_error[b]
            spread[a] = total * _INFLATE
            if not spread[a] <= alpha:  # NaN too
                alpha = spread[a]
        alpha *= _INFLATE
        Z = _product(X, H)
        correction = _product(X, _minus_product(H, G, Z))  # one step of iterative refinement
        for a in range(k):
            for c in range(d1):
                Z[a, c] += correction[a, c]
        # |H - G Z| + gamma_(k+1) (|H| + |G| |Z|) + G_e |Z| + H_e, then |X| times it.
        residual = _minus_product(H, G, Z)
        sizes, errors = np.empty(d1), np.empty(d1)
        for a in range(k):
            sizes[:] = 0.0
            errors[:] = 0.0
            for b in range(k):
                g, g_e = abs(G[a, b]), G_e[a, b]
                for c in range(d1):
                    z = abs(Z[b, c])
                    sizes[c] += g * z
                    errors[c] += g_e * z
            for c in range(d1):
                bound = abs(residual[a, c]) + g1 * (abs(H[a, c]) + sizes[c])
                residual[a, c] = bound + (errors[c] + H_e[a, c])
        reach = np.zeros((k, d1))
        for a in range(k):
            for b in range(k):
                x = abs(X[a, b])
                for c in range(d1):
                    reach[a, c] += x * residual[b, c]
        for c in range(d1):
            delta = 0.0
            for a in range(k):
                reach[a, c] *= _INFLATE**2
                if not reach[a, c] <= delta:  # NaN too
                    delta = reach[a, c]
            delta = delta * _INFLATE / (1 - alpha)
            for a in range(k):
                Z_r[a, c] = (reach[a, c] + spread[a] * delta) * _INFLATE + _TINY
                M[x_rows[a], c] = Z[a, c]
                R[x_rows[a], c] = Z_r[a, c]
    Hs, Hs_e = _right_side(Cf, E, Jc[:slacks], colvar)
    values, bounds = np.empty(d1), np.empty(d1)
    sums, slack_errors = np.empty(d1), np.empty(d1)
    for s in range(slacks):
        for c in range(d1):
            values[c] = Hs[s, c]
        bounds[:] = 0.0
        sums[:] = 0.0
        slack_errors[:] = 0.0
        for b in range(k):
            ck = Cf[Jc[s], K[b]]
            abs_ck = abs(ck)
            e_k = E[Jc[s], K[b]]
            for c in range(d1):
                z, z_r = Z[b, c], Z_r[b, c]
                values[c] -= ck * z
                bounds[c] += abs_ck * z_r
                sums[c] += abs_ck * abs(z)
                slack_errors[c] += e_k * (abs(z) + z_r)
        for c in range(d1):
            bound = bounds[c] + g1 * (abs(Hs[s, c]) + sums[c])
            bound += slack_errors[c] + Hs_e[s, c]
            M[s_rows[s], c] = values[c]
            R[s_rows[s], c] = bound * _INFLATE + _TINY
    for c in range(d1):
        nonbasic_x = 1.0 if c < d and colvar[c] < d else 0.0
        total = 0.0
        bound = 0.0
        magnitude = 0.0
        for a in range(k):
            total += Z[a, c]
            bound += Z_r[a, c]
            magnitude += abs(Z[a, c])
        M[r, c] = total - nonbasic_x
        R[r, c] = (bound + g1 * (magnitude + nonbasic_x)) * _INFLATE + _TINY
    finite = True
    for i in range(r + 1):
        for c in range(d1):
            finite &= abs(M[i, c]) < np.inf and R[i, c] < np.inf  # False for NaN too
    return alpha < 0.5 and finite


@numba.njit(cache=True, nogil=True)
def _product(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """The matrix product ``A B``."""
    P = np.zeros((A.shape[0], B.shape[1]))
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            a = A[i, k]
            for j in range(B.shape[1]):
                P[i, j] += a * B[k, j]
    return P


@numba.njit(cache=True, nogil=True)
def _minus_product(H: np.ndarray, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``H - A B``."""
    P = _product(A, B)
    for i in range(H.shape[0]):
        for j in range(H.shape[1]):
            P[i, j] = H[i, j] - P[i, j]
    return P


@numba.njit(cache=True, nogil=True)
def _right_side(
    Cf: np.ndarray, E: np.ndarray, rows: np.ndarray, colvar: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``[Cx[rows, colvar] | 1]`` (``Cx = [C | I]``) and its bound ``[Ex[rows, colvar] | 0]``."""
    d = colvar.shape[0]
    H = np.zeros((len(rows), d + 1))
    H_e = np.zeros((len(rows), d + 1))
    for a in range(len(rows)):
        for c in range(d):
            v = colvar[c]
            if v < d:
                H[a, c] = Cf[rows[a], v]
                H_e[a, c] = E[rows[a], v]
            elif v - d == rows[a]:
                H[a, c] = 1.0
        H[a, d] = 1.0
    return H, H_e


@numba.njit(cache=True, nogil=True)
def _inverse(G: np.ndarray) -> np.ndarray:
    """An approximate inverse by Gauss-Jordan elimination, partial pivoting (NaN if singular)."""
    k = G.shape[0]
    A = np.empty((k, k))
    X = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            A[i, j] = G[i, j]
        X[i, i] = 1.0
    for c in range(k):
        p = c
        for i in range(c + 1, k):
            if abs(A[i, c]) > abs(A[p, c]):
                p = i
        if A[p, c] == 0:
            for i in range(k):
                for j in range(k):
                    X[i, j] = np.nan
            return X
        for j in range(k):
            A[c, j], A[p, j] = A[p, j], A[c, j]
            X[c, j], X[p, j] = X[p, j], X[c, j]
        pivot = A[c, c]
        for j in range(k):
            A[c, j] /= pivot
            X[c, j] /= pivot
        for i in range(k):
            if i != c and A[i, c] != 0:
                f = A[i, c]
                for j in range(k):
                    A[i, j] -= f * A[c, j]
                    X[i, j] -= f * X[c, j]
    return X
