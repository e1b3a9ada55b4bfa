"""A small territorial reference, personas and committee builders for the committee tests.

Real INSEE / SIREN codes and 2026 populations, a few communes only: Auvergne-Rhône-Alpes with
the Rhône (69: the Métropole de Lyon and the two arrondissements) and the Ain (01), and
Île-de-France with Paris (75) as a foreign territory. Every write goes through the services,
so that guardian permissions are derived as in production.
"""

from dataclasses import dataclass, field
from datetime import date

from committees.models import REQUIRED_CATEGORIES, Committee, CoPresidency, Level, StaffAssignment
from committees.services.committees import create_committee, install_committee, set_perimeter
from committees.services.composition import add_copresident, add_member
from committees.services.staff import start_staff_assignment
from territories.models import Arrondissement, Commune, Departement, Epci, Region
from tests.factories.users import UserFactory

START = date(2024, 9, 1)

EPCIS = (
    ("200046977", "Métropole de Lyon", "MET69"),
    ("200040590", "CA Villefranche Beaujolais Saône", "CA"),
    ("200040574", "CC Beaujolais Pierres Dorées", "CC"),
    ("200067817", "CC Saône-Beaujolais", "CC"),
    ("200040566", "CA de l'Ouest Rhodanien", "CA"),
    ("246900575", "CC de l'Est Lyonnais (CCEL)", "CC"),
    ("246900765", "CC du Pays de l'Ozon", "CC"),
    ("246900757", "CC de la Vallée du Garon (CCVG)", "CC"),
    ("246900740", "CC du Pays Mornantais (COPAMO)", "CC"),
    ("200071751", "CA du Bassin de Bourg-en-Bresse", "CA"),
    ("200042497", "CC Dombes Saône Vallée", "CC"),
    ("200054781", "Métropole du Grand Paris", "METRO"),
)

# (code, name, population, département, arrondissement, EPCI)
COMMUNES = (
    ("69123", "Lyon", 519127, "69", "691", "200046977"),
    ("69266", "Villeurbanne", 163684, "69", "691", "200046977"),
    ("69290", "Saint-Priest", 49229, "69", "691", "200046977"),
    ("69264", "Villefranche-sur-Saône", 36172, "69", "692", "200040590"),
    ("69013", "Arnas", 4601, "69", "692", "200040590"),
    ("69092", "Gleizé", 8035, "69", "692", "200040590"),
    ("69009", "Anse", 8206, "69", "692", "200040574"),
    ("69024", "Val d'Oingt", 4117, "69", "692", "200040574"),
    ("69019", "Belleville-en-Beaujolais", 14016, "69", "692", "200067817"),
    ("69243", "Tarare", 10893, "69", "692", "200040566"),
    ("69277", "Genas", 13421, "69", "691", "246900575"),
    ("69291", "Saint-Symphorien-d'Ozon", 6186, "69", "691", "246900765"),
    ("69027", "Brignais", 12503, "69", "691", "246900757"),
    ("69141", "Mornant", 6282, "69", "691", "246900740"),
    ("01194", "Jassans-Riottier", 6247, "01", "012", "200040590"),
    ("01053", "Bourg-en-Bresse", 42372, "01", "012", "200071751"),
    ("01427", "Trévoux", 7013, "01", "012", "200042497"),
    ("75056", "Paris", 2103778, "75", "751", "200054781"),
)


@dataclass
class Territory:
    ara: Region
    idf: Region
    d69: Departement
    d01: Departement
    d75: Departement
    arr_lyon: Arrondissement
    arr_villefranche: Arrondissement
    arr_bourg: Arrondissement
    epcis: dict = field(default_factory=dict)
    communes: dict = field(default_factory=dict)

    def epci(self, code: str) -> Epci:
        return self.epcis[code]

    @property
    def metropole(self) -> Epci:
        return self.epcis["200046977"]

    @property
    def villefranche(self) -> Epci:
        return self.epcis["200040590"]

    @property
    def garon(self) -> Epci:
        return self.epcis["246900757"]

    @property
    def mornantais(self) -> Epci:
        return self.epcis["246900740"]

    @property
    def dombes(self) -> Epci:
        return self.epcis["200042497"]


