from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UsernameField,
)
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from cte_portal.users import throttling


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

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # django-axes refused the attempt (or this failure reached the limit): say why.
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(
                    throttling.lockout_message(self.request), code="locked_out"
                ) from None
            raise


class RevokeApiTokensMixin(forms.Form):
    """A new password may mean the old one leaked: the person's API tokens go with it, unless
    they untick the box."""

    revoke_api_tokens = forms.BooleanField(
        label="Révoquer mes jetons d'API",
        help_text=(
            "Recommandé : les logiciels qui utilisent vos jetons devront en recevoir de "
            "nouveaux (page « Mon profil »)."
        ),
        required=False,
        initial=True,
    )


class DsfrPasswordChangeForm(PasswordChangeForm, RevokeApiTokensMixin, DsfrBaseForm):
    pass


class DsfrPasswordResetForm(PasswordResetForm, DsfrBaseForm):
    pass


class DsfrSetPasswordForm(SetPasswordForm, RevokeApiTokensMixin, DsfrBaseForm):
    pass


class SecondFactorForm(DsfrBaseForm):
    otp_token = forms.CharField(
        label="Code à 6 chiffres",
        help_text="Affiché par votre application d'authentification (il change toutes les 30 s).",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
            }
        ),
        error_messages={
            "required": "Saisissez le code à 6 chiffres.",
            "min_length": "Le code compte 6 chiffres.",
            "max_length": "Le code compte 6 chiffres.",
        },
    )

    def clean_otp_token(self) -> str:
        token = self.cleaned_data["otp_token"].strip()
        if not token.isdigit():
            raise ValidationError("Le code ne contient que des chiffres.")
        return token


class ApiTokenForm(DsfrBaseForm):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour vous souvenir de son usage, par exemple « Tableur de la DDETS ».",
    )
