"""The committee page shows the sections that the apps above committees register into it
(``committees.sections``): committees never imports them."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from committees import sections
from tests.factories.committees import CommitteeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cde(territory):
    return CommitteeFactory(cde=True, region=territory.ara, departements=[territory.d69])


@pytest.fixture
def extra_section():
    """A section registered for one test only."""
    sections.register_section(
        key="zz-test",
        order=99,
        template="committees/includes/_status_badge.html",
        context=lambda request, committee: {"committee": committee},
    )
    yield
    sections._sections.pop("zz-test")


def test_meetings_then_funders_then_iae_register_their_sections():
    assert [s.key for s in sections.committee_sections()] == ["meetings", "funders", "iae"]


def test_the_committee_page_shows_the_registered_sections_in_order(client, cde, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("committees:detail", args=[cde.pk])).content.decode()
    assert html.index('id="committee-meetings-title"') < html.index(
        'id="conference-financeurs-titre"'
    )


def test_each_section_renders_its_template_with_its_own_context(cde, admin_user, extra_section):
    request = RequestFactory().get("/")
    request.user = admin_user
    html = Template("{% load committee_tags %}{% committee_sections committee %}").render(
        Context({"request": request, "committee": cde})
    )
    rendered = html.split('<div class="fr-mt-4w">')[1:]
    assert len(rendered) == 4
    assert 'id="committee-meetings-title"' in rendered[0]
    assert 'id="conference-financeurs-titre"' in rendered[1]
    assert 'id="avis-commission-iae-titre"' in rendered[2]  # DEC-IAE, a CDE
    assert "fr-badge--info" in rendered[3] and "En préparation" in rendered[3]
