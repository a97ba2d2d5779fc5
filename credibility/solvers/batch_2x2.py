"""Every Nash equilibrium of many 2x2 games at once, from the signs of four payoff differences.

Notation. Game ``g`` has payoffs ``A[g]`` (row player) and ``B[g]`` (column
player), 2 x 2, rows ``R1, R2`` and columns ``C1, C2``. Four differences
decide everything:

    a0 = A[0,0] - A[1,0]    a1 = A[0,1] - A[1,1]     (R1 over R2, against C1 / C2)
    b0 = B[0,0] - B[0,1]    b1 = B[1,0] - B[1,1]     (C1 over C2, against R1 / R2)

Let ``p`` be the row player's probability of ``R1`` and ``q`` the column
player's probability of ``C1``. The column player is indifferent at
``p* = b1 / (b1 - b0)``, which lies in (0, 1) iff ``b0`` and ``b1`` have
opposite signs; the row player at ``q* = a1 / (a1 - a0)``, likewise.

The extreme equilibria (the vertices of the best-response polytopes that are
mutual best responses, as :func:`credibility.solvers.enumeration.enumerate_extreme_equilibria`
lists them) are the pairs ``(p, q)`` with ``p`` in ``{1, 0, p*}`` and ``q`` in
``{1, 0, q*}`` that are mutual best responses. Which pairs qualify depends on
the four signs only (in -, 0, +), so the kernel computes a **sign code**

    code = s(a0) + 3 s(a1) + 9 s(b0) + 27 s(b1),   s(x) = 0, 1, 2 for x < 0, = 0, > 0,

and looks the equilibria up in tables of 81 entries built once. The game is
degenerate iff a difference is 0; degenerate games are classified by the same
tables, exactly, given exact signs.

Signs are exact when the arrays hold the payoffs' exact values (the sign of an
IEEE difference ``x - y`` is the sign of the exact difference): pass
``rtol=0``. When the arrays are float approximations of other exact values
(a sweep's payoffs computed from rounded parameters), a difference is trusted
only if ``|x - y| > rtol * (|x| + |y|)``; the others mark the game
``uncertain`` and the caller resolves it exactly.

Candidates and table bits: row candidate ``r`` is 0 (``R1``), 1 (``R2``) or
2 (``p*``); column candidate ``c`` is 0 (``C1``), 1 (``C2``) or 2 (``q*``);
equilibrium ``(r, c)`` is bit ``3 r + c`` of the pattern.

Degenerate games in closed form. The equilibria of a degenerate game form
segments (components); their extreme points are still among the nine
candidate pairs, so the tables list them too, and the components as well:
two extreme equilibria are in one component iff a chain of them, each
sharing a strategy with the next, joins them (the components of the
bipartite graph of strategies that
:func:`~credibility.solvers.enumeration.enumerate_extreme_equilibria`
numbers). :func:`ordered_equilibria` gives them in that solver's order, with
its component numbers: pairs by decreasing probability of ``R1`` then ``C1``
(``R1`` before ``p*`` before ``R2``), then grouped by component, components
numbered as they first appear. With exact differences (integers below
2**53) the probabilities are the exact ones correctly rounded, so
:meth:`Equilibria2x2.equilibria` is the exact solver's answer, to the bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "TOLERANCE",
    "Equilibria2x2",
    "classify_differences",
    "equilibrium_keys",
    "ordered_equilibria",
    "solve_2x2",
]

#: Relative size below which a float payoff difference's sign is not trusted.
TOLERANCE = 1e-9
#: Games per block: the block's buffers stay in a core's cache.
_BLOCK = 16384
_MIXED = 2
# Multiplying the four bytes s0..s3 (little-endian uint32) by this puts
# s0 + 3 s1 + 9 s2 + 27 s3 (at most 80) in the top byte, without carries.
_BASE3 = np.uint32(27 + 9 * 2**8 + 3 * 2**16 + 2**24)
_WORD = np.dtype("<u4")


def _signs(code: int) -> tuple[int, int, int, int]:
    """The signs (-1, 0, 1) of ``a0, a1, b0, b1`` in a sign code."""
    return (
        code % 3 - 1,
        code // 3 % 3 - 1,
        code // 9 % 3 - 1,
        code // 27 % 3 - 1,
    )


def equilibrium_keys(code: int) -> list[tuple[int, int]]:
    """The extreme equilibria of a 2x2 game with this sign code, as (row, column) candidates.

    Candidate 0 and 1 are the pure strategies, 2 the mixture at which the
    other player is indifferent.

    Examples
    --------
    Chicken (a0 < 0, a1 > 0, b0 < 0, b1 > 0): both pure asymmetric profiles and
    the mixed equilibrium.

    >>> equilibrium_keys(0 + 3 * 2 + 9 * 0 + 27 * 2)
    [(0, 1), (1, 0), (2, 2)]
    """
    sa0, sa1, sb0, sb1 = _signs(code)
    row_gain = (sa0, sa1, 0)  # R1 over R2 against C1, C2, q*
    column_gain = (sb0, sb1, 0)  # C1 over C2 against R1, R2, p*
    rows = [0, 1] + ([_MIXED] if sb0 * sb1 < 0 else [])
    columns = [0, 1] + ([_MIXED] if sa0 * sa1 < 0 else [])
    return [
        (r, c) for r in rows for c in columns if _best(r, row_gain[c]) and _best(c, column_gain[r])
    ]


#: Rank of a candidate in the exact solver's order: probability of the first strategy, falling.
_RANK = (0, 2, 1)


def ordered_equilibria(code: int) -> tuple[tuple[int, int, int], ...]:
    """The extreme equilibria of a sign code as the exact solver lists them: ``(r, c, component)``.

    Examples
    --------
    A game where the row player is indifferent everywhere and the column
    player matches the row: one component, a path ``R1/C1 - p*/C1 - p*/C2 -
    R2/C2``.

    >>> ordered_equilibria(1 + 3 * 1 + 9 * 2 + 27 * 0)
    ((0, 0, 0), (2, 0, 0), (2, 1, 0), (1, 1, 0))
    >>> ordered_equilibria(0 + 3 * 2 + 9 * 0 + 27 * 2)  # chicken: three components
    ((0, 1, 0), (2, 2, 1), (1, 0, 2))
    """
    keys = sorted(equilibrium_keys(code), key=lambda key: (_RANK[key[0]], _RANK[key[1]]))
    parent = {node: node for r, c in keys for node in (("row", r), ("column", c))}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent[node] != node:
            node = parent[node]
        return node

    for r, c in keys:
        parent[root(("row", r))] = root(("column", c))
    numbers: dict[tuple[str, int], int] = {}
    listed = [(r, c, numbers.setdefault(root(("row", r)), len(numbers))) for r, c in keys]
    return tuple(sorted(listed, key=lambda item: item[2]))


def _best(candidate: int, gain: int) -> bool:
    """Whether candidate 0 (first), 1 (second) or 2 (a mixture) is a best response."""
    return (gain >= 0, gain <= 0, gain == 0)[candidate]


def _tables() -> dict[str, np.ndarray]:
    """Per sign code: the pattern, count, degeneracy and the only non-pure equilibrium."""
    pattern = np.zeros(81, dtype=np.uint16)
    count = np.zeros(81, dtype=np.int8)
    degenerate = np.zeros(81, dtype=bool)
    has_row, has_column = np.zeros(81, dtype=bool), np.zeros(81, dtype=bool)
    # The only equilibrium that is not pure: its candidates (-1: there is none or several).
    only_row, only_column = np.full(81, -1, dtype=np.int8), np.full(81, -1, dtype=np.int8)
    for code in range(81):
        sa0, sa1, sb0, sb1 = _signs(code)
        keys = equilibrium_keys(code)
        pattern[code] = sum(1 << (3 * r + c) for r, c in keys)
        count[code] = len(keys)
        degenerate[code] = 0 in (sa0, sa1, sb0, sb1)
        has_row[code], has_column[code] = sb0 * sb1 < 0, sa0 * sa1 < 0
        mixed = [(r, c) for r, c in keys if _MIXED in (r, c)]
        if len(mixed) == 1:
            only_row[code], only_column[code] = mixed[0]
    return {
        "pattern": pattern,
        "count": count,
        "degenerate": degenerate,
        "has_row": has_row,
        "has_column": has_column,
        "only_row": only_row,
        "only_column": only_column,
    }


TABLES = _tables()


@dataclass(frozen=True)
class Equilibria2x2:
    """The equilibria of ``N`` 2x2 games (see the module's notation).

    Attributes
    ----------
    code : numpy.ndarray of uint8, shape (N,)
        The sign code of each game.
    row : numpy.ndarray of float64, shape (N,)
        ``p*``, the probability of ``R1`` that makes the column player
        indifferent, where it lies in (0, 1); NaN elsewhere.
    column : numpy.ndarray of float64, shape (N,)
        ``q*``, the probability of ``C1`` that makes the row player indifferent.
    uncertain : numpy.ndarray of bool, shape (N,)
        Games whose signs are not trusted (near-ties, NaN): their other
        entries mean nothing; resolve them exactly.
    row_second, column_second : numpy.ndarray of float64, shape (N,), optional
        The probabilities of ``R2`` at ``p*`` and of ``C2`` at ``q*``, as
        ratios of the differences (``-b0 / (b1 - b0)``: exact differences give
        the exact value correctly rounded, which ``1 - p*`` need not be);
        ``1 - row`` and ``1 - column`` where not given.

    Examples
    --------
    Chicken, and a game where the row player is indifferent against ``C1``:

    >>> A = np.array([[[0, -1], [1, -5]], [[1, 0], [1, 2]]])
    >>> B = np.array([[[0, 1], [-1, -5]], [[3, 1], [0, 2]]])
    >>> result = solve_2x2(A, B, rtol=0)
    >>> result.count.tolist(), result.degenerate.tolist()
    ([3, 3], [False, True])
    >>> result.pure[0].tolist()
    [[False, True], [True, False]]
    >>> result.row.tolist(), result.mixed.tolist()
    ([0.8, 0.5], [True, False])
    """

    code: np.ndarray
    row: np.ndarray
    column: np.ndarray
    uncertain: np.ndarray
    row_second: np.ndarray | None = None
    column_second: np.ndarray | None = None

    @property
    def pattern(self) -> np.ndarray:
        """The extreme equilibria as bits ``3 r + c`` (uint16)."""
        return TABLES["pattern"][self.code]

    @property
    def count(self) -> np.ndarray:
        """The number of extreme equilibria (int8)."""
        return TABLES["count"][self.code]

    @property
    def degenerate(self) -> np.ndarray:
        """True where a payoff difference is 0."""
        return TABLES["degenerate"][self.code]

    @property
    def pure(self) -> np.ndarray:
        """``pure[g, i, j]``: whether ``(R_i, C_j)`` is an equilibrium of game ``g``."""
        bits = self.pattern
        cells = [(bits >> (3 * r + c)) & 1 for r in (0, 1) for c in (0, 1)]
        return np.stack(cells, axis=-1).astype(bool).reshape(-1, 2, 2)

    @property
    def mixed(self) -> np.ndarray:
        """True where ``(p*, q*)`` is an equilibrium (the completely mixed one)."""
        return (self.pattern >> 8).astype(bool)

    def equilibria(self, g: int) -> list[tuple[tuple[float, float], tuple[float, float], int]]:
        """Game ``g``'s extreme equilibria ``(row, column, component)`` in the exact solver's order.

        Degenerate games included: with exact differences this is what
        :func:`~credibility.solvers.enumeration.enumerate_extreme_equilibria`
        reports, probabilities as floats and components numbered alike.

        Examples
        --------
        >>> A = np.array([[[0, 0], [0, 0]]])
        >>> B = np.array([[[1, 0], [0, 3]]])
        >>> for equilibrium in solve_2x2(A, B, rtol=0).equilibria(0):
        ...     print(equilibrium)
        ((1.0, 0.0), (1.0, 0.0), 0)
        ((0.75, 0.25), (1.0, 0.0), 0)
        ((0.75, 0.25), (0.0, 1.0), 0)
        ((0.0, 1.0), (0.0, 1.0), 0)
        """
        p, q = float(self.row[g]), float(self.column[g])
        p2 = 1 - p if self.row_second is None else float(self.row_second[g])
        q2 = 1 - q if self.column_second is None else float(self.column_second[g])
        rows = ((1.0, 0.0), (0.0, 1.0), (p, p2))
        columns = ((1.0, 0.0), (0.0, 1.0), (q, q2))
        return [(rows[r], columns[c], k) for r, c, k in ordered_equilibria(int(self.code[g]))]


def solve_2x2(
    A: np.ndarray, B: np.ndarray, *, rtol: float = TOLERANCE, block: int = _BLOCK
) -> Equilibria2x2:
    """Classify every Nash equilibrium of ``N`` 2x2 games at once.

    Parameters
    ----------
    A, B : array_like, shape (N, 2, 2)
        The row and column players' payoffs (converted to float64: integers
        up to 2**53 exactly).
    rtol : float
        Relative tolerance on payoff differences; 0 when the arrays hold the
        exact payoffs (then no game is uncertain unless a payoff is NaN).
    block : int
        Games per block (the working set of a block should fit in cache).

    Returns
    -------
    Equilibria2x2

    Examples
    --------
    A prisoner's dilemma, and a game with a tie the tolerance cannot settle:

    >>> A = np.array([[[3, 0], [5, 1]], [[1, 0], [1 + 1e-12, 0]]])
    >>> B = np.array([[[3, 5], [0, 1]], [[1, 0], [0, 1]]])
    >>> result = solve_2x2(A, B)
    >>> result.uncertain.tolist()
    [False, True]
    >>> result.pure[0].tolist(), int(result.count[0])
    ([[False, False], [False, True]], 1)
    """
    A = np.ascontiguousarray(A, dtype=np.float64)
    B = np.ascontiguousarray(B, dtype=np.float64)
    if A.ndim != 3 or A.shape[1:] != (2, 2) or A.shape != B.shape:
        raise ValueError(f"expected two arrays of shape (N, 2, 2), got {A.shape} and {B.shape}")
    n = len(A)
    a, b = A.reshape(n, 4), B.reshape(n, 4)
    code = np.empty(n, dtype=np.uint8)
    uncertain = np.empty(n, dtype=bool)
    row, column = np.empty(n), np.empty(n)
    row_second, column_second = np.empty(n), np.empty(n)
    size = max(1, min(block, n))
    differences, scratch = np.empty((size, 4)), np.empty((size, 4))
    flags, signs = np.empty((size, 4), dtype=bool), np.empty((size, 4), dtype=np.uint8)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for start in range(0, n, size):
            stop = min(start + size, n)
            k = stop - start
            d, t, f, s = differences[:k], scratch[:k], flags[:k], signs[:k]
            ai, bi = a[start:stop], b[start:stop]
            np.subtract(ai[:, 0:2], ai[:, 2:4], out=d[:, 0:2])
            np.subtract(bi[:, 0::2], bi[:, 1::2], out=d[:, 2:4])
            if rtol:
                np.abs(ai, out=t)
                np.add(t[:, 0:2], t[:, 2:4], out=t[:, 0:2])
                np.abs(bi[:, 0::2], out=t[:, 2:4])
                t[:, 2:4] += np.abs(bi[:, 1::2])
                t *= rtol
                np.less(t, np.abs(d), out=f)
                np.logical_not(f, out=f)  # not trusted: near 0, or NaN
            else:
                np.isnan(d, out=f)
            np.not_equal(f.view(np.uint32)[:, 0], 0, out=uncertain[start:stop])
            _sign_code(d, f, s, code[start:stop])
            _stars(d, code[start:stop], row[start:stop], column[start:stop])
            _seconds(d, row_second[start:stop], column_second[start:stop])
    return Equilibria2x2(code, row, column, uncertain, row_second, column_second)


def _sign_code(d: np.ndarray, flags: np.ndarray, signs: np.ndarray, out: np.ndarray) -> None:
    """Write the sign code of each row of differences ``d`` (k, 4) into ``out``."""
    np.greater(d, 0, out=flags)
    np.add(flags.view(np.uint8), np.greater_equal(d, 0).view(np.uint8), out=signs)
    word = signs.view(_WORD)[:, 0]
    word *= _BASE3
    word >>= 24
    out[...] = word


def _stars(d: np.ndarray, code: np.ndarray, row: np.ndarray, column: np.ndarray) -> None:
    """Write ``p*`` and ``q*`` where they lie in (0, 1), NaN elsewhere."""
    np.subtract(d[:, 3], d[:, 2], out=row)
    np.divide(d[:, 3], row, out=row)
    np.copyto(row, np.nan, where=~TABLES["has_row"][code])
    np.subtract(d[:, 1], d[:, 0], out=column)
    np.divide(d[:, 1], column, out=column)
    np.copyto(column, np.nan, where=~TABLES["has_column"][code])


def _seconds(d: np.ndarray, row_second: np.ndarray, column_second: np.ndarray) -> None:
    """Write ``1 - p*`` and ``1 - q*`` as ratios ``-b0 / (b1 - b0)``, ``-a0 / (a1 - a0)``."""
    np.subtract(d[:, 3], d[:, 2], out=row_second)
    np.divide(d[:, 2], row_second, out=row_second)
    np.negative(row_second, out=row_second)
    np.subtract(d[:, 1], d[:, 0], out=column_second)
    np.divide(d[:, 0], column_second, out=column_second)
    np.negative(column_second, out=column_second)


def classify_differences(differences: np.ndarray, uncertain: np.ndarray) -> Equilibria2x2:
    """Classify games from their differences ``a0, a1, b0, b1`` computed elsewhere.

    Parameters
    ----------
    differences : numpy.ndarray, shape (N, 4)
        ``a0, a1, b0, b1`` per game.
    uncertain : numpy.ndarray of bool, shape (N,)
        Games whose signs the caller does not trust (kept as they are; NaN
        differences are added).

    Examples
    --------
    >>> d = np.array([[-1.0, 4.0, -1.0, 4.0], [0.0, 1.0, 1.0, 1.0]])
    >>> result = classify_differences(d, np.zeros(2, dtype=bool))
    >>> result.count.tolist(), result.column.tolist()[0]
    ([3, 2], 0.8)
    """
    d = np.ascontiguousarray(differences, dtype=np.float64)
    n = len(d)
    code = np.empty(n, dtype=np.uint8)
    row, column = np.empty(n), np.empty(n)
    row_second, column_second = np.empty(n), np.empty(n)
    flags = np.empty((n, 4), dtype=bool)
    _sign_code(d, flags, np.empty((n, 4), dtype=np.uint8), code)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        _stars(d, code, row, column)
        _seconds(d, row_second, column_second)
    # a game's four NaN flags read as one word: a tenth of the time of any(axis=1)
    np.isnan(d, out=flags)
    nan = np.not_equal(flags.view(np.uint32)[:, 0], 0)
    return Equilibria2x2(code, row, column, uncertain | nan, row_second, column_second)
