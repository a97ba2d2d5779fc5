"""The public API is precisely typed (issue 14): no ``Any`` in a public signature.

Walks ``credibility.__all__``, ``credibility.kinds.__all__``, ``credibility.quantal.__all__``,
``credibility.sweeps.__all__`` and the result classes (solutions, their equilibria, sweep and
QRE results): every public function's and method's hints, and every class's attribute
annotations, resolved with :func:`typing.get_type_hints`, must not mention ``Any`` anywhere
(through unions and generics).
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import functools
import importlib
import inspect
import sys
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

#: The packages whose ``__all__`` is the public surface.
PACKAGES = ("credibility", "credibility.kinds", "credibility.quantal", "credibility.sweeps")

#: The result classes (and their equilibria) whose public methods are the public surface too.
RESULT_MODULES = (
    "credibility.solvers.nash",
    "credibility.solvers.subgame_perfect",
    "credibility.solvers.pbe",
    "credibility.solvers.pure_nash",
    "credibility.solvers.normal_nash",
    "credibility.sweeps.result",
    "credibility.quantal.result",
    "credibility.symbolic.threshold_result",
)

#: Dunder methods that are part of what a user calls (the notebook display hooks too).
PUBLIC_DUNDERS = ("__init__", "__call__", "_repr_html_", "_repr_latex_")

#: ``(qualified name, hint name)`` pairs that may mention ``Any``, each with its reason.
#: Empty: add one only when no precise type can be written.
ALLOWED: dict[tuple[str, str], str] = {}


@functools.cache
def _type_checking_names(module_name: str) -> dict[str, object]:
    """The names a module imports under ``if TYPE_CHECKING:`` (forward references)."""
    module = sys.modules[module_name]
    source = Path(inspect.getfile(module)).read_text(encoding="utf-8")
    namespace: dict[str, object] = {
        **vars(module),
        "__name__": module_name,
        "__package__": module.__package__,
    }
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) in (
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        ):
            code = compile(ast.Module(body=node.body, type_ignores=[]), module_name, "exec")
            exec(code, namespace)
    return namespace


def _hints(owner: object, module_name: str) -> dict[str, Any]:
    importlib.import_module(module_name)
    if inspect.isclass(owner):  # each base's annotations resolve in its own module first
        localns: dict[str, object] = {}
        for base in reversed(owner.__mro__):
            if base.__module__.startswith("credibility"):
                localns.update(_type_checking_names(base.__module__))
        return typing.get_type_hints(owner, localns=localns)
    return typing.get_type_hints(owner, globalns=_type_checking_names(module_name))


def _mentions_any(hint: object) -> bool:
    """Whether ``hint`` is or contains ``Any`` (an array's shape, ``tuple[Any, ...]``, aside)."""
    if hint is Any:
        return True
    args = typing.get_args(hint)
    if typing.get_origin(hint) is np.ndarray:
        args = args[1:]  # NDArray[X] is ndarray[tuple[Any, ...], dtype[X]]: any shape
    return any(_mentions_any(arg) for arg in args)


def _public_objects() -> Iterator[tuple[str, object]]:
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            yield f"{package}.{name}", getattr(module, name)
    for module_name in RESULT_MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if inspect.isclass(value):
                yield f"{module_name}.{name}", value


def _members(cls: type) -> Iterator[tuple[str, Callable[..., object], str]]:
    """The public methods (and property getters) a credibility class defines or inherits."""
    for name in dir(cls):
        if name.startswith("_") and name not in PUBLIC_DUNDERS:
            continue
        for klass in cls.__mro__:
            if name in vars(klass):
                defined = vars(klass)[name]
                break
        else:
            continue
        if not klass.__module__.startswith("credibility"):
            continue  # object's, tuple's, Exception's, Mapping's
        if isinstance(defined, property):
            defined = defined.fget
        elif isinstance(defined, classmethod | staticmethod):
            defined = defined.__func__
        if isinstance(defined, types.FunctionType) and defined.__module__.startswith("credibility"):
            yield f"{cls.__name__}.{name}", defined, klass.__module__


def _signatures() -> Iterator[tuple[str, object, str]]:
    """Every ``(qualified name, function or class, module)`` whose hints are checked."""
    seen: set[int] = set()
    for qualname, value in _public_objects():
        if id(value) in seen:
            continue
        seen.add(id(value))
        if inspect.isclass(value):
            if not issubclass(value, enum.Enum | BaseException):
                yield f"{qualname} (attributes)", value, value.__module__
            for name, function, module in _members(value):
                if id(function) not in seen:
                    seen.add(id(function))
                    yield f"{value.__module__}.{name}", function, module
        elif isinstance(value, types.FunctionType):
            yield qualname, value, value.__module__
            for overload in typing.get_overloads(value):
                yield f"{qualname} (overload)", overload, value.__module__
        elif type(value).__module__.startswith("credibility"):  # an adapter instance
            cls = type(value)
            if id(cls) not in seen:
                seen.add(id(cls))
                for name, function, module in _members(cls):
                    yield f"{cls.__module__}.{name}", function, module


SIGNATURES = list(_signatures())


def test_the_walk_covers_the_public_surface():
    names = {qualname for qualname, _, _ in SIGNATURES}
    for expected in (
        "credibility.qre",
        "credibility.solve (overload)",
        "credibility.sweep",
        "credibility.quantal.fit_qre",
        "credibility.solvers.nash.BimatrixSolution.to_dict",
        "credibility.solvers.nash.BimatrixSolution._repr_html_",
        "credibility.solvers.nash.BimatrixSolution.to_pandas",
        "credibility.solvers.subgame_perfect.TreeSolution.to_dict",
        "credibility.solvers.pbe.SignallingSolution.to_dict",
        "credibility.solvers.normal_nash.NormalSolution.to_dict",
        "credibility.sweeps.result.SweepResult.to_summary",
        "credibility.quantal.result.QREResult.to_dict",
        "credibility.kinds.base.KindAdapter.solve",
    ):
        assert expected in names, expected
    assert len(SIGNATURES) > 150


@pytest.mark.parametrize(
    ("qualname", "owner", "module"), SIGNATURES, ids=[s[0] for s in SIGNATURES]
)
def test_public_hints_do_not_mention_any(qualname, owner, module):
    hints = _hints(owner, module)
    if not dataclasses.is_dataclass(owner) and not inspect.isclass(owner):
        assert "return" in hints or getattr(owner, "__name__", "") == "__init__", qualname
    assert [
        name
        for name, hint in hints.items()
        if _mentions_any(hint) and (qualname, name) not in ALLOWED
    ] == []


def test_the_allow_list_is_still_needed():
    names = {qualname for qualname, _, _ in SIGNATURES}
    for qualname, hint in ALLOWED:
        assert qualname in names, qualname
        owner, module = next((o, m) for q, o, m in SIGNATURES if q == qualname)
        assert _mentions_any(_hints(owner, module)[hint]), (qualname, hint)
