"""The regional map's scenario: installed committees over the coverage territory
(``tests.factories.territories.COVERAGE``), created and installed through the services (the
factories), so that permissions follow.
"""

from dataclasses import dataclass
from datetime import date

from committees.models import (
    REQUIRED_CATEGORIES,
    Committee,
    FormerInstance,
    SpecialAuthority,
)
from committees.services.committees import install_committee
from territories.models import (
    Departement,
    Region,
)
from tests.factories.committees import CommitteeFactory, CoPresidencyFactory, MembershipFactory
from tests.factories.territories import COVERAGE, Territory, build_territory
from tests.factories.users import UserFactory

START = date(2024, 9, 1)
EDITION = COVERAGE.edition


# --- Committees ---------------------------------------------------------------------------------


def install(committee: Committee, *, state_office="Préfète", local=("Président", "Collectivité")):
    """Seat both co-presidents and one titular of each permanent category, then install."""
    CoPresidencyFactory(
        committee=committee,
        person=UserFactory(first_name="Préfète", last_name=f"Comité{committee.pk}"),
        office=state_office,
    )
    CoPresidencyFactory(
        committee=committee,
        local_authority=True,
        person=UserFactory(first_name="Élu", last_name=f"Comité{committee.pk}"),
        office=local[0],
        authority=local[1],
    )
    for category in REQUIRED_CATEGORIES[committee.level]:
        MembershipFactory(
            committee=committee, category=category, organisation=f"Organisme {category}"
        )
    return install_committee(
        committee=committee, installed_on=START, arrete_reference=f"Arrêté n° {committee.pk}"
    )


def cre(t: Territory, region: Region | None = None) -> Committee:
    region = region or t.ara
    return CommitteeFactory(cre=True, name=f"CRE {region.name}", region=region)


def cde(t: Territory, departements, *, name: str, special_authority: str = "") -> Committee:
    departements = list(departements)
    return CommitteeFactory(
        cde=True,
        name=name,
        region=departements[0].region,
        departements=departements,
        special_authority=special_authority,
    )


def cle(t: Territory, *, name: str, departement: Departement, **perimeter) -> Committee:
    return CommitteeFactory(
        cle=True,
        name=name,
        region=departement.region,
        departements=[departement],
        perimeter=perimeter,
    )


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
    t = build_territory(COVERAGE)
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
