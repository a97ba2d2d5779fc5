"""One adapter per kind of game (issue 14): the protocol, the registry and its use."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

import credibility as cr
from credibility.catalog import catalog_names, load_catalog_model
from credibility.errors import CredibilityError
from credibility.io.toml_loader import parse_toml
from credibility.kinds import (
    BIMATRIX,
    KindAdapter,
    adapter_for,
    adapter_named,
    kinds,
    register,
    unregister,
)
from credibility.kinds.tree import TreeKind

#: Every member of the protocol (the checklist of :mod:`credibility.kinds`).
MEMBERS = [
    name for name in dir(KindAdapter) if not name.startswith("_") and name not in dir(object)
]


def test_the_checklist_names_every_member():
    import credibility.kinds as package

    assert len(MEMBERS) > 25
    for name in MEMBERS:
        assert f"``{name}" in package.__doc__, name


@pytest.mark.parametrize("kind", kinds())
def test_every_registered_kind_implements_every_member(kind):
    adapter = adapter_named(kind)
    assert adapter.kind == kind
    assert adapter.model.kind == kind
    for name in MEMBERS:
        assert hasattr(adapter, name), f"{kind} lacks {name}"
    assert isinstance(adapter.toml_keys, frozenset)


def test_the_four_kinds_are_registered_in_order():
    assert kinds() == ("bimatrix", "tree", "signalling", "normal")


@pytest.mark.parametrize("name", catalog_names())
def test_adapter_for_a_catalog_model_is_its_kinds(name):
    game = load_catalog_model(name)
    adapter = adapter_for(game)
    assert adapter is adapter_named(game.kind)
    assert isinstance(game, adapter.model)


def test_an_unknown_kind_is_refused_clearly():
    with pytest.raises(CredibilityError, match="unknown kind of game 'poker'"):
        adapter_named("poker")


def test_an_object_of_no_kind_is_refused_clearly():
    with pytest.raises(CredibilityError, match="a dict is no game: expected a Bimatrix"):
        adapter_for({"kind": "bimatrix"})
    with pytest.raises(CredibilityError, match="is no game"):
        cr.solve(object())  # type: ignore[call-overload]


def test_a_game_file_of_an_unknown_kind_names_the_registered_ones():
    with pytest.raises(CredibilityError) as caught:
        parse_toml('kind = "poker"\nplayers = ["A", "B"]')
    assert "expected one of 'bimatrix', 'tree', 'signalling', 'normal', got 'poker'" in str(
        caught.value
    )


@dataclass(frozen=True)
class Toy:
    """A toy model: a kind of game of its own."""

    kind = "toy"


class ToyKind(TreeKind):
    """A toy adapter (a tree's members will do: only the registry is tested)."""

    kind = "toy"
    model = Toy  # type: ignore[assignment]


@pytest.fixture
def toy() -> Iterator[ToyKind]:
    adapter = ToyKind()
    register(adapter)  # type: ignore[arg-type,misc]
    try:
        yield adapter
    finally:
        unregister("toy")


def test_registering_a_kind_makes_it_known(toy):
    assert adapter_named("toy") is toy
    assert adapter_for(Toy()) is toy
    assert kinds()[-1] == "toy"


def test_unregistering_a_kind_forgets_it(toy):
    unregister("toy")
    assert "toy" not in kinds()
    with pytest.raises(CredibilityError, match="unknown kind of game 'toy'"):
        adapter_named("toy")


def test_solve_options_a_kind_has_no_use_for_are_refused():
    with pytest.raises(CredibilityError, match="applies to bimatrix games only"):
        cr.solve(cr.load("entry_deterrence"), method="support")
    with pytest.raises(CredibilityError, match="applies to signalling games only"):
        cr.solve(cr.load("chicken"), mixed=True)


def test_a_solution_renders_through_its_kinds_adapter():
    from credibility.render import renderer

    solution = cr.solve(cr.load("chicken"))
    assert renderer(solution) is BIMATRIX.renderer()
    with pytest.raises(CredibilityError, match="cannot render a Bimatrix"):
        renderer(cr.load("chicken"))
