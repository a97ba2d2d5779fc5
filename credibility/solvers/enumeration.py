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

Two methods, chosen by size
---------------------------
- *Reverse search* (games with more than ``SUBSETS_CROSSOVER`` tight-constraint
  choices per polytope, from about 7 x 7): every vertex of ``P`` and of ``Q``
  with its exact label set, by lexicographic reverse search over the bases of
  each polytope (Avis & Fukuda 1992; the lexicographic rule of lrs, Avis
  2000) on the positive integer payoffs of step 1 below, pivoting in
  floating point with every decision certified by rigorous
  error bounds and the rest decided in exact integers
  (:mod:`credibility.solvers.reverse_search`, whose docstring gives the
  soundness argument); then the completely labelled pairs by label arithmetic
  (:mod:`credibility.solvers.complementary_pairs`), and their points exactly.
  Its work grows with the number of vertices, not of subsets: a random 10 x 10
  game has about a thousand vertices per polytope, a 15 x 15 one 25,000 to
  70,000 and a 20 x 20 one 0.8 to 3 million, at 13 to 22 microseconds each
  in numpy (5 to 10 with ``exact=False``) or about 2.5 with numba installed
  (:func:`~credibility.solvers.reverse_search.compiled_kernel`): a random
  20 x 20 game (2.3 to 6 million bases in all) in 5 to 10 seconds of wall
  time with numba (the two polytopes on two cores), about 45 without.
  Its memory is the labels it pairs, 8 bytes a basis (up to 16 while they
  are put in order), beyond a search state of tens of megabytes: a random
  24 x 24 game (150 million bases) takes 4 minutes and 2.3 GB. There is no
  bound on time; it stops with ``GameTooLargeError`` only when the labels
  would not fit in the memory free (``MAX_BASES``; some 600 million bases
  a polytope with 24 GB free). Lemke-Howson still finds one equilibrium then.
- *Subsets* (smaller games): every choice of tight constraints, below.

Why no equilibrium is lost by the reverse search, in short: every vertex has
a lexicographically feasible basis; those bases form a tree under the
lexicographic simplex method with Bland's rule; the walk decides every step
exactly as exact arithmetic would (a float decision is taken only when an
enclosure of the exact dictionary proves it, otherwise integers decide), so
it meets every basis and records each vertex's exact label set; two vertices
form an equilibrium exactly when their labels cover all ``m + n`` labels,
which the pairing tests for every pair (an equality join for non-degenerate
vertices, subset tests for the others); the points of the pairs are computed
in integers and their labels checked against the search's.

The subsets method
------------------
1. Scale each payoff matrix to integers and shift it to be positive (a positive
   affine map, so the equilibria do not change). Both polytopes then read
   ``{x >= 0 : C x <= 1}`` with ``C = B^T`` for P and ``C = A`` for Q.
2. A choice of ``dim`` tight constraints is a support ``K`` (coordinates not
   tight at zero) and as many tight rows ``J`` of ``C``: the point solves the
   ``k x k`` system ``C[J, K] x_K = 1``. For every choice, solve it in floating
   point, batched with numpy, and bound the error of every slack rigorously
   (below). A choice is dropped only if some slack is *certainly* negative;
   otherwise it is kept with its *possible* labels: the constraints whose slack
   is not certainly non-zero (a coordinate outside ``K`` is exactly zero). A
   system the float pass cannot certify is either proven singular (its
   determinant vanishes modulo enough primes: below) or solved exactly and
   kept with its exact labels.
3. Choices with the same possible labels form a group; groups of P and Q whose
   possible labels together cover all ``m + n`` labels are candidate pairs.
4. The vertices of a candidate group are computed in exact integer arithmetic
   (fraction-free Bareiss elimination) with their exact labels, and the
   completely labelled pairs are the extreme equilibria.

Why no equilibrium can be lost
------------------------------
Every vertex ``v`` of P has a non-singular choice of tight constraints
contained in its label set ``L(v)`` (a vertex of a ``dim``-dimensional
polytope lies on ``dim`` independent facets). Step 2 either solves it exactly
(then ``v`` is kept with labels ``L(v)``), or proves it singular (impossible
for this choice: a singular choice has no vertex), or certifies it:

- with ``X`` an approximate inverse of the float matrix ``M~`` of the system
  and ``|M - M~| <= E`` entrywise (``E = 0`` for integers below 2^53),
  ``R = |I - fl(X M~)| + gamma_k |X| |M~| + |X| E`` bounds ``|I - X M|``
  entrywise (Higham 2002, *Accuracy and Stability of Numerical Algorithms*,
  section 3.5, with ``gamma_k = k u / (1 - k u)``); if ``alpha = ||R||_inf <
  1/2`` then ``M`` is non-singular;
