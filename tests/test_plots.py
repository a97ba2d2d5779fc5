"""Pictures (issue 12): trees and signalling games drawn, exported as TikZ; sweep legends in words.

The drawing is checked through its layout (:mod:`credibility.render.tree_plot`), which says
which moves are highlighted and which marked as threats; the files are checked for their
format. The TikZ of every catalog tree and signalling game is compiled, like
tests/test_latex_compile.py: without pdflatex (or TikZ) the test skips, except on CI
(``CI=true``), where it fails.
"""

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import latex
import pytest
import sympy
from click.testing import CliRunner

import credibility as cr
from cli import cli
from credibility import GameTree, Move, Node, SenderType, SignallingGame
from credibility.errors import CredibilityError, GameTooLargeError
from credibility.render import plot, tree_plot
from credibility.render.tikz import tikz

ROOT = Path(__file__).resolve().parent.parent
CATALOG = {name: cr.load(name) for name in cr.catalog_names()}
TREES = [name for name, game in CATALOG.items() if game.kind == "tree"]
SIGNALLING = [name for name, game in CATALOG.items() if game.kind == "signalling"]
MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".pdf": b"%PDF-", ".svg": b"<?xml"}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _leaf(path: str, a: int, b: int) -> Node:
    return Node(path, payoffs=(sympy.Integer(a), sympy.Integer(b)))


def wide_tree(leaves: int) -> GameTree:
    """A root with ``leaves`` moves, each to a leaf."""
    moves = tuple(Move(f"m{k}", _leaf(f"m{k}", k, -k)) for k in range(leaves))
    return GameTree(("A", "B"), Node("", player="A", moves=moves))


def deep_tree(depth: int) -> GameTree:
    """A chain: at each node the mover stops (a leaf) or goes on; ``depth`` levels."""
    node = _leaf("/".join(["on"] * depth), depth, depth)
    for k in reversed(range(depth)):
        path = "/".join(["on"] * k)
        stop = _leaf(f"{path}/stop".lstrip("/"), k, -k)
        node = Node(path, player="AB"[k % 2], moves=(Move("stop", stop), Move("on", node)))
    return GameTree(("A", "B"), node)


def three_types() -> SignallingGame:
    """Three types, three messages: drawn in layers, with 10 pure equilibria (11 in all)."""
    integer = sympy.Integer

    def pay(*rows):
        return tuple(tuple((integer(a), integer(b)) for a, b in row) for row in rows)

    third = sympy.Rational(1, 3)
    types = (
        SenderType("High", third, pay([(2, 1), (0, 0)], [(1, 0), (0, 1)], [(0, 0), (1, 1)])),
        SenderType("Mid", third, pay([(1, 0), (2, 1)], [(2, 1), (0, 0)], [(0, 1), (1, 0)])),
        SenderType("Low", third, pay([(0, 0), (1, 1)], [(1, 1), (0, 0)], [(2, 0), (0, 1)])),
    )
    return SignallingGame(("S", "R"), ("a", "b", "c"), ("x", "y"), types)


# -- the layout of a tree: what is highlighted -----------------------------------------------


@pytest.mark.parametrize("name", TREES)
def test_highlighted_moves_are_the_subgame_perfect_ones_and_threats_are_marked(name):
    solution = cr.solve(CATALOG[name])
    layout = tree_plot.tree_layout(solution)
    spe = {(path, move) for e in solution.equilibria for path, move in e.actions.items()}
    assert set(layout.moves("equilibrium")) == spe
    threats = {(t.node, t.threat) for t in solution.non_credible_threats}
    assert set(layout.moves("threat")) == threats - spe
    for t in solution.non_credible_threats:
        where = "the root" if t.node == "" else t.node
        assert ("threat", f"threat that is not credible: {t.threat} at {where} ({t.player})") in (
            layout.legend
        )
    # every move is drawn once, from its node to the node it leads to
    game_moves = [(n.path, m.name) for n in CATALOG[name].nodes() for m in n.moves]
    drawn = [(layout.node(e.parent).path, e.move) for e in layout.edges]
    assert sorted(drawn) == sorted(game_moves)
    assert any(line.startswith("Parameters: ") for line in layout.heading)


