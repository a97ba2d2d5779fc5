"""Text output a person reads at a glance: 80 columns off a terminal, conditions as people write
them, ASCII where the terminal cannot print Unicode, a legend under every equilibrium table."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import credibility as cr
from cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


@pytest.mark.parametrize("name", cr.catalog_names())
def test_show_and_solve_fit_in_80_columns(name):
    assert widest(run("show", name)) <= 80
    assert widest(run("solve", name)) <= 80
    assert widest(run("solve", name, "--explain")) <= 80


def test_models_is_a_short_table_and_long_adds_stories_and_sources():
    short = run("models")
    assert widest(short) <= 80
    assert short.splitlines()[0].split() == ["name", "kind", "title"]
    assert "Schelling" not in short
    assert "chicken" in short and "bimatrix" in short
    long = run("models", "--long")
    assert widest(long) <= 80
    assert "Source: Schelling, T. C. (1966)" in long
    assert "Two sides in a crisis" in long


def test_show_names_both_players_and_puts_in_bound_values():
    plain = run("show", "chicken")
    assert "Row \\ Column  Swerve" in plain
    assert "-c_row, -c_column" in plain
    bound = run("show", "chicken", "--param", "c_row=10", "--param", "w_row=2")
    assert "Payoffs with c_row = 10, w_row = 2 put in:" in bound
    assert "-10, -c_column" in bound and "2, l_column" in bound
    # The payoffs read as written (w - m, not sympy's -m + w).
    assert "w - m, -c" in run("show", "sinking_costs")
    assert "w - 3, -c" in run("show", "sinking_costs", "--param", "m=3")


def test_equilibrium_tables_have_a_legend_of_their_labels():
    chicken = run("solve", "chicken")
    assert "pure: each player plays one strategy; mixed: a player randomises" in chicken
    sunk = " ".join(run("solve", "sinking_costs").split())
    assert "separating: each type sends its own message" in sunk
    assert "pooling: every type sends the same message" in sunk
    assert "semi-separating" not in sunk  # only labels that appear
    assert "intuitive, D1: whether it survives" in sunk
    assert "'Challenge ≥ 1/3' after a message nobody sends" in sunk
    assert "path: the moves played" in run("solve", "entry_deterrence")


def test_a_table_too_wide_folds_into_one_block_per_equilibrium():
    sunk = run("solve", "sinking_costs")
    assert "  Equilibrium 1 (separating; intuitive yes, D1 yes)" in sunk
    assert "    sends     Resolved: Mobilise; Irresolute: Stand pat" in sunk
    assert "    payoffs   Resolved 2, Irresolute 0, Challenger 7/10" in sunk
    chicken = run("solve", "chicken")  # column names over two lines, the table kept
    assert "payoff  payoff  kind" in chicken and "Row     Column" in chicken


SINKING = ["--param", "q=3/10", "--param", "v_r=4", "--param", "v_i=1"]
SINKING += ["--param", "w=1", "--param", "c=2"]


def test_threshold_conditions_read_as_people_write_them():
    out = run("threshold", "sinking_costs", "--for", "m", *SINKING)
    assert "  m = 1: separating + pooling + semi-separating" in out
    assert "  1 < m < 3: separating + pooling" in out
    assert "  pooling: m ≥ 0" in out and "Eq(" not in out and " & " not in out
    assert " oo" not in out and "oo)" not in out and " in [" not in out
    prior = run("threshold", "sinking_costs", "--for", "q", "--defaults")
    assert "  1/3 < q < 1: separating + pooling + semi-separating" in prior
    assert "  q = 1: pooling" in prior
    # A disjunction and a conjunction in words.
    free = run("threshold", "sinking_costs", "--for", "q")
    assert "  m > v_r - w or v_r < v_i + w: pooling" in free
    assert "  q > 1/(c + 1) and v_i < m < v_r - w:" in free


def test_one_form_of_each_expression_and_positive_denominators():
    # The inspection model says the inspectee violates with probability e/(c - a) (a < c):
    # inside the region e < c - a, with e >= 0, the denominator c - a is positive.
    out = run("threshold", "inspection", "--for", "e")
    assert "  e = c - a" in out and "  e < c - a: mixed" in out
    assert "Violate e/(c - a), Comply (c - a - e)/(c - a)" in " ".join(out.split())
    # The threshold and the regions it separates write it the same way.
    unilateral = run("threshold", "unilateral_deterrence", "--for", "p")
    value = "(a_DC - a_SQ)/(a_DC - a_DD)"
    assert f"  p = {value}" in unilateral and f"  p > {value}: Status quo" in unilateral
    extended = run("threshold", "extended_deterrence", "--for", "b")
    assert "  b = (v - d)/(c_A + v - d)" in extended
    assert "b*(c_A + v - d) > v - d" in extended


def test_ascii_terminal_gets_ascii_symbols():
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    args = [sys.executable, "cli.py", "threshold", "sinking_costs", "--for", "m", *SINKING]
    out = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert "  pooling: m >= 0" in out.stdout and "  separating: 1 <= m <= 3" in out.stdout
    shown = subprocess.run(
        [sys.executable, "cli.py", "show", "extended_deterrence"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "protege" in shown.stdout  # accents dropped rather than a crash
    data = subprocess.run(
        [sys.executable, "cli.py", "show", "extended_deterrence", "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    assert b"prot\\u00e9g\\u00e9" in data.stdout  # JSON: the same data, escaped
