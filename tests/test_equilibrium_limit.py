"""Games with very many extreme equilibria: refused past MAX_EQUILIBRIA, or listed up to a limit.

An n x n coordination game (the identity for both players) has 2^n - 1 equilibria, one for each
non-empty set of strategies both players mix uniformly over; every one is its own component. The
all-zero game has every pure profile as an extreme equilibrium, all in one component.
"""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest
from click.testing import CliRunner

import credibility as cr
from cli import cli
from credibility.errors import CredibilityError, GameTooLargeError
from credibility.solvers import complementary_pairs
from credibility.solvers.enumeration import enumerate_extreme_equilibria


def coordination(n):
    identity = [[F(int(i == j)) for j in range(n)] for i in range(n)]
    return identity, identity


def zeros(n):
    return [[F(0)] * n for _ in range(n)], [[F(0)] * n for _ in range(n)]


@pytest.mark.parametrize("method", ["subsets", "reverse-search"])
@pytest.mark.parametrize("limit", [1, 5, 30, 31, 100])
def test_a_limit_lists_that_many_of_the_equilibria_and_counts_them_all(method, limit):
    A, B = coordination(5)
    every = enumerate_extreme_equilibria(A, B, method=method)
    assert len(every.equilibria) == every.total == 31
    cut = enumerate_extreme_equilibria(A, B, method=method, limit=limit)
    assert cut.total == 31 and len(cut.equilibria) == min(limit, 31)
    full = {(e.row, e.column) for e in every.equilibria}
    assert {(e.row, e.column) for e in cut.equilibria} <= full
    assert len({e.component for e in cut.equilibria}) == len(cut.equilibria)  # all apart
    again = enumerate_extreme_equilibria(A, B, method=method, limit=limit)
    assert again == cut  # which ones: deterministic


@pytest.mark.parametrize("method", ["subsets", "reverse-search"])
def test_listed_equilibria_joined_only_through_unlisted_ones_share_a_component(method):
    # 4 x 4 all-zero game: 16 pure profiles in one component. Two of them in different rows and
    # columns are linked only through profiles that may not be listed.
    A, B = zeros(4)
    for limit in (2, 3, 7):
        cut = enumerate_extreme_equilibria(A, B, method=method, limit=limit)
        assert cut.total == 16 and len(cut.equilibria) == limit
        assert {e.component for e in cut.equilibria} == {0}


def test_floats_take_a_limit_too():
    A, B = coordination(7)
    cut = enumerate_extreme_equilibria(A, B, exact=False, method="reverse-search", limit=4)
    assert cut.total == 127 and len(cut.equilibria) == 4
    assert all(isinstance(p, float) for e in cut.equilibria for p in e.row)


@pytest.mark.parametrize("method", ["subsets", "reverse-search"])
def test_more_than_max_equilibria_are_refused_without_a_limit(monkeypatch, method):
    monkeypatch.setattr(complementary_pairs, "MAX_EQUILIBRIA", 30)
    A, B = coordination(5)
    with pytest.raises(GameTooLargeError, match=r"31 extreme equilibria, more than 30 .* limit"):
        enumerate_extreme_equilibria(A, B, method=method)
    assert enumerate_extreme_equilibria(A, B, method=method, limit=31).total == 31
    monkeypatch.setattr(complementary_pairs, "MAX_EQUILIBRIA", 31)
    assert len(enumerate_extreme_equilibria(A, B, method=method).equilibria) == 31


def test_the_refusal_comes_before_the_strategies_are_computed(monkeypatch):
    monkeypatch.setattr(complementary_pairs, "MAX_EQUILIBRIA", 10)

    def never(*args, **kwargs):
        raise AssertionError("strategies computed for a game about to be refused")

    monkeypatch.setattr(complementary_pairs._Points, "get", never)
    with pytest.raises(GameTooLargeError):
        enumerate_extreme_equilibria(*coordination(5), method="reverse-search")


def test_solve_reports_the_total_and_marks_the_list_incomplete():
    game = cr.Bimatrix.from_arrays(*coordination(4))
    solution = cr.solve(game, limit=3)
    assert len(solution.equilibria) == 3 and solution.total == 15 and not solution.complete
    data = solution.to_dict()
    assert data["total"] == 15 and data["complete"] is False and len(data["equilibria"]) == 3
    assert "3 Nash equilibria listed of 15" in str(solution)
    assert "The game has 15 extreme equilibria; 3 are listed" in str(solution)
    assert "Listed: 3 of the game's 15 extreme equilibria" in cr.render(solution, "latex")
    whole = cr.solve(game, limit=15)
    assert whole.total is None and whole.complete and "total" not in whole.to_dict()


@pytest.mark.parametrize(
    ("model", "kind"),
    [
        ("entry_deterrence", "tree"),
        ("sinking_costs", "signalling"),
        ("article5_threshold", "symmetric"),
        ("volunteers_dilemma", "normal"),
    ],
)
def test_limit_is_refused_for_other_kinds(model, kind):
    with pytest.raises(CredibilityError, match=f"bimatrix games only, not to a {kind} game"):
        cr.solve(cr.load(model), limit=2)


def test_limit_is_refused_where_it_has_no_meaning():
    with pytest.raises(CredibilityError, match="enumeration method only, not to lemke-howson"):
        cr.solve(cr.load("chicken"), method="lemke-howson", limit=2)
    with pytest.raises(CredibilityError, match="a number of equilibria, not 0"):
        cr.solve(cr.load("chicken"), limit=0)


def test_the_command_line_takes_a_limit():
    runner = CliRunner()
    args = ["solve", "--row", "1 0 0; 0 1 0; 0 0 1", "--column", "1 0 0; 0 1 0; 0 0 1"]
    shown = runner.invoke(cli, [*args, "--limit", "2"])
    assert shown.exit_code == 0, shown.output
    assert "2 Nash equilibria listed of 7" in shown.output
    data = json.loads(runner.invoke(cli, [*args, "--limit", "2", "--format", "json"]).output)
    assert (data["total"], data["complete"], len(data["equilibria"])) == (7, False, 2)
    refused = runner.invoke(cli, ["solve", "entry_deterrence", "--limit", "2"])
    assert refused.exit_code == 1
    assert "--limit applies to bimatrix games only" in refused.output
    assert "Traceback" not in refused.output
    assert runner.invoke(cli, ["solve", "chicken", "--limit", "0"]).exit_code == 2


def test_the_command_line_names_the_option_when_it_refuses_too_many(monkeypatch):
    monkeypatch.setattr(complementary_pairs, "MAX_EQUILIBRIA", 5)
    runner = CliRunner()
    args = ["solve", "--row", "1 0 0; 0 1 0; 0 0 1", "--column", "1 0 0; 0 1 0; 0 0 1"]
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 1
    assert "7 extreme equilibria, more than 5 to list" in refused.output
    assert "(--limit K)" in refused.output and "limit=K" not in refused.output