def test_entry_deterrence_is_drawn_in_layers_with_its_payoffs():
    layout = tree_plot.tree_layout(cr.solve(CATALOG["entry_deterrence"]))
    by_path = {n.path: n for n in layout.nodes}
    root, entered = by_path[""], by_path["In"]
    leaves = [by_path[p] for p in ("Out", "In/Fight", "In/Accommodate")]
    assert root.y > entered.y > leaves[1].y and leaves[0].y == entered.y
    assert [leaf.x for leaf in leaves] == sorted(leaf.x for leaf in leaves)  # the file's order
    assert root.label == "Entrant" and entered.label == "Incumbent"
    assert [(leaf.label, leaf.reached) for leaf in leaves] == [
        ("(0, 4)", False),
        ("(-1, -1)", False),
        ("(1, 1)", True),
    ]
    assert layout.moves("threat") == [("In", "Fight")]
    assert "Parameters: m = 4, p = 1, q = 1, f = 1, w = 1, r = 0" in layout.heading


def test_a_credible_threat_is_highlighted_and_the_empty_promise_marked():
    layout = tree_plot.tree_layout(cr.solve(CATALOG["entry_deterrence"], {"r": 3}))
    assert layout.moves("equilibrium") == [("", "Out"), ("In", "Fight")]
    assert layout.moves("threat") == [("In", "Accommodate")]


def test_chance_moves_carry_their_probabilities():
    layout = tree_plot.tree_layout(cr.solve(CATALOG["unilateral_deterrence"], {"p": "1/4"}))
    labels = {e.label for e in layout.edges}
    assert {"Hard (1/4)", "Soft (3/4)"} <= labels
    assert [n.label for n in layout.nodes if n.kind == "chance"] == ["chance"]
    assert ("chance", "chance: each move's probability in brackets") in layout.legend


def test_at_a_tie_each_equilibrium_can_be_drawn_alone():
    solution = cr.solve(CATALOG["unilateral_deterrence"], {"p": "1/3"})
    assert len(solution.equilibria) == 2
    both = tree_plot.tree_layout(solution)
    assert {("", "Status quo"), ("", "Challenge")} <= set(both.moves("equilibrium"))
    for index, equilibrium in enumerate(solution.equilibria):
        alone = tree_plot.tree_layout(solution, index)
        assert set(alone.moves("equilibrium")) == set(equilibrium.actions.items())
        assert alone.title == f"Subgame-perfect equilibrium {index + 1} of 2"


def test_a_shared_subtree_is_drawn_under_each_move():
    shared = Node(
        "x", player="B", moves=(Move("l", _leaf("x/l", 1, 0)), Move("r", _leaf("x/r", 0, 1)))
    )
    tree = GameTree(("A", "B"), Node("", player="A", moves=(Move("x", shared), Move("y", shared))))
    layout = tree_plot.tree_layout(cr.solve(tree))
    assert sum(n.kind == "terminal" for n in layout.nodes) == 4
    assert len({n.key for n in layout.nodes}) == len(layout.nodes)


# -- size ---------------------------------------------------------------------------------------


def test_the_largest_tree_drawn_has_200_leaves():
    layout = tree_plot.tree_layout(cr.solve(wide_tree(tree_plot.MAX_LEAVES)))
    assert layout.dense  # payoffs written upright
    with pytest.raises(GameTooLargeError, match="201 leaves and 1 levels: a picture holds at most"):
        tree_plot.tree_layout(cr.solve(wide_tree(201)))


def test_a_tree_deeper_than_40_levels_is_refused():
    tree_plot.tree_layout(cr.solve(deep_tree(tree_plot.MAX_DEPTH)))
    with pytest.raises(GameTooLargeError, match="41 levels"):
        tree_plot.tree_layout(cr.solve(deep_tree(41)))


def test_the_command_line_refuses_a_large_tree_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr("cli._game", lambda name: wide_tree(300))
    result = run("show", "wide", "--plot", str(tmp_path / "wide.png"))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: the tree has 300 leaves and 1 levels: a picture holds at most 200 leaves and 40 "
        "levels and stays legible; solve it without --plot (the tables have no such limit)"
    ]
    assert not (tmp_path / "wide.png").exists()


