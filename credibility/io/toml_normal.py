"""Read ``kind = "normal"`` game files: strategic form with two or more players.

The format is documented in ``docs/game-format.md`` (section ``kind = "normal"``).
Payoffs come either as one nested array per player under ``[payoffs]`` (``n`` levels
deep, indexed by the players' strategies in the order of ``players``), or as a list of
``[[outcomes]]``, one per strategy profile, each a ``profile`` (one strategy label per
player) and its ``payoffs`` (one per player).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..errors import CredibilityError, GameFileError
from ..expressions import parse_number
from ..models.common import toml_key as _key
from ..models.normal import NormalForm, check_size
from .toml_tables import _labels, _no_unknown_keys, _table

if TYPE_CHECKING:
    from .toml_loader import _Reader

__all__ = ["read_normal"]


def read_normal(reader: _Reader) -> NormalForm:
    """Build the game of a ``kind = "normal"`` file from the loader's reader."""
    data = reader.data
    players = tuple(_labels(data.get("players"), "players"))
    if len(players) < 2:
        raise GameFileError(
            f"expected two or more player names, got {len(players)}", field="players"
        )
    strategies = []
    for labels, field in _per_player(data, "strategies", players, "the strategies"):
        if isinstance(labels, list) and not labels:
            raise GameFileError("a player needs at least one strategy", field=field)
        strategies.append(tuple(_labels(labels, field)))
    shape = tuple(len(s) for s in strategies)
    cells = check_size(shape)
    has = [key for key in ("payoffs", "outcomes") if key in data]
    if len(has) != 1:
        raise GameFileError(
            "expected exactly one of [payoffs] (one nested array per player) or [[outcomes]] "
            "(one entry per strategy profile)",
            field="payoffs",
        )

    def entry(value: Any, field: str) -> Any:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            try:
                return parse_number(value)
            except CredibilityError as error:
                raise error.located(field=field) from None
        expr = reader.expression(value, field)
        if getattr(expr, "is_Rational", False):  # a sympy number
            return Fraction(int(expr.p), int(expr.q))
        return expr

    if has[0] == "payoffs":
        payoffs = [
            tuple(entry(x, f) for x, f in _tensor(array, shape, field))
            for array, field in _per_player(data, "payoffs", players, "the payoff array")
        ]
    else:
        payoffs = _outcomes(data["outcomes"], players, strategies, cells, entry)
    try:
        return NormalForm(
            players, tuple(strategies), tuple(payoffs), reader.parameters, reader.info
        )
    except CredibilityError as error:
        raise error.located(field=error.field or "payoffs") from None


def _per_player(
    data: Mapping[str, Any], key: str, players: tuple[str, ...], what: str
) -> Iterator[tuple[Any, str]]:
    """The value of each player under the table ``[key]``, in the order of ``players``.

    Yields each value with its field (``key.player``). The table must have
    no keys but the players; a missing player is refused (``missing {what}
    of 'player'``) only when its turn comes, after the values before it.
    """
    table = _table(data, key)
    _no_unknown_keys(table, set(players), key)
    for player in players:
        if player not in table:
            raise GameFileError(f"missing {what} of '{player}'", field=key)
        yield table[player], f"{key}.{_key(player)}"


def _tensor(value: Any, shape: tuple[int, ...], field: str) -> list[tuple[Any, str]]:
    """The entries of a nested array of ``shape`` in row-major order, with their fields."""
    out: list[tuple[Any, str]] = []
    stack = [(value, 0, field)]
    while stack:
        item, depth, where = stack.pop()
        if depth == len(shape):
            if isinstance(item, (list, dict)):
                raise GameFileError(
                    f"expected a payoff (number or expression); the array is deeper than "
                    f"{len(shape)} levels (one per player)",
                    field=where,
                )
            out.append((item, where))
            continue
        if not isinstance(item, list) or len(item) != shape[depth]:
            got = f"{len(item)} entries" if isinstance(item, list) else "a single value"
            raise GameFileError(
                f"expected {shape[depth]} entries along level {depth + 1} (shape "
                f"{' x '.join(map(str, shape))}, one level per player), got {got}",
                field=where,
            )
        for k in range(len(item) - 1, -1, -1):
            stack.append((item[k], depth + 1, f"{where}[{k}]"))
    return out


def _outcomes(
    value: Any,
    players: tuple[str, ...],
    strategies: list[tuple[str, ...]],
    cells: int,
    entry: Any,
) -> list[tuple[Any, ...]]:
    """Per player, the payoffs in row-major order, from a list of profile -> payoffs entries."""
    if not isinstance(value, list):
        raise GameFileError("expected an array of tables [[outcomes]]", field="outcomes")
    n = len(players)
    found: list[list[Any] | None] = [None] * cells
    for k, item in enumerate(value):
        field = f"outcomes[{k}]"
        if not isinstance(item, dict):
            raise GameFileError("expected a table with 'profile' and 'payoffs'", field=field)
        _no_unknown_keys(item, {"profile", "payoffs"}, field)
        profile = item.get("profile")
        if not isinstance(profile, list) or len(profile) != n:
            raise GameFileError(
                f"expected a list of {n} strategy labels, one per player in the order of players",
                field=f"{field}.profile",
            )
        position = 0
        for player, labels, chosen in zip(players, strategies, profile):
            if chosen not in labels:
                raise GameFileError(
                    f"expected one of the strategies of '{player}' {list(labels)}, got {chosen!r}",
                    field=f"{field}.profile",
                )
            position = position * len(labels) + labels.index(chosen)
        if found[position] is not None:
            raise GameFileError(f"the profile {profile} is given twice", field=f"{field}.profile")
        payoffs = item.get("payoffs")
        if not isinstance(payoffs, list) or len(payoffs) != n:
            raise GameFileError(
                f"expected a list of {n} payoffs, one per player", field=f"{field}.payoffs"
            )
        found[position] = [entry(x, f"{field}.payoffs[{i}]") for i, x in enumerate(payoffs)]
    for position, got in enumerate(found):
        if got is None:
            profile = []
            rest = position
            for labels in reversed(strategies):
                rest, k = divmod(rest, len(labels))
                profile.append(labels[k])
            raise GameFileError(
                f"missing the profile {list(reversed(profile))}: [[outcomes]] must list every "
                f"strategy profile once ({cells} of them)",
                field="outcomes",
            )
    return [tuple(row[i] for row in found) for i in range(n)]  # type: ignore[index]


def write_normal(writer: Any, game: NormalForm) -> None:
    """Append the strategies and the ``[[outcomes]]`` of a normal-form game to a writer.

    ``writer`` is :mod:`credibility.io.toml_writer`'s, after the header and parameters;
    every expression is checked to read back the same.
    """
    from .toml_writer import _array, _number  # lazy: start-up time (sympy)

    writer.lines += ["", "[strategies]"]
    writer.lines += [f"{_key(p)} = {_array(s)}" for p, s in zip(game.players, game.strategies)]
    for position, profile in enumerate(itertools.product(*game.strategies)):
        texts = []
        for i, values in enumerate(game.payoffs):
            x = values[position]
            field = f"outcomes[{position}].payoffs[{i}]"
            texts.append(
                _number(Fraction(x))
                if isinstance(x, (int, Fraction))
                else writer.expression(x, field)
            )
        writer.lines += [
            "",
            "[[outcomes]]",
            f"profile = {_array(profile)}",
            f"payoffs = [{', '.join(texts)}]",
        ]
