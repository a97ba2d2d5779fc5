"""Shorter conditions for the regions of one outcome, the same set up to boundaries.

A region map gives each outcome as a union of cells, each cell a conjunction
of strict inequalities ``atom > 0`` in the free parameters. :func:`simplest`
rewrites such a union, in steps that each keep the set exact up to the
boundaries of the cells (the surfaces ``atom = 0``, where the outcome is read
off one parameter at a time instead):

* two cells that differ only in the sign of one atom are joined;
* an atom the bounds alone imply, or the bounds and the cell's other atoms,
  is dropped;
* an atom is dropped from a cell when the part it cuts off is covered by the
  other cells, and a cell the others cover is dropped.

Implication and covering are decided exactly for the atoms that are linear in
the parameters with numeric coefficients (by Fourier-Motzkin elimination,
:func:`~credibility.symbolic.feasibility.solvable`, through
:meth:`credibility.symbolic.feasibility.Box.empty`); other atoms are treated as
opaque, so a set is taken as empty only when its linear part is, or when it
asks one atom to be both positive and negative. That errs on the side of
keeping an atom, never of dropping one that matters.
"""

from __future__ import annotations

import sympy

from .feasibility import Box
from .regions import Region
from .signs import Bounds, expression_range, normalise

__all__ = ["simplest"]

#: The most sets one covering question may split into before it gives up (keeps the atom).
MAX_PIECES = 2000


def simplest(members: list[Region], bounds: Bounds) -> list[Region]:
    """The cells of one outcome, joined and pruned until no step changes them.

    Parameters
    ----------
    members : list of Region
        Cells of one outcome (their ``equilibria`` and ``outcome`` are kept).
    bounds : mapping of sympy.Symbol to (low, high)
        The free parameters and their bounds (``-oo``/``oo`` where unbounded).

    Returns
    -------
    list of Region
        The same union up to the cells' boundaries, in a deterministic order.

    Examples
    --------
    With ``m >= 0``, the cells ``v < w`` and ``v > w & m > v - w`` are the one
    condition ``m > v - w`` (off the line ``v = w``):

    >>> m, v, w = sympy.symbols("m v w")
    >>> box = {m: (sympy.Integer(0), sympy.oo), v: (-sympy.oo, sympy.oo), w: (-sympy.oo, sympy.oo)}
    >>> cells = [Region((w - v,), (), "A"), Region((v - w, m - v + w), (), "A")]
    >>> [cell.conditions for cell in simplest(cells, box)]
    [(m - v + w,)]
    """
    space = _Space(bounds)
    cells = _merged(members)
    while True:
        simpler = _merged(_pruned(_reduced(cells, space), space))
        if [c.conditions for c in simpler] == [c.conditions for c in cells]:
            return cells
        cells = simpler


class _Space(Box):
    """A box whose emptiness tests also decide implication and covering."""

    def __init__(self, bounds: Bounds) -> None:
        super().__init__(bounds)
        self._pieces = 0

    def implied(self, atom: sympy.Expr, others: list[sympy.Expr]) -> bool:
        """True if the bounds and ``others > 0`` imply ``atom > 0`` (linear atoms only)."""
        if self.linear(atom) is None:
            return False
        return self.empty([b for b in others if self.linear(b) is not None], closed=-atom)

    def covered(self, atoms: list[sympy.Expr], cells: list[tuple[sympy.Expr, ...]]) -> bool:
        """True if ``atoms > 0`` lies in the union of ``cells``, up to their boundaries."""
        self._pieces = 0
        try:
            return self._covered(atoms, cells)
        except _TooManyPieces:
            return False

    def _covered(self, atoms: list[sympy.Expr], cells: list[tuple[sympy.Expr, ...]]) -> bool:
        self._pieces += 1
        if self._pieces > MAX_PIECES:
            raise _TooManyPieces
        if self.empty(atoms):
            return True
        if not cells:
            return False
        first, rest = cells[0], cells[1:]
        # Outside the first cell, one of its atoms is negative (off the boundaries).
        return all(self._covered([*atoms, -atom], rest) for atom in first)


class _TooManyPieces(Exception):
    """A covering question split into more than MAX_PIECES sets."""


def _reduced(cells: list[Region], space: _Space) -> list[Region]:
    """The cells less the atoms the bounds, or the bounds and the cell's other atoms, imply."""
    reduced = []
    for cell in cells:
        kept = [a for a in cell.conditions if not _boundary_only(a, space.bounds)]
        for atom in list(kept):
            if space.implied(atom, [b for b in kept if b is not atom]):
                kept.remove(atom)
        reduced.append(Region(tuple(kept), cell.equilibria, cell.outcome))
    return reduced


def _pruned(cells: list[Region], space: _Space) -> list[Region]:
    """Drop atoms whose cut-off part the other cells cover, then cells the others cover."""
    cells = list(cells)
    for i, cell in enumerate(cells):
        others = [c.conditions for j, c in enumerate(cells) if j != i]
        kept = list(cell.conditions)
        for atom in list(kept):
            rest = [b for b in kept if b is not atom]
            if space.covered([*rest, -atom], others):
                kept = rest
        cells[i] = Region(tuple(kept), cell.equilibria, cell.outcome)
    i = 0
    while i < len(cells) and len(cells) > 1:
        others = [c.conditions for j, c in enumerate(cells) if j != i]
        if space.covered(list(cells[i].conditions), others):
            del cells[i]
        else:
            i += 1
    return cells


def _merged(members: list[Region]) -> list[Region]:
    """Join cells of one outcome that differ only in the sign of one atom.

    Two such cells together are the cell without that atom (up to the
    boundary itself), so the condition gets shorter and stays exact.
    """
    cells = {frozenset(normalise(atom) for atom in region.conditions) for region in members}
    changed = True
    while changed:
        changed = False
        for cell in sorted(cells, key=_cell_order):
            for key, sign in sorted(cell, key=str):
                twin = (cell - {(key, sign)}) | {(key, -sign)}
                if twin in cells and cell in cells:
                    cells -= {cell, twin}
                    cells.add(cell - {(key, sign)})
                    changed = True
                    break
    first = members[0]
    return [
        Region(
            tuple(key * sign for key, sign in sorted(cell, key=str)),
            first.equilibria,
            first.outcome,
        )
        for cell in sorted(cells, key=_cell_order)
    ]


def _cell_order(cell: frozenset) -> tuple[int, list[str]]:
    """A deterministic order of cells (Python's hashes of names are not)."""
    return len(cell), sorted(map(str, cell))


def _boundary_only(atom: sympy.Expr, bounds: Bounds) -> bool:
    """True if ``atom`` is never negative in the box: it only excludes the box's boundary."""
    low, _ = expression_range(sympy.expand(atom), bounds)
    return bool(low >= 0)
