"""The text ``credibility sweep --help`` shows about the columns it writes."""

from __future__ import annotations

from .bimatrix import COLUMNS_HELP

__all__ = ["columns_help"]


def columns_help() -> str:
    """What each column of a sweep's output holds, for the command's help.

    Examples
    --------
    >>> "n_equilibria" in columns_help()
    True
    """
    return "\n\n".join(
        [
            "Columns: each swept parameter (float64; its exact value is the grid's), "
            "outcome (a label of the equilibrium set, computed exactly), n_equilibria, "
            "then per kind:",
            "\b\n"
            "  tree        path (the first SPE's moves, ' > ' between them) and\n"
            "              payoff_PLAYER (each player's payoff in the first SPE);\n"
            "              outcome lists the distinct SPE paths, ' | ' between them.\n"
            "  signalling  n_separating, n_pooling (pure equilibria of each class;\n"
            "              n_equilibria counts pure ones), semi_separating, hybrid\n"
            "              (1 if one exists). outcome lists the classes present,\n"
            "              'hybrid + pooling + separating' say, as `threshold` does.\n"
            "              Games up to 2,500 support profiles; larger ones\n"
            "              lack the last two columns and classify pure PBE only.\n" + COLUMNS_HELP,
            "Text formats write floats as the shortest decimal that reads back as the "
            "same float64. The output appears only when complete; an interrupted sweep "
            "keeps its completed chunks in OUT.partial/ (resume with --resume and the "
            "same arguments; delete it to start over).",
        ]
    )
