"""Every vertex of ``{x >= 0 : C x <= 1}`` by lexicographic reverse search, certified.

Notation: ``C`` is a positive integer ``r x d`` matrix. The variables are
``x_0..x_{d-1}`` (indices ``0..d-1``) and the slacks ``s_j = 1 - C_j x``
(indices ``d..d+r-1``); a vertex's *zero set* is the set of variables that
vanish there (its tight constraints). A basis chooses ``r`` basic variables;
its dictionary (see :mod:`credibility.solvers.exact_tableau`) is an
``(r + 1) x (d + 1)`` array ``T``: rows are the basic variables and the
objective ``sum(x)``, columns the nonbasic variables and the right-hand side.

The algorithm (Avis & Fukuda 1992, "A pivoting algorithm for convex hulls and
vertex enumeration of arrangements and polyhedra", *Discrete & Computational
Geometry* 8; with the lexicographic rule of lrs, Avis 2000):

1. Perturb the right-hand side of ``s_j`` to ``1 + epsilon^(j+1)``. The
   lexicographically feasible bases are the vertices of the perturbed
   polytope, which is simple; each is a basis of a vertex of the original one,
   and every vertex has one (the lexicographic simplex method reaches any
   vertex that is optimal for some objective).
2. The origin is the only vertex minimising ``sum(x)``, and its basis (all
   slacks basic) is the only optimal lexicographically feasible basis. The
   lexicographic simplex method with Bland's entering rule strictly decreases
   the perturbed objective, so from any basis it ends there: these pivots form
   a tree rooted at the origin.
3. Walk the tree from the root: the children of a basis are its neighbours
   (one lexicographic pivot on a column with positive reduced cost) whose own
   Bland pivot leads back. Every basis is met exactly once; no visited set.

Certified floating point
------------------------
Bases are processed in batches with numpy or, when numba is installed, one at
a time depth first in a compiled walk
(:mod:`~credibility.solvers.reverse_search_kernel`, the same decisions by the
same bounds in scalar loops); either way each dictionary is held as a midpoint
array and a radius array that *encloses* the exact dictionary entrywise: the
root is ``C`` rounded (radius: the rounding), and a pivot is carried out in
midpoint-radius interval arithmetic (Rump 1999, "Fast and parallel interval
arithmetic", *BIT* 39): for ``c = a * b`` the radius ``|a~| r_b + r_a (|b~| +
r_b) + u |c~|``, for ``c = a - b`` the sum of the radii plus ``u |c~|``, and
``|1/a - 1/a~| <= r_a / (|a~| (|a~| - r_a)) + u |1/a~|`` where ``u = 2^-53``.
Radii are sums and products of a few non-negative floats, computed with
relative error below ``2^-49``, and inflated by ``1 + 2^-20``; every radius
is at least ``10^-290``, so the inflation also covers underflow.

A basis is decided in floats only if every decision is certified by its
enclosure:

- every basic variable is certainly positive (the vertex is not degenerate,
  so its zero set is exactly the nonbasic set) and every reduced cost is
  certainly non-zero;
- for each column with positive reduced cost, the pivot entry is certainly
  positive and every other basic variable of the neighbour is certainly
  positive: then that row is the unique minimum ratio, which is also the
  lexicographic minimum;
- of the neighbour's reduced costs that its Bland rule looks at, one is
  certainly negative (it is not a child) or all have certain signs.

Interval pivoting overestimates: radii grow by a factor of a few per pivot
(the dependency problem of interval elimination), so a basis whose decisions
its enclosure cannot settle is first given a fresh one, computed from scratch
with a posteriori bounds (:mod:`credibility.solvers.certified_dictionary`);
about one basis in twenty needs this on random games. Any basis that still is
doubtful (a degenerate vertex, a tie, an ill-conditioned basis) is computed
again exactly, in integers (:func:`~credibility.solvers.exact_tableau.exact_basis`),
and decided exactly; its children stay exact while they are degenerate and
return to floats (rounded correctly, radius ``u |t| + 10^-290``) otherwise.
Since every decision is the exact one, the walk is exactly the reverse search
tree, and every vertex's zero set is found exactly.

With ``certified=False`` there are no radii: an entry counts as doubtful when
it is within ``FLOAT_TOLERANCE`` of zero or of a tie relative to its natural
size, and only those bases go to the integers. In numpy this is 2 to 3 times
faster but proves nothing: a decision the floats get wrong by more than the
tolerance goes unnoticed. Once the compiled walk takes over (below), the
search goes on certified, which is faster still: the bases left on the stack
are given fresh enclosures.

Cost: every basis is decided and pivoted in ``O(r d)`` work. In numpy batches
that is about 13 microseconds per basis for ``r = d = 15`` and 22 for ``r = d
= 20`` (certified; about 60 % deciding, 30 % pivoting, 6 % fresh enclosures
for the 4 % of the bases that need one, no exact fallback on random games),
and 5 to 10 with ``certified=False``. The compiled walk (numba installed)
takes about 2.5 microseconds per basis at 20 x 20, fresh enclosures
included (compiled too, about 9 microseconds for each of the 4 % of the
bases that need one). numba compiles it once (8 to 12 s of CPU) and
caches it; importing numba and loading the cache take about 0.5 s, so the
walk takes over only after ``_COMPILED_AFTER`` bases (200,000), 5,000 once
its cache is on disk, and from the first basis once it has run in the
process (nothing left to load). The number of vertices is what grows (for
random square games, about 1,000 at 10 x 10, 25,000 to 70,000 at 15 x 15 and
0.8 to 3 million at 20 x 20, per polytope).

A search given a spare core (``spare`` in :func:`polytope_vertices`) hands
the bottom half of its stack to a second search in another thread whenever
it can take one: the stack's entries root disjoint subtrees of the reverse
search tree, so the two together visit every basis once, and the vertices
are sorted at the end whatever the order.

Memory: the labels of every basis visited are held until the caller pairs
them, one 64-bit word per 64 labels (a non-degenerate vertex has one basis,
whose labels are its zero set; only the bases of degenerate vertices also
keep their zero sets); the rest is the stack, a dictionary (7 KB at 20 x 20)
for each basis on the path with children still to come and for each fresh
enclosure waiting, tens of megabytes. Doubtful bases wait as their variables
and are given fresh enclosures a batch at a time, while few wait.
"""

