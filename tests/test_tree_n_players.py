"""Game trees of three or more players: backward induction, threats, regions, sweeps, files.

The strategic form of a tree of n >= 3 players is an n-player game in strategic form whose pure
Nash equilibria are found exactly; the threats are the moves those equilibria prescribe where,
once there, the mover would do better otherwise. Random trees check both against brute force
over every strategy profile.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction
from itertools import product
from pathlib import Path

import pytest
import sympy
from click.testing import CliRunner

import credibility as cr
from cli import cli
from credibility import GameTree, Move, Node
from credibility.io.gambit_efg import format_efg, parse_efg
from credibility.solvers.subgame_perfect import solve_tree
from credibility.sweeps.rows import tree_row
from credibility.symbolic.regions import tree_regions

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "docs" / "json-output.schema.json").read_text()
)


# -- the catalog model -------------------------------------------------------------------------


def test_alliance_veto_spe_and_threat_by_hand():
    # Defaults: v1 = 4, v2 = 3, v3 = 1, c = 3, b = 1, g = 1, l = 2. Players (Attacker, Ally 1,
    # Ally 2, Ally 3). Leaves:
    #   No attack                        (0, 0, 0, 0)
    #   Attack/Veto                      (g, -v1-b, -v2, -v3)   = (1, -5, -3, -1)
    #   Attack/Support/Veto              (g, -v1, -v2-b, -v3)   = (1, -4, -4, -1)
    #   Attack/Support/Support/Veto      (g, -v1, -v2, -v3-b)   = (1, -4, -3, -2)
    #   Attack/Support/Support/Support   (-l, -c, -c, -c)       = (-2, -3, -3, -3)
    # Backward induction: Ally 3 compares Veto -2 with Support -3: Veto. Ally 2 then compares
    # Veto -4 with Support -3 (Ally 3 vetoes): Support. Ally 1 compares Veto -5 with Support -4:
    # Support. The attacker compares No attack 0 with Attack 1: Attack. One SPE, payoffs
    # (1, -4, -3, -2).
    # Nash equilibria of the strategic form (2 x 2 x 2 x 2): with all three allies supporting,
    # Attack gives the attacker -2 < 0, so it stays out; nothing the allies do is then reached,
    # so (No attack; Support; Support; Support) is a Nash equilibrium. It rests on Ally 3's
    # Support at Attack/Support/Support, where Veto gives it -2 > -3: a threat that is not
    # credible. Any other profile with No attack lets some ally veto, and the attack pays 1 > 0;
    # with Attack, each ally's one-shot choice must be the SPE's (each is on the path). So the
    # pure Nash equilibria are exactly the SPE and that one.
    solution = cr.solve(cr.load("alliance_veto"))
    assert [e.path for e in solution.equilibria] == [("Attack", "Support", "Support", "Veto")]
    assert solution.equilibria[0].payoffs == (1, -4, -3, -2)
    assert solution.equilibria[0].payoff["Ally 3"] == -2
    [threat] = solution.non_credible_threats
    assert (threat.node, threat.player, threat.threat, threat.best) == (
        "Attack/Support/Support",
        "Ally 3",
        "Support",
        ("Veto",),
    )
    assert (threat.threat_value, threat.best_value) == (-3, -2)
    assert threat.equilibria == ("(No attack; Support; Support; Support)",)
    form = solution.strategic_form
    assert form is not None and form.pure_only and form.normal is not None
    assert form.normal.shape == (2, 2, 2, 2)
    assert [form.describe(e) for e in form.equilibria] == [
        "(No attack; Support; Support; Support)",
        "(Attack; Support; Support; Veto)",
    ]
    assert "mixed equilibria" in solution.note
    assert "Note: pure Nash equilibria of the strategic form only" in str(solution)


def test_alliance_veto_threshold_by_hand():
    # Ally 3 supports iff -c > -v3 - b, i.e. v3 > c - b = 2; then all support and the attack,
    # which would cost the attacker l = 2, is deterred.
    result = cr.thresholds(cr.load("alliance_veto"), "v3", _defaults_but("v3"))
    assert [t.value for t in result.thresholds] == [2]
    outcomes = [region.outcome for region in result.regions]
    assert outcomes == [
        "Attack > Support > Support > Veto",
        "No attack | Attack > Support > Support > Veto",
        "No attack",
    ]
    assert cr.solve(cr.load("alliance_veto"), {"v3": "5/2"}).outcome == "No attack"


def _defaults_but(name):
    game = cr.load("alliance_veto")
    return {p.name: p.default for p in game.parameters if p.name != name}


# -- random trees against brute force ----------------------------------------------------------

PLAYERS = ("A", "B", "C")


def random_tree(rng: random.Random, players=PLAYERS, decisions: int = 5, chance: bool = True):
    """A random tree with at most ``decisions`` decision nodes, payoffs from a small range."""
    budget = [decisions]

    def build(path: str, depth: int) -> Node:
        if budget[0] > 0 and (depth == 0 or rng.random() < 0.7):
            budget[0] -= 1
            moves = []
            if chance and depth > 0 and rng.random() < 0.2:
                weights = rng.choice([(Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 3),) * 3])
                for k, w in enumerate(weights):
                    name = f"c{k}"
                    sub = f"{path}/{name}" if path else name
                    moves.append(Move(name, build(sub, depth + 1), sympy.Rational(w)))
                return Node(path, chance=True, moves=tuple(moves))
            for k in range(rng.choice([2, 2, 3])):
                name = f"m{k}"
                sub = f"{path}/{name}" if path else name
                moves.append(Move(name, build(sub, depth + 1)))
            return Node(path, player=rng.choice(players), moves=tuple(moves))
        return Node(path, payoffs=tuple(sympy.Integer(rng.randint(-3, 3)) for _ in players))

    return GameTree(tuple(players), build("", 0))


def _value(node, actions, player_count):
    """Expected payoffs from ``node`` under a full profile ``actions`` (node path -> move)."""
    if node.payoffs is not None:
        return tuple(Fraction(int(x)) for x in node.payoffs)
    if node.chance:
        total = [Fraction(0)] * player_count
        for move in node.moves:
            w = Fraction(str(move.probability))
            for k, x in enumerate(_value(move.node, actions, player_count)):
                total[k] += w * x
        return tuple(total)
    chosen = next(m for m in node.moves if m.name == actions[node.path])
    return _value(chosen.node, actions, player_count)


def _relevant(tree, actions, player):
    """The player's nodes its own moves under ``actions`` do not rule out."""
    found = []
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if node.payoffs is not None:
            continue
        if not node.chance and node.player == player:
            found.append(node.path)
            stack.extend(m.node for m in node.moves if m.name == actions[node.path])
        else:
            stack.extend(m.node for m in node.moves)
    return found


