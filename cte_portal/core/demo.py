"""Demo data for a local portal (``manage.py seed_demo``): one persona per role of DOMAIN §4.

Every seeder is idempotent: it looks rows up by a natural key and creates only what is
missing, so that running ``seed_demo`` again changes nothing. Later features add their own
seeder (committees, meetings, roadmaps…) to ``SEEDERS`` in the command; a seeder that needs
the personas calls ``seed_users()``, which returns them without writing anything the
second time.
"""

from dataclasses import dataclass
from datetime import date

from django.core.management.base import CommandError

from committees.models import StaffAssignment
from committees.services.staff import start_staff_assignment
from cte_portal.users.models import User
from territories.models import Departement, Region

# Local only: printed by ``make run`` and written in the README. Never use it elsewhere.
DEMO_PASSWORD = "demo-cte-2026"

AUVERGNE_RHONE_ALPES = "84"
RHONE = "69"
ASSIGNMENTS_START = date(2024, 7, 1)  # INS-DATES: committees installed from July 2024


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


def _territories() -> tuple[Region, Departement]:
    region = Region.objects.filter(code=AUVERGNE_RHONE_ALPES).first()
    departement = Departement.objects.filter(code=RHONE).first()
    if region is None or departement is None:
        raise CommandError(
            "Le référentiel territorial n'est pas chargé (région 84 Auvergne-Rhône-Alpes, "
            "département 69 Rhône) : lancez d'abord « python manage.py import_territories »."
        )
    return region, departement


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
    """Create the demo personas and their staff assignments; return the users by role key.

    Keys: ``admin``, ``dreets``, ``ddets``, ``prefect``, ``elected``, ``member``. A persona
    that already exists is left as it is (its password too). The DREETS agent works for
    Auvergne-Rhône-Alpes and the DDETS agent for the Rhône (DOMAIN §4); the co-presidents and
    the member get their seats when the committees are seeded.
    """
    region, departement = _territories()
    users = {persona.key: _user(persona) for persona in PERSONAS}
    staff = [
        (users["dreets"], StaffAssignment.Service.DREETS, {"region": region}),
        (users["ddets"], StaffAssignment.Service.DDETS, {"departement": departement}),
    ]
    for user, service, territory in staff:
        # Through the service, so that the permissions on existing committees follow.
        start_staff_assignment(
            user=user, service=service, started_on=ASSIGNMENTS_START, **territory
        )
    return users


def login_rows() -> list[tuple[str, str, str]]:
    """(e-mail, role, password) of every persona, for the table printed at the end."""
    return [(persona.email, persona.role, DEMO_PASSWORD) for persona in PERSONAS]
