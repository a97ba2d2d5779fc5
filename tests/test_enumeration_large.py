"""Reverse search (the method for large games) against the subsets method and Gambit's corpus.

Both exact methods must give identical extreme equilibria, components and degeneracy flags on
every game; the property tests draw the games that break float arithmetic: ties, duplicated
strategies, constant payoffs, payoffs of 10^15, 10^30 and beyond the float range, tiny ones,
float payoffs (huge denominators) and near ties at large magnitudes.
"""

import json
import random
import threading
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credibility.errors import GameTooLargeError
from credibility.models import Bimatrix
from credibility.solvers import complementary_pairs, enumeration, reverse_search
from credibility.solvers.enumeration import _positive_integers, enumerate_extreme_equilibria
from credibility.solvers.nash import is_equilibrium, solve_bimatrix
from credibility.solvers.reporting import reporting

F = Fraction
CORPUS = json.loads((Path(__file__).parent / "data" / "gambit_corpus.json").read_text())["games"]


def matrix(rows):
    return [[F(x) for x in row] for row in rows]


def summary(result):
    """Profiles, components (as sets of profiles), the degeneracy flag and the count."""
    groups = {}
    for e in result.equilibria:
        groups.setdefault(e.component, set()).add((e.row, e.column))
    profiles = {(e.row, e.column) for e in result.equilibria}
    parts = sorted(map(frozenset, groups.values()), key=sorted)
    return profiles, parts, result.degenerate, len(result.equilibria)


def assert_same(A, B):
    """Reverse search agrees with the subsets method; every equilibrium checks exactly."""
    ours = enumerate_extreme_equilibria(A, B, method="reverse-search")
    reference = enumerate_extreme_equilibria(A, B, method="subsets")
    assert summary(ours) == summary(reference), (A, B)
    for e in ours.equilibria:
        assert is_equilibrium(A, B, e.row, e.column)
    return ours


# -- deterministic cross-checks ---------------------------------------------------------------


def test_agrees_with_the_subsets_method_on_random_games():
    rng = random.Random(20260601)
    degenerate = 0
    for index in range(240):
        m, n = rng.randint(1, 6), rng.randint(1, 6)
        span = (1, 2, 3, 10, 1000)[index % 5]
        A = [[F(rng.randint(-span, span)) for _ in range(n)] for _ in range(m)]
        B = [[F(rng.randint(-span, span)) for _ in range(n)] for _ in range(m)]
        degenerate += assert_same(A, B).degenerate
    assert degenerate > 60, "the sample should be heavily degenerate"


@pytest.mark.parametrize("size", [7, 8])
def test_agrees_on_float_payoffs(size):
    # Float payoffs are exact binary fractions: integers near 2^60 once scaled.
    rng = random.Random(size)
    A = [[F(rng.random()) for _ in range(size)] for _ in range(size)]
    B = [[F(rng.random()) for _ in range(size)] for _ in range(size)]
    assert not assert_same(A, B).degenerate


def test_agrees_on_a_degenerate_game_with_components():
    rng = random.Random(3)
    A = [[F(rng.randint(0, 1)) for _ in range(6)] for _ in range(6)]
    B = [[F(rng.randint(0, 1)) for _ in range(6)] for _ in range(6)]
    result = assert_same(A, B)
    assert result.degenerate
    assert len({e.component for e in result.equilibria}) < len(result.equilibria)


def profile(strings):
    return tuple(tuple(F(p) for p in strategy) for strategy in strings)


def test_gambit_corpus_by_reverse_search():
    for index, game in enumerate(CORPUS):
        A, B = matrix(game["A"]), matrix(game["B"])
        theirs = {profile(e) for e in game["equilibria"]}
        result = enumerate_extreme_equilibria(A, B, method="reverse-search")
        ours = {(e.row, e.column) for e in result.equilibria}
        assert ours == theirs, f"corpus game {index} ({game['family']})"
        assert len(result.equilibria) == len(ours)


