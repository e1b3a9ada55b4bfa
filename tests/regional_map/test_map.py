"""The regional map of committees (INS-REGIONAL-MAP): figures, page, JSON API, access, budget.

A small hand-made territory (``tests/regional_map/scenario.py``): the Rhône fully covered by two
installed CLEs, the Ain partly covered, Rhône's two CDEs and Alsace's single CDE. The real
reference data is exercised once, in ``test_regional_map_real_data.py``.
"""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import Level, WrittenOpinion
from committees.services.committees import add_written_opinion, create_committee, set_perimeter
from committees.services.staff import end_staff_assignment
from regional_map.models import ExportJob
from regional_map.permissions import (
    can_export_departement,
    can_view_national_map,
    can_view_regional_map,
)
from regional_map.selectors import (
    NO_EPCI,
    build_national_rollup,
    build_regional_map,
    perimeter_rows,
)
from territories.models import Commune
from tests.factories.committees import ddets_agent, dreets_agent
from tests.factories.territories import CommuneFactory
from tests.regional_map.scenario import EDITION, START, install, scenario

RHONE_POPULATION = 773_159
AIN_POPULATION = 72_030
AIN_COVERED = 41_365 + 6_700


@pytest.fixture
def s(db):
    return scenario()


def _entry(regional_map, code):
    return next(e for e in regional_map.departements if e.code == code)


# --- Coverage (INS-REGIONAL-MAP, INS-CLE-PERIMETER) -----------------------------------------------


def test_departement_fully_covered_has_no_uncovered_commune(s):
    regional_map = build_regional_map(region=s.t.ara)
    rhone = _entry(regional_map, "69")
    assert (rhone.commune_count, rhone.covered_communes, rhone.uncovered_communes) == (7, 7, 0)
    assert rhone.population == rhone.covered_population == RHONE_POPULATION
    assert rhone.population_share == 100.0
    assert rhone.uncovered_groups == []
    assert rhone.cle_installed == 2
    assert rhone.coverage_band == 5


def test_departement_partly_covered_lists_exactly_its_uncovered_communes_by_epci(s):
    """The draft CLE of the Plaine de l'Ain does not cover Ambérieu: only installed CLEs do."""
    ain = _entry(build_regional_map(region=s.t.ara), "01")
    assert (ain.commune_count, ain.covered_communes, ain.uncovered_communes) == (5, 2, 3)
    assert ain.covered_population == AIN_COVERED
    assert ain.uncovered_population == AIN_POPULATION - AIN_COVERED
    assert ain.population_share == round(100 * AIN_COVERED / AIN_POPULATION, 1) == 66.7
    assert [
        (g.name, [(c.code, c.name, c.population) for c in g.communes]) for g in ain.uncovered_groups
    ] == [
        ("CC Bugey Sud", [("01034", "Belley", 9135)]),
        ("CC de la Plaine de l'Ain", [("01004", "Ambérieu-en-Bugey", 14710)]),
        (NO_EPCI, [("01203", "Île-Fictive", 120)]),
    ]
    assert (ain.cle_installed, ain.cle_draft) == (1, 1)


def test_region_totals_add_up_the_departements(s):
    regional_map = build_regional_map(region=s.t.ara)
    totals = regional_map.totals
    assert totals.commune_count == 12
    assert totals.population == RHONE_POPULATION + AIN_POPULATION
    assert totals.covered_population == RHONE_POPULATION + AIN_COVERED
    assert totals.uncovered_communes == 3
    assert totals.population_share == 97.2
    assert (totals.cre_installed, totals.cde_count, totals.cle_installed, totals.cle_draft) == (
        1,
        3,
        3,
        1,
    )
    assert regional_map.edition == EDITION


def test_rhone_has_two_cdes_and_alsace_a_single_one(s):
    """DEC-SPECIAL-CDE / INS-CDE-RHONE / INS-CDE-SINGLE."""
    ara = build_regional_map(region=s.t.ara)
    assert [c.name for c in _entry(ara, "69").cdes] == [
        "CDE de la Métropole de Lyon",
        "CDE du Rhône",
    ]
    assert {c.authority_label for c in _entry(ara, "69").cdes} == {
        "Métropole de Lyon",
        "Conseil départemental",
    }
    grand_est = build_regional_map(region=s.t.grand_est)
    assert len(grand_est.cdes) == 1
    cea = grand_est.cdes[0]
    assert cea.authority_label == "Collectivité européenne d'Alsace"
    assert cea.departement_codes == ["67", "68"]
    assert [c.pk for c in _entry(grand_est, "67").cdes] == [cea.pk]
    assert [c.pk for c in _entry(grand_est, "68").cdes] == [cea.pk]
    assert grand_est.totals.cde_count == 1


