"""A small territorial reference and committee builders for the composition tests.

Only the rows these tests need: Auvergne-Rhône-Alpes with its twelve départements (so the
CREFOP rotation applies), a few communes of the Rhône and the Ain, Grand Est's 67 and 68 for
the Collectivité européenne d'Alsace, and Bretagne (four départements, no rotation).
"""

from dataclasses import dataclass
from datetime import date

from committees.models import Committee, CoPresidency, Level, StaffAssignment
from committees.models.rules import Category
from committees.services.committees import create_committee, set_perimeter
from committees.services.composition import add_copresident, add_member
from committees.services.staff import start_staff_assignment
from territories.models import Arrondissement, Commune, Departement, Epci, Region
from tests.factories.users import UserFactory

START = date(2024, 9, 1)

ARA_DEPARTEMENTS = (
    ("01", "Ain"),
    ("03", "Allier"),
    ("07", "Ardèche"),
    ("15", "Cantal"),
    ("26", "Drôme"),
    ("38", "Isère"),
    ("42", "Loire"),
    ("43", "Haute-Loire"),
    ("63", "Puy-de-Dôme"),
    ("69", "Rhône"),
    ("73", "Savoie"),
    ("74", "Haute-Savoie"),
)


@dataclass
class Territories:
    ara: Region
    grand_est: Region
    bretagne: Region
    d01: Departement
    d69: Departement
    d67: Departement
    d68: Departement
    arr_lyon: Arrondissement
    arr_villefranche: Arrondissement
    arr_bourg: Arrondissement
    epci_lyon: Epci
    epci_villefranche: Epci
    epci_beaujolais: Epci
    epci_bugey: Epci


def make_territories() -> Territories:
    ara = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", zone="metro")
    grand_est = Region.objects.create(code="44", name="Grand Est", zone="metro")
    bretagne = Region.objects.create(code="53", name="Bretagne", zone="metro")
    deps = {
        code: Departement.objects.create(code=code, name=name, region=ara, zone="metro")
        for code, name in ARA_DEPARTEMENTS
    }
    for code, name in (("67", "Bas-Rhin"), ("68", "Haut-Rhin")):
        deps[code] = Departement.objects.create(
            code=code, name=name, region=grand_est, zone="metro"
        )
    for code, name in (
        ("22", "Côtes-d'Armor"),
        ("29", "Finistère"),
        ("35", "Ille-et-Vilaine"),
        ("56", "Morbihan"),
    ):
        Departement.objects.create(code=code, name=name, region=bretagne, zone="metro")
    d69, d01 = deps["69"], deps["01"]
    arr_lyon = Arrondissement.objects.create(code="691", name="Lyon", departement=d69)
    arr_villefranche = Arrondissement.objects.create(
        code="692", name="Villefranche-sur-Saône", departement=d69
    )
    arr_bourg = Arrondissement.objects.create(code="012", name="Bourg-en-Bresse", departement=d01)
    epci_lyon = Epci.objects.create(code="200046977", name="Métropole de Lyon", kind="MET69")
    epci_villefranche = Epci.objects.create(
        code="200040590", name="CA Villefranche Beaujolais Saône", kind="CA"
    )
    epci_beaujolais = Epci.objects.create(
        code="200040574", name="CC Beaujolais Pierres Dorées", kind="CC"
    )
    epci_bugey = Epci.objects.create(code="240100883", name="CC de la Dombes", kind="CC")
    communes = (
        ("69123", "Lyon", 522250, d69, arr_lyon, epci_lyon),
        ("69266", "Villeurbanne", 156928, d69, arr_lyon, epci_lyon),
        ("69264", "Villefranche-sur-Saône", 37081, d69, arr_villefranche, epci_villefranche),
        ("69010", "Arnas", 4051, d69, arr_villefranche, epci_villefranche),
        ("69024", "Anse", 7847, d69, arr_villefranche, epci_beaujolais),
        ("01004", "Châtillon-sur-Chalaronne", 5138, d01, arr_bourg, epci_bugey),
        ("01165", "Jassans-Riottier", 6626, d01, arr_bourg, epci_bugey),
    )
    for code, name, population, departement, arrondissement, epci in communes:
        Commune.objects.create(
            code=code,
            name=name,
            population=population,
            departement=departement,
            region=departement.region,
            arrondissement=arrondissement,
            epci=epci,
        )
    return Territories(
        ara=ara,
        grand_est=grand_est,
        bretagne=bretagne,
        d01=d01,
        d69=d69,
        d67=deps["67"],
        d68=deps["68"],
        arr_lyon=arr_lyon,
        arr_villefranche=arr_villefranche,
        arr_bourg=arr_bourg,
        epci_lyon=epci_lyon,
        epci_villefranche=epci_villefranche,
        epci_beaujolais=epci_beaujolais,
        epci_bugey=epci_bugey,
    )


def ddets_agent(departement: Departement, **user_fields):
    user = UserFactory(**user_fields)
    start_staff_assignment(
        user=user, service=StaffAssignment.Service.DDETS, departement=departement, started_on=START
    )
    return user


def dreets_agent(region: Region, **user_fields):
    user = UserFactory(organisation=f"DREETS {region.name}", **user_fields)
    start_staff_assignment(
        user=user, service=StaffAssignment.Service.DREETS, region=region, started_on=START
    )
    return user


def make_cde(territories: Territories, **kwargs) -> Committee:
    return create_committee(
        level=Level.DEPARTMENTAL,
        name=kwargs.pop("name", "CDE du Rhône"),
        region=territories.ara,
        departements=[territories.d69],
        **kwargs,
    )


def make_cle(territories: Territories, *, name="CLE Beaujolais", epcis=None) -> Committee:
    committee = create_committee(
        level=Level.LOCAL, name=name, region=territories.ara, departements=[territories.d69]
    )
    return set_perimeter(
        committee=committee,
        epcis=epcis if epcis is not None else [territories.epci_villefranche],
    )


def make_cre(territories: Territories, region: Region | None = None) -> Committee:
    return create_committee(
        level=Level.REGIONAL,
        name="CRE Auvergne-Rhône-Alpes",
        region=region or territories.ara,
        crefop_mode="within",
    )


def seat(committee: Committee, category: str = Category.STATE, **kwargs):
    """Add a member of ``category`` (a new person) with the defaults of a permanent titular."""
    person = kwargs.pop("person", None) or UserFactory()
    return add_member(
        committee=committee,
        person=person,
        organisation=kwargs.pop("organisation", f"Organisme {person.last_name}"),
        category=category,
        mandate_start=kwargs.pop("mandate_start", START),
        **kwargs,
    )


def copresident(committee: Committee, side: str = CoPresidency.Side.STATE, **kwargs):
    person = kwargs.pop("person", None) or UserFactory()
    defaults = {
        "office": "Préfète du Rhône" if side == CoPresidency.Side.STATE else "Président",
        "authority": "" if side == CoPresidency.Side.STATE else "Conseil départemental du Rhône",
        "started_on": START,
    }
    defaults.update(kwargs)
    return add_copresident(committee=committee, side=side, person=person, **defaults)


def complete_composition(committee: Committee) -> None:
    """Both co-presidency sides and every permanent category of the level (INS-COMPOSITION)."""
    from committees.models import REQUIRED_CATEGORIES

    copresident(committee, CoPresidency.Side.STATE)
    copresident(
        committee,
        CoPresidency.Side.LOCAL_AUTHORITY,
        authority="CA Villefranche Beaujolais Saône",
    )
    for category in REQUIRED_CATEGORIES[committee.level]:
        seat(committee, category)
