"""All extreme Nash equilibria of a bimatrix game, exactly, degenerate games included.

Notation (von Stengel 2007, "Equilibrium computation for two-player games in
strategic and extensive form", in Nisan et al., *Algorithmic Game Theory*,
section 3.5): with payoffs made positive, the best-response polytopes are

    P = {x in R^m : x >= 0, B^T x <= 1}        Q = {y in R^n : A y <= 1, y >= 0}.

Labels ``0..m-1`` are the row strategies, ``m..m+n-1`` the column strategies.
A point of P has label ``i`` if ``x_i = 0`` and label ``m + j`` if
``(B^T x)_j = 1``; a point of Q has label ``i`` if ``(A y)_i = 1`` and label
``m + j`` if ``y_j = 0``. The extreme equilibria are the completely labelled
vertex pairs ``(x, y) != (0, 0)``, normalised; in a degenerate game the
equilibria form convex components whose vertices these are (Avis, Rosenberg,
Savani & von Stengel 2010, "Enumeration of Nash equilibria for two-player
games", *Economic Theory* 42).

The algorithm:

1. scale each payoff matrix to integers and shift it to be positive (a
   positive affine map, so the equilibria do not change);
2. for every choice of ``m`` (resp. ``n``) constraints, solve the linear system
   that makes them tight, in floats with numpy, batched; keep the feasible
   solutions and their (tolerant) labels;
3. pair vertices of P and Q whose labels cover all ``m + n``;
4. recompute every vertex in a candidate pair in exact rational arithmetic,
   with exact labels and feasibility, and keep the pairs that are completely
   labelled exactly.

Float errors can only add candidates (they are filtered exactly in step 4):
a label counts as tight in step 2 within a tolerance far above the rounding
error of the small integer systems solved there. Games whose integer payoffs
are too large for that guarantee take an all-exact path instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import combinations

import numpy as np

from ..errors import GameTooLargeError

__all__ = ["Enumeration", "ExtremeEquilibrium", "count_subsets", "enumerate_extreme_equilibria"]

#: At most this many tight-constraint choices are enumerated per polytope.
MAX_SUBSETS = 2_000_000
_CHUNK = 100_000
_FLOAT_SAFE_ENTRY = 2**16
_ALL_EXACT_SUBSETS = 10
_TOLERANCE = 1e-7

Vector = tuple[Fraction, ...]
Point = tuple[int, ...]


@dataclass(frozen=True)
class ExtremeEquilibrium:
    """An extreme equilibrium: mixed strategies of both players and its component."""

    row: Vector
    column: Vector
    component: int


@dataclass(frozen=True)
class Enumeration:
    """What the enumeration found.

    Attributes
    ----------
    equilibria : tuple of ExtremeEquilibrium
        Sorted by component, then by row and column strategies.
    degenerate : bool
        True if some vertex of a best-response polytope has more labels than
        its dimension, that is, some mixed strategy with support of size k has
        more than k pure best responses.
    """

    equilibria: tuple[ExtremeEquilibrium, ...]
    degenerate: bool


def count_subsets(m: int, n: int) -> int:
    """The number of tight-constraint choices per polytope: C(m + n, m)."""
    return math.comb(m + n, m)


def enumerate_extreme_equilibria(A: list[list[Fraction]], B: list[list[Fraction]]) -> Enumeration:
    """Enumerate every extreme equilibrium of the game ``(A, B)`` exactly.

    Parameters
    ----------
    A, B : list of lists of Fraction
        The row and column players' ``m x n`` payoffs.

    Returns
    -------
    Enumeration

    Raises
    ------
    GameTooLargeError
        If the game has more than ``MAX_SUBSETS`` constraint choices.

    Examples
    --------
    >>> F = Fraction
    >>> result = enumerate_extreme_equilibria([[F(0), F(-1)], [F(1), F(-5)]],
    ...                                       [[F(0), F(1)], [F(-1), F(-5)]])
    >>> [(e.row, e.column) for e in result.equilibria][0]
    ((Fraction(1, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)))
    >>> len(result.equilibria), result.degenerate
    (3, False)
    """
    m, n = len(A), len(A[0])
    subsets = count_subsets(m, n)
    if subsets > MAX_SUBSETS:
        raise GameTooLargeError(
            f"a {m} x {n} game is too large for exact enumeration "
            f"({subsets:,} vertex candidates per polytope, at most {MAX_SUBSETS:,}); "
            "use --float --method lemke-howson for one equilibrium"
        )
    A_int = _positive_integers(A)
    B_int = _positive_integers(B)
    # P: constraints -x_i <= 0 (labels 0..m-1), B^T x <= 1 (labels m..m+n-1).
    P_rows = [[-int(i == k) for k in range(m)] for i in range(m)] + [
        [B_int[i][j] for i in range(m)] for j in range(n)
    ]
    P_rhs = [0] * m + [1] * n
    # Q: constraints A y <= 1 (labels 0..m-1), -y_j <= 0 (labels m..m+n-1).
    Q_rows = [list(row) for row in A_int] + [[-int(j == k) for k in range(n)] for j in range(n)]
    Q_rhs = [1] * m + [0] * n
    largest = max(max(map(abs, row)) for row in A_int + B_int)
    # Tiny games are faster in integers than through numpy's per-call overhead.
    exact_only = largest > _FLOAT_SAFE_ENTRY or subsets <= _ALL_EXACT_SUBSETS
    P = _Polytope(P_rows, P_rhs, m, exact_only)
    Q = _Polytope(Q_rows, Q_rhs, n, exact_only)
    full = (1 << (m + n)) - 1
    pairs = _complementary_pairs(P.float_labels, Q.float_labels, full)
    found: dict[tuple[Vector, Vector], tuple[int, int]] = {}
    for p, q in pairs:
        x, x_labels = P.exact_vertex(p)
        y, y_labels = Q.exact_vertex(q)
        if x is None or y is None or (x_labels | y_labels) != full:
            continue
        if not any(x[:-1]) or not any(y[:-1]):
            continue
        found[(_normalise(x), _normalise(y))] = (P.vertex_key(x), Q.vertex_key(y))
    degenerate = P.is_degenerate() or Q.is_degenerate()
    return Enumeration(_with_components(found), degenerate)


def _positive_integers(M: list[list[Fraction]]) -> list[list[int]]:
    """Scale to integers and shift so that every entry is at least 1."""
    denominator = math.lcm(*(x.denominator for row in M for x in row))
    scaled = [[int(x * denominator) for x in row] for row in M]
    low = min(min(row) for row in scaled)
    return [[x - low + 1 for x in row] for row in scaled]


@lru_cache(maxsize=64)
def _subset_index(rows: int, dim: int) -> np.ndarray:
    return np.array(list(combinations(range(rows), dim)), dtype=np.intp).reshape(-1, dim)


class _Polytope:
    """The vertices of {z : G z <= h} found by choosing ``dim`` tight rows."""

    def __init__(self, G: list[list[int]], h: list[int], dim: int, exact_only: bool):
        self.G = G
        self.h = h
        self.dim = dim
        self.exact_cache: dict[int, tuple[Point | None, int]] = {}
        self.keys: dict[Point, int] = {}
        self.subsets = _subset_index(len(G), dim)
        if exact_only:
            self.candidates, self.float_labels = self._exact_vertices()
        else:
            self.candidates, self.float_labels = self._float_vertices()

    def _float_vertices(self) -> tuple[np.ndarray, np.ndarray]:
        G = np.array(self.G, dtype=float)
        h = np.array(self.h, dtype=float)
        weights = 1 << np.arange(len(self.G), dtype=np.int64)
        chosen, labels = [], []
        for start in range(0, len(self.subsets), _CHUNK):
            subsets = self.subsets[start : start + _CHUNK]
            systems = G[subsets]
            regular = np.abs(np.linalg.det(systems)) > 0.5
            subsets, systems = subsets[regular], systems[regular]
            if not len(subsets):
                continue
            z = np.linalg.solve(systems, h[subsets][..., None])[..., 0]
            slack = h[None, :] - z @ G.T
            scale = 1 + np.abs(z).sum(axis=1, keepdims=True)
            feasible = (slack >= -_TOLERANCE * scale).all(axis=1)
            tight = np.abs(slack) <= _TOLERANCE * scale
            chosen.append(start + np.flatnonzero(regular)[feasible])
            labels.append((tight[feasible] * weights).sum(axis=1))
        if not chosen:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.int64)
        candidates, label_masks = np.concatenate(chosen), np.concatenate(labels)
        # A vertex is determined by its set of tight constraints (it contains `dim`
        # independent ones), so one candidate per label set; a degenerate vertex
        # is found from many subsets.
        label_masks, first = np.unique(label_masks, return_index=True)
        return candidates[first], label_masks

    def _exact_vertices(self) -> tuple[np.ndarray, np.ndarray]:
        candidates, labels = [], []
        for index in range(len(self.subsets)):
            z, mask = self.exact_vertex(index, by_subset=True)
            if z is not None:
                candidates.append(index)
                labels.append(mask)
        return np.array(candidates, dtype=np.intp), np.array(labels, dtype=np.int64)

    def exact_vertex(self, position: int, by_subset: bool = False) -> tuple[Point | None, int]:
        """The exact vertex of a candidate (or subset index) and its exact label mask.

        The vertex is returned in lowest terms as integer numerators followed by
        their common positive denominator.
        """
        index = position if by_subset else int(self.candidates[position])
        if index in self.exact_cache:
            return self.exact_cache[index]
        rows = self.subsets[index]
        solution = solve_integer([self.G[r] for r in rows], [self.h[r] for r in rows])
        result: tuple[Point | None, int] = (None, 0)
        if solution is not None:
            z, den = solution
            # den * (h - G z), an integer per constraint: negative = infeasible, zero = tight
            slack = [
                den * hi - sum(g * zi for g, zi in zip(gi, z)) for gi, hi in zip(self.G, self.h)
            ]
            if all(s >= 0 for s in slack):
                mask = sum(1 << k for k, s in enumerate(slack) if s == 0)
                common = math.gcd(den, *z)
                result = ((*(zi // common for zi in z), den // common), mask)
        self.exact_cache[index] = result
        return result

    def vertex_key(self, z: Point) -> int:
        """A small integer naming each distinct exact vertex."""
        return self.keys.setdefault(z, len(self.keys))

    def is_degenerate(self) -> bool:
        """True if some vertex has more tight constraints than the dimension."""
        for position, mask in enumerate(self.float_labels):
            if int(mask).bit_count() > self.dim:
                _, exact_mask = self.exact_vertex(position)
                if exact_mask.bit_count() > self.dim:
                    return True
        return False


def _complementary_pairs(
    p_labels: np.ndarray, q_labels: np.ndarray, full: int
) -> list[tuple[int, int]]:
    if not len(p_labels) or not len(q_labels):
        return []
    covered = np.bitwise_or.outer(p_labels, q_labels) == full
    return [(int(p), int(q)) for p, q in zip(*np.nonzero(covered))]


def solve_integer(M: list[list[int]], b: list[int]) -> tuple[list[int], int] | None:
    """Solve the square integer system ``M z = b`` exactly: ``z = numerators / denominator``.

    Fraction-free Gauss-Jordan elimination (Bareiss 1968, "Sylvester's identity
    and multistep integer-preserving Gaussian elimination", *Mathematics of
    Computation* 22): every intermediate entry is a minor of the augmented
    matrix, so all divisions are exact and only integers are ever formed.

    Returns
    -------
    (numerators, denominator) with ``denominator > 0``, or None if M is singular.

    Examples
    --------
    >>> solve_integer([[2, 1], [1, 3]], [1, 1])
    ([2, 1], 5)
    >>> solve_integer([[1, 2], [2, 4]], [1, 1]) is None
    True
    """
    size = len(M)
    rows = [[*row, bi] for row, bi in zip(M, b)]
    previous = 1
    for col in range(size):
        pivot = next((r for r in range(col, size) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        pivot_row = rows[col]
        p = pivot_row[col]
        for r in range(size):
            if r != col:
                factor = rows[r][col]
                rows[r] = [(p * a - factor * c) // previous for a, c in zip(rows[r], pivot_row)]
        previous = p
    # Now the left block is previous * identity (previous = +-det M).
    sign = 1 if previous > 0 else -1
    return [sign * rows[i][size] for i in range(size)], sign * previous


def _normalise(z: Point) -> Vector:
    """The mixed strategy proportional to a vertex (numerators, denominator)."""
    numerators = z[:-1]
    total = sum(numerators)
    return tuple(Fraction(zi, total) for zi in numerators)


def _with_components(
    found: dict[tuple[Vector, Vector], tuple[int, int]],
) -> tuple[ExtremeEquilibrium, ...]:
    """Number the connected components of the bipartite graph of extreme equilibria."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for x_key, y_key in found.values():
        parent[root(("x", x_key))] = root(("y", y_key))
    ordered = sorted(
        found, key=lambda pair: (tuple(-v for v in pair[0]), tuple(-v for v in pair[1]))
    )
    numbers: dict[tuple[str, int], int] = {}
    result = []
    for pair in ordered:
        x_key, _ = found[pair]
        component = numbers.setdefault(root(("x", x_key)), len(numbers))
        result.append(ExtremeEquilibrium(pair[0], pair[1], component))
    result.sort(key=lambda e: e.component)
    return tuple(result)
