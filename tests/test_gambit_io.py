"""Gambit .nfg files: our reader and writer, checked against pygambit's."""

import io
import os
import time
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import credibility as cr
from credibility.errors import GameFileError
from credibility.io.gambit import format_nfg, gambit_safe, parse_nfg, read_nfg, write_nfg
from credibility.io.textfile import MAX_FILE_BYTES, read_text_file

PAYOFF_FORM = 'NFG 1 R "Prisoner\'s dilemma" { "Row" "Column" } { 2 2 }\n3 3 5 0 0 5 1 1\n'

OUTCOME_FORM = """NFG 1 R "Battle of the sexes" { "He" "She" }

{ { "Opera" "Fight" }
{ "Opera" "Fight" }
}
"a comment"

{
{ "both opera" 2, 1 }
{ "both fight" 1 2 }
}
1 0 0 2
"""


def numbers(matrix):
    return [[Fraction(int(x.p), int(x.q)) for x in row] for row in matrix]


def test_payoff_form_first_player_varies_fastest():
    game = parse_nfg(PAYOFF_FORM)
    assert game.players == ("Row", "Column")
    assert game.row_strategies == ("R1", "R2") and game.column_strategies == ("C1", "C2")
    assert numbers(game.A) == [[3, 0], [5, 1]]
    assert numbers(game.B) == [[3, 5], [0, 1]]
    assert game.info.title == "Prisoner's dilemma"


def test_outcome_form_with_labels_null_outcome_and_comment():
    game = parse_nfg(OUTCOME_FORM, name="bos")
    assert game.row_strategies == ("Opera", "Fight")
    assert numbers(game.A) == [[2, 0], [0, 1]]
    assert numbers(game.B) == [[1, 0], [0, 2]]
    assert game.info.description == "a comment"
    assert game.info.name == "bos"


def test_payoff_form_with_labels():
    text = 'NFG 1 D "" { "a" "b" } { { "x" "y" "z" } { "u" } } 1 2 3 4 5 6'
    game = parse_nfg(text)
    assert numbers(game.A) == [[1], [3], [5]] and numbers(game.B) == [[2], [4], [6]]


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("3/2", Fraction(3, 2)),
        ("-3/2", Fraction(-3, 2)),
        ("0.1", Fraction(1, 10)),
        ("-.25", Fraction(-1, 4)),
        ("1.", Fraction(1)),
        ("+7", Fraction(7)),
        ("1.5e2", Fraction(150)),
        ("2e-3", Fraction(1, 500)),
        ("12345678901234567890", Fraction(12345678901234567890)),
    ],
)
def test_numbers_are_exact(literal, expected):
    game = parse_nfg(f'NFG 1 R "" {{ "a" "b" }} {{ 1 1 }} {literal} 0')
    assert numbers(game.A) == [[expected]]


def test_escaped_quotes_and_backslashes_in_labels():
    text = r'NFG 1 R "say \"hi\"" { "a \"b\"" "c\d" } { { "x" } { "y" } } 0 0'
    game = parse_nfg(text)
    assert game.info.title == 'say "hi"'
    assert game.players == ('a "b"', r"c\d")


def test_read_nfg_via_load_uses_the_stem(tmp_path):
    path = tmp_path / "dilemma.nfg"
    path.write_text(PAYOFF_FORM, encoding="utf-8")
    game = cr.load(path)
    assert isinstance(game, cr.Bimatrix) and game.info.name == "dilemma"
    assert read_nfg(str(path)).A == game.A


