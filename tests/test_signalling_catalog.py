"""The catalog's signalling models: they load, cite their sources, and solve as the papers say."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest

import credibility as cr
from credibility.render import render

SIGNALLING = ["sinking_costs", "tying_hands", "capability_transparency"]


def classes(name: str, **params) -> set[str]:
    solution = cr.solve(cr.load(name), params=params)
    return {e.equilibrium_class for e in solution.equilibria}


@pytest.mark.parametrize("name", SIGNALLING)
def test_loads_cites_and_renders(name):
    game = cr.load(name)
    assert game.kind == "signalling"
    assert game.info.source and game.info.description
    assert all(p.description for p in game.parameters)
    solution = cr.solve(game)
    data = json.loads(render(solution, "json"))
    assert data["kind"] == "signalling" and data["equilibria"]
    assert render(solution, "text") and render(solution, "latex")


# Sinking costs (Fearon 1997): with v_i = 1, v_r = 4, w = 1 the mobilisation separates exactly
# when v_i <= m <= v_r - w, that is 1 <= m <= 3.
@pytest.mark.parametrize(
    ("m", "separating"),
    [
        pytest.param("1/2", False, id="too-cheap-to-separate"),
        pytest.param(1, True, id="lower-threshold"),
        pytest.param(2, True, id="inside"),
        pytest.param(3, True, id="upper-threshold"),
        pytest.param("7/2", False, id="too-dear-for-the-resolved"),
    ],
)
def test_sinking_costs_separate_between_the_two_thresholds(m, separating):
    assert ("separating" in classes("sinking_costs", m=m)) is separating


def test_sinking_costs_separating_equilibrium_is_the_intuitive_one():
    solution = cr.solve(cr.load("sinking_costs"), params={"m": 2})
    by_class = {e.equilibrium_class: e for e in solution.equilibria if e.pure}
    separating, pooling = by_class["separating"], by_class["pooling"]
    assert separating.intuitive and not pooling.intuitive
    # The resolved type keeps the stake at a cost (4 - 2), the irresolute is challenged (0).
    assert separating.payoffs == (F(2), F(0), F(7, 10))


def test_cheap_mobilisation_gives_a_semi_separating_bluff():
    # Below m = v_i the irresolute type bluffs with the probability that leaves the challenger
    # indifferent after mobilisation, P(Resolved | Mobilise) = 1 / (1 + c) = 1/3; with q = 3/10
    # it mobilises with probability x where (3/10) / (3/10 + 7/10 x) = 1/3, so x = 6/7.
    solution = cr.solve(cr.load("sinking_costs"), params={"m": "1/2"})
    semi = [e for e in solution.equilibria if e.equilibrium_class == "semi-separating"]
    assert len(semi) == 1
    assert semi[0].sender[1] == (F(6, 7), F(1, 7))
    # The challenger backs down with probability b making the bluff break even: b - 1/2 = 0.
    assert semi[0].receiver[0] == (F(1, 2), F(1, 2))


def test_tying_hands_bluff_probability_falls_with_the_audience_cost():
    # The challenger calls a commitment with probability 1 / (1 + a) (irresolute indifference:
    # b v - (1 - b) a = 0 with v = 1), so larger audience costs make commitments more credible.
    for a, challenge in [(1, F(1, 2)), (2, F(1, 3)), (4, F(1, 5))]:
        solution = cr.solve(cr.load("tying_hands"), params={"a": a})
        semi = next(e for e in solution.equilibria if e.equilibrium_class == "semi-separating")
        assert semi.receiver[0][0] == challenge
        assert semi.beliefs[0] == (F(1, 3), F(2, 3))


def test_capability_transparency_separates_when_a_weak_defender_cannot_fake():
    assert "separating" in classes("capability_transparency", k_w=6)
    assert "separating" not in classes("capability_transparency", k_w=4)
    assert "separating" not in classes("capability_transparency", k=3)
