"""Forms of the personal-data screens (national admins only)."""

from django import forms
from dsfr.forms import DsfrBaseForm


class PersonSearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Nom ou adresse électronique",
        max_length=150,
        required=False,
        help_text="Au moins trois caractères.",
    )


class AnonymiseForm(DsfrBaseForm):
    confirm = forms.BooleanField(
        label=(
            "Je confirme l'anonymisation : le nom, l'adresse électronique et le téléphone de "
            "cette personne seront effacés partout, y compris dans l'historique, et son compte "
            "désactivé. Cette action est définitive."
        ),
        required=True,
        error_messages={"required": "Cochez la case pour confirmer l'anonymisation."},
    )