BAD = [
    pytest.param("", "header", "expected the file type 'NFG'", id="empty"),
    pytest.param('EFG 2 R "" { "a" "b" }', "header", "expected the file type 'NFG'", id="efg"),
    pytest.param(
        'NFG 2 R "" { "a" "b" } { 1 1 } 0 0', "header", "version 2 is not supported", id="version-2"
    ),
    pytest.param('NFG 1 X "" { "a" "b" } { 1 1 } 0 0', "header", "'R' or 'D'", id="data-type"),
    pytest.param('NFG 1 R { "a" "b" } { 1 1 } 0 0', "header", "title", id="no-title"),
    pytest.param(
        'NFG 1 R "t', "header", "end of file inside a quoted string", id="unterminated-string"
    ),
    pytest.param('NFG 1 R "" { "a" } { 1 } 0', "players", "two or more players", id="one-player"),
    # three or more players: a normal-form game (tests/test_normal_form.py)
    pytest.param(
        'NFG 1 R "" { "a" 3 } { 1 1 } 0 0', "players", "player name or '}'", id="numeric-player"
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 2 } 0 0',
        "strategies",
        "strategies for 2 players, got 1",
        id="one-count",
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 1 1 1 } 0 0',
        "strategies",
        "strategies for 2 players, got 3",
        id="three-counts",
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 0 1 } 0 0',
        "strategies",
        "positive whole number",
        id="zero-strategies",
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 1.5 1 } 0 0',
        "strategies",
        "positive whole number",
        id="fractional-count",
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { { } { "y" } } 0 0',
        "strategies",
        "at least one strategy for 'a'",
        id="no-labels",
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 2 2 } 1 2 3 4 5 6 7',
        "payoffs",
        "expected 8 payoffs (2 players x 4 strategy profiles), got 7",
        id="too-few",
    ),
    pytest.param('NFG 1 R "" { "a" "b" } { 1 1 } 1 2 3', "payoffs", "got 3", id="too-many"),
    pytest.param('NFG 1 R "" { "a" "b" } { 1 1 } 1 two', "payoffs", "got 1", id="word-payoff"),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 1 1 } 1 2 }', "payoffs", "end of the file", id="trailing-brace"
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 1 1 } 1 2/0', "payoffs", "divides by zero", id="zero-denominator"
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 1 1 } 1 1e99999999', "payoffs", "out of range", id="huge-exponent"
    ),
    pytest.param('NFG 1 R "" { "a" "b" } { 1 1 } 1 1_000', "payoffs", "got 1", id="underscore"),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 1 1 } "x"', "payoffs", "payoffs (numbers)", id="no-body"
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 1 1 } { { "o" 1 2 3 } } 1',
        "outcomes",
        "expected 2 payoffs in outcome 1, got 3",
        id="outcome-three-payoffs",
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 1 1 } { { 1 2 } } 1',
        "outcomes",
        "outcome's name",
        id="outcome-without-name",
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 1 1 } { { "o" 1 2 } } 2',
        "payoffs",
        "outcome index from 0 to 1, got '2'",
        id="outcome-index-too-large",
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 1 1 } { { "o" 1 2 } } 1/2',
        "payoffs",
        "outcome index",
        id="fractional-outcome-index",
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 2 1 } { { "o" 1 2 } } 1',
        "payoffs",
        "expected 2 outcome indices (one per strategy profile), got 1",
        id="missing-outcome-index",
    ),
    pytest.param(
        'NFG 1 R "" { "a" "b" } { 1 1 } { { "o" 1 2 }',
        "outcomes",
        "closing the list",
        id="unclosed-outcomes",
    ),
]


@pytest.mark.parametrize(("text", "field", "fragment"), BAD)
def test_malformed_nfg_names_file_field_and_expectation(tmp_path, text, field, fragment):
    path = tmp_path / "bad.nfg"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GameFileError) as info:
        cr.load(path)
    error = info.value
    assert error.file == str(path)
    assert error.field == field, str(error)
    assert str(error).startswith(f"{path}, field '{field}': line "), str(error)
    assert fragment in str(error), str(error)


def test_error_position_is_line_and_column():
    with pytest.raises(GameFileError, match=r"line 2:3: expected two or more players"):
        parse_nfg('NFG 1 R "x"\n  { "only" } { 1 } 0')


# -- files from Gambit's own collection: empty and repeated names ---------------------

# Shaped like Gambit's contrib/games/sww1.nfg: data type D, both player names empty,
# strategy counts, decimal payoffs written with six places.
EMPTY_PLAYERS = """NFG 1 D "Entry with unnamed players" { "" "" } { 2 2 }

2.000000 1.500000 0.000000 0.000000 3.250000 1.000000 5.000000 -1.000000
"""

# Shaped like Gambit's tests/test_games/2x2_bimatrix_all_zero_payoffs.nfg: one player's two
# strategies share a label; the outcomes have empty names.
REPEATED_LABELS = """NFG 1 R "Two strategies with one name" { "Ann" "Bob" }

{ { "hawk" "dove" }
{ "wait" "wait" }
}
""

{
{ "" 1, 2 }
{ "" 3, 4 }
{ "" 5, 6 }
{ "" 7, 8 }
}
1 2 3 4
"""


