"""Factories of the territorial reference (COG): the one place that writes territory rows.

Rows are keyed by their INSEE / SIREN code (``django_get_or_create``), so that a test can ask
for the same region or département twice and get one row. A commune's region follows its
département unless given.
"""

from dataclasses import dataclass, field

import factory

from territories.models import (
    Arrondissement,
    Commune,
    Departement,
    Epci,
    Ept,
    MunicipalArrondissement,
    Region,
    TerritorialEdition,
    Zone,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"Région {n}")
    zone = Zone.METRO

    class Params:
        overseas = factory.Trait(zone=Zone.DROM)


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"Département {n}")
    region = factory.SubFactory(RegionFactory)
    zone = factory.SelfAttribute("region.zone")


class ArrondissementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arrondissement
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"A{n:02d}")
    name = factory.Sequence(lambda n: f"Arrondissement {n}")
    departement = factory.SubFactory(DepartementFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"2{n:08d}")
    name = factory.Sequence(lambda n: f"Communauté de communes {n}")
    kind = Epci.Kind.CC


class EptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ept
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:08d}")
    name = factory.Sequence(lambda n: f"Établissement public territorial {n}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    population = 1000
    departement = factory.SubFactory(DepartementFactory)
    region = factory.SelfAttribute("departement.region")
    arrondissement = None
    epci = None


class MunicipalArrondissementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalArrondissement
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"M{n:04d}")
    name = factory.Sequence(lambda n: f"Arrondissement municipal {n}")
    population = 1000
    commune = factory.SubFactory(CommuneFactory)


class TerritorialEditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TerritorialEdition

    label = "COG 2026 (test)"
    source = "tests"
    checksum = "0" * 64


# --- Small territories built from tables of real rows ------------------------------------------


@dataclass(frozen=True)
class TerritorySpec:
    """Rows of a small territory. ``names`` gives the attribute under which a test reaches a
    row (``t.d69``, ``t.epci_villefranche``…): the key is the attribute, the value the code."""

    regions: tuple = ()  # (code, name, zone)
    departements: tuple = ()  # (code, name, region code)
    arrondissements: tuple = ()  # (code, name, département code)
    epcis: tuple = ()  # (code, name, kind)
    communes: tuple = ()  # (code, name, population, département, arrondissement, EPCI)
    municipal_arrondissements: tuple = ()  # (code, name, population, commune)
    names: dict = field(default_factory=dict)
    edition: str = ""


class Territory:
    """The rows built from a ``TerritorySpec``, by code (``regions``, ``departements``,
    ``arrondissements``, ``epcis``, ``communes``) and by the spec's names (``t.d69``)."""

    def __init__(self, spec: TerritorySpec):
        self.spec = spec
        self.regions: dict[str, Region] = {}
        self.departements: dict[str, Departement] = {}
        self.arrondissements: dict[str, Arrondissement] = {}
        self.epcis: dict[str, Epci] = {}
        self.communes: dict[str, Commune] = {}
        self.municipal_arrondissements: dict[str, MunicipalArrondissement] = {}

    def __getattr__(self, name: str):
        code = self.__dict__["spec"].names.get(name)
        if code is None:
            raise AttributeError(name)
        for table in ("regions", "departements", "arrondissements", "epcis", "communes"):
            if code in self.__dict__[table]:
                return self.__dict__[table][code]
        raise AttributeError(f"{name}: no row of code {code}")

    def epci(self, code: str) -> Epci:
        return self.epcis[code]


def build_territory(spec: TerritorySpec) -> Territory:
    """Write the rows of ``spec`` through the factories; the one builder of test territories."""
    t = Territory(spec)
    if spec.edition:
        TerritorialEditionFactory(label=spec.edition)
    for code, name, zone in spec.regions:
        t.regions[code] = RegionFactory(code=code, name=name, zone=zone)
    for code, name, region in spec.departements:
        region = t.regions[region]
        t.departements[code] = DepartementFactory(
            code=code, name=name, region=region, zone=region.zone
        )
    for code, name, departement in spec.arrondissements:
        t.arrondissements[code] = ArrondissementFactory(
            code=code, name=name, departement=t.departements[departement]
        )
    for code, name, kind in spec.epcis:
        t.epcis[code] = EpciFactory(code=code, name=name, kind=kind)
    for code, name, population, departement, arrondissement, epci in spec.communes:
        t.communes[code] = CommuneFactory(
            code=code,
            name=name,
            population=population,
            departement=t.departements[departement],
            arrondissement=t.arrondissements[arrondissement] if arrondissement else None,
            epci=t.epcis[epci] if epci else None,
        )
    for code, name, population, commune in spec.municipal_arrondissements:
        t.municipal_arrondissements[code] = MunicipalArrondissementFactory(
            code=code, name=name, population=population, commune=t.communes[commune]
        )
    return t


