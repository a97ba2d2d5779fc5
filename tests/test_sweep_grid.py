"""Sweep grids: parsing --grid, exact values, floats, chunks, checks against the game."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import credibility as cr
from credibility.errors import CredibilityError, ParameterError
from credibility.sweeps import parse_grid
from credibility.sweeps.grid import Grid, Linspace, Listed, make_grid


@pytest.mark.parametrize(
    ("text", "name", "values"),
    [
        pytest.param("p=0:1:5", "p", ["0", "1/4", "1/2", "3/4", "1"], id="linspace"),
        pytest.param("c = 1/3 : 2/3 : 3", "c", ["1/3", "1/2", "2/3"], id="fractions-spaces"),
        pytest.param("q=1:0:3", "q", ["1", "1/2", "0"], id="decreasing"),
        pytest.param("m=2:2:1", "m", ["2"], id="single"),
        pytest.param("m=0.1,1/3,-2", "m", ["1/10", "1/3", "-2"], id="list"),
        pytest.param("x=1e-3:0.002:2", "x", ["1/1000", "1/500"], id="exponent"),
    ],
)
def test_parse_grid_gives_exact_values(text, name, values):
    parsed, axis = parse_grid(text)
    assert parsed == name
    assert [str(v) for v in axis] == values
    assert len(axis) == len(values)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("p", "expected NAME=START:STOP:COUNT or NAME=V1,V2,..."),
        ("p=", "expected NAME=START:STOP:COUNT"),
        ("=0:1:2", "expected NAME=START:STOP:COUNT"),
        ("p=0:1", "expected NAME=START:STOP:COUNT"),
        ("p=0:1:2:3", "expected NAME=START:STOP:COUNT"),
        ("p=0:1:x", "COUNT must be a positive integer, got 'x'"),
        ("p=0:1:0", "COUNT must be a positive integer, got 0"),
        ("p=0:1:-3", "COUNT must be a positive integer, got '-3'"),
        ("p=0:1:1", "COUNT 1 needs START equal to STOP"),
        ("p=a:1:3", "'p=a:1:3'"),
        ("p=1,,2", "an empty value in the list"),
        ("p=__import__('os'),1", "'p=__import__('os'),1'"),
    ],
)
def test_parse_grid_errors_say_what_was_expected(text, message):
    with pytest.raises(ParameterError) as error:
        parse_grid(text)
    assert isinstance(error.value, CredibilityError)
    assert message in str(error.value)


def test_linspace_floats_are_the_exact_values_rounded():
    axis = Linspace(Fraction(-1, 3), Fraction(7, 3), 1001)
    indices = np.arange(len(axis))
    assert axis.floats(indices).tolist() == [float(v) for v in axis]
    huge = Linspace(Fraction(1, 3**40), Fraction(2**70, 7), 5)
    assert huge.floats(np.arange(5)).tolist() == [float(v) for v in huge]


def test_a_long_axis_costs_no_memory():
    axis = Linspace(Fraction(0), Fraction(1), 10**12)
    assert axis[-1] == 1 and axis[10**11] == Fraction(10**11, 10**12 - 1)
    assert axis == Linspace(Fraction(0), Fraction(1), 10**12)


def test_grid_order_first_slowest_and_chunks_cover_it():
    grid = Grid(
        ("a", "b"),
        (Listed([Fraction(1), Fraction(2)]), Listed([Fraction(0), Fraction(5), Fraction(9)])),
    )
    chunks = [grid.chunk(s, min(s + 4, grid.size)) for s in range(0, grid.size, 4)]
    a = np.concatenate([c.values["a"] for c in chunks]).tolist()
    b = np.concatenate([c.values["b"] for c in chunks]).tolist()
    assert list(zip(a, b)) == [(1, 0), (1, 5), (1, 9), (2, 0), (2, 5), (2, 9)]
    assert chunks[1].exact(1) == {"a": Fraction(2), "b": Fraction(9)}


def test_grid_checked_against_the_game():
    game = cr.load("sinking_costs")
    with pytest.raises(ParameterError, match=r"cannot sweep 'x': not a parameter \(declared: q, m"):
        make_grid({"x": [1]}, game.parameters)
    with pytest.raises(ParameterError, match="swept parameter 'q' = 3/2 is above its maximum 1"):
        make_grid(dict([parse_grid("q=0:3/2:4")]), game.parameters)
    with pytest.raises(ParameterError, match="nothing to sweep"):
        make_grid({}, game.parameters)
    with pytest.raises(ParameterError, match="swept parameter 'm': expected a sequence"):
        make_grid({"m": "1"}, game.parameters)
    with pytest.raises(ParameterError, match="is both swept and bound"):
        cr.sweep(game, {"m": [1]}, {"m": 2})
    with pytest.raises(ParameterError, match="unknown parameter 'z'"):
        cr.sweep(game, {"m": [1]}, {"z": 2})
