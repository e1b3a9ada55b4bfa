"""Personal data of one person (RGPD): the export of everything held on them (right of access,
article 15) and their anonymisation (right to erasure, article 17, where the mandates and
decisions they took part in must be kept).

``cte_portal`` imports no domain app, so this module finds the rows by introspection: every
table (live and django-simple-history ``Historical*``) that points to the person through a
foreign key, and every text column that mentions their full name, e-mail or phone. A domain app
that holds personal data in a column of its own (a contact's phone on a funder…) declares it in
its ``AppConfig.ready()`` with ``register_person_fields``; the anonymisation then blanks that
column in the live table and in its history table.

Only national admins run either (``can_manage_personal_data``). Nothing here logs a name, an
e-mail or a phone: only ids.
"""

import datetime
import decimal
import logging
import re
import uuid
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from cte_portal.core.errors import RuleError
from cte_portal.core.permissions import is_admin

logger = logging.getLogger(__name__)

ANONYMISED_FIRST_NAME = "Personne"
ANONYMISED_LAST_NAME = "anonymisée"
# What replaces a mention of the person inside a free text (minutes, reasons, logs…).
NAME_PLACEHOLDER = "[personne anonymisée]"
EMAIL_PLACEHOLDER = "[adresse anonymisée]"
PHONE_PLACEHOLDER = "[téléphone anonymisé]"
ANONYMISED_EMAIL_DOMAIN = "anonyme.invalid"
# Shorter values are not searched in free texts: they would match unrelated words.
MIN_SEARCHED_LENGTH = 5
# Never exported, whatever the table: secrets and their hashes.
SECRET_FIELD_NAMES = {"password", "key", "key_hash", "secret", "token", "session_key"}


def can_manage_personal_data(user) -> bool:
    """Only a national admin (DGEFP) exports or anonymises a person's data."""
    return is_admin(user)


# --- Registry of the domain apps' own personal columns ----------------------------------------


@dataclass(frozen=True)
class PersonFields:
    """Columns of ``model_label`` that hold personal data of the person ``person_field`` points
    to (blanked on anonymisation, in the live table and in its history table)."""

    model_label: str
    person_field: str
    fields: tuple[str, ...]


_PERSON_FIELDS: dict[tuple[str, str], PersonFields] = {}


def register_person_fields(model_label: str, *, person_field: str, fields: tuple[str, ...]):
    """Declare personal columns of a domain model (call it from ``AppConfig.ready()``)."""
    spec = PersonFields(model_label, person_field, tuple(fields))
    _PERSON_FIELDS[(model_label, person_field)] = spec
    return spec


def registered_person_fields() -> list[PersonFields]:
    return list(_PERSON_FIELDS.values())


def _with_history(model) -> list:
    """``model`` and, when django-simple-history tracks it, its ``Historical*`` model."""
    history = getattr(model, "history", None)
    historical = getattr(history, "model", None)
    return [model, historical] if historical is not None else [model]


# --- What identifies the person ---------------------------------------------------------------


def _identifiers(person) -> dict[str, str]:
    """Searched value → the placeholder that replaces it in free texts."""
    found: dict[str, str] = {}
    first, last = person.first_name.strip(), person.last_name.strip()
    if first and last:
        found[f"{first} {last}"] = NAME_PLACEHOLDER
        found[f"{last} {first}"] = NAME_PLACEHOLDER
    if person.email:
        found[person.email] = EMAIL_PLACEHOLDER
    if person.phone.strip():
        found[person.phone.strip()] = PHONE_PLACEHOLDER
    for spec in registered_person_fields():
        for model in _with_history(apps.get_model(spec.model_label)):
            rows = model._base_manager.filter(**{f"{spec.person_field}_id": person.pk})
            for values in rows.values_list(*spec.fields):
                for value in values:
                    if value and str(value).strip():
                        found.setdefault(str(value).strip(), PHONE_PLACEHOLDER)
    return {
        value: placeholder
        for value, placeholder in found.items()
        if len(value) >= MIN_SEARCHED_LENGTH
    }


def _text_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.primary_key
        and not f.choices
        and f.name not in SECRET_FIELD_NAMES
    ]


def _searchable_models():
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed or model is Session:
            continue
        fields = _text_fields(model)
        if fields:
            yield model, fields


def _pattern(value: str) -> re.Pattern:
    """``value`` as a whole word: "jo@x.fr" is not found inside "ajo@x.fr", nor "Jean Roux"
    inside "Jean Rouxel"."""
    return re.compile(rf"(?<![\w@.+-]){re.escape(value)}(?![\w@-]|\.\w)", re.IGNORECASE)


def mentions(values) -> list[tuple]:
    """Rows whose text columns mention one of ``values`` (as a whole word, case-insensitive),
    as ``(model, pk, {field name: text})`` — one query per table that has text columns."""
    searched = [v for v in values if len(v) >= MIN_SEARCHED_LENGTH]
    if not searched:
        return []
    patterns = [_pattern(v) for v in searched]
    found = []
    for model, fields in _searchable_models():
        # The database narrows down (one query per table); the pattern keeps whole words only.
        condition = reduce(
            or_, (Q(**{f"{f.attname}__icontains": v}) for f in fields for v in searched)
        )
        names = [f.attname for f in fields]
        for row in model._base_manager.filter(condition).values_list("pk", *names):
            texts = {
                name: text
                for name, text in zip(names, row[1:], strict=True)
                if text and any(p.search(text) for p in patterns)
            }
            if texts:
                found.append((model, row[0], texts))
    return found


