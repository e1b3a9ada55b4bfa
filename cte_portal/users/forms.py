from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UsernameField,
)
from dsfr.forms import DsfrBaseForm


class LoginForm(AuthenticationForm, DsfrBaseForm):
    # Declared here: AuthenticationForm labels the field in __init__, after DsfrBaseForm has
    # already built (and cached) the bound fields, which left the default label "Username".
    username = UsernameField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Attention : le mot de passe "
            "distingue les majuscules des minuscules."
        ),
        "inactive": "Ce compte est désactivé.",
    }


class DsfrPasswordChangeForm(PasswordChangeForm, DsfrBaseForm):
    pass


class DsfrPasswordResetForm(PasswordResetForm, DsfrBaseForm):
    pass


class DsfrSetPasswordForm(SetPasswordForm, DsfrBaseForm):
    pass


class ApiTokenForm(DsfrBaseForm):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour vous souvenir de son usage, par exemple « Tableur de la DDETS ».",
    )
