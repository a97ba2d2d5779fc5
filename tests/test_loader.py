"""Malformed game files: every error names the file, the field and what was expected."""

import re

import pytest

import credibility as cr
from credibility.errors import GameFileError
from credibility.io.toml_loader import load_toml

BIMATRIX = """\
kind = "bimatrix"
players = ["Row", "Column"]

[parameters.c]
default = 5
min = 0
max = 10
description = "cost of a crash"

[strategies]
Row = ["Swerve", "Straight"]
Column = ["Swerve", "Straight"]

[payoffs]
Row = [[0, -1], [1, "-c"]]
Column = [[0, 1], [-1, "-c"]]
"""

TREE = """\
kind = "tree"
players = ["Challenger", "Defender"]

[parameters.p]
default = 0.5
min = 0
max = 1

[root]
player = "Challenger"

[root.moves."Status quo"]
payoffs = [0, 0]

[root.moves.Challenge]
chance = true

[root.moves.Challenge.moves.Resolved]
probability = "p"
player = "Defender"
[root.moves.Challenge.moves.Resolved.moves.Resist]
payoffs = [-2, 1]
[root.moves.Challenge.moves.Resolved.moves.Concede]
payoffs = [1, -1]

[root.moves.Challenge.moves.Irresolute]
probability = "1 - p"
player = "Defender"
[root.moves.Challenge.moves.Irresolute.moves.Resist]
payoffs = [-2, -3]
[root.moves.Challenge.moves.Irresolute.moves.Concede]
payoffs = [1, -1]
"""

SIGNALLING = """\
kind = "signalling"
players = ["Defender", "Challenger"]
messages = ["Mobilise", "Stand pat"]
responses = ["Challenge", "Back down"]

[parameters.q]
default = 0.3
min = 0
max = 1

[types.Resolved]
prior = "q"
[types.Resolved.payoffs]
Mobilise = { Challenge = [0, -2], "Back down" = [2, 0] }
"Stand pat" = { Challenge = [1, -2], "Back down" = [3, 0] }

[types.Irresolute]
prior = "1 - q"
[types.Irresolute.payoffs]
Mobilise = { Challenge = [-2, 1], "Back down" = [2, 0] }
"Stand pat" = { Challenge = [-1, 1], "Back down" = [3, 0] }
"""


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def load_error(tmp_path, text: str) -> GameFileError:
    path = tmp_path / "game.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GameFileError) as info:
        load_toml(path)
    return info.value


@pytest.mark.parametrize(
    "text", [BIMATRIX, TREE, SIGNALLING], ids=["bimatrix", "tree", "signalling"]
)
def test_base_files_load(tmp_path, text):
    path = tmp_path / "base.toml"
    path.write_text(text, encoding="utf-8")
    game = cr.load(path)
    assert game.info.name == "base"
    assert game.bind() is not None


def test_meta_is_free_form(tmp_path):
    path = tmp_path / "meta.toml"
    path.write_text(BIMATRIX + '\n[meta]\nanything = { goes = [1, "two"] }\n', encoding="utf-8")
    assert cr.load(path).shape == (2, 2)


