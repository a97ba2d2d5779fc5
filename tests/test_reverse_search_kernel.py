"""The compiled walk (numba) of the certified reverse search against the numpy path.

Both paths must find the same vertices with the same label sets and the same bases (each vertex
is reported with its least basis), after visiting the same number of lexicographic bases, on the
games that strain the certified floats: random integer and float payoffs, ties and repeated
strategies (degenerate), payoffs of 10^12 with small differences and nearly parallel rows
(ill-conditioned). The compiled search also agrees with the subsets method on whole games, its
fresh enclosures contain the exact (integer) dictionaries, and an uncertified search that it
takes over ends exact. Without numba the search runs in numpy, and asking for the compiled walk
fails cleanly. Searching the two polytopes of a game in two threads (the walk releases the GIL)
gives the same equilibria in the same order as one search after the other, and the same error
when the limit is passed.
"""

import os
import random
import signal
import sys
import threading
from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pytest

import credibility.solvers
from credibility.errors import GameTooLargeError, readable_size
from credibility.solvers import complementary_pairs, reverse_search
from credibility.solvers.certified_dictionary import certified_dictionaries
from credibility.solvers.enumeration import _positive_integers, enumerate_extreme_equilibria
from credibility.solvers.exact_tableau import exact_basis
from credibility.solvers.reporting import reporting

F = Fraction

# The first use of the walk compiles it (10 to 16 s of CPU on a fresh clone, then cached): the
# whole file runs in the slow tier (`pytest -m slow`, which CI runs too).
pytestmark = pytest.mark.slow


@pytest.fixture
def numba():
    return pytest.importorskip("numba")


def polytopes(A, B):
    """The two best-response polytopes of a game, as ``(C, labels, width)``."""
    A_int = _positive_integers([[F(a) for a in row] for row in A])
    B_int = _positive_integers([[F(b) for b in row] for row in B])
    m, n = len(A), len(A[0])
    B_transposed = [list(column) for column in zip(*B_int)]
    p_labels = list(range(m + n))
    q_labels = [m + j for j in range(n)] + list(range(m))
    return [(B_transposed, p_labels, m + n), (A_int, q_labels, m + n)]


def assert_same_vertices(A, B):
    for C, labels, width in polytopes(A, B):
        compiled = reverse_search.polytope_vertices(C, labels, width, limit=10**7, compiled=True)
        numpy = reverse_search.polytope_vertices(C, labels, width, limit=10**7, compiled=False)
        assert np.array_equal(compiled.labels, numpy.labels), (A, B)
        assert np.array_equal(compiled.bases, numpy.bases), (A, B)
        assert compiled.degenerate == numpy.degenerate
        assert compiled.bases_visited == numpy.bases_visited


def integers(rng, size, span):
    return [[rng.randint(-span, span) for _ in range(size)] for _ in range(size)]


@pytest.mark.parametrize("size", [5, 7, 9, 11])
def test_random_integer_games(numba, size):
    rng = random.Random(size)
    for span in (3, 1000):
        assert_same_vertices(integers(rng, size, span), integers(rng, size, span))


@pytest.mark.parametrize("size", [6, 10])
def test_random_float_games(numba, size):
    # Binary fractions: integers near 2^60 once scaled, so C is rounded (E > 0).
    rng = random.Random(100 + size)
    A = [[rng.random() for _ in range(size)] for _ in range(size)]
    B = [[rng.random() for _ in range(size)] for _ in range(size)]
    assert_same_vertices(A, B)


@pytest.mark.slow
@pytest.mark.parametrize("family", ["int", "float"])
def test_a_random_15_by_15_game(numba, family):
    rng = random.Random(15)
    if family == "int":
        assert_same_vertices(integers(rng, 15, 1000), integers(rng, 15, 1000))
    else:
        A = [[rng.random() for _ in range(15)] for _ in range(15)]
        B = [[rng.random() for _ in range(15)] for _ in range(15)]
        assert_same_vertices(A, B)


def test_degenerate_games(numba):
    rng = random.Random(3)
    for size in (5, 7, 9):
        zero_one = [[rng.randint(0, 1) for _ in range(size)] for _ in range(size)]
        assert_same_vertices(zero_one, [[rng.randint(0, 1) for _ in range(size)] for _ in zero_one])
        A, B = integers(rng, size, 2), integers(rng, size, 2)
        A, B = ([*M, M[0], M[1]] for M in (A, B))  # repeated rows
        A, B = ([[*row, row[2]] for row in M] for M in (A, B))  # and a repeated column
        assert_same_vertices(A, B)


