"""DEC-CLE-PERIMETER / INS-CLE-PERIMETER / INS-CDE-RHONE: the perimeters of the local committees.

Periodic reviews, bassins d'emploi, Paris, Lyon and Marseille split by arrondissement
municipal, CLEs across a regional boundary, and the CDE a CLE reports to (the Métropole de
Lyon's for its CLEs). Each rule: a success and a refusal, the refusal changing nothing.
"""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from committees.models import (
    Committee,
    PerimeterReview,
    SpecialAuthority,
    WrittenOpinion,
)
from committees.permissions import can_change_parent, can_manage_committee
from committees.selectors import committee_warnings
from committees.services.committees import (
    add_written_opinion,
    install_committee,
    installation_problems,
    set_perimeter,
)
from committees.services.perimeter import (
    allowed_parents,
    change_parent_committee,
    define_employment_area,
    record_perimeter_review,
)
from cte_portal.core.errors import RuleError
from territories.models import EmploymentArea
from tests.factories.committees import ARRETE, CommitteeFactory, compose, ddets_agent
from tests.factories.territories import OVERSEAS, build_territory

pytestmark = pytest.mark.django_db

INSTALLED = date(2024, 9, 1)


@pytest.fixture
def t(db):
    return build_territory(OVERSEAS)


def cle(t, name="CLE Beaujolais", region=None, departements=None, installed=None, **perimeter):
    return CommitteeFactory(
        cle=True,
        name=name,
        region=region or t.ara,
        departements=departements or [t.d69],
        perimeter=perimeter or {"communes": [t.villefranche_commune]},
        installed=installed,
    )


# --- Periodic review ---------------------------------------------------------------------------


def test_recording_a_review_moves_the_next_due_date(t):
    """DEC-CLE-PERIMETER / INS-CLE-PERIMETER: reviewed three years after installation, then
    three years after each recorded review."""
    committee = cle(t, installed=INSTALLED)
    assert committee.perimeter_review_due_on == date(2027, 9, 1)
    review = record_perimeter_review(
        committee=committee,
        reviewed_on=date(2025, 11, 20),
        outcome=PerimeterReview.Outcome.KEPT,
        notes="Périmètre confirmé après concertation avec les présidents des conseils.",
    )
    committee.refresh_from_db()
    assert review.committee == committee
    assert committee.perimeter_reviewed_on == date(2025, 11, 20)
    assert committee.perimeter_review_due_on == date(2028, 11, 20)
    assert not any(
        w.kind == "review" for w in committee_warnings(committee, today=date(2028, 1, 1))
    )


def test_an_earlier_review_recorded_late_does_not_move_the_date_back(t):
    """DEC-CLE-PERIMETER: the latest review sets the next due date."""
    committee = cle(t, installed=INSTALLED)
    record_perimeter_review(committee=committee, reviewed_on=date(2025, 6, 1), outcome="kept")
    record_perimeter_review(committee=committee, reviewed_on=date(2025, 1, 1), outcome="kept")
    committee.refresh_from_db()
    assert committee.perimeter_review_due_on == date(2028, 6, 1)
    assert committee.perimeter_reviews.count() == 2


@pytest.mark.parametrize(
    ("reviewed_on", "installed", "message"),
    [
        (date.today() + timedelta(days=1), INSTALLED, "dans le futur"),
        (date(2024, 8, 1), INSTALLED, "précède l'installation"),
        (date(2025, 1, 1), None, "pas encore installé"),
    ],
)
def test_a_review_is_refused_when_its_date_is_impossible(t, reviewed_on, installed, message):
    """DEC-CLE-PERIMETER: a review of an installed CLE, dated between its installation and
    today; nothing is recorded otherwise."""
    committee = cle(t, installed=installed)
    with pytest.raises(RuleError, match=message):
        record_perimeter_review(committee=committee, reviewed_on=reviewed_on, outcome="kept")
    committee.refresh_from_db()
    assert committee.perimeter_reviewed_on is None
    assert not PerimeterReview.objects.exists()


