"""Forms of the roadmap screens. They validate input; the rules live in the services."""

from django import forms
from dsfr.forms import DsfrBaseForm

from committees.models import Committee, Membership
from cte_portal.core.forms import DateInput
from cte_portal.core.uploads import SPREADSHEET_EXTENSIONS, UploadValidator
from roadmaps.models import (
    ActionSheet,
    Axis,
    CarPresentation,
    EscalatedSubject,
    GoodPractice,
    ResultIndicator,
    Roadmap,
    RoadmapIndicator,
    TypologyCategory,
)


def _textarea(rows: int = 4):
    return forms.Textarea(attrs={"rows": rows})


class DsfrModelForm(forms.ModelForm, DsfrBaseForm):
    """A model form rendered by django-dsfr; saving is the services' job, never the form's."""

    def save(self, commit=True):  # pragma: no cover - guard
        raise NotImplementedError("Les écritures passent par les services.")


class RoadmapForm(DsfrModelForm):
    class Meta:
        model = Roadmap
        fields = ["title", "summary", "orientations", "users_participation"]
        widgets = {
            "summary": _textarea(5),
            "orientations": _textarea(5),
            "users_participation": _textarea(3),
        }


class AxisForm(DsfrModelForm):
    class Meta:
        model = Axis
        fields = ["title", "diagnostic", "stakes", "objectives", "position"]
        widgets = {"diagnostic": _textarea(5), "stakes": _textarea(3), "objectives": _textarea(3)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].help_text = "Rang de l'axe dans la feuille de route."


class ActionSheetForm(DsfrModelForm):
    class Meta:
        model = ActionSheet
        fields = [
            "title",
            "problem",
            "objective",
            "target_public",
            "target_territory",
            "sector",
            "expected_results",
            "users_participation",
            "starts_on",
            "ends_on",
            "status",
            "progress",
        ]
        widgets = {
            "problem": _textarea(4),
            "objective": _textarea(3),
            "expected_results": _textarea(3),
            "users_participation": _textarea(2),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }
        help_texts = {
            "target_public": "Facultatif : le public, le territoire ou la filière visés.",
        }

    def __init__(self, *args, axes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if axes is not None:
            self.fields["axis"] = forms.ModelChoiceField(
                label="Axe", queryset=axes, initial=self.instance.axis_id, empty_label=None
            )
            self.order_fields(["axis", *self.Meta.fields])


class SheetProgressForm(DsfrBaseForm):
    status = forms.ChoiceField(label="État d'avancement", choices=ActionSheet.Status.choices)
    progress = forms.IntegerField(label="Avancement (%)", min_value=0, max_value=100)


class ActorForm(DsfrBaseForm):
    membership = forms.ModelChoiceField(
        label="Membre du comité",
        queryset=Membership.objects.none(),
        required=False,
        help_text="Choisissez un membre du réseau, ou indiquez un autre organisme ci-dessous.",
    )
    organisation = forms.CharField(label="Organisme", max_length=255, required=False)
    commitment = forms.CharField(label="Engagement de l'acteur", widget=_textarea(3))

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.active().filter(committee=committee).order_by("organisation")
        )
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.organisation} ({m.get_category_display()})"
        )


class RoadmapIndicatorForm(DsfrModelForm):
    class Meta:
        model = RoadmapIndicator
        fields = ["name", "unit", "baseline", "target", "due_on", "direction", "breakdowns"]
        widgets = {"due_on": DateInput(), "breakdowns": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].required = True


class GoodPracticeForm(DsfrModelForm):
    class Meta:
        model = GoodPractice
        fields = ["impact", "financial_cost", "human_cost", "organisational_cost", "scale_up_needs"]
        widgets = {name: _textarea(3) for name in fields}


class DecisionForm(DsfrBaseForm):
    comment = forms.CharField(
        label="Commentaire",
        widget=_textarea(3),
        required=False,
        help_text="Obligatoire pour demander des modifications : dites lesquelles.",
    )


class CarPresentationForm(DsfrBaseForm):
    presented_on = forms.DateField(label="Date de présentation en CAR", widget=DateInput())
    outcome = forms.ChoiceField(label="Suite donnée", choices=CarPresentation.Outcome.choices)
    remarks = forms.CharField(label="Observations", widget=_textarea(3), required=False)
    version = forms.ModelChoiceField(
        label="Version présentée", queryset=None, required=False, empty_label="Dernière version"
    )

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = roadmap.versions.order_by("-number")
        self.fields["version"].label_from_instance = lambda v: (
            f"Version {v.number} du {v.published_at:%d/%m/%Y}"
        )


class SubjectForm(DsfrBaseForm):
    title = forms.CharField(label="Objet", max_length=255)
    need_kind = forms.ChoiceField(label="Nature du besoin", choices=EscalatedSubject.Need.choices)
    need = forms.CharField(label="Ce qui est attendu du niveau supérieur", widget=_textarea(4))
    reason = forms.CharField(label="Pourquoi", widget=_textarea(4))
    related_sheets = forms.ModelMultipleChoiceField(
        label="Fiches action liées",
        queryset=ActionSheet.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Laissez vide pour un besoin qui ne découle d'aucune fiche.",
    )

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["related_sheets"].queryset = ActionSheet.objects.filter(
            axis__roadmap__committee=committee
        ).order_by("axis__position", "position")