def brute_force(tree, default):
    """Nash equilibria and threats over full profiles, canonical off the player's own path.

    A profile names a move at every decision node; nodes that the mover's own earlier moves
    rule out play ``default`` (the first SPE), so each profile stands for one profile of
    reduced strategies. Returns {profile key: set of threats (node, move)} for every Nash
    equilibrium, the set of subgame-perfect full profiles (one-shot optimal everywhere), and
    the canonical profiles.
    """
    nodes = tree.decision_nodes()
    n = len(tree.players)
    profiles = []
    every = []
    for moves in product(*([m.name for m in node.moves] for node in nodes)):
        actions = dict(zip((node.path for node in nodes), moves))
        every.append(actions)
        canonical = all(
            node.path in _relevant(tree, actions, node.player)
            or actions[node.path] == default[node.path]
            for node in nodes
        )
        if canonical:
            profiles.append(actions)
    index = {p: i for i, p in enumerate(tree.players)}
    payoff = {id(a): _value(tree.root, a, n) for a in profiles}

    def key(actions, player):
        return tuple(sorted((path, actions[path]) for path in _relevant(tree, actions, player)))

    equilibria = {}
    for actions in profiles:
        stable = True
        for player in tree.players:
            i = index[player]
            others = {
                path: move
                for path, move in actions.items()
                if next(x for x in nodes if x.path == path).player != player
            }
            for other in profiles:
                same = all(other[p] == m for p, m in others.items())
                if same and payoff[id(other)][i] > payoff[id(actions)][i]:
                    stable = False
                    break
            if not stable:
                break
        if not stable:
            continue
        threats = set()
        for player in tree.players:
            i = index[player]
            for path in _relevant(tree, actions, player):
                node = next(x for x in nodes if x.path == path)
                values = {m.name: _value(m.node, actions, n)[i] for m in node.moves}
                if values[actions[path]] < max(values.values()):
                    threats.add((path, actions[path]))
        equilibria[tuple(key(actions, p) for p in tree.players)] = threats
    perfect = set()
    for actions in every:
        if all(
            _value(next(m for m in node.moves if m.name == actions[node.path]).node, actions, n)[
                index[node.player]
            ]
            == max(_value(m.node, actions, n)[index[node.player]] for m in node.moves)
            for node in nodes
        ):
            perfect.add(tuple(sorted(actions.items())))
    return equilibria, perfect, profiles