def test_large_magnitudes_and_near_ties(numba):
    rng = random.Random(12)
    for size in (5, 8):
        big = 10**12
        A = [[big + rng.randint(-3, 3) for _ in range(size)] for _ in range(size)]
        B = [[rng.choice([0, big - 1, big, big + 1]) for _ in range(size)] for _ in range(size)]
        assert_same_vertices(A, B)


def test_nearly_parallel_rows(numba):
    rng = random.Random(7)
    for size in (5, 8):
        base = [rng.randint(1, 100) for _ in range(size)]
        A = [[10**9 * b + rng.randint(-2, 2) for b in base] for _ in range(size)]
        B = [[10**9 * b + rng.randint(-2, 2) for b in reversed(base)] for _ in range(size)]
        assert_same_vertices(A, B)


def summary(result):
    return {(e.row, e.column, e.component) for e in result.equilibria}, result.degenerate


def test_compiled_reverse_search_agrees_with_the_subsets_method(numba, monkeypatch):
    monkeypatch.setattr(reverse_search, "_COMPILED_AFTER", 0)
    rng = random.Random(20260601)
    for index in range(40):
        m, n = rng.randint(2, 6), rng.randint(2, 6)
        span = (1, 2, 1000, 10**12)[index % 4]
        A = [[F(rng.randint(-span, span)) for _ in range(n)] for _ in range(m)]
        B = [[F(rng.randint(-span, span)) for _ in range(n)] for _ in range(m)]
        ours = enumerate_extreme_equilibria(A, B, method="reverse-search")
        assert summary(ours) == summary(enumerate_extreme_equilibria(A, B, method="subsets"))


def test_doubtful_bases_change_nothing(numba, monkeypatch):
    # Widen the enclosures of a third of the bases the walk is handed: they come back doubtful,
    # get fresh enclosures or go to the integers, and the vertices must not change.
    rng = random.Random(4)
    A, B = integers(rng, 7, 2), integers(rng, 7, 1000)
    expected = [
        reverse_search.polytope_vertices(C, labels, width, limit=10**6, compiled=False)
        for C, labels, width in polytopes(A, B)
    ]
    kernel = reverse_search.compiled_kernel()
    coin = np.random.default_rng(0)

    def doubtful_walk(M, R, rowvar, colvar, fresh, *rest):
        R = R.copy()
        R[(coin.random(len(R)) < 0.35) & ~fresh] = 1e300
        return kernel.walk(M, R, rowvar, colvar, fresh, *rest)

    doubtful = SimpleNamespace(walk=doubtful_walk, fresh_dictionaries=kernel.fresh_dictionaries)
    monkeypatch.setattr(reverse_search, "compiled_kernel", lambda: doubtful)
    monkeypatch.setattr(reverse_search, "_WALK_BUDGET", 5)
    for (C, labels, width), answer in zip(polytopes(A, B), expected):
        found = reverse_search.polytope_vertices(C, labels, width, limit=10**6, compiled=True)
        assert np.array_equal(found.labels, answer.labels)
        assert np.array_equal(found.bases, answer.bases)


def test_without_numba_the_search_runs_in_numpy(monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)
    monkeypatch.setitem(sys.modules, "credibility.solvers.reverse_search_kernel", None)
    monkeypatch.delattr(credibility.solvers, "reverse_search_kernel", raising=False)
    reverse_search.compiled_kernel.cache_clear()
    try:
        assert reverse_search.compiled_kernel() is None
        C, labels, width = polytopes(integers(random.Random(1), 7, 9), [[1] * 7] * 7)[1]
        found = reverse_search.polytope_vertices(C, labels, width, limit=10**6)
        assert len(found.labels) > 0
        with pytest.raises(ImportError, match="numba"):
            reverse_search.polytope_vertices(C, labels, width, limit=10**6, compiled=True)
    finally:
        reverse_search.compiled_kernel.cache_clear()


def test_payoffs_beyond_the_float_range(numba):
    # 10^400 does not fit a float: the search starts in integers, its float children are
    # rounded from them, and a doubtful one goes back to the integers (no fresh enclosure).
    rng = random.Random(9)
    huge = 10**400
    A, B = integers(rng, 6, 3), integers(rng, 6, 3)
    scaled = [[huge * a + rng.randint(0, 9) for a in row] for row in A]
    assert_same_vertices(scaled, [[huge * b for b in row] for row in B])


