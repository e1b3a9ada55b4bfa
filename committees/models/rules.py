"""The rules of the decree and the instruction that shape a committee, as data.

Each constant cites its rule id; services and forms read these, never their own copies.
"""

from django.db import models


class Level(models.TextChoices):
    # INS-LEVELS
    REGIONAL = "regional", "Comité régional pour l'emploi (CRE)"
    DEPARTMENTAL = "departmental", "Comité départemental pour l'emploi (CDE)"
    LOCAL = "local", "Comité local pour l'emploi (CLE)"


LEVEL_SHORT = {Level.REGIONAL: "CRE", Level.DEPARTMENTAL: "CDE", Level.LOCAL: "CLE"}


class Category(models.TextChoices):
    # DEC-CATEGORIES
    STATE = "state", "État"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Départements"
    COMMUNES_EPCI = "communes_epci", "Communes et EPCI"
    EMPLOYEE_UNIONS = "employee_unions", "Organisations syndicales de salariés"
    EMPLOYER_ORGS = "employer_orgs", "Organisations professionnelles d'employeurs"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSIONS_LOCALES = "missions_locales", "Missions locales"
    CAP_EMPLOI = "cap_emploi", "Cap emploi"
    OTHER_NETWORK = "other_network", "Autre membre du réseau pour l'emploi"
    INVITED_EXPERT = "invited_expert", "Expert invité"


class Side(models.TextChoices):
    """Which side of the balance of votes a category or co-president stands on (DEC-VOTES)."""

    STATE = "state", "État"
    LOCAL_AUTHORITIES = "local_authorities", "Collectivités territoriales"
    SOCIAL_PARTNERS = "social_partners", "Partenaires sociaux"
    NETWORK = "network", "Réseau pour l'emploi (sans voix délibérative)"


CATEGORY_SIDE = {
    Category.STATE: Side.STATE,
    Category.REGION: Side.LOCAL_AUTHORITIES,
    Category.DEPARTEMENT: Side.LOCAL_AUTHORITIES,
    Category.COMMUNES_EPCI: Side.LOCAL_AUTHORITIES,
    Category.EMPLOYEE_UNIONS: Side.SOCIAL_PARTNERS,
    Category.EMPLOYER_ORGS: Side.SOCIAL_PARTNERS,
}

# DEC-VOTERS (R. 5311-37): only State, local authorities and social partners vote. France
# Travail, Missions locales, Cap emploi, other network members and experts never do.
VOTING_CATEGORIES = frozenset(CATEGORY_SIDE)

SOCIAL_PARTNERS = frozenset({Category.EMPLOYEE_UNIONS, Category.EMPLOYER_ORGS})

# INS-COMPOSITION / DEC-CATEGORIES: the permanent categories each level must seat before it
# is installed. Social partners sit at regional and departmental levels, never at local level.
REQUIRED_CATEGORIES = {
    Level.REGIONAL: (
        Category.STATE,
        Category.REGION,
        Category.DEPARTEMENT,
        Category.EMPLOYEE_UNIONS,
        Category.EMPLOYER_ORGS,
        Category.FRANCE_TRAVAIL,
        Category.MISSIONS_LOCALES,
        Category.CAP_EMPLOI,
    ),
    Level.DEPARTMENTAL: (
        Category.STATE,
        Category.DEPARTEMENT,
        Category.EMPLOYEE_UNIONS,
        Category.EMPLOYER_ORGS,
        Category.FRANCE_TRAVAIL,
        Category.MISSIONS_LOCALES,
        Category.CAP_EMPLOI,
    ),
    Level.LOCAL: (
        Category.STATE,
        Category.COMMUNES_EPCI,
        Category.FRANCE_TRAVAIL,
        Category.MISSIONS_LOCALES,
        Category.CAP_EMPLOI,
    ),
}

# Categories that are invited per topic, never permanent members (INS-COMPOSITION).
INVITED_ONLY = frozenset({Category.INVITED_EXPERT})


class SpecialAuthority(models.TextChoices):
    """DEC-SPECIAL-CDE / INS-CDE-RHONE / INS-CDE-SINGLE."""

    NONE = "", "Conseil départemental"
    METROPOLE_LYON = "metropole_lyon", "Métropole de Lyon"
    CEA = "cea", "Collectivité européenne d'Alsace"
    CORSE = "corse", "Collectivité de Corse"


# The départements each special collectivité covers, and whether a plain CDE (conseil
# départemental) still exists beside it on the same département.
SPECIAL_CDE = {
    SpecialAuthority.METROPOLE_LYON: {"departements": ("69",), "beside_plain_cde": True},
    SpecialAuthority.CEA: {"departements": ("67", "68"), "beside_plain_cde": False},
    SpecialAuthority.CORSE: {"departements": ("2A", "2B"), "beside_plain_cde": False},
}


class CrefopMode(models.TextChoices):
    # INS-CRE-CREFOP
    WITHIN = "within", "Au sein du CREFOP"
    MERGED = "merged", "Fusion avec le CREFOP"


# DEC-OUTRE-MER (décret n° 2024-1147, ordonnance n° 2024-534): in a DROM, the regional and
# departmental levels may form one committee (within the CREFOP, at most 47 members).
# Guadeloupe and La Réunion keep a region and a département: the single committee is
# co-presided by the préfet, the président du conseil régional and the président du conseil
# départemental. Guyane and Martinique (collectivités territoriales uniques) and Mayotte (a
# single collectivité exercising both powers): the préfet and the président of the
# collectivité. The separate CRE + CDE remain lawful everywhere: the merger is an option.
OUTRE_MER_SINGLE = {
    "01": {
        "name": "Guadeloupe",
        "authorities": (
            "Conseil régional de la Guadeloupe",
            "Conseil départemental de la Guadeloupe",
        ),
    },
    "02": {"name": "Martinique", "authorities": ("Collectivité territoriale de Martinique",)},
    "03": {"name": "Guyane", "authorities": ("Collectivité territoriale de Guyane",)},
    "04": {
        "name": "La Réunion",
        "authorities": ("Conseil régional de La Réunion", "Conseil départemental de La Réunion"),
    },
    "06": {"name": "Mayotte", "authorities": ("Département de Mayotte",)},
}


def outre_mer_single_rule(region_code: str) -> dict | None:
    """DEC-OUTRE-MER: the single committee's shape in this region, or None outside the DROM."""
    return OUTRE_MER_SINGLE.get(region_code)


def required_categories(committee) -> tuple:
    """INS-COMPOSITION / DEC-CATEGORIES, with DEC-OUTRE-MER: the permanent categories a
    committee must seat. A DROM single committee seats the State, its collectivité(s) and
    the social partners: Région and Département where both exist, else the single
    collectivité under either category (see ``missing_required``)."""
    if getattr(committee, "outre_mer_single", False):
        return REQUIRED_CATEGORIES[Level.REGIONAL]
    return REQUIRED_CATEGORIES[committee.level]


def missing_required(committee, present: set) -> list:
    """The required categories with no titular, given the ``present`` categories."""
    missing = [c for c in required_categories(committee) if c not in present]
    rule = outre_mer_single_rule(committee.region_id) if committee.outre_mer_single else None
    if rule and len(rule["authorities"]) == 1:
        # One collectivité holds both powers: seated as Région or as Département, it counts once.
        local = {Category.REGION, Category.DEPARTEMENT}
        if present & local:
            missing = [c for c in missing if c not in local]
        else:
            missing = [c for c in missing if c != Category.DEPARTEMENT]
    return missing
