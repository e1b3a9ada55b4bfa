"""Access: every page needs a signed-in user unless it is public; sign-in, passwords."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from cte_portal.users.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-nouveau-secret-2026"

LOGIN_REQUIRED = [
    reverse("profile"),
    reverse("password_change"),
    reverse("territories:regions"),
    reverse("territories:search"),
    reverse("territories:region", args=["84"]),
    reverse("territories:commune", args=["69123"]),
]

PUBLIC = [
    reverse("home"),
    reverse("footer-accessibility-status"),
    reverse("footer-legal-notice"),
    reverse("footer-personal-data"),
    reverse("footer-sitemap"),
    reverse("login"),
    reverse("password_reset"),
    reverse("password_reset_done"),
    reverse("password_reset_complete"),
]


@pytest.mark.parametrize("url", LOGIN_REQUIRED)
def test_pages_require_a_signed_in_user_by_default(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_a_post_also_requires_a_signed_in_user(client, user):
    token_url = reverse("revoke_token", args=[1])
    response = client.post(token_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_are_open_to_anonymous_visitors(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_an_unknown_page_answers_404_not_a_redirect(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


# --- Sign-in ----------------------------------------------------------------------------------


def test_sign_in_with_the_email_address_in_any_case(client, user, password):
    response = client.post(
        reverse("login"), {"username": "MEMBRE@Example.FR", "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("profile")).status_code == 200


def test_sign_in_returns_to_the_page_asked_for(client, user, password):
    profile = reverse("profile")
    response = client.post(
        f"{reverse('login')}?next={profile}",
        {"username": user.email, "password": password, "next": profile},
    )
    assert response.status_code == 302
    assert response["Location"] == profile


def test_sign_in_never_redirects_to_another_site(client, user, password):
    response = client.post(
        reverse("login"),
        {"username": user.email, "password": password, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_refused_with_a_french_message_announced_to_screen_readers(
    client, user
):
    response = client.post(reverse("login"), {"username": user.email, "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adresse électronique ou mot de passe incorrect." in html
    assert 'role="alert"' in html
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in(client, user, password):
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.post(reverse("login"), {"username": user.email, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_login_form_labels_its_fields_in_french(client):
    html = client.get(reverse("login")).content.decode()
    assert re.search(r'<label for="id_username" class="fr-label">\s*Adresse électronique', html)
    assert re.search(r'<label for="id_password" class="fr-label">\s*Mot de passe', html)
    assert "Mot de passe oublié ?" in html


def test_sign_out_ends_the_session(logged_client):
    response = logged_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_client.get(reverse("profile")).status_code == 302


# --- Password reset and change ----------------------------------------------------------------


def _reset_link(message) -> str:
    # The link is on SITE_URL (issue 13), not on the host the request came through.
    match = re.search(
        rf"{re.escape(settings.SITE_URL)}(/compte/mot-de-passe/reinitialiser/\S+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def test_password_reset_sends_an_email_whose_link_sets_a_new_password(client, user, password):
    response = client.post(reverse("password_reset"), {"email": "Membre@example.fr"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject.startswith("Réinitialisation de votre mot de passe")
    assert "Choisissez un nouveau mot de passe" in message.body

    link = _reset_link(message)
    response = client.get(link)  # Django swaps the token for a session key and redirects
    assert response.status_code == 302
    form_url = response["Location"]
    assert "Choisir un nouveau mot de passe" in client.get(form_url).content.decode()

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(password)
    # The link is good for one use only.
    client.logout()
    html = client.get(link, follow=True).content.decode()
    assert "Ce lien de réinitialisation n'est plus valable" in html


def test_password_reset_for_an_unknown_address_reveals_nothing_and_sends_nothing(client, user):
    response = client.post(reverse("password_reset"), {"email": "inconnu@example.fr"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_refuses_two_different_passwords_in_french(client, user):
    client.post(reverse("password_reset"), {"email": user.email})
    form_url = client.get(_reset_link(mail.outbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "autre"})
    assert response.status_code == 200
    assert "Les deux mots de passe ne correspondent pas." in response.content.decode()


def test_password_change_keeps_the_user_signed_in(logged_client, user, password):
    response = logged_client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    response = logged_client.get(reverse("profile"))
    assert response.status_code == 200
    assert "Votre mot de passe a été changé." in response.content.decode()


def test_password_change_needs_the_current_password(logged_client, user, password):
    response = logged_client.post(
        reverse("password_change"),
        {"old_password": "faux", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Votre ancien mot de passe est incorrect." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)
