"""The command line through click's CliRunner: exit codes, stdout and exact error text."""

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from cli import cli


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_models_lists_the_catalog_with_kind_and_source(run):
    result = run("models", "--format", "json")
    assert result.exit_code == 0
    models = {m["name"]: m for m in json.loads(result.output)["models"]}
    assert models["chicken"]["kind"] == "bimatrix"
    assert "Schelling" in models["chicken"]["source"]


def test_show_prints_parameters_and_payoffs(run):
    result = run("show", "chicken")
    assert result.exit_code == 0
    assert "c_row" in result.output and "-c_row, -c_column" in result.output


def test_solve_json_follows_the_contract(run):
    # Chicken with a crash cost of 5 (Dixit, Skeath & McAdams, Games of Strategy, ch. 7):
    # each side stands firm ("Straight") with probability 1/5 in the mixed equilibrium.
    result = run("solve", "chicken", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {
        "format",
        "kind",
        "game",
        "players",
        "parameters",
        "exact",
        "degenerate",
        "equilibria",
    } <= set(data)
    assert data["format"] == 1 and data["kind"] == "bimatrix" and data["exact"] is True
    assert data["degenerate"] is False
    assert data["parameters"]["c_row"] == "5"
    mixed = [e for e in data["equilibria"] if not e["pure"]]
    assert mixed == [
        {
            "strategies": {
                "Row": {"Swerve": "4/5", "Straight": "1/5"},
                "Column": {"Swerve": "4/5", "Straight": "1/5"},
            },
            "payoffs": {"Row": "-1/5", "Column": "-1/5"},
            "pure": False,
            "component": 1,
        }
    ]
    for e in data["equilibria"]:
        for mix in e["strategies"].values():
            assert sum(Fraction(p) for p in mix.values()) == 1


def test_inline_game_matches_the_catalog_game(run):
    inline = json.loads(
        run("solve", "--row", "0 -1; 1 -5", "--column", "0 1; -1 -5", "--format", "json").output
    )
    catalog = json.loads(run("solve", "chicken", "--format", "json").output)
    assert [e["payoffs"] for e in inline["equilibria"]] == [
        {"Row": e["payoffs"]["Row"], "Column": e["payoffs"]["Column"]}
        for e in catalog["equilibria"]
    ]


def test_float_output_is_decimal(run):
    data = json.loads(run("solve", "chicken", "--float", "--format", "json").output)
    assert data["exact"] is False
    assert data["equilibria"][1]["strategies"]["Row"]["Straight"] == "0.2"


@pytest.mark.parametrize("method", ["support", "vertex", "lemke-howson"])
def test_nashpy_methods_are_recovered_exactly(run, method):
    data = json.loads(run("solve", "chicken", "--method", method, "--format", "json").output)
    assert data["method"] == method and data["exact"] is True
    assert data["complete"] is (method != "lemke-howson")
    assert len(data["equilibria"]) == (1 if method == "lemke-howson" else 3)


def test_latex_is_a_tabular_that_names_its_preamble_and_parameters(run):
    result = run("solve", "chicken", "--format", "latex")
    lines = result.output.splitlines()
    assert lines[0] == "% credibility: Chicken (brinkmanship): Nash equilibria"
    assert "\\usepackage{amsmath}" in lines[1]
    assert lines[2] == "\\begin{tabular}{rllrrl}" and lines[-1] == "\\end{tabular}"
    assert "\\frac{4}{5}" in result.output
    assert "Parameters: $w_{row} = 1$" in result.output


def test_degenerate_game_reports_components(run):
    result = run("solve", "--row", "1 1; 1 1", "--column", "1 1; 0 1")
    assert result.exit_code == 0
    assert "degenerate game" in result.output
    assert "Equilibria 1, 2, 3 lie in one connected component" in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["solve", "chiken"],
            1,
            "Error: 'chiken' is neither a game file nor a catalog model; did you mean chicken? "
            "(credibility models lists the catalog)\n",
        ),
        (["solve", "missing.toml"], 1, "Error: missing.toml: no such file\n"),
        (
            ["solve", "chicken", "--param", "c_row=-1"],
            1,
            "Error: parameter 'c_row' = -1 is below its minimum 0\n",
        ),
        (
            ["solve", "chicken", "--param", "k=1"],
            1,
            "Error: unknown parameter 'k' (declared parameters: w_row, l_row, c_row, w_column, "
            "l_column, c_column)\n",
        ),
        (
            ["solve", "chicken", "--param", "c_row=2*3"],
            1,
            "Error: parameter 'c_row': expected a number or a fraction such as 1/3, got '2*3'\n",
        ),
        (
            ["solve", "chicken", "--param", "c_row=nan"],
            1,
            "Error: parameter 'c_row': expected a number or a fraction such as 1/3, got 'nan'\n",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_1(run, args, code, message):
    result = run(*args)
    assert result.exit_code == code
    assert result.output == message


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["solve", "chicken", "--param", "c_row"], "expected NAME=VALUE, got 'c_row'"),
        (["solve", "--row", "0 -1; 1", "--column", "0 1; -1 -5"], "ragged matrix"),
        (["solve", "--row", "0 x", "--column", "0 1"], "got 'x'"),
        (["solve", "--row", "0 1"], "--row and --column go together"),
        (["solve", "--row", "0 1; 1 0", "--column", "0 1"], "expected a 2 x 2 matrix like --row"),
        (["solve"], "missing GAME"),
        (["solve", "chicken", "--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_usage_errors_exit_2(run, args, fragment):
    result = run(*args)
    assert result.exit_code == 2
    assert fragment in result.output


def test_malicious_payoff_is_rejected_not_evaluated(run, tmp_path):
    game = tmp_path / "evil.toml"
    game.write_text(
        'kind = "bimatrix"\nplayers = ["A", "B"]\n[payoffs]\n'
        "A = [[\"__import__('os').system('touch pwned')\", 0]]\nB = [[0, 0]]\n"
    )
    result = run("solve", str(game))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {game}, field 'payoffs.A[0][0]': '__import__('os').system' is not an allowed "
        "function "
        "(min, max, abs)\n"
    )
    assert not (tmp_path / "pwned").exists()


def test_huge_power_is_rejected(run, tmp_path):
    game = tmp_path / "huge.toml"
    game.write_text(
        'kind = "bimatrix"\nplayers = ["A", "B"]\n[payoffs]\nA = [["9**9**9**9"]]\nB = [[0]]\n'
    )
    result = run("solve", str(game))
    assert result.exit_code == 1
    assert "field 'payoffs.A[0][0]'" in result.output and "too large" in result.output


def test_game_too_large_for_enumeration_suggests_alternatives(run, monkeypatch):
    # The bound is what fits in the memory free (hundreds of millions): lowered here so that a
    # 14 x 14 game, which has more than a thousand, meets it at once.
    monkeypatch.setattr("credibility.solvers.enumeration.MAX_BASES", 1000)
    row = "; ".join(" ".join(str((i * 7 + j * 3) % 11) for j in range(14)) for i in range(14))
    result = run("solve", "--row", row, "--column", row)
    assert result.exit_code == 1
    assert "too many to list every extreme equilibrium" in result.output
    assert "--float --method lemke-howson" in result.output


def test_main_entry_point_exits_with_status(tmp_path, capsys):
    from cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["solve", "nope-nope"])
    assert exit_info.value.code == 1
    assert "Traceback" not in capsys.readouterr().err


