"""Forms of the composition screens: co-presidents, members, commissions, rules of procedure,
CREFOP rotation.

Forms check the shape of what is typed. The rules of the decree and the instruction (who
votes, how many members, which commission is mandatory…) live in ``committees.services`` and
come back as ``RuleError``, shown on the form by ``cte_portal.core.forms.add_rule_error``.
"""

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from committees.models import (
    RULES_HEADINGS,
    VOTING_CATEGORIES,
    Category,
    Commission,
    Committee,
    CoPresidency,
    Level,
    Membership,
)
from committees.models.procedure import heading_required
from committees.models.rules import MAX_COUNT_EXPLANATION
from cte_portal.core.forms import DateInput
from territories.models import Commune, Departement, Epci, Ept, Region


def refresh_bound_fields(form: forms.Form) -> None:
    """DsfrBaseForm builds the bound fields at init, which copy the label and help text of
    their field: after changing those, build the bound fields again."""
    form._bound_fields_cache.clear()


def date_field(label: str, *, required: bool = True, help_text: str = "", initial=None):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        initial=initial,
        widget=DateInput(),
    )


def voting_categories_text() -> str:
    labels = [label for value, label in Category.choices if value in VOTING_CATEGORIES]
    return ", ".join(labels)


# DEC-VOTERS: shown beside the category and the votes, so nobody looks for a "vote" switch.
VOTERS_HELP = (
    "La voix délibérative ne se choisit pas : elle découle de la catégorie "
    "(article R. 5311-37 du code du travail). Votent seules les catégories "
    f"{voting_categories_text()}. France Travail, les Missions locales, Cap emploi, les autres "
    "membres du réseau pour l'emploi et les experts invités siègent sans voix délibérative."
)
MANDATE_END_HELP = (
    "Laissez vide : trois ans à compter du début pour un membre nommé, trois ans au plus "
    "(article R. 5311-36 du code du travail). France Travail, et hors du comité départemental "
    "les Missions locales et Cap emploi, siègent sans limite de durée."
)
VOTES_HELP = (
    "Nombre de voix attribué par l'arrêté, pour équilibrer l'État et les collectivités. "
    "Laissez vide pour une voix. Sans objet pour une catégorie sans voix délibérative."
)


# DEC-MAX: what the maximum counts, said beside the members.
MAX_HELP = MAX_COUNT_EXPLANATION


# --- Body represented (DEC-CATEGORIES) ----------------------------------------------------------

BODY_MODELS = {"region": Region, "departement": Departement, "epci": Epci, "ept": Ept}


def represented_choices(committee: Committee) -> list:
    """The collectivités a seat of ``committee`` may represent, grouped: its region, the
    départements (of the region for a CRE, its own otherwise), the EPCI and EPT of a CLE's
    perimeter or of a CDE's départements."""
    groups = [("", "Aucune (organisme du réseau pour l'emploi, État…)")]
    groups.append(("Région", [(f"region:{committee.region_id}", committee.region.name)]))
    if committee.level == Level.REGIONAL:
        departements = committee.region.departements.current()
    else:
        departements = committee.departements.all()
    groups.append(
        (
            "Départements",
            [
                (f"departement:{d.code}", f"{d.name} ({d.code})")
                for d in departements.order_by("code")
            ],
        )
    )
    if committee.level != Level.REGIONAL:
        if committee.level == Level.LOCAL:
            communes = Commune.objects.filter(pk__in=committee.communes.values("pk"))
        else:
            communes = Commune.objects.current().filter(departement__in=departements)
        epcis = Epci.objects.filter(communes__in=communes).distinct().order_by("name")
        epts = Ept.objects.filter(communes__in=communes).distinct().order_by("name")
        if epcis:
            groups.append(("EPCI", [(f"epci:{e.code}", e.name) for e in epcis]))
        if epts:
            groups.append(("EPT", [(f"ept:{e.code}", e.name) for e in epts]))
    return groups


def represented_value(body) -> str:
    if body is None:
        return ""
    return f"{type(body).__name__.lower()}:{body.pk}"


def represented_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Collectivité représentée",
        required=False,
        help_text=(
            "La région, le département, l'EPCI ou l'EPT que ce siège représente : la page de "
            "composition montre ainsi quels départements ou quels EPCI du périmètre siègent."
        ),
    )


class RepresentedMixin:
    """A form with a ``represented`` choice among the committee's collectivités."""

    def setup_represented(self, committee: Committee, initial=None) -> None:
        field = self.fields["represented"]
        field.choices = represented_choices(committee)
        if initial is not None:
            field.initial = represented_value(initial)

    def clean_represented(self):
        value = self.cleaned_data.get("represented") or ""
        if not value:
            return None
        kind, _sep, code = value.partition(":")
        model = BODY_MODELS.get(kind)
        body = model.objects.filter(pk=code).first() if model else None
        if body is None:
            raise forms.ValidationError("Collectivité inconnue.")
        return body


