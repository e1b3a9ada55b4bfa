"""Network bodies and the users who act for them: admins and the DDETS of the body's
département name them and link their users (who then upload the body's reports,
INS-REPORTING, and see its audit after the report, INS-AUDIT)."""

import pytest
from django.urls import reverse

from audits.models import BodyKind, NetworkBody
from audits.permissions import can_manage_body, visible_bodies
from audits.services import bodies as services
from cte_portal.core.errors import RuleError

pytestmark = pytest.mark.django_db


def test_a_delegated_body_names_its_delegating_authority(world):
    with pytest.raises(RuleError, match="son accord sera requis avant tout audit") as refusal:
        services.create_network_body(
            name="PLIE du Rhône", kind=BodyKind.DELEGATED, departement=world.ml.departement
        )
    assert refusal.value.field == "delegating_authority"
    body = services.create_network_body(
        name="PLIE du Rhône",
        kind=BodyKind.DELEGATED,
        departement=world.ml.departement,
        delegating_authority="Métropole de Lyon",
    )
    assert body.requires_agreement and body.is_auditable


def test_a_name_is_taken_once_per_departement(world):
    with pytest.raises(RuleError, match="déjà"):
        services.create_network_body(
            name="cap emploi rhône", kind=BodyKind.CAP_EMPLOI, departement=world.cap.departement
        )


def test_a_user_is_linked_once(world):
    with pytest.raises(RuleError, match="agit déjà"):
        services.add_body_user(body=world.ft, user=world.ft_user)
    services.remove_body_user(body=world.ft, user=world.ft_user)
    assert not world.ft.users.exists()


def test_who_sees_and_who_manages_the_bodies(world):
    rhone = {world.ft, world.ml, world.cap, world.cd, world.delegated}
    assert rhone <= set(visible_bodies(world.secretariat, NetworkBody.objects.all()))
    assert world.foreign_body not in visible_bodies(world.secretariat, NetworkBody.objects.all())
    assert set(visible_bodies(world.ft_user, NetworkBody.objects.all())) == {world.ft}
    assert not visible_bodies(world.outsider, NetworkBody.objects.all()).exists()
    assert rhone <= set(visible_bodies(world.dreets, NetworkBody.objects.all()))
    assert can_manage_body(world.secretariat, world.ft)
    assert can_manage_body(world.admin, world.foreign_body)
    assert not can_manage_body(world.dreets, world.ft)
    assert not can_manage_body(world.ddets_ain, world.ft)
    assert not can_manage_body(world.ft_user, world.ft)


def test_the_screens_follow_the_same_rules(world, client):
    url = reverse("audits:body", args=[world.ml.pk])
    client.force_login(world.dreets)  # sees the body, does not link users
    page = client.get(url)
    assert page.status_code == 200 and page.context["users"] == []
    assert client.post(url, {"email": world.outsider.email}).status_code == 403
    assert client.get(reverse("audits:body_create")).status_code == 403
    client.force_login(world.ddets_ain)
    assert client.get(url).status_code == 404
    remove = reverse("audits:body_user_remove", args=[world.ml.pk, world.ml_user.pk])
    assert client.post(remove).status_code == 404
    assert world.ml.users.count() == 1
    client.force_login(world.secretariat)
    response = client.post(url, {"email": "inconnu@example.fr"})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.post(url, {"email": world.outsider.email.upper()}).status_code == 302
    assert set(world.ml.users.all()) == {world.ml_user, world.outsider}
    assert client.post(remove).status_code == 302
    assert list(world.ml.users.all()) == [world.outsider]
    response = client.post(
        reverse("audits:body_create"),
        {"name": "Mission locale de Tarare", "kind": "mission_locale"},
    )
    assert response.status_code == 200  # a DDETS agent names bodies of their département
    response = client.post(
        reverse("audits:body_create"),
        {
            "name": "Mission locale de Tarare",
            "kind": "mission_locale",
            "departement": world.ml.departement_id,
        },
    )
    body = NetworkBody.objects.get(name="Mission locale de Tarare")
    assert response.status_code == 302 and body.departement == world.ml.departement
    page = client.get(reverse("audits:body_create"))
    assert list(page.context["form"].fields["departement"].queryset) == [world.ml.departement]
