"""Describe a game for ``credibility show``: players, parameters and payoffs."""

from __future__ import annotations

from typing import Any

import sympy

from ..expressions import format_number
from ..models import Bimatrix, GameTree, Node, SignallingGame
from ..parameters import Parameter
from .table import table

__all__ = ["describe", "describe_dict"]

Game = Bimatrix | GameTree | SignallingGame


def _expr(expr: sympy.Expr) -> str:
    return str(expr)


def _bound(value: Any) -> str:
    return "" if value is None else format_number(value)


def _parameter_rows(parameters: tuple[Parameter, ...], values: dict[str, Any]) -> list[list[str]]:
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


def describe(game: Game, values: dict[str, Any] | None = None) -> str:
    """A readable description of a game, its parameters and its payoffs.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    values : dict, optional
        Bound parameter values to show instead of the defaults.

    Examples
    --------
    >>> from credibility import Bimatrix
    >>> print(describe(Bimatrix.from_arrays([[1, 0]], [[2, 3]], title="Tiny")))
    Tiny (bimatrix game)
    Players: Row, Column
    <BLANKLINE>
    Payoffs (Row, Column):
      Row  C1    C2
      ---  ----  ----
      R1   1, 2  0, 3
    """
    values = values or {}
    info = game.info
    lines = [f"{info.label} ({game.kind} game)"]
    if info.description:
        lines.append(info.description)
    if info.source:
        lines.append(f"Source: {info.source}")
    lines.append(f"Players: {', '.join(game.players)}")
    if game.parameters:
        lines += ["", "Parameters:"]
        lines.append(
            table(
                ["name", "value", "min", "max", "description"],
                _parameter_rows(game.parameters, values),
            )
        )
    lines.append("")
    if isinstance(game, Bimatrix):
        lines += _bimatrix(game)
    elif isinstance(game, GameTree):
        lines += ["Game tree (payoffs: " + ", ".join(game.players) + "):"]
        lines += _tree(game.root, 1)
    else:
        lines += _signalling(game)
    return "\n".join(lines)


def _bimatrix(game: Bimatrix) -> list[str]:
    header = [game.players[0], *game.column_strategies]
    rows = [
        [label] + [f"{_expr(a)}, {_expr(b)}" for a, b in zip(row_a, row_b)]
        for label, row_a, row_b in zip(game.row_strategies, game.A, game.B)
    ]
    return [f"Payoffs ({', '.join(game.players)}):", table(header, rows)]


def _tree(node: Node, depth: int) -> list[str]:
    pad = "  " * depth
    lines = []
    for move in node.moves:
        child = move.node
        label = move.name
        if move.probability is not None:
            label += f" [probability {_expr(move.probability)}]"
        if child.kind == "terminal":
            assert child.payoffs is not None
            lines.append(f"{pad}{label} -> ({_expr(child.payoffs[0])}, {_expr(child.payoffs[1])})")
        else:
            mover = "chance" if child.kind == "chance" else child.player
            lines.append(f"{pad}{label} -> {mover} moves:")
            lines += _tree(child, depth + 1)
    if depth == 1:
        mover = "chance" if node.kind == "chance" else node.player
        lines.insert(0, f"  root: {mover} moves:")
        lines = [lines[0]] + ["  " + line for line in lines[1:]]
    return lines


def _signalling(game: SignallingGame) -> list[str]:
    lines = [
        f"Sender {game.sender} sends one of: {', '.join(game.messages)}",
        f"Receiver {game.receiver} responds with one of: {', '.join(game.responses)}",
    ]
    for sender_type in game.types:
        lines += [
            "",
            f"Type {sender_type.name} (prior {_expr(sender_type.prior)}), "
            f"payoffs ({game.sender}, {game.receiver}):",
        ]
        rows = [
            [message] + [f"{_expr(s)}, {_expr(r)}" for s, r in pairs]
            for message, pairs in zip(game.messages, sender_type.payoffs)
        ]
        lines.append(table(["message", *game.responses], rows))
    return lines


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
    if isinstance(game, Bimatrix):
        data["strategies"] = {
            game.players[0]: list(game.row_strategies),
            game.players[1]: list(game.column_strategies),
        }
        data["payoffs"] = {
            game.players[0]: [[_expr(x) for x in row] for row in game.A],
            game.players[1]: [[_expr(x) for x in row] for row in game.B],
        }
    elif isinstance(game, GameTree):
        data["nodes"] = [
            {
                "path": node.path,
                "kind": node.kind,
                "player": node.player,
                "moves": [m.name for m in node.moves],
                "payoffs": None if node.payoffs is None else [_expr(x) for x in node.payoffs],
            }
            for node in game.nodes()
        ]
    else:
        data["messages"] = list(game.messages)
        data["responses"] = list(game.responses)
        data["types"] = {
            t.name: {
                "prior": _expr(t.prior),
                "payoffs": {
                    message: {
                        response: [_expr(s), _expr(r)]
                        for response, (s, r) in zip(game.responses, pairs)
                    }
                    for message, pairs in zip(game.messages, t.payoffs)
                },
            }
            for t in game.types
        }
    return data
