"""Extreme equilibria as completely labelled pairs of vertices found by reverse search.

Notation as in :mod:`credibility.solvers.enumeration`: labels ``0..m-1`` are
the row strategies and ``m..m+n-1`` the column strategies; ``P = {x >= 0 :
B^T x <= 1}`` and ``Q = {y >= 0 : A y <= 1}`` for positive integer payoffs.
In the terms of :mod:`credibility.solvers.reverse_search`, ``P`` has ``C =
B^T``, variables ``x_i`` labelled ``i`` and slacks labelled ``m + j``; ``Q``
has ``C = A``, variables ``y_j`` labelled ``m + j`` and slacks labelled ``i``.

A pair of non-zero vertices ``(x, y)`` is an extreme equilibrium (normalised)
exactly when their zero sets cover all ``m + n`` labels (von Stengel 2007,
theorem 3.4 and section 3.5). With the exact zero set of every vertex of both
polytopes at hand, the pairs are found by label arithmetic alone:

- when ``x`` has exactly ``m`` labels and ``y`` exactly ``n``, they cover
  everything only if ``y``'s labels are the complement of ``x``'s: an
  equality join on sorted keys;
- a degenerate vertex (more labels than its dimension) is paired with every
  vertex of the other polytope whose labels contain the complement of its own:
  a subset test against all of them.

Only the vertices of the pairs found are computed, exactly, in integers.

The two searches are independent, so on a large game (``m n >= _THREADED_FROM``,
144) with numba installed they run concurrently: ``Q`` in a second thread while
``P`` is searched in the calling one. The compiled walk releases the GIL, so
once both searches are past the bases after which it takes over (200,000; 5,000 once
numba's cache of it is on disk; none once it has run in the process) they use two cores, and
the search that ends first gives its core to the other, which hands it half of its stack
(``spare`` in :func:`~credibility.solvers.reverse_search.polytope_vertices`). The
result is the same as one search after the other: each search is a
deterministic function of its own polytope (they share no mutable state, and
each reports its vertices sorted by labels, then bases), and the pairs are
formed only after both have ended. Progress is reported as the sum of the bases
both searches have visited.
"""

from __future__ import annotations

import contextvars
import math
import threading
from contextlib import AbstractContextManager, nullcontext
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np

from ..errors import GameTooLargeError
from .exact import solve_integer
from .reporting import Report, reporter, reporting
from .reverse_search import (
    PolytopeVertices,
    SearchStopped,
    compiled_kernel_installed,
    label_counts,
    label_keys,
    pack_labels,
    polytope_vertices,
)

__all__ = ["MAX_EQUILIBRIA", "ExtremePairs", "extreme_pairs", "refuse_too_many"]

Vector = tuple[Fraction, ...]

#: Games with at least this many strategy profiles (``m n``) search ``P`` and ``Q`` in two
#: threads when numba is installed. The compiled walk (past 200,000 bases, 5,000 once numba's
#: cache of it is on disk, from the first once it has run in the process) runs without the GIL;
#: before it, the numpy batches overlap only where numpy releases the GIL, and the threads hand
#: it back and forth. Measured wall time per random game on 2 cores, threaded against
#: sequential, walk not loaded: 10 x 10 37 to 47 ms against 24 to 33 (slower), 12 x 12 117 to
#: 143 ms against 132 to 262, 14 x 14 0.64 s against 0.77 to 0.86, 15 x 15 1.3 to 1.75 s
#: against 1.8 to 2.4, 20 x 20 24 to 29 s against 35 to 42; walk loaded: 10 x 10 4.7 ms against
#: 4.2 (slower), 12 x 12 13.6 to 14.1 ms against 14.2 to 15.4.
_THREADED_FROM = 144

#: Vertices of ``P`` joined with ``Q``'s at a time (keys, positions: about 32 MB).
_JOIN_BLOCK = 1 << 20