def test_only_a_cle_perimeter_is_reviewed(t):
    """DEC-CLE-PERIMETER: the departmental committee has no perimeter of its own to review."""
    cde = CommitteeFactory(cde=True, region=t.ara, departements=[t.d69], installed=True)
    with pytest.raises(RuleError, match="comité local"):
        record_perimeter_review(committee=cde, reviewed_on=date(2025, 1, 1), outcome="kept")
    assert not PerimeterReview.objects.exists()


# --- Bassins d'emploi ----------------------------------------------------------------------------


def test_a_bassin_d_emploi_is_a_named_set_of_communes_and_a_perimeter_piece(t):
    """DEC-CLE-PERIMETER: a perimeter may be a bassin d'emploi, defined as communes (here
    reaching over the Saône into the Ain)."""
    area = define_employment_area(
        name="Bassin de Mâcon",
        departement=t.d71,
        communes=[t.communes["71270"], t.communes["01370"]],
        insee_code="2704",
    )
    committee = cle(
        t,
        name="CLE Mâconnais",
        region=t.bfc,
        departements=[t.d71],
        employment_areas=[area],
    )
    assert set(committee.communes.values_list("code", flat=True)) == {"71270", "01370"}
    assert committee.population == 33456 + 1706
    assert "Bassins d'emploi : Bassin de Mâcon" in committee.perimeter_description


@pytest.mark.parametrize(
    ("name", "communes", "message"),
    [
        ("  ", ["71270"], "nom"),
        ("Bassin vide", [], "au moins une commune"),
        ("Bassin de Mâcon", ["71270"], "existe déjà"),
    ],
)
def test_a_bassin_d_emploi_needs_a_unique_name_and_communes(t, name, communes, message):
    """DEC-CLE-PERIMETER: a bassin has a name (unique in its département) and communes."""
    define_employment_area(name="Bassin de Mâcon", departement=t.d71, communes=["71270"])
    with pytest.raises(RuleError, match=message):
        define_employment_area(name=name, departement=t.d71, communes=communes)
    assert EmploymentArea.objects.count() == 1


def test_redefining_a_bassin_reapplies_the_perimeters_built_on_it(t):
    """DEC-CLE-PERIMETER: the CLEs built on a bassin follow its new communes."""
    area = define_employment_area(name="Bassin de Mâcon", departement=t.d71, communes=["71270"])
    committee = cle(
        t, name="CLE Mâconnais", region=t.bfc, departements=[t.d71], employment_areas=[area]
    )
    define_employment_area(
        name="Bassin de Mâcon", departement=t.d71, communes=["71270", "01370"], area=area
    )
    committee.refresh_from_db()
    assert committee.commune_count == 2


def test_redefining_a_bassin_is_refused_when_a_perimeter_would_overlap(t):
    """DEC-CLE-PERIMETER: a commune belongs to one installed CLE; the bassin stays as it was."""
    area = define_employment_area(name="Bassin de Mâcon", departement=t.d71, communes=["71270"])
    cle(
        t,
        name="CLE Mâconnais",
        region=t.bfc,
        departements=[t.d71],
        employment_areas=[area],
        installed=INSTALLED,
    )
    cle(t, name="CLE Val de Saône", communes=["01370"], installed=INSTALLED)
    with pytest.raises(RuleError, match="Saint-Laurent-sur-Saône"):
        define_employment_area(
            name="Bassin de Mâcon", departement=t.d71, communes=["71270", "01370"], area=area
        )
    assert list(area.communes.values_list("code", flat=True)) == ["71270"]


# --- Paris, Lyon, Marseille by arrondissement municipal --------------------------------------------


def test_paris_is_split_between_clEs_by_arrondissement(t):
    """DEC-CLE-PERIMETER: two CLEs share Paris, each with its own arrondissements."""
    arr = t.municipal_arrondissements
    north = cle(
        t,
        name="CLE Paris Nord-Est",
        region=t.idf,
        departements=[t.d75],
        municipal_arrondissements=[arr["75118"], arr["75119"]],
        installed=INSTALLED,
    )
    east = cle(
        t,
        name="CLE Paris Est",
        region=t.idf,
        departements=[t.d75],
        municipal_arrondissements=[arr["75120"]],
        installed=INSTALLED,
    )
    assert north.population == 188446 + 181616
    assert east.population == 185140
    assert list(north.communes.values_list("code", flat=True)) == ["75056"]
    assert set(north.municipal_arrondissements.values_list("code", flat=True)) == {"75118", "75119"}
    assert "Paris 18e Arrondissement (75118)" in north.perimeter_description


