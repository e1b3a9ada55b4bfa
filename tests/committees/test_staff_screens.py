"""Staff assignments and accounts managed from the portal (issue 13): national admins
everywhere, DREETS agents in their region, nobody else; invitations by e-mail with a link to
choose a password (Django's password-reset token)."""

import re
from datetime import date
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse

from committees.models import StaffAssignment
from committees.permissions import can_manage_staff, can_manage_staff_in
from cte_portal.users.models import User
from cte_portal.users.services import invite_user, is_invitation_pending
from tests.clients import login
from tests.factories.committees import ddets_agent
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

NEW_AGENT = {
    "email": "Nouvel.Agent@ddets01.gouv.fr",
    "first_name": "Nora",
    "last_name": "Nouvelle",
    "organisation": "DDETS de l'Ain",
    "job_title": "Chargée de mission",
    "service": "ddets",
    "departement": "01",
    "started_on": "2026-01-05",
}


def _invitation_path(message) -> str:
    return urlparse(re.search(r"https?://\S+", message.body).group(0)).path


# --- Who may (refusals first) ------------------------------------------------------------------------


def test_a_ddets_agent_cannot_open_the_staff_and_account_screens(client, ddets_rhone):
    login(client, ddets_rhone)
    assert not can_manage_staff(ddets_rhone)
    for name in ("committees:staff", "committees:staff_add", "committees:accounts"):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(reverse("committees:staff_add"), NEW_AGENT)
    assert response.status_code == 403
    assert not User.objects.filter(email="nouvel.agent@ddets01.gouv.fr").exists()


def test_a_member_without_role_cannot_either(client, user):
    login(client, user)
    assert client.get(reverse("committees:staff")).status_code == 403
    assert client.get(reverse("committees:accounts")).status_code == 403


def test_a_dreets_agent_cannot_assign_outside_their_region(client, dreets_ara, territory):
    login(client, dreets_ara)
    assert can_manage_staff_in(dreets_ara, region_id=territory.ara.code)
    assert not can_manage_staff_in(dreets_ara, region_id=territory.d75.region_id)
    response = client.post(
        reverse("committees:staff_add"), {**NEW_AGENT, "departement": territory.d75.code}
    )
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors["departement"]
    assert not User.objects.filter(email="nouvel.agent@ddets01.gouv.fr").exists()
    assert not StaffAssignment.objects.filter(departement=territory.d75).exists()


def test_a_dreets_agent_cannot_end_an_assignment_outside_their_region(
    client, dreets_ara, ddets_paris
):
    assignment = StaffAssignment.objects.get(user=ddets_paris)
    login(client, dreets_ara)
    response = client.post(
        reverse("committees:staff_end", args=[assignment.pk]), {"ended_on": "2026-02-01"}
    )
    assert response.status_code == 404  # outside their scope: not disclosed
    assignment.refresh_from_db()
    assert assignment.ended_on is None


def test_a_dreets_agent_cannot_manage_accounts_outside_their_region(
    client, dreets_ara, ddets_paris, admin_user
):
    login(client, dreets_ara)
    page = client.get(reverse("committees:accounts"))
    assert ddets_paris.email not in page.content.decode()
    for account in (ddets_paris, admin_user):
        response = client.post(reverse("committees:account_deactivate", args=[account.pk]))
        assert response.status_code == 404
        account.refresh_from_db()
        assert account.is_active


def test_a_dreets_agent_cannot_deactivate_an_agent_also_posted_elsewhere(
    client, dreets_ara, territory
):
    agent = ddets_agent(territory.d69, email="double@ddets.gouv.fr")
    StaffAssignment.objects.create(
        user=agent, service="ddets", departement=territory.d75, started_on=date(2025, 1, 1)
    )
    login(client, dreets_ara)
    response = client.post(reverse("committees:account_deactivate", args=[agent.pk]))
    assert response.status_code == 403
    agent.refresh_from_db()
    assert agent.is_active


# --- What they do ----------------------------------------------------------------------------


def test_a_dreets_agent_assigns_and_invites_an_agent_in_their_region(
    client, dreets_ara, territory, django_capture_on_commit_callbacks
):
    login(client, dreets_ara)
    page = client.get(reverse("committees:staff_add"))
    offered = {d.code for d in page.context["form"].fields["departement"].queryset}
    assert offered == {"69", "01"}  # their region's départements only
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("committees:staff_add"), NEW_AGENT)
    assert response.status_code == 302
    agent = User.objects.get(email="nouvel.agent@ddets01.gouv.fr")
    assert is_invitation_pending(agent)
    assignment = StaffAssignment.objects.get(user=agent)
    assert assignment.departement_id == "01" and assignment.service == "ddets"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [agent.email]
    assert "/compte/invitation/" in mail.outbox[0].body

    # The invited agent chooses a password through the link, then signs in.
    client.logout()
    response = client.get(_invitation_path(mail.outbox[0]), follow=True)
    assert response.status_code == 200
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url,
        {
            "new_password1": "Un-mot-de-passe-solide-2026",
            "new_password2": "Un-mot-de-passe-solide-2026",
        },
    )
    assert response.status_code == 302 and response.url == reverse("login")
    agent.refresh_from_db()
    assert agent.check_password("Un-mot-de-passe-solide-2026")
    # The link is spent once used.
    response = client.get(_invitation_path(mail.outbox[0]), follow=True)
    assert response.context["validlink"] is False