- the residual of the computed ``x~`` obeys ``|1 - M x~| <= rho := |1 -
  fl(M~ x~)| + gamma_(k+1) (1 + |M~| |x~|) + E |x~|``; from ``x - x~ =
  X r + (I - X M)(x - x~)`` follow ``||x - x~||_inf <= delta := |||X| rho||_inf
  / (1 - alpha)`` and, componentwise, ``|x - x~| <= |X| rho + R 1 delta``
  (componentwise, so rows of very different scales do not blur each other);
- every slack ``1 - C_j x`` then lies within ``|C~_j| |x - x~| + gamma_(k+1)
  (1 + |C~_j| |x~|) + E_j (|x~| + |x - x~|)`` of its computed value.

Each bound is a sum of non-negative floating-point terms, computed with
relative error below ``gamma_(3k+4)``, far below the margin ``2^-20`` they are
inflated by. So a slack that is truly zero is never outside its interval (it
stays a possible label) and a feasible vertex is never dropped. Its group
therefore covers ``L(v)``, the pair of groups holding an equilibrium ``(x,
y)`` is a candidate, and step 4 finds ``x`` and ``y``: a choice is skipped
there only if it lies inside the exact label set of a vertex already found,
and then that choice (non-singular) determines the same vertex. Nothing is
merged on float evidence alone: float errors can only add candidates, which
step 4 filters exactly.

Singularity is proven, never guessed: a non-zero integer determinant is at
most Hadamard's bound in absolute value, so one that vanishes modulo primes
whose product exceeds that bound is zero (Chinese remainder theorem).

Labels are Python integers (any width) in the exact steps and rows of 64-bit
words in the float pass, so games of any size are labelled exactly.

Floats only
-----------
With ``exact=False`` the reverse search decides in floats without error
bounds: a comparison within a relative ``1e-9`` of a tie still goes to the
integers (so degenerate games keep their components), but one the floats get
wrong by more than that is not caught, so an ill-conditioned game can lose or
gain an equilibrium (with numba installed, a search long enough for the
compiled walk goes on certified, which is faster); the strategies are floats
from a floating-point solve, not verified here
(:func:`credibility.solvers.nash.solve_bimatrix` verifies them within a
tolerance). Games small enough for the subsets method are
solved exactly and converted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import combinations, pairwise
from typing import Generic, Literal, TypeVar, overload

import numpy as np

from ..errors import GameTooLargeError
from .complementary_pairs import MAX_EQUILIBRIA, extreme_pairs, refuse_too_many
from .exact import solve_integer
from .reverse_search import bases_in_memory, float_matrix

__all__ = [
    "MAX_BASES",
    "MAX_EQUILIBRIA",
    "METHODS",
    "SUBSETS_CROSSOVER",
    "ExtremeEquilibria",
    "ExtremeEquilibrium",
    "count_subsets",
    "enumerate_extreme_equilibria",
]

#: The enumeration methods (``None`` chooses by size).
METHODS = ("subsets", "reverse-search")
#: Games with at most this many tight-constraint choices per polytope use ``"subsets"``.
SUBSETS_CROSSOVER = 2_000
#: At most this many tight-constraint choices are enumerated per polytope by ``"subsets"``.
MAX_SUBSETS = 2_000_000
#: At most this many bases are visited per polytope by ``"reverse-search"``; None: as many as
#: fit in the memory free when the enumeration starts
#: (:func:`~credibility.solvers.reverse_search.bases_in_memory`: 40 bytes free for each basis,
#: whose labels take 8 bytes until the pairing and twice that while put in order). There is no
#: bound on time: at 2.5 to 3 microseconds a basis with numba, 24 GB free allow some 600 million
#: bases a polytope, half an hour or more of search (random 20 x 20 games have 1 to 4 million
#: bases a polytope, 22 x 22 about 13 million, 24 x 24 about 75 million).
MAX_BASES: int | None = None
#: Floats held at once by one batch of the float pass.
_BATCH_FLOATS = 4_000_000
#: Games with at most this many choices per polytope are solved all in integers.
_ALL_EXACT_SUBSETS = 10
_UNIT_ROUNDOFF = 2.0**-53
#: Bounds are inflated by this factor to cover the rounding of their own computation.
_INFLATE = 1 + 2.0**-20
#: Added to every bound to cover underflow (far below any meaningful slack).
_TINY = 1e-290