# --- People -------------------------------------------------------------------------------------


class PersonForm(DsfrBaseForm):
    """A person chosen by e-mail: an existing account, or a new one invited by e-mail (the
    names are then required; ``services.composition.invite_person`` sends the invitation)."""

    person_required = True
    email_label = "Adresse électronique de la personne"

    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text=(
            "Si la personne n'a pas encore de compte sur le portail, indiquez aussi ses prénom "
            "et nom : elle recevra par courriel une invitation à choisir son mot de passe."
        ),
    )
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = self.email_label
        self.fields["email"].required = self.person_required
        refresh_bound_fields(self)

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and not get_user_model().objects.filter(email__iexact=email).exists():
            for name in ("first_name", "last_name"):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(
                        name,
                        "Aucun compte ne correspond à cette adresse : indiquez le prénom et le "
                        "nom pour inviter la personne.",
                    )
        return cleaned

    def person_data(self, organisation: str = "") -> dict:
        """Keyword arguments for ``invite_person``."""
        data = self.cleaned_data
        return {
            "email": data["email"],
            "first_name": data.get("first_name", ""),
            "last_name": data.get("last_name", ""),
            "organisation": organisation,
        }


# --- Co-presidencies (DEC-COPRESIDENCY) -------------------------------------------------------


class CoPresidentForm(RepresentedMixin, PersonForm):
    email_label = "Adresse électronique du co-président ou de la co-présidente"

    side = forms.ChoiceField(
        label="Côté de la co-présidence",
        choices=CoPresidency.Side.choices,
        widget=forms.RadioSelect,
        help_text=(
            "État : le préfet ou la préfète. Collectivités : le président ou la présidente du "
            "conseil régional ou départemental (ou de la collectivité qui en exerce les "
            "compétences) ; pour un CLE, un ou plusieurs représentants des collectivités ou de "
            "leurs groupements."
        ),
    )
    organisation = forms.CharField(
        label="Organisme de la personne",
        max_length=255,
        required=False,
        help_text="Pour l'invitation d'une personne sans compte, par exemple « Préfecture du Rhône ».",
    )
    office = forms.CharField(
        label="Qualité",
        max_length=255,
        help_text="Par exemple « Préfète du Rhône » ou « Président de la CA Villefranche ».",
    )
    authority = forms.CharField(
        label="Collectivité représentée",
        max_length=255,
        required=False,
        help_text="Obligatoire pour le côté des collectivités : la collectivité ou le groupement.",
    )
    votes = forms.IntegerField(
        label="Nombre de voix",
        min_value=0,
        max_value=99,
        initial=1,
        help_text="Les co-présidents votent (article R. 5311-37 du code du travail) ; nombre fixé par l'arrêté (articles R. 5311-38 et R. 5311-39 du code du travail).",
    )
    represented = represented_field()
    started_on = date_field("Début de la co-présidence")

    field_order = [
        "side",
        "email",
        "first_name",
        "last_name",
        "organisation",
        "office",
        "authority",
        "represented",
        "votes",
        "started_on",
    ]

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = date.today()
        self.setup_represented(committee)


class DelegateForm(PersonForm):
    person_required = False
    email_label = "Adresse électronique du ou de la délégataire"

    organisation = forms.CharField(label="Organisme de la personne", max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = (
            "Laissez vide pour retirer la délégation. " + self.fields["email"].help_text
        )
        refresh_bound_fields(self)


class EndForm(DsfrBaseForm):
    ended_on = date_field("Date de fin")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = date.today()


class EndMembershipForm(EndForm):
    reason = forms.CharField(
        label="Motif",
        max_length=255,
        help_text="Par exemple « Démission », « Perte de la qualité au titre de laquelle il ou elle a été nommé(e) ».",
    )


# --- Members (DEC-CATEGORIES, DEC-VOTERS, DEC-VOTES, DEC-MANDATE) ------------------------------


def votes_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Nombre de voix", min_value=0, max_value=99, required=False, help_text=VOTES_HELP
    )


