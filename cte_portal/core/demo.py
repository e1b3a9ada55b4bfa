"""Demo data for a local portal (``manage.py seed_demo``): one persona per role of DOMAIN §4.

``cte_portal`` knows no domain app: every app that has demo data registers its seeder on its
``AppConfig`` (``demo_seeder = "committees.demo.seed_committees"``), and ``seed_demo`` runs
them in the order of ``INSTALLED_APPS`` — the order of the dependencies — after the personas
of this module. Every seeder is idempotent: it looks rows up by a natural key and creates
only what is missing, so that running ``seed_demo`` again changes nothing. A seeder that
needs the personas calls ``seed_users()``, which returns them without writing anything the
second time.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string

from cte_portal.users.models import User

# Local only: printed by ``make run`` and written in the README. Never use it elsewhere.
DEMO_PASSWORD = "demo-cte-2026"


@dataclass(frozen=True)
class Persona:
    key: str
    role: str
    email: str
    first_name: str
    last_name: str
    organisation: str
    job_title: str
    is_admin: bool = False


PERSONAS = (
    Persona(
        key="admin",
        role="Administratrice nationale (DGEFP)",
        email="admin@cte-demo.example",
        first_name="Hélène",
        last_name="Marchand",
        organisation="Délégation générale à l'emploi et à la formation professionnelle (DGEFP)",
        job_title="Cheffe de la mission gouvernance du réseau pour l'emploi",
        is_admin=True,
    ),
    Persona(
        key="dreets",
        role="Agent de la DREETS Auvergne-Rhône-Alpes",
        email="dreets.ara@cte-demo.example",
        first_name="Karim",
        last_name="Benali",
        organisation="DREETS Auvergne-Rhône-Alpes",
        job_title="Chargé de mission pilotage des comités pour l'emploi",
    ),
    Persona(
        key="ddets",
        role="Agente de la DDETS du Rhône",
        email="ddets.rhone@cte-demo.example",
        first_name="Sophie",
        last_name="Lambert",
        organisation="DDETS du Rhône",
        job_title="Responsable du service emploi et insertion",
    ),
    Persona(
        key="prefect",
        role="Co-président (État) : représentant du préfet",
        email="prefecture.rhone@cte-demo.example",
        first_name="Jean-Baptiste",
        last_name="Moreau",
        organisation="Préfecture du Rhône",
        job_title="Sous-préfet chargé de mission, représentant du préfet du Rhône",
    ),
    Persona(
        key="elected",
        role="Co-présidente (collectivité) : présidente du Département",
        email="departement.rhone@cte-demo.example",
        first_name="Isabelle",
        last_name="Fontaine",
        organisation="Département du Rhône",
        job_title="Présidente du conseil départemental du Rhône",
    ),
    Persona(
        key="member",
        role="Membre : France Travail",
        email="membre@cte-demo.example",
        first_name="Thomas",
        last_name="Perrin",
        organisation="France Travail — direction territoriale du Rhône",
        job_title="Directeur territorial délégué",
    ),
)


def _user(persona: Persona) -> User:
    user, created = User.objects.get_or_create(
        email=persona.email,
        defaults={
            "first_name": persona.first_name,
            "last_name": persona.last_name,
            "organisation": persona.organisation,
            "job_title": persona.job_title,
            "is_staff": persona.is_admin,
            "is_superuser": persona.is_admin,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_users() -> dict[str, User]:
    """Create the demo personas; return the users by role key.

    Keys: ``admin``, ``dreets``, ``ddets``, ``prefect``, ``elected``, ``member``. A persona
    that already exists is left as it is (its password too). The State agents get their staff
    assignments, the co-presidents and the member their seats, when the committees are seeded.
    """
    return {persona.key: _user(persona) for persona in PERSONAS}


def app_seeders() -> list[Callable[[], object]]:
    """The ``demo_seeder`` of every installed app that has one, in ``INSTALLED_APPS`` order."""
    return [
        import_string(config.demo_seeder)
        for config in apps.get_app_configs()
        if getattr(config, "demo_seeder", None)
    ]


def login_rows() -> list[tuple[str, str, str]]:
    """(e-mail, role, password) of every persona, for the table printed at the end."""
    return [(persona.email, persona.role, DEMO_PASSWORD) for persona in PERSONAS]
