"""Adversarial inputs (issue 11): each ends in one clear line and exit status 1 or 2, or works.

Huge numbers, deep trees, parameter names that meet sympy's, numpy's or Python's namespaces,
degenerate games for nashpy, malformed arrays for the API. Nothing may end in a traceback, an
"internal error" or a hang.
"""

import json
import string
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import credibility as cr
from cli import cli
from credibility.expressions import MAX_DIGITS
from credibility.io.toml_loader import parse_toml
from credibility.solvers.nash import NASHPY_MAX_STRATEGIES

ROOT = Path(__file__).resolve().parent.parent


def _fails_cleanly(result, code=1, text=""):
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert "Traceback" not in result.output and "internal error" not in result.output
    if code == 1:
        assert len(lines) == 1, result.output
    assert lines[-1].startswith("Error: ")
    assert text in lines[-1], lines[-1]
    return lines[-1]


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def _bimatrix(entry, parameters=""):
    return f"""kind = "bimatrix"
players = ["R", "C"]
{parameters}
[payoffs]
R = [[{entry}, 0], [0, 1]]
C = [[1, 0], [0, 1]]
"""


def _write(tmp_path, text, name="game.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- 1. numbers with thousands of digits ------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param("1" + "0" * 5000, id="toml-int-5000-digits"),
        pytest.param("1" + "0" * 2000, id="toml-int-2000-digits"),
        pytest.param('"1e5000"', id="exponent-string"),
        pytest.param("1e5000", id="toml-float"),
        pytest.param('"' + "9" * 1500 + '"', id="digit-string"),
        pytest.param('"10**900 * 10**900"', id="product-of-powers"),
    ],
)
def test_huge_numbers_are_refused_with_the_limit(run, tmp_path, entry):
    path = _write(tmp_path, _bimatrix(entry))
    line = _fails_cleanly(run("solve", path))
    assert f"{MAX_DIGITS} digits" in line or "too large" in line


def test_a_parameter_raised_to_a_symbolic_power_is_refused_at_its_value(run, tmp_path):
    path = _write(tmp_path, _bimatrix('"x**1000"', "[parameters.x]\ndefault = 100"))
    line = _fails_cleanly(run("solve", path), text=f"more than {MAX_DIGITS} digits")
    assert "payoffs.R[0][0]" in line


@pytest.mark.parametrize("entry", ["1e300", "1e-300", '"1e300"', '"x**300"'])
def test_large_but_allowed_numbers_solve_exactly(run, tmp_path, entry):
    path = _write(tmp_path, _bimatrix(entry, "[parameters.x]\ndefault = 10"))
    for fmt in ("text", "json", "latex"):
        result = run("solve", path, "--format", fmt)
        assert result.exit_code == 0, result.output


def test_huge_parameter_values_and_sweep_counts_are_refused(run, tmp_path):
    _fails_cleanly(run("solve", "chicken", "--param", "c_row=1" + "0" * 5000), 1, "1000 digits")
    _fails_cleanly(run("solve", "--row", "1e5000 0; 0 1", "--column", "1 0; 0 1"), 2)
    count = "1" + "0" * 5000
    result = run("sweep", "chicken", "--grid", f"c_row=0:1:{count}", "--out", tmp_path / "a.csv")
    _fails_cleanly(result, 2, "COUNT")


def test_api_numbers_beyond_the_limit():
    with pytest.raises(cr.CredibilityError, match="1000 digits"):
        cr.solve(cr.load("chicken"), {"c_row": 10**5000})
    with pytest.raises(cr.CredibilityError, match="1000 digits"):
        cr.Bimatrix.from_arrays([[Fraction(1, 10**2000)]], [[0]])
    game = cr.Bimatrix.from_arrays([[1e300, 0], [0, 1e-300]], [[1, 0], [0, 1]])
    assert cr.render(cr.solve(game), "json")


# -- 2. deep trees -----------------------------------------------------------------------


