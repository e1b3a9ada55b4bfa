"""Committees of the composition tests' territory (``tests.factories.territories.COMPOSITION``)
with the names and co-presidents those tests expect. Every write goes through the services
(the factories of ``tests.factories.committees``)."""

from committees.models import REQUIRED_CATEGORIES, Committee, CoPresidency, Level
from territories.models import Region
from tests.factories.committees import CommitteeFactory, CoPresidencyFactory, MembershipFactory
from tests.factories.territories import Territory


def make_cde(territories: Territory, **kwargs) -> Committee:
    return CommitteeFactory(
        level=Level.DEPARTMENTAL,
        name=kwargs.pop("name", "CDE du Rhône"),
        region=territories.ara,
        departements=[territories.d69],
        **kwargs,
    )


def make_cle(territories: Territory, *, name="CLE Beaujolais", epcis=None) -> Committee:
    return CommitteeFactory(
        level=Level.LOCAL,
        name=name,
        region=territories.ara,
        departements=[territories.d69],
        perimeter={"epcis": epcis if epcis is not None else [territories.epci_villefranche]},
    )


def make_cre(territories: Territory, region: Region | None = None) -> Committee:
    return CommitteeFactory(
        level=Level.REGIONAL, name="CRE Auvergne-Rhône-Alpes", region=region or territories.ara
    )


def copresident(committee: Committee, side: str = CoPresidency.Side.STATE, **kwargs):
    """A co-president; the local-authority side is the conseil départemental's by default."""
    if side == CoPresidency.Side.LOCAL_AUTHORITY:
        kwargs.setdefault("authority", "Conseil départemental du Rhône")
        return CoPresidencyFactory(committee=committee, local_authority=True, **kwargs)
    return CoPresidencyFactory(committee=committee, **kwargs)


def complete_composition(committee: Committee) -> None:
    """Both co-presidency sides and every permanent category of the level (INS-COMPOSITION)."""
    copresident(committee, CoPresidency.Side.STATE)
    copresident(
        committee,
        CoPresidency.Side.LOCAL_AUTHORITY,
        authority="CA Villefranche Beaujolais Saône",
    )
    for category in REQUIRED_CATEGORIES[committee.level]:
        MembershipFactory(committee=committee, category=category)