from __future__ import annotations

import contextvars
import importlib.util
import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np

from ..errors import GameTooLargeError, readable_size
from .certified_dictionary import certified_dictionaries
from .exact_tableau import ExactBasis, exact_basis, exact_step
from .reporting import reporter

__all__ = [
    "FLOAT_TOLERANCE",
    "PolytopeVertices",
    "SearchStopped",
    "bases_in_memory",
    "compiled_kernel",
    "compiled_kernel_installed",
    "float_matrix",
    "label_counts",
    "label_keys",
    "pack_labels",
    "polytope_vertices",
]

_UNIT_ROUNDOFF = 2.0**-53
#: Radii are inflated by this factor to cover the rounding of their own computation.
_INFLATE = 1 + 2.0**-20
#: The least radius (covers underflow, far below any meaningful quantity).
_TINY = 1e-290
#: Bases decided together in one numpy batch.
_BATCH = 256
#: Doubtful bases recomputed together (at most).
_REFRESH = 1024
#: Rows of label words per block of a search's store (32 MB with up to 64 labels).
_LABEL_BLOCK = 1 << 22
#: Bases decided by one call of the compiled walk (between progress reports and limit checks).
_WALK_BUDGET = 1 << 15
#: By default the compiled walk takes over after this many bases (about 4 s with numpy): a
#: polytope that large has many more to come (20 x 20 games: 0.8 to 3 million), so numba's
#: import (about 0.5 s) and its one-time compile (8 to 16 s, then cached) pay for themselves,
#: while games up to about 15 x 15 never wait for either.
_COMPILED_AFTER = 200_000
#: The same once numba's cache of the walk is on disk (no compile to wait for): importing numba
#: and loading the walk then pay back within a few thousand bases (15 x 15 games: 1.4 s to
#: 0.75 s of wall time; 20 x 20: 14.4 s to 9.4 s).
_COMPILED_AFTER_CACHED = 5_000
#: The same once the walk has run in this process (numba imported, the walk compiled or loaded):
#: nothing is left to pay, and the walk is 4 to 5 times faster than numpy batches on the first
#: bases too (random 10 x 10 games: 20 ms to 4 to 5 ms a game; 8 x 8: 12 ms to 2 to 2.5 ms).
_COMPILED_AFTER_LOADED = 0
#: Set once the compiled walk has run in this process.
_WALK_LOADED = threading.Event()


def _compiled_after() -> int:
    """Bases before the compiled walk takes over: fewer once it is cached, none once loaded."""
    after = _COMPILED_AFTER
    if _walk_cached():
        after = min(after, _COMPILED_AFTER_CACHED)
    if _WALK_LOADED.is_set():
        after = min(after, _COMPILED_AFTER_LOADED)
    return after


@cache
def _walk_cached() -> bool:
    """True if numba's cache of the walk is in ``__pycache__`` beside its source.

    Only a guess of the time to come (the cache index may be stale, after the kernel's source
    changed, and then numba compiles after all); it never changes an answer, only when the
    compiled walk takes over.
    """
    folder = Path(__file__).with_name("__pycache__")
    return any(folder.glob("reverse_search_kernel.walk-*.nbi"))


@cache
def compiled_kernel() -> ModuleType | None:
    """The compiled walk (:mod:`~credibility.solvers.reverse_search_kernel`), None without numba.

    With it, the certified search decides bases one at a time in compiled loops,
    depth first, and computes fresh enclosures in compiled loops too; without
    it, both in numpy batches. Both paths take the same decisions.
    """
    try:
        from . import reverse_search_kernel  # lazy: numba is an optional accelerator
    except ImportError:
        return None
    return reverse_search_kernel


def compiled_kernel_installed() -> bool:
    """Whether :func:`compiled_kernel` can load the compiled walk (numba is installed).

    Cheap: it looks for numba without importing it (about 0.5 s), so a caller can
    plan for the walk before any search has got far enough to take it.
    """
    try:
        return importlib.util.find_spec("numba") is not None
    except (ImportError, ValueError):  # a broken or stubbed-out entry in sys.modules
        return False


class SearchStopped(Exception):
    """A search was told to stop (its ``stop`` event was set) before it ended."""


@dataclass(frozen=True)
class PolytopeVertices:
    """The non-zero vertices of a polytope, each once.

    Attributes
    ----------
    labels : ndarray of uint64, shape (V, W)
        Each vertex's zero set, as bits of the caller's labels, in 64-bit words;
        in increasing order of their :func:`label_keys`.
    bases : ndarray of uint64, shape (V, W)
        For each vertex, ``d`` labels whose constraints are independent and
        determine it (the nonbasic set of one of its bases).
    dimension : int
        ``d``, the number of labels of a non-degenerate vertex.
    degenerate : bool
        True if some vertex has more than ``d`` zero labels.
    bases_visited : int
        The number of lexicographic bases the search visited.
    """

    labels: np.ndarray
    bases: np.ndarray
    dimension: int
    degenerate: bool
    bases_visited: int