def test_empty_player_names_become_player_1_and_2():
    game = parse_nfg(EMPTY_PLAYERS)
    assert game.players == ("Player 1", "Player 2")
    assert game.row_strategies == ("R1", "R2") and game.column_strategies == ("C1", "C2")
    assert numbers(game.A) == [[2, Fraction(13, 4)], [0, 5]]
    assert numbers(game.B) == [[Fraction(3, 2), 1], [0, -1]]
    assert game.info.title == "Entry with unnamed players"


def test_repeated_strategy_label_gets_a_suffix():
    game = parse_nfg(REPEATED_LABELS)
    assert game.players == ("Ann", "Bob")
    assert game.row_strategies == ("hawk", "dove")
    assert game.column_strategies == ("wait", "wait (2)")
    assert numbers(game.A) == [[1, 5], [3, 7]] and numbers(game.B) == [[2, 6], [4, 8]]


@pytest.mark.parametrize(
    ("players", "rows", "expected_players", "expected_rows"),
    [
        (["a", "a"], ["x", "x", "x (2)"], ("a", "a (2)"), ("x", "x (3)", "x (2)")),
        (["", "Player 1"], ["", "R1"], ("Player 1", "Player 1 (2)"), ("R1", "R1 (2)")),
        ([" \t", "b"], ["  ", "y", "y"], ("Player 1", "b"), ("R1", "y", "y (2)")),
        (["a", "b"], [" x ", "x"], ("a", "b"), (" x ", "x")),
    ],
)
def test_names_made_non_empty_and_distinct_by_position(
    players, rows, expected_players, expected_rows
):
    quoted = " ".join(f'"{name}"' for name in rows)
    text = f'NFG 1 R "" {{ "{players[0]}" "{players[1]}" }} {{ {{ {quoted} }} {{ "c" }} }} '
    game = parse_nfg(text + " ".join(["0"] * 2 * len(rows)))
    assert game.players == expected_players
    assert game.row_strategies == expected_rows


def test_names_keep_their_text_otherwise():
    text = 'NFG 1 R " two  spaces\t" { "Défense" "攻撃" } { { "a\tb" "\\"q\\"" } { " c" } } 0 0 0 0'
    game = parse_nfg(text)
    assert game.info.title == " two  spaces\t"
    assert game.players == ("Défense", "攻撃")
    assert game.row_strategies == ("a\tb", '"q"') and game.column_strategies == (" c",)


def test_line_ends_inside_strings_are_kept(tmp_path):
    path = tmp_path / "crlf.nfg"
    path.write_bytes(b'NFG 1 R "two\r\nlines\rend" { "a" "b" } { 1 1 }\r\n1 2\r\n')
    assert read_nfg(path).info.title == "two\r\nlines\rend"


# -- sizes ------------------------------------------------------------------------------

HUGE_HEADER = 'NFG 1 R "" { "1" "2" } { 1000000000 2 }\n'


def test_huge_declared_size_is_refused_from_the_header(tmp_path):
    path = tmp_path / "huge.nfg"
    path.write_text(HUGE_HEADER, encoding="ascii")
    assert path.stat().st_size == 40
    started = time.perf_counter()
    with pytest.raises(GameFileError) as info:
        cr.load(path)
    assert time.perf_counter() - started < 1
    error = info.value
    assert error.file == str(path) and error.field == "strategies"
    assert "1000000000 x 2 strategies" in str(error)
    assert "2000000000 strategy profiles" in str(error)
    assert "the whole file has 40 characters" in str(error)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("{ 100000 100000 } 1 2", id="counts"),
        pytest.param('{ 3000 3000 } { { "o" 1 2 } } 1 1 1', id="counts-outcome-form"),
        pytest.param("{ 99999999999999999999999999 1 } " + "0 " * 20, id="enormous-count"),
    ],
)
def test_more_profiles_than_the_text_can_hold_are_refused(body):
    started = time.perf_counter()
    with pytest.raises(GameFileError, match="strategy profiles, each needing a number"):
        parse_nfg(f'NFG 1 R "" {{ "a" "b" }} {body}')
    assert time.perf_counter() - started < 1


def test_a_short_body_still_gets_the_exact_count():
    with pytest.raises(GameFileError, match=r"expected 8 payoffs .* got 3"):
        parse_nfg('NFG 1 R "" { "a" "b" } { 2 2 } 1 2 3')


