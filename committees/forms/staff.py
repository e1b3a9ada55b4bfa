"""Forms of the staff and accounts screens: assigning DREETS/DDETS agents, inviting accounts.

The territories offered are those the person may manage (``committees.permissions``): every
one for an admin, their region and its départements for a DREETS agent.
"""

from datetime import date

from django import forms
from dsfr.forms import DsfrBaseForm

from committees.forms.composition import PersonForm, date_field, refresh_bound_fields
from committees.models import StaffAssignment
from territories.models import Departement, Region


class StaffAssignmentForm(PersonForm):
    email_label = "Adresse électronique de l'agent"

    organisation = forms.CharField(
        label="Service",
        max_length=255,
        required=False,
        help_text="Pour un nouveau compte, par exemple « DDETS du Rhône ».",
    )
    job_title = forms.CharField(label="Fonction", max_length=255, required=False)
    service = forms.ChoiceField(label="Service de l'État", choices=StaffAssignment.Service.choices)
    region = forms.ModelChoiceField(
        label="Région (agent de DREETS)",
        queryset=Region.objects.none(),
        required=False,
        empty_label="Choisir une région",
    )
    departement = forms.ModelChoiceField(
        label="Département (agent de DDETS)",
        queryset=Departement.objects.none(),
        required=False,
        empty_label="Choisir un département",
    )
    started_on = date_field("Début de l'affectation")

    def __init__(self, *args, regions, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["departement"].queryset = departements
        self.fields["started_on"].initial = date.today()
        refresh_bound_fields(self)

    def clean(self):
        cleaned = super().clean()
        service = cleaned.get("service")
        if service == StaffAssignment.Service.DREETS:
            if not cleaned.get("region"):
                self.add_error("region", "Choisissez la région de l'agent de DREETS.")
            cleaned["departement"] = None
        elif service == StaffAssignment.Service.DDETS:
            if not cleaned.get("departement"):
                self.add_error("departement", "Choisissez le département de l'agent de DDETS.")
            cleaned["region"] = None
        return cleaned

    @property
    def region_id(self) -> str | None:
        """The region of the chosen territory (what the permission is checked against)."""
        data = self.cleaned_data
        if data.get("region"):
            return data["region"].code
        if data.get("departement"):
            return data["departement"].region_id
        return None


class EndAssignmentForm(DsfrBaseForm):
    ended_on = date_field("Date de fin de l'affectation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = date.today()


class InviteAccountForm(DsfrBaseForm):
    email = forms.EmailField(label="Adresse électronique", max_length=254)
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    organisation = forms.CharField(label="Organisme", max_length=255, required=False)
    job_title = forms.CharField(label="Fonction", max_length=255, required=False)

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()


class ConfirmForm(DsfrBaseForm):
    """A confirmation without field (a destructive action is confirmed on its own page)."""


class AccountSearchForm(DsfrBaseForm):
    q = forms.CharField(label="Nom ou adresse électronique", max_length=100, required=False)
    en_attente = forms.BooleanField(label="Invitations sans suite seulement", required=False)
