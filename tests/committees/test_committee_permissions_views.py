"""Who may do what on the committee screens (DOMAIN §4), role × action, own and foreign.

A committee outside the user's scope answers 404 (its existence is not revealed); an action
the user may not take on a committee they see answers 403; in both cases nothing changes.
The permissions come from the facts, created through the services (staff assignments,
co-presidencies, memberships): see ``committees.permissions``.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees.models import (
    REQUIRED_CATEGORIES,
    Category,
    Committee,
    Level,
    WrittenOpinion,
)
from committees.services.committees import add_written_opinion, create_committee, set_perimeter
from committees.services.former_instances import add_former_instance
from tests.committees import builders
from tests.factories.committees import (
    CoPresidencyFactory,
    MembershipFactory,
    ddets_agent,
    dreets_agent,
)
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()

ROLES = (
    "admin",
    "dreets_ara",
    "ddets_rhone",
    "ddets_ain",
    "ddets_paris",
    "copresident",
    "member",
    "outsider",
)
# On a CLE of the Rhône: who sees it, who runs its secretariat.
SEES = {"admin", "dreets_ara", "ddets_rhone", "copresident", "member"}
MANAGES = {"admin", "ddets_rhone"}
# The change history names the people who acted: the secretariat and co-presidents only.
READS_HISTORY = MANAGES | {"copresident"}


def _pdf():
    return SimpleUploadedFile("avis.pdf", b"%PDF-1.4 avis", content_type="application/pdf")


@pytest.fixture
def world(territory, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    people = {
        "admin": UserFactory(admin=True),
        "dreets_ara": dreets_agent(territory.ara),
        "ddets_rhone": ddets_agent(territory.d69),
        "ddets_ain": ddets_agent(territory.d01),
        "ddets_paris": ddets_agent(territory.d75),
        "copresident": UserFactory(),
        "member": UserFactory(),
        "outsider": UserFactory(),
    }
    cle = builders.make_cle(territory)
    CoPresidencyFactory(committee=cle, person=people["copresident"])
    CoPresidencyFactory(committee=cle, local_authority=True)
    for category in REQUIRED_CATEGORIES[Level.LOCAL]:
        if category == Category.FRANCE_TRAVAIL:
            MembershipFactory(committee=cle, category=category, person=people["member"])
        else:
            MembershipFactory(committee=cle, category=category)
    paris = create_committee(
        level=Level.LOCAL,
        name="CLE Paris Centre",
        region=territory.idf,
        departements=[territory.d75],
    )
    set_perimeter(committee=paris, communes=[territory.communes["75056"]])
    for committee in (cle, paris):
        add_former_instance(
            committee=committee, kind="spel", name="SPEL historique", outcome="removed"
        )
        add_written_opinion(
            committee=committee,
            subject=WrittenOpinion.Subject.INTERDEPARTMENTAL_CLE,
            authority="Conseil départemental",
            given_on=date(2024, 8, 1),
            document=_pdf(),
        )
    return {"people": people, "own": cle, "foreign": paris, "territory": territory}


def _actions(committee, territory) -> dict:
    """action → (method, url, data)."""
    pk = committee.pk
    instance = committee.former_instances.get()
    opinion = committee.written_opinions.get()
    return {
        "detail": ("get", reverse("committees:detail", args=[pk]), None),
        "history": ("get", reverse("committees:history", args=[pk]), None),
        "opinion_document": (
            "get",
            reverse("committees:opinion_document", args=[pk, opinion.pk]),
            None,
        ),
        "edit_form": ("get", reverse("committees:edit", args=[pk]), None),
        "edit": ("post", reverse("committees:edit", args=[pk]), {"name": "Nom changé"}),
        "perimeter_form": ("get", reverse("committees:perimeter", args=[pk]), None),
        "perimeter": (
            "post",
            reverse("committees:perimeter", args=[pk]),
            {"communes": [c.code for c in committee.communes.all()][:1]},
        ),
        "install": (
            "post",
            reverse("committees:install", args=[pk]),
            {"installed_on": TODAY.isoformat(), "arrete_reference": "Arrêté n° 1"},
        ),
        "dissolve": (
            "post",
            reverse("committees:dissolve", args=[pk]),
            {"dissolved_on": TODAY.isoformat()},
        ),
        "former_instance_add": (
            "post",
            reverse("committees:former_instance_add", args=[pk]),
            {"kind": "sped", "name": "SPED du Rhône", "outcome": "removed"},
        ),
        "former_instance_remove": (
            "post",
            reverse("committees:former_instance_remove", args=[pk, instance.pk]),
            {},
        ),
        "opinion_add": (
            "post",
            reverse("committees:opinion_add", args=[pk]),
            {
                "subject": "interdepartmental_cle",
                "authority": "Département de l'Ain",
                "given_on": "2024-08-20",
                "document": _pdf(),
            },
        ),
    }


READS = {"detail", "history", "opinion_document"}
ACTIONS = (
    "detail",
    "history",
    "opinion_document",
    "edit_form",
    "edit",
    "perimeter_form",
    "perimeter",
    "install",
    "dissolve",
    "former_instance_add",
    "former_instance_remove",
    "opinion_add",
)


def _snapshot(committee: Committee) -> tuple:
    committee = Committee.objects.get(pk=committee.pk)
    return (
        committee.name,
        committee.status,
        committee.installed_on,
        committee.dissolved_on,
        committee.arrete_reference,
        tuple(committee.communes.order_by("code").values_list("code", flat=True)),
        tuple(committee.former_instances.values_list("name", flat=True)),
        committee.written_opinions.count(),
        Committee.history.filter(id=committee.pk).count(),
    )


def _call(client, method, url, data):
    response = client.get(url) if method == "get" else client.post(url, data)
    if response.streaming:  # read and close the served document
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_own_committee(client, world, role, action):
    committee = world["own"]
    method, url, data = _actions(committee, world["territory"])[action]
    client.force_login(world["people"][role])
    before = _snapshot(committee)
    response = _call(client, method, url, data)
    if role not in SEES:
        expected = 404
    elif action == "history":
        expected = 200 if role in READS_HISTORY else 403
    elif action in READS:
        expected = 200
    elif role not in MANAGES:
        expected = 403
    else:
        expected = 200 if method == "get" else 302
    assert response.status_code == expected, (role, action)
    if expected in (403, 404) or method == "get":
        assert _snapshot(committee) == before
    else:
        assert _snapshot(committee) != before


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_foreign_committee_is_404_and_unchanged(client, world, role, action):
    committee = world["foreign"]
    method, url, data = _actions(committee, world["territory"])[action]
    client.force_login(world["people"][role])
    before = _snapshot(committee)
    response = _call(client, method, url, data)
    if role in ("admin", "ddets_paris"):
        assert response.status_code in (200, 302), (role, action)
    else:
        assert response.status_code == 404, (role, action)
        assert _snapshot(committee) == before


@pytest.mark.parametrize("role", sorted(SEES))
def test_the_history_section_and_link_show_only_to_secretariat_and_copresidents(
    client, world, role
):
    client.force_login(world["people"][role])
    response = client.get(reverse("committees:detail", args=[world["own"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    history_url = reverse("committees:history", args=[world["own"].pk])
    shown = role in READS_HISTORY
    assert ('id="historique"' in html) is shown, role
    assert (history_url in html) is (role in MANAGES or (shown and _has_more_history(response)))
    assert bool(response.context["history"]) is shown


def _has_more_history(response) -> bool:
    return response.context["history_count"] > len(response.context["history"])


def test_anonymous_is_sent_to_sign_in(client, world):
    for action, (method, url, data) in _actions(world["own"], world["territory"]).items():
        before = _snapshot(world["own"])
        response = _call(client, method, url, data)
        assert response.status_code == 302, action
        assert reverse("login") in response["Location"]
        assert _snapshot(world["own"]) == before


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_only_what_each_role_sees(client, world, role):
    client.force_login(world["people"][role])
    response = client.get(reverse("committees:list"))
    names = {row["committee"].name for row in response.context["rows"]}
    expected = set()
    if role in SEES:
        expected.add(world["own"].name)
    if role in ("admin", "ddets_paris"):
        expected.add(world["foreign"].name)
    assert names == expected


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_lists_only_managed_committees(client, world, role):
    client.force_login(world["people"][role])
    response = client.get(reverse("committees:dashboard"))
    names = {c.name for c in response.context["committees"]}
    expected = set()
    if role in MANAGES:
        expected.add(world["own"].name)
    if role in ("admin", "ddets_paris"):
        expected.add(world["foreign"].name)
    assert names == expected


def test_dreets_creates_the_cre_but_not_a_cde(client, world):
    dreets = world["people"]["dreets_ara"]
    client.force_login(dreets)
    response = client.post(
        reverse("committees:create"),
        {"level": Level.DEPARTMENTAL, "name": "CDE de l'Ain", "departements": ["01"]},
    )
    # the level is not offered to a DREETS agent
    assert response.status_code == 200
    assert not Committee.objects.filter(name="CDE de l'Ain").exists()


def test_ddets_cannot_create_the_cre(client, world):
    client.force_login(world["people"]["ddets_rhone"])
    response = client.post(
        reverse("committees:create"),
        {"level": Level.REGIONAL, "name": "CRE", "region": "84", "crefop_mode": "within"},
    )
    assert response.status_code == 200  # not a choice offered
    assert not Committee.objects.filter(level=Level.REGIONAL).exists()


def test_admin_may_create_anywhere(client, world):
    client.force_login(world["people"]["admin"])
    response = client.post(
        reverse("committees:create"),
        {"level": Level.DEPARTMENTAL, "name": "CDE de Paris", "departements": ["75"]},
    )
    assert response.status_code == 302
    assert Committee.objects.get(name="CDE de Paris").region_id == "11"