class AnswerForm(DsfrBaseForm):
    status = forms.ChoiceField(
        label="Réponse",
        choices=[
            (EscalatedSubject.Status.ACCEPTED, "Retenu dans notre feuille de route"),
            (EscalatedSubject.Status.REDIRECTED, "Réorienté"),
            (EscalatedSubject.Status.DECLINED, "Non retenu"),
        ],
        widget=forms.RadioSelect,
    )
    answering_sheet = forms.ModelChoiceField(
        label="Fiche action qui y répond",
        queryset=ActionSheet.objects.none(),
        required=False,
        help_text="Pour un sujet retenu : la fiche de votre feuille de route qui le prend en charge.",
    )
    redirected_to = forms.ModelChoiceField(
        label="Réorienté vers le comité", queryset=Committee.objects.none(), required=False
    )
    answer = forms.CharField(
        label="Réponse apportée",
        widget=_textarea(4),
        required=False,
        help_text="Obligatoire pour un sujet réorienté (vers qui, pourquoi) ou non retenu (motif).",
    )

    def __init__(self, *args, subject: EscalatedSubject, user, **kwargs):
        super().__init__(*args, **kwargs)
        if subject.to_committee_id:
            self.fields["answering_sheet"].queryset = ActionSheet.objects.filter(
                axis__roadmap__committee_id=subject.to_committee_id
            ).order_by("axis__position", "position")
        else:
            del self.fields["answering_sheet"]
        self.fields["redirected_to"].queryset = (
            Committee.objects.visible_to(user).active().exclude(pk=subject.from_committee_id)
        )


class IndicatorChoiceField(forms.ChoiceField):
    """Common indicators and the committee's specific ones in one list (``c:<id>``/``s:<id>``)."""


class ValueForm(DsfrBaseForm):
    indicator = IndicatorChoiceField(label="Indicateur")
    period = forms.DateField(label="Date de la mesure", widget=DateInput())
    value = forms.DecimalField(label="Valeur", max_digits=14, decimal_places=2)
    category = forms.ModelChoiceField(
        label="Catégorie (ventilation)",
        queryset=TypologyCategory.objects.select_related("typology"),
        required=False,
        empty_label="Total (sans ventilation)",
    )

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        common = [
            (f"c:{i.pk}", i.name + (" (illustratif)" if i.is_illustrative else ""))
            for i in ResultIndicator.objects.filter(is_active=True).order_by("position", "code")
        ]
        specific = [
            (f"s:{i.pk}", f"{i.name} — {i.sheet.title}")
            for i in RoadmapIndicator.objects.filter(sheet__axis__roadmap__committee=committee)
            .select_related("sheet")
            .order_by("pk")
        ]
        choices = [("", "Choisissez un indicateur")]
        if common:
            choices.append(("Indicateurs de résultat communs", common))
        if specific:
            choices.append(("Indicateurs spécifiques des fiches action", specific))
        self.fields["indicator"].choices = choices
        self.specific_ids = {value for value, _label in specific}

    def indicators(self) -> tuple[ResultIndicator | None, RoadmapIndicator | None]:
        kind, _sep, pk = self.cleaned_data["indicator"].partition(":")
        if kind == "c":
            return ResultIndicator.objects.get(pk=pk), None
        return None, RoadmapIndicator.objects.select_related("sheet__axis__roadmap").get(pk=pk)


class TargetForm(DsfrBaseForm):
    indicator = forms.ModelChoiceField(
        label="Indicateur commun", queryset=ResultIndicator.objects.filter(is_active=True)
    )
    target = forms.DecimalField(label="Cible", max_digits=14, decimal_places=2)
    due_on = forms.DateField(label="Échéance", widget=DateInput(), required=False)


class ImportForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier de valeurs",
        help_text=(
            "CSV (UTF-8, virgule ou point-virgule) ou XLSX. Colonnes : indicateur, date "
            "(AAAA-MM-JJ), valeur, typologie, categorie. Taille maximale : 5 Mo."
        ),
        validators=[
            UploadValidator(
                SPREADSHEET_EXTENSIONS, extension_message="Déposez un fichier CSV ou XLSX."
            )
        ],
    )


class GoodPracticeSearchForm(DsfrBaseForm):
    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    region = forms.ChoiceField(label="Région", required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Toutes les régions"), *regions]


class TerritoryFilterForm(DsfrBaseForm):
    region = forms.ChoiceField(label="Région", required=False)
    departement = forms.ChoiceField(label="Département", required=False)

    def __init__(self, *args, regions=(), departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Toutes"), *regions]
        self.fields["departement"].choices = [("", "Tous"), *departements]