def test_each_cle_carries_its_copresidency_perimeter_and_review_date(s):
    regional_map = build_regional_map(region=s.t.ara, today=date(2027, 9, 2))
    lyon = next(c for c in regional_map.cles if c.name == "CLE de Lyon")
    assert [(p.name, p.office) for p in lyon.state_copresidents] == [
        (f"Préfète Comité{s.cle_lyon.pk}", "Préfète du Rhône")
    ]
    assert [(p.office, p.authority) for p in lyon.local_copresidents] == [
        ("Président de la Métropole", "Métropole de Lyon")
    ]
    assert lyon.arrondissements == ["Lyon (691)"]
    assert (lyon.commune_count, lyon.population) == (3, 522_250 + 156_928 + 42_250)
    assert lyon.installed_on == START
    # INS-CLE-PERIMETER: review three years after installation, due once that day has come.
    assert lyon.perimeter_review_due_on == date(2027, 9, 1)
    assert lyon.perimeter_review_is_due
    beaujolais = next(c for c in regional_map.cles if c.name == "CLE du Beaujolais")
    assert beaujolais.epcis == [
        "CA Villefranche Beaujolais Saône (200040590)",
        "CC Beaujolais Pierres Dorées (200040574)",
    ]
    assert regional_map.cre.crefop_mode_label == "Au sein du CREFOP"


def test_review_not_due_before_three_years(s):
    regional_map = build_regional_map(region=s.t.ara, today=date(2027, 8, 31))
    assert not any(c.perimeter_review_is_due for c in regional_map.cles)


def test_former_instances_are_counted_for_installed_committees_only(s):
    """INS-REPLACES: removed / integrated; the draft's instance is listed, not counted."""
    regional_map = build_regional_map(region=s.t.ara)
    assert (regional_map.totals.removed, regional_map.totals.integrated) == (3, 1)
    assert (_entry(regional_map, "69").removed, _entry(regional_map, "69").integrated) == (2, 1)
    assert (_entry(regional_map, "01").removed, _entry(regional_map, "01").integrated) == (0, 0)
    assert {f.name for f in regional_map.former_instances} == {
        "SPER Auvergne-Rhône-Alpes",
        "SPEL de Lyon",
        "Comité local de l'insertion",
        "SPEL de Villefranche",
        "SPEL d'Ambérieu",
    }


def test_interdepartmental_cle_is_listed_with_its_written_opinions(s, settings, tmp_path):
    """INS-WRITTEN-OPINIONS: a CLE across the Ain and the Rhône, with the opinion received."""
    settings.MEDIA_ROOT = tmp_path
    committee = create_committee(
        level=Level.LOCAL, name="CLE Val de Saône", region=s.t.ara, departements=[s.t.d01]
    )
    set_perimeter(committee=committee, communes=["01034", "69148"])
    add_written_opinion(
        committee=committee,
        subject=WrittenOpinion.Subject.INTERDEPARTMENTAL_CLE,
        authority="Conseil départemental de l'Ain",
        given_on=date(2024, 8, 1),
        document=SimpleUploadedFile("avis.pdf", b"%PDF-1.4"),
        departement=s.t.d01,
    )
    regional_map = build_regional_map(region=s.t.ara)
    [cle] = regional_map.interdepartmental_cles
    assert cle.name == "CLE Val de Saône"
    assert cle.departement_codes == ["01", "69"]
    assert [(o.authority, o.given_on, o.departement) for o in cle.written_opinions] == [
        ("Conseil départemental de l'Ain", date(2024, 8, 1), "Ain (01)")
    ]
    # A draft counts as "en préparation" in both its départements, once in the region.
    assert _entry(regional_map, "01").cle_draft == 2
    assert _entry(regional_map, "69").cle_draft == 1
    assert regional_map.totals.cle_draft == 2