@pytest.mark.parametrize("seed", range(40))
def test_random_three_player_trees_against_brute_force(seed):
    rng = random.Random(seed)
    tree = random_tree(rng, decisions=rng.choice([3, 4, 5]))
    solution = solve_tree(tree)
    default = solution.equilibria[0].actions
    equilibria, perfect, profiles = brute_force(tree, default)
    # every SPE of backward induction is subgame perfect (one-shot optimal everywhere), and
    # backward induction finds every one of them
    assert {tuple(sorted(e.actions.items())) for e in solution.equilibria} == perfect
    # every SPE is a Nash equilibrium of the strategic form
    index = {p: i for i, p in enumerate(tree.players)}
    for e in solution.equilibria:
        here = _value(tree.root, e.actions, 3)
        assert here == tuple(e.payoffs)
        for actions in profiles:
            for player in tree.players:
                same = all(
                    actions[n.path] == e.actions[n.path]
                    for n in tree.decision_nodes()
                    if n.player != player
                )
                if same:
                    assert _value(tree.root, actions, 3)[index[player]] <= here[index[player]]
    # the pure Nash equilibria of the strategic form are those of brute force
    form = solution.strategic_form
    assert form is not None and solution.non_credible_threats is not None
    found = set()
    for e in form.equilibria:
        chosen = []
        for i, _ in enumerate(tree.players):
            [k] = [k for k, w in enumerate(e.strategies[i]) if w == 1]
            chosen.append(tuple(sorted(form.strategies[i][k])))
        found.add(tuple(chosen))
    assert found == set(equilibria)
    # the threats: brute force's, Nash equilibria minus subgame-perfect play
    expected = {threat for threats in equilibria.values() for threat in threats}
    assert {(t.node, t.threat) for t in solution.non_credible_threats} == expected
    resting = sum(1 for threats in equilibria.values() if threats)
    flagged = [e for e in solution.to_dict()["nash_equilibria"] if not e["subgame_perfect"]]
    assert len(flagged) == resting


def test_random_trees_with_four_players_solve_and_round_trip_through_efg():
    rng = random.Random(7)
    for _ in range(10):
        tree = random_tree(rng, players=("A", "B", "C", "D"), decisions=5)
        solution = solve_tree(tree)
        again = parse_efg(format_efg(tree))
        assert again.players == tree.players
        assert [n.payoffs for n in again.nodes() if n.payoffs] == [
            tuple(Fraction(int(x)) for x in n.payoffs) for n in tree.nodes() if n.payoffs
        ]
        other = solve_tree(again)
        assert [e.payoffs for e in other.equilibria] == [e.payoffs for e in solution.equilibria]
        assert [(t.node, t.threat) for t in other.non_credible_threats] == [
            (t.node, t.threat) for t in solution.non_credible_threats
        ]


def test_efg_of_three_players_is_read():
    text = """EFG 2 R "Three" { "A" "B" "C" } ""
p "" 1 1 "" { "L" "R" } 0
t "" 1 "" { 1 2 3 }
p "" 3 1 "" { "l" "r" } 0
t "" 2 "" { 0, 0, 5 }
t "" 3 "" { 2 1 1 }
"""
    tree = parse_efg(text)
    assert tree.players == ("A", "B", "C")
    assert [e.path for e in solve_tree(tree).equilibria] == [("L",)]
    assert "expected 3 payoffs" in _efg_error(text.replace("{ 2 1 1 }", "{ 2 1 }"))
    assert "(1 to 3), got 4" in _efg_error(text.replace('p "" 3 1', 'p "" 4 1'))


def _efg_error(text):
    with pytest.raises(cr.GameFileError) as caught:
        parse_efg(text)
    return str(caught.value)


# -- regions, sweeps -----------------------------------------------------------------------------


@pytest.mark.parametrize("free", [("v3",), ("v3", "g"), ("c", "b")])
def test_regions_agree_with_solve_tree_at_random_points(free):
    game = cr.load("alliance_veto")
    bound = {p.name: p.default for p in game.parameters if p.name not in free}
    regions = tree_regions(game, bound, free=free)
    rng = random.Random(3)
    for _ in range(30):
        point = {name: Fraction(rng.randint(0, 40), 8) for name in free}
        solution = solve_tree(game, bound | point)
        region = regions.region_at(point)
        if region is None:  # on a boundary
            continue
        assert region.outcome == solution.outcome
        assert [e.actions for e in region.equilibria] == [e.actions for e in solution.equilibria]
        symbols = dict(zip(regions.free, regions.symbols))
        values = {symbols[name]: sympy.Rational(v) for name, v in point.items()}
        assert [
            tuple(sympy.sympify(x).subs(values) for x in e.payoffs) for e in region.equilibria
        ] == [tuple(e.payoffs) for e in solution.equilibria]