CASES = [
    # -- common keys -----------------------------------------------------------
    pytest.param(
        BIMATRIX.replace("\nmax = 10", "").replace("players", "colour = 1\nplayers", 1),
        "colour",
        "unknown key",
        id="unknown-top-level-key",
    ),
    pytest.param(
        "format = 2\n" + BIMATRIX, "format", "newer than this reader knows", id="format-2"
    ),
    pytest.param(
        'format = "1"\n' + BIMATRIX, "format", "positive integer format version", id="format-string"
    ),
    pytest.param("format = 0\n" + BIMATRIX, "format", "positive integer", id="format-0"),
    pytest.param(
        edit(BIMATRIX, 'kind = "bimatrix"', 'kind = "matrix"'),
        "kind",
        "expected one of 'bimatrix', 'tree', 'signalling'",
        id="unknown-kind",
    ),
    pytest.param(
        edit(BIMATRIX, 'kind = "bimatrix"\n', ""), "kind", "expected one of", id="missing-kind"
    ),
    pytest.param(
        edit(BIMATRIX, '"Row", "Column"]', '"Row", "Column", "Third"]'),
        "players",
        "exactly two player names, got 3",
        id="three-players",
    ),
    pytest.param(
        edit(BIMATRIX, '"Row", "Column"]', '"Row", "Row"]'),
        "players",
        "distinct",
        id="duplicate-players",
    ),
    pytest.param(
        edit(BIMATRIX, 'players = ["Row", "Column"]\n', ""),
        "players",
        "list of non-empty names",
        id="missing-players",
    ),
    pytest.param("title = 3\n" + BIMATRIX, "title", "expected a string", id="title-not-string"),
    pytest.param(
        "source = [1]\n" + BIMATRIX, "source", "expected a string", id="source-not-string"
    ),
    # -- parameters ------------------------------------------------------------
    pytest.param(
        edit(BIMATRIX, "max = 10", "maximum = 10"),
        "parameters.c.maximum",
        "unknown key (expected one of: default, description, max, min)",
        id="unknown-parameter-key",
    ),
    pytest.param(
        edit(BIMATRIX, "default = 5", "default = -1"),
        "parameters.c",
        "default = -1 is below its minimum 0",
        id="default-below-min",
    ),
    pytest.param(
        edit(BIMATRIX, "default = 5", "default = 11"),
        "parameters.c",
        "above its maximum 10",
        id="default-above-max",
    ),
    pytest.param(
        edit(BIMATRIX, "min = 0", "min = 20"),
        "parameters.c",
        "min 20 above max 10",
        id="min-above-max",
    ),
    pytest.param(
        edit(BIMATRIX, "default = 5\n", ""),
        "parameters.c.default",
        "missing the default",
        id="missing-default",
    ),
    pytest.param(
        edit(BIMATRIX, "default = 5", 'default = "d + 1"'),
        "parameters.c.default",
        "unknown name 'd'",
        id="default-with-parameter",
    ),
    pytest.param(
        edit(BIMATRIX, "default = 5", "default = nan"),
        "parameters.c.default",
        "finite",
        id="default-nan",
    ),
    pytest.param(
        edit(BIMATRIX, "max = 10", "max = inf"), "parameters.c.max", "finite", id="max-inf"
    ),
    pytest.param(
        edit(BIMATRIX, "default = 5", 'default = "five"'),
        "parameters.c.default",
        "unknown name 'five'",
        id="default-text",
    ),
    pytest.param(
        edit(BIMATRIX, "[parameters.c]", "[parameters.min]").replace('"-c"', "-1"),
        "parameters.min",
        "shadows the function min",
        id="parameter-shadows-function",
    ),
    pytest.param(
        edit(BIMATRIX, 'description = "cost of a crash"', "description = 1"),
        "parameters.c.description",
        "expected a string",
        id="description-not-string",
    ),
    pytest.param(
        edit(BIMATRIX, "[parameters.c]\n", "[parameters]\nc = 5\n[parameters.x]\n"),
        "parameters.c",
        "expected a table with at least 'default'",
        id="parameter-not-table",
    ),
    # -- bimatrix ----------------------------------------------------------------
    pytest.param(
        edit(BIMATRIX, 'Row = [[0, -1], [1, "-c"]]', "Row = [[0, -1], [1]]"),
        "payoffs.Row[1]",
        "expected 2 entries like the first row, got 1 (ragged matrix)",
        id="ragged-matrix",
    ),
    pytest.param(
        edit(BIMATRIX, 'Column = [[0, 1], [-1, "-c"]]', "Column = [[0, 1, 2], [-1, 3, 4]]"),
        "payoffs.Column",
        "expected a 2 x 2 matrix like Row's, got 2 x 3",
        id="mismatched-matrices",
    ),
    pytest.param(
        edit(BIMATRIX, 'Column = [[0, 1], [-1, "-c"]]', "Column = [[0, 1]]"),
        "payoffs.Column",
        "expected a 2 x 2 matrix like Row's, got 1 x 2",
        id="mismatched-rows",
    ),
    pytest.param(
        edit(BIMATRIX, 'Row = ["Swerve", "Straight"]', 'Row = ["Swerve"]'),
        "strategies.Row",
        "expected 2 strategy labels to match the payoff matrices, got 1",
        id="too-few-strategies",
    ),
    pytest.param(
        edit(BIMATRIX, 'Column = ["Swerve", "Straight"]', 'Column = ["a", "b", "c"]'),
        "strategies.Column",
        "expected 2 strategy labels",
        id="too-many-strategies",
    ),
    pytest.param(
        edit(BIMATRIX, 'Row = ["Swerve", "Straight"]', 'Row = ["Swerve", "Swerve"]'),
        "strategies.Row",
        "distinct",
        id="duplicate-strategies",
    ),
    pytest.param(
        edit(BIMATRIX, 'Row = ["Swerve", "Straight"]', 'Row = ["Swerve", ""]'),
        "strategies.Row",
        "non-empty names",
        id="empty-strategy",
    ),
    pytest.param(
        edit(BIMATRIX, 'Row = ["Swerve", "Straight"]', 'Rwo = ["Swerve", "Straight"]'),
        "strategies.Rwo",
        "unknown key (expected one of: Column, Row)",
        id="unknown-strategies-key",
    ),
    pytest.param(
        edit(BIMATRIX, 'Row = [[0, -1], [1, "-c"]]', 'Row = [[0, -1], [1, "-c"]]\nRwo = 1'),
        "payoffs.Rwo",
        "unknown key",
        id="unknown-payoffs-key",
    ),
    pytest.param(
        edit(BIMATRIX, 'Row = [[0, -1], [1, "-c"]]\n', ""),
        "payoffs",
        "missing the payoff matrix of 'Row'",
        id="missing-matrix",
    ),
    pytest.param(
        edit(BIMATRIX, 'Row = [[0, -1], [1, "-c"]]', "Row = []"),
        "payoffs.Row",
        "non-empty list of rows",
        id="empty-matrix",
    ),
    pytest.param(
        edit(BIMATRIX, 'Row = [[0, -1], [1, "-c"]]', "Row = [0, 1]"),
        "payoffs.Row[0]",
        "non-empty list of payoffs",
        id="flat-matrix",
    ),
    pytest.param(
        edit(BIMATRIX, "[payoffs]\n", "[pay]\n"), "pay", "unknown key", id="misspelt-payoffs-table"
    ),
    pytest.param(
        BIMATRIX.split("[payoffs]")[0], "payoffs", "missing or not a table", id="missing-payoffs"
    ),
    pytest.param(
        edit(BIMATRIX, '[1, "-c"]]\nColumn', '[1, "-d"]]\nColumn'),
        "payoffs.Row[1][1]",
        "unknown name 'd' (declared parameters: c)",
        id="unknown-parameter",
    ),
    pytest.param(
        edit(BIMATRIX, "[[0, -1], [1,", "[[nan, -1], [1,"),
        "payoffs.Row[0][0]",
        "finite",
        id="nan-payoff",
    ),
    pytest.param(
        edit(BIMATRIX, "[[0, -1], [1,", "[[-inf, -1], [1,"),
        "payoffs.Row[0][0]",
        "finite",
        id="inf-payoff",
    ),
    pytest.param(
        edit(BIMATRIX, "[[0, -1], [1,", '[["lots", -1], [1,'),
        "payoffs.Row[0][0]",
        "unknown name 'lots'",
        id="text-payoff",
    ),
    pytest.param(
        edit(BIMATRIX, "[[0, -1], [1,", '[["1 +", -1], [1,'),
        "payoffs.Row[0][0]",
        "not a valid expression",
        id="syntax-error-payoff",
    ),
    pytest.param(
        edit(BIMATRIX, "[[0, -1], [1,", '[["", -1], [1,'),
        "payoffs.Row[0][0]",
        "empty string",
        id="empty-payoff",
    ),
    pytest.param(
        edit(BIMATRIX, "[[0, -1], [1,", "[[true, -1], [1,"),
        "payoffs.Row[0][0]",
        "expected a number",
        id="boolean-payoff",
    ),
    pytest.param(
        edit(BIMATRIX, "[[0, -1], [1,", "[[[0], -1], [1,"),
        "payoffs.Row[0][0]",
        "expected a number or an expression string",
        id="nested-payoff",
    ),
    pytest.param(
        edit(BIMATRIX, "[[0, -1], [1,", '[["c.real", -1], [1,'),
        "payoffs.Row[0][0]",
        "not allowed",
        id="attribute-payoff",
    ),
    pytest.param(
        edit(BIMATRIX, "[[0, -1], [1,", "[[\"__import__('os').system('ls')\", -1], [1,"),
        "payoffs.Row[0][0]",
        "not an allowed function",
        id="import-payoff",
    ),
    pytest.param(
        edit(BIMATRIX, "[[0, -1], [1,", '[["1/0", -1], [1,'),
        "payoffs.Row[0][0]",
        "division by zero",
        id="division-by-zero-payoff",
    ),
    pytest.param(
        edit(BIMATRIX, "[[0, -1], [1,", '[["9**9**9**9", -1], [1,'),
        "payoffs.Row[0][0]",
        "too large",
        id="power-tower-payoff",
    ),
    # -- tree --------------------------------------------------------------------
    pytest.param(
        edit(TREE, 'player = "Challenger"', 'player = "Challenger"\npayoffs = [0, 0]'),
        "root",
        "expected exactly one of 'payoffs'",
        id="tree-terminal-and-decision",
    ),
    pytest.param(
        edit(TREE, '[root]\nplayer = "Challenger"', '[root]\ncolour = "red"'),
        "root",
        "expected exactly one of",
        id="tree-node-of-no-kind",
    ),
    pytest.param(
        edit(TREE, 'player = "Challenger"', 'player = "Chalenger"'),
        "root.player",
        "expected one of the players ['Challenger', 'Defender'], got 'Chalenger'",
        id="tree-unknown-player",
    ),
    pytest.param(
        edit(TREE, "payoffs = [0, 0]", "payoffs = [0, 0, 0]"),
        'root.moves."Status quo".payoffs',
        "list of two payoffs",
        id="tree-three-payoffs",
    ),
    pytest.param(
        edit(TREE, "payoffs = [0, 0]", "payoffs = [0, 0]\ncolour = 1"),
        'root.moves."Status quo".colour',
        "unknown key (expected one of: payoffs, probability)",
        id="tree-unknown-terminal-key",
    ),
    pytest.param(
        edit(TREE, "chance = true", "chance = true\ncolour = 1"),
        "root.moves.Challenge.colour",
        "unknown key",
        id="tree-unknown-chance-key",
    ),
    pytest.param(
        edit(TREE, "chance = true", "chance = false"),
        "root.moves.Challenge.chance",
        "expected chance = true",
        id="tree-chance-false",
    ),
    pytest.param(
        edit(TREE, 'probability = "p"\n', ""),
        "root.moves.Challenge.moves.Resolved.probability",
        "expected a probability for a move of a chance node",
        id="tree-missing-probability",
    ),
    pytest.param(
        edit(TREE, 'probability = "1 - p"', 'probability = "1/4"'),
        "root.moves.Challenge.moves",
        "probabilities sum to 3/4, expected 1",
        id="tree-probabilities-sum",
    ),
    pytest.param(
        edit(
            edit(TREE, 'probability = "p"', "probability = 2"),
            'probability = "1 - p"',
            "probability = -1",
        ),
        "root.moves.Challenge.moves.Resolved.probability",
        "outside [0, 1]",
        id="tree-probability-above-one",
    ),
    pytest.param(
        edit(TREE, 'probability = "p"', 'probability = "q"'),
        "root.moves.Challenge.moves.Resolved.probability",
        "unknown name 'q' (declared parameters: p)",
        id="tree-unknown-parameter",
    ),
    pytest.param(
        edit(TREE, "payoffs = [0, 0]", "payoffs = [0, 0]\nprobability = 1"),
        'root.moves."Status quo".probability',
        "only moves of a chance node",
        id="tree-probability-at-decision",
    ),
    pytest.param(
        edit(TREE, '[root.moves."Status quo"]', '[root.moves."Status/quo"]'),
        'root.moves."Status/quo"',
        "contain no '/'",
        id="tree-slash-in-move",
    ),
    pytest.param(
        'kind = "tree"\nplayers = ["A", "B"]\n[root]\nplayer = "A"\nmoves = {}\n',
        "root.moves",
        "at least one move",
        id="tree-no-moves",
    ),
    pytest.param(
        'kind = "tree"\nplayers = ["A", "B"]\n',
        "root",
        "missing or not a table",
        id="tree-missing-root",
    ),
    pytest.param(
        edit(TREE, "[root]", "[roots]\nx = 1\n[root]"),
        "roots",
        "unknown key",
        id="tree-unknown-top-key",
    ),
    pytest.param(
        edit(TREE, "payoffs = [0, 0]", "payoffs = [0, nan]"),
        'root.moves."Status quo".payoffs[1]',
        "finite",
        id="tree-nan-payoff",
    ),
    # -- signalling -------------------------------------------------------------------
    pytest.param(
        SIGNALLING.split("[types.Irresolute]")[0].replace('"q"', "1"),
        "types",
        "at least two types",
        id="signalling-one-type",
    ),
    pytest.param(
        edit(SIGNALLING, 'prior = "q"\n', ""),
        "types.Resolved.prior",
        "missing the prior probability",
        id="signalling-missing-prior",
    ),
    pytest.param(
        edit(SIGNALLING, 'prior = "1 - q"', "prior = 0.5"),
        "types",
        "sum to 4/5, expected 1",
        id="signalling-priors-sum",
    ),
    pytest.param(
        edit(edit(SIGNALLING, 'prior = "q"', "prior = 1.5"), 'prior = "1 - q"', "prior = -0.5"),
        "types.Resolved.prior",
        "outside [0, 1]",
        id="signalling-prior-above-one",
    ),
    pytest.param(
        edit(SIGNALLING, ', "Back down" = [2, 0] }', " }"),
        'types.Resolved.payoffs.Mobilise."Back down"',
        "expected a pair [sender payoff, receiver payoff]",
        id="signalling-missing-pair",
    ),
    pytest.param(
        edit(SIGNALLING, "Challenge = [0, -2]", "Challenge = [0, -2, 3]"),
        "types.Resolved.payoffs.Mobilise.Challenge",
        "expected a pair",
        id="signalling-triple",
    ),
    pytest.param(
        edit(SIGNALLING, "Challenge = [0, -2]", "Challenge = [0, -2], Ignore = [0, 0]"),
        "types.Resolved.payoffs.Mobilise.Ignore",
        "unknown key",
        id="signalling-unknown-response",
    ),
    pytest.param(
        edit(SIGNALLING, '"Stand pat" = { Challenge = [1, -2]', "Bluff = { Challenge = [1, -2]"),
        "types.Resolved.payoffs.Bluff",
        "unknown key (expected one of: Mobilise, Stand pat)",
        id="signalling-unknown-message",
    ),
    pytest.param(
        edit(SIGNALLING, '"Stand pat" = { Challenge = [1, -2], "Back down" = [3, 0] }\n', ""),
        'types.Resolved.payoffs."Stand pat"',
        "expected a table of payoff pairs",
        id="signalling-missing-message",
    ),
    pytest.param(
        edit(SIGNALLING, 'prior = "q"', 'prior = "q"\ncolour = 1'),
        "types.Resolved.colour",
        "unknown key (expected one of: payoffs, prior)",
        id="signalling-unknown-type-key",
    ),
    pytest.param(
        edit(
            SIGNALLING,
            'messages = ["Mobilise", "Stand pat"]',
            'messages = ["Mobilise", "Mobilise"]',
        ),
        "messages",
        "distinct",
        id="signalling-duplicate-messages",
    ),
    pytest.param(
        edit(SIGNALLING, 'responses = ["Challenge", "Back down"]\n', ""),
        "responses",
        "list of non-empty names",
        id="signalling-missing-responses",
    ),
    pytest.param(
        edit(SIGNALLING, "Challenge = [0, -2]", 'Challenge = ["0 -", -2]'),
        "types.Resolved.payoffs.Mobilise.Challenge[0]",
        "not a valid expression",
        id="signalling-bad-expression",
    ),
]


