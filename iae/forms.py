"""Forms of the IAE commission's screens. They check the shape of what is typed; the rules live
in ``iae.services`` and come back as ``RuleError``, shown on the form by ``add_rule_error``."""

from django import forms
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from cte_portal.core.forms import DateInput
from iae.models import IaeOpinion, RequestKind, SiaeType
from iae.services import OpinionData, RequestData


def _date(label: str, *, required: bool = True, help_text: str = ""):
    return forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput())


def _decimal(label: str, *, help_text: str = ""):
    # ``localize``: French decimal commas (« 12,5 »).
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        localize=True,
    )


def _votes(label: str):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=10000)


class RequestForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label="Nature de la demande", choices=RequestKind.choices, widget=forms.RadioSelect
    )
    structure_name = forms.CharField(label="Nom de la structure", max_length=255)
    siret = forms.CharField(
        label="SIRET de la structure",
        max_length=20,
        help_text="14 chiffres, espaces acceptés (ex. : 123 456 789 00012).",
    )
    siae_type = forms.ChoiceField(label="Type de SIAE", choices=SiaeType.choices)
    subject = forms.CharField(
        label="Objet de la demande",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple : renouvellement du conventionnement, création d'un atelier, "
        "investissement financé par le FDI.",
    )
    fte_requested = _decimal(
        "Postes demandés (ETP)", help_text="Pour un conventionnement : aides au poste en ETP."
    )
    amount_requested = _decimal(
        "Montant demandé (€)", help_text="Obligatoire pour une demande au FDI."
    )
    period_start = _date("Début de la période")
    period_end = _date("Fin de la période")
    received_on = _date("Demande reçue le")

    def to_data(self) -> RequestData:
        return RequestData(**self.cleaned_data)


class OpinionForm(DsfrBaseForm):
    verdict = forms.ChoiceField(
        label="Avis de la commission", choices=IaeOpinion.Verdict.choices, widget=forms.RadioSelect
    )
    method = forms.ChoiceField(
        label="Mode d'adoption",
        choices=IaeOpinion.Method.choices,
        widget=forms.RadioSelect,
        help_text="Vote : indiquez les voix. Consensus : laissez les voix vides.",
    )
    meeting = forms.ModelChoiceField(
        label="Réunion de la commission",
        queryset=None,
        required=False,
        help_text="Si la réunion n'est pas enregistrée dans le portail, indiquez seulement sa date.",
    )
    given_on = _date(
        "Date de la réunion où l'avis a été rendu",
        required=False,
        help_text="Prise de la réunion choisie si vide.",
    )
    votes_for = _votes("Voix pour")
    votes_against = _votes("Voix contre")
    votes_abstain = _votes("Abstentions")
    reservations = forms.CharField(
        label="Réserves",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour un avis favorable avec réserves.",
    )
    reasons = forms.CharField(
        label="Motivation de l'avis", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fte_proposed = _decimal("Postes proposés (ETP)")
    amount_proposed = _decimal("Montant proposé (€)")

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.title} du {m.date:%d/%m/%Y}"
        # DsfrBaseForm styles the bound fields at init: build and style them again.
        self._bound_fields_cache.clear()
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def to_data(self) -> OpinionData:
        return OpinionData(**self.cleaned_data)


class NoticeForm(DsfrBaseForm):
    recipient = forms.ChoiceField(
        label="Destinataire", choices=IaeOpinion.Recipient.choices, widget=forms.RadioSelect
    )
    recipient_label = forms.CharField(
        label="Service destinataire",
        max_length=255,
        required=False,
        help_text="Par exemple : Préfecture du Rhône, DDETS du Rhône – pôle insertion.",
    )
    sent_on = _date("Avis transmis le")


class WithdrawForm(DsfrBaseForm):
    reason = forms.CharField(label="Motif du retrait", max_length=500)
