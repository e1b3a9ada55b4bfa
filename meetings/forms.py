"""Forms of the meeting screens. They check the shape of what is typed; the rules (DEC-JOINT,
DEC-PROXY, DEC-QUORUM, DEC-MAJORITY, INS-CONSENSUS…) live in the services and come back as
``RuleError``, shown on the form by ``cte_portal.core.forms.add_rule_error``."""

from pathlib import Path

from django import forms
from dsfr.forms import DsfrBaseForm

from committees.models import CoPresidency
from cte_portal.core.forms import DateInput, TimeInput
from cte_portal.core.uploads import UploadValidator
from meetings.models import AgendaItem, Ballot, Decision, Invitation, Meeting
from meetings.services.agenda import MAX_ITEM_MINUTES

DOCUMENT_EXTENSIONS = (".pdf", ".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx", ".png", ".jpg")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class MeetingForm(DsfrBaseForm, forms.ModelForm):
    visio_url = forms.URLField(
        label="Lien de visioconférence", required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "kind",
            "commission",
            "date",
            "start_time",
            "end_time",
            "place",
            "visio_url",
            "with_local_copresidents",
            "entered_after_the_fact",
        ]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}
        help_texts = {
            "place": "Un lieu, un lien de visioconférence, ou les deux.",
            "with_local_copresidents": (
                "Au moins une fois par an, la plénière d'un CRE ou d'un CDE "
                "réunit les co-présidents des comités locaux, qui sont alors convoqués."
            ),
            "commission": "Pour une réunion de commission ou de groupe de travail.",
        }

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = committee.commissions.all()
        self.fields["commission"].required = False
        if committee.level == "local":
            del self.fields["with_local_copresidents"]
        if self.instance.pk:
            del self.fields["commission"]
            del self.fields["entered_after_the_fact"]


class AgendaItemForm(DsfrBaseForm, forms.ModelForm):
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=1, max_value=MAX_ITEM_MINUTES, initial=15
    )

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "description",
            "presenter",
            "duration_minutes",
            "decision_expected",
            "decision_by_vote",
            "is_audit_request",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "decision_by_vote": "Par défaut le comité décide par consensus.",
            "is_audit_request": "Une demande d'audit est toujours votée.",
        }


