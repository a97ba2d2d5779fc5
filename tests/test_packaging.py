"""An installed wheel adds only ``credibility`` to site-packages, and works beside a user's own
``games/`` and ``cli.py``; ``python -m credibility`` runs the command line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(args, cwd, env=None):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from this checkout, installed (without dependencies) into a folder."""
    build = tmp_path_factory.mktemp("wheel")
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", build, ROOT], ROOT)
    assert built.returncode == 0, built.stderr
    (wheel,) = build.glob("credibility-*.whl")
    target = tmp_path_factory.mktemp("site")
    done = run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "-t", target, wheel], ROOT
    )
    assert done.returncode == 0, done.stderr
    return target


@pytest.fixture
def shadowing(tmp_path):
    """A working directory with a ``games`` package and a ``cli.py`` of its own."""
    (tmp_path / "games").mkdir()
    (tmp_path / "games" / "__init__.py").write_text('raise SystemExit("the user\'s games")\n')
    (tmp_path / "cli.py").write_text('raise SystemExit("the user\'s cli")\n')
    return tmp_path


@pytest.mark.slow  # building the wheel takes about ten seconds
def test_the_wheel_adds_only_the_package(installed):
    top = sorted(p.name for p in installed.iterdir() if p.name != "bin")
    assert top == ["credibility", next(n for n in top if n.endswith(".dist-info"))]
    assert (installed / "credibility" / "games" / "chicken.toml").is_file()
    assert (installed / "credibility" / "cli.py").is_file()


@pytest.mark.slow
def test_the_installed_wheel_ignores_the_users_games_and_cli(installed, shadowing):
    env = os.environ | {"PYTHONPATH": str(installed)}
    code = "import credibility as cr; print(cr.__file__); print(cr.load('chicken').info.title)"
    loaded = run([sys.executable, "-c", code], shadowing, env)
    assert loaded.returncode == 0, loaded.stderr
    where, title = loaded.stdout.splitlines()
    assert Path(where).is_relative_to(installed) and title == "Chicken (brinkmanship)"
    solved = run([sys.executable, "-m", "credibility", "solve", "chicken"], shadowing, env)
    assert solved.returncode == 0, solved.stderr
    assert solved.stdout.startswith("Chicken (brinkmanship): 3 Nash equilibria")
    script = run([installed / "bin" / "credibility", "models"], shadowing, env)
    assert script.returncode == 0, script.stderr
    assert "chicken" in script.stdout


def test_python_m_credibility_in_the_checkout(shadowing):
    solved = run([sys.executable, "-m", "credibility", "solve", "chicken"], shadowing)
    assert solved.returncode == 0, solved.stderr
    assert solved.stdout.startswith("Chicken (brinkmanship): 3 Nash equilibria")
