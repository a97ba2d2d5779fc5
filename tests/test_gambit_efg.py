"""Gambit .efg files (read and written), TOML game files written, and `credibility convert`."""

import json
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import credibility as cr
from cli import cli
from credibility.errors import CredibilityError, GameFileError, ParameterError
from credibility.io.gambit import parse_nfg
from credibility.io.gambit_efg import SLASH, efg_safe, format_efg, parse_efg, read_efg, write_efg
from credibility.io.loader import format_game, write_game
from credibility.io.textfile import MAX_FILE_BYTES
from credibility.io.toml_loader import parse_toml
from credibility.io.toml_writer import format_expression, format_toml, write_toml
from credibility.models import GameTree, Move, Node, SenderType, SignallingGame

DATA = Path(__file__).parent / "data" / "efg"
CATALOG = cr.catalog_names()
TREES = [name for name in CATALOG if cr.load(name).kind == "tree"]
SIGNALLING = [name for name in CATALOG if cr.load(name).kind == "signalling"]
BIMATRIX = [name for name in CATALOG if cr.load(name).kind == "bimatrix"]

ENTRY = """EFG 2 R "Entry" { "Entrant" "Incumbent" } ""
p "" 1 1 "" { "Out" "In" } 0
t "" 1 "" { 0 4 }
p "" 2 1 "" { "Fight" "Accommodate" } 0
t "" 2 "" { -1 -1 }
t "" 3 "" { 1 1 }
"""


def exact(value):
    return Fraction(int(value.p), int(value.q))


def terminals(tree):
    return [
        (node.path, tuple(exact(x) for x in node.payoffs)) for node in tree.nodes() if node.payoffs
    ]


def bound_terminals(tree, params=None):
    binding = tree.bind(params)
    return [tuple(binding.value(x) for x in node.payoffs) for node in tree.nodes() if node.payoffs]


# -- reading ----------------------------------------------------------------------------


def test_reads_chance_decimals_nonterminal_outcomes_and_reused_outcomes():
    tree = read_efg(DATA / "entry_with_chance.efg")
    assert tree.players == ("Entrant", "Incumbent")
    assert tree.info.title == "Entry against an incumbent of unknown cost"
    assert tree.info.description.startswith("Nature picks the incumbent's cost")
    assert tree.info.name == "entry_with_chance"
    assert tree.root.kind == "chance"
    assert [(m.name, m.probability) for m in tree.root.moves] == [
        ("Low cost", sympy.Rational(1, 4)),
        ("High cost", sympy.Rational(3, 4)),
    ]
    # the entry fee (an outcome at the incumbent's node) is added below it; outcome 1 and 4
    # are declared once and used twice
    assert terminals(tree) == [
        ("Low cost/Out", (0, 4)),
        ("Low cost/In/Fight", (-2, 2)),
        ("Low cost/In/Accommodate", (1, Fraction(3, 2))),
        ("High cost/Out", (0, 4)),
        ("High cost/In/Fight", (-2, -2)),
        ("High cost/In/Accommodate", (1, Fraction(3, 2))),
    ]


