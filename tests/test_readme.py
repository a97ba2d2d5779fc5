"""The README's two set-up commands are the ones CI runs; then CI runs the oracle tests."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORACLE_INSTALL = '.venv/bin/pip install -e ".[dev,oracle]"'
ORACLE_TESTS = ".venv/bin/pytest -m oracle"


def ci_lines():
    return (ROOT / ".ci" / "run").read_text().splitlines()


def test_readme_starts_with_the_two_commands_ci_runs():
    readme = (ROOT / "README.md").read_text().splitlines()
    block = readme[readme.index("```bash") + 1 :]
    install, test = block[0], block[1]
    assert block[2] == "```"
    ci = ci_lines()
    assert install in ci and test in ci


def test_ci_then_installs_the_oracle_extra_and_runs_the_oracle_tests():
    ci = ci_lines()
    readme_tests = ci.index(".venv/bin/pytest")
    assert readme_tests < ci.index(ORACLE_INSTALL) < ci.index(ORACLE_TESTS)
    # The README's run has no pygambit: it leaves the oracle tests out (they would fail on CI).
    deselect = ci.index("export PYTEST_ADDOPTS=\"-m 'not oracle'\"")
    assert deselect < readme_tests < ci.index("unset PYTEST_ADDOPTS") < ci.index(ORACLE_TESTS)


def test_ci_runs_the_slow_tests_the_readme_command_leaves_out():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.index(".venv/bin/pytest -m oracle") < ci.index(".venv/bin/pytest -m slow")
    readme = (ROOT / "README.md").read_text()
    assert "`.venv/bin/pytest -m slow`" in readme


def test_pygambit_is_in_the_oracle_extra_only():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extras = project["project"]["optional-dependencies"]
    assert [r for r in extras["oracle"] if r.startswith("pygambit")]
    assert not [r for name, rs in extras.items() if name != "oracle" for r in rs if "pygambit" in r]
    markers = project["tool"]["pytest"]["ini_options"]["markers"]
    assert any(m.startswith("oracle:") for m in markers)