# The sample territory of the committee, funders and audit tests (real INSEE / SIREN codes,
# 2026 populations, a few communes only): Auvergne-Rhône-Alpes with the Rhône (the Métropole de
# Lyon and two arrondissements) and the Ain, and Île-de-France with Paris as a foreign territory.
SAMPLE = TerritorySpec(
    regions=(("84", "Auvergne-Rhône-Alpes", "metro"), ("11", "Île-de-France", "metro")),
    departements=(("69", "Rhône", "84"), ("01", "Ain", "84"), ("75", "Paris", "11")),
    arrondissements=(
        ("691", "Lyon", "69"),
        ("692", "Villefranche-sur-Saône", "69"),
        ("012", "Bourg-en-Bresse", "01"),
        ("751", "Paris", "75"),
    ),
    epcis=(
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
    ),
    communes=(
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
    ),
    names={
        "ara": "84",
        "idf": "11",
        "d69": "69",
        "d01": "01",
        "d75": "75",
        "arr_lyon": "691",
        "arr_villefranche": "692",
        "arr_bourg": "012",
        "metropole": "200046977",
        "villefranche": "200040590",
        "garon": "246900757",
        "mornantais": "246900740",
        "dombes": "200042497",
    },
)

# The permission matrix and committee API tests: Auvergne-Rhône-Alpes (Rhône, Ain) and
# Bourgogne-Franche-Comté (Côte-d'Or) for a foreign committee.
MATRIX = TerritorySpec(
    regions=(("84", "Auvergne-Rhône-Alpes", "metro"), ("27", "Bourgogne-Franche-Comté", "metro")),
    departements=(("69", "Rhône", "84"), ("01", "Ain", "84"), ("21", "Côte-d'Or", "27")),
    arrondissements=(
        ("692", "Villefranche-sur-Saône", "69"),
        ("012", "Bourg-en-Bresse", "01"),
        ("212", "Dijon", "21"),
    ),
    epcis=(
        ("200040590", "CA Villefranche Beaujolais Saône", "CA"),
        ("200040574", "CC Beaujolais Pierres Dorées", "CC"),
        ("240100883", "CC de la Dombes", "CC"),
        ("242100410", "Dijon Métropole", "METRO"),
    ),
    communes=(
        ("69264", "Villefranche-sur-Saône", 37081, "69", "692", "200040590"),
        ("69010", "Arnas", 4051, "69", "692", "200040590"),
        ("69024", "Anse", 7847, "69", "692", "200040574"),
        ("01165", "Jassans-Riottier", 6626, "01", "012", "240100883"),
        ("21231", "Dijon", 159346, "21", "212", "242100410"),
        ("21166", "Chenôve", 13837, "21", "212", "242100410"),
    ),
    names={
        "ara": "84",
        "bfc": "27",
        "d69": "69",
        "d01": "01",
        "d21": "21",
        "arr_villefranche": "692",
        "arr_dijon": "212",
        "epci_villefranche": "200040590",
        "epci_beaujolais": "200040574",
        "epci_dombes": "240100883",
        "epci_dijon": "242100410",
    },
)

ARA_DEPARTEMENTS = (
    ("01", "Ain", "84"),
    ("03", "Allier", "84"),
    ("07", "Ardèche", "84"),
    ("15", "Cantal", "84"),
    ("26", "Drôme", "84"),
    ("38", "Isère", "84"),
    ("42", "Loire", "84"),
    ("43", "Haute-Loire", "84"),
    ("63", "Puy-de-Dôme", "84"),
    ("69", "Rhône", "84"),
    ("73", "Savoie", "84"),
    ("74", "Haute-Savoie", "84"),
)

