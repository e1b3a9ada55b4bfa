"""Writes on the network bodies and the users who act for them.

Linking a user to a body matters: the body's users upload its reports (INS-REPORTING) and see
its audit once the report is delivered (INS-AUDIT). Callers check ``can_create_body`` /
``can_manage_body`` first.
"""

from django.db import transaction

from audits.models import BodyKind, NetworkBody
from cte_portal.core.errors import RuleError
from territories.models import Departement


def _check(*, name: str, kind: str, delegating_authority: str) -> None:
    if not name.strip():
        raise RuleError("Indiquez le nom de l'organisme.", field="name")
    if kind not in BodyKind.values:
        raise RuleError("Nature d'organisme inconnue.", field="kind")
    if kind == BodyKind.DELEGATED and not delegating_authority.strip():
        raise RuleError(
            "Indiquez la collectivité qui a délégué la mission : son accord sera requis avant "
            "tout audit.",
            field="delegating_authority",
        )


@transaction.atomic
def create_network_body(
    *, name: str, kind: str, departement: Departement | None, delegating_authority: str = ""
) -> NetworkBody:
    _check(name=name, kind=kind, delegating_authority=delegating_authority)
    if NetworkBody.objects.filter(name__iexact=name.strip(), departement=departement).exists():
        raise RuleError("Un organisme porte déjà ce nom dans ce département.", field="name")
    return NetworkBody.objects.create(
        name=name.strip(),
        kind=kind,
        departement=departement,
        delegating_authority=delegating_authority.strip() if kind == BodyKind.DELEGATED else "",
    )


@transaction.atomic
def add_body_user(*, body: NetworkBody, user) -> NetworkBody:
    if not user.is_active:
        raise RuleError("Ce compte est désactivé.", field="email")
    if body.users.filter(pk=user.pk).exists():
        raise RuleError(f"{user} agit déjà pour cet organisme.", field="email")
    body.users.add(user)
    return body


@transaction.atomic
def remove_body_user(*, body: NetworkBody, user) -> NetworkBody:
    body.users.remove(user)
    return body