def random_bases(rng, r, d, count):
    """Random bases (feasible or not): ``k`` basic coordinates and ``k`` tight rows."""
    rowvars, colvars = [], []
    for _ in range(count):
        k = rng.randint(0, min(r, d))
        K = rng.sample(range(d), k)
        J = rng.sample(range(r), k)
        rowvars.append(K + [d + i for i in range(r) if i not in J])
        colvars.append([j for j in range(d) if j not in K] + [d + i for i in J])
    return np.array(rowvars, np.int16), np.array(colvars, np.int16)


@pytest.mark.parametrize("family", ["int", "float", "near"])
def test_fresh_enclosures_contain_the_exact_dictionaries(numba, family):
    rng = random.Random(family)
    kernel = reverse_search.compiled_kernel()
    r, d = 7, 6
    if family == "int":
        C = [[rng.randint(1, 2000) for _ in range(d)] for _ in range(r)]
    elif family == "float":  # integers near 2^60: rounded (E > 0)
        C = _positive_integers([[F(rng.random()) for _ in range(d)] for _ in range(r)])
    else:  # nearly parallel rows: ill-conditioned
        base = [rng.randint(1, 99) for _ in range(d)]
        C = [[10**9 * b + rng.randint(0, 3) for b in base] for _ in range(r)]
    Cf, E = reverse_search.float_matrix(C)
    rowvar, colvar = random_bases(rng, r, d, 120)
    M, R, ok = kernel.fresh_dictionaries(Cf, E, rowvar, colvar)
    M_numpy, R_numpy, ok_numpy = certified_dictionaries(Cf, E, rowvar, colvar)
    assert ok.any()
    for t in np.flatnonzero(ok):
        try:
            basis = exact_basis(C, rowvar[t].tolist(), colvar[t].tolist())
        except ValueError:  # singular: no enclosure may claim it
            raise AssertionError("an enclosure of a singular basis") from None
        for i, row in enumerate(basis.D):
            for j, value in enumerate(row):
                assert abs(F(M[t, i, j]) - F(value, basis.delta)) <= F(R[t, i, j])
        if ok_numpy[t]:  # both enclose the same dictionary: their intervals meet
            assert (np.abs(M[t] - M_numpy[t]) <= R[t] + R_numpy[t]).all()


def test_an_uncertified_search_goes_on_certified_in_the_compiled_walk(numba, monkeypatch):
    # Uncertified numpy for the first 40 bases, then the stack is enclosed afresh and the
    # compiled walk finishes the search, certified: the vertices are exact.
    monkeypatch.setattr(reverse_search, "_COMPILED_AFTER", 40)
    monkeypatch.setattr(reverse_search, "_COMPILED_AFTER_LOADED", 40)  # the walk runs below
    rng = random.Random(6)
    for span in (2, 1000):
        for C, labels, width in polytopes(integers(rng, 8, span), integers(rng, 8, span)):
            search = reverse_search.polytope_vertices
            exact = search(C, labels, width, limit=10**6, compiled=False)
            floats = search(C, labels, width, limit=10**6, certified=False)
            assert np.array_equal(floats.labels, exact.labels)
            assert np.array_equal(floats.bases, exact.bases)
            assert floats.bases_visited == exact.bases_visited


# -- the two polytopes searched in two threads --------------------------------------------------


def both_ways(monkeypatch, A, B, limit, exact=True):
    """``extreme_pairs`` threaded and one search after the other, and the threads that reported.

    Each answer is ``(list of (equilibrium, vertex indices), degenerate)`` in the dict's order,
    or the error raised.
    """
    A_int = _positive_integers([[F(a) for a in row] for row in A])
    B_int = _positive_integers([[F(b) for b in row] for row in B])
    answers, reporters = [], []
    for threshold in (0, 10**9):  # threaded, then sequential
        monkeypatch.setattr(complementary_pairs, "_THREADED_FROM", threshold)
        names = set()
        with reporting(lambda *_, names=names: names.add(threading.current_thread().name)):
            try:
                found, degenerate, _ = complementary_pairs.extreme_pairs(
                    A_int, B_int, limit, exact=exact
                )
                answers.append((list(found.items()), degenerate))
            except GameTooLargeError as error:
                answers.append(error)
        reporters.append(names)
    searches = {"polytope Q", "polytope part"}
    assert not [t for t in threading.enumerate() if t.name in searches], "a search outlived"
    return answers, reporters