def test_a_read_tree_solves_through_load_and_the_command_line():
    solution = cr.solve(cr.load(str(DATA / "entry_with_chance.efg")))
    assert [e.payoffs for e in solution.equilibria] == [(Fraction(3, 4), Fraction(17, 8))]
    result = CliRunner().invoke(
        cli, ["solve", str(DATA / "entry_with_chance.efg"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["equilibria"][0]["payoffs"] == {
        "Entrant": "3/4",
        "Incumbent": "17/8",
    }


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("1/3", Fraction(1, 3)),
        ("0.1", Fraction(1, 10)),
        (".25", Fraction(1, 4)),
        ("1.5e-1", Fraction(3, 20)),
        ("0.333333333333333333333333333333", Fraction(333333333333333333333333333333, 10**30)),
    ],
)
def test_probabilities_and_payoffs_are_exact(literal, expected):
    rest = 1 - expected
    text = f"""EFG 2 D "" {{ "A" "B" }}
c "" 1 "" {{ "x" {literal} "y" {rest.numerator}/{rest.denominator} }} 0
t "" 1 "" {{ {literal} -{literal} }}
t "" 0
"""
    tree = parse_efg(text)
    assert exact(tree.root.moves[0].probability) == expected
    assert terminals(tree) == [("x", (expected, -expected)), ("y", (0, 0))]


def test_a_root_that_is_terminal_and_a_one_move_node():
    assert terminals(parse_efg('EFG 2 R "" { "A" "B" } t "" 1 "" { 3 4 }')) == [("", (3, 4))]
    tree = parse_efg('EFG 2 R "" { "A" "B" } p "" 2 7 "" { "only" } 0 t "" 0')
    assert tree.root.player == "B" and terminals(tree) == [("only", (0, 0))]


def test_repeated_chance_information_set_shares_its_moves():
    tree = parse_efg("""EFG 2 R "" { "A" "B" }
p "" 1 1 "" { "L" "R" } 0
c "" 1 "coin" { "H" 1/3 "T" 2/3 } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 0 1 }
c "" 1 0
t "" 1
t "" 2
""")
    right = tree.root.moves[1].node
    assert [(m.name, m.probability) for m in right.moves] == [
        ("H", sympy.Rational(1, 3)),
        ("T", sympy.Rational(2, 3)),
    ]


def test_names_become_what_paths_need():
    tree = parse_efg("""EFG 2 R "" { "" "" }
c "" 1 "" { "1/2" 1/2 "1/2" 1/4 "" 1/4 } 0
p "" 1 1 "" { "a" "a" } 0
t "" 0
t "" 0
t "" 0
t "" 0
""")
    assert tree.players == ("Player 1", "Player 2")
    assert [m.name for m in tree.root.moves] == [f"1{SLASH}2", f"1{SLASH}2 (2)", "Move 3"]
    assert [m.name for m in tree.root.moves[0].node.moves] == ["a", "a (2)"]
    assert tree.root.moves[0].node.moves[1].node.path == f"1{SLASH}2/a (2)"


def test_a_deep_tree_is_read_without_recursion():
    depth = 3000
    body = "\n".join(
        f'p "" {1 + k % 2} {k + 1} "" {{ "stop" "go" }} 0\nt "" 0' for k in range(depth)
    )
    tree = parse_efg(f'EFG 2 R "" {{ "A" "B" }}\n{body}\nt "" 1 "" {{ 1 1 }}\n')
    assert len(list(tree.nodes())) == 2 * depth + 1
    assert terminals(tree)[-1] == ("/".join(["go"] * depth), (1, 1))


def test_a_tree_too_deep_to_name_its_nodes_is_refused(monkeypatch):
    import credibility.io.gambit_efg as efg

    monkeypatch.setattr(efg, "MAX_PATH_CHARACTERS", 1000)
    rung = 'p "" 1 1 "" { "stop" "go" } 0\nt "" 0\n'
    body = "".join(rung.replace(" 1 1 ", f" 1 {k + 1} ") for k in range(40))
    with pytest.raises(GameFileError) as caught:
        parse_efg(f'EFG 2 R "" {{ "A" "B" }}\n{body}t "" 0', source="ladder.efg")
    assert caught.value.field == "node 37"  # paths of 973 characters before it, 53 here
    assert caught.value.message == (
        "line 38:1: the tree is too deep to name its nodes: with this node, the paths of the "
        "nodes (their move names from the root joined by '/') take more than 1,000 characters"
    )


ERRORS = [
    pytest.param(
        'EFG 2 R "" { "A" } t "" 0', "players", "expected at least two players", id="one-player"
    ),
    pytest.param(
        'NFG 1 R "" { "A" "B" } { 1 1 } 0 0',
        "header",
        "line 1:1: expected the file type 'EFG' (a Gambit extensive-form file), got 'NFG'",
        id="not-efg",
    ),
    pytest.param(
        'EFG 3 R "" { "A" "B" } t "" 0',
        "header",
        "line 1:5: format version 3 is not supported, expected EFG version 2",
        id="version",
    ),
    pytest.param(
        'EFG 2 Q "" { "A" "B" } t "" 0',
        "header",
        "line 1:7: expected the data type 'R' or 'D', got 'Q'",
        id="data-type",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\np "" 1 1 "" { "L" "R" } 0\nt "" 0\n',
        "node 3",
        "line 4:1: expected a node ('c', 'p' or 't') for move 'R' of the node at line 2:1 "
        "(is the file cut short?), got the end of the file",
        id="truncated-node",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\np "" 1 1 "" { "L" "R',
        "node 1",
        "line 2:19: end of file inside a quoted string",
        id="truncated-string",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\nt "" 1 "" { 1',
        "node 1",
        "expected a payoff (a number) or '}', got the end of the file",
        id="truncated-payoffs",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\nc "" 1 "" { "x" 1/2 "y" 1/3 } 0 t "" 0 t "" 0',
        "node 1",
        "line 2:11: expected probabilities that sum to 1, got 5/6",
        id="probability-sum",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\nc "" 1 "" { "x" 3/2 "y" -1/2 } 0 t "" 0 t "" 0',
        "node 1",
        "line 2:17: expected a probability from 0 to 1, got 3/2",
        id="probability-range",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\nc "" 1 "" { "x" "y" } 0',
        "node 1",
        "line 2:17: expected the probability of the move (a number), got 'y'",
        id="probability-missing",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\np "" 3 1 "" { "x" } 0 t "" 0',
        "node 1",
        "line 2:6: expected the number of the player who moves (1 or 2), got 3",
        id="player-number",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\np "" 1 1.5 "" { "x" } 0 t "" 0',
        "node 1",
        "line 2:8: expected the number of the information set (a whole number >= 1), got '1.5'",
        id="infoset-number",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\np "" 1 1 0',
        "node 1",
        "line 2:10: expected the name and moves of information set 1 of player 1, which "
        "appears here for the first time, got '0'",
        id="infoset-undefined",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\np "" 1 1 "" { } 0',
        "node 1",
        "line 2:13: expected at least one move",
        id="no-moves",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\nt "" 1 "" { 1 2 3 }',
        "node 1",
        "line 2:11: expected 2 payoffs (one per player) in outcome 1, got 3",
        id="payoff-count",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\nt "" 4',
        "node 1",
        "expected the name and payoffs of outcome 4, which appears here for the first time, "
        "got the end of the file",
        id="outcome-undefined",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\nt "" 0 "" { 1 2 }',
        "node 1",
        "line 2:8: expected no name or payoffs after the null outcome 0, got ''",
        id="null-outcome-payoffs",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\np "" 1 1 "" { "x" "y" } 0\nt "" 1 "o" { 1 2 }\nt "" 1 "o" { 1 3 }',
        "node 3",
        "line 4:12: outcome 1 is declared again with other payoffs (first at line 3:6)",
        id="outcome-redeclared",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\np "" 1 1 "" { "x" "y" } 0\nc "" 1 "" { "h" 1 } 0 t "" 0\n'
        'c "" 1 "" { "h" 1/2 "t" 1/2 } 0 t "" 0 t "" 0',
        "node 4",
        "line 4:11: chance information set 1 is declared again with other moves or "
        "probabilities (first at line 3:1)",
        id="chance-infoset-redeclared",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\nx "" 0',
        "node 1",
        "line 2:1: expected a node ('c', 'p' or 't') for the root node, got 'x'",
        id="node-type",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\nt "" 0\nt "" 0',
        "node 1",
        "line 3:1: expected the end of the file: the tree is complete after node 1, got 't'",
        id="trailing-node",
    ),
    pytest.param(
        'EFG 2 R "" { "A" "B" }\nt "" 1 "" { 1 1e999 }',
        "node 1",
        "the number 1e999 is out of range",
        id="huge-exponent",
    ),
]


@pytest.mark.parametrize(("text", "field", "message"), ERRORS)
def test_malformed_files_name_the_file_field_line_and_expectation(tmp_path, text, field, message):
    path = tmp_path / "bad.efg"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GameFileError) as caught:
        cr.load(str(path))
    error = caught.value
    assert (error.file, error.field) == (str(path), field)
    assert message in error.message
    assert str(error).startswith(f"{path}, field '{field}': line ")
    assert "\n" not in str(error)


def test_a_non_singleton_information_set_is_named():
    with pytest.raises(GameFileError) as caught:
        read_efg(DATA / "imperfect.efg")
    assert caught.value.field == "node 5"
    assert caught.value.message == (
        "line 8:8: information set 1 of player 2 ('Odd'), named 'Odd does not see it', holds "
        "more than one node (at line 5:1 and line 8:1): this library reads only games of "
        "perfect information, where each information set is one node"
    )


def test_the_first_non_singleton_information_set_is_the_one_reported():
    text = """EFG 2 R "" { "A" "B" }
p "" 1 3 "" { "x" "y" } 0
p "" 2 9 "" { "u" "v" } 0
t "" 0
p "" 1 3 0
t "" 0
t "" 0
p "" 2 9 0
t "" 0
t "" 0
"""
    with pytest.raises(GameFileError, match=r"information set 3 of player 1 \('A'\) holds"):
        parse_efg(text)


def test_a_three_player_file_solves_through_the_command_line():
    # Ann: Left ends at (1, 2, 3); Right lets Cy choose Up (0, 0, 0) or Down (3, 2, 1). Cy
    # would play Down, so Ann plays Right; (Left; Up) is a Nash equilibrium resting on Cy's
    # threat to play Up, which Cy would not carry out.
    result = CliRunner().invoke(cli, ["solve", str(DATA / "three_players.efg")])
    assert result.exit_code == 0, result.output
    assert "1  Right > Down  Right  Down   3           2           1" in result.output
    assert "Cy would not Up at 'Right': once there, Down gives 1, Up only 0." in result.output


def test_the_size_limit_applies(tmp_path):
    path = tmp_path / "big.efg"
    path.write_text(ENTRY + " " * 100, encoding="utf-8")
    with pytest.raises(GameFileError, match="larger than the limit of 100 bytes"):
        read_efg(path, limit=100)
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(GameFileError, match=f"larger than the limit of {MAX_FILE_BYTES} bytes"):
        cr.load(str(path))


def test_line_ends_inside_strings_are_kept(tmp_path):
    path = tmp_path / "crlf.efg"
    path.write_bytes(ENTRY.replace('""', '"two\r\nlines"', 1).encode())
    assert read_efg(path).info.description == "two\r\nlines"


# -- writing .efg -----------------------------------------------------------------------


@pytest.mark.parametrize("name", TREES)
def test_catalog_trees_round_trip_through_our_reader(name):
    tree = cr.load(name)
    back = parse_efg(format_efg(tree))
    assert back.players == tree.players
    assert [(n.path, n.kind, n.player) for n in back.nodes()] == [
        (n.path, n.kind, n.player) for n in tree.nodes()
    ]
    assert [t[1] for t in terminals(back)] == bound_terminals(tree)
    binding = tree.bind()
    probabilities = [
        [binding.value(m.probability) for m in n.moves] for n in tree.nodes() if n.chance
    ]
    assert [[exact(m.probability) for m in n.moves] for n in back.nodes() if n.chance] == (
        probabilities
    )


def test_parameters_are_bound_and_checked():
    tree = cr.load("entry_deterrence")
    assert [t[1] for t in terminals(parse_efg(format_efg(tree, {"r": "7/2"})))][1] == (
        -1,
        Fraction(5, 2),
    )
    with pytest.raises(ParameterError, match="below its minimum"):
        format_efg(tree, {"r": -1})
    with pytest.raises(ParameterError, match="unknown parameter 'zz'"):
        format_efg(tree, {"zz": 1})


def test_a_signalling_game_is_written_with_one_receiver_information_set_per_message():
    game = cr.load("tying_hands")
    text = format_efg(game)
    lines = text.splitlines()
    assert lines[3] == 'c "" 1 "" { "Resolved" 3/10 "Irresolute" 7/10 } 0'
    assert lines[4] == 'p "" 1 1 "Resolved" { "Commit" "Stay quiet" } 0'
    receiver = [line for line in lines if line.startswith('p "" 2 ')]
    assert (
        receiver
        == [
            'p "" 2 1 "Commit" { "Challenge" "Back down" } 0',
            'p "" 2 2 "Stay quiet" { "Challenge" "Back down" } 0',
        ]
        * 2
    )
    with pytest.raises(GameFileError, match=r"information set 1 of player 2 \('Challenger'\)"):
        parse_efg(text)  # not of perfect information


def test_a_bimatrix_game_is_written_as_simultaneous_moves():
    text = format_efg(cr.load("chicken"), {"c_row": 2})
    assert text.splitlines()[3:] == [
        'p "" 1 1 "" { "Swerve" "Straight" } 0',
        'p "" 2 1 "" { "Swerve" "Straight" } 0',
        't "" 1 "Outcome 1" { 0, 0 }',
        't "" 2 "Outcome 2" { -1, 1 }',
        'p "" 2 1 "" { "Swerve" "Straight" } 0',
        't "" 3 "Outcome 3" { 1, -1 }',
        't "" 4 "Outcome 4" { -2, -5 }',
    ]


def test_write_to_path_and_stream(tmp_path):
    path = tmp_path / "entry.efg"
    write_efg(parse_efg(ENTRY), None, path)
    assert path.read_bytes().decode("ascii") == format_efg(parse_efg(ENTRY))
    assert read_efg(path) == parse_efg(ENTRY, name="entry")


def test_names_are_written_as_gambit_reads_them_and_read_back_as_efg_safe_says():
    leaf = Node("", payoffs=(sympy.Integer(1), sympy.Integer(2)))
    root = Node(
        "",
        player="Défense",
        moves=(
            Move("hold  fast", leaf),
            Move("a/b", leaf),
            Move(f"a{SLASH}b", leaf),
            Move("日本", leaf),
            Move('say "no" \\', leaf),
        ),
    )
    tree = GameTree(("Défense", " "), root)
    safe = efg_safe(tree)
    assert safe.players == ("Defense", "Player 2")
    assert [m.name for m in safe.root.moves] == [
        "hold fast",
        f"a{SLASH}b",
        f"a{SLASH}b (2)",
        "<U+65E5><U+672C>",
        'say "no"',
    ]
    text = format_efg(tree)
    assert '{ "hold fast" "a/b" "a/b (2)" "<U+65E5><U+672C>" "say \\"no\\"" }' in text
    assert parse_efg(text) == safe


_NAMES = st.text(
    st.sampled_from(["a", "B", " ", "\t", "/", SLASH, "é", "日", '"', "\\", "1", "\x07"]),
    max_size=6,
)


@st.composite
def _trees(draw):
    players = (draw(_NAMES), draw(_NAMES))
    if players[0] == players[1]:
        players = (players[0], players[1] + "x")

    def node(depth):
        kind = draw(
            st.sampled_from(["terminal", "decision", "chance"] if depth < 3 else ["terminal"])
        )
        if kind == "terminal":
            pair = draw(st.tuples(st.fractions(max_denominator=9), st.fractions(max_denominator=9)))
            return Node("", payoffs=(sympy.Rational(pair[0]), sympy.Rational(pair[1])))
        children = [node(depth + 1) for _ in range(draw(st.integers(1, 3)))]
        names = [draw(_NAMES) for _ in children]
        if kind == "decision":
            moves = tuple(Move(n, c) for n, c in zip(names, children))
            return Node("", player=draw(st.sampled_from(players)), moves=moves)
        weights = [draw(st.integers(0, 3)) for _ in children]
        weights[0] += 1
        moves = tuple(
            Move(n, c, sympy.Rational(w, sum(weights))) for n, c, w in zip(names, children, weights)
        )
        return Node("", chance=True, moves=moves)

    title = draw(st.text(max_size=8))
    return GameTree(players, node(0), info=cr.GameInfo(title=title))


@settings(max_examples=60, deadline=None)
@given(_trees())
def test_any_tree_reads_back_as_efg_safe_says(tree):
    assert parse_efg(format_efg(tree)) == efg_safe(tree)


# -- writing .toml ----------------------------------------------------------------------


@pytest.mark.parametrize("name", CATALOG)
def test_every_catalog_model_round_trips_through_toml(tmp_path, name):
    game = cr.load(name)
    path = write_game(game, tmp_path / f"{name}.toml")  # what `credibility convert` does
    back = cr.load(str(path))
    assert back == game
    assert cr.render(cr.solve(back), "json") == cr.render(cr.solve(game), "json")


def test_write_toml_to_path_and_stream(tmp_path):
    import io

    game = cr.load("tying_hands")
    stream = io.StringIO()
    write_toml(game, {"a": 3}, stream)
    write_toml(game, {"a": 3}, tmp_path / "t.toml")
    assert (tmp_path / "t.toml").read_bytes().decode("utf-8") == stream.getvalue()
    assert stream.getvalue() == format_toml(game, {"a": 3})


def test_toml_params_become_the_new_defaults():
    game = cr.load("tying_hands")
    back = parse_toml(format_toml(game, {"a": "3/2", "q": 0.5}))
    assert {p.name: p.default for p in back.parameters}["a"] == Fraction(3, 2)
    assert cr.render(cr.solve(back), "json") == cr.render(
        cr.solve(game, {"a": "3/2", "q": "1/2"}), "json"
    )
    with pytest.raises(ParameterError, match="above its maximum 1"):
        format_toml(game, {"q": 2})


@pytest.mark.parametrize(
    "text",
    [
        "1 - p",
        "(1 - p) * 2/3",
        "max(0, v - m)",
        "min(p, 1 - p, v/3)",
        "abs(v - m) / (2*m)",
        "-p**(1/2)",
        "p**(-1/3)",
        "(1/2)**v",
        "(-2)**v",
        "-(p + v) * m",
        "0.25 / m",
        "1/(p + v)**2",
        "2**-2",
        "-7/3",
        "123456789012345678901234567890",
    ],
)
def test_expressions_are_written_so_that_they_read_back_the_same(text):
    p, v, m = (sympy.Symbol(n, positive=True) for n in "pvm")
    symbols = {"p": p, "v": v, "m": m}
    from credibility.expressions import parse_expression

    expr = parse_expression(text, symbols)
    assert parse_expression(format_expression(expr), symbols) == expr


def test_any_text_round_trips_through_toml():
    names = ['say "no"', "back\\slash", "tab\there", "line\nend", "日本", "", "a.b", "bell\x07"]
    game = cr.Bimatrix.from_arrays(
        [[1, 2]],
        [[3, 4]],
        players=["Row player", "Colonne"],
        row_strategies=[names[0]],
        column_strategies=names[1:3],
        title=names[3],
    )
    game = cr.Bimatrix(
        players=game.players,
        row_strategies=game.row_strategies,
        column_strategies=game.column_strategies,
        A=game.A,
        B=game.B,
        info=cr.GameInfo(title="".join(names), description=" ".join(names) * 20, source="x"),
    )
    assert parse_toml(format_toml(game)) == game


def test_a_signalling_game_with_odd_names_round_trips_through_toml():
    one, zero = sympy.Integer(1), sympy.Integer(0)
    pay = ((one, zero), (zero, one))
    types = (
        SenderType('type "A"', sympy.Rational(1, 3), (pay, pay)),
        SenderType("type.B", sympy.Rational(2, 3), (pay, pay)),
    )
    game = SignallingGame(("S", "R"), ("m 1", "m=2"), ("r/1", "r\\2"), types)
    assert parse_toml(format_toml(game)) == game


def test_a_tree_with_unwritable_move_names_is_refused():
    leaf = Node("", payoffs=(sympy.Integer(0), sympy.Integer(0)))
    tree = GameTree(("A", "B"), Node("", player="A", moves=(Move("x", leaf), Move("x", leaf))))
    with pytest.raises(GameFileError, match="distinct at a node") as caught:
        format_toml(tree)
    assert caught.value.field == "root.moves"


# -- converting -------------------------------------------------------------------------


@pytest.fixture
def convert(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, ["convert", *args], catch_exceptions=False)

    return invoke


@pytest.mark.parametrize(
    ("game", "out", "reader"),
    [
        ("chicken", "game.nfg", "nfg"),
        ("chicken", "game.efg", "efg"),
        ("chicken", "game.toml", "toml"),
        ("entry_deterrence", "game.efg", "efg"),
        ("entry_deterrence", "game.toml", "toml"),
        ("tying_hands", "game.efg", "efg"),
        ("tying_hands", "game.TOML", "toml"),
    ],
)
def test_convert_picks_the_format_from_the_suffix(convert, game, out, reader):
    result = convert(game, out)
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == ("", "")
    text = Path(out).read_text(encoding="utf-8")
    assert text == format_game(cr.load(game), reader)
    assert [p.name for p in Path().iterdir()] == [out]  # no temporary file left


def test_converted_files_load_and_solve_the_same(convert):
    for name in ("chicken", "entry_deterrence", "unilateral_deterrence"):
        expected = cr.render(cr.solve(cr.load(name)), "json")
        assert convert(name, f"{name}.toml").exit_code == 0
        assert cr.render(cr.solve(cr.load(f"{name}.toml")), "json") == expected
    assert convert("chicken", "chicken.nfg").exit_code == 0
    nfg = cr.load("chicken.nfg")
    assert (
        cr.solve(nfg).to_dict()["equilibria"]
        == cr.solve(cr.load("chicken")).to_dict()["equilibria"]
    )
    assert convert("entry_deterrence", "entry.efg").exit_code == 0
    assert [e.payoffs for e in cr.solve(cr.load("entry.efg")).equilibria] == [
        e.payoffs for e in cr.solve(cr.load("entry_deterrence")).equilibria
    ]


def test_convert_an_efg_file_to_toml_and_back(convert):
    original = read_efg(DATA / "entry_with_chance.efg")
    assert convert(str(DATA / "entry_with_chance.efg"), "entry.toml").exit_code == 0
    toml = cr.load("entry.toml")
    assert (toml.players, toml.root, toml.info.title) == (
        original.players,
        original.root,
        original.info.title,
    )
    assert convert("entry.toml", "entry.efg").exit_code == 0
    assert cr.load("entry.efg").root == original.root


def test_convert_binds_parameters(convert):
    assert convert("chicken", "c.nfg", "--param", "c_row=1/2").exit_code == 0
    assert parse_nfg(Path("c.nfg").read_text()).A[1][1] == sympy.Rational(-1, 2)
    assert convert("chicken", "c.toml", "--param", "c_row=1/2").exit_code == 0
    defaults = {p.name: p.default for p in cr.load("c.toml").parameters}
    assert defaults["c_row"] == Fraction(1, 2)


def test_format_option_overrides_the_suffix(convert):
    assert convert("chicken", "chicken.txt", "--format", "nfg").exit_code == 0
    assert Path("chicken.txt").read_text().startswith("NFG 1 R")


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (
            ["entry_deterrence", "e.nfg"],
            1,
            "Error: a tree game cannot be written as .nfg (Gambit's strategic form, for bimatrix "
            "games): write .efg or .toml\n",
        ),
        (
            ["tying_hands", "t.nfg"],
            1,
            "Error: a signalling game cannot be written as .nfg (Gambit's strategic form, for "
            "bimatrix games): write .efg or .toml\n",
        ),
        (
            ["chicken", "c.txt"],
            2,
            "Error: Invalid value for OUT: cannot tell the format from the suffix '.txt': use "
            ".nfg, .efg or .toml, or give --format\n",
        ),
        (["chicken", "c.nfg", "--format", "xml"], 2, "Invalid value for '--format'"),
        (["chicken", "c.nfg", "--param", "c_row"], 2, "expected NAME=VALUE, got 'c_row'"),
        (
            ["chicken", "c.nfg", "--param", "zz=1"],
            1,
            "Error: unknown parameter 'zz' (declared parameters: w_row, l_row, c_row, "
            "w_column, l_column, c_column)\n",
        ),
        (["chicken", "c.nfg", "--param", "c_row=-1"], 1, "is below its minimum 0"),
        (["no_such_game", "c.nfg"], 1, "'no_such_game' is neither a game file"),
        (["chicken", "."], 2, "is a directory"),
        (
            ["chicken", "missing/c.nfg"],
            1,
            "Error: missing/c.nfg: cannot write the file (No such file or directory)\n",
        ),
    ],
)
def test_convert_refuses_with_one_line(convert, args, status, message):
    result = convert(*args)
    assert result.exit_code == status
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not [p for p in Path().iterdir() if p.name != "missing"]