SINKING_DEFAULTS = ["--param", "q=3/10", "--param", "v_r=4", "--param", "v_i=1"]
SINKING_DEFAULTS += ["--param", "w=1", "--param", "c=2"]


def test_signalling_threshold_text_gives_each_class_in_interval_notation(run):
    # Fearon (1997): separation iff v_i <= m <= v_r - w; bluffing (semi-separating) below v_i.
    result = run("threshold", "sinking_costs", "--for", "m", *SINKING_DEFAULTS)
    assert result.exit_code == 0
    assert "  separating: 1 ≤ m ≤ 3" in result.output
    assert "  semi-separating: 0 ≤ m ≤ 1 or m = 3" in result.output
    assert "  pooling: m ≥ 0" in result.output
    assert "  1 < m < 3: separating + pooling\n" in result.output
    assert "  m = 1: separating + pooling + semi-separating\n" in result.output
    assert "hybrid" not in result.output


def test_signalling_threshold_latex_and_json_carry_the_existence_sets(run):
    latex = run("threshold", "sinking_costs", "--for", "m", *SINKING_DEFAULTS, "--format", "latex")
    assert r"separating & $1 \le m \le 3$ \\" in latex.output
    assert r"$1 < m < 3$ & separating + pooling \\" in latex.output
    data = json.loads(
        run(
            "threshold", "sinking_costs", "--for", "m", *SINKING_DEFAULTS, "--format", "json"
        ).output
    )
    assert data["existence"]["semi-separating"]["set"] == "Union({3}, Interval(0, 1))"
    assert [r["classes"] for r in data["regions"]][-1] == ["pooling"]