#: At most this many extreme equilibria are listed unless a limit is given (their strategies
#: cost about 0.4 ms each to compute exactly, and their components as much again; an n x n
#: coordination game has 2^n - 1).
MAX_EQUILIBRIA = 100_000


def refuse_too_many(total: int, listed: int | None) -> None:
    """Refuse to list more than ``MAX_EQUILIBRIA`` extreme equilibria unless told how many.

    Raises
    ------
    GameTooLargeError
        If ``listed`` is None and ``total`` is above ``MAX_EQUILIBRIA``.
    """
    if listed is None and total > MAX_EQUILIBRIA:
        raise GameTooLargeError(
            f"the game has {total:,} extreme equilibria, more than {MAX_EQUILIBRIA:,} to list; "
            "list some of them with a limit (limit=K, or --limit K on the command line)"
        )


class ExtremePairs(NamedTuple):
    """What :func:`extreme_pairs` found."""

    #: Each listed extreme equilibrium ``(x, y)`` (mixed strategies), mapped to the indices of its
    #: vertices of ``P`` and ``Q`` (equal indices, equal vertices).
    found: dict[tuple[Vector, Vector], tuple[int, int]]
    #: True if some vertex of ``P`` or ``Q`` has more labels than its dimension.
    degenerate: bool
    #: The vertex indices of every extreme equilibrium, listed or not, in increasing order.
    links: list[tuple[int, int]]


def extreme_pairs(
    A: list[list[int]],
    B: list[list[int]],
    limit: int,
    *,
    exact: bool = True,
    listed: int | None = None,
) -> ExtremePairs:
    """The extreme equilibria of a game with positive integer payoffs.

    With ``exact=False`` the vertices are enumerated without error bounds
    (``certified=False`` in :func:`~credibility.solvers.reverse_search.polytope_vertices`)
    and the strategies are floats, computed in floating point.

    Every completely labelled pair is found by label arithmetic (cheap, whatever their number);
    only the strategies of the first ``listed`` of them (by vertex indices) are computed. By
    default all are, and a game with more than ``MAX_EQUILIBRIA`` is refused first.

    Returns
    -------
    ExtremePairs

    Examples
    --------
    Matching pennies with payoffs shifted to 1 and 3:

    >>> found, degenerate, links = extreme_pairs([[3, 1], [1, 3]], [[1, 3], [3, 1]], 1000)
    >>> [tuple(map(str, x + y)) for x, y in found], degenerate, len(links)
    ([('1/2', '1/2', '1/2', '1/2')], False, 1)
    """
    m, n = len(A), len(A[0])
    width = m + n
    p_labels = list(range(width))
    q_labels = [m + j for j in range(n)] + list(range(m))
    B_transposed = [list(column) for column in zip(*B)]
    P, Q = _both_polytopes(B_transposed, p_labels, A, q_labels, width, limit, exact)
    links = sorted(_covering(P, Q, width))
    refuse_too_many(len(links), listed)
    pairs = links if listed is None else links[:listed]
    degenerate = P.degenerate or Q.degenerate
    found: dict[tuple[Any, Any], tuple[int, int]] = {}
    if not exact:
        xs = _float_points(B_transposed, p_labels, P, sorted({i for i, _ in pairs}))
        ys = _float_points(A, q_labels, Q, sorted({j for _, j in pairs}))
        for i, j in pairs:
            found[(xs[i], ys[j])] = (i, j)
        return ExtremePairs(found, degenerate, links)
    x_points = _Points(B_transposed, p_labels, P)
    y_points = _Points(A, q_labels, Q)
    full = (1 << width) - 1
    for i, j in pairs:
        x, x_labels = x_points.get(i)
        y, y_labels = y_points.get(j)
        if (x_labels | y_labels) != full:
            raise RuntimeError("vertex labels disagree with their exact points (internal error)")
        found[(x, y)] = (i, j)
    return ExtremePairs(found, degenerate, links)