def test_file_larger_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "big.nfg"
    path.write_text(PAYOFF_FORM, encoding="utf-8")
    assert read_nfg(path, limit=len(PAYOFF_FORM)).shape == (2, 2)
    with pytest.raises(GameFileError) as info:
        read_nfg(path, limit=len(PAYOFF_FORM) - 1)
    assert info.value.file == str(path)
    assert f"larger than the limit of {len(PAYOFF_FORM) - 1} bytes" in str(info.value)


@pytest.mark.parametrize("suffix", [".nfg", ".toml"])
def test_file_larger_than_the_default_limit_is_refused_unread(tmp_path, suffix):
    path = tmp_path / f"sparse{suffix}"
    with path.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written, nothing read
    with pytest.raises(GameFileError, match=f"larger than the limit of {MAX_FILE_BYTES} bytes"):
        cr.load(path)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("suffix", [".nfg", ".toml"])
def test_endless_file_is_read_only_up_to_the_limit(tmp_path, suffix):
    path = tmp_path / f"zero{suffix}"
    os.symlink("/dev/zero", path)
    started = time.perf_counter()
    with pytest.raises(GameFileError, match="larger than the limit") as info:
        cr.load(path)
    assert info.value.file == str(path)
    assert time.perf_counter() - started < 5


def test_bounded_read_translates_line_ends_only_when_asked(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_bytes(b"a\r\nb\rc\n")
    assert read_text_file(path) == "a\nb\nc\n"
    assert read_text_file(path, universal_newlines=False) == "a\r\nb\rc\n"
    path.write_bytes(b"\xff")
    with pytest.raises(GameFileError, match=r"cannot read the file .*not UTF-8"):
        read_text_file(path)
    with pytest.raises(GameFileError, match="cannot read the file"):
        read_text_file(tmp_path)


def test_writer_output_is_exact_payoff_form():
    game = cr.load("chicken")
    text = format_nfg(game, {"c_row": "3/2", "c_column": 2})
    assert text.startswith('NFG 1 R "Chicken (brinkmanship)" { "Row" "Column" }\n')
    assert '{ { "Swerve" "Straight" }\n{ "Swerve" "Straight" }\n}' in text
    assert text.rstrip().endswith("0 0 1 -1 -1 1 -3/2 -2")
    again = parse_nfg(text)
    assert numbers(again.A) == [[0, -1], [1, Fraction(-3, 2)]]


def test_write_to_path_and_stream(tmp_path):
    game = cr.load("inspection")
    binding = game.bind({"b": "7/2"})
    path = tmp_path / "inspection.nfg"
    write_nfg(game, binding, path)
    stream = io.StringIO()
    write_nfg(game, binding, stream)
    assert path.read_text(encoding="utf-8") == stream.getvalue()
    assert read_nfg(path).B[0][0] == sympy.Rational(-7, 2)


def test_empty_title_stays_empty(tmp_path):
    path = tmp_path / "dilemma.nfg"
    path.write_text('NFG 1 R "" { "Row" "Column" } { 2 2 }\n3 3 5 0 0 5 1 1\n', encoding="utf-8")
    game = read_nfg(path)
    assert game.info.name == "dilemma" and game.info.title == ""
    assert format_nfg(game).startswith('NFG 1 R "" { "Row" "Column" }')


@pytest.mark.parametrize(
    ("label", "written", "read_back"),
    [
        ('say "hi"', r'"say \"hi\""', 'say "hi"'),
        (r"c\d", r'"c\d"', r"c\d"),
        (r"a\\\d", r'"a\\d"', r"a\\\d"),
        ('q\\\\"', r'"q\\""', 'q\\\\"'),
        ("ends with \\", '"ends with"', "ends with"),
        (r"a\\b", r'"a\b"', r"a\b"),
        ('odd\\"', r'"odd\""', 'odd"'),
        ("Défense  de\tla ﬁn", '"Defense de la fin"', "Defense de la fin"),
        ("日本", '"<U+65E5><U+672C>"', "<U+65E5><U+672C>"),
        ("bell\x07", '"bell<U+0007>"', "bell<U+0007>"),
    ],
)
def test_writer_normalises_what_gambit_cannot_hold(label, written, read_back):
    game = cr.Bimatrix.from_arrays([[1]], [[1]], row_strategies=[label])
    text = format_nfg(game)
    assert text.splitlines()[2] == "{ { " + written + " }"
    assert parse_nfg(text).row_strategies == (read_back,)
    assert gambit_safe(game).row_strategies == (read_back,)


def test_writer_keeps_every_ascii_character_of_the_title():
    title = ' two  spaces,\ttab, "quotes", a\\b and\r\nline ends '
    game = cr.Bimatrix.from_arrays([[1]], [[1]], title=title)
    assert parse_nfg(format_nfg(game)).info.title == title
    accented = cr.Bimatrix.from_arrays([[1]], [[1]], title="Théâtre ∞")
    assert parse_nfg(format_nfg(accented)).info.title == "Theatre <U+221E>"


def test_writer_avoids_numbers_of_later_positions():
    # pygambit 16.7 refuses a file whose first strategy is called "2" out of two.
    game = cr.Bimatrix.from_arrays(
        [[1, 2]], [[3, 4]], players=["2", "1"], column_strategies=["2", "1"]
    )
    safe = gambit_safe(game)
    assert safe.players == ("2 (2)", "1") and safe.column_strategies == ("2 (2)", "1")
    kept = cr.Bimatrix.from_arrays([[1, 2]], [[3, 4]], players=["1", "2"])
    assert gambit_safe(kept).players == ("1", "2")


def test_written_file_is_ascii_with_newlines(tmp_path):
    game = cr.Bimatrix.from_arrays([[1]], [[2]], title="Ünïcode\r\n", row_strategies=["é"])
    path = tmp_path / "out.nfg"
    write_nfg(game, None, path)
    data = path.read_bytes()
    assert data.isascii() and data.decode("ascii") == format_nfg(game)


def test_writer_checks_parameter_bounds():
    with pytest.raises(cr.ParameterError, match="below its minimum"):
        format_nfg(cr.load("chicken"), {"c_row": -1})


# -- round trips --------------------------------------------------------------------

unicode_label = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\\"), min_size=1, max_size=8
).filter(str.strip)
# pygambit 16.7 accepts printable ASCII labels without leading, trailing or double spaces;
# and it relabels the default strategy labels "1", "2", ... one at a time, so a label such as
# "3" given to the first strategy collides with the third's default: start with a letter.
ascii_label = st.from_regex(r"[A-Za-z][!-\[\]-~]*( [!-\[\]-~]+)?", fullmatch=True).filter(
    lambda text: len(text) <= 12
)
payoff = st.fractions(min_value=-1000, max_value=1000, max_denominator=50)


