"""Pages of the territorial reference, on a few real communes (``tests/territories/cog_sample.py``)."""

import re

import pytest
from django.urls import reverse

from territories import views as territory_views
from territories.models import Commune
from tests.territories.cog_sample import load_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def territories(db, tmp_path):
    return load_sample(tmp_path)


def _more_communes(count: int, *, arrondissement="691", epci="200046977"):
    """Extra communes in the Rhône, to show that a page's queries do not grow with rows."""
    Commune.objects.bulk_create(
        Commune(
            code=f"69{900 + i}",  # 69900…691049: none is a real code of the sample
            name=f"Commune d'essai {i}",
            departement_id="69",
            region_id="84",
            arrondissement_id=arrondissement,
            epci_id=epci,
            population=i,
        )
        for i in range(count)
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    "url",
    [
        "/territoires/",
        "/territoires/recherche/?q=Lyon",
        "/territoires/regions/84/",
        "/territoires/departements/69/",
        "/territoires/arrondissements/691/",
        "/territoires/epci/200046977/",
        "/territoires/ept/200057867/",
        "/territoires/communes/69123/",
    ],
)
def test_pages_require_login(client, territories, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_regions_page_lists_regions_with_a_search_bar(logged_client, territories):
    response = logged_client.get(reverse("territories:regions"))
    assert response.status_code == 200
    html = _text(response)
    assert '<a href="/territoires/regions/84/">Auvergne-Rhône-Alpes</a>' in html
    assert '<a href="/territoires/regions/94/">Corse</a>' in html
    assert "<caption>Régions (4)</caption>" in html
    assert 'action="/territoires/recherche/"' in html
    assert '<label class="fr-label" for="commune-search-input">' in html
    assert html.count("<h1") == 1


def test_region_page_lists_its_departements(logged_client, territories):
    response = logged_client.get(reverse("territories:region", args=["84"]))
    html = _text(response)
    assert '<a href="/territoires/departements/69/">Rhône</a>' in html
    assert '<a href="/territoires/departements/01/">Ain</a>' in html
    assert "Corse-du-Sud" not in html
    assert "<h1>Auvergne-Rhône-Alpes</h1>" in html


def test_departement_page_lists_arrondissements_and_epci_with_counts(logged_client, territories):
    response = logged_client.get(reverse("territories:departement", args=["69"]))
    assert response.status_code == 200
    html = _text(response)
    assert "<h1>Rhône (69)</h1>" in html
    # Lyon, Villeurbanne and Bron are in the arrondissement of Lyon, Villefranche in its own.
    assert re.search(
        r'href="/territoires/arrondissements/691/">Lyon</a> </th> <td>691</td> <td>3</td>', html
    )
    assert re.search(
        r'href="/territoires/arrondissements/692/">Villefranche-sur-Saône</a>.*?<td>1</td>', html
    )
    assert re.search(
        r'href="/territoires/epci/200046977/">Métropole de Lyon</a> </th> <td>Métropole de Lyon</td> <td>200046977</td> <td>3</td>',
        html,
    )
    assert "Communes : 4" in html
    assert 'href="/territoires/recherche/?q=69"' in html
    assert html.index("<h2>Arrondissements</h2>") < html.index("<h2>EPCI à fiscalité propre</h2>")


def test_corsican_and_overseas_departements(logged_client, territories):
    html = _text(logged_client.get(reverse("territories:departement", args=["2A"])))
    assert "<h1>Corse-du-Sud (2A)</h1>" in html
    assert 'href="/territoires/epci/242010056/">CA du Pays Ajaccien</a>' in html
    mayotte = _text(logged_client.get(reverse("territories:departement", args=["976"])))
    assert "<h1>Mayotte (976)</h1>" in mayotte
    assert "n'est pas découpé en arrondissements" in mayotte


def test_commune_lists_link_down_to_communes(logged_client, territories):
    for url in (
        reverse("territories:arrondissement", args=["691"]),
        reverse("territories:epci", args=["200046977"]),
    ):
        html = _text(logged_client.get(url))
        assert '<a href="/territoires/communes/69123/">Lyon</a>' in html
        assert '<a href="/territoires/communes/69266/">Villeurbanne</a>' in html
        assert "Villefranche" not in html.split("<caption>")[1]
    ept = _text(logged_client.get(reverse("territories:ept", args=["200057867"])))
    assert "<h1>Plaine Commune</h1>" in ept
    assert '<a href="/territoires/communes/93066/">Saint-Denis</a>' in ept


def test_commune_detail(logged_client, territories):
    response = logged_client.get(reverse("territories:commune", args=["69123"]))
    assert response.status_code == 200
    html = _text(response)
    assert "<h1>Lyon</h1>" in html
    assert "519 127 habitants" in html.replace("\u202f", " ").replace("\xa0", " ")
    assert '<a href="/territoires/departements/69/">Rhône (69)</a>' in html
    assert '<a href="/territoires/regions/84/">Auvergne-Rhône-Alpes</a>' in html
    assert '<a href="/territoires/arrondissements/691/">Lyon</a>' in html
    assert (
        '<a href="/territoires/epci/200046977/">Métropole de Lyon</a> (Métropole de Lyon)' in html
    )
    saint_denis = _text(logged_client.get(reverse("territories:commune", args=["93066"])))
    assert '<a href="/territoires/ept/200057867/">Plaine Commune</a>' in saint_denis


def test_unknown_codes_are_404(logged_client, territories):
    for name in ("region", "departement", "arrondissement", "epci", "ept", "commune"):
        assert logged_client.get(reverse(f"territories:{name}", args=["XX"])).status_code == 404


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("lyon", ["Lyon"], ["Villeurbanne"]),
        ("Ville", ["Villeurbanne", "Villefranche-sur-Saône"], ["Lyon"]),
        ("69123", ["Lyon"], ["Villeurbanne"]),
        ("2A004", ["Ajaccio"], ["Bastia"]),
        ("2a", ["Ajaccio"], ["Bastia"]),
        ("69", ["Lyon", "Villeurbanne", "Bron", "Villefranche-sur-Saône"], ["Ajaccio"]),
    ],
)
def test_search_by_name_or_insee_code(logged_client, territories, query, found, not_found):
    response = logged_client.get(reverse("territories:search"), {"q": query})
    assert response.status_code == 200
    html = _text(response)
    for name in found:
        assert f">{name}</a>" in html
    for name in not_found:
        assert f">{name}</a>" not in html
    assert f'value="{query}"' in html
    assert f"pour « {query} »" in html


