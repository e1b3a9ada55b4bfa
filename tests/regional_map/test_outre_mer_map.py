"""The regional map with a DROM's single committee (DEC-OUTRE-MER) and a CLE across a
regional boundary (DEC-CLE-PERIMETER)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from committees.models import WrittenOpinion
from committees.models.rules import REQUIRED_CATEGORIES, Level
from committees.services.committees import add_written_opinion, install_committee
from regional_map.selectors import build_national_rollup, build_regional_map
from tests.factories.committees import (
    ARRETE,
    CommitteeFactory,
    CoPresidencyFactory,
    MembershipFactory,
    compose,
)
from tests.factories.territories import OVERSEAS, build_territory

pytestmark = pytest.mark.django_db

START = date(2025, 1, 20)


@pytest.fixture
def t(db):
    return build_territory(OVERSEAS)


def test_the_single_committee_stands_for_the_region_on_the_map(t):
    """DEC-OUTRE-MER: La Réunion's single committee, installed, is its regional committee."""
    single = CommitteeFactory(
        level=Level.DEPARTMENTAL,
        outre_mer_single=True,
        name="Comité pour l'emploi de La Réunion",
        region=t.reunion,
        departements=[t.d974],
    )
    CoPresidencyFactory(committee=single, office="Préfet de La Réunion")
    for authority in ("Conseil régional de La Réunion", "Conseil départemental de La Réunion"):
        CoPresidencyFactory(committee=single, local_authority=True, authority=authority)
    for category in REQUIRED_CATEGORIES[Level.REGIONAL]:
        MembershipFactory(committee=single, category=category)
    before = build_regional_map(region=t.reunion, today=START)
    assert before.totals.cre_installed == 0
    install_committee(committee=single, installed_on=START, arrete_reference=ARRETE)
    regional_map = build_regional_map(region=t.reunion, today=START)
    assert regional_map.totals.cre_installed == 1
    [entry] = regional_map.cdes
    assert entry.authority_label == "Comité unique régional et départemental (outre-mer)"
    assert len(entry.local_copresidents) == 2
    # The national roll-up counts it as the region's committee too.
    [reunion] = [r for r in build_national_rollup().regions if r.code == t.reunion.code]
    assert reunion.cre_installed == 1 and reunion.cde_count == 1


def test_a_cle_across_the_regional_boundary_covers_the_other_region_s_communes(t):
    """DEC-CLE-PERIMETER: the Ain commune of a Saône-et-Loire CLE is covered on the
    Auvergne-Rhône-Alpes map too; before installation it is not."""
    ain = t.departements["01"]
    cle = CommitteeFactory(
        cle=True,
        name="CLE Mâcon – Val de Saône",
        region=t.bfc,
        departements=[t.d71],
        perimeter={"communes": [t.macon_commune, t.saint_laurent]},
    )
    compose(cle)
    ara_before = build_regional_map(region=t.ara, departement=ain, today=START)
    assert ara_before.totals.covered_communes == 0
    for departement in (t.d71, ain):
        add_written_opinion(
            committee=cle,
            subject=WrittenOpinion.Subject.INTERDEPARTMENTAL_CLE,
            authority=f"Conseil départemental ({departement.name})",
            given_on=date(2024, 12, 1),
            document=SimpleUploadedFile("avis.pdf", b"%PDF-1.4 avis", "application/pdf"),
            departement=departement,
        )
    install_committee(committee=cle, installed_on=START, arrete_reference=ARRETE)
    ara = build_regional_map(region=t.ara, departement=ain, today=START)
    assert ara.totals.covered_communes == 1
    assert ara.totals.covered_population == 1706