# -- signalling games ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SIGNALLING)
def test_each_equilibrium_is_drawn_on_the_signalling_tree(name):
    solution = cr.solve(CATALOG[name])
    layouts = tree_plot.signalling_layouts(solution)
    assert len(layouts) == len(solution.equilibria)
    form = solution.form
    for e, layout in zip(solution.equilibria, layouts):
        played = {
            (form.types[t], form.messages[m])
            for t in range(len(form.types))
            for m in range(len(form.messages))
            if e.sender[t][m] > 0
        } | {
            (f"{form.types[t]}/{form.messages[m]}", form.responses[r])
            for t in range(len(form.types))
            for m in range(len(form.messages))
            for r in range(len(form.responses))
            if e.receiver[m][r] > 0
        }
        assert set(layout.moves("equilibrium")) == played
        # chance in the middle, the receiver's nodes after one message joined
        chance = next(n for n in layout.nodes if n.kind == "chance")
        types = [n for n in layout.nodes if n.path in form.types]
        assert min(n.y for n in types) < chance.y < max(n.y for n in types)
        for info, message in zip(layout.information_sets, form.messages):
            members = [layout.node(key) for key in info.members]
            assert [n.path for n in members] == [f"{t}/{message}" for t in form.types]
            assert len({n.x for n in members}) == 1  # one vertical dashed line
            assert all(n.note.startswith("belief ") for n in members)
        for m in e.off_path:
            assert any(f"No type sends {form.messages[m]}" in note for note in layout.notes)


def test_the_beliefs_are_written_at_the_nodes():
    pooling = tree_plot.signalling_layouts(cr.solve(CATALOG["sinking_costs"]), 1)[0]
    notes = {n.path: n.note for n in pooling.nodes if n.note}
    assert notes == {
        "Resolved/Mobilise": "belief 0 to 1/3 (off path)",
        "Resolved/Stand pat": "belief 3/10",
        "Irresolute/Mobilise": "belief 2/3 to 1 (off path)",
        "Irresolute/Stand pat": "belief 7/10",
    }
    assert pooling.title.startswith("Equilibrium 2 of 2: pooling")


def test_a_larger_signalling_game_is_drawn_in_layers_and_many_equilibria_one_at_a_time():
    solution = cr.solve(three_types(), mixed=False)  # ten pure equilibria (mixed ones take 16 s)
    assert len(solution.equilibria) > tree_plot.MAX_PANELS
    with pytest.raises(GameTooLargeError, match="pick one with the equilibrium= argument"):
        tree_plot.signalling_layouts(solution)
    (layout,) = tree_plot.signalling_layouts(solution, 0)
    assert all(info.arc for info in layout.information_sets)
    assert [len(info.members) for info in layout.information_sets] == [3, 3, 3]
    chance = next(n for n in layout.nodes if n.kind == "chance")
    assert chance.y == max(n.y for n in layout.nodes)


def test_show_draws_the_bare_signalling_tree():
    layout = tree_plot.game_layout(CATALOG["tying_hands"])
    assert layout.moves("equilibrium") == [] and not any(n.note for n in layout.nodes)
    assert len(layout.information_sets) == 2


# -- files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_show_writes_the_tree_in_each_format(tmp_path, suffix):
    out = tmp_path / f"tree{suffix}"
    result = run("show", "entry_deterrence", "--plot", str(out))
    assert result.exit_code == 0, result.output
    assert "Entry deterrence" in result.output  # the description is printed as before
    data = out.read_bytes()
    assert data.startswith(MAGIC[suffix]) and len(data) > 1000
    if suffix == ".svg":
        assert b"<svg" in data


