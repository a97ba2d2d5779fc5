"""The ``credibility`` command: a thin click front end over the library.

Each command parses its arguments, calls one library function and renders the
result. Data goes to standard output; diagnostics to standard error. Exit
status: 0 success, 1 a problem with a game, parameter or file (one line on
stderr), 2 a usage error. Never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import click

import credibility as cr
from credibility.errors import CredibilityError
from credibility.expressions import parse_number
from credibility.parameters import parse_assignment
from credibility.render.show import describe, describe_dict
from credibility.render.terminal import encodable, printable, printable_json, style_for

FORMATS = click.Choice(["text", "json", "latex"])


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for text in values:
        try:
            name, value = parse_assignment(text)
        except CredibilityError as error:
            raise click.BadParameter(error.message, param_hint="--param") from None
        params[name] = value
    return params


def _complete_game(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Catalog names, and .toml, .nfg and .efg files (and folders) beginning with ``incomplete``."""
    from click.shell_completion import CompletionItem

    items = [CompletionItem(name) for name in cr.catalog_names() if name.startswith(incomplete)]
    folder, _, stem = incomplete.rpartition("/")
    try:
        entries = sorted(Path(folder or ".").iterdir())
    except OSError:
        return items
    for entry in entries:
        shown = f"{folder}/{entry.name}" if folder else entry.name
        if not entry.name.startswith(stem) or entry.name.startswith("."):
            continue
        if entry.is_dir():
            items.append(CompletionItem(shown + "/", type="plain"))
        elif entry.suffix in (".toml", ".nfg", ".efg"):
            items.append(CompletionItem(shown))
    return items


def _game_on_line(ctx: click.Context) -> str | None:
    """The GAME argument already typed, while the shell asks for completions.

    click leaves it unparsed when the word before the cursor is an option awaiting its value
    (``--for``), so the words the shell passes (``COMP_WORDS``: bash, zsh and fish alike) are
    read too: the first one after the command that is neither an option nor an option's value.
    """
    if ctx.params.get("game"):
        return str(ctx.params["game"])
    words = os.environ.get("COMP_WORDS", "").split()
    name = ctx.command.name
    if name not in words:
        return None
    valued = {
        opt
        for p in ctx.command.params
        if isinstance(p, click.Option) and not p.is_flag
        for opt in p.opts
    }
    skip = False
    for word in words[words.index(name) + 1 :]:
        if skip or word.startswith("-"):
            skip = word in valued
            continue
        return word
    return None


def _parameter_names(ctx: click.Context) -> list[str]:
    """The parameters of the game already on the command line (none if it does not load)."""
    game = _game_on_line(ctx)
    if not game:
        return []
    try:
        return [p.name for p in cr.load(game).parameters]
    except (CredibilityError, OSError):
        return []


def _complete_assignment(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [
        CompletionItem(f"{name}=", type="plain")
        for name in _parameter_names(ctx)
        if f"{name}=".startswith(incomplete)
    ]


def _complete_name(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(n) for n in _parameter_names(ctx) if n.startswith(incomplete)]


param_option = click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter to a number or exact fraction (repeatable).",
    shell_complete=_complete_assignment,
)


#: ``--format text|json``, for the commands with no LaTeX form.
text_or_json = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)

progress_option = click.option(
    "--progress/--no-progress",
    default=None,
    help="Show progress on standard error (default: when it is a terminal, once the work "
    "has run for a second).",
)


def _progress(flag: bool | None, **options: Any) -> Any:
    """The progress display on standard error, or None if it is off.

    On with --progress (from the start), off with --no-progress, otherwise on when standard
    error is a terminal, drawn once the work has run for a second (quick commands show none).
    """
    if flag is False or (flag is None and not sys.stderr.isatty()):
        return None
    from credibility.sweeps.progress import Progress

    return Progress(None, enabled=True, delay=0.0 if flag else 1.0, **options)


plot_option = click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also draw the game tree to FILE: .png, .svg or .pdf (needs matplotlib).",
)


def _plot_path(plot: Path | None) -> None:
    """Refuse a --plot file whose suffix names no picture format, before any work."""
    if plot is not None and plot.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise click.BadParameter(
            f"cannot tell the picture format from '{plot.suffix}': use .png, .svg or .pdf",
            param_hint="--plot",
        )


def _game(name: str) -> Any:
    return cr.load(name)