def _inline_tree(depth):
    node = "{payoffs = [1, 2]}"
    for _ in range(depth):
        node = '{player = "A", moves = {a = ' + node + ", b = {payoffs = [0, 0]}}}"
    return f'kind = "tree"\nplayers = ["A", "B"]\nroot = {node}\n'


def _ladder(depth, parameter=False):
    """An escalation ladder as nested tables: at each rung the mover stops or goes on."""
    lines = ['kind = "tree"', 'players = ["A", "B"]']
    if parameter:
        lines += ["[parameters.x]", "default = 1", "min = 0"]
    path = "root"
    for i in range(depth):
        second = f'"{-i} + x"' if parameter else str(-i)
        lines += [
            f"[{path}]",
            f'player = "{"AB"[i % 2]}"',
            f"moves.s = {{payoffs = [{i}, {second}]}}",
        ]
        path += ".moves.g"
    last = f'"{-depth - 1} + 2*x"' if parameter else str(-depth - 1)
    lines += [f"[{path}]", f"payoffs = [{depth + 1}, {last}]"]
    return "\n".join(lines) + "\n"


def _subprocess(*args, timeout=120):
    command = [sys.executable, str(ROOT / "cli.py"), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)


@pytest.mark.parametrize("depth", [400, 1000])
def test_deep_inline_trees_fail_cleanly(tmp_path, depth):
    path = _write(tmp_path, _inline_tree(depth))
    result = _subprocess("solve", path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "nested too deeply" in result.stderr and "internal error" not in result.stderr


def test_moderately_deep_inline_trees_solve(tmp_path):
    path = _write(tmp_path, _inline_tree(40))
    result = _subprocess("solve", path)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("depth", [300])
def test_deep_ladders_as_nested_tables_solve(tmp_path, depth):
    path = _write(tmp_path, _ladder(depth, parameter=True))
    for args in (
        ("solve", path),
        ("solve", path, "--format", "json"),
        ("solve", path, "--format", "latex"),
        ("solve", path, "--explain"),
        ("show", path),
    ):
        result = _subprocess(*args)
        assert result.returncode == 0, (args, result.stderr[-500:])
        assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_thresholds_of_a_ladder_of_30_rungs(tmp_path):
    # 100 rungs took 36 s and 60 took 12 s (the symbolic regions grow with the depth): 30 rungs
    # are still a deep tree for the thresholds command, which is what this test is about (the
    # depth limits themselves are checked by the 300- and 700-rung ladders, which solve).
    result = _subprocess("threshold", _write(tmp_path, _ladder(30, parameter=True)), "--for", "x")
    assert result.returncode == 0, result.stderr[-500:]


@pytest.mark.slow
def test_a_ladder_of_700_rungs_solves_through_the_api():
    # Deeper than Python's recursion limit allows a recursive walk (a frame or more per level);
    # parsed from text directly, as the file would be near the 4 MB limit.
    text = _ladder(700)
    game, again = parse_toml(text), parse_toml(text)
    solution = cr.solve(game)
    assert cr.render(solution, "json") and cr.render(solution, "latex")
    assert len(list(game.nodes())) == 1401
    assert game.root == again.root and repr(game.root)
    assert hash(game.root) == hash(again.root)


# -- 3. parameter names ------------------------------------------------------------------

NAMES = [
    "E", "I", "S", "N", "O", "Q", "pi", "beta", "gamma", "zeta", "sum", "where", "select",
    "maximum", "minimum", "sqrt", "exp", "log", "amax", "numpy", "np", "x", "Max", "Min", "Abs",
    "Piecewise", "oo", "nan", "inf", "true", "None_", "lambda_", "a1", "_x", "range",
]  # fmt: skip


def _named_game(name):
    key = json.dumps(name, ensure_ascii=False)
    return f"""kind = "bimatrix"
players = ["R", "C"]
[parameters.{key}]
default = 1
min = 0
max = 3
[payoffs]
R = [["{name}", 0], [0, "max({name}, 1/2)"]]
C = [[1, 0], [0, "2 - {name}"]]
"""


def _check_name_works(name, tmp_path):
    game = parse_toml(_named_game(name))
    solution = cr.solve(game)
    assert solution.equilibria
    assert cr.render(solution, "latex")
    result = cr.thresholds(game, name)
    for fmt in ("text", "json", "latex"):
        assert cr.render(result, fmt)
    from credibility.sweeps import sweep

    out = tmp_path / f"{abs(hash(name))}.csv"
    swept = sweep(game, {name: [0, Fraction(1, 2), 1, 2, 3]}, out=out, progress=False)
    assert swept.to_summary()["points"] == 5


@pytest.mark.parametrize("name", NAMES)
def test_names_from_other_namespaces_work(name, tmp_path):
    _check_name_works(name, tmp_path)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("lambda", "keyword"),
        ("min", "shadows"),
        ("max", "shadows"),
        ("abs", "shadows"),
        ("__x", "reserved"),
        ("\U0001d429", "would be read as 'p'"),  # mathematical bold small p
        ("\ufb01", "would be read as 'fi'"),  # the ligature fi
        ("é", "ASCII"),
        ("β", "ASCII"),
    ],
)
def test_names_that_cannot_work_are_refused_at_load(run, tmp_path, name, message):
    path = _write(tmp_path, _named_game(name))
    line = _fails_cleanly(run("solve", path), text=message)
    assert "parameters" in line


