"""The Python objects (issue 12): short reprs, terminal text, HTML and LaTeX for notebooks,
equilibria read by name, DataFrames, real return types, and errors in the library's words."""

from __future__ import annotations

import dataclasses
import functools
import sys
import typing
from fractions import Fraction
from html.parser import HTMLParser
from typing import Any

import pytest
from click.testing import CliRunner

import credibility as cr
import credibility.api
import credibility.sweeps.engine
from credibility.render import bimatrix as bimatrix_render
from credibility.render import render
from credibility.render.display import Named
from credibility.solvers import nash, normal_nash, pbe, pure_nash, subgame_perfect
from credibility.sweeps.grid import parse_grid
from credibility.sweeps.result import SweepResult
from credibility.symbolic import threshold_result

F = Fraction
HOSTILE = "<script>alert('x')</script>"


def chicken_with_c() -> cr.Bimatrix:
    return cr.Bimatrix.from_arrays(
        [[0, -1], [1, "-c"]],
        [[0, 1], [-1, "-c"]],
        row_strategies=["Swerve", "Straight"],
        column_strategies=["Swerve", "Straight"],
        parameters=[cr.Parameter("c", F(5), F(0))],
        title="Chicken",
    )


IDS = ["bimatrix", "tree", "signalling", "thresholds"]


@functools.cache
def result(kind: str) -> Any:
    """One result of each kind, computed when a test first asks (not by every xdist worker)."""
    if kind == "thresholds":
        return cr.thresholds(chicken_with_c(), "c")
    name = {"bimatrix": "chicken", "tree": "entry_deterrence", "signalling": "sinking_costs"}
    return cr.solve(cr.load(name[kind]))


# -- repr and str --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        pytest.param(
            "bimatrix",
            "<BimatrixSolution chicken: 3 equilibria (Swerve/Straight | Straight/Swerve | mixed), "
            "exact>",
            id="bimatrix",
        ),
        pytest.param(
            "tree",
            "<TreeSolution entry_deterrence: 1 subgame-perfect equilibrium (In > Accommodate), "
            "1 threat not credible, exact>",
            id="tree",
        ),
        pytest.param(
            "signalling",
            "<SignallingSolution sinking_costs: 2 perfect Bayesian equilibria "
            "(separating + pooling), exact>",
            id="signalling",
        ),
        pytest.param(
            "thresholds", "<ThresholdResult Chicken, c: c = 1; 3 regions>", id="thresholds"
        ),
    ],
)
def test_repr_is_one_short_line(kind, expected):
    shown = repr(result(kind))
    assert shown == expected
    assert len(shown) < 160 and "\n" not in shown
    assert len(shown) < len(repr(result(kind).to_dict())) / 4  # was the whole game


@pytest.mark.parametrize("kind", IDS)
def test_str_is_the_terminal_text(kind):
    assert str(result(kind)) == cr.render(result(kind))


def test_repr_stays_short_with_many_equilibria():
    zeros = [[0] * 6 for _ in range(6)]
    solution = cr.solve(cr.Bimatrix.from_arrays(zeros, zeros))
    assert len(solution.equilibria) == 36
    assert len(repr(solution)) < 160
    assert repr(solution).startswith("<BimatrixSolution game: 36 equilibria (degenerate: R1/C1 |")
    assert "...)" in repr(solution)


@pytest.mark.parametrize(
    ("equilibrium", "expected"),
    [
        pytest.param(
            cr.solve(cr.load("chicken")).equilibria[1],
            "<MixedEquilibrium Row: Swerve 4/5, Straight 1/5; Column: Swerve 4/5, Straight 1/5; "
            "payoffs -1/5, -1/5>",
            id="mixed",
        ),
        pytest.param(
            cr.solve(cr.load("chicken"), exact=False).equilibria[1],
            "<MixedEquilibrium Row: Swerve 0.8, Straight 0.2; Column: Swerve 0.8, Straight 0.2; "
            "payoffs -0.2, -0.2>",
            id="mixed-floats",
        ),
        pytest.param(
            cr.solve(cr.load("entry_deterrence")).equilibria[0],
            "<TreeEquilibrium In > Accommodate (Entrant: In at the root; "
            "Incumbent: Accommodate at In); payoffs 1, 1>",
            id="tree",
        ),
        pytest.param(
            cr.solve(cr.load("sinking_costs")).equilibria[0],
            "<SignallingEquilibrium separating | sends Resolved: Mobilise; Irresolute: Stand pat "
            "| responds Mobilise: Back down; Stand pat: Challenge "
            "| payoffs Resolved 2, Irresolute 0, Challenger 7/10>",
            id="signalling",
        ),
        pytest.param(
            cr.thresholds(chicken_with_c(), "c").regions[2],
            "<ThresholdRegion c > 1: Swerve/Straight | Straight/Swerve | mixed>",
            id="region",
        ),
    ],
)
def test_equilibria_have_a_compact_repr_with_names(equilibrium, expected):
    assert repr(equilibrium) == expected