class AgendaDocumentForm(DsfrBaseForm):
    title = forms.CharField(label="Titre du document", max_length=255)
    file = forms.FileField(
        label="Fichier",
        help_text="PDF, OpenDocument ou Office, images ; 10 Mo au plus.",
        validators=[
            UploadValidator(
                DOCUMENT_EXTENSIONS, extension_message="Ce type de fichier n'est pas accepté."
            )
        ],
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if Path(file.name).suffix.lower() not in DOCUMENT_EXTENSIONS:
            raise forms.ValidationError("Ce type de fichier n'est pas accepté.")
        if file.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError("Le fichier dépasse 10 Mo.")
        return file


class ExpertForm(DsfrBaseForm):
    email = forms.EmailField(label="Adresse électronique")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    organisation = forms.CharField(label="Organisme", max_length=255)
    agenda_item = forms.ModelChoiceField(
        label="Invité pour le point",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="Toute la réunion",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()


class ReasonForm(DsfrBaseForm):
    reason = forms.CharField(label="Motif de l'annulation", max_length=255)


class AnswerForm(DsfrBaseForm):
    answer = forms.ChoiceField(
        label="Votre réponse",
        choices=[c for c in Invitation.Answer.choices if c[0]],
        widget=forms.RadioSelect,
    )
    substitute = forms.ModelChoiceField(
        label="Votre suppléant", queryset=Invitation.objects.none(), required=False
    )
    proxy_to = forms.ModelChoiceField(
        label="Membre à qui vous donnez pouvoir",
        queryset=Invitation.objects.none(),
        required=False,
        help_text="Un membre à voix délibérative, qui ne détient pas déjà un pouvoir.",
    )
    delegate_name = forms.CharField(
        label="Votre représentant (nom et qualité)",
        max_length=255,
        required=False,
        help_text="Par exemple « M. Paul Martin, secrétaire général de la préfecture ».",
    )
    comment = forms.CharField(label="Commentaire", max_length=500, required=False)

    def __init__(self, *args, invitation, substitutes, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [c for c in Invitation.Answer.choices if c[0]]
        # « Le préfet ou son représentant »: a co-president may send a representative.
        if invitation.role != Invitation.Role.COPRESIDENT or not invitation.copresidency_id:
            choices = [c for c in choices if c[0] != Invitation.Answer.DELEGATE]
            del self.fields["delegate_name"]
        if not invitation.has_vote:
            choices = [c for c in choices if c[0] != Invitation.Answer.PROXY]
            del self.fields["proxy_to"]
        else:
            self.fields["proxy_to"].queryset = candidates
            self.fields["proxy_to"].label_from_instance = lambda i: (
                f"{i.person.get_full_name()} — {i.organisation}"
            )
        if substitutes.exists():
            self.fields["substitute"].queryset = substitutes
            self.fields["substitute"].label_from_instance = lambda m: m.person.get_full_name()
        else:
            choices = [c for c in choices if c[0] != Invitation.Answer.SUBSTITUTE]
            del self.fields["substitute"]
        self.fields["answer"].choices = choices


class DecisionForm(DsfrBaseForm):
    method = forms.ChoiceField(
        label="Mode de décision",
        choices=Decision.Method.choices,
        widget=forms.RadioSelect,
        help_text="Consensus par défaut ; une demande d'audit est toujours votée.",
    )
    text = forms.CharField(
        label="Texte de la décision", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    objections = forms.CharField(
        label="Objections ou réserves exprimées",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )


BALLOT_CHOICES = [("", "Ne prend pas part au vote"), *Ballot.Choice.choices]


def ballot_field_name(invitation_id: int) -> str:
    return f"ballot_{invitation_id}"


class BallotsForm(forms.Form):
    """One choice per voting member taking part (rendered as a table by the template)."""

    def __init__(self, *args, voters, **kwargs):
        super().__init__(*args, **kwargs)
        self.voters = voters
        for invitation in voters:
            self.fields[ballot_field_name(invitation.pk)] = forms.ChoiceField(
                label=f"Vote de {invitation.person.get_full_name()}",
                choices=BALLOT_CHOICES,
                required=False,
            )

    def ballots(self) -> dict[int, str]:
        return {
            invitation.pk: self.cleaned_data.get(ballot_field_name(invitation.pk)) or ""
            for invitation in self.voters
        }

    def rows(self):
        return [(invitation, self[ballot_field_name(invitation.pk)]) for invitation in self.voters]


class ActionForm(DsfrBaseForm):
    description = forms.CharField(label="Action", max_length=500)
    owner = forms.ModelChoiceField(label="Responsable", queryset=Invitation.objects.none())
    due_on = forms.DateField(label="Échéance", widget=DateInput())

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = meeting.invitations.select_related("person")
        self.fields["owner"].label_from_instance = lambda i: (
            f"{i.person.get_full_name()} — {i.organisation}"
        )


class MinutesForm(DsfrBaseForm):
    body = forms.CharField(
        label="Compte rendu des échanges",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=(
            "Les présences, les décisions, les résultats des votes et les actions figurent "
            "automatiquement dans le compte rendu. Une modification après une approbation "
            "remet les approbations à zéro."
        ),
    )


class OutsideApprovalForm(DsfrBaseForm):
    """A meeting entered after the fact: an approval a co-president gave at the time."""

    copresidency = forms.ModelChoiceField(
        label="Co-présidence qui a approuvé", queryset=CoPresidency.objects.none()
    )
    approved_on = forms.DateField(label="Date de l'approbation", widget=DateInput())

    def __init__(self, *args, copresidencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copresidency"].queryset = copresidencies
        self.fields["copresidency"].label_from_instance = lambda cp: (
            f"{cp.office} — {cp.person.get_full_name()}"
        )


class ChangeRequestForm(DsfrBaseForm):
    """DEC-JOINT: a co-president refuses the agenda or the minutes and says what to change."""

    comment = forms.CharField(
        label="Modifications demandées",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text="Le secrétariat voit votre demande sur la page de la réunion.",
    )
