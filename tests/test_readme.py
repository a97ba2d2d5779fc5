"""The README's two set-up commands are the ones CI runs."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_starts_with_the_two_commands_ci_runs():
    readme = (ROOT / "README.md").read_text().splitlines()
    block = readme[readme.index("```bash") + 1 :]
    install, test = block[0], block[1]
    assert block[2] == "```"
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert install in ci and test in ci