def _replace_all(text: str, identifiers: dict[str, str]) -> str:
    # Longest first, so that "Jean Dupont" is replaced before a shorter value it contains.
    for value in sorted(identifiers, key=len, reverse=True):
        text = _pattern(value).sub(identifiers[value], text)
    return text


# --- Anonymisation ----------------------------------------------------------------------------


@dataclass
class Anonymisation:
    person_id: int
    rows_rewritten: int
    tokens_revoked: int
    sessions_ended: int


def anonymise_person(*, person, by) -> Anonymisation:
    """RGPD erasure of ``person``, by a national admin (``by``).

    Their name, e-mail and phone are replaced in their account, blanked in the personal
    columns the domain apps declared (live and history tables), and replaced by a placeholder
    wherever a free text of any table, live or historical, mentions their full name, e-mail or
    phone. Their mandates, co-presidencies, attendances and the decisions they took part in
    are kept and now show « Personne anonymisée »: the composition still counts the seat. The
    account is deactivated, its password made unusable, its API tokens revoked and its
    sessions ended. Refused to anyone but an admin, on oneself, and on a person already
    anonymised."""
    if not can_manage_personal_data(by):
        raise RuleError("Seul un administrateur national peut anonymiser une personne.")
    if person.pk == by.pk:
        raise RuleError("Vous ne pouvez pas anonymiser votre propre compte.")
    user_model = get_user_model()
    with transaction.atomic():
        person = user_model.objects.select_for_update().get(pk=person.pk)
        if person.anonymised_at is not None:
            raise RuleError("Cette personne est déjà anonymisée.")
        identifiers = _identifiers(person)
        now = timezone.now()

        person.first_name = ANONYMISED_FIRST_NAME
        person.last_name = ANONYMISED_LAST_NAME
        person.email = f"personne-{person.pk}@{ANONYMISED_EMAIL_DOMAIN}"
        person.phone = ""
        person.job_title = ""
        person.is_active = False
        person.is_staff = False
        person.is_superuser = False
        person.anonymised_at = now
        person.set_unusable_password()  # also invalidates every session's auth hash
        person.save()

        tokens = person.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
        sessions = _end_sessions(person.pk)
        rewritten = _blank_person_fields(person.pk) + _rewrite_mentions(identifiers)
    logger.info("personal data: user %s anonymised by user %s", person.pk, by.pk)
    return Anonymisation(
        person_id=person.pk,
        rows_rewritten=rewritten,
        tokens_revoked=tokens,
        sessions_ended=sessions,
    )


def _end_sessions(user_id: int) -> int:
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _blank_person_fields(user_id: int) -> int:
    count = 0
    for spec in registered_person_fields():
        for model in _with_history(apps.get_model(spec.model_label)):
            count += model._base_manager.filter(**{f"{spec.person_field}_id": user_id}).update(
                **dict.fromkeys(spec.fields, "")
            )
    return count


def _rewrite_mentions(identifiers: dict[str, str]) -> int:
    count = 0
    for model, pk, texts in mentions(list(identifiers)):
        changes = {}
        for name, text in texts.items():
            new = _replace_all(text, identifiers)
            max_length = _max_length(model, name)
            changes[name] = new[:max_length] if max_length else new
        # ``update`` writes no new history record: the old one is rewritten, not copied.
        count += model._base_manager.filter(pk=pk).update(**changes)
    return count


def _max_length(model, attname: str) -> int | None:
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return getattr(f, "max_length", None)
    return None


# --- Export (right of access) -----------------------------------------------------------------


def _exported_value(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _exported_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SECRET_FIELD_NAMES and not f.name.endswith("_hash")
    ]


def _row(instance, fields) -> dict:
    return {f.attname: _exported_value(getattr(instance, f.attname)) for f in fields}


def _section(model, rows, *, relation: str) -> dict:
    return {
        "table": model._meta.label,
        "titre": str(model._meta.verbose_name_plural),
        "lien": relation,
        "lignes": rows,
    }


def export_person(*, person, by) -> dict:
    """Everything held on ``person``, for an access request: their account; every row of every
    table (live and history) that points to them — memberships, co-presidencies, staff
    assignments, invitations and answers, attendances, the history entries about them and
    those they made, API tokens (never their hashes) —; and every row whose free text mentions
    their full name, e-mail or phone. Refused to anyone but a national admin."""
    if not can_manage_personal_data(by):
        raise RuleError("Seul un administrateur national peut exporter les données d'une personne.")
    held = held_on(person)
    logger.info("personal data: user %s exported by user %s", person.pk, by.pk)
    return held


def held_on(person) -> dict:
    """What ``export_person`` gives, without its gate (the caller checked
    ``can_manage_personal_data``)."""
    user_model = get_user_model()
    account = _row(person, _exported_fields(user_model))
    sections = []
    for model in apps.get_models(include_auto_created=True):
        if model is user_model or model._meta.proxy or not model._meta.managed:
            continue
        links = [
            f
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is user_model
        ]
        if not links:
            continue
        fields = _exported_fields(model)
        condition = reduce(or_, (Q(**{f.attname: person.pk}) for f in links))
        rows = [_row(instance, fields) for instance in model._base_manager.filter(condition)]
        if rows:
            relation = ", ".join(f.name for f in links)
            sections.append(_section(model, rows, relation=relation))
    mentioned = [
        {"table": model._meta.label, "id": _exported_value(pk), "textes": texts}
        for model, pk, texts in mentions(list(_identifiers(person)))
        if model is not user_model
    ]
    return {
        "genere_le": timezone.now().isoformat(),
        "compte": account,
        "donnees_liees": sections,
        "mentions_dans_des_textes": mentioned,
    }
