"""``manage.py seed_demo``: one persona per role of DOMAIN §4, idempotent, local only.

The command runs every seeder of ``SEEDERS``; the later ones (committees, roadmaps…) need the
whole territorial reference and have their own tests. Here the command runs the users seeder
alone, on two territory rows, plus seeders defined in this module to test the mechanism.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from committees.models import StaffAssignment
from cte_portal.core import demo
from cte_portal.core.management.commands import seed_demo
from cte_portal.users.models import User
from territories.models import Departement, Region

pytestmark = pytest.mark.django_db

ROLES = {"admin", "dreets", "ddets", "prefect", "elected", "member"}
USERS_SEEDER = "cte_portal.core.demo.seed_users"

seeders_run = []


def recording_seeder():
    seeders_run.append(User.objects.count())


def failing_seeder():
    raise CommandError("Le seeder suivant a échoué.")


@pytest.fixture(autouse=True)
def seeders(monkeypatch):
    """The seeders the command runs in these tests: the users seeder alone unless changed."""
    chosen = [USERS_SEEDER]
    monkeypatch.setattr(seed_demo, "SEEDERS", chosen)
    seeders_run.clear()
    return chosen


@pytest.fixture
def territories():
    region = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", zone="metro")
    departement = Departement.objects.create(code="69", name="Rhône", region=region, zone="metro")
    return region, departement


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        sorted(User.objects.values_list("email", "password", "first_name", "organisation")),
        sorted(
            StaffAssignment.objects.values_list(
                "pk", "user__email", "service", "region", "departement", "started_on"
            )
        ),
        StaffAssignment.history.count(),
    )


def test_creates_one_persona_per_role_who_can_sign_in(settings, territories, client):
    settings.DEBUG = True
    seed()
    personas = {persona.key: persona for persona in demo.PERSONAS}
    assert set(personas) == ROLES
    assert User.objects.count() == len(ROLES)
    for persona in demo.PERSONAS:
        user = User.objects.get(email=persona.email)
        assert user.check_password(demo.DEMO_PASSWORD)
        assert user.get_full_name() == f"{persona.first_name} {persona.last_name}"
        assert user.organisation
    admin = User.objects.get(email=personas["admin"].email)
    assert admin.is_superuser and admin.is_staff and admin.is_admin
    assert not User.objects.filter(is_superuser=True).exclude(pk=admin.pk).exists()

    response = client.post(
        "/compte/connexion/", {"username": personas["ddets"].email, "password": "demo-cte-2026"}
    )
    assert response.status_code == 302


def test_assigns_the_dreets_agent_to_the_region_and_the_ddets_agent_to_the_departement(
    settings, territories
):
    settings.DEBUG = True
    region, departement = territories
    seed()
    dreets = StaffAssignment.objects.get(service="dreets")
    assert dreets.user.email == "dreets.ara@cte-demo.example"
    assert dreets.region == region
    assert dreets.departement is None
    assert dreets.ended_on is None
    ddets = StaffAssignment.objects.get(service="ddets")
    assert ddets.user.email == "ddets.rhone@cte-demo.example"
    assert ddets.departement == departement
    assert ddets.region is None
    assert StaffAssignment.objects.count() == 2


def test_seed_users_returns_the_personas_by_role(territories):
    users = demo.seed_users()
    assert set(users) == ROLES
    assert users["prefect"].organisation == "Préfecture du Rhône"
    assert users["elected"].organisation == "Département du Rhône"
    assert demo.seed_users() == users  # a later seeder may call it again to get them


def test_running_twice_changes_nothing(settings, territories):
    settings.DEBUG = True
    seed()
    before = _snapshot()
    seed()
    assert _snapshot() == before


def test_a_changed_password_is_kept_on_rerun(settings, territories):
    settings.DEBUG = True
    seed()
    user = User.objects.get(email="membre@cte-demo.example")
    user.set_password("mon-propre-secret-2026")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password("mon-propre-secret-2026")


def test_prints_the_logins_table(settings, territories):
    settings.DEBUG = True
    out = seed()
    lines = out.splitlines()
    assert "Adresse électronique" in out and "Rôle" in out and "Mot de passe" in out
    for persona in demo.PERSONAS:
        row = next(line for line in lines if line.startswith(persona.email))
        assert persona.role in row
        assert row.endswith("demo-cte-2026")


def test_refuses_to_run_without_debug(settings, territories):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="qu'avec DEBUG activé"):
        seed()
    assert not User.objects.exists()


def test_force_runs_it_without_debug(settings, territories):
    settings.DEBUG = False
    seed("--force")
    assert User.objects.count() == len(ROLES)


def test_refuses_without_territories_and_writes_nothing(settings):
    settings.DEBUG = True
    with pytest.raises(
        CommandError, match="lancez d'abord « python manage.py import_territories »"
    ):
        seed()
    assert not User.objects.exists()


def test_runs_every_seeder_in_order_after_the_users(settings, territories, seeders):
    settings.DEBUG = True
    seeders.append(f"{__name__}.recording_seeder")
    seed()
    assert seeders_run == [len(ROLES)]


def test_a_failing_seeder_leaves_nothing_behind(settings, territories, seeders):
    settings.DEBUG = True
    seeders.append(f"{__name__}.failing_seeder")
    with pytest.raises(CommandError, match="Le seeder suivant a échoué."):
        seed()
    assert not User.objects.exists()
    assert not StaffAssignment.objects.exists()


def test_the_project_seeders_start_with_the_users_and_are_importable(monkeypatch):
    from django.utils.module_loading import import_string

    monkeypatch.undo()  # the real list
    assert seed_demo.SEEDERS[0] == USERS_SEEDER
    for path in seed_demo.SEEDERS:
        assert callable(import_string(path))