# The composition and meeting tests: Auvergne-Rhône-Alpes with its twelve départements (so the
# CREFOP rotation applies), a few communes of the Rhône and the Ain, Grand Est's 67 and 68 for
# the Collectivité européenne d'Alsace, and Bretagne (four départements, no rotation).
COMPOSITION = TerritorySpec(
    regions=(
        ("84", "Auvergne-Rhône-Alpes", "metro"),
        ("44", "Grand Est", "metro"),
        ("53", "Bretagne", "metro"),
    ),
    departements=ARA_DEPARTEMENTS
    + (
        ("67", "Bas-Rhin", "44"),
        ("68", "Haut-Rhin", "44"),
        ("22", "Côtes-d'Armor", "53"),
        ("29", "Finistère", "53"),
        ("35", "Ille-et-Vilaine", "53"),
        ("56", "Morbihan", "53"),
    ),
    arrondissements=(
        ("691", "Lyon", "69"),
        ("692", "Villefranche-sur-Saône", "69"),
        ("012", "Bourg-en-Bresse", "01"),
    ),
    epcis=(
        ("200046977", "Métropole de Lyon", "MET69"),
        ("200040590", "CA Villefranche Beaujolais Saône", "CA"),
        ("200040574", "CC Beaujolais Pierres Dorées", "CC"),
        ("240100883", "CC de la Dombes", "CC"),
    ),
    communes=(
        ("69123", "Lyon", 522250, "69", "691", "200046977"),
        ("69266", "Villeurbanne", 156928, "69", "691", "200046977"),
        ("69264", "Villefranche-sur-Saône", 37081, "69", "692", "200040590"),
        ("69010", "Arnas", 4051, "69", "692", "200040590"),
        ("69024", "Anse", 7847, "69", "692", "200040574"),
        ("01004", "Châtillon-sur-Chalaronne", 5138, "01", "012", "240100883"),
        ("01165", "Jassans-Riottier", 6626, "01", "012", "240100883"),
    ),
    names={
        "ara": "84",
        "grand_est": "44",
        "bretagne": "53",
        "d01": "01",
        "d69": "69",
        "d67": "67",
        "d68": "68",
        "arr_lyon": "691",
        "arr_villefranche": "692",
        "arr_bourg": "012",
        "epci_lyon": "200046977",
        "epci_villefranche": "200040590",
        "epci_beaujolais": "200040574",
        "epci_bugey": "240100883",
    },
)

# The regional map's coverage: the Rhône fully covered (two arrondissements, three EPCI, seven
# communes, 773,159 inhabitants), the Ain partly (one commune outside any EPCI); Grand Est's 67
# and 68 for the Collectivité européenne d'Alsace; Bretagne for a foreign region; La Réunion
# for an Outre-mer inset.
COVERAGE = TerritorySpec(
    edition="COG 2026 (test)",
    regions=(
        ("84", "Auvergne-Rhône-Alpes", "metro"),
        ("44", "Grand Est", "metro"),
        ("53", "Bretagne", "metro"),
        ("04", "La Réunion", "drom"),
    ),
    departements=(
        ("01", "Ain", "84"),
        ("69", "Rhône", "84"),
        ("67", "Bas-Rhin", "44"),
        ("68", "Haut-Rhin", "44"),
        ("29", "Finistère", "53"),
        ("974", "La Réunion", "04"),
    ),
    arrondissements=(
        ("691", "Lyon", "69"),
        ("692", "Villefranche-sur-Saône", "69"),
        ("012", "Bourg-en-Bresse", "01"),
    ),
    epcis=(
        ("200046977", "Métropole de Lyon", "MET69"),
        ("200040590", "CA Villefranche Beaujolais Saône", "CA"),
        ("200040574", "CC Beaujolais Pierres Dorées", "CC"),
        ("200071751", "CA du Bassin de Bourg-en-Bresse", "CA"),
        ("240100750", "CC de la Plaine de l'Ain", "CC"),
        ("200040350", "CC Bugey Sud", "CC"),
    ),
    communes=(
        ("69123", "Lyon", 522250, "69", "691", "200046977"),
        ("69266", "Villeurbanne", 156928, "69", "691", "200046977"),
        ("69029", "Bron", 42250, "69", "691", "200046977"),
        ("69264", "Villefranche-sur-Saône", 37081, "69", "692", "200040590"),
        ("69010", "Arnas", 4051, "69", "692", "200040590"),
        ("69024", "Anse", 7847, "69", "692", "200040574"),
        ("69148", "Pommiers", 2752, "69", "692", "200040574"),
        ("01053", "Bourg-en-Bresse", 41365, "01", "012", "200071751"),
        ("01344", "Péronnas", 6700, "01", "012", "200071751"),
        ("01004", "Ambérieu-en-Bugey", 14710, "01", "012", "240100750"),
        ("01034", "Belley", 9135, "01", "012", "200040350"),
        ("01203", "Île-Fictive", 120, "01", "012", None),
        ("67482", "Strasbourg", 1000, "67", None, None),
        ("68224", "Mulhouse", 1000, "68", None, None),
        ("29019", "Brest", 1000, "29", None, None),
        ("97411", "Saint-Denis", 1000, "974", None, None),
    ),
    names={
        "ara": "84",
        "grand_est": "44",
        "bretagne": "53",
        "reunion": "04",
        "d01": "01",
        "d69": "69",
        "d67": "67",
        "d68": "68",
        "d29": "29",
        "d974": "974",
        "arr_lyon": "691",
        "arr_villefranche": "692",
        "epci_lyon": "200046977",
        "epci_villefranche": "200040590",
        "epci_beaujolais": "200040574",
        "epci_bourg": "200071751",
        "epci_plaine": "240100750",
        "epci_bugey": "200040350",
    },
)