class MemberForm(RepresentedMixin, PersonForm):
    email_label = "Adresse électronique du membre"

    organisation = forms.CharField(label="Organisme", max_length=255)
    category = forms.ChoiceField(
        label="Catégorie", choices=Category.choices, help_text=f"{VOTERS_HELP} {MAX_HELP}"
    )
    is_permanent = forms.TypedChoiceField(
        label="Qualité",
        choices=[("1", "Membre permanent"), ("0", "Invité selon l'ordre du jour")],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
        help_text="Les experts sont toujours invités selon l'ordre du jour.",
    )
    represented = represented_field()
    votes = votes_field()
    mandate_start = date_field("Début du mandat")
    mandate_end = date_field(
        "Fin du mandat",
        required=False,
        help_text=MANDATE_END_HELP,
    )
    appointment_arrete = forms.CharField(
        label="Arrêté de désignation",
        max_length=255,
        required=False,
        help_text="Par exemple « Arrêté préfectoral n° 69-2024-09-01-002 ».",
    )

    field_order = [
        "email",
        "first_name",
        "last_name",
        "organisation",
        "category",
        "is_permanent",
        "represented",
        "votes",
        "mandate_start",
        "mandate_end",
        "appointment_arrete",
    ]

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate_start"].initial = date.today()
        self.setup_represented(committee)


class SubstituteForm(PersonForm):
    """A substitute sits in their titular's category, with their votes (DEC-MANDATE)."""

    email_label = "Adresse électronique du ou de la suppléante"

    organisation = forms.CharField(label="Organisme", max_length=255)
    mandate_start = date_field(
        "Début du mandat",
        help_text="Le mandat du suppléant prend fin avec celui de son titulaire.",
    )
    appointment_arrete = forms.CharField(
        label="Arrêté de désignation", max_length=255, required=False
    )

    def __init__(self, *args, titular: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].initial = titular.organisation
        self.fields["mandate_start"].initial = date.today()


class VacancyForm(PersonForm):
    """Fill a vacant seat: the new member serves the remainder of the mandate (DEC-MANDATE)."""

    email_label = "Adresse électronique du nouveau membre"

    organisation = forms.CharField(label="Organisme", max_length=255)
    votes = votes_field()
    mandate_start = date_field("Début du mandat")
    appointment_arrete = forms.CharField(
        label="Arrêté de désignation", max_length=255, required=False
    )

    def __init__(self, *args, replaced: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].initial = replaced.organisation
        self.fields["mandate_start"].initial = date.today()
        disable_votes_unless_voting(self, replaced.category, replaced.votes)


class MemberEditForm(RepresentedMixin, DsfrBaseForm):
    organisation = forms.CharField(label="Organisme", max_length=255)
    represented = represented_field()
    votes = votes_field()
    mandate_end = date_field("Fin du mandat", required=False, help_text=MANDATE_END_HELP)
    appointment_arrete = forms.CharField(
        label="Arrêté de désignation", max_length=255, required=False
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "organisation": membership.organisation,
                "votes": membership.votes,
                "mandate_end": membership.mandate_end,
                "appointment_arrete": membership.appointment_arrete,
            },
        )
        super().__init__(*args, **kwargs)
        self.setup_represented(membership.committee, membership.represented)
        disable_votes_unless_voting(self, membership.category, membership.votes)
        if membership.role == Membership.Role.SUBSTITUTE:
            # DEC-MANDATE: a substitute's mandate ends with its titular's.
            field = self.fields["mandate_end"]
            field.disabled = True
            field.help_text = "Le mandat d'un suppléant prend fin avec celui de son titulaire."
            refresh_bound_fields(self)
        elif membership.replaces_id:
            self.fields[
                "mandate_end"
            ].help_text = "Une nomination sur un siège vacant vaut pour le mandat restant à courir."
            refresh_bound_fields(self)


def disable_votes_unless_voting(form: forms.Form, category: str, votes: int) -> None:
    """DEC-VOTERS: the votes of a non-voting category are 0 and not editable."""
    field = form.fields["votes"]
    if category in VOTING_CATEGORIES:
        field.initial = votes or 1
        return
    field.initial = 0
    field.disabled = True
    field.help_text = (
        f"Les membres de la catégorie « {Category(category).label} » siègent sans voix "
        "délibérative (article R. 5311-37 du code du travail)."
    )
    refresh_bound_fields(form)


# --- Commissions (INS-CDE-COMMISSIONS) ------------------------------------------------------