def test_an_existing_account_is_assigned_without_a_new_invitation(
    client, admin_user, territory, django_capture_on_commit_callbacks
):
    person = UserFactory(email="deja@ddets75.gouv.fr")
    login(client, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("committees:staff_add"),
            {
                **NEW_AGENT,
                "email": person.email,
                "departement": "75",
                "first_name": "",
                "last_name": "",
            },
        )
    assert response.status_code == 302
    assert StaffAssignment.objects.get(user=person).departement_id == "75"
    assert mail.outbox == []


def test_an_assignment_needs_its_territory(client, admin_user, territory):
    login(client, admin_user)
    response = client.post(reverse("committees:staff_add"), {**NEW_AGENT, "departement": ""})
    assert response.status_code == 200
    assert "Choisissez le département" in str(response.context["form"].errors["departement"])
    assert not User.objects.filter(email="nouvel.agent@ddets01.gouv.fr").exists()


def test_ending_an_assignment_asks_for_confirmation_then_revokes_the_access(
    client, dreets_ara, ddets_rhone
):
    assignment = StaffAssignment.objects.get(user=ddets_rhone)
    login(client, dreets_ara)
    page = client.get(reverse("committees:staff_end", args=[assignment.pk]))
    assert page.status_code == 200  # the confirmation page
    assignment.refresh_from_db()
    assert assignment.ended_on is None
    response = client.post(
        reverse("committees:staff_end", args=[assignment.pk]), {"ended_on": date.today()}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_on == date.today()
    assert not can_manage_staff_in(ddets_rhone, region_id="84")


def test_an_admin_invites_resends_deactivates_and_reactivates(
    client, admin_user, django_capture_on_commit_callbacks
):
    login(client, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("committees:account_invite"),
            {"email": "elue@ville.fr", "first_name": "Élise", "last_name": "Élue"},
        )
    assert response.status_code == 302
    person = User.objects.get(email="elue@ville.fr")
    assert len(mail.outbox) == 1
    page = client.get(reverse("committees:accounts"), {"en_attente": "on"})
    assert [a.pk for a in page.context["page"]] == [person.pk]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("committees:account_resend", args=[person.pk]))
    assert len(mail.outbox) == 2

    assert client.get(reverse("committees:account_deactivate", args=[person.pk])).status_code == 200
    client.post(reverse("committees:account_deactivate", args=[person.pk]))
    person.refresh_from_db()
    assert not person.is_active
    client.post(reverse("committees:account_reactivate", args=[person.pk]))
    person.refresh_from_db()
    assert person.is_active


def test_inviting_an_existing_address_is_refused_clearly(client, admin_user, user):
    login(client, admin_user)
    response = client.post(
        reverse("committees:account_invite"),
        {"email": user.email.upper(), "first_name": "X", "last_name": "Y"},
    )
    assert response.status_code == 200
    assert "existe déjà" in str(response.context["form"].errors["email"])


def test_an_invitation_is_not_resent_to_an_active_account(client, admin_user, user):
    login(client, admin_user)
    response = client.post(reverse("committees:account_resend", args=[user.pk]), follow=True)
    assert "déjà activé son compte" in response.content.decode()
    assert mail.outbox == []


def test_nobody_deactivates_their_own_account(client, admin_user):
    login(client, admin_user)
    response = client.post(reverse("committees:account_deactivate", args=[admin_user.pk]))
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_invite_user_returns_an_existing_account_unchanged(django_capture_on_commit_callbacks):
    existing = UserFactory(email="deja@example.fr", first_name="Déjà")
    with django_capture_on_commit_callbacks(execute=True):
        person, created = invite_user(email="DEJA@example.fr", first_name="Autre", last_name="N")
    assert person == existing and not created and person.first_name == "Déjà"
    assert mail.outbox == []


def test_the_staff_and_account_lists_have_a_flat_query_budget(
    client, admin_user, territory, django_assert_max_num_queries
):
    login(client, admin_user)
    for index in range(3):
        ddets_agent(territory.d69, email=f"agent{index}@ddets69.gouv.fr")
    with django_assert_max_num_queries(15):
        client.get(reverse("committees:staff"))
    with django_assert_max_num_queries(15):
        client.get(reverse("committees:accounts"))
    for index in range(3, 30):
        ddets_agent(territory.d01, email=f"agent{index}@ddets01.gouv.fr")
    with django_assert_max_num_queries(15):
        assert client.get(reverse("committees:staff")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("committees:accounts")).status_code == 200