def random_game(rng, m, n, family):
    if family == "float":
        return ([[rng.random() for _ in range(n)] for _ in range(m)] for _ in "AB")
    if family == "zero-one":
        return ([[rng.randint(0, 1) for _ in range(n)] for _ in range(m)] for _ in "AB")
    span = {"int": 1000, "ties": 2}[family]
    return ([[rng.randint(-span, span) for _ in range(n)] for _ in range(m)] for _ in "AB")


@pytest.mark.parametrize(
    ("m", "n", "family"),
    [(8, 8, "int"), (9, 11, "ties"), (10, 10, "zero-one"), (11, 9, "float"), (12, 12, "ties")],
)
def test_threaded_searches_give_the_sequential_answer(numba, monkeypatch, m, n, family):
    # The compiled walk from the first basis, in small steps: both threads run it (without the
    # GIL) and interleave, and the answer must be identical, order and degeneracy flag included.
    monkeypatch.setattr(reverse_search, "_COMPILED_AFTER", 0)
    monkeypatch.setattr(reverse_search, "_WALK_BUDGET", 64)
    A, B = random_game(random.Random(f"{m} {n} {family}"), m, n, family)
    for exact in (True, False):
        (threaded, sequential), (names, _) = both_ways(monkeypatch, A, B, 10**7, exact)
        assert threaded == sequential
        assert threaded[0], "every game has an equilibrium"
        assert threaded[1] == (family in ("ties", "zero-one"))
        assert (
            {"MainThread", "polytope Q"} <= names <= {"MainThread", "polytope Q", "polytope part"}
        )


@pytest.mark.parametrize("transpose", [False, True])
def test_the_limit_stops_the_threaded_searches_with_the_same_error(numba, monkeypatch, transpose):
    # A non-square game: its polytopes differ in size. A limit between them fails the larger
    # search only (P's in the calling thread, or Q's in the second one); below both, both fail.
    monkeypatch.setattr(reverse_search, "_COMPILED_AFTER", 0)
    monkeypatch.setattr(reverse_search, "_WALK_BUDGET", 64)
    A, B = random_game(random.Random(11), 8, 12, "int")
    if transpose:
        A, B = ([list(column) for column in zip(*M)] for M in (B, A))
    sizes = [
        reverse_search.polytope_vertices(C, labels, width, limit=10**7).bases_visited
        for C, labels, width in polytopes(A, B)
    ]
    assert sizes[0] != sizes[1]
    assert (sizes[0] > sizes[1]) == transpose, "the larger search is P's, then Q's"
    for limit in (min(sizes), 50):
        (threaded, sequential), _ = both_ways(monkeypatch, A, B, limit)
        assert isinstance(threaded, GameTooLargeError)
        message = (
            f"vertex enumeration visited more than {limit:,} bases of one best-response "
            f"polytope, whose labels (over {readable_size(limit * 8)}) it would have to "
            "hold to pair them, more than "
            "the memory free for them: too many to list every extreme equilibrium; for one "
            "equilibrium use exact=False, method='lemke-howson'"
        )
        assert str(threaded) == str(sequential) == message
    (threaded, sequential), _ = both_ways(monkeypatch, A, B, max(sizes))
    assert threaded == sequential and threaded[0]


def test_a_stopped_search_ends_early(numba, monkeypatch):
    monkeypatch.setattr(reverse_search, "_COMPILED_AFTER", 0)
    C, labels, width = polytopes(*random_game(random.Random(2), 10, 10, "int"))[0]
    stop = threading.Event()
    done = reverse_search.polytope_vertices(C, labels, width, limit=10**7, stop=stop)
    assert len(done.labels) > 0
    stop.set()
    with pytest.raises(reverse_search.SearchStopped):
        reverse_search.polytope_vertices(C, labels, width, limit=10**7, stop=stop)


# -- a search that hands parts of its stack to a spare core ------------------------------------


def _spare_cores(semaphore):
    count = 0
    while semaphore.acquire(blocking=False):
        count += 1
    return count