def test_solve_merges_equilibria_that_differ_only_off_the_path(run):
    # At m = 5 both types stand pat and the challenger challenges; after the unsent mobilisation
    # any response keeps the equilibrium (it costs more than it can bring): one pooling entry,
    # whatever the challenger's mixture there (the receiver's mixing is no class of its own).
    data = json.loads(run("solve", "sinking_costs", "--param", "m=5", "--format", "json").output)
    assert [e["class"] for e in data["equilibria"]] == ["pooling"]
    assert data["classes"] == ["pooling"]
    (entry,) = data["equilibria"]
    assert entry["off_path_responses"] == {
        "Mobilise": {"Challenge": ["0", "1"], "Back down": ["0", "1"]}
    }
    text = run("solve", "sinking_costs", "--param", "m=5").output
    assert "any response" in text and "hybrid" not in text


def flat(text: str) -> str:
    """Text output with its line wrapping undone (lines wrap at 80 columns)."""
    return " ".join(text.split())


@pytest.fixture
def one_derivation_per_question(monkeypatch):
    """Each threshold derivation (game, parameter, bound values) is done once in a test.

    The CLI is still run and rendered for every invocation; only a derivation that a previous
    invocation already did with the very same inputs is reused (as tests/test_golden.py does).
    """
    import credibility as cr

    original = cr.thresholds
    done = {}

    def thresholds(game, parameter, params=None, *, budget=None):
        key = (repr(game), parameter, repr(sorted((params or {}).items())))
        if key not in done:
            done[key] = original(game, parameter, params, budget=budget)
        return done[key]

    monkeypatch.setattr(cr, "thresholds", thresholds)


@pytest.mark.usefixtures("one_derivation_per_question")
def test_threshold_explain_says_what_changes_at_each_threshold():
    # Zagare & Kilgour (2000), section 3.4: the challenger is deterred once the defender is Hard
    # with probability above (a_DC - a_SQ)/(a_DC - a_DD) = 1/3 at these payoffs.
    bound = ["a_SQ=0", "a_DC=1", "a_DD=-2", "b_SQ=3", "b_DC=-1", "b_DD_hard=1", "b_DD_soft=-3"]
    args = ["threshold", "unilateral_deterrence", "--for", "p", "--explain"]
    for value in bound:
        args += ["--param", value]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "p = 1/3: Challenge below, Status quo above (Challenge gives way to Status quo)" in flat(
        result.output
    )
    # Fearon (1997) at the catalog's defaults: separation for m in [1, 3].
    fearon = ["q=3/10", "v_i=1", "w=1", "c=2", "v_r=4"]
    sunk = ["threshold", "sinking_costs", "--for", "m", "--explain"]
    sunk_out = CliRunner().invoke(cli, sunk + [a for v in fearon for a in ("--param", v)]).output
    assert "m = 3: separating + pooling below, pooling above (separating disappears)" in flat(
        sunk_out
    )
    defaults = CliRunner().invoke(cli, ["threshold", "sinking_costs", "--for", "m", "--defaults"])
    assert (
        defaults.output
        == CliRunner().invoke(cli, sunk[:-1] + [a for v in fearon for a in ("--param", v)]).output
    )
    overridden = ["threshold", "sinking_costs", "--for", "m", "--defaults", "--param", "v_r=5"]
    assert "m = 4" in CliRunner().invoke(cli, overridden).output
    hands = ["q=3/10", "v=1", "w=1/2", "c=2"]
    tied = ["threshold", "tying_hands", "--for", "a", "--explain"]
    tied_out = CliRunner().invoke(cli, tied + [a for v in hands for a in ("--param", v)]).output
    assert "The same equilibria hold for every value of a inside its bounds" in flat(tied_out)
    # Other parameters left free: the explanation says to bind them (the text does not depend on
    # the kind of game, so the cheapest free derivation, a tree's, checks it).
    free = CliRunner().invoke(cli, [*args[:4], "--explain"])
    assert "bind them (--param) to see what changes at each" in flat(free.output)
    plain = CliRunner().invoke(cli, args[:4] + args[5:])
    assert plain.exit_code == 0, plain.output
    assert "What changes" not in plain.output