def test_search_without_result_or_query(logged_client, territories):
    html = _text(logged_client.get(reverse("territories:search"), {"q": "Atlantide"}))
    assert "Aucune commune ne correspond à « Atlantide »." in html
    empty = _text(logged_client.get(reverse("territories:search")))
    assert "<h1>Rechercher une commune</h1>" in empty
    assert "<table>" not in empty


def test_commune_lists_and_search_are_paginated(logged_client, territories, monkeypatch):
    monkeypatch.setattr(territory_views, "COMMUNES_PER_PAGE", 2)
    url = reverse("territories:arrondissement", args=["691"])
    first = _text(logged_client.get(url))
    assert "page 1 sur 2" in first
    assert 'href="?page=2">Page suivante</a>' in first
    second = _text(logged_client.get(url, {"page": 2}))
    assert "page 2 sur 2" in second
    assert second.count('href="/territoires/communes/') == 1  # 3 communes, 2 a page

    search = _text(logged_client.get(reverse("territories:search"), {"q": "69", "page": 2}))
    assert "page 2 sur 2" in search
    assert 'href="?q=69&amp;page=1">Première page</a>' in search


# Query budgets: session + user + the main menu's one query (the sections the person may
# open, issue 13), then the page's own queries, whatever the number of rows.
MENU = 1


@pytest.mark.parametrize(
    ("url", "page_budget"),
    [
        ("/territoires/", 3),  # regions with their département counts
        ("/territoires/regions/84/", 4),  # region, its départements with totals
        ("/territoires/departements/69/", 6),  # département, arrondissements, EPCI, totals
        ("/territoires/arrondissements/691/", 6),  # territory, totals, page count, page
        ("/territoires/epci/200046977/", 6),
        ("/territoires/communes/69123/", 3),  # one query with every parent joined
        ("/territoires/recherche/?q=69", 4),  # count, page
    ],
)
def test_query_budgets_stay_flat(
    logged_client, territories, django_assert_max_num_queries, url, page_budget
):
    budget = page_budget + MENU
    with django_assert_max_num_queries(budget):
        assert logged_client.get(url).status_code == 200
    _more_communes(150)
    with django_assert_max_num_queries(budget):
        assert logged_client.get(url).status_code == 200
