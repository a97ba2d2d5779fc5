"""Checks of a game file's tables, shared by the TOML loaders of every kind.

:mod:`credibility.io.toml_loader` reads a game file and :mod:`credibility.io.toml_normal`
its normal-form part; both refuse unknown keys, missing tables and bad name lists alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import GameFileError
from ..models.common import toml_key as _key

__all__: list[str] = []


def _no_unknown_keys(table: Mapping[str, Any], allowed: set[str], field: str) -> None:
    for key in table:
        if key not in allowed:
            where = f"{field}.{_key(key)}" if field else _key(key)
            expected = ", ".join(sorted(allowed))
            raise GameFileError(f"unknown key (expected one of: {expected})", field=where)


def _table(data: Mapping[str, Any], key: str, parent: str = "") -> dict[str, Any]:
    field = f"{parent}.{key}" if parent else key
    value = data.get(key)
    if not isinstance(value, dict):
        raise GameFileError("missing or not a table", field=field)
    return value


def _labels(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise GameFileError("expected a list of non-empty names", field=field)
    if len(set(value)) != len(value):
        raise GameFileError("expected distinct names", field=field)
    return list(value)
