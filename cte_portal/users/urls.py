from django.contrib.auth.decorators import login_not_required
from django.urls import path

from cte_portal.users import proconnect, views

urlpatterns = [
    path("connexion/", login_not_required(views.LoginView.as_view()), name="login"),
    path(
        "connexion/second-facteur/",
        login_not_required(views.second_factor_step),
        name="second_factor",
    ),
    path(
        "connexion/proconnect/",
        login_not_required(proconnect.ProConnectLoginView.as_view()),
        name="proconnect_login",
    ),
    path(
        "connexion/proconnect/retour/",
        login_not_required(proconnect.ProConnectCallbackView.as_view()),
        name="proconnect_callback",
    ),
    path("deconnexion/", proconnect.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("jetons/<int:pk>/revoquer/", views.revoke_token, name="revoke_token"),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe/oubli/",
        login_not_required(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        login_not_required(views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/reinitialiser/<uidb64>/<token>/",
        login_not_required(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        login_not_required(views.InvitationView.as_view()),
        name="account_invitation",
    ),
    path(
        "mot-de-passe/reinitialise/",
        login_not_required(views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