def test_convert_never_overwrites_without_overwrite(convert):
    Path("c.nfg").write_text("keep me")
    result = convert("chicken", "c.nfg")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: c.nfg exists: add --overwrite to replace it, or choose another output\n"
    )
    assert Path("c.nfg").read_text() == "keep me"
    assert convert("chicken", "c.nfg", "--overwrite").exit_code == 0
    assert Path("c.nfg").read_text().startswith("NFG 1 R")
    assert sorted(p.name for p in Path().iterdir()) == ["c.nfg"]


def test_write_game_refuses_a_file_that_appears_meanwhile(tmp_path, monkeypatch):
    path = tmp_path / "late.efg"
    import credibility.io.loader as loader

    real = loader.format_game

    def slow(*args, **kwargs):
        text = real(*args, **kwargs)
        path.write_text("written by someone else")
        return text

    monkeypatch.setattr(loader, "format_game", slow)
    with pytest.raises(CredibilityError, match="exists: give overwrite=True"):
        write_game(cr.load("entry_deterrence"), path)
    assert path.read_text() == "written by someone else"
    assert [p.name for p in tmp_path.iterdir()] == ["late.efg"]


# -- pygambit, the reference ------------------------------------------------------------


def _gambit_terminal_payoffs(gbt, game):
    """Payoffs at the terminal nodes in prefix order, outcomes on the path added up."""
    players = list(game.players)
    result = []
    for node in game.nodes:
        if not node.is_terminal:
            continue
        total = [Fraction(0)] * len(players)
        while node is not None:
            if node.outcome:
                for k, player in enumerate(players):
                    total[k] += Fraction(str(node.outcome[player]))
            node = node.parent
        result.append(tuple(total))
    return result