Vector = tuple[Fraction, ...]
Point = tuple[int, ...]
Vertex = tuple[Point, int]
N = TypeVar("N", Fraction, float)


@dataclass(frozen=True)
class ExtremeEquilibrium(Generic[N]):
    """An extreme equilibrium: mixed strategies of both players and its component."""

    row: tuple[N, ...]
    column: tuple[N, ...]
    component: int


@dataclass(frozen=True)
class ExtremeEquilibria(Generic[N]):
    """What the enumeration found.

    Attributes
    ----------
    equilibria : tuple of ExtremeEquilibrium
        Sorted by component, then by row and column strategies (Fractions, or
        floats with ``exact=False``).
    degenerate : bool
        True if some vertex of a best-response polytope has more labels than
        its dimension, that is, some mixed strategy with support of size k has
        more than k pure best responses.
    total : int
        The number of extreme equilibria of the game: more than are listed
        when ``limit`` cut the list.
    """

    equilibria: tuple[ExtremeEquilibrium[N], ...]
    degenerate: bool
    total: int


def count_subsets(m: int, n: int) -> int:
    """The number of tight-constraint choices per polytope: C(m + n, m)."""
    return math.comb(m + n, m)


@overload
def enumerate_extreme_equilibria(
    A: list[list[Fraction]],
    B: list[list[Fraction]],
    *,
    exact: Literal[True] = True,
    method: str | None = None,
    limit: int | None = None,
) -> ExtremeEquilibria[Fraction]: ...


@overload
def enumerate_extreme_equilibria(
    A: list[list[Fraction]],
    B: list[list[Fraction]],
    *,
    exact: Literal[False],
    method: str | None = None,
    limit: int | None = None,
) -> ExtremeEquilibria[float]: ...


def enumerate_extreme_equilibria(
    A: list[list[Fraction]],
    B: list[list[Fraction]],
    *,
    exact: bool = True,
    method: str | None = None,
    limit: int | None = None,
) -> ExtremeEquilibria[Fraction] | ExtremeEquilibria[float]:
    """Enumerate every extreme equilibrium of the game ``(A, B)`` exactly.

    Parameters
    ----------
    A, B : list of lists of Fraction
        The row and column players' ``m x n`` payoffs.
    exact : bool
        False: floats, and decisions in floats (see "Floats only" above).
    method : {"subsets", "reverse-search"}, optional
        By default ``"subsets"`` for games with at most ``SUBSETS_CROSSOVER``
        tight-constraint choices per polytope, ``"reverse-search"`` above.
    limit : int, optional
        List at most this many extreme equilibria (``total`` still counts them
        all, and components are numbered over all of them). Which ones are
        listed is deterministic. Without it, a game with more than
        ``MAX_EQUILIBRIA`` is refused.

    Returns
    -------
    ExtremeEquilibria

    Raises
    ------
    GameTooLargeError
        If ``"subsets"`` meets more than ``MAX_SUBSETS`` constraint choices,
        ``"reverse-search"`` more bases in a polytope than ``MAX_BASES`` (by
        default, more than their labels fit in the memory free), or
        the game has more than ``MAX_EQUILIBRIA`` extreme equilibria and no
        ``limit`` is given (the message says how many).
    ValueError
        For an unknown method, or a ``limit`` below 1.
    RuntimeError
        If no equilibrium is found (impossible for a finite game: an internal
        error, never an answer).

    Examples
    --------
    >>> F = Fraction
    >>> result = enumerate_extreme_equilibria([[F(0), F(-1)], [F(1), F(-5)]],
    ...                                       [[F(0), F(1)], [F(-1), F(-5)]])
    >>> [(e.row, e.column) for e in result.equilibria][0]
    ((Fraction(1, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)))
    >>> len(result.equilibria), result.degenerate
    (3, False)

    At most two of them:

    >>> cut = enumerate_extreme_equilibria([[F(0), F(-1)], [F(1), F(-5)]],
    ...                                    [[F(0), F(1)], [F(-1), F(-5)]], limit=2)
    >>> len(cut.equilibria), cut.total
    (2, 3)

    Large, nearly tied payoffs are exact too (the only equilibrium mixes
    1/30000 and 29999/30000):

    >>> A = [[0, 29999, 30000, 0], [30001, 0, 30001, 30000]]
    >>> B = [[0, 0, 29999, 30001], [29999, 30000, 29999, 0]]
    >>> found = enumerate_extreme_equilibria(
    ...     [[F(a) for a in row] for row in A], [[F(b) for b in row] for row in B])
    >>> [(e.row, e.column) for e in found.equilibria] == [
    ...     ((F(1, 30000), F(29999, 30000)), (0, F(1, 30000), F(29999, 30000), 0))]
    True

    Both methods give the same answer; floats on request:

    >>> rock_paper_scissors = [[F(0), F(-1), F(1)], [F(1), F(0), F(-1)], [F(-1), F(1), F(0)]]
    >>> minus = [[-a for a in row] for row in rock_paper_scissors]
    >>> enumerate_extreme_equilibria(rock_paper_scissors, minus, method="reverse-search") == (
    ...     enumerate_extreme_equilibria(rock_paper_scissors, minus, method="subsets"))
    True
    >>> [round(p, 6) for p in enumerate_extreme_equilibria(
    ...     rock_paper_scissors, minus, exact=False, method="reverse-search").equilibria[0].row]
    [0.333333, 0.333333, 0.333333]
    """
    m, n = len(A), len(A[0])
    subsets = count_subsets(m, n)
    if method is None:
        method = "subsets" if subsets <= SUBSETS_CROSSOVER else "reverse-search"
    if method not in METHODS:
        raise ValueError(f"unknown method '{method}' (expected one of: {', '.join(METHODS)})")
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    A_int = _positive_integers(A)
    B_int = _positive_integers(B)
    if method == "reverse-search":
        bases = bases_in_memory(m + n) if MAX_BASES is None else MAX_BASES
        found, degenerate, links = extreme_pairs(A_int, B_int, bases, exact=exact, listed=limit)
        if not found:
            raise RuntimeError(f"the enumeration of a {m} x {n} game found no equilibrium")
        return ExtremeEquilibria(_with_components(found, links), degenerate, len(links))
    if subsets > MAX_SUBSETS:
        raise GameTooLargeError(
            f"a {m} x {n} game is too large for exact enumeration by subsets "
            f"({subsets:,} vertex candidates per polytope, at most {MAX_SUBSETS:,}); "
            "use method='reverse-search'"
        )
    result = _by_subsets(A_int, B_int, subsets)
    refuse_too_many(result.total, limit)
    listed = result.equilibria[:limit]
    if exact:
        return ExtremeEquilibria(listed, result.degenerate, result.total)
    return ExtremeEquilibria(
        tuple(
            ExtremeEquilibrium(
                tuple(float(p) for p in e.row), tuple(float(p) for p in e.column), e.component
            )
            for e in listed
        ),
        result.degenerate,
        result.total,
    )