def pack_labels(indices: np.ndarray, width: int) -> np.ndarray:
    """Rows of label indices ``(k, c)`` as rows of 64-bit words ``(k, ceil(width / 64))``.

    Examples
    --------
    >>> pack_labels(np.array([[0, 3], [1, 64]]), 65).tolist()
    [[9, 0], [2, 1]]
    """
    count = len(indices)
    words = -(-width // 64)
    bits = np.zeros((count, words * 64), dtype=bool)
    bits[np.arange(count)[:, None], indices] = True
    return np.packbits(bits, axis=1, bitorder="little").view("<u8").reshape(count, words)


def float_matrix(G: list[list[int]]) -> tuple[np.ndarray, np.ndarray] | None:
    """``G`` rounded to floats and an entrywise bound on the rounding error.

    None if some entry overflows the float range.

    Examples
    --------
    >>> rounded, error = float_matrix([[2**53 + 1, 3]])
    >>> rounded.tolist(), error.tolist()
    ([[9007199254740992.0, 3.0]], [[1.0000000000000004, 0.0]])
    """
    try:
        Gf = np.array(G, dtype=float)
    except OverflowError:
        return None
    if not np.isfinite(Gf).all():
        return None
    errors = [
        [_round_up(abs(int(f) - g)) for f, g in zip(f_row, g_row)]
        for f_row, g_row in zip(Gf.tolist(), G)
    ]
    return Gf, np.array(errors, dtype=float)


def bases_in_memory(width: int) -> int:
    """The most bases each of two polytope searches may visit whose labels fit in free memory.

    A search holds the labels of every basis it visits until the pairing, 8 bytes per 64 of the
    ``width`` labels, and up to twice that while it puts them in order (the rest of its state
    is tens of megabytes); both polytopes of a game are searched at once, and may end together.
    So each may hold a fifth of the memory free now in labels at the end of its search, 40 bytes
    of free memory a basis, which leaves a fifth for the rest (at least a thousand bases).

    Examples
    --------
    >>> bases_in_memory(40) == max(1000, _free_memory() // 40)
    True
    """
    return max(1000, _free_memory() // (40 * -(-width // 64)))


def _free_memory() -> int:
    """Bytes of memory free for new data now: Linux's MemAvailable, else free pages, else 4 GB."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):  # not on this system (macOS, Windows)
        return 4 << 30


def _round_up(value: int) -> float:
    return 0.0 if value == 0 else float(value) * (1 + 4 * _UNIT_ROUNDOFF)


def polytope_vertices(
    C: list[list[int]],
    labels: list[int],
    width: int,
    *,
    limit: int,
    certified: bool = True,
    compiled: bool | None = None,
    stop: threading.Event | None = None,
    spare: threading.Semaphore | None = None,
) -> PolytopeVertices:
    """Every non-zero vertex of ``{x >= 0 : C x <= 1}`` with its exact zero set.

    Parameters
    ----------
    C : list of lists of int
        A positive ``r x d`` matrix.
    labels : list of int
        The caller's label of each variable ``x_0..x_{d-1}, s_0..s_{r-1}``.
    width : int
        The number of the caller's labels.
    limit : int
        The most bases to visit.
    certified : bool
        If False, decide in floats without error bounds: a comparison is left
        to the exact integers only when it is within ``FLOAT_TOLERANCE`` of a
        tie (relative to the sizes of the entries); faster, but an ill-conditioned
        polytope may lose or gain a vertex. Once the compiled walk takes over,
        the search goes on certified (faster compiled than uncertified in numpy).
    compiled : bool, optional
        Whether the search uses the compiled walk (numba) rather than numpy
        batches; by default it does when numba is installed, once the search
        has visited ``_COMPILED_AFTER`` bases (fewer once numba has the walk
        cached, none once it has run in this process). The answer of the certified
        search is the same either way (each vertex is reported with its least
        basis).
    stop : threading.Event, optional
        Another thread may set it to end the search early; the search looks
        at it between batches (at most ``_WALK_BUDGET`` bases apart) and then
        raises :class:`SearchStopped`.
    spare : threading.Semaphore, optional
        Cores the search may use besides its own: while the compiled walk
        runs, whenever it can acquire one it hands the bottom half of its
        stack (whole subtrees, independent of the rest) to a second search in
        another thread, and releases the core when that part ends. The
        answer is the same (the vertices are sorted at the end).

    Raises
    ------
    GameTooLargeError
        If the search visits more than ``limit`` bases.
    SearchStopped
        If ``stop`` was set before the search ended.
    ImportError
        If ``compiled`` is True and numba is not installed.

    Examples
    --------
    The triangle ``{x >= 0 : x_0 + x_1 <= 1}`` has the non-zero vertices
    ``(1, 0)`` (zero set ``{x_1, s_0}``) and ``(0, 1)``:

    >>> found = polytope_vertices([[1, 1]], [0, 1, 2], 3, limit=100)
    >>> sorted(found.labels[:, 0].tolist()), found.degenerate
    ([5, 6], False)
    """
    d = len(C[0])
    if compiled and compiled_kernel() is None:
        raise ImportError("the compiled walk needs numba, which is not installed")
    after = {None: _compiled_after(), True: 0, False: limit + 1}[compiled]
    search = _Search(C, np.array(labels, dtype=np.intp), width, limit, certified, after)
    search.spare = spare
    search.run(stop)
    root = pack_labels(np.array([labels[:d]]), width)  # the origin, not a vertex to report
    # Each non-degenerate vertex has one basis, whose nonbasic set is its zero set.
    simple = _sorted(_without(search.simple.gathered(), root[0]))
    if not search.degenerate:
        return PolytopeVertices(simple, simple, d, False, search.visits.total)
    # A degenerate vertex has several: by labels, then by basis, each keeps its least basis,
    # whatever the order of the walk; then it goes in its place among the others.
    bases = np.concatenate([basis for basis, _ in search.degenerate])
    zeros = np.concatenate([zero for _, zero in search.degenerate])
    order = np.lexsort([*bases.T[::-1], *zeros.T[::-1]])
    bases, zeros = bases[order], zeros[order]
    keys, first = np.unique(label_keys(zeros), return_index=True)
    at = np.searchsorted(label_keys(simple), keys)  # no key of theirs is among the others'
    labels_in_place = np.insert(simple, at, zeros[first], axis=0)
    del simple  # held twice at most, not three times
    bases_in_place = labels_in_place.copy()
    bases_in_place[at + np.arange(len(at))] = bases[first]  # where the inserted rows went
    return PolytopeVertices(labels_in_place, bases_in_place, d, True, search.visits.total)


class _Labels:
    """Rows of label words, appended in blocks of ``_LABEL_BLOCK`` rows.

    The labels of a long search are most of its memory (8 bytes a basis per 64 labels): blocks
    this large are each their own mapping of memory, given back to the system when freed, so
    :meth:`gathered` holds the labels about once, not twice; and :meth:`extend` takes another
    store's blocks as they are, without copying them.
    """

    def __init__(self, words: int):
        self.words = words
        self.chunks: list[np.ndarray] = []  # the rows of the blocks filled before this one
        self.block: np.ndarray | None = None  # the block being filled
        self.filled = 0  # its rows in use

    def __len__(self) -> int:
        return sum(len(chunk) for chunk in self.chunks) + self.filled

    def append(self, rows: np.ndarray) -> None:
        """Copy ``rows`` (shape ``(k, words)``) to the end."""
        while len(rows):
            if self.block is None or self.filled == len(self.block):
                self._close()
                self.block = np.empty((_LABEL_BLOCK, self.words), dtype="<u8")
            take = min(len(rows), len(self.block) - self.filled)
            self.block[self.filled : self.filled + take] = rows[:take]
            self.filled += take
            rows = rows[take:]

    def extend(self, other: _Labels) -> None:
        """Append the rows of ``other``, which is left empty."""
        self._close()
        other._close()
        self.chunks += other.chunks
        other.chunks = []

    def gathered(self) -> np.ndarray:
        """All rows in one array, freeing each block once copied (the store is left empty)."""
        self._close()
        gathered = np.empty((len(self), self.words), dtype="<u8")
        at = 0
        self.chunks.reverse()
        while self.chunks:
            chunk = self.chunks.pop()
            gathered[at : at + len(chunk)] = chunk
            at += len(chunk)
            del chunk
        return gathered

    def _close(self) -> None:
        """Move the rows of the block being filled to the chunks (none is being filled then)."""
        if self.block is not None and self.filled:
            self.chunks.append(self.block[: self.filled])
        self.block, self.filled = None, 0


def _without(rows: np.ndarray, row: np.ndarray) -> np.ndarray:
    """``rows`` without the one equal to ``row`` (if any; the order is not kept, nothing copied)."""
    found = np.flatnonzero((rows == row).all(axis=1))
    if not len(found):
        return rows
    rows[found[0]] = rows[-1]
    return rows[:-1]


def _sorted(rows: np.ndarray) -> np.ndarray:
    """Distinct rows of label words in increasing order of their :func:`label_keys`."""
    if rows.shape[1] == 1:
        rows.reshape(-1).sort()  # in place: the array may be most of the memory in use
        return rows
    return rows[np.argsort(label_keys(rows))]


def label_counts(words: np.ndarray) -> np.ndarray:
    """The number of labels in each row of label words.

    Examples
    --------
    >>> label_counts(np.array([[5, 1], [0, 0]], dtype="<u8")).tolist()
    [3, 0]
    """
    # Bits counted within each word in place (the classic SWAR steps), then summed per row.
    counts = words - ((words >> np.uint64(1)) & np.uint64(0x5555555555555555))
    fours = np.uint64(0x3333333333333333)
    counts = (counts & fours) + ((counts >> np.uint64(2)) & fours)
    counts = (counts + (counts >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    counts = (counts * np.uint64(0x0101010101010101)) >> np.uint64(56)
    return counts.sum(axis=1)


def label_keys(words: np.ndarray) -> np.ndarray:
    """One sortable key per row of label words (equal keys for equal rows).

    Examples
    --------
    >>> keys = label_keys(np.array([[5, 1], [5, 1], [1, 5]], dtype="<u8"))
    >>> bool(keys[0] == keys[1]), bool(keys[0] == keys[2])
    (True, False)
    """
    if words.shape[1] == 1:
        return words[:, 0]
    return np.ascontiguousarray(words).view(np.dtype((np.void, 8 * words.shape[1])))[:, 0]


@dataclass
class _Batch:
    """Dictionaries of a batch of bases: midpoints, radii (None: floats only), variables.

    ``fresh`` marks the dictionaries whose enclosures were computed from scratch;
    it is kept only for the stacks the compiled walk leaves (the numpy path is
    told by its caller). Such a stack also has ``entries``: its bases, rows
    ``(s, p, e)`` of the dictionary ``s`` of the batch (``p = e = -1``) or its child
    by the pivot on row ``p`` and column ``e``
    (:func:`~credibility.solvers.reverse_search_kernel.walk`). Without
    ``entries`` the bases are the dictionaries, in order.
    """

    M: np.ndarray  # (S, r + 1, d + 1)
    R: np.ndarray | None  # (S, r + 1, d + 1)
    rowvar: np.ndarray  # (S, r)
    colvar: np.ndarray  # (S, d)
    fresh: np.ndarray | None = None  # (S,)
    entries: np.ndarray | None = None  # (B, 3)

    def __len__(self) -> int:
        return len(self.M) if self.entries is None else len(self.entries)

    def take(self, index: slice) -> _Batch:
        """The bases ``index`` of the batch (with the dictionaries they need only)."""
        if self.entries is None:
            return self._dictionaries(index)
        entries = self.entries[index]
        used, slots = np.unique(entries[:, 0], return_inverse=True)
        part = self._dictionaries(used)
        part.entries = np.column_stack([slots.reshape(-1), entries[:, 1:]]).astype(np.intp)
        return part

    def own_entries(self) -> np.ndarray:
        """``entries``, made up if the bases are the dictionaries."""
        if self.entries is not None:
            return self.entries
        entries = np.full((len(self.M), 3), -1, dtype=np.intp)
        entries[:, 0] = np.arange(len(self.M))
        return entries

    def _dictionaries(self, index: slice | np.ndarray) -> _Batch:
        R = None if self.R is None else self.R[index]
        fresh = None if self.fresh is None else self.fresh[index]
        return _Batch(self.M[index], R, self.rowvar[index], self.colvar[index], fresh)


def _concatenate(parts: list[_Batch]) -> _Batch:
    R = None if parts[0].R is None else np.concatenate([p.R for p in parts if p.R is not None])
    fresh = None
    if any(p.fresh is not None for p in parts):  # no flag: not fresh
        fresh = np.concatenate(
            [np.zeros(len(p.M), bool) if p.fresh is None else p.fresh for p in parts]
        )
    entries = None
    if any(p.entries is not None for p in parts):  # the references move with their pools
        offsets = np.cumsum([0] + [len(p.M) for p in parts[:-1]])
        entries = np.concatenate([p.own_entries() for p in parts])
        entries[:, 0] += np.repeat(offsets, [len(p) for p in parts])
    return _Batch(
        np.concatenate([p.M for p in parts]),
        R,
        np.concatenate([p.rowvar for p in parts]),
        np.concatenate([p.colvar for p in parts]),
        fresh,
        entries,
    )


def _interrupt_in_compiled_call(error: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C that a compiled call (numba) reported as a ``SystemError``, if it is one.

    A signal that arrives while the compiled walk runs surfaces when the call returns, as a
    ``SystemError`` ("returned a result with an exception set") caused by the
    ``KeyboardInterrupt``, or by another such ``SystemError`` (numba boxing the results):
    the caller should see the interrupt itself.
    """
    cause: BaseException | None = error
    while isinstance(cause, SystemError):
        cause = cause.__cause__ or cause.__context__
    return cause if isinstance(cause, KeyboardInterrupt) and cause is not error else None


class _Visits:
    """The bases a search and the parts it handed to other threads have visited, together."""

    def __init__(self) -> None:
        self.total = 0
        self.lock = threading.Lock()

    def add(self, count: int) -> int:
        with self.lock:
            self.total += count
            return self.total


class _Search:
    """The reverse search: a stack of float batches and a stack of exact bases."""

    def __init__(
        self,
        C: list[list[int]],
        labels: np.ndarray,
        width: int,
        limit: int,
        certified: bool,
        compiled_after: int,
    ):
        self.C = C
        self.r, self.d = r, d = len(C), len(C[0])
        self.labels, self.width, self.limit = labels, width, limit
        self.certified = certified
        self.compiled_after = compiled_after  # bases visited before the compiled walk takes over
        self.visits = _Visits()
        self.spare: threading.Semaphore | None = None  # cores to hand parts of the stack to
        self.stop: threading.Event | None = None  # set by another thread to end the search
        self.parts: list[tuple[threading.Thread, _Search, list[BaseException]]] = []
        self.report = reporter()  # the command line's progress display, if it asked
        # Label words of the visited bases whose zero set is their nonbasic set (the one basis of
        # each non-degenerate vertex), and (nonbasic set, zero set) words of the others.
        self.simple = _Labels(-(-width // 64))
        self.degenerate: list[tuple[np.ndarray, np.ndarray]] = []
        self.floats: list[_Batch] = []
        self.exact: list[ExactBasis] = []
        self.pending: list[ExactBasis] = []  # exact bases to be turned into floats
        self.doubtful: list[tuple[np.ndarray, np.ndarray]] = []  # bases to recompute
        self.doubtful_count = 0
        rowvar = list(range(d, d + r))
        colvar = list(range(d))
        floats = float_matrix(C)
        self.Cf: np.ndarray | None = None
        self.E = np.zeros(0)
        self.scale = 1.0
        if floats is None:  # C is beyond the float range: integers, and enclosures after them
            self.certified = True
            self.exact.append(exact_basis(C, rowvar, colvar))
            return
        Cf, E = self.Cf, self.E = floats
        self.scale = float(Cf.max())
        M = np.zeros((1, r + 1, d + 1))
        M[0, :r, :d] = Cf
        M[0, :r, d] = 1.0
        M[0, r, :d] = -1.0
        R = None
        if certified:
            R = np.full((1, r + 1, d + 1), _TINY)
            R[0, :r, :d] += E
        self.floats.append(_Batch(M, R, np.array([rowvar], np.int16), np.array([colvar], np.int16)))

    def run(self, stop: threading.Event | None = None) -> None:
        """Search to the end, with the parts handed to other threads (see :meth:`_hand_over`)."""
        if self.spare is not None and stop is None:
            stop = threading.Event()  # to end the parts if this search fails
        try:
            self._run(stop)
        except BaseException as error:
            if stop is not None:
                stop.set()
            self._join(raise_errors=False)  # this search's error is the one raised
            interrupt = _interrupt_in_compiled_call(error)
            if interrupt is not None:
                raise interrupt from None
            raise
        finally:
            if self.spare is not None:
                self.spare.release()  # this search's core is free for others
        self._join(raise_errors=True)

    def _join(self, raise_errors: bool) -> None:
        """Wait for the parts handed to other threads; take their bases, or raise their error."""
        while self.parts:
            thread, part, failed = self.parts.pop()
            thread.join()
            if failed and raise_errors:
                raise failed[0]
            self.simple.extend(part.simple)
            self.degenerate += part.degenerate

    def _run(self, stop: threading.Event | None) -> None:
        self.stop = stop
        while self.floats or self.exact or self.pending or self.doubtful:
            if self.stop is not None and self.stop.is_set():
                raise SearchStopped("the search was stopped before it ended")
            for _, _, failed in self.parts:
                if failed:  # past the limit in a part: the whole search is
                    raise failed[0]
            if (self.doubtful and not self.floats) or (
                self.doubtful_count >= _REFRESH and self._enclosures_waiting() < _REFRESH
            ):
                self._refresh()
            elif self.exact:
                self._exact(self.exact.pop())
                if len(self.pending) >= _BATCH or not self.exact:
                    self._flush()
            elif self.pending:
                self._flush()
            else:
                self._floats(self._pop())

    def _enclosures_waiting(self) -> int:
        """The bases on the float stack that wait as enclosures (not as a parent's pivot).

        Doubtful bases are given fresh enclosures only while these are few: until then they
        wait as their variables, a few hundred bytes each instead of 7 KB at 20 x 20.
        """
        return sum(
            len(batch) if batch.entries is None else int((batch.entries[:, 1] < 0).sum())
            for batch in self.floats
        )

    def _count(self, n: int) -> None:
        visited = self.visits.add(n)
        if self.report is not None:
            self.report(visited, None, "bases of a best-response polytope")
        if visited > self.limit:
            held = readable_size(self.limit * 8 * -(-self.width // 64))
            raise GameTooLargeError(
                f"vertex enumeration visited more than {self.limit:,} bases of one "
                f"best-response polytope, whose labels (over {held}) it would have to hold "
                "to pair them, more than the memory free for them: too many to list every "
                "extreme equilibrium; for one equilibrium use exact=False, method='lemke-howson'"
            )

    def _kernel(self) -> ModuleType | None:
        """The compiled walk, if it decides the next bases (then the search is certified)."""
        if self.visits.total < self.compiled_after:
            return None
        kernel = compiled_kernel()
        if kernel is not None and not self.certified:
            self._certify(kernel)
        return kernel

    def _certify(self, kernel: ModuleType) -> None:
        """Go on certified (faster compiled than uncertified in numpy): enclose the float stack."""
        self.certified = True
        batches, self.floats = self.floats, []
        for batch in batches:  # bottom first: the stack keeps its order
            rowvar, colvar = np.ascontiguousarray(batch.rowvar), np.ascontiguousarray(batch.colvar)
            M, R, ok = kernel.fresh_dictionaries(self.Cf, self.E, rowvar, colvar)
            if ok.any():
                fresh = np.ones(int(ok.sum()), dtype=bool)
                self.floats.append(_Batch(M[ok], R[ok], rowvar[ok], colvar[ok], fresh))
            for basic, nonbasic in zip(rowvar[~ok].tolist(), colvar[~ok].tolist()):
                self.exact.append(exact_basis(self.C, basic, nonbasic))

    def _pop(self) -> _Batch:
        """Up to ``_BATCH`` bases off the top of the float stack (the top batch when compiled)."""
        compiled = self._kernel() is not None  # before the pop: it may enclose the stack
        if compiled and self.spare is not None:
            self._hand_over()
        top = self.floats.pop()
        if compiled:
            return top
        if len(top) > _BATCH:
            self.floats.append(top.take(slice(_BATCH, None)))
            return top.take(slice(0, _BATCH))
        parts = [top]
        size = len(top)
        while self.floats and size + len(self.floats[-1]) <= _BATCH:
            parts.append(self.floats.pop())
            size += len(parts[-1])
        return top if len(parts) == 1 else _concatenate(parts)

    def _hand_over(self) -> None:
        """Give the bottom half of the float stack to a part searched on a spare core, if any.

        The entries of the stack are roots of disjoint subtrees of the reverse search tree, so
        any split of them is searched completely by the two searches together. The bottom ones
        are nearest the root, with the largest subtrees.
        """
        assert self.spare is not None
        entries = sum(len(batch) for batch in self.floats)
        if entries < 2 or not self.spare.acquire(blocking=False):
            return
        stack = _concatenate(self.floats)
        half = len(stack) // 2
        self.floats = [stack.take(slice(half, None))]
        part = _Search.__new__(_Search)
        part.__dict__.update(self.__dict__)
        part.floats, part.exact, part.pending = [stack.take(slice(0, half))], [], []
        part.doubtful, part.doubtful_count = [], 0
        part.simple, part.degenerate, part.parts = _Labels(self.simple.words), [], []
        failed: list[BaseException] = []

        def search() -> None:
            try:
                part.run(self.stop)  # it releases the core when its own stack is done
            except BaseException as error:  # handed to this search, which raises it
                failed.append(error)

        thread = threading.Thread(
            target=contextvars.copy_context().run, args=(search,), name="polytope part", daemon=True
        )
        self.parts.append((thread, part, failed))
        thread.start()

    def _record(self, colvar: np.ndarray, zero: np.ndarray | None = None) -> None:
        self._count(len(colvar))
        words = pack_labels(self.labels[colvar], self.width)
        if zero is None:  # decided in floats: a non-degenerate vertex
            self.simple.append(words)
            return
        zeros = pack_labels(self.labels[zero], self.width)
        simple = (words == zeros).all(axis=1)
        if simple.all():
            self.simple.append(words)
            return
        self.simple.append(words[simple])
        self.degenerate.append((words[~simple], zeros[~simple]))

    def _exact(self, basis: ExactBasis) -> None:
        zero, children = exact_step(basis, self.d)
        self._record(np.array([basis.colvar]), np.array([zero]))
        r, d = self.r, self.d
        for child in children:
            D = child.D
            if all(D[i][d] > 0 for i in range(r)) and all(D[r][j] != 0 for j in range(d)):
                self.pending.append(child)
            else:
                self.exact.append(child)

    def _flush(self) -> None:
        """Round the pending exact bases to float dictionaries (correctly rounded)."""
        rows, kept = [], []
        for basis in self.pending:
            try:
                rows.append([[v / basis.delta for v in row] for row in basis.D])
            except OverflowError:
                self.exact.append(basis)
                continue
            kept.append(basis)
        self.pending = []
        if not kept:
            return
        M = np.array(rows)
        R = np.abs(M) * _UNIT_ROUNDOFF + _TINY if self.certified else None
        rowvar = np.array([b.rowvar for b in kept], np.int16)
        colvar = np.array([b.colvar for b in kept], np.int16)
        self.floats.append(_Batch(M, R, rowvar, colvar))

    def _floats(self, batch: _Batch, fresh: bool = False) -> None:
        """Decide a batch in floats; doubtful bases are recomputed, then done exactly."""
        kernel = self._kernel()
        if kernel is not None:
            self._walk(kernel, batch, fresh)
            return
        if batch.R is None:
            decided = _decide_floats(batch, self.r, self.d, self.scale)
        else:
            decided = _decide(batch, self.r, self.d)
        clean, vertex, edge, pivot_row = decided
        self._record(batch.colvar[clean])
        if len(vertex):
            self.floats.append(_pivot(batch, vertex, edge, pivot_row))
        doubtful = np.flatnonzero(~clean)
        if not len(doubtful):
            return
        rowvar, colvar = batch.rowvar[doubtful], batch.colvar[doubtful]
        if fresh or not self.certified or self.Cf is None:
            for basic, nonbasic in zip(rowvar.tolist(), colvar.tolist()):
                self.exact.append(exact_basis(self.C, basic, nonbasic))
        else:
            self.doubtful.append((rowvar, colvar))
            self.doubtful_count += len(rowvar)

    def _walk(self, kernel: ModuleType, batch: _Batch, fresh: bool) -> None:
        """Decide a batch and its descendants depth first in the compiled walk, up to a budget."""
        flags = np.full(len(batch.M), fresh) if batch.fresh is None else batch.fresh
        budget = max(1, min(_WALK_BUDGET, self.limit + 1 - self.visits.total))
        words = -(-self.width // 64)
        stack = (batch.M, batch.R, batch.rowvar, batch.colvar, flags, batch.own_entries())
        M, R, rowvar, colvar, flags, entries, found, basic, nonbasic, was_fresh = kernel.walk(
            *map(np.ascontiguousarray, stack), budget, self.labels, words
        )
        _WALK_LOADED.set()
        self.simple.append(found)  # bases decided in floats: non-degenerate vertices
        if len(entries):
            self.floats.append(_Batch(M, R, rowvar, colvar, flags, entries))
        exact = was_fresh | (self.Cf is None)  # no fresh enclosure for C beyond the floats
        if not exact.all():
            self.doubtful.append((basic[~exact], nonbasic[~exact]))
            self.doubtful_count += int((~exact).sum())
        for rows, columns in zip(basic[exact].tolist(), nonbasic[exact].tolist()):
            self.exact.append(exact_basis(self.C, rows, columns))
        self._count(len(found))

    def _refresh(self) -> None:
        """Fresh enclosures for the doubtful bases (enclosures widen along paths of pivots)."""
        # At most ``_REFRESH`` at a time, the last found first (see :meth:`_enclosures_waiting`).
        taken: list[tuple[np.ndarray, np.ndarray]] = []
        size = 0
        while self.doubtful and size < _REFRESH:
            rows, columns = self.doubtful.pop()
            if size + len(rows) > _REFRESH:
                keep = len(rows) - (_REFRESH - size)
                self.doubtful.append((rows[:keep], columns[:keep]))
                rows, columns = rows[keep:], columns[keep:]
            taken.append((rows, columns))
            size += len(rows)
        self.doubtful_count -= size
        rowvar = np.concatenate([rows for rows, _ in taken])
        colvar = np.concatenate([columns for _, columns in taken])
        assert self.Cf is not None
        kernel = self._kernel()
        fresh = certified_dictionaries if kernel is None else kernel.fresh_dictionaries
        M, R, ok = fresh(self.Cf, self.E, rowvar, colvar)
        if ok.any():
            self._floats(_Batch(M[ok], R[ok], rowvar[ok], colvar[ok]), fresh=True)
        for basic, nonbasic in zip(rowvar[~ok].tolist(), colvar[~ok].tolist()):
            self.exact.append(exact_basis(self.C, basic, nonbasic))


#: Relative tolerance of the decisions of ``certified=False``.
FLOAT_TOLERANCE = 1e-9


def _decide_floats(
    batch: _Batch, r: int, d: int, scale: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Decisions in floats alone: as :func:`_decide`, with a tolerance for the radii.

    A dictionary entry's natural size is the product of a row scale (``1 /
    scale`` for a basic coordinate and the objective, 1 for a slack) and a
    column scale (``scale`` for a nonbasic coordinate, 1 for a slack and the
    right-hand side), ``scale`` the largest entry of ``C``; an entry within
    ``FLOAT_TOLERANCE`` times its size of zero, or of a tie, is doubtful.
    """
    M = batch.M
    count = len(M)
    row_scale = np.where(batch.rowvar < d, FLOAT_TOLERANCE / scale, FLOAT_TOLERANCE)
    column_scale = np.where(batch.colvar < d, scale, 1.0)
    b_m, z_m = M[:, :r, d], M[:, r, :d]
    z_tol = column_scale * (FLOAT_TOLERANCE / scale)
    clean = (b_m > row_scale).all(axis=1) & (np.abs(z_m) > z_tol).all(axis=1)
    vertex, edge = np.nonzero((z_m < 0) & clean[:, None])
    k = np.arange(len(vertex))
    with np.errstate(all="ignore"):
        col_m = M[vertex, :r, edge]
        bm = b_m[vertex]
        ratio = bm / np.maximum(col_m, 0.0)  # b > 0 here: +inf where the column is not positive
        p = ratio.argmin(axis=1)
        a_m = col_m[k, p]
        ok = a_m > row_scale[vertex, p] * column_scale[vertex, edge]
        theta = bm[k, p] / a_m
        new = col_m * theta[:, None]
        np.subtract(bm, new, out=new)
        positive = new > row_scale[vertex]
        positive[k, p] = True
        ok &= positive.all(axis=1)
        q = M[vertex, p, :d] / a_m[:, None]
        zn = z_m[vertex, edge][:, None] * q
        np.subtract(z_m[vertex], zn, out=zn)
        tolerance = z_tol[vertex]
    leaving = batch.rowvar[vertex, p]
    relevant = batch.colvar[vertex] < leaving[:, None]
    relevant[k, edge] = False
    not_child = ((zn > tolerance) & relevant).any(axis=1)
    ok &= not_child | ((np.abs(zn) > tolerance) | ~relevant).all(axis=1)
    doubtful = np.zeros(count, dtype=bool)
    doubtful[vertex[~ok]] = True
    clean &= ~doubtful
    child = ok & ~not_child & clean[vertex]
    return clean, vertex[child], edge[child], p[child]


def _decide(batch: _Batch, r: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Certified decisions for a batch.

    Returns ``clean`` (bases decided in floats) and, for their children, the
    parent's index, the entering column and the leaving row.
    """
    M, R = batch.M, batch.R
    assert R is not None
    count = len(M)
    b_m, b_r = M[:, :r, d], R[:, :r, d]
    z_m, z_r = M[:, r, :d], R[:, r, :d]
    clean = (b_m > b_r).all(axis=1) & (np.abs(z_m) > z_r).all(axis=1)
    vertex, edge = np.nonzero((z_m < 0) & clean[:, None])
    k = np.arange(len(vertex))
    u2 = 2 * _UNIT_ROUNDOFF
    with np.errstate(all="ignore"):
        col_m, col_r = M[vertex, :r, edge], R[vertex, :r, edge]
        bm = b_m[vertex]
        ratio = bm / np.maximum(col_m, 0.0)  # b > 0 here: +inf where the column is not positive
        p = ratio.argmin(axis=1)
        a_m, a_r = col_m[k, p], col_r[k, p]
        a_low = a_m - a_r
        ok = a_low > 0
        # theta = b_p / a is the step; the neighbour's basic variables are b - theta * column,
        # each enclosed with radius b_r + |column| theta_r + column_r (theta + theta_r) +
        # u (|product| + |new|). Positive if b - beta > column * theta + |column| phi +
        # column_r psi with beta = b_r + 4u b, phi = theta_r + 6u theta, psi = theta +
        # theta_r (all inflated): the extra u's cover the rounding of this very comparison.
        theta_m = bm[k, p] / a_m
        theta_r = (b_r[vertex, p] + theta_m * a_r) / a_low + _UNIT_ROUNDOFF * theta_m
        theta_r = theta_r * _INFLATE + _TINY
        phi = _INFLATE * (theta_r + 6 * _UNIT_ROUNDOFF * theta_m)
        psi = _INFLATE * (theta_m + theta_r)
        margin = b_m - _INFLATE * (b_r + 4 * _UNIT_ROUNDOFF * b_m)
        factor = np.copysign(phi[:, None], col_m)
        factor += theta_m[:, None]
        factor *= col_m
        factor += col_r * psi[:, None]
        positive = margin[vertex] > factor
        positive[k, p] = True
        ok &= positive.all(axis=1)
        # The neighbour's objective row on the columns j != e: z - z_e q with q = row p / a.
        inv_m = 1 / a_m
        inv_r = (a_r / (a_low * a_m) + _UNIT_ROUNDOFF * inv_m) * _INFLATE + _TINY
        row_m, row_r = M[vertex, p, :d], R[vertex, p, :d]
        q_m = row_m * inv_m[:, None]
        abs_q = np.abs(q_m)
        q_r = _product_radius(row_m, row_r, inv_m, inv_r, abs_q)
        ze_m, ze_r = z_m[vertex, edge], z_r[vertex, edge]
        zn_m = ze_m[:, None] * q_m
        np.subtract(z_m[vertex], zn_m, out=zn_m)
        zn_r = q_r + u2 * abs_q
        zn_r *= (_INFLATE * np.abs(ze_m))[:, None]
        zn_r += (abs_q + q_r) * (_INFLATE * ze_r)[:, None]
        zn_r += (_INFLATE * (z_r + u2 * np.abs(z_m)))[vertex]
    leaving = batch.rowvar[vertex, p]
    relevant = batch.colvar[vertex] < leaving[:, None]
    relevant[k, edge] = False
    improving = zn_m > zn_r
    settled = improving | (zn_m < -zn_r)
    # Not a child if a smaller variable certainly improves; a child if none can.
    not_child = (improving & relevant).any(axis=1)
    ok &= not_child | (settled | ~relevant).all(axis=1)
    doubtful = np.zeros(count, dtype=bool)
    doubtful[vertex[~ok]] = True
    clean &= ~doubtful
    child = ok & ~not_child & clean[vertex]
    return clean, vertex[child], edge[child], p[child]


def _product_radius(
    x_m: np.ndarray, x_r: np.ndarray, inv_m: np.ndarray, inv_r: np.ndarray, magnitude: np.ndarray
) -> np.ndarray:
    """The radius of ``x * inv`` (each row of ``x`` by its ``inv``), inflated.

    ``x`` is ``x_m`` within ``x_r`` and ``inv`` is ``inv_m`` within ``inv_r``;
    ``magnitude`` is ``|x_m * inv_m|``, the computed product's size: the radius
    ``|x| r_inv + r_x (|inv| + r_inv) + u |product|``, inflated.
    """
    radius: np.ndarray = np.abs(x_m) * inv_r[:, None]
    radius += x_r * (inv_m + inv_r)[:, None]
    radius += _UNIT_ROUNDOFF * magnitude
    radius *= _INFLATE
    radius += _TINY
    return radius


def _pivot(batch: _Batch, vertex: np.ndarray, edge: np.ndarray, row: np.ndarray) -> _Batch:
    """The children's dictionaries: interval pivots of their parents' on ``(row, edge)``.

    Every entry becomes ``t - c q`` with ``c`` the pivot column and ``q`` the
    pivot row divided by the pivot ``a``; its radius ``r_t + |c| r_q + r_c (|q|
    + r_q) + u (|c q| + |t - c q|)`` is at most ``r_t + u |t| + |c| (r_q + 2u
    |q|) + r_c (|q| + r_q)``, inflated. Row ``p`` becomes ``q``, column ``e``
    ``-c / a`` and the pivot ``1 / a``. Without radii, only the midpoints.
    """
    k = np.arange(len(vertex))
    M = batch.M[vertex]
    with np.errstate(all="ignore"):
        a_m = M[k, row, edge]
        inv_m = 1 / a_m
        row_m = M[k, row, :]
        q_m = row_m * inv_m[:, None]
        col_m = M[k, :, edge]
        column_m = -col_m * inv_m[:, None]
        R = None
        if batch.R is not None:
            R = batch.R[vertex]
            a_r = R[k, row, edge]
            inv_r = (a_r / ((a_m - a_r) * a_m) + _UNIT_ROUNDOFF * inv_m) * _INFLATE + _TINY
            row_r = R[k, row, :]
            abs_q = np.abs(q_m)
            q_r = _product_radius(row_m, row_r, inv_m, inv_r, abs_q)
            col_r = R[k, :, edge]
            column_r = _product_radius(col_m, col_r, inv_m, inv_r, np.abs(column_m))
            # The radii first: they need the old midpoints.
            work = np.abs(M)
            work *= _INFLATE * _UNIT_ROUNDOFF
            R *= _INFLATE
            R += work
            phi = _INFLATE * (q_r + 2 * _UNIT_ROUNDOFF * abs_q)
            np.multiply(np.abs(col_m)[:, :, None], phi[:, None, :], out=work)
            R += work
            np.multiply(col_r[:, :, None], (_INFLATE * (abs_q + q_r))[:, None, :], out=work)
            R += work
            R[k, row, :] = q_r
            R[k, :, edge] = column_r
            R[k, row, edge] = inv_r
            np.multiply(col_m[:, :, None], q_m[:, None, :], out=work)
            M -= work
        else:
            M -= col_m[:, :, None] * q_m[:, None, :]
        M[k, row, :] = q_m
        M[k, :, edge] = column_m
        M[k, row, edge] = inv_m
    rowvar, colvar = batch.rowvar[vertex], batch.colvar[vertex]
    entering = colvar[k, edge]
    colvar[k, edge] = rowvar[k, row]
    rowvar[k, row] = entering
    return _Batch(M, R, rowvar, colvar)
