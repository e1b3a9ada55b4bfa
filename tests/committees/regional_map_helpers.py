"""A small hand-made territory and installed committees for the regional map tests.

Auvergne-Rhône-Alpes with the Rhône (two arrondissements, three EPCI, seven communes) and the
Ain (three EPCI, one commune outside any EPCI); Grand Est's 67 and 68 for the Collectivité
européenne d'Alsace; Bretagne for a foreign region; La Réunion for an Outre-mer inset.
Committees are created and installed through the services, so that permissions follow.
"""

from dataclasses import dataclass
from datetime import date

from committees.models import (
    REQUIRED_CATEGORIES,
    Committee,
    CoPresidency,
    FormerInstance,
    Level,
    SpecialAuthority,
    StaffAssignment,
)
from committees.services.committees import create_committee, install_committee, set_perimeter
from committees.services.composition import add_copresident, add_member
from committees.services.staff import start_staff_assignment
from territories.models import (
    Arrondissement,
    Commune,
    Departement,
    Epci,
    Region,
    TerritorialEdition,
)
from tests.factories.users import UserFactory

START = date(2024, 9, 1)
EDITION = "COG 2026 (test)"


@dataclass
class Territory:
    ara: Region
    grand_est: Region
    bretagne: Region
    reunion: Region
    d01: Departement
    d69: Departement
    d67: Departement
    d68: Departement
    d29: Departement
    d974: Departement
    arr_lyon: Arrondissement
    arr_villefranche: Arrondissement
    epci_lyon: Epci
    epci_villefranche: Epci
    epci_beaujolais: Epci
    epci_bourg: Epci
    epci_plaine: Epci
    epci_bugey: Epci


# Rhône: 7 communes, 731,159 inhabitants. Ain: 5 communes, 2 of them in CA Bassin de Bourg.
RHONE = (
    ("69123", "Lyon", 522250, "691", "lyon"),
    ("69266", "Villeurbanne", 156928, "691", "lyon"),
    ("69029", "Bron", 42250, "691", "lyon"),
    ("69264", "Villefranche-sur-Saône", 37081, "692", "villefranche"),
    ("69010", "Arnas", 4051, "692", "villefranche"),
    ("69024", "Anse", 7847, "692", "beaujolais"),
    ("69148", "Pommiers", 2752, "692", "beaujolais"),
)
AIN = (
    ("01053", "Bourg-en-Bresse", 41365, "bourg"),
    ("01344", "Péronnas", 6700, "bourg"),
    ("01004", "Ambérieu-en-Bugey", 14710, "plaine"),
    ("01034", "Belley", 9135, "bugey"),
    ("01203", "Île-Fictive", 120, None),
)


