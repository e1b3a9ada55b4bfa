"""Forms of the CLE perimeter screens beyond the perimeter itself: periodic review, the CDE a
CLE reports to, and bassins d'emploi. The rules live in ``committees.services.perimeter``."""

from django import forms
from dsfr.forms import DsfrBaseForm

from committees.models import PerimeterReview
from cte_portal.core.forms import DateInput
from territories.models import Commune, Departement


class PerimeterReviewForm(DsfrBaseForm):
    reviewed_on = forms.DateField(label="Date du réexamen", widget=DateInput)
    outcome = forms.ChoiceField(
        label="Conclusion",
        choices=PerimeterReview.Outcome.choices,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label="Observations",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Par exemple : concertation menée, évolutions du territoire constatées.",
    )


class ParentForm(DsfrBaseForm):
    parent = forms.ModelChoiceField(
        label="Comité départemental de rattachement",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="Seuls les comités départementaux dont le territoire couvre des communes du "
        "périmètre sont proposés.",
    )

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents


class CommuneCodesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class EmploymentAreaForm(DsfrBaseForm):
    name = forms.CharField(
        label="Nom du bassin d'emploi",
        max_length=200,
        help_text="Par exemple « Bassin d'emploi de Villefranche-sur-Saône ».",
    )
    departement = forms.ModelChoiceField(
        label="Département de rattachement", queryset=None, empty_label=None
    )
    insee_code = forms.CharField(
        label="Code de la zone d'emploi Insee",
        required=False,
        max_length=10,
        help_text="Facultatif : le code de la zone d'emploi 2020 qu'il reprend (par exemple 8413).",
    )
    communes = CommuneCodesField(
        label="Communes du bassin",
        queryset=Commune.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 16}),
        help_text="Celles du département et des départements voisins de la région.",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, departements, **kwargs):
        super().__init__(*args, **kwargs)
        departements = Departement.objects.current().filter(code__in=[d.code for d in departements])
        self.fields["departement"].queryset = departements
        regions = set(departements.values_list("region_id", flat=True))
        self.fields["communes"].queryset = (
            Commune.objects.current()
            .filter(region_id__in=regions)
            .select_related(None)
            .order_by("name", "code")
        )
