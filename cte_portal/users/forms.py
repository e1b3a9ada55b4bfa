from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from dsfr.forms import DsfrBaseForm


class LoginForm(AuthenticationForm, DsfrBaseForm):
    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Les deux champs respectent "
            "la casse du mot de passe."
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
