"""``manage.py seed_demo``: one persona per role of DOMAIN §4, idempotent, local only.

The command runs the seeder every app registers on its ``AppConfig`` (``demo_seeder``); those
of the domain apps (committees, roadmaps…) need the territorial reference and have their own
tests. Here the command runs the users seeder alone, plus seeders defined in this module to
test the mechanism.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cte_portal.core import demo
from cte_portal.core.management.commands import seed_demo
from cte_portal.users.models import User

pytestmark = pytest.mark.django_db

ROLES = {"admin", "dreets", "ddets", "prefect", "elected", "member"}

seeders_run = []


def recording_seeder():
    seeders_run.append(User.objects.count())


def failing_seeder():
    raise CommandError("Le seeder suivant a échoué.")


@pytest.fixture(autouse=True)
def seeders(monkeypatch):
    """The seeders the command runs in these tests: the users seeder alone unless changed."""
    chosen = [demo.seed_users]
    monkeypatch.setattr(seed_demo, "app_seeders", lambda: chosen)
    seeders_run.clear()
    return chosen


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _snapshot():
    return sorted(User.objects.values_list("pk", "email", "password", "first_name", "organisation"))


def test_creates_one_persona_per_role_who_can_sign_in(settings, client):
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


def test_seed_users_returns_the_personas_by_role():
    users = demo.seed_users()
    assert set(users) == ROLES
    assert users["prefect"].organisation == "Préfecture du Rhône"
    assert users["elected"].organisation == "Département du Rhône"
    assert demo.seed_users() == users  # a later seeder may call it again to get them


def test_running_twice_changes_nothing(settings):
    settings.DEBUG = True
    seed()
    before = _snapshot()
    seed()
    assert _snapshot() == before


def test_a_changed_password_is_kept_on_rerun(settings):
    settings.DEBUG = True
    seed()
    user = User.objects.get(email="membre@cte-demo.example")
    user.set_password("mon-propre-secret-2026")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password("mon-propre-secret-2026")


def test_prints_the_logins_table(settings):
    settings.DEBUG = True
    out = seed()
    lines = out.splitlines()
    assert "Adresse électronique" in out and "Rôle" in out and "Mot de passe" in out
    for persona in demo.PERSONAS:
        row = next(line for line in lines if line.startswith(persona.email))
        assert persona.role in row
        assert row.endswith("demo-cte-2026")


def test_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="qu'avec DEBUG activé"):
        seed()
    assert not User.objects.exists()


def test_force_runs_it_without_debug(settings):
    settings.DEBUG = False
    seed("--force")
    assert User.objects.count() == len(ROLES)


def test_refuses_without_territories_and_writes_nothing(settings, monkeypatch):
    monkeypatch.undo()  # every app's seeder: the committees' need the territorial reference
    settings.DEBUG = True
    with pytest.raises(
        CommandError, match="lancez d'abord « python manage.py import_territories »"
    ):
        seed()
    assert not User.objects.exists()


def test_runs_every_seeder_in_order_after_the_users(settings, seeders):
    settings.DEBUG = True
    seeders.append(recording_seeder)
    seed()
    assert seeders_run == [len(ROLES)]


def test_a_failing_seeder_leaves_nothing_behind(settings, seeders):
    settings.DEBUG = True
    seeders.append(failing_seeder)
    with pytest.raises(CommandError, match="Le seeder suivant a échoué."):
        seed()
    assert not User.objects.exists()


def test_every_app_registers_its_seeder_and_they_run_in_dependency_order():
    assert [f"{seeder.__module__}.{seeder.__name__}" for seeder in demo.app_seeders()] == [
        "cte_portal.core.demo.seed_users",
        "committees.demo.seed_committees",
        "meetings.demo.seed_meetings",
        "roadmaps.demo.seed_roadmaps",
        "funders.demo.seed_funders",
        "audits.demo.seed_audits",
        "iae.demo.seed_iae",
    ]
