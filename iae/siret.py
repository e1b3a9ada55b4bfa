"""SIRET numbers of the SIAE: 14 digits, the SIREN (9) then the establishment's NIC (5).

A SIRET is checked with the Luhn key (the INSEE's control key), with the one exception the
INSEE documents: the establishments of La Poste (SIREN 356 000 000), too many for the key,
may instead be checked by the sum of their digits being a multiple of 5 (the head office,
356 000 000 00048, has a Luhn key).
"""

from cte_portal.core.errors import RuleError

LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalize_siret(raw: str) -> str:
    """The SIRET without the spaces, dots or dashes people type in it."""
    return "".join(char for char in (raw or "") if char not in " .-\u00a0\u202f")


def is_valid_siret(value: str) -> bool:
    if len(value) != 14 or not (value.isascii() and value.isdigit()):
        return False
    if luhn_valid(value):
        return True
    return value.startswith(LA_POSTE_SIREN) and sum(int(char) for char in value) % 5 == 0


def check_siret(raw: str) -> str:
    """The normalised SIRET, or a French ``RuleError`` saying what is wrong with it."""
    value = normalize_siret(raw)
    if not value:
        raise RuleError("Indiquez le numéro SIRET de la structure.", field="siret")
    if len(value) != 14 or not (value.isascii() and value.isdigit()):
        raise RuleError(
            "Le numéro SIRET compte 14 chiffres (SIREN en 9 chiffres, puis NIC en 5 chiffres).",
            field="siret",
        )
    if not is_valid_siret(value):
        raise RuleError(
            "Ce numéro SIRET n'est pas valide (clé de contrôle incorrecte) : vérifiez-le sur "
            "l'avis de situation au répertoire SIRENE.",
            field="siret",
        )
    return value
