"""Forms of the funders' screens. They validate input; the rules live in the services."""

from django import forms
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from cte_portal.core.forms import DateInput
from cte_portal.core.uploads import SPREADSHEET_EXTENSIONS, UploadValidator
from funders.models import (
    Convention,
    ConventionKind,
    Funder,
    FunderKind,
    FundingLine,
    FundingNeed,
    Public,
    SchemeKind,
)
from funders.models.vocabulary import normalize
from funders.services.conventions import DOCUMENT_EXTENSIONS, allowed_kinds
from funders.services.imports import parse_share
from funders.services.offer import MAX_VOLUME, LineValues
from funders.services.perimeter import perimeter_communes, perimeter_epcis
from meetings.models import Meeting
from roadmaps.selectors.funding import active_result_indicators, roadmap_indicators
from territories.models import Commune, Epci

CHECKBOXES_UP_TO = 30


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class FundersForm(DsfrBaseForm):
    def refresh(self) -> None:
        """DsfrBaseForm builds its bound fields at init: after changing fields, rebuild them."""
        self._bound_fields_cache.clear()
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)


def _multiple_widget(count: int, size: int = 8):
    if count <= CHECKBOXES_UP_TO:
        return forms.CheckboxSelectMultiple()
    return forms.SelectMultiple(attrs={"size": size})


# --- Funders ------------------------------------------------------------------------------------


class FunderForm(FundersForm):
    kind = forms.ChoiceField(label="Nature du financeur", choices=FunderKind.choices)
    name = forms.CharField(label="Nom", max_length=255)
    contact_email = forms.EmailField(label="Adresse électronique du contact")
    contact_first_name = forms.CharField(label="Prénom du contact", max_length=150)
    contact_last_name = forms.CharField(label="Nom du contact", max_length=150)
    contact_job_title = forms.CharField(label="Fonction du contact", max_length=255, required=False)
    contact_phone = forms.CharField(label="Téléphone du contact", max_length=30, required=False)

    @classmethod
    def initial_for(cls, funder: Funder) -> dict:
        return {
            "kind": funder.kind,
            "name": funder.name,
            "contact_email": funder.contact.email,
            "contact_first_name": funder.contact.first_name,
            "contact_last_name": funder.contact.last_name,
            "contact_job_title": funder.contact.job_title,
            "contact_phone": funder.contact_phone,
        }


# --- Conferences ---------------------------------------------------------------------------------


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} — {obj.date:%d/%m/%Y} ({obj.get_status_display().lower()})"


