"""INS-OPEN-DATA: what the public sees and downloads — published roadmaps and the values of
published indicators, per committee and territory, in CSV (UTF-8, comma, ISO dates) and JSON
with a Table Schema, under Licence Ouverte 2.0.

No personal data ever leaves through here: committees, organisations and roles only, never a
name, e-mail or phone of a person. Each dataset is a fixed list of columns built from the
frozen snapshots and the values; rows are produced lazily so that a region's file streams.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import F, Q

from committees.models import Committee
from roadmaps.models import IndicatorValue, Roadmap, RoadmapVersion

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
PUBLISHER = "Portail des comités territoriaux pour l'emploi"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    title: str
    description: str
    required: bool = False


COMMITTEE_COLUMNS = (
    Column(
        "comite_id",
        "integer",
        "Identifiant du comité",
        "Identifiant du comité dans le portail.",
        True,
    ),
    Column(
        "comite_nom", "string", "Nom du comité", "Nom du comité territorial pour l'emploi.", True
    ),
    Column(
        "comite_niveau",
        "string",
        "Niveau",
        "CRE (régional), CDE (départemental) ou CLE (local).",
        True,
    ),
    Column("region_code", "string", "Code région", "Code INSEE de la région.", True),
    Column(
        "departements", "string", "Départements", "Codes INSEE des départements, séparés par « ; »."
    ),
)

ACTION_SHEET_COLUMNS = (
    *COMMITTEE_COLUMNS,
    Column("feuille_de_route", "string", "Feuille de route", "Titre de la feuille de route.", True),
    Column("version", "integer", "Version", "Numéro de la version publiée.", True),
    Column(
        "publiee_le", "date", "Publiée le", "Date de publication de la version (AAAA-MM-JJ).", True
    ),
    Column(
        "axe_numero", "integer", "Numéro de l'axe", "Rang de l'axe dans la feuille de route.", True
    ),
    Column("axe_intitule", "string", "Axe", "Intitulé de l'axe.", True),
    Column("axe_diagnostic", "string", "Diagnostic de l'axe", "Diagnostic territorial de l'axe."),
    Column("axe_enjeux", "string", "Enjeux de l'axe", "Enjeux de l'axe."),
    Column("axe_objectifs", "string", "Objectifs de l'axe", "Objectifs de l'axe."),
    Column(
        "fiche_id", "integer", "Identifiant de la fiche action", "Identifiant stable de la fiche."
    ),
    Column("fiche_intitule", "string", "Fiche action", "Intitulé de la fiche action."),
    Column(
        "probleme", "string", "Problème territorial", "Problème territorial auquel l'action répond."
    ),
    Column("objectif", "string", "Objectif", "Objectif que se fixent l'ensemble des acteurs."),
    Column("public_vise", "string", "Public visé", "Public visé par l'action."),
    Column("territoire_vise", "string", "Territoire visé", "Territoire visé par l'action."),
    Column("filiere", "string", "Filière", "Filière ou secteur visé."),
    Column("resultats_attendus", "string", "Résultats attendus", "Résultats attendus de l'action."),
    Column(
        "participation_usagers",
        "string",
        "Participation des usagers",
        "Place des usagers dans l'action.",
    ),
    Column("debut", "date", "Début", "Date de début de l'action (AAAA-MM-JJ)."),
    Column("fin", "date", "Fin", "Date de fin de l'action (AAAA-MM-JJ)."),
    Column("etat", "string", "État", "À lancer, en cours, réalisée ou abandonnée."),
    Column(
        "avancement",
        "integer",
        "Avancement (%)",
        "Avancement déclaré à la publication, de 0 à 100.",
    ),
    Column(
        "acteurs",
        "string",
        "Acteurs et engagements",
        "Organismes et leurs engagements, séparés par « | ».",
    ),
    Column(
        "indicateurs",
        "string",
        "Indicateurs spécifiques",
        "Nom (unité) : référence → cible, séparés par « | ».",
    ),
    Column(
        "bonne_pratique", "boolean", "Bonne pratique", "L'action est reconnue comme bonne pratique."
    ),
)

INDICATOR_COLUMNS = (
    *COMMITTEE_COLUMNS,
    Column(
        "indicateur_type",
        "string",
        "Type d'indicateur",
        "« commun » (liste nationale) ou « specifique » (fiche action).",
        True,
    ),
    Column(
        "indicateur_code",
        "string",
        "Code de l'indicateur",
        "Code de l'indicateur commun, ou « spec-<id> ».",
        True,
    ),
    Column("indicateur_nom", "string", "Indicateur", "Nom de l'indicateur.", True),
    Column("unite", "string", "Unité", "Unité de la valeur.", True),
    Column(
        "fiche_id",
        "integer",
        "Fiche action",
        "Identifiant de la fiche action (indicateur spécifique).",
    ),
    Column("date", "date", "Date de la mesure", "Date de la mesure (AAAA-MM-JJ).", True),
    Column("valeur", "number", "Valeur", "Valeur mesurée (séparateur décimal : point).", True),
    Column(
        "typologie", "string", "Typologie", "Code de la typologie de ventilation (vide : total)."
    ),
    Column("categorie", "string", "Catégorie", "Code de la catégorie (vide : total)."),
)

DATASETS = {
    "fiches-action": {
        "title": "Feuilles de route publiées des comités pour l'emploi : axes et fiches action",
        "columns": ACTION_SHEET_COLUMNS,
    },
    "indicateurs": {
        "title": "Valeurs des indicateurs des comités pour l'emploi",
        "columns": INDICATOR_COLUMNS,
    },
}


def table_schema(dataset: str, *, url: str = "") -> dict:
    """The Table Schema (frictionless, as on schema.data.gouv.fr) of a dataset."""
    spec = DATASETS[dataset]
    fields = []
    for column in spec["columns"]:
        item = {
            "name": column.name,
            "title": column.title,
            "description": column.description,
            "type": column.type,
        }
        if column.type == "date":
            item["format"] = "%Y-%m-%d"
        if column.type == "boolean":
            item["trueValues"], item["falseValues"] = ["true"], ["false"]
        if column.required:
            item["constraints"] = {"required": True}
        fields.append(item)
    schema = {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": dataset,
        "title": spec["title"],
        "description": f"{spec['title']}. Aucune donnée personnelle : organismes et rôles uniquement.",
        "licenses": [LICENCE],
        "contributors": [{"title": PUBLISHER, "role": "author"}],
        "fields": fields,
        "missingValues": [""],
    }
    if url:
        schema["path"] = url
    return schema


# --- Scopes -------------------------------------------------------------------------------------


def public_roadmaps(*, region: str = "", departement: str = "", committee: str = ""):
    roadmaps = Roadmap.objects.published()
    if region:
        roadmaps = roadmaps.filter(committee__region_id=region)
    if departement:
        roadmaps = roadmaps.filter(committee__departements=departement)
    if committee:
        roadmaps = roadmaps.filter(committee_id=committee)
    return roadmaps.distinct()


def public_committees(**scope):
    return Committee.objects.filter(pk__in=public_roadmaps(**scope).values("committee_id"))


def latest_versions(**scope):
    return RoadmapVersion.objects.filter(
        roadmap__in=public_roadmaps(**scope), number=F("roadmap__published_version")
    )


def public_values(**scope):
    """Values of common indicators of committees that published a roadmap, and values of
    specific indicators that a published version contains."""
    return IndicatorValue.objects.filter(
        committee__in=public_committees(**scope).values("pk"),
    ).filter(
        Q(result_indicator__isnull=False) | Q(roadmap_indicator__first_published_at__isnull=False)
    )


def _departements_by_committee(committee_ids) -> dict[int, str]:
    through = Committee.departements.through
    result: dict[int, list[str]] = {}
    for committee_id, code in (
        through.objects.filter(committee_id__in=committee_ids)
        .order_by("committee_id", "departement_id")
        .values_list("committee_id", "departement_id")
    ):
        result.setdefault(committee_id, []).append(code)
    return {k: ";".join(v) for k, v in result.items()}


def _committee_cells(committee: dict, departements: dict[int, str]) -> dict:
    return {
        "comite_id": committee["id"],
        "comite_nom": committee["name"],
        "comite_niveau": {"regional": "CRE", "departmental": "CDE", "local": "CLE"}[
            committee["level"]
        ],
        "region_code": committee["region"],
        "departements": departements.get(committee["id"], ""),
    }


# --- Rows ---------------------------------------------------------------------------------------


def action_sheet_rows(**scope) -> Iterator[dict]:
    """One row per action sheet of the last published version of each roadmap in scope."""
    versions = latest_versions(**scope).select_related("roadmap").order_by("roadmap__committee_id")
    departements = _departements_by_committee(public_committees(**scope).values("pk"))
    for version in versions.iterator(chunk_size=200):
        snapshot = version.snapshot
        base = {
            **_committee_cells(snapshot["committee"], departements),
            "feuille_de_route": snapshot["title"],
            "version": version.number,
            "publiee_le": version.published_at.date().isoformat(),
        }
        for number, axis in enumerate(snapshot["axes"], start=1):
            axis_cells = {
                "axe_numero": number,
                "axe_intitule": axis["title"],
                "axe_diagnostic": axis["diagnostic"],
                "axe_enjeux": axis["stakes"],
                "axe_objectifs": axis["objectives"],
            }
            for sheet in axis["sheets"] or [None]:
                row = {**base, **axis_cells}
                if sheet is not None:
                    row |= {
                        "fiche_id": sheet["key"],
                        "fiche_intitule": sheet["title"],
                        "probleme": sheet["problem"],
                        "objectif": sheet["objective"],
                        "public_vise": sheet["target_public"],
                        "territoire_vise": sheet["target_territory"],
                        "filiere": sheet["sector"],
                        "resultats_attendus": sheet["expected_results"],
                        "participation_usagers": sheet["users_participation"],
                        "debut": sheet["starts_on"] or "",
                        "fin": sheet["ends_on"] or "",
                        "etat": sheet["status_label"],
                        "avancement": sheet["progress"],
                        "acteurs": " | ".join(
                            f"{a['organisation']} : {a['commitment']}" for a in sheet["actors"]
                        ),
                        "indicateurs": " | ".join(
                            f"{i['name']} ({i['unit']}) : {i['baseline'] or ''} → {i['target'] or ''}"
                            for i in sheet["indicators"]
                        ),
                        "bonne_pratique": bool(sheet["good_practice"]),
                    }
                yield row


def indicator_rows(**scope) -> Iterator[dict]:
    """One row per public value, in a stable order."""
    committees = {
        c["pk"]: c for c in public_committees(**scope).values("pk", "name", "level", "region_id")
    }
    departements = _departements_by_committee(list(committees))
    values = (
        public_values(**scope)
        .order_by(
            "committee_id", "result_indicator_id", "roadmap_indicator_id", "period", "category_id"
        )
        .values_list(
            "committee_id",
            "result_indicator__code",
            "result_indicator__name",
            "result_indicator__unit",
            "roadmap_indicator_id",
            "roadmap_indicator__name",
            "roadmap_indicator__unit",
            "roadmap_indicator__sheet_id",
            "period",
            "value",
            "category__typology__code",
            "category__code",
        )
    )
    for (
        committee_id,
        common_code,
        common_name,
        common_unit,
        specific_id,
        specific_name,
        specific_unit,
        sheet_id,
        period,
        value,
        typology,
        category,
    ) in values.iterator(chunk_size=2000):
        committee = committees[committee_id]
        yield {
            **_committee_cells(
                {
                    "id": committee_id,
                    "name": committee["name"],
                    "level": committee["level"],
                    "region": committee["region_id"],
                },
                departements,
            ),
            "indicateur_type": "commun" if common_code else "specifique",
            "indicateur_code": common_code or f"spec-{specific_id}",
            "indicateur_nom": common_name or specific_name,
            "unite": common_unit or specific_unit,
            "fiche_id": sheet_id or "",
            "date": period.isoformat(),
            "valeur": format(value.normalize(), "f"),
            "typologie": typology or "",
            "categorie": category or "",
        }


ROWS = {"fiches-action": action_sheet_rows, "indicateurs": indicator_rows}
