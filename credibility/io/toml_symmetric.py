"""Read and write ``kind = "symmetric"`` game files: n players, two actions, payoffs by counts.

The format is documented in ``docs/game-format.md`` (section ``kind = "symmetric"``)::

    kind = "symmetric"
    players = "n"                       # an integer parameter (min >= 2), or an integer
    actions = ["Defend", "Abstain"]     # the first is the one counted by k
    answer_at_least = 1                 # optional: members who must choose the first action

    [payoffs.Defend]
    base = "b - c"                      # in the parameters and k (others choosing Defend)

    [payoffs.Abstain]
    base = 0
    steps = [{ at_least = 1, add = "b" }]   # + b when k >= 1

Expressions are parsed by :func:`credibility.expressions.parse_expression` (a whitelist),
never evaluated as Python.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import CredibilityError, GameFileError
from ..expressions import parse_expression
from ..models.common import toml_key as _key
from ..models.symmetric import K_NAME, ActionPayoff, Step, SymmetricGame
from .toml_tables import _labels, _no_unknown_keys, _table

if TYPE_CHECKING:
    import sympy

    from .toml_loader import _Reader

__all__ = ["read_symmetric", "write_symmetric", "write_symmetric_header"]


def read_symmetric(reader: _Reader) -> SymmetricGame:
    """Build the game of a ``kind = "symmetric"`` file from the loader's reader."""
    import sympy  # lazy: start-up time

    data = reader.data
    count = data.get("players")
    if isinstance(count, bool) or not isinstance(count, (int, str)):
        raise GameFileError(
            "expected the number of players: an integer or the name of an integer parameter "
            '(players = "n")',
            field="players",
        )
    actions = _labels(data.get("actions"), "actions")
    if len(actions) != 2:
        raise GameFileError(
            f"expected two actions, the counted one first, got {len(actions)}", field="actions"
        )
    symbols: dict[str, sympy.Symbol] = {p.name: p.symbol for p in reader.parameters}
    k = sympy.Symbol(K_NAME)
    with_k = symbols | {K_NAME: k} if K_NAME not in symbols else symbols

    def expression(value: Any, field: str, k_allowed: bool) -> sympy.Expr:
        if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
            raise GameFileError("expected a number or an expression string", field=field)
        try:
            expr = parse_expression(value, with_k)
        except CredibilityError as error:
            raise error.located(field=field) from None
        if not k_allowed and k in expr.free_symbols:
            raise GameFileError(
                f"'{K_NAME}' (the number of others choosing '{actions[0]}') cannot appear here: "
                "a count must depend on the parameters only",
                field=field,
            )
        return expr

    table = _table(data, "payoffs")
    _no_unknown_keys(table, set(actions), "payoffs")
    payoffs = []
    for action in actions:
        field = f"payoffs.{_key(action)}"
        if action not in table:
            raise GameFileError(f"missing the payoff of the action '{action}'", field="payoffs")
        spec = table[action]
        if not isinstance(spec, dict):
            raise GameFileError("expected a table with 'base' and optional 'steps'", field=field)
        _no_unknown_keys(spec, {"base", "steps"}, field)
        if "base" not in spec:
            raise GameFileError("missing the base payoff (use 0 for none)", field=f"{field}.base")
        base = expression(spec["base"], f"{field}.base", True)
        steps = spec.get("steps", [])
        if not isinstance(steps, list):
            raise GameFileError(
                "expected a list of tables {at_least = ..., add = ...}", field=f"{field}.steps"
            )
        read = []
        for s, step in enumerate(steps):
            where = f"{field}.steps[{s}]"
            if not isinstance(step, dict) or set(step) != {"at_least", "add"}:
                raise GameFileError(
                    "expected a table {at_least = COUNT, add = PAYOFF} (both keys, no other)",
                    field=where,
                )
            read.append(
                Step(
                    expression(step["at_least"], f"{where}.at_least", False),
                    expression(step["add"], f"{where}.add", True),
                )
            )
        payoffs.append(ActionPayoff(base, tuple(read)))
    answer: Any = 1
    if "answer_at_least" in data:
        answer = expression(data["answer_at_least"], "answer_at_least", False)
    game = SymmetricGame(
        count,
        (actions[0], actions[1]),
        (payoffs[0], payoffs[1]),
        reader.parameters,
        reader.info,
        answer,
    )
    binding = game.bind()
    try:
        game.payoff_values(binding)  # the counts are integers at the defaults
        game.answer_count(binding)
    except CredibilityError as error:
        raise error.located(field=error.field or "payoffs") from None
    return game


def write_symmetric(writer: Any, game: SymmetricGame) -> None:
    """Append the payoff tables of a symmetric game to a writer (after the parameters)."""
    for action, payoff in zip(game.actions, game.payoffs):
        field = f"payoffs.{_key(action)}"
        writer.lines += ["", f"[{field}]", f"base = {_text(writer, payoff.base, f'{field}.base')}"]
        if payoff.steps:
            items = [
                f"{{ at_least = {_text(writer, s.at_least, f'{field}.steps[{i}].at_least')}, "
                f"add = {_text(writer, s.add, f'{field}.steps[{i}].add')} }}"
                for i, s in enumerate(payoff.steps)
            ]
            writer.lines += [f"steps = [{', '.join(items)}]"]


def write_symmetric_header(writer: Any, game: SymmetricGame) -> None:
    """The header's ``players = "n"`` (in place of the list of names), actions and answer."""
    from .toml_writer import _array  # lazy: start-up time (sympy)

    count = game.count
    line = f"players = {count}" if isinstance(count, int) else f'players = "{count}"'
    for index in range(len(writer.lines) - 1, -1, -1):  # the generic header wrote the names
        if writer.lines[index].startswith("players = "):
            writer.lines[index] = line
            break
    else:
        writer.lines.append(line)
    writer.lines.append(f"actions = {_array(game.actions)}")
    if game.answer_at_least != 1:
        answer = _text(writer, game.answer_at_least, "answer_at_least")
        writer.lines.append(f"answer_at_least = {answer}")


def _text(writer: Any, value: Any, field: str) -> str:
    """An expression as the file writes it, checked to read back the same (``k`` allowed)."""
    import sympy  # lazy: start-up time

    from .toml_writer import _string, format_expression  # lazy: start-up time (sympy)

    if isinstance(value, int):
        return str(value)
    if value.is_Integer:
        return str(int(value))
    text = format_expression(value)
    symbols = {name: writer.symbols[name] for name in writer.symbols}
    symbols[K_NAME] = sympy.Symbol(K_NAME)
    if parse_expression(text, symbols) != value:
        raise GameFileError(
            f"cannot be written in a game file: '{text}' reads back as another expression",
            field=field,
        )
    return str(_string(text))