@pytest.mark.parametrize("induction", [False, True])
def test_sweep_rows_equal_solve_tree(induction, monkeypatch):
    if induction:  # the float64 backward induction deep trees use, not the symbolic regions
        import credibility.sweeps.tree as sweeps_tree  # lazy: start-up time

        monkeypatch.setattr(sweeps_tree, "MAX_SYMBOLIC_NODES", 0)
    game = cr.load("alliance_veto")
    grid = {"v3": ["0", "1", "2", "5/2", "4"], "g": ["0", "1/2", "1"]}
    result = cr.sweep(game, grid)
    assert result.column_names[-4:] == (
        "payoff_Attacker",
        "payoff_Ally 1",
        "payoff_Ally 2",
        "payoff_Ally 3",
    )
    columns = result.columns
    for k in range(result.points):
        point = {
            "v3": Fraction(columns["v3"][k]).limit_denominator(),
            "g": Fraction(columns["g"][k]).limit_denominator(),
        }
        solution = solve_tree(game, point)
        assert columns["outcome"][k] == solution.outcome
        assert columns["n_equilibria"][k] == len(solution.equilibria)
        assert columns["path"][k] == solution.equilibria[0].outcome
        for player, value in zip(game.players, solution.equilibria[0].payoffs):
            assert columns[f"payoff_{player}"][k] == float(value)
        assert tree_row(game, point)["outcome"] == solution.outcome


# -- JSON, files, errors -----------------------------------------------------------------------


def _validator(definition):
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(
        {"$ref": f"#/$defs/{definition}", "$defs": SCHEMA["$defs"]}
    )


def test_json_of_random_three_player_trees_validates():
    solve = _validator("solve_tree")
    rng = random.Random(11)
    for _ in range(10):
        data = solve_tree(random_tree(rng)).to_dict()
        solve.validate(data)
        assert len(data["players"]) == 3
        for e in data["nash_equilibria"]:
            assert len(e["strategies"]) == 3 and len(e["payoffs"]) == 3


def test_json_of_the_catalog_model_validates():
    runner = CliRunner()
    for args, definition in [
        (["solve", "alliance_veto"], "solve_tree"),
        (["show", "alliance_veto"], "show"),
        (["threshold", "alliance_veto", "--for", "v3", "--defaults"], "threshold"),
    ]:
        result = runner.invoke(cli, [*args, "--format", "json"])
        assert result.exit_code == 0, result.output
        _validator(definition).validate(json.loads(result.stdout))


THREE = """kind = "tree"
players = ["A", "B", "C"]

[root]
player = "A"

[root.moves.L]
payoffs = [1, 2, 3]

[root.moves.R]
player = "C"

[root.moves.R.moves.l]
payoffs = [0, 0]

[root.moves.R.moves.r]
payoffs = [2, 1, 1]
"""