@st.composite
def games(draw, label=unicode_label):
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    players = draw(st.lists(label, min_size=2, max_size=2, unique=True))
    rows = draw(st.lists(label, min_size=m, max_size=m, unique=True))
    columns = draw(st.lists(label, min_size=n, max_size=n, unique=True))
    A = draw(st.lists(st.lists(payoff, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(payoff, min_size=n, max_size=n), min_size=m, max_size=m))
    title = draw(label)
    return cr.Bimatrix.from_arrays(
        A, B, players=players, row_strategies=rows, column_strategies=columns, title=title
    )


def same_game(a: cr.Bimatrix, b: cr.Bimatrix) -> None:
    assert a.players == b.players
    assert (a.row_strategies, a.column_strategies) == (b.row_strategies, b.column_strategies)
    assert numbers(a.A) == numbers(b.A) and numbers(a.B) == numbers(b.B)
    assert a.info.title == b.info.title


# Any text at all: non-ASCII, tabs, line ends, runs of spaces, quotes, backslashes, digits,
# empty strings (names that the writer, like the reader, fills in).
any_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(' \t\n\r"\\12ab')), st.characters(codec="utf-8"), st.just("é")
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(games())
def test_round_trip_through_our_reader(game):
    same_game(parse_nfg(format_nfg(game)), gambit_safe(game))


@settings(max_examples=100, deadline=None)
@given(games(any_text))
def test_any_text_round_trips_through_our_reader_as_gambit_safe_says(game):
    text = format_nfg(game)
    assert text.isascii()
    safe = gambit_safe(game)
    ours = parse_nfg(text)
    same_game(ours, safe)
    assert ours.info.description == safe.info.description
    again = gambit_safe(safe)
    assert (again.players, again.row_strategies, again.column_strategies, again.info) == (
        safe.players,
        safe.row_strategies,
        safe.column_strategies,
        safe.info,
    )


@settings(max_examples=60, deadline=None)
@given(games(ascii_label))
def test_names_gambit_accepts_are_written_unchanged(game):
    same_game(gambit_safe(game), game)


def gambit_arrays(game):
    A, B = game.to_arrays(dtype=Fraction)
    return A.tolist(), B.tolist()


