"""The words a funders' conference speaks (INS-FUNDERS): kinds of funders, kinds of schemes,
target publics, kinds of conventions — as data, with the aliases that let the analysis match
the free texts of the roadmaps' action sheets against them.
"""

import re
import unicodedata

from django.db import models


class FunderKind(models.TextChoices):
    # INS-FUNDERS: « État (y compris le FSE), Région, Département, communes et EPCI, tout
    # contributeur » — France Travail named apart, Agefiph, CAF, OPCO… as other contributors.
    STATE = "state", "État (y compris le FSE+)"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    COMMUNES_EPCI = "communes_epci", "Communes et EPCI"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    OTHER = "other", "Autre contributeur (Agefiph, CAF, OPCO…)"


class SchemeKind(models.TextChoices):
    """The kind of scheme a funding line pays for: two funders paying for the same public and
    territory with the same kind of scheme overlap (INS-FUNDERS: complementarity)."""

    SUPPORT = "support", "Accompagnement vers l'emploi"
    TRAINING = "training", "Formation"
    IAE = "iae", "Insertion par l'activité économique (IAE)"
    MOBILITY = "mobility", "Mobilité"
    CHILDCARE = "childcare", "Garde d'enfants"
    HEALTH = "health", "Santé"
    HOUSING = "housing", "Logement"
    INDIVIDUAL_AID = "individual_aid", "Aide financière individuelle"
    HIRING_AID = "hiring_aid", "Aide à l'embauche et contrats aidés"
    BUSINESS_CREATION = "business_creation", "Création d'activité"
    OTHER = "other", "Autre"


class Public(models.TextChoices):
    """Target publics (INS-CDE-MISSIONS: people far from employment, RSA…)."""

    RSA = "rsa", "Bénéficiaires du RSA"
    YOUTH = "youth", "Jeunes de 16 à 25 ans"
    LONG_TERM_JOBSEEKERS = "long_term", "Demandeurs d'emploi de longue durée"
    JOBSEEKERS = "jobseekers", "Demandeurs d'emploi"
    DISABLED = "disabled", "Personnes en situation de handicap"
    SENIORS = "seniors", "Seniors (50 ans et plus)"
    QPV = "qpv", "Habitants des quartiers prioritaires (QPV)"
    SINGLE_PARENTS = "single_parents", "Familles monoparentales"
    REFUGEES = "refugees", "Personnes réfugiées et primo-arrivantes"
    IAE_EMPLOYEES = "iae_employees", "Salariés en insertion (IAE)"
    ALL = "all", "Tous publics"
    OTHER = "other", "Autre public (à préciser)"


# Normalised fragments (see ``normalize``) that name each public in a free text. Checked in
# this order; a text may name several publics (« jeunes et bénéficiaires du RSA »).
PUBLIC_ALIASES: dict[str, tuple[str, ...]] = {
    Public.RSA: ("rsa", "revenu de solidarite", "brsa"),
    Public.YOUTH: ("jeune", "16 25", "moins de 26", "neet", "cej"),
    Public.LONG_TERM_JOBSEEKERS: ("longue duree", "deld", "chomeurs de longue"),
    Public.JOBSEEKERS: ("demandeur d emploi", "demandeurs d emploi", "chomeur"),
    Public.DISABLED: ("handicap", "boeth", "rqth"),
    Public.SENIORS: ("senior", "50 ans", "plus de 50", "45 ans"),
    Public.QPV: ("qpv", "quartier prioritaire", "quartiers prioritaires", "politique de la ville"),
    Public.SINGLE_PARENTS: ("monoparent", "parent isole", "parents isoles", "mere isolee"),
    Public.REFUGEES: ("refugie", "primo arrivant", "protection internationale", "bpi"),
    Public.IAE_EMPLOYEES: ("salarie en insertion", "salaries en insertion", "siae"),
    Public.ALL: ("tous publics", "tout public"),
}


class ConventionKind(models.TextChoices):
    # INS-CDE-MISSIONS: State–Département conventions the CDE follows.
    INSERTION_EMPLOYMENT = (
        "insertion_employment",
        "Contractualisation insertion-emploi (État–Département)",
    )
    SOLIDARITY_PACT = "solidarity_pact", "Pacte des solidarités"
    CAOM = "caom", "Convention annuelle d'objectifs et de moyens (CAOM)"
    # INS-CRE-MISSIONS: State–Region conventions the CRE follows.
    STATE_REGION = "state_region", "Convention État–Région"
    OTHER = "other", "Autre convention"


def normalize(text: str) -> str:
    """Lower case, no accents, words separated by single spaces: « Bénéficiaires du RSA » and
    « beneficiaires  du rsa » compare equal."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def publics_named_in(text: str) -> set[str]:
    """The publics of the vocabulary a free text names (matched on whole words)."""
    padded = f" {normalize(text)} "
    found = set()
    for public, aliases in PUBLIC_ALIASES.items():
        for alias in aliases:
            # Aliases are word prefixes (« jeune » matches « jeunes »), never word middles.
            if f" {alias}" in padded:
                found.add(str(public))
                break
    if Public.LONG_TERM_JOBSEEKERS in found:
        found.discard(Public.JOBSEEKERS)  # « demandeurs d'emploi de longue durée »
    return found


def public_from_label(raw: str) -> str | None:
    """A public given in a file, by code or by label (any case, accents optional)."""
    key = normalize(raw)
    for value, label in Public.choices:
        if key in (normalize(value), normalize(label)):
            return value
    return None


def choice_from_label(choices, raw: str) -> str | None:
    """A value of ``choices`` given by code or by label (any case, accents optional)."""
    key = normalize(raw)
    for value, label in choices.choices:
        if key in (normalize(value), normalize(label)):
            return value
    return None
