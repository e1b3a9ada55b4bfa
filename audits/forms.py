"""Forms of the audit, reporting and commitment screens. They check the shape of what is
typed; the rules live in the services and come back as ``RuleError``, shown on the form
by ``add_rule_error``."""

from datetime import date
from pathlib import Path

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from audits.models import (
    REPORT_RULES,
    BodyKind,
    Commitment,
    CommitmentArea,
    Frequency,
    NetworkBody,
    Recommendation,
    ReportType,
)
from committees.models import StaffAssignment
from cte_portal.core.forms import DateInput
from cte_portal.core.uploads import UploadValidator
from cte_portal.users.models import User
from territories.models import Departement

DOCUMENT_EXTENSIONS = (".pdf", ".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx", ".png", ".jpg")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def refresh(form: forms.Form) -> None:
    """DsfrBaseForm styles and caches the bound fields at init: after adding fields or
    changing labels, style and build them again."""
    form._bound_fields_cache.clear()
    for visible in form.visible_fields():
        dsfr_input_class_attr(visible)


def _textarea(rows: int = 4):
    return forms.Textarea(attrs={"rows": rows})


def date_field(label: str, *, required: bool = True, help_text: str = "", initial=None):
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=DateInput(), initial=initial
    )


def document_field(label: str, *, required: bool = True, help_text: str = ""):
    return forms.FileField(
        label=label,
        required=required,
        help_text=help_text or "PDF, OpenDocument ou Office, images ; 10 Mo au plus.",
        validators=[
            UploadValidator(
                DOCUMENT_EXTENSIONS, extension_message="Ce type de fichier n'est pas accepté."
            )
        ],
    )


class DocumentCheckMixin:
    """Accepted types and size of the uploaded files."""

    file_fields: tuple = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.file_fields:
            file = cleaned.get(name)
            if not file:
                continue
            if Path(file.name).suffix.lower() not in DOCUMENT_EXTENSIONS:
                self.add_error(name, "Ce type de fichier n'est pas accepté.")
            elif file.size > DOCUMENT_MAX_BYTES:
                self.add_error(name, "Le fichier dépasse 10 Mo.")
        return cleaned


# --- Audits (INS-AUDIT) -------------------------------------------------------------------------


class AuditRequestForm(DocumentCheckMixin, DsfrBaseForm):
    file_fields = ("document",)

    audited_body = forms.ModelChoiceField(
        label="Organisme à auditer",
        queryset=NetworkBody.objects.none(),
        help_text=(
            "France Travail, une Mission locale, Cap emploi, ou un organisme délégataire d'une "
            "collectivité."
        ),
    )
    scope_missions = forms.CharField(
        label="Missions examinées",
        widget=_textarea(3),
        help_text="Les missions confiées à l'organisme sur lesquelles porte l'audit.",
    )
    scope_quality = forms.CharField(
        label="Qualité de service examinée", widget=_textarea(3), required=False
    )
    facts = forms.CharField(label="Faits constatés", widget=_textarea(6))
    document_title = forms.CharField(label="Titre du document joint", required=False)
    document = document_field("Document joint", required=False)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audited_body"].queryset = bodies
        refresh(self)

    def documents(self) -> list:
        file = self.cleaned_data.get("document")
        if not file:
            return []
        return [(self.cleaned_data.get("document_title") or file.name, file)]


class ScheduleForm(DsfrBaseForm):
    meeting = forms.ModelChoiceField(
        label="Réunion du comité départemental",
        queryset=None,
        help_text=(
            "La demande est ajoutée à l'ordre du jour comme demande d'audit : elle sera votée. La nouvelle version de l'ordre du jour est soumise à la validation "
            "des co-présidents."
        ),
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.title} — {m.date:%d/%m/%Y} ({m.get_status_display().lower()})"
        )
        refresh(self)


class VoteForm(DsfrBaseForm):
    decision = forms.ModelChoiceField(label="Vote du comité", queryset=None)

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = lambda d: (
            f"{d.meeting.title} du {d.meeting.date:%d/%m/%Y} — {d.get_outcome_display()} "
            f"(pour {d.votes_for}, contre {d.votes_against}, abstentions {d.votes_abstain})"
        )
        refresh(self)


class AgreementForm(DocumentCheckMixin, DsfrBaseForm):
    file_fields = ("document",)

    authority = forms.CharField(label="Collectivité délégante", max_length=255)
    principle_agreed = forms.BooleanField(
        label="La collectivité donne son accord sur le principe de l'audit", required=False
    )
    modalities_agreed = forms.BooleanField(
        label="La collectivité donne son accord sur les modalités de l'audit", required=False
    )
    modalities = forms.CharField(label="Modalités convenues", widget=_textarea(3), required=False)
    given_on = date_field("Date de l'accord")
    document = document_field("Document portant l'accord", required=False)


class StartForm(DsfrBaseForm):
    auditor = forms.CharField(
        label="Auditeur", max_length=255, help_text="La personne ou l'organisme chargé de l'audit."
    )
    started_on = date_field("Date de début")
    planned_end_on = date_field("Fin prévue", required=False)


class ReportForm(DocumentCheckMixin, DsfrBaseForm):
    file_fields = ("document",)

    document = document_field("Rapport d'audit", required=False)
    delivered_on = date_field("Date de remise")
    summary = forms.CharField(label="Synthèse", widget=_textarea(5), required=False)


