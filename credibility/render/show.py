"""Describe a game for ``credibility show``: players, parameters and payoffs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from ..deferred import DeferredExpression
from ..expressions import format_number
from ..kinds import PayoffTable, adapter_for
from ..models import Game, GameInfo
from ..parameters import Parameter
from .table import table
from .terminal import Style, wrap

__all__ = ["catalog", "describe", "describe_dict"]


def _shown(game: Game, substitute: Mapping[str, Any], style: Style) -> Callable[[Any], str]:
    """A payoff or probability as text, with the values in ``substitute`` put in.

    A number, ``c`` or ``-c`` read without sympy prints alike in every form, so
    ``show`` of a game made of those does not load sympy (start-up time).
    """
    formatter: Callable[[Any], str] | None = None

    def general() -> Callable[[Any], str]:
        import sympy  # lazy: start-up time

        from .conditions import Known, expression  # lazy: start-up time (imports sympy)

        known = Known.of(game.parameters)
        values = {
            p.symbol: sympy.Rational(substitute[p.name])
            for p in game.parameters
            if p.name in substitute
        }

        def shown(expr: Any) -> str:
            value = sympy.sympify(expr).subs(values) if values else expr
            return expression(value, known, style.notation)

        return shown

    def shown(expr: Any) -> str:
        nonlocal formatter
        if not substitute and isinstance(expr, DeferredExpression) and expr.plain:
            return str(expr)
        if formatter is None:
            formatter = general()
        return formatter(expr)

    return shown


def _bound(value: Any) -> str:
    return "" if value is None else format_number(value)


def _parameter_rows(
    parameters: tuple[Parameter, ...], values: Mapping[str, Any]
) -> list[list[str]]:
    return [
        [
            p.name,
            format_number(values.get(p.name, p.default)),
            _bound(p.minimum),
            _bound(p.maximum),
            p.description,
        ]
        for p in parameters
    ]


def describe(
    game: Game,
    values: Mapping[str, Any] | None = None,
    substitute: Mapping[str, Any] | None = None,
    style: Style | None = None,
) -> str:
    """A readable description of a game, its parameters and its payoffs.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    values : dict, optional
        Bound parameter values to show instead of the defaults.
    substitute : dict, optional
        Parameter values to put into the payoffs (``credibility show --param``);
        the others stay symbols.
    style : Style, optional
        Width and symbols (80 columns, Unicode by default).

    Examples
    --------
    >>> from credibility import Bimatrix
    >>> print(describe(Bimatrix.from_arrays([[1, 0]], [[2, 3]], title="Tiny")))
    Tiny (bimatrix game)
    Players: Row, Column
    <BLANKLINE>
    Payoffs (Row, Column):
      Row \\ Column  C1    C2
      ------------  ----  ----
      R1            1, 2  0, 3
    """
    values = values or {}
    substitute = substitute or {}
    style = style or Style()
    shown = _shown(game, substitute, style)
    info = game.info
    lines = [f"{info.label} ({game.kind} game)"]
    if info.description:
        lines.append(wrap(" ".join(info.description.split()), style.width, "", groups=False))
    if info.source:
        lines.append(wrap(f"Source: {info.source}", style.width, groups=False))
    lines.append(f"Players: {', '.join(game.players)}")
    if game.parameters:
        lines += ["", "Parameters:"]
        lines.append(
            table(
                ["name", "value", "min", "max", "description"],
                _parameter_rows(game.parameters, values),
                width=style.width,
                flexible=4,
            )
        )
    lines.append("")
    if substitute:
        given = ", ".join(f"{k} = {format_number(v)}" for k, v in substitute.items())
        lines += [f"Payoffs with {given} put in:", ""]
    for part in adapter_for(game).payoff_lines(game, shown):
        if isinstance(part, PayoffTable):
            part = table(part.header, part.rows, width=style.width, title=part.title)
        lines.append(part)
    return wrap("\n".join(lines), style.width)


class Described(Protocol):
    """What the catalog listing needs of a game (a game, or a catalog entry)."""

    @property
    def kind(self) -> str: ...

    @property
    def info(self) -> GameInfo: ...


def catalog(games: Sequence[Described], long: bool = False, style: Style | None = None) -> str:
    """The catalog for ``credibility models``: a table of name, kind and title.

    With ``long``, each model's story (its description) and source follow its line.

    Examples
    --------
    >>> from credibility import Bimatrix
    >>> tiny = Bimatrix.from_arrays([[1]], [[2]], title="Tiny")
    >>> print(catalog([tiny]))
      name  kind      title
      ----  --------  -----
      Tiny  bimatrix  Tiny
    """
    style = style or Style()
    rows = [[g.info.name or g.info.label, g.kind, g.info.title] for g in games]
    if not long:
        return table(["name", "kind", "title"], rows, width=style.width, flexible=2)
    blocks = []
    for game, (name, kind, title) in zip(games, rows):
        lines = [f"{name} ({kind}): {title}"]
        if game.info.description:
            lines.append("  " + " ".join(game.info.description.split()))
        if game.info.source:
            lines.append(f"  Source: {game.info.source}")
        blocks.append(wrap("\n".join(lines), style.width, indent="", groups=False))
    return "\n\n".join(blocks)


def describe_dict(game: Game) -> dict[str, Any]:
    """The description as a JSON-ready object (expressions as strings).

    Examples
    --------
    >>> from credibility import Bimatrix
    >>> describe_dict(Bimatrix.from_arrays([[1]], [[2]]))["payoffs"]
    {'Row': [['1']], 'Column': [['2']]}
    """
    data: dict[str, Any] = {
        "format": 1,
        "kind": game.kind,
        "game": game.info.label,
        "title": game.info.title,
        "description": game.info.description,
        "source": game.info.source,
        "players": list(game.players),
        "parameters": {
            p.name: {
                "default": format_number(p.default),
                "min": None if p.minimum is None else format_number(p.minimum),
                "max": None if p.maximum is None else format_number(p.maximum),
                "description": p.description,
            }
            for p in game.parameters
        },
    }
    data.update(adapter_for(game).payoffs_dict(game))
    return data