def _both_polytopes(
    B_transposed: list[list[int]],
    p_labels: list[int],
    A: list[list[int]],
    q_labels: list[int],
    width: int,
    limit: int,
    exact: bool,
) -> tuple[PolytopeVertices, PolytopeVertices]:
    """The vertices of ``P`` and ``Q``: concurrently on large games, one after the other otherwise.

    Raises what either search raises (:class:`~credibility.errors.GameTooLargeError`
    past ``limit``, with the same message for either polytope).
    """
    progress = _Total(reporter())
    threaded = len(A) * len(A[0]) >= _THREADED_FROM and compiled_kernel_installed()
    if not threaded:
        with progress.part(0):
            P = polytope_vertices(B_transposed, p_labels, width, limit=limit, certified=exact)
        with progress.part(1):
            Q = polytope_vertices(A, q_labels, width, limit=limit, certified=exact)
        return P, Q
    stop = threading.Event()  # set when either search fails: the other need not go on
    spare = threading.Semaphore(0)  # a core that a search has finished with, for the other
    found: list[PolytopeVertices] = []
    failed: list[BaseException] = []

    def search_q() -> None:
        try:
            with progress.part(1):
                found.append(
                    polytope_vertices(
                        A, q_labels, width, limit=limit, certified=exact, stop=stop, spare=spare
                    )
                )
        except BaseException as error:  # handed to the calling thread, which raises it
            failed.append(error)
            stop.set()

    # The copied context carries the caller's context variables (the progress reporter) into
    # the thread; daemon, so that a process ending abnormally never waits for it.
    thread = threading.Thread(
        target=contextvars.copy_context().run, args=(search_q,), name="polytope Q", daemon=True
    )
    thread.start()
    try:
        try:
            with progress.part(0):
                P = polytope_vertices(
                    B_transposed,
                    p_labels,
                    width,
                    limit=limit,
                    certified=exact,
                    stop=stop,
                    spare=spare,
                )
        except SearchStopped:
            pass  # Q failed first and stopped P: Q's error, raised below, is the answer
        thread.join()
    except BaseException:
        # P failed (past the limit), or the caller was interrupted during P or while waiting for
        # Q: Q sees the event within one batch of its search (at most ``_WALK_BUDGET`` bases) and
        # ends; wait for it, so that no search outlives the call.
        stop.set()
        thread.join()
        raise
    if failed:
        # Q's own error. If P would have failed too, one search after the other would have
        # raised P's: past the limit that is the same GameTooLargeError with the same message.
        raise failed[0]
    return P, found[0]


class _Total:
    """Reports the sum of the bases two searches have visited, whichever thread reports.

    One count in one unit, so that a progress display does not jump between the two.
    """

    def __init__(self, report: Report | None):
        self.report = report
        self.done = [0, 0]
        self.lock = threading.Lock()  # the searches may report from two threads at once

    def part(self, index: int) -> AbstractContextManager[None]:
        """A block in which search ``index`` (0 for ``P``, 1 for ``Q``) reports to the sum."""
        report = self.report
        if report is None:  # nobody asked: the searches stay silent
            return nullcontext()

        def update(done: int, total: int | None, unit: str) -> None:
            with self.lock:
                self.done[index] = done
                report(self.done[0] + self.done[1], total, unit)

        return reporting(update)