def test_perimeter_rows_list_every_commune_of_every_cle_with_insee_codes(s):
    rows = list(perimeter_rows(build_regional_map(region=s.t.ara)))
    assert len(rows) == 3 + 4 + 2 + 1
    assert {r.code for r in rows if r.committee_name == "CLE de Lyon"} == {
        "69123",
        "69266",
        "69029",
    }


def test_departement_part_holds_that_departement_only(s):
    """A DDETS agent's part: its CDE and CLEs, its coverage; the CRE of the region."""
    part = build_regional_map(region=s.t.ara, departement=s.t.d01)
    assert [d.code for d in part.departements] == ["01"]
    assert {c.name for c in part.cles} == {"CLE de Bourg-en-Bresse", "CLE de la Plaine de l'Ain"}
    assert [c.name for c in part.cdes] == ["CDE de l'Ain"]
    assert part.cre is not None
    assert part.totals.commune_count == 5
    assert part.totals.removed == 0  # the SPER replaced by the CRE is the region's count
    assert {r.committee_name for r in perimeter_rows(part)} == {
        "CLE de Bourg-en-Bresse",
        "CLE de la Plaine de l'Ain",
    }


def test_national_rollup_puts_every_region_side_by_side_outre_mer_included(s):
    rollup = build_national_rollup()
    regions = {r.code: r for r in rollup.regions}
    assert set(regions) == {"84", "44", "53", "04"}
    ara = build_regional_map(region=s.t.ara).totals
    for name in ("commune_count", "population", "covered_communes", "covered_population"):
        assert getattr(regions["84"], name) == getattr(ara, name)
    for name in (
        "cre_installed",
        "cde_count",
        "cle_installed",
        "cle_draft",
        "removed",
        "integrated",
    ):
        assert getattr(regions["84"], name) == getattr(ara, name), name
    assert regions["04"].commune_count == 1
    assert regions["04"].population_share == 0.0
    assert regions["44"].cde_count == 1
    assert rollup.totals.commune_count == Commune.objects.count()
    rhone = next(d for d in rollup.departements if d.code == "69")
    assert (rhone.cle_installed, rhone.cde_count, rhone.removed, rhone.integrated) == (2, 2, 2, 1)


# --- Predicates -------------------------------------------------------------------------------------


def test_predicates_in_both_directions(s, admin_user, user):
    dreets = dreets_agent(s.t.ara)
    ddets = ddets_agent(s.t.d01)
    assert can_view_regional_map(dreets, s.t.ara)
    assert not can_view_regional_map(dreets, s.t.grand_est)
    assert not can_view_regional_map(ddets, s.t.ara)
    assert not can_view_regional_map(user, s.t.ara)
    assert can_view_regional_map(admin_user, s.t.grand_est)
    assert can_export_departement(ddets, s.t.d01)
    assert not can_export_departement(ddets, s.t.d69)
    assert can_export_departement(dreets, s.t.d69)
    assert not can_export_departement(dreets, s.t.d67)
    assert not can_export_departement(user, s.t.d01)
    assert can_view_national_map(admin_user)
    assert not can_view_national_map(dreets)


def test_an_ended_assignment_no_longer_opens_the_map(s):
    dreets = dreets_agent(s.t.ara)
    end_staff_assignment(assignment=dreets.staff_assignments.get(), ended_on=date(2025, 1, 1))
    assert not can_view_regional_map(dreets, s.t.ara)


# --- Pages --------------------------------------------------------------------------------------------


def _region_url(t, region=None):
    return reverse("regional_map:region", args=[(region or t.ara).code])


def _part_url(t, departement):
    return reverse("regional_map:departement", args=[departement.region_id, departement.code])


def test_dreets_agent_sees_the_map_of_their_region(client, s):
    client.force_login(dreets_agent(s.t.ara))
    response = client.get(_region_url(s.t))
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "CRE Auvergne-Rhône-Alpes",
        "CDE du Rhône",
        "CDE de la Métropole de Lyon",
        "CLE de Lyon",
        "CLE du Beaujolais",
        "Préfète du Rhône",
        "Métropole de Lyon",
        "SPEL de Lyon",
        EDITION,
    ):
        assert name in html
    # The map: an SVG with a title and a description, a shape for each metropolitan département.
    assert 'role="img"' in html and '<desc id="region-map-desc">' in html
    assert html.count("<path d=") == 2
    # The exact list of uncovered communes of the Ain, none for the Rhône.
    assert re.findall(r'data-commune="(\d+)"', html) == ["01034", "01004", "01203"]
    assert 'data-uncovered="69"' not in html
    assert 'data-total="uncovered_communes">3<' in html
    assert response.context["map"].totals.cle_installed == 3