def make_territory() -> Territory:
    ara = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", zone="metro")
    idf = Region.objects.create(code="11", name="Île-de-France", zone="metro")
    d69 = Departement.objects.create(code="69", name="Rhône", region=ara, zone="metro")
    d01 = Departement.objects.create(code="01", name="Ain", region=ara, zone="metro")
    d75 = Departement.objects.create(code="75", name="Paris", region=idf, zone="metro")
    departements = {"69": d69, "01": d01, "75": d75}
    arrondissements = {
        "691": Arrondissement.objects.create(code="691", name="Lyon", departement=d69),
        "692": Arrondissement.objects.create(
            code="692", name="Villefranche-sur-Saône", departement=d69
        ),
        "012": Arrondissement.objects.create(code="012", name="Bourg-en-Bresse", departement=d01),
        "751": Arrondissement.objects.create(code="751", name="Paris", departement=d75),
    }
    epcis = {
        code: Epci.objects.create(code=code, name=name, kind=kind) for code, name, kind in EPCIS
    }
    communes = {}
    for code, name, population, dep, arr, epci in COMMUNES:
        departement = departements[dep]
        communes[code] = Commune.objects.create(
            code=code,
            name=name,
            population=population,
            departement=departement,
            region_id=departement.region_id,
            arrondissement=arrondissements[arr],
            epci=epcis[epci],
        )
    return Territory(
        ara=ara,
        idf=idf,
        d69=d69,
        d01=d01,
        d75=d75,
        arr_lyon=arrondissements["691"],
        arr_villefranche=arrondissements["692"],
        arr_bourg=arrondissements["012"],
        epcis=epcis,
        communes=communes,
    )


# --- Personas ---------------------------------------------------------------------------------


def ddets_agent(departement: Departement, **fields):
    user = UserFactory(organisation=f"DDETS {departement.name}", **fields)
    start_staff_assignment(
        user=user, service=StaffAssignment.Service.DDETS, departement=departement, started_on=START
    )
    return user


def dreets_agent(region: Region, **fields):
    user = UserFactory(organisation=f"DREETS {region.name}", **fields)
    start_staff_assignment(
        user=user, service=StaffAssignment.Service.DREETS, region=region, started_on=START
    )
    return user


# --- Committees -------------------------------------------------------------------------------


def make_cle(
    territory: Territory, *, name="CLE Beaujolais – Val de Saône", departements=None, **perimeter
):
    committee = create_committee(
        level=Level.LOCAL,
        name=name,
        region=territory.ara,
        departements=departements or [territory.d69],
    )
    if not perimeter:
        perimeter = {"arrondissements": [territory.arr_villefranche]}
    return set_perimeter(committee=committee, **perimeter)


def make_cde(territory: Territory, **kwargs) -> Committee:
    return create_committee(
        level=Level.DEPARTMENTAL,
        name=kwargs.pop("name", "Comité départemental pour l'emploi du Rhône"),
        region=territory.ara,
        departements=[territory.d69],
        **kwargs,
    )


def make_cre(territory: Territory, **kwargs) -> Committee:
    return create_committee(
        level=Level.REGIONAL,
        name=kwargs.pop("name", "Comité régional pour l'emploi Auvergne-Rhône-Alpes"),
        region=territory.ara,
        crefop_mode=kwargs.pop("crefop_mode", "within"),
        **kwargs,
    )


def copresident(committee: Committee, side: str = CoPresidency.Side.STATE, **kwargs):
    person = kwargs.pop("person", None) or UserFactory()
    values = {
        "office": "Préfète du Rhône" if side == CoPresidency.Side.STATE else "Président",
        "authority": "" if side == CoPresidency.Side.STATE else "Collectivité du territoire",
        "started_on": START,
    }
    values.update(kwargs)
    return add_copresident(committee=committee, side=side, person=person, **values)


def seat(committee: Committee, category: str, **kwargs):
    person = kwargs.pop("person", None) or UserFactory()
    return add_member(
        committee=committee,
        person=person,
        organisation=kwargs.pop("organisation", f"Organisme {person.last_name}"),
        category=category,
        mandate_start=kwargs.pop("mandate_start", START),
        **kwargs,
    )


def compose(committee: Committee, *, skip: tuple = ()) -> None:
    """Both co-presidency sides and every permanent category of the level, except ``skip``
    (INS-COMPOSITION, DEC-COPRESIDENCY)."""
    copresident(committee, CoPresidency.Side.STATE)
    copresident(committee, CoPresidency.Side.LOCAL_AUTHORITY)
    for category in REQUIRED_CATEGORIES[committee.level]:
        if category not in skip:
            seat(committee, category)


def installed(committee: Committee, *, on: date = START) -> Committee:
    compose(committee)
    return install_committee(
        committee=committee, installed_on=on, arrete_reference="Arrêté n° 69-2024-09-01-001"
    )