@pytest.mark.oracle
@settings(max_examples=40, deadline=None)
@given(games(ascii_label))
def test_our_writer_through_pygambit_reader(gbt, game):
    theirs = gbt.read_nfg(io.StringIO(format_nfg(game)))
    assert gambit_arrays(theirs) == (numbers(game.A), numbers(game.B))
    assert [p.label for p in theirs.players] == list(game.players)
    assert [s.label for s in theirs.players[game.players[0]].strategies] == list(
        game.row_strategies
    )
    assert theirs.title == game.info.title


@pytest.mark.oracle
@settings(max_examples=40, deadline=None)
@given(games(ascii_label))
def test_pygambit_writer_through_our_reader(gbt, game):
    m, n = game.shape
    theirs = gbt.Game.new_table([m, n], title=game.info.title)
    first, second = theirs.players
    first.label, second.label = game.players
    for strategy, name in zip(first.strategies, game.row_strategies):
        strategy.label = name
    for strategy, name in zip(second.strategies, game.column_strategies):
        strategy.label = name
    A, B = numbers(game.A), numbers(game.B)
    for i, s in enumerate(first.strategies):
        for j, t in enumerate(second.strategies):
            outcome = theirs[s, t]
            outcome[first] = gbt.Rational(A[i][j])
            outcome[second] = gbt.Rational(B[i][j])
    same_game(parse_nfg(theirs.to_nfg()), game)


@pytest.mark.oracle
def test_pygambit_from_arrays_file_through_our_reader(gbt):
    theirs = gbt.Game.from_arrays([[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]], title="t")
    game = parse_nfg(theirs.to_nfg())
    assert numbers(game.A) == [[1, 2, 3], [4, 5, 6]]
    assert numbers(game.B) == [[7, 8, 9], [10, 11, 12]]
    assert game.players == ("1", "2") and game.column_strategies == ("1", "2", "3")


@pytest.mark.oracle
@pytest.mark.parametrize("name", cr.catalog_names())
def test_catalog_bimatrix_models_round_trip_through_pygambit(gbt, name):
    game = cr.load(name)
    if not isinstance(game, cr.Bimatrix):
        pytest.skip("not a bimatrix game")
    theirs = gbt.read_nfg(io.StringIO(format_nfg(game)))
    A, B = game.numeric(game.bind())
    assert gambit_arrays(theirs) == (A, B)


@pytest.mark.oracle
@settings(max_examples=150, deadline=None)
@given(games(any_text), any_text)
def test_every_file_we_write_reads_back_in_pygambit(gbt, game, description):
    game = cr.Bimatrix(
        players=game.players,
        row_strategies=game.row_strategies,
        column_strategies=game.column_strategies,
        A=game.A,
        B=game.B,
        info=cr.GameInfo(title=game.info.title, description=description),
    )
    text = format_nfg(game)
    theirs = gbt.read_nfg(io.StringIO(text))
    safe = gambit_safe(game)
    assert gambit_arrays(theirs) == (numbers(game.A), numbers(game.B))
    first, second = theirs.players
    assert (first.label, second.label) == safe.players
    assert tuple(s.label for s in first.strategies) == safe.row_strategies
    assert tuple(s.label for s in second.strategies) == safe.column_strategies
    assert theirs.title == safe.info.title
    assert theirs.description == safe.info.description
    same_game(parse_nfg(text), safe)


@pytest.mark.oracle
@pytest.mark.parametrize("text", [EMPTY_PLAYERS, REPEATED_LABELS], ids=["empty", "repeated"])
def test_gambit_collection_shapes_same_payoffs_as_pygambit(gbt, text):
    theirs = gbt.read_nfg(io.StringIO(text))
    game = parse_nfg(text)
    assert gambit_arrays(theirs) == (numbers(game.A), numbers(game.B))
    assert theirs.title == game.info.title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('NFG 1 R "t" Row Col', "expected '{' opening the list of players, got 'Row'"),
        ('NFG 1 R "t" { "A" "B" } { 2 2', "expected '}' closing the strategies, got the end"),
        ("NFG 1 R { }", "expected the game's title (a quoted string), got '{'"),
        ('NFG 1 R "t" { "A" "B" } { 2 2 } ""', "expected the payoffs (numbers) or an outcome list"),
    ],
)
def test_a_missing_token_is_named_once(text, expected):
    from credibility.io.gambit import parse_nfg

    with pytest.raises(cr.GameFileError) as raised:
        parse_nfg(text)
    assert expected in str(raised.value)
    assert "expected expected" not in str(raised.value)
