"""Withdrawing a former instance of a committee asks for confirmation (issue 13, INS-REPLACES):
the committee page links to a page that works without JavaScript, asking changes nothing, its
button withdraws; the secretariat's gate applies to both (403 / 404, nothing withdrawn)."""

from html import unescape

import pytest
from django.urls import reverse

from committees.models import FormerInstance
from committees.services.former_instances import add_former_instance
from tests.factories.committees import CommitteeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cde(territory):
    return CommitteeFactory(cde=True, region=territory.ara, departements=[territory.d69])


@pytest.fixture
def instance(cde):
    return add_former_instance(
        committee=cde,
        kind=FormerInstance.Kind.SPED,
        name="SPED du Rhône",
        outcome=FormerInstance.Outcome.REMOVED,
    )


def _address(instance) -> str:
    return reverse("committees:former_instance_remove", args=[instance.committee_id, instance.pk])


def test_withdrawing_a_former_instance_asks_first(client, cde, instance, ddets_rhone):
    client.force_login(ddets_rhone)
    address = _address(instance)
    page = client.get(cde.get_absolute_url()).content.decode()
    assert f'href="{address}"' in page and f'action="{address}"' not in page
    asked = client.get(address)
    html = unescape(asked.content.decode())
    assert asked.status_code == 200
    assert f"Retirer « SPED du Rhône » des instances antérieures de {cde.name} ?" in html
    assert "Supprimée (remplacée par le comité)" in html
    assert f'href="{cde.get_absolute_url()}#instances-anterieures"' in html  # cancel
    assert FormerInstance.objects.filter(pk=instance.pk).exists()
    response = client.post(address, {"confirmer": "oui"})
    assert response.status_code == 302
    assert response["Location"] == f"{cde.get_absolute_url()}#instances-anterieures"
    assert not FormerInstance.objects.filter(pk=instance.pk).exists()


@pytest.mark.parametrize(("persona", "status"), [("dreets_ara", 403), ("ddets_paris", 404)])
def test_withdrawing_is_refused_to_who_does_not_run_the_secretariat(
    client, request, instance, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    address = _address(instance)
    assert client.get(address).status_code == status
    assert client.post(address, {"confirmer": "oui"}).status_code == status
    assert FormerInstance.objects.filter(pk=instance.pk).exists()