# Outre-mer and perimeter tests: La Réunion and Guadeloupe (a région and a département each),
# Martinique (a collectivité unique); the Rhône with the Métropole de Lyon; Paris and Lyon with
# some arrondissements municipaux; the Ain (Auvergne-Rhône-Alpes) beside Saône-et-Loire
# (Bourgogne-Franche-Comté) for a CLE across a regional boundary (Mâcon and its Ain bank).
OVERSEAS = TerritorySpec(
    regions=(
        ("04", "La Réunion", "drom"),
        ("01", "Guadeloupe", "drom"),
        ("02", "Martinique", "drom"),
        ("84", "Auvergne-Rhône-Alpes", "metro"),
        ("27", "Bourgogne-Franche-Comté", "metro"),
        ("11", "Île-de-France", "metro"),
    ),
    departements=(
        ("974", "La Réunion", "04"),
        ("971", "Guadeloupe", "01"),
        ("972", "Martinique", "02"),
        ("69", "Rhône", "84"),
        ("01", "Ain", "84"),
        ("71", "Saône-et-Loire", "27"),
        ("75", "Paris", "11"),
    ),
    arrondissements=(
        ("9741", "Saint-Denis", "974"),
        ("9744", "Saint-Paul", "974"),
        ("691", "Lyon", "69"),
        ("692", "Villefranche-sur-Saône", "69"),
        ("011", "Belley", "01"),
        ("714", "Mâcon", "71"),
        ("751", "Paris", "75"),
    ),
    epcis=(
        ("249740119", "CA CINOR", "CA"),
        ("249740101", "CA Territoire de la Côte Ouest (TCO)", "CA"),
        ("200046977", "Métropole de Lyon", "MET69"),
        ("200040590", "CA Villefranche Beaujolais Saône", "CA"),
        ("200070308", "CA Mâconnais Beaujolais Agglomération", "CA"),
        ("200054781", "Métropole du Grand Paris", "METRO"),
    ),
    communes=(
        ("97411", "Saint-Denis", 153810, "974", "9741", "249740119"),
        ("97418", "Sainte-Marie", 34061, "974", "9741", "249740119"),
        ("97415", "Saint-Paul", 105482, "974", "9744", "249740101"),
        ("97105", "Basse-Terre", 9827, "971", None, None),
        ("97209", "Fort-de-France", 74858, "972", None, None),
        ("69123", "Lyon", 519127, "69", "691", "200046977"),
        ("69266", "Villeurbanne", 163684, "69", "691", "200046977"),
        ("69264", "Villefranche-sur-Saône", 36172, "69", "692", "200040590"),
        ("71270", "Mâcon", 33456, "71", "714", "200070308"),
        ("01370", "Saint-Laurent-sur-Saône", 1706, "01", "011", "200070308"),
        ("01194", "Jassans-Riottier", 6247, "01", "011", "200040590"),
        ("75056", "Paris", 2103778, "75", "751", "200054781"),
    ),
    municipal_arrondissements=(
        ("75118", "Paris 18e Arrondissement", 188446, "75056"),
        ("75119", "Paris 19e Arrondissement", 181616, "75056"),
        ("75120", "Paris 20e Arrondissement", 185140, "75056"),
        ("69381", "Lyon 1er Arrondissement", 29251, "69123"),
        ("69388", "Lyon 8e Arrondissement", 87393, "69123"),
    ),
    names={
        "reunion": "04",
        "guadeloupe": "01",
        "martinique": "02",
        "ara": "84",
        "bfc": "27",
        "idf": "11",
        "d974": "974",
        "d971": "971",
        "d972": "972",
        "d69": "69",
        "d71": "71",
        "d75": "75",
        "arr_saint_denis": "9741",
        "arr_saint_paul": "9744",
        "cinor": "249740119",
        "tco": "249740101",
        "metropole": "200046977",
        "villefranche": "200040590",
        "macon": "200070308",
        "mgp": "200054781",
        "saint_denis": "97411",
        "saint_paul": "97415",
        "lyon": "69123",
        "villeurbanne": "69266",
        "villefranche_commune": "69264",
        "macon_commune": "71270",
        "saint_laurent": "01370",
        "jassans": "01194",
        "paris": "75056",
    },
)