def _matrix(text: str, option: str) -> list[list[Any]]:
    rows = [row.replace(",", " ").split() for row in text.split(";")]
    if not rows or any(not row for row in rows):
        raise click.BadParameter("expected rows of numbers separated by ';'", param_hint=option)
    if any(len(row) != len(rows[0]) for row in rows):
        raise click.BadParameter(
            f"every row needs {len(rows[0])} entries like the first (ragged matrix)",
            param_hint=option,
        )
    try:
        return [[parse_number(x) for x in row] for row in rows]
    except CredibilityError as error:
        raise click.BadParameter(error.message, param_hint=option) from None


def _echo(text: str, fmt: str = "text") -> None:
    """Print text safe for a terminal: control characters from game files never reach it.

    Characters standard output's encoding lacks are spelled without them (JSON: as
    ``\\u`` escapes), so ``PYTHONIOENCODING=ascii`` prints rather than fails.
    """
    encoding = getattr(sys.stdout, "encoding", None)
    if fmt == "json":
        click.echo(encodable(printable_json(text), encoding, json=True))
    else:
        click.echo(encodable(printable(text), encoding))


def _echo_json(data: Any) -> None:
    _echo(json.dumps(data, indent=2, ensure_ascii=False), "json")


def _param_options(match: re.Match[str]) -> str:
    """``params={'a': 1, 'b': '1/2', ...}`` as the options to type: ``--param a=1 ...``."""
    pairs = re.findall(r"'([^']*)': '?([^',]*)'?", match[1])
    options = [f"--param {name}={value}" for name, value in pairs]
    return " ".join(options + (["..."] if match[1].endswith("...") else []))


#: The library's words for its arguments in errors, and the command line's options for them
#: (in order; a compiled pattern is replaced with ``re.sub``, anything else as it is).
_OPTIONS: tuple[tuple[str | re.Pattern[str], Any], ...] = (
    ("the method= argument", "--method"),
    ("the limit= argument", "--limit"),
    ("(limit=K, or --limit K on the command line)", "(--limit K)"),
    ("the mixed= argument", "--pure-only"),
    ("give method='logit' or mixed=, not both", "give --method logit or --mixed, not both"),
    ("mixed=True solves polynomial systems", "--mixed solves polynomial systems"),
    ("arithmetic; method='logit' finds", "arithmetic (not --float); --method logit finds"),
    ("(method='enumeration')", "(--method enumeration)"),
    ("use exact=False, method='lemke-howson'", "use --float --method lemke-howson"),
    ("the params= argument", "--param"),
    (re.compile(r"params=\{([^{}]*)\}"), _param_options),
    (re.compile(r"(every parameter but \S+) at its default"), r"\1 with --defaults"),
    (
        "use solve() with params= at chosen values",
        "use `credibility solve --param ...` at chosen values",
    ),
    ("give overwrite=True", "add --overwrite"),
    ("(between=)", "(--between LOW HIGH)"),
    ("give resume=True", "add --resume"),
    ("the sweep again with resume=True", "the command again with --resume"),
    ("the same sweep with resume=True", "the same command with --resume"),
    ("give yes=True to run it", "give yes=True (--yes) to run it"),
    ("the scheduler= argument", "--scheduler"),
    ("the plot= argument", "--plot"),
    ("solve it without drawing it", "solve it without --plot"),
    ("pick one with the equilibrium= argument", "pick one with --equilibrium N"),
    (
        "only game trees and signalling games are drawn;",
        "only game trees and signalling games are drawn (--plot, --format tikz);",
    ),
)


def _in_options(message: str) -> str:
    """An error of the library as the command line says it: options for arguments."""
    for argument, option in _OPTIONS:
        if isinstance(argument, re.Pattern):
            message = argument.sub(option, message)
        else:
            message = message.replace(argument, option)
    return message