def test_nfkc_spellings_in_expressions_are_refused(tmp_path, run):
    text = _named_game("p").replace('R = [["p"', 'R = [["\U0001d429 + 1"')
    line = _fails_cleanly(run("solve", _write(tmp_path, text)), text="would be read as 'p'")
    assert "payoffs.R[0][0]" in line


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.one_of(
        st.sampled_from([*NAMES, "lambda", "min", "max", "abs", "𝐩", "ﬁ"]),
        st.text(string.ascii_letters + "_", min_size=1, max_size=3).flatmap(
            lambda head: st.text(string.ascii_letters + string.digits + "_", max_size=4).map(
                lambda tail: head + tail
            )
        ),
        st.text(st.characters(categories=["Ll", "Lu", "Lo"]), min_size=1, max_size=3),
    )
)
def test_any_identifier_works_or_is_refused_at_load(name, tmp_path):
    try:
        parse_toml(_named_game(name))
    except cr.CredibilityError as error:
        assert "parameters." in str(error) and "\n" not in str(error)
        return
    _check_name_works(name, tmp_path)


# -- 4. nashpy methods -------------------------------------------------------------------

ZEROS_64 = " ".join(["0"] * 64)


@pytest.mark.parametrize("method", ["lemke-howson", "support", "vertex"])
@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        (ZEROS_64, ZEROS_64, 64),
        ("1; 2", "1; 2", 1),
        ("1 2 3", "3 1 2", 1),
        ("1 5 5", "2 7 7", 2),
    ],
)
def test_nashpy_on_one_by_n_games(run, method, row, column, expected):
    result = run("solve", "--row", row, "--column", column, "--method", method, "--format", "json")
    assert result.exit_code == 0, result.output
    found = len(json.loads(result.output)["equilibria"])
    assert found == (1 if method == "lemke-howson" else expected)


