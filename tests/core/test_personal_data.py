"""Personal data (RGPD): a national admin anonymises a person (name, e-mail, phone gone from
every table, live and historical; mandates kept) and exports everything held on them; nobody
else may do either."""

import json
from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from committees.models import Category, Membership
from committees.templatetags.composition_tags import member_groups
from cte_portal.core.errors import RuleError
from cte_portal.users.models import ApiToken, User
from cte_portal.users.personal_data import anonymise_person, export_person
from cte_portal.users.services import create_api_token
from funders.models import Funder
from meetings.models import AgendaItem
from tests.factories.meetings import convene, make_meeting
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

FIRST, LAST = "Gwenola", "Kerbrat-Anselme"
EMAIL = "gwenola.kerbrat@example.fr"
PHONE = "06 12 34 56 78"
CONTACT_PHONE = "04 72 00 00 01"
OLD_VALUES = (f"{FIRST} {LAST}", LAST, EMAIL, PHONE, CONTACT_PHONE)


def _tables_holding(value: str) -> set[str]:
    """Every table (live or historical) with a column whose text contains ``value``, read in
    SQL: independent of the code under test."""
    quote = connection.ops.quote_name
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            condition = " OR ".join(f"LOWER(CAST({quote(c)} AS TEXT)) LIKE %s" for c in columns)
            cursor.execute(
                f"SELECT COUNT(*) FROM {quote(table)} WHERE {condition}",  # noqa: S608
                [f"%{value.lower()}%"] * len(columns),
            )
            if cursor.fetchone()[0]:
                found.add(table)
    return found


@pytest.fixture
def person(scene):
    """A member of the CDE with traces everywhere: their seat (and its history), a funder they
    are the contact of, an agenda item they present, an invitation, an admin log entry, an API
    token and an open session."""
    membership = scene.voters[Category.EMPLOYEE_UNIONS]
    person = membership.person
    User.objects.filter(pk=person.pk).update(
        first_name=FIRST, last_name=LAST, email=EMAIL, phone=PHONE
    )
    person.refresh_from_db()
    membership.appointment_arrete = f"Arrêté désignant {FIRST} {LAST}"
    membership.save()
    Funder.objects.create(
        committee=scene.committee,
        kind=Funder.Kind.choices[0][0],
        name="Fonds de formation",
        contact=person,
        contact_phone=CONTACT_PHONE,
    )
    meeting = convene(scene, make_meeting(scene))
    item = meeting.agenda_items.first()
    item.presenter = f"{FIRST} {LAST} ({EMAIL})"
    item.save()
    LogEntry.objects.create(
        user=scene.secretariat,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
    )
    create_api_token(user=person, name="Tableur")
    return person


@pytest.fixture
def admin(db):
    return UserFactory(admin=True, email="dpo@example.gouv.fr")


def test_before_anonymisation_the_person_is_in_live_and_history_tables(person):
    assert {
        "committees_historicalmembership",
        "funders_funder",
        "funders_historicalfunder",
        "meetings_agendaitem",
        "meetings_historicalagendaitem",
        "django_admin_log",
        "users_user",
    } <= set().union(*(_tables_holding(v) for v in OLD_VALUES))


def test_an_admin_anonymises_a_person_everywhere_and_keeps_the_seat(client, scene, person, admin):
    person_client = client.__class__()
    person_client.force_login(person)
    before = member_groups(scene.committee, date.today())[1]
    seats = Membership.objects.filter(person=person).count()
    invitations = person.meeting_invitations.count()

    client.force_login(admin)
    page = client.get(reverse("personal_data:anonymise", args=[person.pk]))
    assert page.status_code == 200
    response = client.post(reverse("personal_data:anonymise", args=[person.pk]), {"confirm": "on"})
    assert response.status_code == 302

    for value in OLD_VALUES:
        assert _tables_holding(value) == set(), value
    person.refresh_from_db()
    assert str(person) == "Personne anonymisée"
    assert person.anonymised_at is not None
    assert not person.is_active and not person.has_usable_password()
    assert not ApiToken.objects.active().filter(user=person).exists()
    assert ApiToken.objects.filter(user=person).count() == 1  # revoked, not deleted
    # Sessions ended: the person is signed out.
    assert not any(
        str(s.get_decoded().get("_auth_user_id")) == str(person.pk) for s in Session.objects.all()
    )
    assert person_client.get(reverse("profile")).status_code == 302
    # Mandates, invitations and history kept; the composition still counts the seat.
    assert Membership.objects.filter(person=person).count() == seats
    assert person.meeting_invitations.count() == invitations
    assert member_groups(scene.committee, date.today())[1] == before
    assert Membership.history.filter(person_id=person.pk).count() >= 2
    assert AgendaItem.history.filter(presenter__contains="[personne anonymisée]").exists()
    client.force_login(scene.secretariat)
    composition = client.get(reverse("committees:composition", args=[scene.committee.pk]))
    assert "Personne anonymisée" in composition.content.decode()