class CloseForm(DsfrBaseForm):
    note = forms.CharField(label="Note de clôture", widget=_textarea(3), required=False)


class DocumentForm(DocumentCheckMixin, DsfrBaseForm):
    file_fields = ("file",)

    title = forms.CharField(label="Titre du document", max_length=255)
    file = document_field("Fichier")


class RecommendationForm(DsfrBaseForm):
    text = forms.CharField(label="Recommandation", widget=_textarea(4))
    responsible_body = forms.ModelChoiceField(
        label="Organisme responsable", queryset=None, required=False
    )
    responsible_name = forms.CharField(
        label="Autre responsable",
        max_length=255,
        required=False,
        help_text="Si le responsable n'est pas un organisme du réseau (service, comité…).",
    )
    due_on = date_field("Échéance")

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_body"].queryset = bodies
        refresh(self)


class RecommendationUpdateForm(DocumentCheckMixin, DsfrBaseForm):
    file_fields = ("evidence_document",)

    status = forms.ChoiceField(label="Statut", choices=Recommendation.Status.choices)
    evidence = forms.CharField(
        label="Preuve ou justification",
        widget=_textarea(4),
        required=False,
        help_text="Obligatoire (texte ou pièce) pour une recommandation mise en œuvre ou abandonnée.",
    )
    evidence_document = document_field("Pièce justificative", required=False)
    done_on = date_field("Mise en œuvre le", required=False)


# --- Reports owed to the committees (INS-REPORTING) --------------------------------------------


class ObligationForm(DsfrBaseForm):
    report_type = forms.ChoiceField(label="Compte rendu", choices=ReportType.choices)
    body = forms.ModelChoiceField(label="Organisme qui le doit", queryset=None)
    frequency = forms.ChoiceField(
        label="Fréquence", choices=Frequency.choices, initial=Frequency.QUARTERLY
    )
    starts_on = date_field(
        "Début de la première période",
        help_text="Le premier jour du mois est retenu.",
    )
    grace_days = forms.IntegerField(
        label="Délai de remise (jours après la fin de chaque période)",
        min_value=0,
        max_value=365,
        initial=30,
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        owed = "; ".join(
            f"{ReportType(t).label} : " + ", ".join(sorted(k.label for k in rule.owed_by))
            for t, rule in REPORT_RULES.items()
        )
        self.fields["report_type"].help_text = f"Qui doit quoi — {owed}."
        refresh(self)


class ReportSubmitForm(DocumentCheckMixin, DsfrBaseForm):
    file_fields = ("document",)

    period_start = forms.TypedChoiceField(label="Période", coerce=str)
    document = document_field("Compte rendu", required=False)
    comment = forms.CharField(label="Commentaire", widget=_textarea(3), required=False)

    def __init__(self, *args, obligation, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.obligation = obligation
        self.fields["period_start"].choices = [
            (p.start.isoformat(), f"{p.label} (à remettre avant le {p.due_on:%d/%m/%Y})")
            for p in periods
        ]
        for figure in obligation.figures:
            self.fields[f"figure_{figure.code}"] = forms.DecimalField(
                label=figure.label, min_value=0, max_digits=14, decimal_places=2, required=False
            )
        refresh(self)

    def figure_fields(self):
        return [self[f"figure_{f.code}"] for f in self.obligation.figures]

    def figures(self) -> dict:
        return {f.code: self.cleaned_data.get(f"figure_{f.code}") for f in self.obligation.figures}

    def period(self):
        return date.fromisoformat(self.cleaned_data["period_start"])


# --- Commitments (INS-COMMITMENTS) -------------------------------------------------------------


class CommitmentForm(DsfrBaseForm):
    body = forms.ModelChoiceField(label="Membre du réseau", queryset=None)
    area = forms.ChoiceField(label="Engagement", choices=CommitmentArea.choices)
    status = forms.ChoiceField(label="Statut", choices=Commitment.Status.choices)
    notes = forms.CharField(
        label="Observations",
        widget=_textarea(4),
        required=False,
        help_text="Obligatoires pour un manquement : elles fonderont une demande d'audit.",
    )
    assessed_on = date_field("Évalué le", required=False, initial=timezone.localdate)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        refresh(self)


# --- Network bodies -----------------------------------------------------------------------------


class BodyForm(DsfrBaseForm):
    name = forms.CharField(label="Nom", max_length=255)
    kind = forms.ChoiceField(label="Nature", choices=BodyKind.choices)
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=None,
        required=False,
        help_text="Vide pour un organisme national (administrateurs seulement).",
    )
    delegating_authority = forms.CharField(
        label="Collectivité délégante",
        max_length=255,
        required=False,
        help_text="Pour un organisme délégataire : son accord sera requis avant tout audit.",
    )

    def __init__(self, *args, departements, national_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = departements
        self.fields["departement"].required = not national_allowed
        if not national_allowed:
            self.fields["departement"].help_text = ""
        refresh(self)


class BodyUserForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique de l'utilisateur",
        help_text="Un compte existant du portail, qui agit pour cet organisme.",
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError("Aucun compte du portail n'a cette adresse.")
        self.user = user
        return email


def departement_choices(user):
    """The départements where ``user`` may name bodies (admins: all)."""
    if user.is_superuser:
        return Departement.objects.order_by("code")
    codes = (
        StaffAssignment.objects.active()
        .filter(user=user, service=StaffAssignment.Service.DDETS)
        .values("departement")
    )
    return Departement.objects.filter(code__in=codes).order_by("code")