def make_territory() -> Territory:
    TerritorialEdition.objects.create(label=EDITION, source="tests", checksum="0" * 64)
    ara = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", zone="metro")
    grand_est = Region.objects.create(code="44", name="Grand Est", zone="metro")
    bretagne = Region.objects.create(code="53", name="Bretagne", zone="metro")
    reunion = Region.objects.create(code="04", name="La Réunion", zone="drom")

    def dep(code, name, region, zone="metro"):
        return Departement.objects.create(code=code, name=name, region=region, zone=zone)

    d01, d69 = dep("01", "Ain", ara), dep("69", "Rhône", ara)
    d67, d68 = dep("67", "Bas-Rhin", grand_est), dep("68", "Haut-Rhin", grand_est)
    d29 = dep("29", "Finistère", bretagne)
    d974 = dep("974", "La Réunion", reunion, zone="drom")
    arr_lyon = Arrondissement.objects.create(code="691", name="Lyon", departement=d69)
    arr_villefranche = Arrondissement.objects.create(
        code="692", name="Villefranche-sur-Saône", departement=d69
    )
    arr_bourg = Arrondissement.objects.create(code="012", name="Bourg-en-Bresse", departement=d01)
    epcis = {
        "lyon": Epci.objects.create(code="200046977", name="Métropole de Lyon", kind="MET69"),
        "villefranche": Epci.objects.create(
            code="200040590", name="CA Villefranche Beaujolais Saône", kind="CA"
        ),
        "beaujolais": Epci.objects.create(
            code="200040574", name="CC Beaujolais Pierres Dorées", kind="CC"
        ),
        "bourg": Epci.objects.create(
            code="200071751", name="CA du Bassin de Bourg-en-Bresse", kind="CA"
        ),
        "plaine": Epci.objects.create(code="240100750", name="CC de la Plaine de l'Ain", kind="CC"),
        "bugey": Epci.objects.create(code="200040350", name="CC Bugey Sud", kind="CC"),
    }
    arrondissements = {"691": arr_lyon, "692": arr_villefranche}
    for code, name, population, arrondissement, epci in RHONE:
        Commune.objects.create(
            code=code,
            name=name,
            population=population,
            departement=d69,
            region=ara,
            arrondissement=arrondissements[arrondissement],
            epci=epcis[epci],
        )
    for code, name, population, epci in AIN:
        Commune.objects.create(
            code=code,
            name=name,
            population=population,
            departement=d01,
            region=ara,
            arrondissement=arr_bourg,
            epci=epcis[epci] if epci else None,
        )
    for code, name, departement, region in (
        ("67482", "Strasbourg", d67, grand_est),
        ("68224", "Mulhouse", d68, grand_est),
        ("29019", "Brest", d29, bretagne),
        ("97411", "Saint-Denis", d974, reunion),
    ):
        Commune.objects.create(
            code=code, name=name, population=1000, departement=departement, region=region
        )
    return Territory(
        ara=ara,
        grand_est=grand_est,
        bretagne=bretagne,
        reunion=reunion,
        d01=d01,
        d69=d69,
        d67=d67,
        d68=d68,
        d29=d29,
        d974=d974,
        arr_lyon=arr_lyon,
        arr_villefranche=arr_villefranche,
        epci_lyon=epcis["lyon"],
        epci_villefranche=epcis["villefranche"],
        epci_beaujolais=epcis["beaujolais"],
        epci_bourg=epcis["bourg"],
        epci_plaine=epcis["plaine"],
        epci_bugey=epcis["bugey"],
    )


# --- People -------------------------------------------------------------------------------------


def dreets_agent(region: Region, **fields):
    user = UserFactory(organisation=f"DREETS {region.name}", **fields)
    start_staff_assignment(
        user=user, service=StaffAssignment.Service.DREETS, region=region, started_on=START
    )
    return user


def ddets_agent(departement: Departement, **fields):
    user = UserFactory(organisation=f"DDETS {departement.name}", **fields)
    start_staff_assignment(
        user=user,
        service=StaffAssignment.Service.DDETS,
        departement=departement,
        started_on=START,
    )
    return user


# --- Committees ---------------------------------------------------------------------------------


def install(committee: Committee, *, state_office="Préfète", local=("Président", "Collectivité")):
    """Seat both co-presidents and one titular of each permanent category, then install."""
    add_copresident(
        committee=committee,
        side=CoPresidency.Side.STATE,
        person=UserFactory(first_name="Préfète", last_name=f"Comité{committee.pk}"),
        office=state_office,
        started_on=START,
    )
    add_copresident(
        committee=committee,
        side=CoPresidency.Side.LOCAL_AUTHORITY,
        person=UserFactory(first_name="Élu", last_name=f"Comité{committee.pk}"),
        office=local[0],
        authority=local[1],
        started_on=START,
    )
    for category in REQUIRED_CATEGORIES[committee.level]:
        person = UserFactory()
        add_member(
            committee=committee,
            person=person,
            organisation=f"Organisme {category}",
            category=category,
            mandate_start=START,
        )
    return install_committee(
        committee=committee, installed_on=START, arrete_reference=f"Arrêté n° {committee.pk}"
    )