def test_anonymising_needs_the_confirmation(client, person, admin):
    client.force_login(admin)
    response = client.post(reverse("personal_data:anonymise", args=[person.pk]), {})
    assert response.status_code == 400
    assert "Cochez la case pour confirmer" in response.content.decode()
    person.refresh_from_db()
    assert person.email == EMAIL and person.is_active


def test_an_admin_cannot_anonymise_themselves_nor_twice(client, person, admin):
    with pytest.raises(RuleError, match="votre propre compte"):
        anonymise_person(person=admin, by=admin)
    anonymise_person(person=person, by=admin)
    client.force_login(admin)
    response = client.post(reverse("personal_data:anonymise", args=[person.pk]), {"confirm": "on"})
    assert response.status_code == 400
    assert "déjà anonymisée" in response.content.decode()


@pytest.mark.parametrize("who", ["secretariat", "state", "person", "outsider"])
def test_nobody_but_an_admin_may_see_export_or_anonymise(client, scene, person, who):
    actor = person if who == "person" else getattr(scene, who)
    client.force_login(actor)
    for name in ("people", "person", "export", "anonymise"):
        args = [] if name == "people" else [person.pk]
        assert client.get(reverse(f"personal_data:{name}", args=args)).status_code == 403, name
    response = client.post(reverse("personal_data:anonymise", args=[person.pk]), {"confirm": "on"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.email == EMAIL and person.is_active and person.anonymised_at is None
    with pytest.raises(RuleError):
        anonymise_person(person=person, by=actor)
    with pytest.raises(RuleError):
        export_person(person=person, by=actor)


def test_anonymous_is_sent_to_sign_in(client, person):
    response = client.get(reverse("personal_data:export", args=[person.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_admin_finds_a_person_and_sees_what_is_held(client, person, admin):
    client.force_login(admin)
    found = client.get(reverse("personal_data:people"), {"q": "kerbrat"})
    assert found.status_code == 200
    assert reverse("personal_data:person", args=[person.pk]) in found.content.decode()
    page = client.get(reverse("personal_data:person", args=[person.pk]))
    assert page.status_code == 200
    assert "Télécharger ses données" in page.content.decode()


def _export(client, person) -> dict:
    response = client.get(reverse("personal_data:export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="donnees-personne-{person.pk}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def _tables(held: dict) -> dict:
    return {section["table"]: section["lignes"] for section in held["donnees_liees"]}


def test_the_export_holds_everything_on_a_member(client, person, admin):
    client.force_login(admin)
    held = _export(client, person)
    assert held["compte"]["email"] == EMAIL
    assert held["compte"]["phone"] == PHONE
    assert "password" not in held["compte"]
    tables = _tables(held)
    assert [m["category"] for m in tables["committees.Membership"]] == [Category.EMPLOYEE_UNIONS]
    assert len(tables["committees.HistoricalMembership"]) >= 2  # history about them
    assert tables["meetings.Invitation"][0]["answer"] == ""  # invitation and its answer
    assert "attendance" in tables["meetings.Invitation"][0]
    assert tables["funders.Funder"][0]["contact_phone"] == CONTACT_PHONE
    [token] = tables["users.ApiToken"]
    assert token["name"] == "Tableur" and "prefix" in token
    assert "key_hash" not in token
    assert "Tableur" in json.dumps(held) and ApiToken.objects.get().key_hash not in json.dumps(held)
    mentioned = {(m["table"], tuple(m["textes"])) for m in held["mentions_dans_des_textes"]}
    assert ("meetings.AgendaItem", ("presenter",)) in mentioned
    assert ("admin.LogEntry", ("object_repr",)) in mentioned


def test_the_export_holds_co_presidencies_and_staff_assignments(client, scene, admin):
    client.force_login(admin)
    assert _tables(_export(client, scene.state))["committees.CoPresidency"][0]["side"] == "state"
    staff = _tables(_export(client, scene.secretariat))["committees.StaffAssignment"]
    assert staff[0]["service"] == "ddets"


def test_anonymisation_leaves_people_with_a_longer_name_or_address_alone(person, admin):
    namesake = UserFactory(
        email=f"x{EMAIL}", first_name=FIRST, last_name=f"{LAST}son", organisation="Autre"
    )
    anonymise_person(person=person, by=admin)
    namesake.refresh_from_db()
    assert (namesake.email, namesake.last_name) == (f"x{EMAIL}", f"{LAST}son")
    assert namesake.is_active