def test_outre_mer_departement_is_a_labelled_inset(client, s, admin_user):
    client.force_login(admin_user)
    html = client.get(_region_url(s.t, s.t.reunion)).content.decode()
    assert "<path d=" not in html
    assert "<rect" in html and ">La Réunion</text>" in html
    national = client.get(reverse("regional_map:national")).content.decode()
    assert ">La Réunion</text>" in national
    assert 'data-region="04"' in national


def test_ddets_agent_sees_their_departement_part_and_nothing_else(client, s):
    client.force_login(ddets_agent(s.t.d01))
    response = client.get(_part_url(s.t, s.t.d01))
    assert response.status_code == 200
    html = response.content.decode()
    assert "CLE de Bourg-en-Bresse" in html
    for hidden in (
        "CLE de Lyon",
        "CLE du Beaujolais",
        "CDE du Rhône",
        "Villeurbanne",
        "SPEL de Lyon",
    ):
        assert hidden not in html
    assert client.get(_region_url(s.t)).status_code == 403
    assert client.get(_part_url(s.t, s.t.d69)).status_code == 404
    assert client.get(_region_url(s.t, s.t.grand_est)).status_code == 404
    assert client.get(reverse("regional_map:national")).status_code == 403


@pytest.mark.parametrize(
    "who, region, expected",
    [
        ("dreets", "84", 200),
        ("dreets", "44", 404),
        ("ddets", "84", 403),
        ("outsider", "84", 404),
        ("admin", "44", 200),
        ("dreets", "99", 404),
    ],
)
def test_region_page_access(client, s, admin_user, user, who, region, expected):
    people = {
        "dreets": lambda: dreets_agent(s.t.ara),
        "ddets": lambda: ddets_agent(s.t.d01),
        "outsider": lambda: user,
        "admin": lambda: admin_user,
    }
    client.force_login(people[who]())
    url = reverse("regional_map:region", args=[region])
    response = client.get(url)
    assert response.status_code == expected
    if expected != 200:
        assert b"CLE de Lyon" not in response.content


def test_national_page_is_for_admins(client, s, admin_user):
    client.force_login(dreets_agent(s.t.ara))
    assert client.get(reverse("regional_map:national")).status_code == 403
    client.force_login(admin_user)
    response = client.get(reverse("regional_map:national"))
    assert response.status_code == 200
    assert response.context["rollup"].totals.cle_installed == 3


def test_anonymous_is_sent_to_login(client, s):
    response = client.get(_region_url(s.t))
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


def test_index_lists_what_each_user_may_open(client, s, admin_user, user):
    client.force_login(dreets_agent(s.t.ara))
    html = client.get(reverse("regional_map:index")).content.decode()
    assert _region_url(s.t) in html and "Grand Est" not in html
    client.force_login(ddets_agent(s.t.d01))
    html = client.get(reverse("regional_map:index")).content.decode()
    assert _part_url(s.t, s.t.d01) in html and f'href="{_region_url(s.t)}"' not in html
    client.force_login(user)
    assert "Aucune affectation" in client.get(reverse("regional_map:index")).content.decode()
    client.force_login(admin_user)
    assert (
        reverse("regional_map:national")
        in client.get(reverse("regional_map:index")).content.decode()
    )