def _by_subsets(A_int: list[list[int]], B_int: list[list[int]], subsets: int) -> ExtremeEquilibria:
    """The subsets method on positive integer payoffs."""
    m, n = len(A_int), len(A_int[0])
    # Tiny games are faster in integers than through numpy's per-call overhead.
    exact_only = subsets <= _ALL_EXACT_SUBSETS
    # P: x >= 0 (labels 0..m-1), B^T x <= 1 (labels m..m+n-1).
    P = _Polytope([list(column) for column in zip(*B_int)], True, exact_only)
    # Q: A y <= 1 (labels 0..m-1), y >= 0 (labels m..m+n-1).
    Q = _Polytope(A_int, False, exact_only)
    full = (1 << (m + n)) - 1
    found: dict[tuple[Vector, Vector], tuple[int, int]] = {}
    for p, q in _covering_pairs(P.group_masks, Q.group_masks, m + n):
        for x, x_labels in P.resolve(p):
            for y, y_labels in Q.resolve(q):
                if (x_labels | y_labels) != full or not any(x[:-1]) or not any(y[:-1]):
                    continue
                found[(_normalise(x), _normalise(y))] = (P.vertex_key(x), Q.vertex_key(y))
    if not found:
        raise RuntimeError(
            f"the enumeration of a {m} x {n} game found no equilibrium, which every finite game has"
        )
    degenerate = P.is_degenerate() or Q.is_degenerate()
    return ExtremeEquilibria(_with_components(found, found.values()), degenerate, len(found))


