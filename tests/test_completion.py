"""Shell completion: game names (catalog and files), then the game's parameter names."""

import pytest
from click.testing import CliRunner

from cli import cli


def complete(line: str, shell: str = "bash") -> list[str]:
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    env = {
        "_CREDIBILITY_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": line,
        "COMP_CWORD": str(cword),
    }
    result = CliRunner().invoke(cli, [], prog_name="credibility", env=env)
    assert result.exit_code == 0, result.output
    return [item.split(",", 1)[1] for item in result.output.split()]


def test_game_names_from_the_catalog_and_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chess.toml").write_text("")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "cases").mkdir()
    assert complete("credibility solve chi") == ["chicken"]
    assert complete("credibility show c") == [
        "capability_transparency",
        "chain_ganging",
        "chicken",
        "collective_defence_n",
        "cyber_attribution",
        "cases/",
        "chess.toml",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("credibility threshold sinking_costs --for ", ["q", "m", "v_r", "v_i", "w", "c"]),
        ("credibility threshold sinking_costs --param q=1/2 --for v", ["v_r", "v_i"]),
        ("credibility solve chicken --param c_", ["c_row=", "c_column="]),
        ("credibility sweep tying_hands --grid ", ["q=", "a=", "v=", "w=", "c="]),
        ("credibility solve no_such_game --param ", []),
    ],
)
def test_parameter_names_of_the_game_on_the_line(line, expected):
    assert complete(line) == expected


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_gets_a_script(shell):
    env = {"_CREDIBILITY_COMPLETE": f"{shell}_source"}
    result = CliRunner().invoke(cli, [], prog_name="credibility", env=env)
    assert result.exit_code == 0 and "_CREDIBILITY_COMPLETE" in result.output
