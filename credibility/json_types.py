"""JSON-like values: the type of what ``to_dict()`` (and ``to_summary()``) return.

The containers are read-only (``Sequence``, ``Mapping``) so that any list of numbers or dict
of str fits; ``json.dumps`` writes them all (the results hold lists and dicts).
"""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ForwardRef, TypeAlias

__all__ = ["JSONObject", "JSONValue"]

if TYPE_CHECKING:
    JSONValue: TypeAlias = (
        bool | int | float | str | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None
    )
else:  # the recursion names this module, so typing.get_type_hints resolves it from anywhere
    _JSON = ForwardRef("JSONValue", module=__name__)
    JSONValue = bool | int | float | str | Sequence[_JSON] | Mapping[str, _JSON] | None

#: A JSON object, as the results' ``to_dict()`` return it.
JSONObject: TypeAlias = dict[str, JSONValue]