class ConferenceForm(FundersForm):
    title = forms.CharField(label="Intitulé", max_length=255)
    year = forms.IntegerField(label="Année", min_value=2024, max_value=2100)
    meeting = MeetingChoiceField(
        label="Tenue lors d'une réunion du comité",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Non : conférence tenue hors réunion du comité",
        help_text=(
            "Une réunion de nature « Conférence des financeurs ». Ses décisions et son compte "
            "rendu sont alors ceux de la réunion."
        ),
    )
    date = forms.DateField(
        label="Date",
        required=False,
        widget=DateInput(),
        help_text="Hors réunion seulement : la date d'une réunion liée s'applique sinon.",
    )
    funders = forms.ModelMultipleChoiceField(
        label="Financeurs participants",
        queryset=Funder.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decisions = forms.CharField(
        label="Décisions (hors réunion)", required=False, widget=_textarea(4)
    )
    minutes = forms.CharField(
        label="Compte rendu (hors réunion)", required=False, widget=_textarea(6)
    )

    def __init__(self, *args, committee, conference=None, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = (
            Meeting.objects.filter(committee=committee, kind=Meeting.Kind.FUNDERS)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("-date")
        )
        linked = meetings.filter(funders_conference__isnull=False)
        if conference is not None:
            linked = linked.exclude(funders_conference=conference)
        self.fields["meeting"].queryset = meetings.exclude(pk__in=linked.values("pk"))
        self.fields["funders"].queryset = Funder.objects.filter(committee=committee).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        if not data.get("meeting") and not data.get("date") and "date" not in self.errors:
            self.add_error("date", "Indiquez la date de la conférence.")
        return data


class CommentForm(FundersForm):
    body = forms.CharField(label="Votre commentaire", widget=_textarea(3), max_length=5000)


# --- Funding lines -------------------------------------------------------------------------------


class TerritoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


def parse_cofinancings(text: str, funders: dict) -> list[dict]:
    """« Nom : part » on each line → [{partner_name, share, partner}] (ValueError in French)."""
    items = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        separator = max(line.rfind(":"), line.rfind("="))
        if separator <= 0:
            raise forms.ValidationError(
                f"Ligne {number} : écrivez « Nom du cofinanceur : part en % »."
            )
        name = line[:separator].strip()
        try:
            share = parse_share(line[separator + 1 :], f"part de « {name} »")
        except ValueError as exc:
            raise forms.ValidationError(f"Ligne {number} : {exc}.") from exc
        items.append(
            {"partner_name": name, "share": share, "partner": funders.get(normalize(name))}
        )
    return items


class FundingLineForm(FundersForm):
    funder = forms.ModelChoiceField(label="Financeur", queryset=Funder.objects.none())
    scheme = forms.CharField(label="Dispositif ou programme", max_length=255)
    scheme_kind = forms.ChoiceField(label="Type de dispositif", choices=SchemeKind.choices)
    public = forms.ChoiceField(label="Public cible", choices=Public.choices)
    public_detail = forms.CharField(
        label="Précision sur le public",
        max_length=255,
        required=False,
        help_text="Obligatoire pour « Autre public ».",
    )
    covers_whole_perimeter = forms.BooleanField(
        label="Couvre tout le périmètre du comité",
        required=False,
        help_text="Sinon, choisissez les EPCI ou les communes couverts.",
    )
    epcis = TerritoryChoiceField(
        label="EPCI couverts", queryset=Epci.objects.none(), required=False
    )
    communes = TerritoryChoiceField(
        label="Communes couvertes", queryset=Commune.objects.none(), required=False
    )
    starts_on = forms.DateField(label="Début", widget=DateInput())
    ends_on = forms.DateField(label="Fin", widget=DateInput())
    amount_committed = forms.DecimalField(
        label="Montant engagé (€)", min_value=0, max_digits=14, decimal_places=2
    )
    amount_available = forms.DecimalField(
        label="Montant disponible (€)", min_value=0, max_digits=14, decimal_places=2
    )
    places = forms.IntegerField(
        label="Volume : places", min_value=0, max_value=MAX_VOLUME, required=False
    )
    people = forms.IntegerField(
        label="Volume : personnes", min_value=0, max_value=MAX_VOLUME, required=False
    )
    is_cofinanced = forms.BooleanField(label="Ligne cofinancée", required=False)
    own_share = forms.DecimalField(
        label="Part du financeur (%)",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
    )
    cofinancings = forms.CharField(
        label="Cofinanceurs et leur part",
        required=False,
        widget=_textarea(3),
        help_text="Un cofinanceur par ligne : « Région Auvergne-Rhône-Alpes : 30 ».",
    )
    intervention_criteria = forms.CharField(
        label="Critères d'intervention", required=False, widget=_textarea()
    )
    allocation_doctrine = forms.CharField(
        label="Doctrine d'attribution", required=False, widget=_textarea()
    )
    conditions_of_use = forms.CharField(
        label="Conditions de mobilisation", required=False, widget=_textarea()
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        committee = conference.committee
        self.funder_names = {}
        funders = Funder.objects.filter(committee=committee).order_by("name")
        self.fields["funder"].queryset = funders
        epcis = perimeter_epcis(committee).order_by("name")
        communes = perimeter_communes(committee).order_by("name")
        self.fields["epcis"].queryset = epcis
        self.fields["communes"].queryset = communes
        self.fields["epcis"].widget = _multiple_widget(epcis.count())
        self.fields["communes"].widget = _multiple_widget(communes.count(), size=10)
        self._funders = funders
        self.refresh()

    @classmethod
    def initial_for(cls, line: FundingLine) -> dict:
        return {
            "funder": line.funder_id,
            "scheme": line.scheme,
            "scheme_kind": line.scheme_kind,
            "public": line.public,
            "public_detail": line.public_detail,
            "covers_whole_perimeter": line.covers_whole_perimeter,
            "epcis": [e.pk for e in line.epcis.all()],
            "communes": [c.pk for c in line.communes.all()],
            "starts_on": line.starts_on,
            "ends_on": line.ends_on,
            "amount_committed": line.amount_committed,
            "amount_available": line.amount_available,
            "places": line.places,
            "people": line.people,
            "is_cofinanced": line.is_cofinanced,
            "own_share": line.own_share,
            "cofinancings": "\n".join(
                f"{c.partner_name} : {c.share}".replace(".", ",") for c in line.cofinancings.all()
            ),
            "intervention_criteria": line.intervention_criteria,
            "allocation_doctrine": line.allocation_doctrine,
            "conditions_of_use": line.conditions_of_use,
        }

    def clean_cofinancings(self):
        funders = {normalize(f.name): f for f in self._funders}
        return parse_cofinancings(self.cleaned_data.get("cofinancings") or "", funders)

    def values(self) -> LineValues:
        data = self.cleaned_data
        return LineValues(
            funder=data["funder"],
            scheme=data["scheme"],
            scheme_kind=data["scheme_kind"],
            public=data["public"],
            public_detail=data["public_detail"],
            covers_whole_perimeter=data["covers_whole_perimeter"],
            epcis=list(data["epcis"]),
            communes=list(data["communes"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            amount_committed=data["amount_committed"],
            amount_available=data["amount_available"],
            places=data["places"],
            people=data["people"],
            is_cofinanced=data["is_cofinanced"],
            own_share=data["own_share"],
            cofinancings=data["cofinancings"],
            intervention_criteria=data["intervention_criteria"],
            allocation_doctrine=data["allocation_doctrine"],
            conditions_of_use=data["conditions_of_use"],
        )


class ImportForm(FundersForm):
    file = forms.FileField(
        label="Fichier de l'offre (XLSX ou CSV)",
        help_text="Une ligne de financement par ligne du tableau, avec les colonnes du modèle.",
        validators=[
            UploadValidator(
                SPREADSHEET_EXTENSIONS, extension_message="Déposez un fichier XLSX ou CSV."
            )
        ],
    )


# --- Local needs -----------------------------------------------------------------------------------


class NeedForm(forms.ModelForm, FundersForm):
    class Meta:
        model = FundingNeed
        fields = [
            "pathway_need",
            "public",
            "public_detail",
            "territory",
            "people_count",
            "access_difficulty",
            "raised_by",
        ]
        widgets = {"pathway_need": _textarea(3), "access_difficulty": _textarea(3)}

    def save(self, commit=True):  # pragma: no cover - guard
        raise NotImplementedError("Les écritures passent par les services.")


class AnswerForm(FundersForm):
    status = forms.ChoiceField(
        label="Réponse de la conférence départementale",
        choices=[c for c in FundingNeed.Status.choices if c[0] != FundingNeed.Status.PENDING],
        widget=forms.RadioSelect,
    )
    funding_line = forms.ModelChoiceField(
        label="Ligne de financement mobilisée",
        queryset=FundingLine.objects.none(),
        required=False,
        help_text="Si le besoin est financé.",
    )
    redirected_to = forms.CharField(
        label="Réorienté vers",
        max_length=255,
        required=False,
        help_text="Si le besoin est réorienté.",
    )
    unmet_reason = forms.CharField(
        label="Motif de la non-couverture",
        required=False,
        widget=_textarea(2),
        help_text="Si le besoin n'est pas couvert.",
    )
    answer_comment = forms.CharField(label="Commentaire", required=False, widget=_textarea(2))

    def __init__(self, *args, conference, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["funding_line"].queryset = (
            FundingLine.objects.filter(conference=conference)
            .select_related("funder")
            .order_by("funder__name", "scheme")
        )


# --- Conventions ------------------------------------------------------------------------------------


class ConventionForm(forms.ModelForm, FundersForm):
    class Meta:
        model = Convention
        fields = ["kind", "title", "starts_on", "ends_on", "status", "signed_on", "notes"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "signed_on": DateInput(),
            "notes": _textarea(3),
        }

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = allowed_kinds(committee)
        self.fields["kind"].choices = [c for c in ConventionKind.choices if c[0] in kinds]
        self.refresh()

    def save(self, commit=True):  # pragma: no cover - guard
        raise NotImplementedError("Les écritures passent par les services.")


class PartyForm(FundersForm):
    funder = forms.ModelChoiceField(
        label="Financeur du répertoire",
        queryset=Funder.objects.none(),
        required=False,
        empty_label="Autre partie (nommée ci-dessous)",
    )
    name = forms.CharField(label="Nom de la partie", max_length=255, required=False)
    amount = forms.DecimalField(
        label="Montant engagé (€)", min_value=0, max_digits=14, decimal_places=2, required=False
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = Funder.objects.filter(committee=committee).order_by("name")


class CommitmentForm(FundersForm):
    text = forms.CharField(label="Engagement", widget=_textarea(3))
    result_indicator = forms.ModelChoiceField(
        label="Indicateur commun", queryset=None, required=False
    )
    roadmap_indicator = forms.ModelChoiceField(
        label="Indicateur de la feuille de route", queryset=None, required=False
    )
    indicator_label = forms.CharField(label="Autre indicateur", max_length=255, required=False)
    target = forms.DecimalField(label="Cible", max_digits=14, decimal_places=2, required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result_indicator"].queryset = active_result_indicators()
        self.fields["roadmap_indicator"].queryset = roadmap_indicators(committee=committee)


class DocumentForm(FundersForm):
    title = forms.CharField(label="Titre du document", max_length=255)
    file = forms.FileField(
        label="Fichier",
        help_text="PDF, ODT, DOCX, ODS ou XLSX, 10 Mo au plus.",
        validators=[UploadValidator(DOCUMENT_EXTENSIONS)],
    )