def _gambit_subgame_perfect(gbt, game):
    """Pygambit's pure subgame-perfect equilibria of a game of perfect information.

    Its pure agent-form equilibria (``enumpure_agent_solve``) include every subgame-perfect one;
    those that also pass the one-shot test at every decision node, by pygambit's own node
    values, are subgame perfect. Each as (the index of the move chosen at each decision node in
    prefix order, the payoffs).
    """
    found = set()
    for profile in gbt.nash.enumpure_agent_solve(game).equilibria:
        choices = []
        for node in game.nodes:
            if node.is_terminal or node.infoset.is_chance:
                continue
            chosen = [profile[action] for action in node.infoset.actions].index(1)
            values = [profile.node_value(node.player, child) for child in node.children]
            if values[chosen] != max(values):
                break
            choices.append(chosen)
        else:
            payoffs = tuple(Fraction(str(profile.payoff(p))) for p in game.players)
            found.add((tuple(choices), payoffs))
    return found


def _our_subgame_perfect(tree):
    decisions = tree.decision_nodes()
    return {
        (
            tuple([m.name for m in node.moves].index(e.actions[node.path]) for node in decisions),
            tuple(e.payoffs),
        )
        for e in cr.solve(tree).equilibria
    }


@pytest.mark.oracle
@pytest.mark.parametrize("name", TREES)
def test_pygambit_reads_catalog_trees_with_our_payoffs_and_equilibria(gbt, tmp_path, name):
    tree = cr.load(name)
    path = tmp_path / f"{name}.efg"
    write_efg(tree, None, path)
    game = gbt.read_efg(str(path))
    assert [p.label for p in game.players] == list(tree.players)
    assert _gambit_terminal_payoffs(gbt, game) == bound_terminals(tree)
    binding = tree.bind()
    chance = [n for n in game.nodes if not n.is_terminal and n.infoset.is_chance]
    ours = [n for n in tree.nodes() if n.chance]
    assert [[Fraction(str(a.prob)) for a in n.infoset.actions] for n in chance] == [
        [binding.value(m.probability) for m in n.moves] for n in ours
    ]
    assert _gambit_subgame_perfect(gbt, game) == _our_subgame_perfect(tree)