def _positive_integers(M: list[list[Fraction]]) -> list[list[int]]:
    """Scale to integers and shift so that every entry is at least 1."""
    denominator = math.lcm(*(x.denominator for row in M for x in row))
    scaled = [[x.numerator * (denominator // x.denominator) for x in row] for row in M]
    low = min(min(row) for row in scaled)
    return [[x - low + 1 for x in row] for row in scaled]


@lru_cache(maxsize=64)
def _subset_index(rows: int, dim: int) -> np.ndarray:
    return np.array(list(combinations(range(rows), dim)), dtype=np.intp).reshape(-1, dim)


def _pack(labels: np.ndarray) -> np.ndarray:
    """Boolean label rows ``(k, L)`` as rows of 64-bit words ``(k, ceil(L / 64))``."""
    k, width = labels.shape
    words = -(-width // 64)
    padded = np.zeros((k, words * 64), dtype=bool)
    padded[:, :width] = labels
    packed = np.packbits(padded, axis=1, bitorder="little")
    return packed.view("<u8").reshape(k, words)


def _as_int(words: np.ndarray) -> int:
    return int.from_bytes(words.astype("<u8").tobytes(), "little")


def _gamma(k: int) -> float:
    """Higham's gamma_k: the relative error bound of k floating-point operations."""
    return k * _UNIT_ROUNDOFF / (1 - k * _UNIT_ROUNDOFF)


def _float_matrix(G: list[list[int]]) -> tuple[np.ndarray, np.ndarray | None] | None:
    """G in floats and an entrywise bound on the rounding (None if all exact).

    None if some entry overflows the float range.
    """
    floats = float_matrix(G)
    if floats is None:
        return None
    Gf, E = floats
    return Gf, (E if E.any() else None)


class _Polytope:
    """The vertices of ``{x >= 0 : C x <= 1}`` for a positive ``r x d`` matrix ``C``.

    A choice of ``d`` tight constraints is a support ``K`` (the coordinates
    left free, the others tight at zero) and as many tight rows ``J`` of
    ``C``; its point solves the ``k x k`` system ``C[J, K] x_K = 1``. The zero
    vertex (``k = 0``) is never part of an equilibrium and is left out.

    Labels: coordinate ``i`` has label ``i`` and row ``j`` label ``d + j`` when
    ``coordinates_first`` (P), else row ``j`` has label ``j`` and coordinate
    ``i`` label ``r + i`` (Q). After construction, ``group_masks`` holds one
    row of possible-label words per group of kept choices; ``resolve`` gives
    a group's exact vertices.
    """

    def __init__(self, C: list[list[int]], coordinates_first: bool, exact_only: bool):
        self.C = C
        self.rows, self.dim = len(C), len(C[0])
        r, d = self.rows, self.dim
        self.coordinate_labels = np.arange(d) if coordinates_first else r + np.arange(d)
        self.row_labels = d + np.arange(r) if coordinates_first else np.arange(r)
        self.exact_cache: dict[int, Vertex | None] = {}
        self.keys: dict[Point, int] = {}
        floats = None if exact_only else _float_matrix(C)
        choices, labels = [], []
        for k in range(1, min(r, d) + 1):
            J = _subset_index(r, k)
            K = _subset_index(d, k)
            if floats is None:
                chosen = self._exact_choices(J, K, np.arange(len(J) * len(K)))
            else:
                chosen = self._float_choices(J, K, *floats)
            choices.append(chosen[0])
            labels.append(chosen[1])
        masks = _pack(np.concatenate(labels))
        self.group_masks, inverse = np.unique(masks, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(len(self.group_masks) + 1))
        every = [c for chunk in choices for c in chunk]
        self.members = [[every[i] for i in order[a:b]] for a, b in pairwise(bounds)]
        self.resolved: dict[int, list[Vertex]] = {}

    def _choice_masks(self, J: np.ndarray, K: np.ndarray) -> list[int]:
        """The chosen (tight) labels of each choice, as integers."""
        chosen = np.ones((len(J), self.rows + self.dim), dtype=bool)
        chosen[:, self.row_labels] = False
        chosen[np.arange(len(J))[:, None], self.row_labels[J]] = True
        chosen[np.arange(len(K))[:, None], self.coordinate_labels[K]] = False
        return [_as_int(words) for words in _pack(chosen)]

    def _float_choices(
        self, J: np.ndarray, K: np.ndarray, Cf: np.ndarray, E: np.ndarray | None
    ) -> tuple[list[int], np.ndarray]:
        """Choices kept by the certified float pass, with their possible labels."""
        k = J.shape[1]
        total = len(J) * len(K)
        batch = max(1, _BATCH_FLOATS // (k * k + self.rows * k))
        kept, labels, unverified = [], [], []
        for start in range(0, total, batch):
            index = np.arange(start, min(start + batch, total))
            rows, columns = J[index // len(K)], K[index % len(K)]
            ok, keep, possible = self._certified(rows, columns, Cf, E)
            kept.append(index[ok][keep])
            labels.append(possible[keep])
            unverified.append(index[~ok])
        unverified_index = np.concatenate(unverified)
        rows, columns = J[unverified_index // len(K)], K[unverified_index % len(K)]
        singular = _certainly_singular(self.C, rows, columns)
        exact_kept, exact_labels = self._exact_choices(J, K, unverified_index[~singular])
        index = np.concatenate(kept)
        masks = self._choice_masks(J[index // len(K)], K[index % len(K)])
        return masks + exact_kept, np.concatenate([*labels, exact_labels])

    def _certified(
        self, J: np.ndarray, K: np.ndarray, Cf: np.ndarray, E: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Solve ``C[J, K] x_K = 1`` for a batch and label the points with certainty.

        Returns ``ok`` (systems certified non-singular with bounded error),
        ``keep`` (among those, the points not certainly infeasible) and
        ``possible`` (their possible labels), as in the module docstring.
        """
        ok, slack, error, x, distance = _certified_solve(Cf, E, J, K)
        keep = np.asarray(~((slack < -error).any(axis=1) | (x < -distance).any(axis=1)))
        possible = np.ones((len(x), self.rows + self.dim), dtype=bool)
        possible[:, self.row_labels] = np.abs(slack) <= error
        cert = np.flatnonzero(ok)
        possible[np.arange(len(x))[:, None], self.row_labels[J[cert]]] = True
        possible[np.arange(len(x))[:, None], self.coordinate_labels[K[cert]]] = (
            np.abs(x) <= distance
        )
        return ok, keep, possible

    def _exact_choices(
        self, J: np.ndarray, K: np.ndarray, indices: np.ndarray
    ) -> tuple[list[int], np.ndarray]:
        """Choices solved exactly: the feasible ones and their exact labels."""
        masks = self._choice_masks(J[indices // len(K)], K[indices % len(K)])
        kept, labels = [], []
        width = self.rows + self.dim
        for chosen in masks:
            vertex = self.exact_vertex(chosen)
            if vertex is not None:
                kept.append(chosen)
                labels.append([(vertex[1] >> label) & 1 for label in range(width)])
        return kept, np.array(labels, dtype=bool).reshape(len(kept), width)

    def exact_vertex(self, chosen: int) -> Vertex | None:
        """The exact vertex of a choice of tight labels and its exact label mask.

        None if the choice is singular or its point infeasible. The vertex is
        returned in lowest terms as integer numerators followed by their
        common positive denominator.
        """
        if chosen in self.exact_cache:
            return self.exact_cache[chosen]
        coordinate_labels = self.coordinate_labels.tolist()
        row_labels = self.row_labels.tolist()
        K = [i for i, label in enumerate(coordinate_labels) if not (chosen >> label) & 1]
        J = [j for j, label in enumerate(row_labels) if (chosen >> label) & 1]
        solution = solve_integer([[self.C[j][i] for i in K] for j in J], [1] * len(J))
        result: Vertex | None = None
        if solution is not None and all(v >= 0 for v in solution[0]):
            values, den = solution
            x = [0] * self.dim
            for i, v in zip(K, values):
                x[i] = v
            # den * (1 - C x) per row: negative = infeasible, zero = tight
            slack = [den - sum(c * xi for c, xi in zip(row, x) if xi) for row in self.C]
            if all(s >= 0 for s in slack):
                mask = sum(1 << coordinate_labels[i] for i in range(self.dim) if x[i] == 0)
                mask |= sum(1 << row_labels[j] for j, s in enumerate(slack) if s == 0)
                common = math.gcd(den, *x)
                result = ((*(xi // common for xi in x), den // common), mask)
        self.exact_cache[chosen] = result
        return result

    def resolve(self, group: int) -> list[Vertex]:
        """The distinct exact vertices of a group's choices.

        A choice inside the exact labels of a vertex already found determines
        that vertex (it is non-singular), so it is not solved again.
        """
        if group in self.resolved:
            return self.resolved[group]
        found: list[Vertex] = []
        for chosen in self.members[group]:
            if any(chosen & ~labels == 0 for _, labels in found):
                continue
            vertex = self.exact_vertex(chosen)
            if vertex is not None and vertex not in found:
                found.append(vertex)
        self.resolved[group] = found
        return found

    def vertex_key(self, z: Point) -> int:
        """A small integer naming each distinct exact vertex."""
        return self.keys.setdefault(z, len(self.keys))

    def is_degenerate(self) -> bool:
        """True if some vertex has more tight constraints than the dimension."""
        for group, words in enumerate(self.group_masks):
            if _as_int(words).bit_count() > self.dim and any(
                labels.bit_count() > self.dim for _, labels in self.resolve(group)
            ):
                return True
        return False


def _certified_solve(
    Cf: np.ndarray, E: np.ndarray | None, J: np.ndarray, K: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Batched float solves of ``C[J, K] x = 1`` with rigorous error bounds.

    Returns
    -------
    ok : bool array (count,)
        Systems certified non-singular with a bounded error.
    slack, error : arrays (ok.sum(), r)
        For the certified systems, the computed slacks ``1 - C x`` of every row
        and bounds on their errors.
    x, distance : arrays (ok.sum(), k)
        The computed solutions and bounds on their errors.
    """
    count, k = J.shape
    rows = Cf.shape[0]
    M = Cf[J[:, :, None], K[:, None, :]]
    ok = np.zeros(count, dtype=bool)
    empty = np.zeros((0, rows)), np.zeros((0, rows)), np.zeros((0, k)), np.zeros((0, k))
    with np.errstate(all="ignore"):
        sign, _ = np.linalg.slogdet(M)
        regular = np.flatnonzero(sign != 0)
        M = M[regular]
        try:
            X = np.linalg.inv(M)
        except np.linalg.LinAlgError:
            return (ok, *empty)
        x = X.sum(axis=2)
        x += np.einsum("kij,kj->ki", X, 1 - np.einsum("kij,kj->ki", M, x))  # one refinement
        absX, absM, absx = np.abs(X), np.abs(M), np.abs(x)
        R = np.abs(np.eye(k) - X @ M) + _gamma(k) * (absX @ absM)
        residual = np.abs(1 - np.einsum("kij,kj->ki", M, x)) + _gamma(k + 1) * (
            1 + np.einsum("kij,kj->ki", absM, absx)
        )
        columns = K[regular]
        if E is not None:
            ES = E[J[regular][:, :, None], columns[:, None, :]]
            R += absX @ ES
            residual += np.einsum("kij,kj->ki", ES, absx)
        spread = R.sum(axis=2) * _INFLATE
        alpha = spread.max(axis=1)
        # |x - x~| <= |X| |res| + |R| 1 ||x - x~||_inf, and
        # ||x - x~||_inf <= |||X| |res|||_inf / (1 - alpha)
        reach = np.einsum("kij,kj->ki", absX, residual) * _INFLATE
        delta = reach.max(axis=1) * _INFLATE / (1 - alpha)
        distance = (reach + spread * delta[:, None]) * _INFLATE + _TINY
        CK = Cf[:, columns].transpose(1, 0, 2)  # (count, rows, k)
        absCK = np.abs(CK)
        slack = 1 - np.einsum("krj,kj->kr", CK, x)
        error = np.einsum("krj,kj->kr", absCK, distance) + _gamma(k + 1) * (
            1 + np.einsum("krj,kj->kr", absCK, absx)
        )
        if E is not None:
            EK = E[:, columns].transpose(1, 0, 2)
            error += np.einsum("krj,kj->kr", EK, distance + absx)
        error = error * _INFLATE + _TINY
        certified = (alpha < 0.5) & np.isfinite(distance).all(axis=1)
        certified &= np.isfinite(error).all(axis=1) & np.isfinite(slack).all(axis=1)
    ok[regular[certified]] = True
    return ok, slack[certified], error[certified], x[certified], distance[certified]


#: Determinants modulo at most this many primes before a system is solved exactly.
_MAX_PRIMES = 64


@lru_cache(maxsize=1)
def _primes() -> tuple[int, ...]:
    """The ``_MAX_PRIMES`` largest primes below 2^31 (products of two residues fit in int64).

    Miller-Rabin with bases 2, 7 and 61 is deterministic below 4,759,123,141
    (Jaeschke 1993, "On strong pseudoprimes to several bases", *Mathematics of
    Computation* 61).
    """

    def prime(n: int) -> bool:
        d, s = n - 1, 0
        while d % 2 == 0:
            d, s = d // 2, s + 1
        for a in (2, 7, 61):
            x = pow(a, d, n)
            if x in (1, n - 1):
                continue
            for _ in range(s - 1):
                x = x * x % n
                if x == n - 1:
                    break
            else:
                return False
        return True

    found: list[int] = []
    n = 2**31 - 1
    while len(found) < _MAX_PRIMES:
        if prime(n):
            found.append(n)
        n -= 2
    return tuple(found)


def _certainly_singular(C: list[list[int]], J: np.ndarray, K: np.ndarray) -> np.ndarray:
    """Which systems ``C[J, K]`` are proven singular, by determinants modulo primes.

    A non-zero integer determinant is at most Hadamard's bound ``H`` (the
    product of the rows' Euclidean norms) in absolute value; one that vanishes
    modulo primes whose product exceeds ``H`` is zero (Chinese remainder
    theorem). A ``False`` is no claim: such systems are solved exactly.
    """
    count = len(J)
    if count == 0:
        return np.zeros(0, dtype=bool)
    # log2 of a row's Euclidean norm is at most half the bit length of its squared norm
    # (exact for integers of any size, where a float square root would overflow).
    norms = [sum(c * c for c in row).bit_length() / 2 for row in C]
    # log2 of an upper bound on H per system: every row of C[J, K] is at most its full row.
    bits = np.array(norms)[J].sum(axis=1) + 1
    candidate = np.ones(count, dtype=bool)
    covered = np.zeros(count)
    for p in _primes():
        residues = np.array([[c % p for c in row] for row in C], dtype=np.int64)
        alive = np.flatnonzero(candidate & (covered < bits))
        if not len(alive):
            break
        zero = _singular_mod(residues[J[alive][:, :, None], K[alive][:, None, :]], p)
        candidate[alive[~zero]] = False
        covered[alive] += math.log2(p)
    return candidate & (covered >= bits)


def _singular_mod(M: np.ndarray, p: int) -> np.ndarray:
    """Which matrices of a batch of residues are singular modulo a prime ``p < 2^31``.

    Division-free elimination: scaling a row by a unit of the field keeps the
    rank, so a zero pivot column is exactly a zero determinant modulo ``p``.
    """
    M = M.copy()
    count, k, _ = M.shape
    every = np.arange(count)
    singular = np.zeros(count, dtype=bool)
    for c in range(k):
        nonzero = M[:, c:, c] != 0
        singular |= ~nonzero.any(axis=1)
        pivot = c + nonzero.argmax(axis=1)
        top, chosen = M[every, c].copy(), M[every, pivot].copy()
        M[every, c], M[every, pivot] = chosen, top
        head = M[:, c, c, None, None]
        below = M[:, c + 1 :, c, None]
        M[:, c + 1 :, :] = (M[:, c + 1 :, :] * head % p - below * M[:, None, c, :] % p) % p
    return singular


def _covering_pairs(P: np.ndarray, Q: np.ndarray, labels: int) -> list[tuple[int, int]]:
    """Pairs of rows of label words whose union covers every label."""
    if not len(P) or not len(Q):
        return []
    full = _pack(np.ones((1, labels), dtype=bool))[0]
    pairs: list[tuple[int, int]] = []
    block = max(1, _BATCH_FLOATS // len(Q))
    for start in range(0, len(P), block):
        part = P[start : start + block]
        cover = np.ones((len(part), len(Q)), dtype=bool)
        for word in range(P.shape[1]):
            cover &= (part[:, word, None] | Q[None, :, word]) == full[word]
        p, q = np.nonzero(cover)
        pairs.extend(zip((p + start).tolist(), q.tolist()))
    return pairs


def _normalise(z: Point) -> Vector:
    """The mixed strategy proportional to a vertex (numerators, denominator)."""
    numerators = z[:-1]
    total = sum(numerators)
    return tuple(Fraction(zi, total) for zi in numerators)


def _with_components(
    found: dict[tuple[tuple[N, ...], tuple[N, ...]], tuple[int, int]],
    links: Iterable[tuple[int, int]],
) -> tuple[ExtremeEquilibrium[N], ...]:
    """Number the connected components of the bipartite graph of extreme equilibria.

    ``links`` holds the vertex keys of every extreme equilibrium, ``found`` those listed: two
    listed ones may be connected through others that are not.
    """
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for x_key, y_key in links:
        parent[root(("x", x_key))] = root(("y", y_key))
    # By row, then column strategy, largest first (the pairs are distinct: their indices are not
    # compared); with their indices, so that no strategy is hashed again.
    ordered = sorted(found.items(), reverse=True)
    numbers: dict[tuple[str, int], int] = {}
    result = []
    for pair, (x_key, _) in ordered:
        component = numbers.setdefault(root(("x", x_key)), len(numbers))
        result.append(ExtremeEquilibrium(pair[0], pair[1], component))
    result.sort(key=lambda e: e.component)
    return tuple(result)