def test_an_equilibrium_without_names_shows_its_numbers():
    equilibrium = nash.MixedEquilibrium((F(1, 2), F(1, 2)), (F(1), F(0)), (F(0), F(3)))
    assert repr(equilibrium) == "<MixedEquilibrium row (1/2, 1/2); column (1, 0); payoffs 0, 3>"
    with pytest.raises(AttributeError, match="carries no names"):
        equilibrium.strategies  # noqa: B018


def test_sweep_result_repr_str_and_html():
    result = cr.sweep(cr.load("sinking_costs"), grid={"m": ["0", "2"]})
    assert repr(result) == (
        "<SweepResult m: 2 points, 2 outcomes "
        "(pooling + semi-separating 1, separating + pooling 1), in memory>"
    )
    lines = str(result).splitlines()
    assert lines[0].startswith("2 points in ") and lines[0].endswith(" s -> kept in memory")
    assert lines[1:] == [
        "             1  pooling + semi-separating",
        "             1  separating + pooling",
    ]
    assert "<td>separating + pooling</td>" in result._repr_html_()
    assert result._repr_latex_() is None


# -- HTML and LaTeX ------------------------------------------------------------------------


class _Cells(HTMLParser):
    """The text of every cell of every table, and every tag opened and closed."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.open: list[str] = []
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag != "br":
            self.open.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self.rows[-1].append("")
            self.in_cell = True

    def handle_endtag(self, tag):
        assert self.open.pop() == tag
        if tag in ("td", "th"):
            self.in_cell = False

    def handle_data(self, data):
        if self.in_cell:
            self.rows[-1][-1] += data


def _cells(markup: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(markup)
    parser.close()
    assert parser.open == [], "unbalanced tags"
    return parser.rows


@pytest.mark.parametrize("kind", IDS)
def test_html_is_well_formed_and_latex_is_the_latex_output(kind):
    markup = result(kind)._repr_html_()
    assert markup.startswith('<div class="credibility">') and markup.endswith("</div>")
    assert _cells(markup)
    assert result(kind)._repr_latex_() == cr.render(result(kind), "latex")


def test_html_shows_the_text_table_cells():
    solution = cr.solve(cr.load("chicken"))
    header, rows = bimatrix_render._table(solution)
    assert _cells(solution._repr_html_()) == [header, *rows]
    for row in rows:  # the terminal shows the same cells
        assert all(cell in str(solution) for cell in row)


def test_html_escapes_hostile_names():
    game = cr.Bimatrix.from_arrays(
        [[1, 0], [0, 1]],
        [[1, 0], [0, 1]],
        row_strategies=[HOSTILE, 'A & "B"'],
        column_strategies=["<b>", "x\x1b[2Jy"],
        players=("<i>Row", "Col</table>"),
        title="<h1>Hostile</h1>",
    )
    markup = cr.solve(game)._repr_html_()
    assert "<script" not in markup and "<b>" not in markup and "<h1>" not in markup
    assert "</table>" not in markup.replace("</tbody>\n</table>", "")
    assert "\x1b" not in markup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in markup
    assert "A &amp; &quot;B&quot;" in markup
    cells = _cells(markup)
    assert cells[0][1:3] == ["<i>Row", "Col</table>"]  # unescaped by the parser: text again
    assert HOSTILE in {cell for row in cells for cell in row}


def test_html_escapes_hostile_names_in_trees_and_thresholds():
    import sympy

    leaf = lambda path, a, b: cr.Node(path, payoffs=(sympy.Integer(a), sympy.Integer(b)))  # noqa: E731
    node = cr.Node(
        "<x>",
        player="<img src=x>",
        moves=(cr.Move(HOSTILE, leaf("<x>/a", -1, -1)), cr.Move("B&", leaf("<x>/b", 1, 1))),
    )
    tree = cr.GameTree(
        ("Entrant", "<img src=x>"),
        cr.Node(
            "", player="Entrant", moves=(cr.Move("Out", leaf("Out", 0, 2)), cr.Move("<x>", node))
        ),
    )
    markup = cr.solve(tree)._repr_html_()
    assert "<script" not in markup and "<img" not in markup and "<x>" not in markup
    assert "B&amp;" in markup


# -- equilibria by name --------------------------------------------------------------------


def test_bimatrix_equilibria_by_strategy_name():
    solution = cr.solve(cr.load("chicken"), params={"c_row": 5, "c_column": 5})
    mixed = solution.equilibria[1]
    assert mixed.strategies["Row"]["Swerve"] == F(4, 5)
    assert mixed.strategies["Column"] == {"Swerve": F(4, 5), "Straight": F(1, 5)}
    assert dict(mixed.payoff) == {"Row": F(-1, 5), "Column": F(-1, 5)}
    assert list(mixed.strategies) == ["Row", "Column"]
    with pytest.raises(TypeError):
        mixed.strategies["Row"]["Swerve"] = F(1)  # type: ignore[index]
    with pytest.raises(KeyError, match="expected one of Swerve, Straight"):
        mixed.strategies["Row"]["Left"]


def test_names_take_no_part_in_equality_or_hashing():
    solution = cr.solve(cr.load("chicken"))
    named = solution.equilibria[1]
    anonymous = dataclasses.replace(named, names=None)
    assert named.names is not None and anonymous.names is None
    assert named == anonymous and hash(named) == hash(anonymous)
    assert cr.solve(cr.load("chicken")) == solution
    rebuilt = dataclasses.replace(solution, equilibria=(anonymous,))
    assert rebuilt.equilibria[0].names == named.names  # a solution names its equilibria
    with pytest.raises(dataclasses.FrozenInstanceError):
        named.names = None  # type: ignore[misc]


def test_tree_equilibria_by_player_and_node():
    solution = cr.solve(cr.load("brinkmanship_risk"), {"q": "1/9"})
    comply, defy = solution.equilibria
    assert comply.strategies["Challenger"] == {"": "Comply"}
    assert defy.strategies["Defender"] == {"Defy": "Acquiesce"}
    assert defy.payoff["Challenger"] == F(2) and defy.payoff["Defender"] == F(-2)


def test_signalling_equilibria_by_type_message_and_response():
    solution = cr.solve(cr.load("sinking_costs"))
    separating, pooling = solution.equilibria
    sender, receiver = cr.load("sinking_costs").players
    assert separating.strategies[sender]["Resolved"] == {"Mobilise": 1, "Stand pat": 0}
    assert separating.strategies[receiver]["Mobilise"]["Back down"] == 1
    assert pooling.belief["Stand pat"] == {"Resolved": F(3, 10), "Irresolute": F(7, 10)}
    assert list(pooling.payoff) == ["Resolved", "Irresolute", receiver]
    assert pooling.payoff[receiver] == F(1, 10)


def test_threshold_regions_equilibria_by_name():
    region = cr.thresholds(chicken_with_c(), "c").regions[2]
    mixed = next(e for e in region.equilibria if not e.pure)
    straight = mixed.strategies["Row"]["Straight"]  # 1/c, a sympy expression
    assert straight.subs({symbol: 4 for symbol in straight.free_symbols}) == F(1, 4)
    assert mixed.payoff["Column"] == mixed.payoffs[1]


# -- pandas --------------------------------------------------------------------------------


def test_bimatrix_to_pandas():
    pytest.importorskip("pandas")
    frame = cr.solve(cr.load("chicken")).to_pandas()
    assert frame.shape == (3, 8)
    assert list(frame.columns[:4]) == [
        "Row:Swerve",
        "Row:Straight",
        "Column:Swerve",
        "Column:Straight",
    ]
    assert frame.loc[1, "Row:Swerve"] == F(4, 5) and frame["Row:Swerve"].dtype == object
    assert frame["pure"].dtype == bool and frame["component"].dtype == "int64"
    floats = cr.solve(cr.load("chicken"), exact=False).to_pandas()
    assert floats["Row:Swerve"].dtype == "float64" and floats["payoff_Row"].dtype == "float64"


def test_tree_signalling_threshold_and_sweep_to_pandas():
    pytest.importorskip("pandas")
    tree = cr.solve(cr.load("entry_deterrence")).to_pandas()
    assert list(tree.columns) == ["path", "root", "In", "payoff_Entrant", "payoff_Incumbent"]
    assert tree.iloc[0].tolist() == ["In > Accommodate", "In", "Accommodate", F(1), F(1)]
    decimals = cr.solve(cr.load("entry_deterrence"), exact=False).to_pandas()
    assert decimals["payoff_Entrant"].dtype == "float64"
    signalling = cr.solve(cr.load("sinking_costs")).to_pandas()
    assert signalling.shape == (2, 20)
    assert signalling["class"].tolist() == ["separating", "pooling"]
    assert signalling["P(Resolved | Stand pat)"].tolist() == [F(0), F(3, 10)]
    assert signalling["Challenger:Back down after Mobilise"].tolist() == [F(1), F(0)]
    assert signalling["intuitive"].dtype == bool
    regions = cr.thresholds(chicken_with_c(), "c").to_pandas()
    assert regions.shape == (3, 3)
    assert regions["condition"].tolist() == ["c < 1", "c = 1", "c > 1"]
    assert regions["latex"].tolist() == ["c < 1", "c = 1", "c > 1"]
    swept = cr.sweep(chicken_with_c(), grid={"c": "0:2:5"}).to_pandas()
    assert swept.shape[0] == 5 and swept["c"].dtype == "float64"


def test_empty_equilibria_give_an_empty_frame_with_columns():
    pytest.importorskip("pandas")
    solution = cr.solve(cr.load("chicken"))
    empty = dataclasses.replace(solution, equilibria=())
    assert empty.to_pandas().shape == (0, 8)


def test_to_pandas_without_pandas_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(
        cr.CredibilityError, match=r"to_pandas\(\) needs pandas: pip install pandas"
    ):
        cr.solve(cr.load("chicken")).to_pandas()
    result = cr.sweep(cr.load("sinking_costs"), grid={"m": ["0"]})
    with pytest.raises(cr.CredibilityError, match="pip install pandas"):
        result.to_pandas()


# -- types ---------------------------------------------------------------------------------

#: The names the public signatures use only for type checkers (the modules import lazily).
NAMES = {
    **vars(nash),
    **vars(subgame_perfect),
    **vars(pbe),
    **vars(pure_nash),
    **vars(normal_nash),
    **vars(threshold_result),
    "SweepResult": SweepResult,
    "Style": __import__("credibility.render.terminal", fromlist=["Style"]).Style,
    "Budget": __import__("credibility.symbolic.budget", fromlist=["Budget"]).Budget,
}


def _hints(function) -> dict[str, Any]:
    module = sys.modules[function.__module__]
    return typing.get_type_hints(function, globalns=vars(module), localns=NAMES)


def _mentions_any(hint) -> bool:
    return hint is Any or any(_mentions_any(arg) for arg in typing.get_args(hint))


def test_solve_is_overloaded_by_kind_of_game():
    overloads = typing.get_overloads(credibility.api.solve)
    returned = {_hints(o)["game"]: _hints(o)["return"] for o in overloads}
    assert returned == {
        cr.Bimatrix: nash.BimatrixSolution,
        cr.GameTree: subgame_perfect.TreeSolution,
        cr.SignallingGame: pbe.SignallingSolution,
        credibility.models.NormalForm: normal_nash.NormalSolution,
    }


@pytest.mark.parametrize(
    ("function", "returned"),
    [
        pytest.param(credibility.api.thresholds, threshold_result.ThresholdResult, id="thresholds"),
        pytest.param(credibility.sweeps.engine.sweep, SweepResult, id="sweep"),
        pytest.param(render, str, id="render"),
    ],
)
def test_public_signatures_name_their_types(function, returned):
    hints = _hints(function)
    assert hints["return"] is returned
    assert not [name for name, hint in hints.items() if _mentions_any(hint)]


def test_render_and_solve_signatures_have_no_any():
    for function in (credibility.api.solve, credibility.api.load, render):
        hints = _hints(function)
        assert not [name for name, hint in hints.items() if _mentions_any(hint)], function
    assert set(typing.get_args(_hints(render)["result"])) == {
        nash.BimatrixSolution,
        subgame_perfect.TreeSolution,
        pbe.SignallingSolution,
        normal_nash.NormalSolution,
        threshold_result.ThresholdResult,
    }


# -- errors in the library's words ---------------------------------------------------------


@pytest.mark.parametrize(
    ("game", "arguments", "message"),
    [
        pytest.param(
            "entry_deterrence",
            {"method": "support"},
            "the method= argument applies to bimatrix and normal-form games only, "
            "not to a tree game",
            id="method",
        ),
        pytest.param(
            "chicken",
            {"mixed": False},
            "the mixed= argument applies to signalling and normal-form games only, "
            "not to a bimatrix game",
            id="mixed",
        ),
    ],
)
def test_library_errors_name_arguments_and_the_cli_names_options(game, arguments, message):
    with pytest.raises(cr.CredibilityError) as raised:
        cr.solve(cr.load(game), **arguments)
    assert str(raised.value) == message and "--" not in message
    from cli import cli

    option = ["--method", "support"] if "method" in arguments else ["--pure-only"]
    result = CliRunner().invoke(cli, ["solve", game, *option])
    assert result.exit_code == 1
    flag = "--method" if "method" in arguments else "--pure-only"
    assert result.output == f"Error: {message.replace(message.split(' applies')[0], flag)}\n"


def test_nashpy_refusal_names_the_argument():
    size = nash.NASHPY_MAX_STRATEGIES // 2 + 1
    matrix = [[(i * 7 + j * 3) % 11 for j in range(size)] for i in range(size)]
    with pytest.raises(cr.GameTooLargeError) as raised:
        cr.solve(cr.Bimatrix.from_arrays(matrix, matrix), method="support")
    assert "(method='enumeration')" in str(raised.value) and "--method" not in str(raised.value)


# -- sweep grids as text -------------------------------------------------------------------


def test_sweep_takes_the_command_lines_grid_text():
    game = cr.load("sinking_costs")
    text = cr.sweep(game, grid={"m": "0:4:5"}, params={"q": "1/2"})
    axis = cr.sweep(game, grid=dict([parse_grid("m=0:4:5")]), params={"q": "1/2"})
    listed = cr.sweep(game, grid={"m": [0, 1, 2, "3", F(4)]}, params={"q": "1/2"})
    for other in (axis, listed):
        assert other.outcomes == text.outcomes
        assert other.columns["m"].tolist() == text.columns["m"].tolist() == [0, 1, 2, 3, 4]
    assert cr.sweep(game, grid={"m": "1/3, 1/2"}).columns["m"].tolist() == [1 / 3, 1 / 2]


def test_sweep_grid_text_errors_name_the_parameter():
    with pytest.raises(cr.ParameterError, match="swept parameter 'm': 'm=0:4'"):
        cr.sweep(cr.load("sinking_costs"), grid={"m": "0:4"})


def test_named_is_a_read_only_mapping():
    mix = Named(("a", "b"), (1, 2))
    assert mix == {"a": 1, "b": 2} and dict(mix) == {"a": 1, "b": 2}
    assert {"a": 1, "b": 2}.__eq__(mix) is NotImplemented and repr(mix) == "{'a': 1, 'b': 2}"
    assert len(mix) == 2 and "a" in mix and "c" not in mix and mix.get("c") is None
    assert not hasattr(mix, "__setitem__")


# -- the library's errors name its arguments, not the command line's options (issue 12) ---------


def test_too_large_game_suggests_the_keyword_arguments(monkeypatch):
    monkeypatch.setattr("credibility.solvers.enumeration.MAX_BASES", 1000)
    row = [[(i * 7 + j * 3) % 11 for j in range(14)] for i in range(14)]
    with pytest.raises(cr.GameTooLargeError) as caught:
        cr.solve(cr.Bimatrix.from_arrays(row, row))
    message = str(caught.value)
    assert "use exact=False, method='lemke-howson'" in message and "--" not in message


def test_an_existing_sweep_output_asks_for_overwrite_true(tmp_path):
    out = tmp_path / "map.csv"
    out.write_text("precious\n")
    with pytest.raises(cr.CredibilityError) as caught:
        cr.sweep(cr.load("unilateral_deterrence"), grid={"p": "0:1:3"}, out=out)
    message = str(caught.value)
    assert "give overwrite=True to replace it" in message and "--" not in message
    assert out.read_text() == "precious\n"


def test_a_stopped_threshold_derivation_suggests_params():
    with pytest.raises(threshold_result.DerivationStopped) as caught:
        cr.thresholds(cr.load("chicken"), "c_row", budget=0)
    message = str(caught.value)
    assert "params={'w_row': 1, 'l_row': -1, 'w_column': 1}" in message
    assert message.endswith("or every parameter but c_row at its default")
    assert "--" not in message
    with pytest.raises(cr.ParameterError) as bound:
        cr.thresholds(cr.load("chicken"), "c_row", {"c_row": 1})
    assert "bound by the params= argument" in str(bound.value) and "--" not in str(bound.value)


def test_the_command_line_still_speaks_of_its_options():
    from cli import _in_options

    message = (
        "70 free parameters appear in the game's payoffs, more than the 64 a symbolic "
        "derivation keeps: bind at least 6 of them (those in the most payoffs first: "
        "params={'a': 1, 'b': '1/2', 'c': -3, ...}), or every parameter but x at its default"
    )
    assert _in_options(message).endswith(
        "(those in the most payoffs first: --param a=1 --param b=1/2 --param c=-3 ...), "
        "or every parameter but x with --defaults"
    )
    assert _in_options("m.csv exists: give overwrite=True to replace it") == (
        "m.csv exists: add --overwrite to replace it"
    )