@pytest.mark.oracle
@pytest.mark.parametrize("name", SIGNALLING)
def test_pygambit_reads_catalog_signalling_games_with_our_payoffs(gbt, tmp_path, name):
    signal = cr.load(name)
    path = tmp_path / f"{name}.efg"
    write_efg(signal, None, path)
    game = gbt.read_efg(str(path))
    binding = signal.bind()
    expected = [
        tuple(binding.value(x) for x in pair)
        for t in signal.types
        for row in t.payoffs
        for pair in row
    ]
    assert _gambit_terminal_payoffs(gbt, game) == expected
    assert [Fraction(str(a.prob)) for a in game.root.infoset.actions] == [
        binding.value(t.prior) for t in signal.types
    ]
    sender, receiver = game.players
    receiver_sets = list(receiver.infosets)
    assert [i.label for i in sender.infosets] == [t.name for t in signal.types]
    assert [(i.label, len(i.members)) for i in receiver_sets] == [
        (m, len(signal.types)) for m in signal.messages
    ]
    assert [a.label for a in receiver_sets[0].actions] == list(signal.responses)


@pytest.mark.oracle
@pytest.mark.parametrize("name", BIMATRIX)
def test_pygambit_reads_catalog_bimatrix_games_as_simultaneous_trees(gbt, tmp_path, name):
    bimatrix = cr.load(name)
    path = tmp_path / f"{name}.efg"
    write_efg(bimatrix, None, path)
    game = gbt.read_efg(str(path))
    A, B = bimatrix.numeric(bimatrix.bind())
    assert [[Fraction(x) for x in row] for row in game.to_arrays(dtype=Fraction)[0]] == A
    assert [[Fraction(x) for x in row] for row in game.to_arrays(dtype=Fraction)[1]] == B


@pytest.mark.oracle
@pytest.mark.parametrize("name", [*TREES, "entry_with_chance"])
def test_what_pygambit_writes_we_read_back(gbt, tmp_path, name):
    tree = read_efg(DATA / f"{name}.efg") if name == "entry_with_chance" else cr.load(name)
    path = tmp_path / "ours.efg"
    write_efg(tree, None, path)
    rewritten = parse_efg(gbt.read_efg(str(path)).to_efg())
    assert terminals(rewritten) == terminals(parse_efg(format_efg(tree)))


@pytest.mark.oracle
def test_our_test_file_agrees_with_pygambit(gbt):
    path = DATA / "entry_with_chance.efg"
    game = gbt.read_efg(str(path))
    tree = read_efg(path)
    assert _gambit_terminal_payoffs(gbt, game) == [t[1] for t in terminals(tree)]
    assert _gambit_subgame_perfect(gbt, game) == _our_subgame_perfect(tree)
    gbt.read_efg(str(DATA / "imperfect.efg"))  # a valid file that we refuse
    path = DATA / "three_players.efg"
    assert _gambit_terminal_payoffs(gbt, gbt.read_efg(str(path))) == [
        t[1] for t in terminals(read_efg(path))
    ]
