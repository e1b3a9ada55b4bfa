"""INS-DATES: the committees are installed from July 2024 in metropolitan France and from
September 2024 in the Outre-mer (instruction of 28 June 2024, fiche 1 §1).

A meeting dated earlier is not refused (the texts set when installation starts, not a bar on
the record): the screens and the API show a warning the secretariat can act on.
"""

from datetime import date

from committees.models import Committee
from territories.models import Zone

METROPOLITAN_START = date(2024, 7, 1)
OUTRE_MER_START = date(2024, 9, 1)


def installation_start(committee: Committee) -> date:
    """INS-DATES: the first day a committee of this territory can have been installed."""
    return METROPOLITAN_START if committee.region.zone == Zone.METRO else OUTRE_MER_START


def meeting_date_warnings(committee: Committee, day: date) -> list[str]:
    """French warnings for a meeting on ``day`` of ``committee`` (empty: nothing to say)."""
    warnings = []
    start = installation_start(committee)
    if day < start:
        where = "en métropole" if start == METROPOLITAN_START else "en outre-mer"
        warnings.append(
            f"Cette réunion est datée du {day:%d/%m/%Y}, avant le {start:%d/%m/%Y} : les "
            f"comités territoriaux pour l'emploi sont installés à compter de cette date {where}. "
            "Vérifiez la date saisie."
        )
    elif committee.installed_on and day < committee.installed_on:
        warnings.append(
            f"Cette réunion est datée du {day:%d/%m/%Y}, avant l'installation du comité le "
            f"{committee.installed_on:%d/%m/%Y}. Vérifiez la date saisie."
        )
    return warnings