class _Group(click.Group):
    """A group that reports library errors as one line and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # Ctrl-C: at once, exit status 130 as shells expect
            click.echo("\ninterrupted", err=True)
            raise click.exceptions.Exit(130) from None
        except CredibilityError as error:
            raise click.ClickException(printable(_in_options(str(error)))) from None
        except ValueError as error:
            if "integer string conversion" not in str(error):
                raise
            # A computed number too long for Python to print (inputs are limited).
            raise click.ClickException(
                "a number in the result has more than 4,300 digits, too many to print exactly; "
                "use smaller payoffs or --float"
            ) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(cr.__version__, prog_name="credibility")
def cli() -> None:
    """Is this threat credible, and when does deterrence hold?

    GAME is a catalog name (see `credibility models`) or a path to a .toml game
    file or a Gambit .nfg or .efg file.
    """


@cli.command()
@text_or_json
@click.option("--long", "long_", is_flag=True, help="Text: each model's story and source too.")
def models(fmt: str, long_: bool) -> None:
    """List the catalog: name, kind and title (--long: story and source too)."""
    from credibility.catalog import catalog_entries
    from credibility.render.show import catalog

    games = catalog_entries()
    if fmt == "json":
        entries = [
            {"name": g.info.name, "kind": g.kind, "title": g.info.title, "source": g.info.source}
            for g in games
        ]
        _echo_json({"format": 1, "models": entries})
        return
    _echo(catalog(games, long=long_, style=style_for()))


@cli.command()
@click.argument("game", shell_complete=_complete_game)
@param_option
@text_or_json
@plot_option
def show(game: str, params: tuple[str, ...], fmt: str, plot: Path | None) -> None:
    """Describe GAME: players, parameters (default, bounds, description), payoffs.

    With --param, the payoffs are printed with those values put in. --plot draws a tree with
    its subgame-perfect moves and its threats that are not credible, a signalling game's tree.
    """
    _plot_path(plot)
    model = _game(game)
    binding = model.bind(_params(params))
    values = binding.values
    if plot is not None:
        from credibility.kinds import adapter_for
        from credibility.render import tree_plot

        tree_plot.require_matplotlib()
        pictures = adapter_for(model).game_layouts(model, _params(params))
        tree_plot.draw(pictures, plot)
    if fmt == "json":
        data = describe_dict(model)
        data["bound"] = {k: str(v) for k, v in values.items()}
        _echo_json(data)
    else:
        given = {name: values[name] for name in _params(params)}
        _echo(describe(model, values, substitute=given, style=style_for()))


@cli.command()
@click.argument("game", required=False, shell_complete=_complete_game)
@param_option
@click.option(
    "--row", "row_matrix", metavar="MATRIX", help='Row player\'s payoffs inline, e.g. "0 -1; 1 -5".'
)
@click.option("--column", "column_matrix", metavar="MATRIX", help="Column player's payoffs inline.")
@click.option(
    "--exact/--float",
    default=True,
    show_default=True,
    help="Exact rational arithmetic, or floating point.",
)
@click.option(
    "--method",
    type=click.Choice(["enumeration", "support", "vertex", "lemke-howson", "logit"]),
    help="Bimatrix games: enumeration (ours, exact, all extreme equilibria; default), "
    "or nashpy's support, vertex or lemke-howson (one equilibrium). Normal-form games: "
    "logit (one equilibrium of any size, numerically, with its exact deviation gain).",
)
@click.option(
    "--pure-only",
    is_flag=True,
    help="Signalling and normal-form games: pure equilibria only (fast on large games).",
)
@click.option(
    "--mixed",
    "all_mixed",
    is_flag=True,
    help="Normal-form games: every equilibrium, exactly, also beyond the size enumerated by "
    "default (support enumeration; slow on large games).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    metavar="N",
    help="Bimatrix games: list at most N extreme equilibria, and say how many there are "
    "(a game with more than 100,000 is refused without it).",
)
@click.option("--explain", is_flag=True, help="Show the derivation step by step.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "latex", "tikz"]),
    default="text",
    show_default=True,
    help="tikz: trees and signalling games as a tikzpicture (see docs/latex.md).",
)
@progress_option
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also draw the equilibria on the game tree to FILE: .png, .svg or .pdf (needs "
    "matplotlib). Trees and signalling games; one panel per equilibrium of a signalling game.",
)
@click.option(
    "--equilibrium",
    type=click.IntRange(min=1),
    metavar="N",
    help="--plot and --format tikz: draw equilibrium N only (numbered as listed).",
)
def solve(
    game: str | None,
    params: tuple[str, ...],
    row_matrix: str | None,
    column_matrix: str | None,
    exact: bool,
    method: str | None,
    pure_only: bool,
    all_mixed: bool,
    limit: int | None,
    explain: bool,
    fmt: str,
    progress: bool | None,
    plot: Path | None,
    equilibrium: int | None,
) -> None:
    """All equilibria of GAME (or of a bimatrix typed with --row and --column)."""
    _plot_path(plot)
    if equilibrium is not None and plot is None and fmt != "tikz":
        raise click.UsageError("--equilibrium picks what --plot or --format tikz draws")
    if plot is not None:  # before the work, not after it
        from credibility.render.tree_plot import require_matplotlib

        require_matplotlib()
    inline = row_matrix is not None or column_matrix is not None
    if inline and game:
        raise click.UsageError("give either GAME or --row/--column, not both")
    if inline:
        if row_matrix is None or column_matrix is None:
            raise click.UsageError("--row and --column go together")
        A, B = _matrix(row_matrix, "--row"), _matrix(column_matrix, "--column")
        if (len(A), len(A[0])) != (len(B), len(B[0])):
            raise click.BadParameter(
                f"expected a {len(A)} x {len(A[0])} matrix like --row, got {len(B)} x {len(B[0])}",
                param_hint="--column",
            )
        model: Any = cr.Bimatrix.from_arrays(A, B, title="inline game")
    elif game:
        model = _game(game)
    else:
        raise click.UsageError("missing GAME (or --row and --column)")
    if pure_only and all_mixed:
        raise click.UsageError("give --pure-only or --mixed, not both")
    mixed = False if pure_only else True if all_mixed else None

    def solved() -> Any:
        return cr.solve(
            model, _params(params), exact=exact, method=method, mixed=mixed, limit=limit
        )

    bar = _progress(progress, label="solving")
    if bar is None:
        solution = solved()
    else:  # signalling and large bimatrix games report their enumerations
        from credibility.solvers.reporting import reporting

        try:
            with reporting(lambda done, total, unit: bar.show(done, total, unit=unit)):
                solution = solved()
        finally:
            bar.close()
    if plot is not None or fmt == "tikz":
        _draw_solution(solution, plot, fmt, equilibrium)
        if fmt == "tikz":
            return
    _echo(cr.render(solution, fmt, explain=explain, style=style_for()), fmt)


def _draw_solution(solution: Any, plot: Path | None, fmt: str, equilibrium: int | None) -> None:
    """Draw the solution to the --plot file and print it as TikZ if asked."""
    from credibility.render import tree_plot

    index = None
    if equilibrium is not None:
        count = len(solution.equilibria)
        if equilibrium > count:
            raise click.BadParameter(
                f"there {'is' if count == 1 else 'are'} {count} "
                f"equilibri{'um' if count == 1 else 'a'} to draw, not {equilibrium}",
                param_hint="--equilibrium",
            )
        index = equilibrium - 1
    pictures = tree_plot.layouts(solution, index)
    if plot is not None:
        tree_plot.draw(pictures, plot)
    if fmt == "tikz":
        from credibility.render.tikz import tikz

        _echo(tikz(solution, index))


@cli.command()
@click.argument("game", shell_complete=_complete_game)
@click.option(
    "--for",
    "parameter",
    required=True,
    metavar="NAME",
    help="The parameter whose thresholds to derive.",
    shell_complete=_complete_name,
)
@param_option
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option(
    "--defaults",
    "at_defaults",
    is_flag=True,
    help="Bind every other parameter not given with --param to its default value.",
)
@click.option("--explain", is_flag=True, help="Say what changes at each threshold (text format).")
@click.option(
    "--budget",
    type=click.FloatRange(min=0),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Stop after SECONDS (inf: no limit), print what was derived and the parameters to "
    "bind, and exit with status 3.",
)
@progress_option
def threshold(
    game: str,
    parameter: str,
    params: tuple[str, ...],
    fmt: str,
    at_defaults: bool,
    explain: bool,
    budget: float,
    progress: bool | None,
) -> None:
    """Thresholds of a parameter and the regions between them (unbound ones stay symbolic)."""
    from credibility.symbolic.budget import Budget, Step
    from credibility.symbolic.threshold_result import DerivationStopped

    if budget != budget:  # NaN, which FloatRange lets through
        raise click.BadParameter("expected a number of seconds, not nan", param_hint="--budget")
    loaded = _game(game)
    bound: dict[str, Any] = _params(params)
    if at_defaults:
        defaults = {p.name: p.default for p in loaded.parameters if p.name != parameter}
        bound = defaults | bound
    limit = None if budget == float("inf") else budget
    bar = _progress(progress, limit=limit)

    def report(step: Step) -> None:
        if step.stage != "start":
            bar.show(step.done, step.total, label=step.stage, unit=step.unit, detail=step.detail)

    stopped = False
    try:
        watch = Budget(limit, progress=report if bar is not None else None)
        result = cr.thresholds(loaded, parameter, bound, budget=watch)
    except DerivationStopped as stop:
        if stop.result is None:  # nothing finished to print: the error alone
            raise
        result, stopped = stop.result, True
    finally:
        if bar is not None:
            bar.close()
    _echo(cr.render(result, fmt, explain=explain, style=style_for()), fmt)
    if stopped:  # the partial result is on standard output; why, and what to do, on stderr
        partial = result.partial
        assert partial is not None  # a stopped derivation's result is partial
        click.echo(
            printable(
                f"Stopped: {partial.message} ({partial.elapsed:.1f} s); the result printed is "
                f"partial. To finish, {partial.advice}."
            ),
            err=True,
        )
        raise click.exceptions.Exit(3)


def _sweep_help() -> str:
    try:
        from credibility.sweeps import columns_help
    except ImportError:  # pragma: no cover - the sweep package is part of the project
        return ""
    return columns_help()


@cli.command(epilog=_sweep_help())
@click.argument("game", shell_complete=_complete_game)
@click.option(
    "--grid",
    "grids",
    multiple=True,
    required=True,
    metavar="NAME=START:STOP:COUNT",
    help="COUNT values from START to STOP inclusive, or NAME=V1,V2,... (repeatable; "
    "the first varies slowest).",
    shell_complete=_complete_assignment,
)
@param_option
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file: .csv, .parquet or .jsonl.",
)
@click.option("--resume", is_flag=True, help="Finish an interrupted sweep of the same command.")
@click.option("--overwrite", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--raw-csv",
    is_flag=True,
    help="CSV: write labels as they are (by default a label starting with = + - @ gets a ' "
    "in front, so that spreadsheets do not run it as a formula).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Run in N local worker processes (1: in this process).",
)
@click.option("--scheduler", metavar="ADDRESS", help="Run on an existing Dask cluster.")
@click.option("--chunk-size", type=click.IntRange(min=1), help="Grid points per chunk.")
@click.option(
    "--plot", type=click.Path(dir_okay=False, path_type=Path), help="Draw the outcome map to a PNG."
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--yes", is_flag=True, help="Run a sweep of more than 10^9 points (refused otherwise)."
)
@click.option(
    "--qre",
    is_flag=True,
    help="Map the logit QRE instead: each outcome's probability (P:LABEL columns), at "
    "--lambda or over a grid of lambda (--grid lambda=0:10:101).",
)
@click.option(
    "--lambda",
    "lam",
    type=click.FloatRange(min=0),
    metavar="LAMBDA",
    help="A QRE sweep's fixed precision (>= 0).",
)
@text_or_json
def sweep(
    game: str,
    grids: tuple[str, ...],
    params: tuple[str, ...],
    out: Path,
    resume: bool,
    overwrite: bool,
    raw_csv: bool,
    workers: int | None,
    scheduler: str | None,
    chunk_size: int | None,
    plot: Path | None,
    quiet: bool,
    yes: bool,
    qre: bool,
    lam: float | None,
    fmt: str,
) -> None:
    """Map the equilibrium outcome of GAME over a grid of parameter values.

    With --qre: the logit QRE's outcome probabilities instead (docs/qre.md).
    """
    from credibility.sweeps import parse_grid
    from credibility.sweeps import sweep as run_sweep

    if workers and scheduler:
        raise click.UsageError("give --workers or --scheduler, not both")
    if lam is not None and not qre:
        raise click.UsageError("--lambda is for QRE sweeps: add --qre")
    grid: dict[str, Any] = {}
    for text in grids:
        try:
            name, values = parse_grid(text)
        except CredibilityError as error:
            raise click.BadParameter(error.message, param_hint="--grid") from None
        if name in grid:
            raise click.BadParameter(f"parameter '{name}' is swept twice", param_hint="--grid")
        grid[name] = values
    try:
        result = run_sweep(
            _game(game),
            grid,
            _params(params),
            out=out,
            resume=resume,
            overwrite=overwrite,
            raw_csv=raw_csv,
            workers=workers,
            scheduler=scheduler,
            progress=not quiet and sys.stderr.isatty(),
            chunk_size=chunk_size,
            plot=plot,
            yes=yes,
            qre=qre,
            lam=lam,
        )
    except KeyboardInterrupt:
        click.echo(
            f"\ninterrupted: the completed chunks are kept in {out}.partial; "
            "run the same command with --resume to finish",
            err=True,
        )
        sys.exit(130)
    summary = result.to_summary()
    if fmt == "json":
        _echo_json(summary)
        return
    _echo(
        f"{summary['points']:,} points in {float(summary['seconds']):.2f} s -> {summary['output']}"
    )
    for label, count in summary["outcomes"].items():
        _echo(f"  {count:>12,}  {label}")


@cli.command()
@click.argument("game", shell_complete=_complete_game)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@param_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["nfg", "efg", "toml"]),
    help="The format to write (by default from OUT's suffix: .nfg, .efg or .toml).",
)
@click.option("--overwrite", is_flag=True, help="Replace OUT if it exists.")
def convert(
    game: str, out: Path, params: tuple[str, ...], fmt: str | None, overwrite: bool
) -> None:
    """Write GAME to OUT: a Gambit .nfg or .efg file, or a .toml game file.

    Bimatrix games go to any of the three formats (.efg: the players move at
    once), trees and signalling games to .efg or .toml. Gambit files hold
    numbers, so parameters are bound (--param, else the defaults); a .toml
    file keeps them, with --param values as their new defaults.
    """
    from credibility.io.loader import FORMATS, write_game

    fmt = fmt or FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise click.BadParameter(
            f"cannot tell the format from the suffix '{out.suffix}': use .nfg, .efg or .toml, "
            "or give --format",
            param_hint="OUT",
        )
    write_game(_game(game), out, fmt=fmt, params=_params(params), overwrite=overwrite)


@cli.command()
@click.argument("game", shell_complete=_complete_game)
@click.option(
    "--lambda",
    "lambdas",
    multiple=True,
    type=click.FloatRange(min=0),
    metavar="LAMBDA",
    help="A precision of choice, >= 0 (repeatable; default 0 0.25 0.5 1 2 4 8 16).",
)
@param_option
@text_or_json
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Draw each outcome's probability against lambda to a PNG.",
)
def qre(
    game: str, lambdas: tuple[float, ...], params: tuple[str, ...], fmt: str, plot: Path | None
) -> None:
    """Logit quantal response equilibria of GAME: outcome probabilities as lambda varies.

    Strategic forms (bimatrix and n-player): the principal branch from uniform
    play (lambda = 0) and the Nash equilibrium it selects. Trees: the agent QRE
    (one logit choice per decision node). Signalling games: the agent QRE (one
    logit choice per type and per message, beliefs by Bayes' rule) and the perfect
    Bayesian equilibrium it selects. Symmetric games: the symmetric QRE and the
    symmetric equilibrium it selects.
    """
    from credibility.quantal import DEFAULT_LAMBDAS
    from credibility.quantal.render import plot_qre, qre_text

    model = _game(game)
    bound = _params(params)
    result = cr.qre(model, list(lambdas) or DEFAULT_LAMBDAS, bound)
    if plot is not None:
        top = max(max(p.lam for p in result.points), 1.0)
        fine = [0.0] + [top * 10 ** (k / 40 - 3) for k in range(121)]
        plot_qre(cr.qre(model, fine, bound), plot)
    if fmt == "json":
        _echo_json(result.to_dict())
    else:
        _echo(qre_text(result, style_for()))


def _condition(text: str) -> tuple[list[str], str, float]:
    """``OUTCOME<LEVEL`` or ``OUTCOME>LEVEL`` (outcomes joined by `` + `` are summed): split at
    the last ``<`` or ``>`` (outcome labels may hold ``>``), the number read exactly, no eval."""
    cut = max(text.rfind("<"), text.rfind(">"))
    if cut < 0:
        raise CredibilityError(
            f"--level {text!r}: write OUTCOME<LEVEL or OUTCOME>LEVEL, e.g. 'Status quo>0.9'"
        )
    outcomes = [part.strip() for part in text[:cut].split(" + ")]
    if not all(outcomes):
        raise CredibilityError(f"--level {text!r}: name an outcome before {text[cut]!r}")
    try:
        level = parse_number(text[cut + 1 :].strip())
    except CredibilityError as error:
        raise CredibilityError(f"--level {text!r}: {error.message}") from None
    return outcomes, text[cut], float(level)


@cli.command("qre-threshold")
@click.argument("game", shell_complete=_complete_game)
@click.option(
    "--level",
    "condition",
    required=True,
    metavar="OUTCOME<LEVEL",
    help="The condition, e.g. 'Status quo>0.9'; outcomes joined by ' + ' are summed.",
)
@click.option(
    "--over",
    required=True,
    metavar="NAME",
    shell_complete=_complete_name,
    help="The parameter to vary (at the fixed --lambda), or lambda.",
)
@click.option(
    "--lambda",
    "lam",
    type=click.FloatRange(min=0),
    metavar="LAMBDA",
    help="The fixed precision, >= 0, when --over is a parameter.",
)
@click.option(
    "--between",
    nargs=2,
    type=float,
    metavar="LOW HIGH",
    help="The range searched (default: the parameter's bounds; lambda: 0 100).",
)
@click.option(
    "--points",
    type=click.IntRange(min=2),
    help="Grid points over the range (default 1001 for trees, 101 for bimatrix games).",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0, min_open=True),
    default=1e-9,
    show_default=True,
    help="Largest bracket width of a reported crossing.",
)
@param_option
@text_or_json
def qre_threshold(
    game: str,
    condition: str,
    over: str,
    lam: float | None,
    between: tuple[float, float] | None,
    points: int | None,
    tolerance: float,
    params: tuple[str, ...],
    fmt: str,
) -> None:
    """Where an outcome's logit QRE probability crosses a level as a parameter or lambda varies.

    --level "OUTCOME<LEVEL" names the outcome (as `credibility qre` prints it) and the level,
    e.g. --level "Defy > Brink > Disaster<0.05" --over q --lambda 2. Prints each crossing
    (grid, then bisection) and the intervals where the condition holds.
    """
    from credibility.quantal.crossing import threshold_text

    outcomes, comparison, level = _condition(condition)
    if over == "lambda" and lam is not None:
        raise CredibilityError("--over lambda varies the precision: give no --lambda")
    if over != "lambda" and lam is None:
        raise CredibilityError(f"give the fixed precision --lambda to vary {over!r}")
    result = cr.qre_threshold(
        _game(game),
        outcomes,
        level,
        over,
        lam,
        _params(params),
        between=between or None,
        points=points,
        tolerance=tolerance,
    )
    if fmt == "json":
        data = result.to_dict()
        data["comparison"] = comparison
        data["holds"] = data["below"] if comparison == "<" else data["above"]
        _echo_json(data)
    else:
        _echo(threshold_text(result, comparison))


@cli.command("qre-fit")
@click.argument("game", shell_complete=_complete_game)
@click.argument("counts", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--free",
    multiple=True,
    metavar="NAME",
    shell_complete=_complete_name,
    help="A parameter to estimate with lambda, from its default (repeatable).",
)
@param_option
@text_or_json
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Draw the likelihood profile over lambda to a PNG.",
)
def qre_fit(
    game: str,
    counts: Path,
    free: tuple[str, ...],
    params: tuple[str, ...],
    fmt: str,
    plot: Path | None,
) -> None:
    """Fit the logit QRE's lambda to observed outcome COUNTS (a CSV) by maximum likelihood.

    COUNTS has a header row and columns outcome,count or, for strategic forms,
    player,strategy,count. An outcome is a terminal node's path as `credibility
    qre` prints it, a profile ROW/COLUMN (or A/B/C), a signalling game's
    "type > message > response" or, with the type unobserved, "message >
    response", or a symmetric game's action (one per member's choice). Standard
    errors come from the observed information.
    """
    from credibility.quantal import fit_qre, read_counts
    from credibility.quantal.fit import fit_text, plot_profile

    model = _game(game)
    result = fit_qre(model, read_counts(counts, model), free=free, params=_params(params))
    if plot is not None:
        plot_profile(result, plot)
    if fmt == "json":
        _echo_json(result.to_dict())
    else:
        _echo(fit_text(result, counts.name, style_for()))


def main(argv: list[str] | None = None) -> None:
    """Run the command line; an unexpected failure is one line on stderr, not a traceback."""
    try:
        cli.main(args=argv, prog_name="credibility")
    except Exception as error:  # click exits through SystemExit, which passes
        click.echo(
            printable(
                f"Error: internal error: {type(error).__name__}: {error} (please report this)"
            ),
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
