"""Random damage to game files ends in a result or one clear line, never an internal error.

Catalog files are mutated at random (bytes deleted, duplicated or replaced by TOML's special
characters, lines dropped or swapped) and Gambit headers are drawn at random; each is solved
through the command line, in this process and, for a sample, in a child process with a memory
ceiling and a time limit.
"""

import random
import resource
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import cli

ROOT = Path(__file__).resolve().parent.parent
CATALOG = sorted((ROOT / "games").glob("*.toml"))
SPECIAL = [*'[]{}="\\\n.,#-+*/()0123456789eE', "\x00", "\u00e9", "\x1b"]


def mutate(text: str, rng: random.Random) -> str:
    """Up to five random edits: delete, duplicate or replace a span, or drop or swap lines."""
    for _ in range(rng.randint(1, 5)):
        if not text:
            break
        kind = rng.randrange(5)
        i = rng.randrange(len(text))
        j = min(len(text), i + rng.randint(1, 20))
        if kind == 0:
            text = text[:i] + text[j:]
        elif kind == 1:
            text = text[:j] + text[i:j] + text[j:]
        elif kind == 2:
            text = text[:i] + rng.choice(SPECIAL) + text[i + 1 :]
        else:
            lines = text.splitlines()
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            if kind == 3:
                del lines[a]
            else:
                lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
    return text


def check_clean(result) -> None:
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.output, result.output
    if result.exit_code != 0:
        lines = result.output.strip().splitlines()
        assert result.exit_code in (1, 2), result.output
        assert lines and lines[-1].startswith("Error: "), result.output
        if result.exit_code == 1:
            assert len(lines) == 1, result.output


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(CATALOG), st.randoms(use_true_random=False))
def test_mutated_catalog_files_solve_or_fail_in_one_line(tmp_path, source, rng):
    path = tmp_path / "mutated.toml"
    path.write_bytes(mutate(source.read_text(), rng).encode("utf-8", "surrogatepass"))
    check_clean(CliRunner().invoke(cli, ["solve", str(path), "--pure-only"]))


header = st.tuples(
    st.sampled_from(["NFG 1 R", "NFG 1 D", "NFG 2 R", "EFG 2 R", "NFG"]),
    st.text(alphabet='ab "\\', max_size=6),
    st.lists(st.text(alphabet='ab "', max_size=4), max_size=3),
    st.lists(st.integers(-3, 10**12), max_size=4),
    st.lists(st.integers(-(10**6), 10**6), max_size=12),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(header)
def test_random_gambit_headers_solve_or_fail_in_one_line(tmp_path, parts):
    kind, title, players, sizes, payoffs = parts
    names = " ".join(f'"{p}"' for p in players)
    body = " ".join(map(str, payoffs))
    path = tmp_path / "random.nfg"
    path.write_text(f'{kind} "{title}" {{ {names} }} {{ {" ".join(map(str, sizes))} }}\n{body}\n')
    check_clean(CliRunner().invoke(cli, ["solve", str(path)]))


def _limited() -> None:  # in the child: 1 GiB of memory, 60 s of CPU
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


def test_a_sample_runs_within_memory_and_time_limits(tmp_path):
    rng = random.Random(20261201)
    files = []
    for index, source in enumerate(CATALOG[:6]):
        path = tmp_path / f"m{index}.toml"
        path.write_text(mutate(source.read_text(), rng))
        files.append(path)
    huge = tmp_path / "huge.nfg"
    huge.write_text('NFG 1 R "" { "1" "2" } { 1000000000 2 }\n')
    files.append(huge)
    for path in files:
        done = subprocess.run(
            [sys.executable, "-m", "credibility", "solve", str(path), "--pure-only"],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_limited,
        )
        assert done.returncode in (0, 1, 2), done.stderr
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
        if done.returncode:
            assert len(done.stderr.strip().splitlines()) == 1, done.stderr
