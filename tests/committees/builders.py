"""Committees of the sample territory (``tests.factories.territories.SAMPLE``) with the names
the committee screens' tests expect. Every write goes through the services (the factories)."""

from committees.models import Committee, Level
from tests.factories.committees import CommitteeFactory
from tests.factories.territories import Territory


def make_cle(
    territory: Territory, *, name="CLE Beaujolais – Val de Saône", departements=None, **perimeter
) -> Committee:
    """A draft CLE of the Rhône; its perimeter is the arrondissement of Villefranche unless
    ``arrondissements`` / ``epcis`` / ``communes`` are given."""
    return CommitteeFactory(
        level=Level.LOCAL,
        name=name,
        region=territory.ara,
        departements=departements or [territory.d69],
        perimeter=perimeter or {"arrondissements": [territory.arr_villefranche]},
    )


def make_cde(territory: Territory, **kwargs) -> Committee:
    return CommitteeFactory(
        level=Level.DEPARTMENTAL,
        name=kwargs.pop("name", "Comité départemental pour l'emploi du Rhône"),
        region=territory.ara,
        departements=[territory.d69],
        **kwargs,
    )


def make_cre(territory: Territory, **kwargs) -> Committee:
    return CommitteeFactory(
        level=Level.REGIONAL,
        name=kwargs.pop("name", "Comité régional pour l'emploi Auvergne-Rhône-Alpes"),
        region=territory.ara,
        crefop_mode=kwargs.pop("crefop_mode", "within"),
        **kwargs,
    )