@pytest.mark.parametrize(("text", "field", "fragment"), CASES)
def test_malformed_file(tmp_path, text, field, fragment):
    error = load_error(tmp_path, text)
    message = str(error)
    assert error.file == str(tmp_path / "game.toml")
    assert error.field == field, message
    assert message.startswith(f"{tmp_path / 'game.toml'}, field '{field}': "), message
    assert fragment in message, message


def test_invalid_toml_names_the_file(tmp_path):
    error = load_error(tmp_path, 'kind = "bimatrix\n')
    assert error.file == str(tmp_path / "game.toml")
    assert "not valid TOML" in str(error)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(GameFileError, match=re.escape(f"{path}: no such file")):
        cr.load(path)


def test_missing_nfg_file(tmp_path):
    path = tmp_path / "nowhere.nfg"
    with pytest.raises(GameFileError, match=re.escape(f"{path}: no such file")):
        cr.load(path)


def test_undecodable_file(tmp_path):
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe\x00kind")
    with pytest.raises(GameFileError, match="cannot read the file"):
        cr.load(path)


def test_parameter_override_out_of_bounds_names_parameter(tmp_path):
    path = tmp_path / "game.toml"
    path.write_text(BIMATRIX, encoding="utf-8")
    game = cr.load(path)
    with pytest.raises(cr.ParameterError, match=r"parameter 'c' = 11 is above its maximum 10"):
        game.bind({"c": 11})
    with pytest.raises(
        cr.ParameterError, match=r"unknown parameter 'd' \(declared parameters: c\)"
    ):
        game.bind({"d": 1})
    with pytest.raises(cr.ParameterError, match="parameter 'c'"):
        game.bind({"c": "nan"})


def test_tree_probability_checked_at_bound_values(tmp_path):
    text = edit(TREE, 'probability = "1 - p"', 'probability = "1/2"')
    path = tmp_path / "game.toml"
    path.write_text(text, encoding="utf-8")
    game = cr.load(path)  # sums to 1 at the default p = 1/2
    with pytest.raises(GameFileError, match="probabilities sum to 3/4, expected 1"):
        game.bind({"p": "1/4"})