def cre(t: Territory, region: Region | None = None) -> Committee:
    region = region or t.ara
    return create_committee(
        level=Level.REGIONAL, name=f"CRE {region.name}", region=region, crefop_mode="within"
    )


def cde(t: Territory, departements, *, name: str, special_authority: str = "") -> Committee:
    departements = list(departements)
    return create_committee(
        level=Level.DEPARTMENTAL,
        name=name,
        region=departements[0].region,
        departements=departements,
        special_authority=special_authority,
    )


def cle(t: Territory, *, name: str, departement: Departement, **perimeter) -> Committee:
    committee = create_committee(
        level=Level.LOCAL, name=name, region=departement.region, departements=[departement]
    )
    return set_perimeter(committee=committee, **perimeter)


def former(committee: Committee, name: str, *, outcome: str, kind: str = "spel") -> None:
    # The former-instance service belongs to the committee screens (in progress elsewhere);
    # the row itself carries no permission, so the model is enough here.
    FormerInstance.objects.create(committee=committee, kind=kind, name=name, outcome=outcome)


@dataclass
class Scenario:
    t: Territory
    cre: Committee
    cde_rhone: Committee
    cde_lyon: Committee
    cde_ain: Committee
    cea: Committee
    cle_lyon: Committee
    cle_beaujolais: Committee
    cle_bourg: Committee
    cle_plaine_draft: Committee


def scenario() -> Scenario:
    """The Rhône fully covered by two installed CLEs; the Ain partly (one installed CLE, one
    draft that does not count); Rhône's two CDEs and Alsace's single CDE."""
    t = make_territory()
    regional = install(cre(t), state_office="Préfète de région", local=("Président", "Région"))
    former(regional, "SPER Auvergne-Rhône-Alpes", outcome="removed", kind="sper")
    cde_rhone = cde(t, [t.d69], name="CDE du Rhône")
    cde_lyon = cde(
        t,
        [t.d69],
        name="CDE de la Métropole de Lyon",
        special_authority=SpecialAuthority.METROPOLE_LYON,
    )
    cde_ain = cde(t, [t.d01], name="CDE de l'Ain")
    cea = cde(
        t,
        [t.d67, t.d68],
        name="CDE de la Collectivité européenne d'Alsace",
        special_authority=SpecialAuthority.CEA,
    )
    cle_lyon = install(
        cle(t, name="CLE de Lyon", departement=t.d69, arrondissements=[t.arr_lyon]),
        state_office="Préfète du Rhône",
        local=("Président de la Métropole", "Métropole de Lyon"),
    )
    former(cle_lyon, "SPEL de Lyon", outcome="removed")
    former(
        cle_lyon, "Comité local de l'insertion", outcome="integrated", kind="local_authority_body"
    )
    cle_beaujolais = install(
        cle(
            t,
            name="CLE du Beaujolais",
            departement=t.d69,
            epcis=[t.epci_villefranche, t.epci_beaujolais],
        ),
        local=("Présidente", "CA Villefranche Beaujolais Saône"),
    )
    former(cle_beaujolais, "SPEL de Villefranche", outcome="removed")
    cle_bourg = install(
        cle(t, name="CLE de Bourg-en-Bresse", departement=t.d01, epcis=[t.epci_bourg]),
        local=("Président", "CA du Bassin de Bourg-en-Bresse"),
    )
    cle_plaine_draft = cle(
        t, name="CLE de la Plaine de l'Ain", departement=t.d01, epcis=[t.epci_plaine]
    )
    former(cle_plaine_draft, "SPEL d'Ambérieu", outcome="removed")
    return Scenario(
        t=t,
        cre=regional,
        cde_rhone=cde_rhone,
        cde_lyon=cde_lyon,
        cde_ain=cde_ain,
        cea=cea,
        cle_lyon=cle_lyon,
        cle_beaujolais=cle_beaujolais,
        cle_bourg=cle_bourg,
        cle_plaine_draft=cle_plaine_draft,
    )