def test_an_arrondissement_already_in_an_installed_cle_is_refused(t):
    """DEC-CLE-PERIMETER: an arrondissement municipal, like a commune, is in one installed CLE
    at a time; Paris taken whole is refused too while part of it is in another CLE."""
    arr = t.municipal_arrondissements
    cle(
        t,
        name="CLE Paris Nord-Est",
        region=t.idf,
        departements=[t.d75],
        municipal_arrondissements=[arr["75118"], arr["75119"]],
        installed=INSTALLED,
    )
    east = cle(
        t,
        name="CLE Paris Est",
        region=t.idf,
        departements=[t.d75],
        municipal_arrondissements=[arr["75120"]],
        installed=INSTALLED,
    )
    with pytest.raises(RuleError, match="Paris"):
        set_perimeter(committee=east, municipal_arrondissements=[arr["75119"], arr["75120"]])
    with pytest.raises(RuleError, match="Paris"):
        set_perimeter(committee=east, communes=[t.paris])
    east.refresh_from_db()
    assert list(east.municipal_arrondissements.values_list("code", flat=True)) == ["75120"]


def test_a_city_taken_whole_ignores_its_arrondissements(t):
    """DEC-CLE-PERIMETER: Lyon taken whole covers all of it: no arrondissement is kept apart."""
    arr = t.municipal_arrondissements
    committee = cle(t, name="CLE Lyon", communes=[t.lyon], municipal_arrondissements=[arr["69381"]])
    assert not committee.municipal_arrondissements.exists()
    assert committee.population == 519127


# --- Across a regional boundary -------------------------------------------------------------------


def test_a_cle_may_cross_a_regional_boundary_with_the_written_opinions(t):
    """DEC-CLE-PERIMETER / INS-WRITTEN-OPINIONS: a CLE across the limits of its département
    — here of its region too — is lawful with the written opinions of the collectivités
    concerned, one per département."""
    ain = t.departements["01"]
    committee = cle(
        t,
        name="CLE Mâcon – Val de Saône",
        region=t.bfc,
        departements=[t.d71],
        communes=[t.macon_commune, t.saint_laurent],
    )
    assert set(committee.departements.values_list("code", flat=True)) == {"01", "71"}
    compose(committee)
    problems = installation_problems(committee)
    assert any("Ain (01)" in p for p in problems)
    with pytest.raises(RuleError):
        install_committee(committee=committee, installed_on=INSTALLED, arrete_reference=ARRETE)

    for departement, authority in ((t.d71, "Saône-et-Loire"), (ain, "Ain")):
        add_written_opinion(
            committee=committee,
            subject=WrittenOpinion.Subject.INTERDEPARTMENTAL_CLE,
            authority=f"Conseil départemental ({authority})",
            given_on=date(2024, 8, 1),
            document=SimpleUploadedFile("avis.pdf", b"%PDF-1.4 avis", "application/pdf"),
            departement=departement,
        )
    install_committee(committee=committee, installed_on=INSTALLED, arrete_reference=ARRETE)
    assert Committee.objects.get(pk=committee.pk).is_installed
    warnings = [w.message for w in committee_warnings(committee)]
    assert any("Auvergne-Rhône-Alpes" in w for w in warnings)


def test_the_agents_of_both_sides_run_a_cle_across_regions(t):
    """DEC-CLE-PERIMETER: the DDETS of the Ain (another region) runs it with that of the
    Saône-et-Loire; a DDETS of the Rhône does not."""
    ain_agent = ddets_agent(t.departements["01"])
    rhone_agent = ddets_agent(t.d69)
    committee = cle(
        t, region=t.bfc, departements=[t.d71], communes=[t.macon_commune, t.saint_laurent]
    )
    assert can_manage_committee(ain_agent, committee)
    assert not can_manage_committee(rhone_agent, committee)


# --- The CDE a CLE reports to (Métropole de Lyon) -------------------------------------------------


