"""Destructive actions on a roadmap ask for confirmation (issue 13): the button opens a page
that works without JavaScript, asking changes nothing, the page's button deletes; the same
gates as before (403 for a forbidden action, nothing deleted)."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from roadmaps.models import ActionSheet, ActorRole, Axis, IndicatorValue
from roadmaps.services import roadmaps as services
from roadmaps.services.indicators import record_value
from tests.roadmaps.world import first_sheet

pytestmark = pytest.mark.django_db


def test_deleting_an_action_sheet_asks_first(client, world, roadmap):
    sheet = first_sheet(roadmap)
    client.force_login(world.ddets69)
    page = client.get(sheet.get_absolute_url()).content.decode()
    address = reverse("roadmaps:sheet_delete", args=[sheet.pk])
    assert f'href="{address}"' in page  # a link to the confirmation, not a one-click delete
    asked = client.get(address)
    assert asked.status_code == 200 and f"« {sheet.title} »" in asked.content.decode()
    assert ActionSheet.objects.filter(pk=sheet.pk).exists()
    assert client.post(address, {"confirmer": "oui"}).status_code == 302
    assert not ActionSheet.objects.filter(pk=sheet.pk).exists()


def test_deleting_an_axis_asks_first(client, world, roadmap):
    axis = roadmap.axes.get()
    client.force_login(world.ddets69)
    address = reverse("roadmaps:axis_delete", args=[axis.pk])
    # An axis holding action sheets cannot be deleted: no button is offered for it.
    assert address not in client.get(roadmap.get_absolute_url()).content.decode()
    services.delete_action_sheet(sheet=first_sheet(roadmap))
    assert address in client.get(roadmap.get_absolute_url()).content.decode()
    assert client.get(address).status_code == 200
    assert Axis.objects.filter(pk=axis.pk).exists()
    client.post(address, {"confirmer": "oui"})
    assert not Axis.objects.filter(pk=axis.pk).exists()


def test_the_confirmation_is_refused_to_who_may_not_delete(client, world, roadmap):
    sheet = first_sheet(roadmap)
    client.force_login(world.member)
    response = client.get(reverse("roadmaps:sheet_delete", args=[sheet.pk]))
    assert response.status_code in (403, 404)
    assert ActionSheet.objects.filter(pk=sheet.pk).exists()


# --- Actors and indicator values ----------------------------------------------------------------


@pytest.fixture
def actor(roadmap):
    return services.add_actor(
        sheet=first_sheet(roadmap),
        organisation="Groupement d'employeurs du Beaujolais",
        commitment="Proposer 20 postes en contrat de professionnalisation.",
    )


@pytest.fixture
def value(world, indicators):
    return record_value(
        committee=world.cle,
        user=world.ddets69,
        period=date(2025, 3, 1),
        value=Decimal("42"),
        result_indicator=indicators["returns"],
    )


def test_removing_an_actor_asks_first(client, world, actor):
    sheet = actor.sheet
    client.force_login(world.ddets69)
    address = reverse("roadmaps:actor_remove", args=[actor.pk])
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert f'href="{address}"' in page and f'action="{address}"' not in page
    asked = client.get(address)
    html = unescape(asked.content.decode())
    assert asked.status_code == 200
    assert "« Groupement d'employeurs du Beaujolais »" in html and f"« {sheet.title} »" in html
    assert f'href="{sheet.get_absolute_url()}"' in html  # cancel
    assert ActorRole.objects.filter(pk=actor.pk).exists()
    response = client.post(address, {"confirmer": "oui"})
    assert response.status_code == 302 and response["Location"] == sheet.get_absolute_url()
    assert not ActorRole.objects.filter(pk=actor.pk).exists()


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("ddets21", 404)])
def test_removing_an_actor_is_refused_to_who_may_not_edit(client, world, actor, persona, status):
    client.force_login(getattr(world, persona))
    address = reverse("roadmaps:actor_remove", args=[actor.pk])
    assert client.get(address).status_code == status
    assert client.post(address, {"confirmer": "oui"}).status_code == status
    assert ActorRole.objects.filter(pk=actor.pk).exists()


def test_deleting_an_indicator_value_asks_first(client, world, value):
    client.force_login(world.ddets69)
    indicators_page = reverse("roadmaps:indicators", args=[world.cle.pk])
    address = reverse("roadmaps:value_delete", args=[value.pk])
    page = client.get(indicators_page).content.decode()
    assert f'href="{address}"' in page and f'action="{address}"' not in page
    asked = client.get(address)
    html = unescape(asked.content.decode())
    assert asked.status_code == 200
    assert "« Retours à l'emploi durable » du 01/03/2025" in html and "42,00" in html
    assert f'href="{indicators_page}"' in html  # cancel
    assert IndicatorValue.objects.filter(pk=value.pk).exists()
    response = client.post(address, {"confirmer": "oui"})
    assert response.status_code == 302 and response["Location"] == indicators_page
    assert not IndicatorValue.objects.filter(pk=value.pk).exists()


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("ddets21", 404)])
def test_deleting_a_value_is_refused_to_who_may_not_enter_values(
    client, world, value, persona, status
):
    client.force_login(getattr(world, persona))
    address = reverse("roadmaps:value_delete", args=[value.pk])
    assert client.get(address).status_code == status
    assert client.post(address, {"confirmer": "oui"}).status_code == status
    assert IndicatorValue.objects.filter(pk=value.pk).exists()
