"""Forms of the committee screens (list filters, creation, perimeter, installation…).

Forms check the shape of what is typed; the rules of the decree and the instruction live in
``committees.services`` and come back as ``RuleError``, shown on the form by
``cte_portal.core.forms.add_rule_error``.
"""

from pathlib import Path

from django import forms
from django.db.models import Count, Exists, OuterRef, Q
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from committees.models import (
    Committee,
    CrefopMode,
    FormerInstance,
    Level,
    SpecialAuthority,
    StaffAssignment,
    WrittenOpinion,
)
from committees.models.rules import MAX_COUNT_EXPLANATION
from cte_portal.core.forms import DateInput
from cte_portal.core.permissions import is_admin
from cte_portal.core.uploads import UploadValidator
from territories.models import (
    Arrondissement,
    Commune,
    Departement,
    EmploymentArea,
    Epci,
    Ept,
    MunicipalArrondissement,
    Region,
)

# Beyond this many choices a list of checkboxes gets long: a multiple select is used instead.
CHECKBOXES_UP_TO = 15
DOCUMENT_EXTENSIONS = (".pdf", ".odt", ".docx", ".doc", ".png", ".jpg", ".jpeg")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def _assignments(user):
    return StaffAssignment.objects.active().filter(user=user)


def managed_departement_codes(user) -> set[str]:
    """The départements of the user's active DDETS assignments."""
    return set(
        _assignments(user)
        .filter(service=StaffAssignment.Service.DDETS)
        .values_list("departement_id", flat=True)
    )


def _multiple_widget(queryset, size: int = 8):
    if queryset.count() <= CHECKBOXES_UP_TO:
        return forms.CheckboxSelectMultiple()
    return forms.SelectMultiple(attrs={"size": size})


# --- List ---------------------------------------------------------------------------------------