@pytest.fixture
def rhone(t):
    rhone_cde = CommitteeFactory(cde=True, name="CDE du Rhône", region=t.ara, departements=[t.d69])
    metropole_cde = CommitteeFactory(
        cde=True,
        name="CDE de la Métropole de Lyon",
        region=t.ara,
        departements=[t.d69],
        special_authority=SpecialAuthority.METROPOLE_LYON,
    )
    return rhone_cde, metropole_cde


def test_a_cle_of_the_metropole_de_lyon_reports_to_the_metropole(t, rhone):
    """INS-CDE-RHONE / DEC-SPECIAL-CDE: its CLEs report to the Métropole's CDE; the others of
    the Rhône to the Rhône's."""
    rhone_cde, metropole_cde = rhone
    lyon = cle(t, name="CLE Lyon – Villeurbanne", epcis=[t.metropole])
    beaujolais = cle(t, name="CLE Beaujolais")
    assert lyon.parent == metropole_cde
    assert beaujolais.parent == rhone_cde
    assert allowed_parents(lyon) == [metropole_cde]


def test_an_agent_moves_a_cle_to_the_metropole_cde(t):
    """INS-CDE-RHONE: a CLE created before the Métropole's CDE is moved under it."""
    rhone_cde = CommitteeFactory(cde=True, name="CDE du Rhône", region=t.ara, departements=[t.d69])
    lyon = cle(t, name="CLE Lyon – Villeurbanne", epcis=[t.metropole])
    assert lyon.parent == rhone_cde
    metropole_cde = CommitteeFactory(
        cde=True,
        name="CDE de la Métropole de Lyon",
        region=t.ara,
        departements=[t.d69],
        special_authority=SpecialAuthority.METROPOLE_LYON,
    )
    agent = ddets_agent(t.d69)
    assert can_change_parent(agent, lyon, metropole_cde)
    change_parent_committee(committee=lyon, parent=metropole_cde)
    lyon.refresh_from_db()
    assert lyon.parent == metropole_cde
    assert lyon.history.first().parent_id == metropole_cde.pk


def test_a_cle_outside_the_metropole_cannot_move_under_its_cde(t, rhone):
    """INS-CDE-RHONE / DEC-CLE-PERIMETER: only to a CDE whose territory holds the CLE's
    communes."""
    rhone_cde, metropole_cde = rhone
    beaujolais = cle(t, name="CLE Beaujolais")
    with pytest.raises(RuleError, match="ne couvre aucune commune"):
        change_parent_committee(committee=beaujolais, parent=metropole_cde)
    beaujolais.refresh_from_db()
    assert beaujolais.parent == rhone_cde


def test_moving_a_cle_takes_rights_on_both_committees(t, rhone):
    """DEC-CLE-PERIMETER: an agent who runs the CLE but not the target CDE may not move it."""
    rhone_cde, metropole_cde = rhone
    ain = t.departements["01"]
    across = cle(
        t, name="CLE Val de Saône", departements=[ain], communes=[t.jassans, t.villefranche_commune]
    )
    ain_cde = CommitteeFactory(cde=True, name="CDE de l'Ain", region=t.ara, departements=[ain])
    ain_agent = ddets_agent(ain)
    rhone_agent = ddets_agent(t.d69)
    assert {c.pk for c in allowed_parents(across)} == {rhone_cde.pk, ain_cde.pk}
    assert can_manage_committee(ain_agent, across)
    assert not can_change_parent(ain_agent, across, rhone_cde)
    assert can_change_parent(rhone_agent, across, ain_cde) is can_manage_committee(
        rhone_agent, ain_cde
    )
    assert not can_change_parent(rhone_agent, across, ain_cde)


def test_a_cle_is_created_over_departements_of_two_regions(t):
    """DEC-CLE-PERIMETER: created at once over the Saône-et-Loire and the Ain; a CLE whose
    départements all lie outside its region is refused."""
    ain = t.departements["01"]
    committee = CommitteeFactory(
        cle=True, name="CLE Mâcon – Val de Saône", region=t.bfc, departements=[t.d71, ain]
    )
    assert set(committee.departements.values_list("code", flat=True)) == {"01", "71"}
    with pytest.raises(RuleError, match="appartenir à la région"):
        CommitteeFactory(cle=True, name="CLE égarée", region=t.bfc, departements=[ain])
    assert not Committee.objects.filter(name="CLE égarée").exists()