def test_wrong_length_payoffs_give_one_clear_line(tmp_path):
    path = tmp_path / "three.toml"
    path.write_text(THREE)
    result = CliRunner().invoke(cli, ["solve", str(path)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert "root.moves.R.moves.l.payoffs" in result.stderr
    assert "expected a list of 3 payoffs" in result.stderr and "got 2" in result.stderr


def test_wrong_length_payoffs_in_python_name_the_field():
    leaf = Node("x", payoffs=(sympy.Integer(1), sympy.Integer(2)))
    with pytest.raises(cr.GameFileError, match=r"root\.moves\.x\.payoffs.*expected 3 payoffs"):
        GameTree(("A", "B", "C"), Node("", player="A", moves=(Move("x", leaf),)))


def test_a_three_player_file_round_trips_through_toml_and_show(tmp_path):
    path = tmp_path / "three.toml"
    path.write_text(THREE.replace("payoffs = [0, 0]", 'payoffs = [0, 0, "5"]'))
    game = cr.load(path)
    assert game.players == ("A", "B", "C")
    result = CliRunner().invoke(cli, ["convert", str(path), str(tmp_path / "copy.toml")])
    assert result.exit_code == 0, result.output
    assert cr.load(tmp_path / "copy.toml").root == game.root
    shown = CliRunner().invoke(cli, ["show", str(path)]).output
    assert "l -> (0, 0, 5)" in shown and "Game tree (payoffs: A, B, C)" in shown


def test_one_player_is_refused_as_before(tmp_path):
    path = tmp_path / "one.toml"
    path.write_text('kind = "tree"\nplayers = ["A"]\n[root]\npayoffs = [1]\n')
    result = CliRunner().invoke(cli, ["solve", str(path)])
    assert result.exit_code == 1
    assert "expected exactly two player names, got 1" in result.stderr


def test_qre_gives_one_payoff_per_player():
    result = CliRunner().invoke(cli, ["qre", "alliance_veto", "--lambda", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    point = json.loads(result.stdout)["points"][0]
    assert list(point["payoffs"]) == list(cr.load("alliance_veto").players)


def test_pictures_draw_one_payoff_per_player():
    from credibility.render.tikz import tikz  # lazy: start-up time
    from credibility.render.tree_plot import tree_layout  # lazy: start-up time

    solution = cr.solve(cr.load("alliance_veto"))
    layout = tree_layout(solution)
    leaves = [n.label for n in layout.nodes if n.kind == "terminal"]
    assert "(1, -4, -3, -2)" in leaves and "(-2, -3, -3, -3)" in leaves
    assert layout.moves("threat") == [("Attack/Support/Support", "Support")]
    assert r"{\boldmath $(1, -4, -3, -2)$}" in tikz(solution)
    assert solution.to_dict()["note"].startswith("pure Nash equilibria")
    from credibility.render.tree import latex  # lazy: start-up time

    assert r"\multicolumn{9}{p{0.9\linewidth}}{Note: pure Nash equilibria" in latex(solution)


CHANCE = """kind = "tree"
players = ["A", "B", "C"]

[parameters.p]
default = 0.5
min = 0
max = 1

[parameters.x]
default = 1

[root]
player = "A"

[root.moves.Out]
payoffs = [0, 1, 1]

[root.moves.In]
chance = true

[root.moves.In.moves.Hard]
probability = "p"
player = "B"

[root.moves.In.moves.Hard.moves.Fight]
payoffs = ["-2", "x", "1"]

[root.moves.In.moves.Hard.moves.Pass]
player = "C"

[root.moves.In.moves.Hard.moves.Pass.moves.Block]
payoffs = ["-1", "0", "x - 1"]

[root.moves.In.moves.Hard.moves.Pass.moves.Allow]
payoffs = ["1", "0", "0"]

[root.moves.In.moves.Soft]
probability = "1 - p"
payoffs = ["2", "-1", "-x"]
"""


@pytest.mark.parametrize("induction", [False, True])
def test_sweep_of_a_tree_with_chance_equals_solve_tree(induction, monkeypatch, tmp_path):
    if induction:
        import credibility.sweeps.tree as sweeps_tree  # lazy: start-up time

        monkeypatch.setattr(sweeps_tree, "MAX_SYMBOLIC_NODES", 0)
    path = tmp_path / "chance.toml"
    path.write_text(CHANCE)
    game = cr.load(path)
    grid = {"p": ["0", "1/4", "1/2", "3/4", "1"], "x": ["-1", "0", "1/2", "1", "2", "3"]}
    result = cr.sweep(game, grid)
    columns = result.columns
    for k in range(result.points):
        point = {name: Fraction(columns[name][k]).limit_denominator() for name in grid}
        solution = solve_tree(game, point)
        assert columns["outcome"][k] == solution.outcome, point
        assert columns["n_equilibria"][k] == len(solution.equilibria), point
        for player, value in zip(game.players, solution.equilibria[0].payoffs):
            assert columns[f"payoff_{player}"][k] == pytest.approx(float(value))


def test_a_strategic_form_too_large_is_not_analysed_and_says_so():
    wide = tuple(
        Move(f"m{k}", Node(f"m{k}", payoffs=(sympy.Integer(k), sympy.S.Zero, sympy.S.Zero)))
        for k in range(70)
    )
    tree = GameTree(("A", "B", "C"), Node("", player="A", moves=wide))
    solution = solve_tree(tree)
    assert [e.path for e in solution.equilibria] == [("m69",)]
    assert solution.non_credible_threats is None and solution.strategic_form is None
    assert solution.note.startswith("non-credible threats not analysed: the strategic form has 70")
    assert solution.to_dict()["threats_analysed"] is False