class CommitteeFilterForm(DsfrBaseForm):
    q = forms.CharField(label="Nom du comité", required=False, max_length=100)
    level = forms.ChoiceField(
        label="Niveau", required=False, choices=[("", "Tous les niveaux"), *Level.choices]
    )
    departement = forms.ModelChoiceField(
        label="Département",
        required=False,
        queryset=Departement.objects.none(),
        empty_label="Tous les départements",
    )
    status = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[("", "Tous les statuts"), *Committee.Status.choices],
    )

    def __init__(self, *args, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = departements

    def filter(self, committees):
        if not self.is_valid():
            return committees
        data = self.cleaned_data
        if data["q"]:
            committees = committees.filter(name__icontains=data["q"].strip())
        if data["level"]:
            committees = committees.filter(level=data["level"])
        if data["departement"]:
            committees = committees.filter(departements=data["departement"])
        if data["status"]:
            committees = committees.filter(status=data["status"])
        return committees


# --- Creation and edition -----------------------------------------------------------------------


def creation_scope(user) -> tuple[list[tuple[str, str]], object, object]:
    """Levels, regions and départements the user may pick when creating a committee (the
    choices only: ``permissions.can_create_committee`` decides on the submitted values)."""
    if is_admin(user):
        return list(Level.choices), Region.objects.current(), Departement.objects.current()
    assignments = _assignments(user)
    dreets_regions = set(
        assignments.filter(service=StaffAssignment.Service.DREETS).values_list(
            "region_id", flat=True
        )
    )
    ddets_regions = set(
        assignments.filter(service=StaffAssignment.Service.DDETS).values_list(
            "departement__region_id", flat=True
        )
    )
    levels = []
    if dreets_regions:
        levels.append((Level.REGIONAL, Level.REGIONAL.label))
    if ddets_regions:
        levels += [
            (Level.DEPARTMENTAL, Level.DEPARTMENTAL.label),
            (Level.LOCAL, Level.LOCAL.label),
        ]
    regions = Region.objects.current().filter(code__in=dreets_regions | ddets_regions)
    # An inter-departmental CLE may take in a neighbouring département of the region.
    departements = Departement.objects.current().filter(region_id__in=ddets_regions)
    return levels, regions, departements


class CommitteeCreateForm(DsfrBaseForm):
    level = forms.ChoiceField(label="Niveau", choices=())
    name = forms.CharField(
        label="Nom du comité",
        max_length=255,
        help_text="Par exemple « CLE Beaujolais – Val de Saône ».",
    )
    region = forms.ModelChoiceField(
        label="Région",
        required=False,
        queryset=Region.objects.none(),
        empty_label="Celle des départements choisis",
        help_text="Obligatoire pour un comité régional.",
    )
    departements = forms.ModelMultipleChoiceField(
        label="Départements",
        required=False,
        queryset=Departement.objects.none(),
        help_text=(
            "Comité départemental ou local. Un CLE peut couvrir plusieurs départements, "
            "voire déborder sur une autre région, avec l'avis écrit des collectivités "
            "concernées."
        ),
    )
    special_authority = forms.ChoiceField(
        label="Collectivité exerçant les compétences départementales",
        required=False,
        choices=SpecialAuthority.choices,
        help_text=(
            "Comité départemental uniquement (article R. 5311-28 du code du travail) : Métropole de Lyon à côté du "
            "comité du Rhône, Collectivité européenne d'Alsace (67 et 68), Collectivité de "
            "Corse (2A et 2B)."
        ),
    )
    crefop_mode = forms.ChoiceField(
        label="Articulation avec le CREFOP",
        required=False,
        choices=[("", "Sans objet (comité départemental ou local)"), *CrefopMode.choices],
        help_text="Comité régional uniquement.",
    )
    outre_mer_single = forms.BooleanField(
        label="Comité unique régional et départemental (outre-mer)",
        required=False,
        help_text=(
            "Guadeloupe, Martinique, Guyane, La Réunion, Mayotte : un seul comité tient lieu de "
            "comité régional et départemental (décret n° 2024-1147). Choisissez alors le niveau "
            "« comité départemental » et le département."
        ),
    )
    arrete_reference = forms.CharField(
        label="Référence de l'arrêté préfectoral",
        required=False,
        max_length=255,
        help_text=Committee._meta.get_field("arrete_reference").help_text,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        levels, regions, departements = creation_scope(user)
        self.fields["level"].choices = levels
        self.fields["region"].queryset = regions
        # The widget first: setting the queryset hands its choices to the widget in place.
        self.fields["departements"].widget = _multiple_widget(departements)
        self.fields["departements"].queryset = departements
        dsfr_input_class_attr(self["departements"])
        offered = {value for value, _label in levels}
        if not departements.filter(zone="drom").exists():
            del self.fields["outre_mer_single"]
        if Level.REGIONAL not in offered:
            # A DDETS agent: the region follows the départements, there is no CREFOP.
            del self.fields["region"], self.fields["crefop_mode"]
            self.fields["departements"].required = True
            self.fields["departements"].initial = sorted(managed_departement_codes(user))
        elif offered == {Level.REGIONAL}:
            # A DREETS agent creates the CRE of their region only.
            del self.fields["departements"], self.fields["special_authority"]
            self.fields.pop("outre_mer_single", None)
            self.fields["region"].required = True
            self.fields["region"].empty_label = None
            # left optional: the service refuses a CRE without it, with its rule (INS-CRE-CREFOP)
            self.fields["crefop_mode"].choices = [("", "À choisir"), *CrefopMode.choices]

    def clean(self):
        data = super().clean()
        for name, empty in (
            ("region", None),
            ("departements", []),
            ("special_authority", ""),
            ("crefop_mode", ""),
            ("outre_mer_single", False),
        ):
            data.setdefault(name, empty)
        level = data.get("level")
        if level == Level.REGIONAL:
            if not data.get("region"):
                self.add_error("region", "Choisissez la région du comité régional.")
            data["departements"] = []
        elif level:
            departements = list(data.get("departements") or [])
            if not departements:
                self.add_error("departements", "Choisissez le ou les départements du comité.")
            elif not data.get("region"):
                data["region"] = departements[0].region
        return data


class CommitteeEditForm(DsfrBaseForm):
    name = forms.CharField(label="Nom du comité", max_length=255)
    arrete_reference = forms.CharField(
        label="Référence de l'arrêté préfectoral",
        required=False,
        max_length=255,
        help_text=Committee._meta.get_field("arrete_reference").help_text,
    )
    crefop_mode = forms.ChoiceField(label="Articulation avec le CREFOP", choices=CrefopMode.choices)
    max_members_override = forms.IntegerField(
        label="Nombre maximal de membres nommés fixé par arrêté",
        required=False,
        min_value=1,
        max_value=100,
        help_text=("À défaut, le maximum prévu par le décret s'applique. " + MAX_COUNT_EXPLANATION),
    )
    max_members_basis = forms.CharField(
        label="Fondement de ce maximum",
        required=False,
        max_length=255,
        help_text="L'arrêté préfectoral qui fixe ce nombre.",
    )

    def __init__(self, *args, committee: Committee, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": committee.name,
                "arrete_reference": committee.arrete_reference,
                "crefop_mode": committee.crefop_mode,
                "max_members_override": committee.max_members_override,
                "max_members_basis": committee.max_members_basis,
            },
        )
        super().__init__(*args, **kwargs)
        if committee.level != Level.REGIONAL:
            del self.fields["crefop_mode"]

    def clean(self):
        data = super().clean()
        if data.get("max_members_override") and not (data.get("max_members_basis") or "").strip():
            self.add_error(
                "max_members_basis", "Indiquez l'arrêté qui fixe ce nombre maximal de membres."
            )
        return data


# --- Perimeter of a CLE (INS-CLE-PERIMETER) -----------------------------------------------------


class CommuneChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class CountedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        count = obj.commune_count
        return f"{obj.name} — {count} commune{'s' if count > 1 else ''}"


def perimeter_departements(committee: Committee, user, extra_codes=()):
    """Where the communes of a CLE may be picked: its départements and those the user
    manages within its region (an inter-departmental CLE reaches a neighbour's communes),
    and any département asked for (``extra_codes``: a CLE may cross the regional boundary,
    DEC-CLE-PERIMETER)."""
    codes = set(committee.departements.values_list("code", flat=True))
    in_region = Departement.objects.current().filter(region_id=committee.region_id)
    codes |= set(
        in_region.filter(code__in=managed_departement_codes(user)).values_list("code", flat=True)
    )
    if not codes:
        codes = set(in_region.values_list("code", flat=True))
    codes |= set(extra_codes)
    return Departement.objects.current().filter(code__in=codes)


class PerimeterForm(DsfrBaseForm):
    arrondissements = CountedChoiceField(
        label="Arrondissements",
        required=False,
        queryset=Arrondissement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    epcis = CountedChoiceField(
        label="EPCI à fiscalité propre",
        required=False,
        queryset=Epci.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Toutes les communes de l'EPCI, y compris hors du département.",
    )
    epts = CountedChoiceField(
        label="Établissements publics territoriaux (Grand Paris)",
        required=False,
        queryset=Ept.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    employment_areas = CountedChoiceField(
        label="Bassins d'emploi",
        required=False,
        queryset=EmploymentArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Les bassins définis par les services de l'État, avec toutes leurs communes.",
    )
    municipal_arrondissements = forms.ModelMultipleChoiceField(
        label="Arrondissements municipaux (Paris, Lyon, Marseille)",
        required=False,
        queryset=MunicipalArrondissement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Pour ne retenir qu'une partie de la ville ; sans effet si la ville est retenue "
        "en entier.",
    )
    communes = CommuneChoiceField(
        label="Communes ajoutées une à une",
        required=False,
        queryset=Commune.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    extend_to = forms.ModelMultipleChoiceField(
        label="Proposer aussi les communes d'autres départements",
        required=False,
        queryset=Departement.objects.none(),
        help_text=(
            "Un comité local peut dépasser les limites du département, voire de la région, "
            "avec l'avis écrit des collectivités concernées. Choisissez puis prévisualisez."
        ),
    )

    def __init__(self, *args, committee: Committee, user, **kwargs):
        super().__init__(*args, **kwargs)
        extra = self.data.getlist("extend_to") if hasattr(self.data, "getlist") else []
        extra = [code for code in extra if isinstance(code, str) and len(code) <= 3]
        self.departements = perimeter_departements(committee, user, extra)
        codes = list(self.departements.values_list("code", flat=True))
        others = Departement.objects.current().exclude(code__in=codes).order_by("code")
        self.fields["extend_to"].widget = _multiple_widget(others)
        self.fields["extend_to"].queryset = Departement.objects.current().order_by("code")
        dsfr_input_class_attr(self["extend_to"])
        current = Q(communes__is_current=True)

        def touching(model):
            return Exists(
                Commune.objects.current().filter(
                    **{model._meta.model_name: OuterRef("pk")}, departement_id__in=codes
                )
            )

        self.fields["arrondissements"].queryset = (
            Arrondissement.objects.current()
            .filter(departement_id__in=codes)
            .annotate(commune_count=Count("communes", filter=current))
            .order_by("code")
        )
        self.fields["epcis"].queryset = (
            Epci.objects.current()
            .filter(touching(Epci))
            .annotate(commune_count=Count("communes", filter=current))
            .order_by("name")
        )
        epts = (
            Ept.objects.current()
            .filter(touching(Ept))
            .annotate(commune_count=Count("communes", filter=current))
            .order_by("name")
        )
        if epts.exists():
            self.fields["epts"].queryset = epts
        else:
            del self.fields["epts"]
        self.fields["communes"].queryset = (
            Commune.objects.current().filter(departement_id__in=codes).order_by("name", "code")
        )
        self.fields["employment_areas"].queryset = (
            EmploymentArea.objects.filter(departement_id__in=codes)
            .annotate(commune_count=Count("communes", filter=current))
            .order_by("name")
        )
        municipal = (
            MunicipalArrondissement.objects.current()
            .filter(commune__departement_id__in=codes)
            .order_by("code")
        )
        if municipal.exists():
            self.fields["municipal_arrondissements"].queryset = municipal
        else:
            del self.fields["municipal_arrondissements"]

    @classmethod
    def initial_for(cls, committee: Committee) -> dict:
        return {
            "arrondissements": list(
                committee.perimeter_arrondissements.values_list("pk", flat=True)
            ),
            "epcis": list(committee.perimeter_epcis.values_list("pk", flat=True)),
            "epts": list(committee.perimeter_epts.values_list("pk", flat=True)),
            "communes": list(committee.perimeter_communes.values_list("pk", flat=True)),
            "employment_areas": list(
                committee.perimeter_employment_areas.values_list("pk", flat=True)
            ),
            "municipal_arrondissements": list(
                committee.perimeter_municipal_arrondissements.values_list("pk", flat=True)
            ),
        }

    def selection(self) -> dict:
        data = self.cleaned_data
        return {
            "arrondissements": list(data.get("arrondissements") or []),
            "epcis": list(data.get("epcis") or []),
            "epts": list(data.get("epts") or []),
            "communes": list(data.get("communes") or []),
            "employment_areas": list(data.get("employment_areas") or []),
            "municipal_arrondissements": list(data.get("municipal_arrondissements") or []),
        }


# --- Installation and dissolution ---------------------------------------------------------------


class InstallForm(DsfrBaseForm):
    installed_on = forms.DateField(label="Date d'installation", widget=DateInput)
    arrete_reference = forms.CharField(
        label="Référence de l'arrêté préfectoral",
        max_length=255,
        help_text=Committee._meta.get_field("arrete_reference").help_text,
    )


class DissolveForm(DsfrBaseForm):
    dissolved_on = forms.DateField(label="Date de dissolution", widget=DateInput)


# --- Former instances (INS-REPLACES) and written opinions (INS-WRITTEN-OPINIONS) ----------------


class FormerInstanceForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Nature", choices=FormerInstance.Kind.choices)
    name = forms.CharField(
        label="Nom de l'instance",
        max_length=255,
        help_text="Par exemple « SPED du Rhône » ou « SPEL de Villefranche-sur-Saône ».",
    )
    outcome = forms.ChoiceField(
        label="Sort de l'instance",
        choices=FormerInstance.Outcome.choices,
        widget=forms.RadioSelect,
    )


class WrittenOpinionForm(DsfrBaseForm):
    subject = forms.ChoiceField(label="Objet de l'avis", choices=WrittenOpinion.Subject.choices)
    authority = forms.CharField(
        label="Collectivité",
        max_length=255,
        help_text="Par exemple « Conseil départemental de l'Ain ».",
    )
    departement = forms.ModelChoiceField(
        label="Département concerné",
        required=False,
        queryset=Departement.objects.none(),
        empty_label="—",
        help_text="Pour un CLE interdépartemental : le département de la collectivité.",
    )
    given_on = forms.DateField(label="Date de l'avis", widget=DateInput)
    document = forms.FileField(
        label="Document",
        help_text="PDF, ODT, DOCX ou image, 10 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_EXTENSIONS)}),
        validators=[
            UploadValidator(
                DOCUMENT_EXTENSIONS,
                extension_message="Format non accepté : PDF, ODT, DOCX, PNG ou JPEG.",
            )
        ],
    )

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = committee.departements.all()
        subjects = WrittenOpinion.Subject
        # INS-WRITTEN-OPINIONS: a CLE across départements, or a CRE merged with the CREFOP.
        if committee.level == Level.REGIONAL:
            self.fields["subject"].choices = [
                (subjects.CREFOP_MERGER, subjects.CREFOP_MERGER.label)
            ]
            del self.fields["departement"]
        elif committee.level == Level.LOCAL:
            self.fields["subject"].choices = [
                (subjects.INTERDEPARTMENTAL_CLE, subjects.INTERDEPARTMENTAL_CLE.label)
            ]
        elif committee.special_authority:
            # DEC-SPECIAL-CDE: the collectivité president's opinion on the composition.
            self.fields["subject"].choices = [(subjects.SPECIAL_CDE, subjects.SPECIAL_CDE.label)]
            self.fields["authority"].initial = committee.get_special_authority_display()

    def clean_document(self):
        document = self.cleaned_data["document"]
        if Path(document.name).suffix.lower() not in DOCUMENT_EXTENSIONS:
            raise forms.ValidationError("Format non accepté : PDF, ODT, DOCX, PNG ou JPEG.")
        if document.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError("Le document dépasse 10 Mo.")
        return document