@pytest.mark.parametrize("family", ["int", "ties", "float"])
def test_parts_on_a_spare_core_give_the_same_vertices(numba, monkeypatch, family):
    # Small walks, so that the search hands over parts of its stack many times (and the parts
    # hand over parts of theirs); the vertices, their bases and the count are those of one search.
    monkeypatch.setattr(reverse_search, "_COMPILED_AFTER", 0)
    monkeypatch.setattr(reverse_search, "_WALK_BUDGET", 64)
    monkeypatch.setattr(reverse_search, "_LABEL_BLOCK", 50)  # the parts' stores joined in blocks
    handed = []
    hand_over = reverse_search._Search._hand_over

    def counted(search):
        before = len(search.parts)
        hand_over(search)
        handed.append(len(search.parts) > before)

    monkeypatch.setattr(reverse_search._Search, "_hand_over", counted)
    A, B = random_game(random.Random(f"spare {family}"), 11, 11, family)
    for C, labels, width in polytopes(A, B):
        alone = reverse_search.polytope_vertices(C, labels, width, limit=10**7)
        spare = threading.Semaphore(1)
        split = reverse_search.polytope_vertices(C, labels, width, limit=10**7, spare=spare)
        assert np.array_equal(split.labels, alone.labels)
        assert np.array_equal(split.bases, alone.bases)
        assert (split.bases_visited, split.degenerate) == (alone.bases_visited, alone.degenerate)
        assert _spare_cores(spare) == 2  # the spare one back, and the search's own
    assert sum(handed) >= 4
    assert not [t for t in threading.enumerate() if t.name == "polytope part"]


def test_the_walk_keeps_children_as_pivots_until_they_are_popped(numba):
    # A walk cut short leaves children waiting as (parent, row, column): the dictionaries kept
    # are the parents on the path and the bases still to decide, far fewer than the entries.
    kernel = reverse_search.compiled_kernel()
    C, labels, width = polytopes(*random_game(random.Random(9), 12, 12, "int"))[1]
    search = reverse_search._Search(C, np.array(labels), width, 10**7, True, 0)
    root = search.floats.pop()
    stack = [root.M, root.R, root.rowvar, root.colvar, np.zeros(1, bool), root.own_entries()]
    waiting, kept = [], []
    for _ in range(20):
        *stack, _, _, _, _ = kernel.walk(*stack, 40, search.labels, 1)
        entries = stack[5]
        waiting.append(int((entries[:, 1] >= 0).sum()))
        kept.append(len(np.unique(entries[:, 0])))
    assert max(waiting) > 2 * max(kept)  # eager children: one dictionary each
    assert all(k <= w + 1 for k, w in zip(kept, waiting))


def test_the_limit_stops_a_search_and_its_parts_with_the_same_error(numba, monkeypatch):
    monkeypatch.setattr(reverse_search, "_COMPILED_AFTER", 0)
    monkeypatch.setattr(reverse_search, "_WALK_BUDGET", 64)
    C, labels, width = polytopes(*random_game(random.Random(5), 11, 11, "int"))[0]
    size = reverse_search.polytope_vertices(C, labels, width, limit=10**7).bases_visited
    for limit in (size // 2, size - 1):
        spare = threading.Semaphore(1)
        with pytest.raises(GameTooLargeError, match=f"more than {limit:,} bases"):
            reverse_search.polytope_vertices(C, labels, width, limit=limit, spare=spare)
        assert not [t for t in threading.enumerate() if t.name == "polytope part"]
        assert _spare_cores(spare) == 2
    done = reverse_search.polytope_vertices(
        C, labels, width, limit=size, spare=threading.Semaphore(1)
    )
    assert done.bases_visited == size


def test_ctrl_c_in_the_compiled_walk_is_a_keyboard_interrupt(numba, monkeypatch):
    # numba reports a signal that arrives during a compiled call as a SystemError caused by the
    # KeyboardInterrupt; the search raises the interrupt itself (the command line exits 130).
    small = polytopes(*random_game(random.Random(6), 6, 6, "int"))[0]
    reverse_search.polytope_vertices(*small, limit=10**7, compiled=True)  # the walk loaded
    monkeypatch.setattr(reverse_search, "_WALK_BUDGET", 1 << 21)  # long compiled calls
    C, labels, width = polytopes(*random_game(random.Random(18), 18, 18, "int"))[0]
    calls = []
    walk = reverse_search._Search._walk

    def counted(search, *args):
        calls.append(1)
        walk(search, *args)

    monkeypatch.setattr(reverse_search._Search, "_walk", counted)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            reverse_search.polytope_vertices(C, labels, width, limit=10**8, compiled=True)
    finally:
        timer.cancel()
    assert calls