def _covering(P: PolytopeVertices, Q: PolytopeVertices, width: int) -> set[tuple[int, int]]:
    """Index pairs of vertices of ``P`` and ``Q`` whose labels cover all ``width`` labels."""
    full = pack_labels(np.arange(width)[None, :], width)[0]
    pairs: set[tuple[int, int]] = set()
    # Equality join: y's labels are exactly the complement of x's. Q's keys are in order; P's
    # vertices are taken a block at a time, so the join needs little memory beyond theirs.
    q_keys = label_keys(Q.labels)
    for start in range(0, len(P.labels) if len(q_keys) else 0, _JOIN_BLOCK):
        wanted = label_keys(P.labels[start : start + _JOIN_BLOCK] ^ full)
        at = np.minimum(np.searchsorted(q_keys, wanted), len(q_keys) - 1)
        hit = np.flatnonzero(q_keys[at] == wanted)
        pairs.update(zip((hit + start).tolist(), at[hit].tolist()))
    # Degenerate vertices: subset tests against every vertex of the other polytope.
    for X, Y, swap in ((P, Q, False), (Q, P, True)):
        if not X.degenerate:
            continue
        for x in np.flatnonzero(label_counts(X.labels) > X.dimension).tolist():
            need = X.labels[x] ^ full  # the labels the other vertex must have
            ys = np.flatnonzero(((Y.labels & need) == need).all(axis=1)).tolist()
            pairs.update((y, x) if swap else (x, y) for y in ys)
    return pairs


def _float_points(
    C: list[list[int]], labels: list[int], vertices: PolytopeVertices, indices: list[int]
) -> dict[int, tuple[float, ...]]:
    """Mixed strategies of some vertices, solved in floating point from their bases."""
    d = len(C[0])
    scale = max(max(row) for row in C)
    Cf = np.array([[c / scale for c in row] for row in C])
    variable = np.empty(len(labels), dtype=np.intp)
    variable[labels] = np.arange(len(labels))
    result = {}
    for index in indices:
        bits = np.unpackbits(vertices.bases[index].view(np.uint8), bitorder="little")
        nonbasic = variable[np.flatnonzero(bits[: len(labels)])]
        K = np.setdiff1d(np.arange(d), nonbasic)
        J = nonbasic[nonbasic >= d] - d
        x = np.zeros(d)
        try:
            x[K] = np.linalg.solve(Cf[np.ix_(J, K)], np.ones(len(J)))
        except np.linalg.LinAlgError:  # singular in floats only: solve it exactly
            point, _ = _Points(C, labels, vertices).get(index)
            x = np.array([float(p) for p in point])
        x = np.maximum(x, 0)
        result[index] = tuple((x / x.sum()).tolist())
    return result


class _Points:
    """Exact points of a polytope's vertices, computed on demand from their bases."""

    def __init__(self, C: list[list[int]], labels: list[int], vertices: PolytopeVertices):
        self.C, self.labels, self.vertices = C, labels, vertices
        self.variable = {label: var for var, label in enumerate(labels)}
        self.cache: dict[int, tuple[Vector, int]] = {}

    def get(self, index: int) -> tuple[Vector, int]:
        """The mixed strategy of vertex ``index`` and its exact label mask."""
        if index in self.cache:
            return self.cache[index]
        C = self.C
        r, d = len(C), len(C[0])
        words = self.vertices.bases[index]
        chosen = int.from_bytes(words.astype("<u8").tobytes(), "little")
        nonbasic = {self.variable[b] for b in range(len(self.labels)) if chosen >> b & 1}
        # Only the point is needed, not the whole dictionary: the rows J whose slacks are
        # nonbasic are tight, so the basic coordinates K solve C[J, K] x_K = 1; the basic
        # slacks follow. Everything is scaled by the determinant to stay in integers.
        K = [v for v in range(d) if v not in nonbasic]
        J = [v - d for v in sorted(nonbasic) if v >= d]
        solved = solve_integer([[C[j][v] for v in K] for j in J], [1] * len(J))
        if solved is None:
            raise ValueError("singular basis")  # never for a basis reached by pivoting
        numerators, delta = solved
        x = [0] * d
        for v, value in zip(K, numerators):
            x[v] = value
        slacks = [delta - sum(c * xi for c, xi in zip(row, x) if xi) for row in C]
        zero = [v for v in range(d) if x[v] == 0] + [d + i for i in range(r) if slacks[i] == 0]
        mask = sum(1 << self.labels[var] for var in zero)
        total = sum(x)
        common = math.gcd(*x)
        result = (tuple(Fraction(xi // common, total // common) for xi in x), mask)
        self.cache[index] = result
        return result
