"""Golden outputs: what the CLI prints for every catalog model and a few random games.

They guard restructuring (issue 14): a change that is meant to keep behaviour must leave every
file in ``tests/golden/out/`` byte for byte as it was. A golden file changes only in a commit of
its own that says why.

Cases, for each catalog model and each game in ``tests/golden/games/``:

- ``solve`` in text (with ``--explain``) and JSON;
- ``threshold --for P --defaults`` for every parameter P, in text and JSON;
- a small ``sweep`` (a 5 x 4 grid over the first two parameters) to CSV.

Each case's file holds the exit status, then standard output, then the written file if any.

Regenerate after a deliberate change (then read the diff)::

    .venv/bin/python tests/golden.py            # every case
    .venv/bin/python tests/golden.py chicken    # the cases whose name starts with "chicken"

The random games are written once by ``tests/golden.py --make-games`` (seeded) and kept as they
are, so the cases do not depend on a random generator's version.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).parent / "golden"
GAMES = HERE / "games"
OUT = HERE / "out"


@dataclass(frozen=True)
class Case:
    """One CLI run: its name (the golden file's stem) and its arguments."""

    name: str
    args: tuple[str, ...]
    sweep: bool = False


def _games() -> list[tuple[str, str]]:
    """(label, GAME argument) for every catalog model and every random game."""
    from credibility.catalog import catalog_names

    games = [(name, name) for name in catalog_names()]
    games += [
        (path.stem, str(path.relative_to(HERE.parent.parent)))
        for path in sorted(GAMES.glob("*.toml"))
    ]
    return games


def _parameters(game: str) -> list[str]:
    import credibility as cr

    return [parameter.name for parameter in cr.load(game).parameters]


def _bounded(game: str) -> list[str]:
    """``NAME=START:STOP`` for the first two parameters, inside their bounds (a count follows)."""
    import credibility as cr

    ranges = []
    for parameter in cr.load(game).parameters[:2]:
        low, high = parameter.minimum, parameter.maximum
        if low is None and high is None:
            low, high = -2, 2
        elif high is None:
            high = low + 3
        elif low is None:
            low = high - 3
        ranges.append(f"{parameter.name}={low}:{min(high, low + 3)}:")
    return ranges


def cases() -> list[Case]:
    """Every golden case, in a fixed order."""
    found: list[Case] = []
    for label, game in _games():
        found.append(Case(f"{label}.solve.txt", ("solve", game, "--explain")))
        found.append(Case(f"{label}.solve.json", ("solve", game, "--format", "json")))
        names = _parameters(game)
        for name in names:
            common = ("threshold", game, "--for", name, "--defaults", "--budget", "inf")
            found.append(Case(f"{label}.threshold-{name}.txt", (*common, "--explain")))
            found.append(Case(f"{label}.threshold-{name}.json", (*common, "--format", "json")))
        if names:
            args = ["sweep", game, "--quiet", "--out", "OUT"]
            for parameter, count in zip(_bounded(game), (5, 4)):
                args += ["--grid", f"{parameter}{count}"]
            found.append(Case(f"{label}.sweep.csv", tuple(args), sweep=True))
    return found


def run(case: Case) -> str:
    """The text a case's golden file holds: exit status, standard output, the written file."""
    from click.testing import CliRunner

    from credibility.__main__ import front_end

    main = front_end().cli
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "sweep.csv"
        args = [str(out) if arg == "OUT" else arg for arg in case.args]
        result = CliRunner().invoke(main, args, env={"COLUMNS": "80"})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        output = result.output.replace(str(out), "OUT")
        output = re.sub(r" in [0-9.]+ (m?s)\b", r" in TIME \1", output)
        text = f"exit {result.exit_code}\n{output}"
        if case.sweep and out.exists():
            text += "--- file ---\n" + out.read_text(encoding="utf-8")
    return text


def _write_games() -> None:
    """Seeded random games of each kind, one parameter in each so that thresholds have work."""
    rng = random.Random(20261202)
    GAMES.mkdir(parents=True, exist_ok=True)

    def number() -> str:
        value = Fraction(rng.randint(-9, 9), rng.choice([1, 1, 2, 3]))
        return f'"{value}"' if value.denominator != 1 else str(value.numerator)

    def with_x(entry: str) -> str:
        value = entry.strip('"')
        return f'"x - {value[1:]}"' if value.startswith("-") else f'"x + {value}"'

    for index, (rows, columns) in enumerate([(2, 2), (2, 3), (2, 4)]):
        row = [[number() for _ in range(columns)] for _ in range(rows)]
        column = [[number() for _ in range(columns)] for _ in range(rows)]
        row[0][0] = with_x(row[0][0])
        column[rows - 1][0] = with_x(column[rows - 1][0])
        column[0][columns - 1] = f'"y * ({column[0][columns - 1].strip(chr(34))})"'
        lines = [
            'kind = "bimatrix"',
            f'title = "Random bimatrix game {index + 1}"',
            'players = ["Row", "Column"]',
            "",
            "[parameters.x]",
            "default = 1",
            "",
            "[parameters.y]",
            "default = 2",
            "min = 0",
            "",
            "[strategies]",
            "Row = [" + ", ".join(f'"R{i + 1}"' for i in range(rows)) + "]",
            "Column = [" + ", ".join(f'"C{j + 1}"' for j in range(columns)) + "]",
            "",
            "[payoffs]",
            "Row = [" + ", ".join("[" + ", ".join(r) + "]" for r in row) + "]",
            "Column = [" + ", ".join("[" + ", ".join(r) + "]" for r in column) + "]",
        ]
        (GAMES / f"random_bimatrix_{index + 1}.toml").write_text("\n".join(lines) + "\n")

    def tree_node(path: str, depth: int, players: list[str], lines: list[str]) -> None:
        if depth == 0:
            payoffs = [number() for _ in players]
            if rng.random() < 0.5:
                payoffs[0] = with_x(payoffs[0])
            lines += [f"[{path}]", "payoffs = [" + ", ".join(payoffs) + "]", ""]
            return
        if depth == 1 and rng.random() < 0.3:
            lines += [f"[{path}]", "chance = true", ""]
            for move, probability in (("Up", '"p"'), ("Down", '"1 - p"')):
                lines += [f"[{path}.moves.{move}]", f"probability = {probability}"]
                payoffs = [number() for _ in players]
                lines += ["payoffs = [" + ", ".join(payoffs) + "]", ""]
            return
        player = players[depth % len(players)]
        lines += [f"[{path}]", f'player = "{player}"', ""]
        for move in ("A", "B") if depth > 1 else ("L", "M", "R")[: rng.randint(2, 3)]:
            tree_node(f"{path}.moves.{move}{depth}", depth - 1, players, lines)

    for index in range(2):
        players = ["First", "Second"]
        lines = [
            'kind = "tree"',
            f'title = "Random game tree {index + 1}"',
            'players = ["First", "Second"]',
            "",
            "[parameters.x]",
            "default = 1",
            "",
            "[parameters.p]",
            'default = "1/2"',
            "min = 0",
            "max = 1",
            "",
        ]
        tree_node("root", 3, players, lines)
        (GAMES / f"random_tree_{index + 1}.toml").write_text("\n".join(lines))

    for index in range(2):
        messages = ["Signal", "Quiet"]
        responses = ["Press", "Yield"]
        lines = [
            'kind = "signalling"',
            f'title = "Random signalling game {index + 1}"',
            'players = ["Sender", "Receiver"]',
            'messages = ["Signal", "Quiet"]',
            'responses = ["Press", "Yield"]',
            "",
            "[parameters.q]",
            'default = "1/3"',
            "min = 0",
            "max = 1",
            "",
            "[parameters.k]",
            "default = 1",
            "min = 0",
            "",
        ]
        for label, prior in (("Strong", '"q"'), ("Weak", '"1 - q"')):
            lines += [f"[types.{label}]", f"prior = {prior}", f"[types.{label}.payoffs]"]
            for message in messages:
                cells = []
                for response in responses:
                    sender = number()
                    if message == "Signal" and label == "Weak":
                        sender = f'"{sender.strip(chr(34))} - k"'
                    cells.append(f"{response} = [{sender}, {number()}]")
                lines.append(f"{message} = {{ " + ", ".join(cells) + " }")
            lines.append("")
        (GAMES / f"random_signalling_{index + 1}.toml").write_text("\n".join(lines))

    players = ["P1", "P2", "P3"]
    lines = [
        'kind = "normal"',
        'title = "Random three-player game"',
        'players = ["P1", "P2", "P3"]',
        "",
        "[parameters.x]",
        "default = 1",
        "",
        "[strategies]",
        'P1 = ["a", "b"]',
        'P2 = ["c", "d"]',
        'P3 = ["e", "f"]',
        "",
    ]
    for first in ("a", "b"):
        for second in ("c", "d"):
            for third in ("e", "f"):
                payoffs = [number() for _ in players]
                if first == "a":
                    payoffs[2] = with_x(payoffs[2])
                lines += [
                    "[[outcomes]]",
                    f'profile = ["{first}", "{second}", "{third}"]',
                    "payoffs = [" + ", ".join(payoffs) + "]",
                    "",
                ]
    (GAMES / "random_normal_1.toml").write_text("\n".join(lines))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--make-games"]:
        _write_games()
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for case in cases():
        if argv and not any(case.name.startswith(prefix) for prefix in argv):
            continue
        start = time.perf_counter()
        (OUT / case.name).write_text(run(case), encoding="utf-8")
        print(f"{time.perf_counter() - start:7.2f} s  {case.name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    raise SystemExit(main(sys.argv[1:]))