def test_more_than_64_labels():
    # 2 x 70: the labels of a vertex take two 64-bit words.
    rng = random.Random(5)
    A = [[F(rng.randint(-2, 2)) for _ in range(70)] for _ in range(2)]
    B = [[F(rng.randint(-2, 2)) for _ in range(70)] for _ in range(2)]
    assert_same(A, B)
    assert_same([list(c) for c in zip(*B)], [list(c) for c in zip(*A)])


def test_payoffs_beyond_the_float_range():
    # 10^400 does not fit a float: the search runs in integers from the root on.
    A, B = [[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]  # von Stengel's degenerate game
    base = enumerate_extreme_equilibria(matrix(A), matrix(B), method="subsets")
    huge = 10**400
    scaled = enumerate_extreme_equilibria(
        matrix([[huge * a - 7 for a in row] for row in A]),
        matrix([[huge * b + 1 for b in row] for row in B]),
        method="reverse-search",
    )
    assert summary(scaled) == summary(base)


def test_doubtful_bases_change_nothing(monkeypatch):
    # Declare a third of the bases the floats could decide doubtful: they go to fresh
    # enclosures and then to the integers, and the answer must not change.
    coin = random.Random(0)
    decide = reverse_search._decide

    def doubtful_decide(batch, r, d):
        clean, vertex, edge, row = decide(batch, r, d)
        doubt = np.array([coin.random() < 0.35 for _ in range(len(clean))], dtype=bool)
        keep = ~doubt[vertex]
        return clean & ~doubt, vertex[keep], edge[keep], row[keep]

    rng = random.Random(8)
    games = []
    for span in (1, 2, 1000, 1000):
        A = [[F(rng.randint(-span, span)) for _ in range(6)] for _ in range(6)]
        B = [[F(rng.randint(-span, span)) for _ in range(6)] for _ in range(6)]
        games.append((A, B))
    expected = [summary(enumerate_extreme_equilibria(A, B, method="subsets")) for A, B in games]
    monkeypatch.setattr(reverse_search, "_decide", doubtful_decide)
    for (A, B), answer in zip(games, expected):
        assert summary(enumerate_extreme_equilibria(A, B, method="reverse-search")) == answer


def test_the_label_store_keeps_every_row_in_order_across_blocks(monkeypatch):
    monkeypatch.setattr(reverse_search, "_LABEL_BLOCK", 3)
    rows = np.arange(20, dtype="<u8").reshape(10, 2)
    store, other = reverse_search._Labels(2), reverse_search._Labels(2)
    store.append(rows[:2])
    store.append(rows[2:2])  # nothing
    store.append(rows[2:7])  # across two blocks
    other.append(rows[7:])
    block = other.block
    store.extend(other)
    assert any(np.shares_memory(chunk, block) for chunk in store.chunks), "taken, not copied"
    assert len(store) == 10 and len(other) == 0
    store.append(rows[:1])  # after a partly filled block, in a block of its own
    assert store.gathered().tolist() == rows.tolist() + rows[:1].tolist()
    assert len(store) == 0 and store.gathered().shape == (0, 2)


@pytest.mark.parametrize("span, m, n", [(1000, 8, 8), (1, 8, 8), (1000, 66, 2), (2, 66, 2)])
def test_small_label_blocks_give_the_same_vertices(monkeypatch, span, m, n):
    # Blocks of a few rows: every boundary case of the store on the way (nondegenerate, ties and
    # degenerate vertices, more than 64 labels) gives the vertices of one block, in the same order.
    rng = random.Random(f"blocks {span} {m}")
    B = [[rng.randint(1, span + 1) for _ in range(n)] for _ in range(m)]
    C = [list(column) for column in zip(*B)]  # the polytope P of a game with payoffs B
    whole = reverse_search.polytope_vertices(C, list(range(m + n)), m + n, limit=10**6)
    monkeypatch.setattr(reverse_search, "_LABEL_BLOCK", 7)
    blocks = reverse_search.polytope_vertices(C, list(range(m + n)), m + n, limit=10**6)
    assert np.array_equal(blocks.labels, whole.labels)
    assert np.array_equal(blocks.bases, whole.bases)
    assert (blocks.degenerate, blocks.bases_visited) == (whole.degenerate, whole.bases_visited)
    assert len(whole.labels) > 7 and whole.labels.shape[1] == (m + n + 63) // 64
    keys = reverse_search.label_keys(whole.labels)
    assert np.array_equal(np.unique(keys), keys), "distinct and in increasing order"
    assert whole.degenerate == (span < 1000)


def test_a_stack_of_pending_children_splits_with_the_dictionaries_it_needs():
    # Dictionary k is filled with k; entries refer to dictionaries 0, 2 and 3 (1 is free).
    pool = np.arange(4.0)[:, None, None] * np.ones((4, 2, 2))
    entries = np.array([[3, -1, -1], [0, 1, 0], [2, 0, 1], [0, 0, 1]])
    variables = np.arange(4, dtype=np.int16)[:, None]
    batch = reverse_search._Batch(pool, pool, variables, variables, np.arange(4) == 3, entries)
    assert len(batch) == 4
    bottom, top = batch.take(slice(0, 2)), batch.take(slice(2, None))
    for part, rows in ((bottom, entries[:2]), (top, entries[2:])):
        assert part.entries is not None
        assert part.M[part.entries[:, 0], 0, 0].tolist() == rows[:, 0].tolist()
        assert part.entries[:, 1:].tolist() == rows[:, 1:].tolist()
    assert bottom.fresh is not None and bottom.fresh.tolist() == [False, True]
    assert len(bottom.M) == 2 and len(top.M) == 2  # only what each part refers to
    joined = reverse_search._concatenate([top, bottom])
    assert joined.entries is not None
    assert joined.M[joined.entries[:, 0], 0, 0].tolist() == [2, 0, 3, 0]
    plain = reverse_search._Batch(pool[:1], pool[:1], variables[:1], variables[:1])
    mixed = reverse_search._concatenate([plain, bottom])
    assert mixed.entries is not None and mixed.entries[0].tolist() == [0, -1, -1]
    assert mixed.M[mixed.entries[1:, 0], 0, 0].tolist() == [3, 0]


def test_too_many_bases_are_refused(monkeypatch):
    monkeypatch.setattr(enumeration, "MAX_BASES", 20)
    rng = random.Random(1)
    A = [[F(rng.randint(-99, 99)) for _ in range(5)] for _ in range(5)]
    with pytest.raises(GameTooLargeError, match="more than 20 bases"):
        enumerate_extreme_equilibria(A, A, method="reverse-search")


def test_by_default_the_bound_is_the_memory_free(monkeypatch):
    # No bound on time: a search is refused only when the labels it must hold (8 bytes a basis,
    # twice that while sorted, two polytopes at once) would not fit in the memory free.
    assert enumeration.MAX_BASES is None
    free = reverse_search._free_memory()
    assert 0 < free <= 1 << 50
    assert reverse_search.bases_in_memory(40) == max(1000, free // 40)
    assert reverse_search.bases_in_memory(100) == max(1000, free // 80)  # two words a basis
    rng = random.Random(1)
    A = [[F(rng.randint(-99, 99)) for _ in range(12)] for _ in range(12)]
    B = [[F(rng.randint(-99, 99)) for _ in range(12)] for _ in range(12)]
    assert enumerate_extreme_equilibria(A, B, method="reverse-search").equilibria
    monkeypatch.setattr(reverse_search, "_free_memory", lambda: 40 * 1000)  # 1,000 bases
    with pytest.raises(GameTooLargeError, match=r"more than 1,000 bases .*over 8 kB.* memory free"):
        enumerate_extreme_equilibria(A, B, method="reverse-search")


def test_threaded_polytope_searches_give_the_sequential_answer(monkeypatch):
    # Numpy batches only (no numba compilation): two threads taking turns at the GIL must give
    # the same equilibria in the same order, report the sum of both counts, and hand on the
    # limit's error from either thread. The compiled walk's turn is in test_reverse_search_kernel.
    monkeypatch.setattr(complementary_pairs, "compiled_kernel_installed", lambda: True)
    rng = random.Random(8)
    degenerate_games = 0
    for m, n, span in [(7, 7, 1000), (6, 8, 2), (8, 6, 1)]:
        A = _positive_integers([[F(rng.randint(-span, span)) for _ in range(n)] for _ in range(m)])
        B = _positive_integers([[F(rng.randint(-span, span)) for _ in range(n)] for _ in range(m)])
        answers, reports = [], []
        for threshold in (0, 10**9):  # threaded, then sequential
            monkeypatch.setattr(complementary_pairs, "_THREADED_FROM", threshold)
            seen: list[tuple[int, str]] = []
            with reporting(lambda done, _, unit, seen=seen: seen.append((done, unit))):
                found, degenerate, _ = complementary_pairs.extreme_pairs(A, B, 10**6)
            answers.append((list(found.items()), degenerate))
            reports.append(seen)
        assert answers[0] == answers[1] and answers[0][0]
        degenerate_games += answers[0][1]
        for seen in reports:  # one rising count, to the bases of both polytopes
            counts = [done for done, _ in seen]
            assert counts == sorted(counts)
            assert {unit for _, unit in seen} == {"bases of a best-response polytope"}
        assert reports[0][-1] == reports[1][-1]
        P = reverse_search.polytope_vertices(
            [list(column) for column in zip(*B)], list(range(m + n)), m + n, limit=10**6
        ).bases_visited
        Q = reverse_search.polytope_vertices(
            A, [m + j for j in range(n)] + list(range(m)), m + n, limit=10**6
        ).bases_visited
        assert reports[0][-1][0] == P + Q
        assert P != Q
        for limit in (min(P, Q), 10):  # the larger search fails (either thread), then both
            with pytest.raises(GameTooLargeError, match=f"more than {limit:,} bases"):
                complementary_pairs.extreme_pairs(A, B, limit)
    assert degenerate_games >= 2, "ties: degenerate vertices"
    assert not [t for t in threading.enumerate() if t.name == "polytope Q"]


def test_unknown_method():
    with pytest.raises(ValueError, match="unknown method 'lrs'"):
        enumerate_extreme_equilibria([[F(1)]], [[F(1)]], method="lrs")


# -- floats only --------------------------------------------------------------------------------


def rounded(result):
    return sorted(
        tuple(round(float(p), 9) + 0.0 for p in e.row + e.column) for e in result.equilibria
    )


def test_floats_agree_with_exact_on_random_games():
    rng = random.Random(11)
    for index in range(60):
        m, n = rng.randint(2, 6), rng.randint(2, 6)
        span = (1, 2, 1000)[index % 3]
        A = [[F(rng.randint(-span, span)) for _ in range(n)] for _ in range(m)]
        B = [[F(rng.randint(-span, span)) for _ in range(n)] for _ in range(m)]
        exact = enumerate_extreme_equilibria(A, B, method="reverse-search")
        floats = enumerate_extreme_equilibria(A, B, exact=False, method="reverse-search")
        assert all(isinstance(p, float) for e in floats.equilibria for p in e.row + e.column)
        assert rounded(floats) == rounded(exact), (A, B)
        assert floats.degenerate == exact.degenerate
        assert [e.component for e in floats.equilibria] == [e.component for e in exact.equilibria]


def test_solve_bimatrix_in_floats():
    rng = random.Random(2)
    A = [[rng.randint(-9, 9) for _ in range(8)] for _ in range(8)]
    B = [[rng.randint(-9, 9) for _ in range(8)] for _ in range(8)]
    game = Bimatrix.from_arrays(A, B)
    floats, exact = solve_bimatrix(game, exact=False), solve_bimatrix(game)
    assert not floats.exact and floats.complete
    assert all(isinstance(p, float) for e in floats.equilibria for p in e.row)
    assert sorted(tuple(round(p, 9) for p in e.row + e.column) for e in floats.equilibria) == (
        sorted(tuple(round(float(p), 9) for p in e.row + e.column) for e in exact.equilibria)
    )


# -- properties: games built to break the float arithmetic --------------------------------------


@st.composite
def games(draw, entry, max_size=5):
    m, n = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))
    rows = st.lists(st.lists(entry, min_size=n, max_size=n), min_size=m, max_size=m)
    return matrix(draw(rows)), matrix(draw(rows))


@settings(max_examples=60, deadline=None)
@given(games(st.integers(0, 1)))
def test_ties(game):
    assert_same(*game)


@settings(max_examples=40, deadline=None)
@given(games(st.integers(-3, 3), max_size=4), st.data())
def test_duplicated_rows_and_columns(game, data):
    A, B = game
    rows = data.draw(st.lists(st.integers(0, len(A) - 1), max_size=2))
    columns = data.draw(st.lists(st.integers(0, len(A[0]) - 1), max_size=2))
    A, B = ([*M, *(M[i] for i in rows)] for M in (A, B))
    A, B = ([[*row, *(row[j] for j in columns)] for row in M] for M in (A, B))
    assert_same(A, B)


@settings(max_examples=30, deadline=None)
@given(games(st.integers(-3, 3)), st.integers(-5, 5), st.booleans())
def test_constant_payoffs(game, value, both):
    A, B = game
    constant = [[F(value)] * len(A[0]) for _ in A]
    assert_same(constant, constant if both else B)


magnitude = st.sampled_from(
    [F(10**15), F(10**30), F(1e15), F(1, 10**18), F(3, 7) * 10**30, F(2) ** -60]
)
shift = st.sampled_from([F(0), F(-(10**30)), F(10**15) + F(1, 3), F(1, 10**20)])


@settings(max_examples=40, deadline=None)
@given(games(st.integers(-3, 3), max_size=4), magnitude, shift, magnitude, shift)
def test_huge_and_tiny_magnitudes(game, a, b, c, d):
    A, B = game
    scaled = [[a * x + b for x in row] for row in A], [[c * x + d for x in row] for row in B]
    ours = assert_same(*scaled)
    base = enumerate_extreme_equilibria(A, B, method="subsets")
    assert summary(ours) == summary(base)


@settings(max_examples=30, deadline=None)
@given(games(st.floats(-1, 1, allow_subnormal=False, width=64).map(F), max_size=5))
def test_float_payoffs(game):
    assert_same(*game)


@st.composite
def near_ties(draw):
    """Payoffs 0 or K-s..K+s: tiny mixtures and nearly tied slacks (ill-conditioned)."""
    m, n = draw(st.integers(2, 5)), draw(st.integers(2, 5))
    K, s = draw(st.integers(1_000, 10**12)), draw(st.integers(1, 10))
    entry = st.one_of(st.just(0), st.integers(K - s, K + s))
    rows = st.lists(st.lists(entry, min_size=n, max_size=n), min_size=m, max_size=m)
    return matrix(draw(rows)), matrix(draw(rows))


@settings(max_examples=40, deadline=None)
@given(near_ties())
def test_near_ties(game):
    assert_same(*game)


def test_the_walk_takes_over_sooner_once_numbas_cache_of_it_is_on_disk(monkeypatch, tmp_path):
    monkeypatch.setattr(reverse_search, "__file__", str(tmp_path / "reverse_search.py"))
    reverse_search._walk_cached.cache_clear()
    try:
        assert reverse_search._compiled_after() == 200_000  # a compile to wait for: later
        (tmp_path / "__pycache__").mkdir()
        (tmp_path / "__pycache__" / "reverse_search_kernel.walk-187.py311.nbi").touch()
        reverse_search._walk_cached.cache_clear()
        assert reverse_search._compiled_after() == 5_000
        monkeypatch.setattr(reverse_search, "_COMPILED_AFTER", 40)  # as the kernel tests set it
        assert reverse_search._compiled_after() == 40
    finally:
        reverse_search._walk_cached.cache_clear()


def test_the_walk_takes_over_from_the_first_basis_once_it_has_run_in_the_process(monkeypatch):
    assert not reverse_search._WALK_LOADED.is_set()  # each test starts cold (conftest)
    assert reverse_search._compiled_after() >= 5_000
    reverse_search._WALK_LOADED.set()
    assert reverse_search._compiled_after() == 0
    monkeypatch.setattr(reverse_search, "_COMPILED_AFTER_LOADED", 40)
    assert reverse_search._compiled_after() == 40
