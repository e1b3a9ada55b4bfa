"""Destructive actions on a roadmap ask for confirmation (issue 13): the button opens a page
that works without JavaScript, asking changes nothing, the page's button deletes; the same
gates as before (403 for a forbidden action, nothing deleted)."""

import pytest
from django.urls import reverse

from roadmaps.models import ActionSheet, Axis
from roadmaps.services import roadmaps as services
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
