"""The text ``credibility sweep --help`` shows about the columns it writes."""

from __future__ import annotations

__all__ = ["COLUMNS_HELP", "columns_help"]

#: The sweep's column help for bimatrix games.
COLUMNS_HELP = (
    "  bimatrix    outcome lists the equilibria (every extreme equilibrium, as\n"
    "              `credibility solve` does): ROW/COLUMN when both play a pure\n"
    "              strategy, 'mixed' for a player who mixes ('mixed' alone if\n"
    "              both do); pure profiles first in the game's order, then\n"
    "              those with one player mixing, then 'mixed'; ' | ' between\n"
    "              them, '2 mixed' for two alike, 'degenerate: ' in front for a\n"
    "              degenerate game (its equilibria may form segments between\n"
    "              those listed); as `threshold` labels its regions.\n"
    "              PLAYER:STRATEGY, one column per strategy of each player: the\n"
    "              probabilities of the only equilibrium that is not pure (in a\n"
    "              nondegenerate 2x2 game, the completely mixed one); empty\n"
    "              where there is none or several."
)


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
            "              outcome lists the distinct SPE paths, ' | ' between them,\n"
            "              in the tree's order (the order moves are written), as\n"
            "              `threshold` labels its regions; the first SPE is on the\n"
            "              first path.\n"
            "  normal      profile (the first pure equilibrium's strategies, '/'\n"
            "              between them; empty if none) and payoff_PLAYER (each\n"
            "              player's payoff there; empty if none); outcome lists the\n"
            "              pure equilibria in the game's profile order, ' | ' between\n"
            "              them ('no pure equilibrium' if none), as `threshold` does.\n"
            "  symmetric   p_mixed (the mixed equilibrium's probability of the first\n"
            "              action, if there is exactly one; empty otherwise) and p_answer\n"
            "              (the probability that the alliance answers in it); outcome\n"
            "              lists the kinds of symmetric equilibrium, as `threshold` does.\n"
            "  signalling  n_separating, n_pooling (pure equilibria of each class;\n"
            "              n_equilibria counts pure ones, those differing only off\n"
            "              the path once), semi_separating (1 if some type mixes in\n"
            "              some equilibrium). outcome lists the classes present,\n"
            "              'separating + pooling' say, as `threshold` does; the\n"
            "              receiver's mixing makes no class of its own.\n"
            "              Games up to 2,500 support profiles; larger ones\n"
            "              lack semi_separating and classify pure PBE only.\n" + COLUMNS_HELP,
            "With --qre: outcome is the most probable outcome of the logit QRE, "
            "n_equilibria is 1, and P:LABEL is each outcome's probability (LABEL as "
            "`credibility qre` names it); lambda is a column too when swept.",
            "Text formats write floats as the shortest decimal that reads back as the "
            "same float64. The output appears only when complete; an interrupted sweep "
            "keeps its completed chunks in OUT.partial/ (resume with --resume and the "
            "same arguments; delete it to start over).",
        ]
    )