def test_solve_draws_a_tree_and_a_signalling_game(tmp_path):
    for name in ("unilateral_deterrence", "sinking_costs"):
        out = tmp_path / f"{name}.png"
        result = run(
            "solve", name, "--plot", str(out), "--param", "m=2" if "sink" in name else "p=1/3"
        )
        assert result.exit_code == 0, result.output
        assert "equilibri" in result.output
        assert out.read_bytes().startswith(MAGIC[".png"])
    one = tmp_path / "one.pdf"
    assert run("solve", "sinking_costs", "--plot", str(one), "--equilibrium", "2").exit_code == 0
    assert one.read_bytes().startswith(MAGIC[".pdf"])


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(
            ["show", "chicken", "--plot", "x.png"],
            1,
            "Error: only game trees and signalling games are drawn (--plot, --format tikz); "
            "a bimatrix game's picture is its payoff table",
            id="bimatrix",
        ),
        pytest.param(
            ["solve", "entry_deterrence", "--plot", "x.jpg"],
            2,
            "Error: Invalid value for --plot: cannot tell the picture format from '.jpg': "
            "use .png, .svg or .pdf",
            id="suffix",
        ),
        pytest.param(
            ["solve", "sinking_costs", "--equilibrium", "1"],
            2,
            "Error: --equilibrium picks what --plot or --format tikz draws",
            id="equilibrium-alone",
        ),
        pytest.param(
            ["solve", "sinking_costs", "--format", "tikz", "--equilibrium", "3"],
            2,
            "Error: Invalid value for --equilibrium: there are 2 equilibria to draw, not 3",
            id="equilibrium-range",
        ),
        pytest.param(
            ["solve", "chicken", "--format", "tikz"],
            1,
            "Error: only game trees and signalling games are drawn (--plot, --format tikz); "
            "a bimatrix game's picture is its payoff table",
            id="bimatrix-tikz",
        ),
    ],
)
def test_what_cannot_be_drawn_is_refused_in_one_line(tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == code
    assert result.output.strip().splitlines()[-1] == message
    assert not list(tmp_path.iterdir())


def test_a_missing_matplotlib_is_one_line_naming_the_extra(tmp_path, monkeypatch):
    for module in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError
    expected = (
        "drawing pictures needs matplotlib, which the 'sweep' extra installs: "
        "pip install 'credibility[sweep]'"
    )
    with pytest.raises(CredibilityError) as error:
        tree_plot.require_matplotlib()
    assert str(error.value) == expected
    result = run("solve", "entry_deterrence", "--plot", str(tmp_path / "tree.png"))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {expected}"
    with pytest.raises(CredibilityError, match=r"pip install 'credibility\[sweep\]'"):
        plot.outcome_line(tmp_path / "line.png", "x", Fraction(0), [0], ["a"])
    # the TikZ output needs no matplotlib
    assert run("solve", "entry_deterrence", "--format", "tikz").exit_code == 0


def test_importing_the_picture_modules_does_not_import_matplotlib():
    code = (
        "import sys, credibility.render.tree_plot, credibility.render.tikz; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


# -- TikZ ------------------------------------------------------------------------------------------


def test_tikz_states_its_preamble_highlights_and_parameters():
    out = run("solve", "entry_deterrence", "--format", "tikz").output
    first, second = out.splitlines()[:2]
    assert first.startswith("% credibility: Entry deterrence")
    assert r"\usepackage{tikz}" in second and "docs/latex.md" in second
    assert r"\draw[equilibrium] (n0) -- node[pos=0.5, above right, movename] {In}" in out
    assert r"\draw[threat] (n2) -- node[pos=0.5, above left, movename] {Fight} (n3);" in out
    assert "threat that is not credible: Fight at In (Incumbent)" in out
    assert "Parameters: $m = 4$, $p = 1$" in out
    assert r"{\boldmath $(1, 1)$}" in out  # where subgame-perfect play ends
    signalling = run("solve", "sinking_costs", "--format", "tikz").output
    assert signalling.count(r"\begin{tikzpicture}") == 2
    assert r"\draw[infoset] (n10) -- (n20);" in signalling


@pytest.fixture(scope="module")
def engine() -> str:
    """pdflatex with TikZ (Debian: texlive-latex-base and texlive-pictures)."""
    return latex.engine(tikz=True)


@pytest.mark.slow
def test_tikz_of_every_catalog_tree_and_signalling_game_compiles(engine, tmp_path):
    body = []
    for name in TREES + SIGNALLING:
        body += [f"% ---- {name}", r"\noindent", tikz(cr.solve(CATALOG[name])), r"\par\bigskip"]
    tie = cr.solve(CATALOG["unilateral_deterrence"], {"p": "1/3"}, exact=False)
    body += [tikz(tie, 1), r"\par", tikz(cr.solve(three_types()), 0)]
    document = latex.preamble(tikz=True) + "\n".join(body) + "\n\\end{document}\n"
    latex.compile_document(engine, tmp_path, "trees", document)


# -- sweep pictures: the colours in words, the fixed parameters in the title --------------------


@pytest.mark.parametrize(
    ("name", "label", "legend"),
    [
        pytest.param(
            "unilateral_deterrence", "Status quo", "deterrence holds: Status quo", id="held"
        ),
        pytest.param(
            "unilateral_deterrence",
            "Challenge",
            "deterrence fails, then chance decides what follows: Challenge",
            id="lottery",
        ),
        pytest.param(
            "entry_deterrence",
            "In > Accommodate",
            "deterrence fails, then Incumbent plays Accommodate: In > Accommodate",
            id="path",
        ),
        pytest.param(
            "entry_deterrence",
            "Out | In > Accommodate",
            "a tie: deterrence holds, or deterrence fails, then Incumbent plays Accommodate: "
            "Out | In > Accommodate",
            id="tie",
        ),
        pytest.param("sinking_costs", "pooling", "the signal says nothing: pooling", id="pooling"),
        pytest.param(
            "chicken",
            "degenerate: Swerve/Straight | Straight/Straight",
            "payoffs tie here, 2 equilibria: Swerve/Straight | Straight/Straight",
            id="bimatrix",
        ),
        pytest.param(
            "chicken", "no equilibrium", "no equilibrium found: no equilibrium", id="none"
        ),
    ],
)
def test_sweep_legends_say_what_each_colour_means(name, label, legend):
    assert plot.legend_label(CATALOG[name], label) == legend


def test_a_path_the_tree_does_not_have_is_left_as_it_is():
    assert plot.legend_label(CATALOG["entry_deterrence"], "Stay > Home") == "Stay > Home"
    assert plot.legend_label(None, "Out") == "Out"


def test_the_sweep_title_states_the_parameters_not_swept():
    title = plot.sweep_title(
        CATALOG["unilateral_deterrence"], ["p", "a_DD"], {"a_SQ": Fraction(-1, 2)}
    )
    assert title.splitlines() == [
        "Unilateral deterrence with a defender of uncertain resolve",
        "equilibrium outcome over p and a_DD",
        "other parameters: a_SQ = -1/2, a_DC = 1, b_SQ = 3, b_DC = -1, b_DD_hard = 1, "
        "b_DD_soft = -3",
    ]


def test_sweep_pictures_with_the_game_are_written(tmp_path):
    import numpy as np

    game = CATALOG["unilateral_deterrence"]
    x = np.linspace(0, 1, 5)
    labels = ["Challenge", "Status quo"]
    codes = np.array([[0, 0, 1, 1, 1]] * 5).T
    title = plot.sweep_title(game, ["p", "a_DD"])
    plot.outcome_map(tmp_path / "map.png", ("p", "a_DD"), x, x, codes, labels, (), title, game=game)
    plot.outcome_line(tmp_path / "line.png", "p", x, codes[:, 0], labels, (), title, game=game)
    for name in ("map.png", "line.png"):
        assert (tmp_path / name).read_bytes().startswith(MAGIC[".png"])


def test_docs_pictures_are_small():
    for name in ("tree_entry_deterrence.png", "signalling_sinking_costs.png"):
        size = (ROOT / "docs" / "images" / name).stat().st_size
        assert 0 < size < 100_000, name


def test_json_output_is_unchanged_by_plot(tmp_path):
    plain = run("solve", "entry_deterrence", "--format", "json").output
    drawn = run("solve", "entry_deterrence", "--format", "json", "--plot", str(tmp_path / "t.svg"))
    assert json.loads(drawn.output) == json.loads(plain)