class CommissionForm(DsfrBaseForm):
    name = forms.CharField(label="Nom", max_length=255)
    kind = forms.ChoiceField(
        label="Nature",
        choices=[
            (Commission.Kind.COMMISSION, Commission.Kind.COMMISSION.label),
            (Commission.Kind.WORKING_GROUP, Commission.Kind.WORKING_GROUP.label),
            (Commission.Kind.IAE, Commission.Kind.IAE.label),
        ],
        widget=forms.RadioSelect,
        help_text=(
            "Chaque CDE a sa commission inclusion et insertion par l'activité économique dès sa "
            "création."
        ),
    )
    mission = forms.CharField(
        label="Mission", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommissionMemberForm(PersonForm):
    email_label = "Adresse électronique du membre de la commission"

    organisation = forms.CharField(label="Organisme", max_length=255)
    is_chair = forms.BooleanField(label="Préside la commission", required=False)


class ConfirmForm(DsfrBaseForm):
    """An empty form: the confirmation pages post it with their CSRF token."""


# --- Rules of procedure (INS-RULES) -------------------------------------------------------------


class RulesForm(DsfrBaseForm):
    """The headings of INS-RULES, in order; a draft may leave them empty, adoption may not."""

    def __init__(self, *args, rules=None, level: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        level = level or (rules.committee.level if rules is not None else None)
        for field, heading, required in RULES_HEADINGS:
            self.fields[field] = forms.CharField(
                label=heading,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=getattr(rules, field, ""),
                help_text=(
                    "Rubrique à rédiger avant l'adoption."
                    if heading_required(field, required, level)
                    else "Rubrique facultative."
                ),
            )
            if field == "meetings":
                self.fields["min_meetings_per_year"] = forms.IntegerField(
                    label="Réunions par an au minimum",
                    min_value=1,
                    max_value=52,
                    initial=getattr(rules, "min_meetings_per_year", 3),
                    help_text="Trois réunions par an sont conseillées.",
                )
        # DsfrBaseForm styles the fields it finds at init; these were added afterwards.
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)


class AdoptRulesForm(DsfrBaseForm):
    adopted_on = date_field("Date d'adoption par le comité")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopted_on"].initial = date.today()


# --- CREFOP rotation (INS-CRE-CREFOP) ---------------------------------------------------------

YEARS = (1, 2, 3)


class RotationForm(DsfrBaseForm):
    """A grid year × département; each checked box is a seat ``<year>:<code>``."""

    seats = forms.MultipleChoiceField(
        label="Sièges des départements", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, departements, plan: dict[int, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.departements = list(departements)
        self.fields["seats"].choices = [
            (f"{year}:{d.code}", f"{d.name} ({d.code}), année {year}")
            for d in self.departements
            for year in YEARS
        ]
        self.fields["seats"].initial = [
            f"{year}:{code}" for year, codes in plan.items() for code in codes
        ]

    def plan(self) -> dict[int, list[str]]:
        plan: dict[int, list[str]] = {year: [] for year in YEARS}
        for seat in self.cleaned_data["seats"]:
            year, code = seat.split(":", 1)
            plan[int(year)].append(code)
        return plan

    def checked(self) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist("seats"))
        return set(self.fields["seats"].initial)

    def rows(self):
        """One row per département, one cell per year, for the template's grid."""
        checked = self.checked()
        return [
            {
                "departement": d,
                "cells": [
                    {
                        "year": year,
                        "value": f"{year}:{d.code}",
                        "id": f"seat-{year}-{d.code}",
                        "checked": f"{year}:{d.code}" in checked,
                    }
                    for year in YEARS
                ],
            }
            for d in self.departements
        ]


# --- Renewal of the mandates (DEC-MANDATE) ------------------------------------------------------


class RenewalForm(DsfrBaseForm):
    """The seats whose mandate runs out, all checked: the secretariat unchecks those that are
    not renewed (they run out at the end of their mandate and can then be filled)."""

    seats = forms.MultipleChoiceField(
        label="Sièges à renouveler",
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Décochez les sièges qui ne sont pas renouvelés : ils prendront fin à l'échéance de "
            "leur mandat et pourront être pourvus par une nouvelle nomination. Un suppléant est "
            "renouvelé avec son titulaire."
        ),
    )
    renewed_on = date_field(
        "Début des nouveaux mandats",
        help_text="Les mandats en cours prennent fin la veille ; les nouveaux durent trois ans.",
    )
    appointment_arrete = forms.CharField(
        label="Arrêté de renouvellement",
        max_length=255,
        help_text="Par exemple « Arrêté préfectoral n° 69-2027-07-01-001 ».",
    )

    def __init__(self, *args, seats: list[Membership], renewed_on: date | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat_objects = {str(m.pk): m for m in seats}
        self.fields["seats"].choices = [(str(m.pk), seat_label(m)) for m in seats]
        self.fields["seats"].initial = list(self.seat_objects)
        self.fields["renewed_on"].initial = renewed_on
        refresh_bound_fields(self)

    def clean_seats(self):
        return [self.seat_objects[pk] for pk in self.cleaned_data["seats"]]


def seat_label(membership: Membership) -> str:
    role = (
        f"suppléant de {membership.substitute_for.person.get_full_name()}"
        if membership.role == Membership.Role.SUBSTITUTE
        else "titulaire"
    )
    return (
        f"{membership.person.get_full_name()} — {membership.organisation} "
        f"({membership.get_category_display()}, {role}), mandat jusqu'au "
        f"{membership.mandate_end:%d/%m/%Y}"
    )
