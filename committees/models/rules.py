"""The rules of the decree and the instruction that shape a committee, as data.

Each constant cites its rule id; services and forms read these, never their own copies.
"""

from datetime import date

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

# DEC-MAX: the maximum is a number of *appointed* members, the categories of the decree's lists
# that the préfet appoints by arrêté: State, local authorities and (regional, departmental)
# social partners, i.e. the voting categories (DEC-VOTERS). France Travail, the Missions
# locales and Cap emploi, which the text names apart, co-presidents, substitutes and invited
# members are not counted.
MAX_COUNTED_CATEGORIES = VOTING_CATEGORIES

# What the composition screens say is counted against the maximum (plain French).
MAX_COUNT_EXPLANATION = (
    "Sont comptés les membres titulaires nommés par arrêté à voix délibérative : "
    "représentants de l'État, des collectivités territoriales et, aux niveaux régional et "
    "départemental, des partenaires sociaux. Ne sont comptés ni les co-présidents, ni les "
    "suppléants, ni France Travail, les Missions locales et Cap emploi, ni les autres membres "
    "du réseau pour l'emploi et les experts invités."
)


def has_mandate(level: str, category: str) -> bool:
    """DEC-MANDATE (R. 5311-36): the appointed members serve a three-year mandate: the
    voting categories, plus the Missions locales and Cap emploi at departmental level. France
    Travail (and the Missions locales and Cap emploi elsewhere) sit by law: their seat does
    not expire by default."""
    if category in VOTING_CATEGORIES:
        return True
    return level == Level.DEPARTMENTAL and category in (
        Category.MISSIONS_LOCALES,
        Category.CAP_EMPLOI,
    )


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

# INS-COMPOSITION / INS-CLE-BALANCE: the other network members and experts are not among the
# permanent categories (State, local authorities, social partners, France Travail, Missions
# locales, Cap emploi), even when a seat of theirs is kept from meeting to meeting.
NOT_PERMANENT_CATEGORIES = frozenset({Category.OTHER_NETWORK, Category.INVITED_EXPERT})


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


# INS-DATES: committees are installed from July 2024 in metropolitan France (the articles
# R. 5311-17 and following of the code du travail are in force on 1 July 2024: a committee
# cannot be installed under them before) and from September 2024 in the Outre-mer (the
# instruction's schedule, given the later publication of the texts: a warning, not a refusal).
INSTALLATION_FROM = date(2024, 7, 1)
INSTALLATION_FROM_OUTRE_MER = date(2024, 9, 1)
