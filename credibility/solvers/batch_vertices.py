"""Every extreme equilibrium of many small integer games at once, degenerate ones included.

The exact solver (:mod:`credibility.solvers.enumeration`, whose notation this
module keeps) enumerates the vertices of the best-response polytopes

    P = {x >= 0 : B^T x <= 1}        Q = {y >= 0 : A y <= 1}

(payoffs shifted to be at least 1) and pairs the completely labelled ones.
Here the same enumeration runs over a batch of games in int64, with exact
integer determinants, so ties (degenerate games, whose equilibria form
segments and larger components) are settled without leaving numpy.

1. For a polytope ``{x >= 0 : C x <= 1}`` (``C``: ``r x d``, positive) every
   minor of the augmented matrix ``M = [C | 1]`` is computed for the whole
   batch, size by size, by Laplace expansion along the first row (a minor
   of size ``k`` costs ``k`` products of minors of size ``k - 1``).
2. A choice of tight rows ``J`` and support ``K`` (``|J| = |K| = k``) is a
   vertex candidate; by Cramer's rule and the Schur complement, with
   ``D = det C[J, K]``:

   - ``x_K = N / D``, where ``N_i`` is, up to sign, the minor of ``M`` on
     ``J`` and ``K`` with column ``K_i`` replaced by the column of ones;
   - ``D (1 - C[t, K] x_K)``, the slack of a row ``t`` outside ``J``, is, up
     to sign, the minor of ``M`` on ``J + {t}`` and ``K + {ones}``.

   The candidate is a vertex iff ``D != 0`` and every ``N_i`` and slack has
   the sign of ``D`` or is 0; its labels are the coordinates at 0 and the
   rows with slack 0, exactly. A vertex is identified by its labels (it is
   the only point of P on all its tight constraints), so choices leading to
   one vertex are merged by their label sets.
3. The extreme equilibria are the pairs of vertices of P and Q (both not 0)
   whose labels cover all ``m + n``; the game is degenerate iff some vertex
   has more labels than its dimension (as the exact solver decides).

Every number is an integer whose size is bounded before it is computed
(Hadamard's bound, from the largest entry): a game whose minors could leave
int64 is marked ``uncertain`` and left to the exact solver, and so is one
whose payoffs are not integers. Equilibrium probabilities ``N_i / sum(N)``
are correctly rounded divisions of exact integers below 2**53, so they are
the exact solver's values, to the bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np

__all__ = ["MAX_EXACT_CHOICES", "ExactBatch", "exact_choices", "solve_exact_batch"]

#: Games with more vertex candidates per polytope than this are left to other solvers.
MAX_EXACT_CHOICES = 300
#: Minors are kept below this (int64 holds 2**63 - 1).
_LIMIT = 2.0**62
#: Probabilities are exact quotients of integers below this.
_EXACT_FLOAT = 2.0**53
#: Games per block: a block's minors stay in cache.
_BLOCK = 1024


@dataclass(frozen=True)
class ExactBatch:
    """The extreme equilibria of ``N`` integer ``m x n`` games.

    Attributes
    ----------
    pure : numpy.ndarray of bool, shape (N, m, n)
        ``pure[g, i, j]``: whether ``(i, j)`` is an (extreme) equilibrium.
    row_mixed : numpy.ndarray of int64, shape (N, n)
        ``row_mixed[g, j]``: extreme equilibria where the row player mixes and
        the column player plays ``j``.
    column_mixed : numpy.ndarray of int64, shape (N, m)
        Those where the column player mixes against the pure row ``i``.
    both_mixed : numpy.ndarray of int64, shape (N,)
        Those where both players mix.
    degenerate : numpy.ndarray of bool, shape (N,)
        Some vertex of a best-response polytope has more labels than its
        dimension (the exact solver's definition).
    row, column : numpy.ndarray of float64, shapes (N, m) and (N, n)
        The strategies of the only extreme equilibrium that is not pure; NaN
        where there is none or several.
    uncertain : numpy.ndarray of bool, shape (N,)
        Games not solved here (payoffs that are not integers, or too large
        for int64 minors); their other entries mean nothing.

    Examples
    --------
    A game where the column player is indifferent against the first row: a
    segment of equilibria from ``R1/C1`` to ``R1/mixed``.

    >>> A = np.array([[[1, 0], [0, 1]]])
    >>> B = np.array([[[1, 1], [0, 1]]])
    >>> result = solve_exact_batch(A, B)
    >>> result.count.tolist(), result.degenerate.tolist(), result.keys(0)
    ([3], [True], [(0, 0), (1, 1), (0, 2)])
    >>> result.column[0].tolist()
    [0.5, 0.5]
    """

    pure: np.ndarray
    row_mixed: np.ndarray
    column_mixed: np.ndarray
    both_mixed: np.ndarray
    degenerate: np.ndarray
    row: np.ndarray
    column: np.ndarray
    uncertain: np.ndarray

    @property
    def mixed(self) -> np.ndarray:
        """The number of extreme equilibria that are not pure."""
        return self.row_mixed.sum(axis=1) + self.column_mixed.sum(axis=1) + self.both_mixed

    @property
    def count(self) -> np.ndarray:
        """The number of extreme equilibria."""
        return self.pure.sum(axis=(1, 2)) + self.mixed

    def keys(self, g: int) -> list[tuple[int, int]]:
        """Game ``g``'s equilibria as :func:`~credibility.solvers.outcomes.bimatrix_key` pairs."""
        _, m, n = self.pure.shape
        keys = [(int(i), int(j)) for i, j in zip(*np.nonzero(self.pure[g]))]
        keys += [(m, j) for j in range(n) for _ in range(int(self.row_mixed[g, j]))]
        keys += [(i, n) for i in range(m) for _ in range(int(self.column_mixed[g, i]))]
        return keys + [(m, n)] * int(self.both_mixed[g])

    def signature(self) -> np.ndarray:
        """One row of integers per game that determines its outcome label (for ``np.unique``)."""
        count, m, n = self.pure.shape
        cells = self.pure.reshape(count, m * n).astype(np.int64) << np.arange(m * n)
        return np.column_stack(
            [
                cells.sum(axis=1),
                self.row_mixed,
                self.column_mixed,
                self.both_mixed,
                self.degenerate.astype(np.int64),
            ]
        )


def exact_choices(m: int, n: int) -> int:
    """Vertex candidates per polytope (not 0): ``C(m + n, m) - 1``.

    Examples
    --------
    >>> exact_choices(3, 3), exact_choices(4, 4)
    (19, 69)
    """
    return math.comb(m + n, m) - 1


def solve_exact_batch(A: np.ndarray, B: np.ndarray) -> ExactBatch:
    """Every extreme equilibrium of ``N`` small integer games, exactly.

    Parameters
    ----------
    A, B : array_like, shape (N, m, n)
        Integer payoffs (integer or float arrays; a game with a non-integer
        or non-finite payoff is ``uncertain``).

    Returns
    -------
    ExactBatch

    Raises
    ------
    ValueError
        For arrays of other shapes, or games with more than
        ``MAX_EXACT_CHOICES`` vertex candidates per polytope.

    Examples
    --------
    Matching pennies where the column player does not care against the second
    row (a segment from ``R2/C2`` to ``R2/mixed``), and a game with a whole
    square of equilibria:

    >>> A = np.array([[[1, -1], [-1, 1]], [[0, 0], [0, 0]]])
    >>> B = np.array([[[-1, 1], [0, 0]], [[0, 0], [0, 0]]])
    >>> result = solve_exact_batch(A, B)
    >>> result.keys(0), result.keys(1)
    ([(1, 1), (1, 2)], [(0, 0), (0, 1), (1, 0), (1, 1)])
    >>> result.row[0].tolist(), result.column[0].tolist()
    ([0.0, 1.0], [0.5, 0.5])
    """
    A = np.asarray(A)
    B = np.asarray(B)
    if A.ndim != 3 or A.shape != B.shape:
        raise ValueError(f"expected two arrays of shape (N, m, n), got {A.shape} and {B.shape}")
    count, m, n = A.shape
    if exact_choices(m, n) > MAX_EXACT_CHOICES:
        raise ValueError(f"a {m} x {n} game has too many vertex candidates for the batch")
    A_int, bad_A = _positive(A)
    B_int, bad_B = _positive(B)
    uncertain = bad_A | bad_B
    pure = np.zeros((count, m, n), dtype=bool)
    row_mixed = np.zeros((count, n), dtype=np.int64)
    column_mixed = np.zeros((count, m), dtype=np.int64)
    both_mixed = np.zeros(count, dtype=np.int64)
    degenerate = np.zeros(count, dtype=bool)
    row = np.full((count, m), np.nan)
    column = np.full((count, n), np.nan)
    out = (pure, row_mixed, column_mixed, both_mixed, degenerate, row, column, uncertain)
    for start in range(0, count, _BLOCK):
        games = slice(start, min(start + _BLOCK, count))
        _solve_block(A_int[games], B_int[games], tuple(part[games] for part in out))
    return ExactBatch(*out)


def _positive(P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each game's payoffs shifted to be at least 1, as int64, and the games that are not usable."""
    if P.dtype.kind in "iu":
        low, high = P.min(axis=(1, 2)), P.max(axis=(1, 2))
        bad = (high.astype(np.float64) - low.astype(np.float64)) >= 2**40
        shifted = np.where(bad[:, None, None], 0, P.astype(np.int64) - low[:, None, None]) + 1
        return shifted, bad
    with np.errstate(invalid="ignore"):
        F = P.astype(np.float64)
        low = F.min(axis=(1, 2))
        spread = F.max(axis=(1, 2)) - low
        bad = ~np.all(np.round(F) == F, axis=(1, 2)) | ~(spread < 2**40)
        shifted = np.where(bad[:, None, None], 0.0, F - low[:, None, None]) + 1
    return shifted.astype(np.int64), bad


def _solve_block(A: np.ndarray, B: np.ndarray, out: tuple[np.ndarray, ...]) -> None:
    """Solve one block of games into the slices ``out`` (see :class:`ExactBatch`)."""
    pure, row_mixed, column_mixed, both_mixed, degenerate, row, column, uncertain = out
    count, m, n = A.shape
    # P: x >= 0 (labels 0..m-1), B^T x <= 1 (labels m..m+n-1)
    P = _vertices(B.transpose(0, 2, 1), coordinates_first=True)
    # Q: A y <= 1 (labels 0..m-1), y >= 0 (labels m..m+n-1)
    Q = _vertices(A, coordinates_first=False)
    uncertain |= ~(P.ok & Q.ok)
    popcount = _POPCOUNT[: 1 << (m + n)]
    np.logical_or.at(degenerate, P.game[popcount[P.mask] > m], True)
    np.logical_or.at(degenerate, Q.game[popcount[Q.mask] > n], True)
    # every pair of a vertex of P and a vertex of Q of the same game
    p_count = np.bincount(P.game, minlength=count)
    q_count = np.bincount(Q.game, minlength=count)
    q_start = np.concatenate([[0], np.cumsum(q_count)[:-1]])
    per_vertex = q_count[P.game]
    a = np.repeat(np.arange(len(P.game)), per_vertex)
    first = np.repeat(np.cumsum(per_vertex) - per_vertex, per_vertex)
    b = q_start[P.game[a]] + np.arange(len(a)) - first
    del p_count
    equilibrium = (P.mask[a] | Q.mask[b]) == (1 << (m + n)) - 1
    a, b = a[equilibrium], b[equilibrium]
    g = P.game[a]
    keep = ~uncertain[g]
    a, b, g = a[keep], b[keep], g[keep]
    i, j = _keys(m, 0)[P.mask[a]], _keys(n, m)[Q.mask[b]]
    is_pure = (i < m) & (j < n)
    pure[g[is_pure], i[is_pure], j[is_pure]] = True
    only_row = (i == m) & (j < n)
    np.add.at(row_mixed, (g[only_row], j[only_row]), 1)
    only_column = (i < m) & (j == n)
    np.add.at(column_mixed, (g[only_column], i[only_column]), 1)
    np.add.at(both_mixed, g[(i == m) & (j == n)], 1)
    mixed = ~is_pure
    games_mixed = np.bincount(g[mixed], minlength=count)
    single = mixed & (games_mixed[g] == 1)
    gs = g[single]
    x, y = P.values[a[single]].astype(np.int64), Q.values[b[single]].astype(np.int64)
    x_total, y_total = x.sum(axis=1, keepdims=True), y.sum(axis=1, keepdims=True)
    uncertain[gs[(x_total[:, 0] >= _EXACT_FLOAT) | (y_total[:, 0] >= _EXACT_FLOAT)]] = True
    row[gs] = x / x_total
    column[gs] = y / y_total


#: The number of labels in each mask of up to 10 labels.
_POPCOUNT = np.array([bin(k).count("1") for k in range(1 << 10)], dtype=np.int64)


@lru_cache(maxsize=32)
def _keys(size: int, offset: int) -> np.ndarray:
    """Per label mask: the one strategy in the vertex's support, or ``size`` if it mixes.

    The coordinate labels (bits ``offset .. offset + size - 1``) are the
    strategies at 0.
    """
    masks = np.arange(1 << 10)
    support = ((1 << size) - 1) & ~(masks >> offset)
    key = np.full(len(masks), size, dtype=np.int64)
    for s in range(size):
        key[support == 1 << s] = s
    return key


#: One minor size: offset of its minors, rows and columns of the expansion's entries, and the
#: smaller minor of each term (None for size 1, whose minors are the entries).
_Level = tuple[int, np.ndarray, np.ndarray, "np.ndarray | None"]


@lru_cache(maxsize=32)
def _plan(rows: int, dim: int) -> tuple[int, list[_Level], np.ndarray, np.ndarray]:
    """Index tables for the minors of ``[C | 1]`` (``rows x (dim + 1)``) and the choices.

    Returns ``(size, levels, gather, signs)``: the number of minors; per minor
    size ``k``, the offset of its minors, the row and columns of the entries
    of their Laplace expansion along the first row and the smaller minor of
    each term (terms alternate in sign); and per choice ``(J, K)`` the minors to gather,
    its determinant then one per label in label order (a Cramer numerator
    for a coordinate in ``K``, the slack minor for a row outside ``J``), with
    their signs (0 where the label is tight by the choice itself: a row in
    ``J`` or a coordinate outside ``K``, so that its value is 0).
    """
    columns = dim + 1
    index: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = {}
    levels: list[_Level] = []
    for k in range(1, min(rows, columns) + 1):
        minors = [
            (J, K) for J in combinations(range(rows), k) for K in combinations(range(columns), k)
        ]
        offset = len(index)
        for position, minor in enumerate(minors):
            index[minor] = offset + position
        entry_rows = np.array([J[0] for J, _ in minors], dtype=np.intp)
        entry_columns = np.array([K for _, K in minors], dtype=np.intp)
        if k == 1:
            levels.append((offset, entry_rows, entry_columns[:, 0], None))
            continue
        smaller = [[index[J[1:], K[:t] + K[t + 1 :]] for t in range(k)] for J, K in minors]
        levels.append((offset, entry_rows, entry_columns, np.array(smaller, dtype=np.intp)))
    ones = dim
    gather, signs = [], []
    for k in range(1, min(rows, dim) + 1):
        for J in combinations(range(rows), k):
            for K in combinations(range(dim), k):
                coordinate = [(0, 0)] * dim
                for i, c in enumerate(K):
                    replaced = K[:i] + K[i + 1 :] + (ones,)
                    coordinate[c] = (index[J, replaced], (-1) ** (k - 1 - i))
                row = [(0, 0)] * rows
                for t in range(rows):
                    if t not in J:
                        rows_t = tuple(sorted((*J, t)))
                        row[t] = (index[rows_t, (*K, ones)], (-1) ** (k - rows_t.index(t)))
                entries = [(index[J, K], 1), *coordinate, *row]
                gather.append([e[0] for e in entries])
                signs.append([e[1] for e in entries])
    return len(index), levels, np.array(gather, dtype=np.intp), np.array(signs, dtype=np.int64)


@dataclass(frozen=True)
class _Vertices:
    """The distinct vertices (not 0) of a batch of polytopes, game by game.

    ``game``, ``mask`` and ``values`` have one entry per vertex, sorted by
    game: its game, its labels and its coordinates (a positive multiple);
    ``ok`` per game: its minors stayed within the integer type.
    """

    game: np.ndarray
    mask: np.ndarray
    values: np.ndarray
    ok: np.ndarray


def _vertices(C: np.ndarray, coordinates_first: bool) -> _Vertices:
    """The distinct vertices (not 0) of ``{x >= 0 : C x <= 1}`` for a batch of positive ``C``."""
    count, rows, dim = C.shape
    size, levels, gather, signs = _plan(rows, dim)
    largest = C.max(axis=(1, 2)).astype(np.float64) if count else np.ones(0)
    k = min(rows, dim + 1)
    # Hadamard: a minor of size k of [C | 1] is at most (sqrt(k) largest) ** k in absolute
    # value, and a partial sum of its expansion at most k times that bound.
    bound = k * (math.sqrt(k) * largest) ** k * 1.01
    ok = bound < _LIMIT
    kind = np.int32 if (bound < 2.0**30).all() else np.int64
    # games last: every operation below runs over contiguous rows of games
    M = np.ones((rows, dim + 1, count), dtype=kind)
    M[:, :dim] = C.transpose(1, 2, 0)
    M[:, :, ~ok] = 1
    minors = np.empty((size, count), dtype=kind)
    for offset, entry_rows, entry_columns, smaller in levels:
        end = offset + len(entry_rows)
        if smaller is None:
            minors[offset:end] = M[entry_rows, entry_columns]
            continue
        terms = M[entry_rows[:, None], entry_columns] * minors[smaller]
        terms[:, 1::2] *= -1
        minors[offset:end] = terms.sum(axis=1, dtype=kind)
    values = minors[gather] * signs[:, :, None].astype(kind)  # (choices, 1 + labels, G)
    D = values[:, 0]
    values[:, 1:] *= np.sign(D)[:, None, :]
    labelled = values[:, 1:]
    vertex = (D != 0) & (labelled >= 0).all(axis=1)
    if coordinates_first:
        order = labelled
    else:  # Q: rows (labels 0..m-1) before coordinates
        order = np.concatenate([labelled[:, dim:], labelled[:, :dim]], axis=1)
    mask = np.zeros(D.shape, dtype=np.int64)
    for label in range(rows + dim):
        mask |= (order[:, label] == 0).astype(np.int64) << label
    # one choice per distinct vertex (a vertex is identified by its labels)
    choice, game = np.nonzero(vertex)
    seen = np.full((count, 1 << (rows + dim)), -1, dtype=np.int64)
    seen[game, mask[choice, game]] = choice
    game, label_mask = np.nonzero(seen >= 0)
    choice = seen[game, label_mask]
    coordinates = labelled[choice, :dim, game]
    return _Vertices(game, label_mask, coordinates, ok)
