"""Exact enumeration against a stored corpus of Gambit's answers (no pygambit needed).

tests/data/gambit_corpus.json holds about 300 seeded games from the families where exact
enumeration is easy to get wrong (degenerate games, near ties, huge and tiny payoffs, repeated
strategies, large denominators, wide and larger games) with the extreme equilibria
pygambit's ``enummixed_solve(rational=True)`` found; tests/data/make_gambit_corpus.py writes it.
"""

import json
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from credibility.solvers.enumeration import enumerate_extreme_equilibria

CORPUS = json.loads((Path(__file__).parent / "data" / "gambit_corpus.json").read_text())
GAMES = CORPUS["games"]
FAMILIES = {
    "small-range": 65,
    "near-tie": 100,
    "scaled-shifted": 40,
    "duplicated": 32,
    "large-denominators": 32,
    "wide": 24,
    "large": 8,
}


def matrix(rows):
    return [[Fraction(x) for x in row] for row in rows]


def profile(strings):
    return tuple(tuple(Fraction(p) for p in strategy) for strategy in strings)


def show(profiles):
    return "; ".join(
        "(" + ", ".join(map(str, x)) + ") / (" + ", ".join(map(str, y)) + ")"
        for x, y in sorted(profiles)
    )


def test_the_corpus_holds_every_family():
    assert CORPUS["header"]["games"] == len(GAMES)
    counts = Counter(game["family"] for game in GAMES)
    for family, at_least in FAMILIES.items():
        assert counts[family] >= at_least, (family, counts)
    assert set(counts) == set(FAMILIES)


def test_scaled_games_are_positive_affine_maps_of_their_base_games():
    # Gambit solved the base game (it gives up on payoffs near 2^31); the equilibria carry over
    # only if every payoff of a player goes through the same map a x + c with a > 0.
    scaled = [game for game in GAMES if game["family"] == "scaled-shifted"]
    assert scaled
    for game in scaled:
        for player, (a, c) in zip("AB", game["maps"], strict=True):
            a, c = Fraction(a), Fraction(c)
            assert a > 0
            base = matrix(game["base"][player])
            assert matrix(game[player]) == [[a * x + c for x in row] for row in base]
    assert max(abs(Fraction(x)) for g in scaled for row in g["A"] + g["B"] for x in row) > 10**12


@pytest.mark.parametrize(
    "index", [pytest.param(i, id=f"{i}-{game['family']}") for i, game in enumerate(GAMES)]
)
def test_same_extreme_equilibria_as_gambit(index):
    game = GAMES[index]
    A, B = matrix(game["A"]), matrix(game["B"])
    theirs = {profile(e) for e in game["equilibria"]}
    result = enumerate_extreme_equilibria(A, B)
    ours = {(e.row, e.column) for e in result.equilibria}
    where = f"corpus game {index} ({game['family']}, {len(A)}x{len(A[0])})"
    assert ours == theirs, (
        f"{where}: Gambit's only: {show(theirs - ours) or 'none'}; "
        f"ours only: {show(ours - theirs) or 'none'}; A = {game['A']}, B = {game['B']}"
    )
    assert len(result.equilibria) == len(ours), f"{where}: an equilibrium listed twice"
