"""``seed_demo`` runs again on an existing database without failing, whatever was added since
through the portal (a committee, a meeting, a member…): every seeder looks its rows up by
natural key and leaves the others alone. All the seeders of the apps, as ``make run`` does."""

from datetime import date, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from committees.models import Committee, Level, Membership
from committees.services.committees import create_committee
from cte_portal.core.demo import seed_users
from cte_portal.users.models import User
from meetings.demo import CDE
from meetings.models import Meeting
from meetings.services.agenda import add_agenda_item
from meetings.services.planning import create_meeting
from roadmaps.models import Roadmap
from territories.models import Departement

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return (
        User.objects.count(),
        Committee.objects.count(),
        Membership.objects.count(),
        Meeting.objects.count(),
        Roadmap.objects.count(),
    )


def test_seed_demo_runs_twice_and_after_changes_made_in_the_portal(
    territory, eager, media, settings
):
    settings.DEBUG = True
    assert "Données de démonstration chargées." in seed()
    first = counts()
    assert "Données de démonstration chargées." in seed()
    assert counts() == first

    # Things added since, through the services, as users of the demo portal would.
    personas = seed_users()
    rhone = Departement.objects.get(code="69")
    create_committee(
        level=Level.LOCAL,
        name="CLE ajouté après la démo",
        region=rhone.region,
        departements=[rhone],
    )
    cde = Committee.objects.get(name=CDE)
    secretariat = personas["ddets"]
    meeting = create_meeting(
        committee=cde,
        user=secretariat,
        title="Réunion ajoutée après la démo",
        date=timezone.localdate() + timedelta(days=40),
        start_time=time(14),
        end_time=time(16),
        place="Préfecture, salle 2",
    )
    add_agenda_item(meeting=meeting, title="Point ajouté")
    User.objects.create_user(email="nouveau@exemple.fr", first_name="Nouveau", last_name="Venu")
    after_changes = counts()

    assert "Données de démonstration chargées." in seed()
    assert counts() == after_changes
    assert Meeting.objects.filter(title="Réunion ajoutée après la démo").exists()
    assert date.today()  # the demo dates are relative to today: a later run stays valid