def test_export_requests_are_refused_outside_the_scope_and_nothing_is_created(client, s):
    client.force_login(ddets_agent(s.t.d01))
    assert (
        client.post(
            reverse("regional_map:region_export", args=["84"]), {"format": "xlsx"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("regional_map:departement_export", args=["84", "69"]), {"format": "xlsx"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("regional_map:national_export"), {"format": "xlsx"}).status_code == 403
    )
    assert not ExportJob.objects.exists()


# --- Query budget ---------------------------------------------------------------------------------------


def test_map_pages_query_budget_is_flat_with_ten_times_more_cles(
    client, s, admin_user, django_assert_max_num_queries
):
    """The region's map, a département's part and the national roll-up: the same number of
    queries with 3 and with 30 more installed CLEs."""
    dreets = dreets_agent(s.t.ara)
    pages = [
        (dreets, _region_url(s.t)),
        (dreets, _part_url(s.t, s.t.d01)),
        (admin_user, reverse("regional_map:national")),
    ]

    def counts() -> list[int]:
        result = []
        for who, url in pages:
            client.force_login(who)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries.captured_queries))
        return result

    _more_cles_batch(s, start=0, count=3)
    small = counts()
    # Ten times as many CLEs (each with co-presidents, members and a perimeter).
    _more_cles_batch(s, start=3, count=27)
    for (who, url), budget in zip(pages, small, strict=True):
        client.force_login(who)
        with django_assert_max_num_queries(budget):
            response = client.get(url)
    assert response.context["rollup"].totals.cle_installed == 3 + 30


def _more_cles_batch(s, *, start: int, count: int) -> None:
    """More installed CLEs in the Ain, one new commune each, with co-presidents and members."""
    for index in range(start, start + count):
        commune = CommuneFactory(
            code=f"01{900 + index:03d}",
            name=f"Commune {index}",
            population=100 + index,
            departement=s.t.d01,
            epci=s.t.epci_bugey,
        )
        committee = create_committee(
            level=Level.LOCAL, name=f"CLE n° {index}", region=s.t.ara, departements=[s.t.d01]
        )
        set_perimeter(committee=committee, communes=[commune])
        install(committee)


def test_api_query_budget_is_flat_with_ten_times_more_cles(
    client, s, django_assert_max_num_queries
):
    client.force_login(dreets_agent(s.t.ara))
    url = reverse("api-regional-map", args=["84"])
    _more_cles_batch(s, start=0, count=3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _more_cles_batch(s, start=3, count=27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(url).json()["cles"]) == 4 + 30


# --- JSON API ---------------------------------------------------------------------------------------------


def test_api_gives_the_map_as_json(client, s):
    client.force_login(dreets_agent(s.t.ara))
    response = client.get(reverse("api-regional-map", args=["84"]))
    assert response.status_code == 200
    data = response.json()
    assert data["region"] == {"code": "84", "name": "Auvergne-Rhône-Alpes"}
    assert data["departement"] is None
    assert data["territorial_edition"] == EDITION
    assert data["generated_at"]
    assert data["totals"]["uncovered_communes"] == 3
    assert data["totals"]["population_share"] == 97.2
    assert data["cre"]["crefop_mode"] == "Au sein du CREFOP"
    assert {c["name"] for c in data["cdes"]} == {
        "CDE du Rhône",
        "CDE de la Métropole de Lyon",
        "CDE de l'Ain",
    }
    lyon = next(c for c in data["cles"] if c["name"] == "CLE de Lyon")
    assert sorted(lyon["commune_codes"]) == ["69029", "69123", "69266"]
    assert {p["side"] for p in lyon["copresidents"]} == {"state", "local_authority"}
    assert [f["outcome"] for f in lyon["former_instances"]] == ["integrated", "removed"]
    ain = next(d for d in data["departements"] if d["code"] == "01")
    assert [c["code"] for g in ain["uncovered"] for c in g["communes"]] == [
        "01034",
        "01004",
        "01203",
    ]


def test_api_access_in_both_directions(client, s, user):
    url = reverse("api-regional-map", args=["84"])
    client.force_login(ddets_agent(s.t.d01))
    refused = client.get(url)
    assert refused.status_code == 403
    assert "CLE de Lyon" not in refused.content.decode()
    part = client.get(url, {"departement": "01"})
    assert part.status_code == 200
    assert {c["name"] for c in part.json()["cles"]} == {
        "CLE de Bourg-en-Bresse",
        "CLE de la Plaine de l'Ain",
    }
    assert client.get(url, {"departement": "69"}).status_code == 404
    assert client.get(reverse("api-regional-map", args=["44"])).status_code == 404
    client.force_login(user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (401, 403)


def test_api_schema_documents_the_map(client, s):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/regions/{code}/map/" in schema