def test_a_two_by_one_game_does_not_hang_in_lemke_howson():
    result = _subprocess(
        "solve", "--row", "1;2", "--column", "1;2", "--method", "lemke-howson", timeout=60
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("method", ["lemke-howson", "support", "vertex"])
def test_nashpy_on_the_all_zero_game_works_or_fails_cleanly(run, method):
    result = run("solve", "--row", "0 0; 0 0", "--column", "0 0; 0 0", "--method", method)
    if result.exit_code:
        _fails_cleanly(result, text="--method enumeration")


@pytest.mark.parametrize("method", ["support", "vertex"])
def test_nashpy_enumeration_refuses_large_games(run, method):
    size = NASHPY_MAX_STRATEGIES // 2 + 1
    matrix = "; ".join(
        " ".join(str((i * 7 + j * 3) % 11) for j in range(size)) for i in range(size)
    )
    result = run("solve", "--row", matrix, "--column", matrix, "--method", method)
    _fails_cleanly(result, text="use the default exact method")
    result = run("solve", "--row", matrix, "--column", matrix)
    assert result.exit_code == 0


# -- 5. the API with malformed arrays ----------------------------------------------------


@pytest.mark.parametrize(
    "A",
    [
        np.array(3.0),
        [1, 2],
        np.zeros(2),
        np.zeros((2, 2, 2)),
        None,
        [[1, 2], [3]],
        [],
        [[]],
        5,
        "ab",
    ],
    ids=["0-D", "1-D-list", "1-D", "3-D", "None", "ragged", "empty", "empty-row", "int", "str"],
)
def test_from_arrays_rejects_malformed_arrays(A):
    with pytest.raises(cr.GameFileError, match="expected a 2-D array of payoffs"):
        cr.Bimatrix.from_arrays(A, [[1, 2], [3, 4]])


def test_from_arrays_rejects_mismatched_shapes():
    with pytest.raises(cr.GameFileError, match="2 x 2 like A"):
        cr.Bimatrix.from_arrays([[1, 2], [3, 4]], [[1, 2]])


def test_numpy_scalars_are_accepted_as_parameter_values():
    solution = cr.solve(cr.load("chicken"), {"c_row": np.int64(3), "c_column": np.float64(2.5)})
    assert solution.parameters["c_row"] == 3 and solution.parameters["c_column"] == Fraction(5, 2)
    game = cr.Bimatrix.from_arrays(np.array([[1, 0], [0, 1]], dtype=np.int64), np.eye(2))
    assert len(cr.solve(game).equilibria) == 3


HOSTILE_TITLE = r"Chicken\u001b]0;pwned\u0007\u009b2J"


@pytest.mark.parametrize("fmt", ["text", "json", "latex"])
def test_control_characters_from_a_game_file_never_reach_the_terminal(tmp_path, fmt):
    # An OSC sequence (ESC ] ... BEL) retitles a terminal; CSI (U+009B) rewrites its screen.
    from cli import cli

    path = tmp_path / "hostile.toml"
    path.write_text(
        f'kind = "bimatrix"\ntitle = "{HOSTILE_TITLE}"\nplayers = ["R", "C"]\n'
        'strategies = {R = ["a\\u001b[31m", "b"], C = ["x", "y"]}\n'
        "payoffs.R = [[1, 0], [0, 1]]\npayoffs.C = [[0, 1], [1, 0]]\n"
    )
    result = CliRunner().invoke(cli, ["solve", str(path), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert not any(c in result.output for c in "\x1b\x07\x9b")
    if fmt == "json":
        assert json.loads(result.output)["game"] == "Chicken\x1b]0;pwned\x07\x9b2J"
    else:  # the LaTeX table carries the strategies, not the title
        assert "a[31m" in result.output
        assert fmt == "latex" or "Chicken]0;pwned2J" in result.output


def test_a_tree_with_a_cycle_is_refused_not_walked_forever():
    # Frozen dataclasses forbid it, but object.__setattr__ does not: a move back to the root.
    import sympy

    from credibility.models.tree import GameTree, Move, Node

    leaf = Node("Out", payoffs=(sympy.Integer(0), sympy.Integer(1)))
    root = Node("", player="A", moves=(Move("Out", leaf),))
    loop = Move("Again", root)
    object.__setattr__(root, "moves", (Move("Out", leaf), loop))
    with pytest.raises(cr.GameFileError, match="the tree has a cycle"):
        GameTree(("A", "B"), root)
    shared = Node("", player="A", moves=(Move("L", leaf), Move("R", leaf)))
    assert GameTree(("A", "B"), shared).root is shared  # a shared subtree is no cycle


def test_ctrl_c_exits_130_at_once(monkeypatch):
    # Any command interrupted (a long solve, say) ends with status 130, not click's "Aborted!" 1.
    from cli import cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cr, "solve", interrupted)
    result = CliRunner().invoke(cli, ["solve", "chicken"])
    assert result.exit_code == 130
    assert result.output.strip() == "interrupted"
