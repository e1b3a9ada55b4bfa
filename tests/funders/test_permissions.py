"""Who may do what, in both directions: the secretariat edits, co-presidents and funders'
contacts read and comment, members read; an object outside the user's scope is a 404, a
forbidden action on a visible object a 403, and nothing changes either way. The facts
(staff assignments, co-presidencies, memberships, the funders' directory) are created and
ended through the services, which derive the committee permissions."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees.models import Membership, StaffAssignment
from committees.services.composition import end_membership
from committees.services.staff import end_staff_assignment
from funders import permissions as perms
from funders.models import (
    ConferenceComment,
    Convention,
    Funder,
    FundersConference,
    FundingLine,
    FundingLineImport,
    FundingNeed,
)
from funders.services.conventions import create_convention
from funders.services.needs import raise_need
from tests.clients import login
from tests.funders.files import GOOD_ROWS, csv_bytes
from tests.funders.world import NEED, conference, funder, line, today

pytestmark = pytest.mark.django_db

YESTERDAY = date.today() - timedelta(days=1)


def fresh(user):
    """The same user without the permission cache of an earlier check."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def contact(world, funders):
    """The contact person of the CAF: no seat on any committee."""
    return funders["caf"].contact


# --- Predicates, both ways ------------------------------------------------------------------------


def test_the_secretariat_edits_until_its_assignment_ends(world, cde_conference):
    assert perms.can_manage_conference(world.ddets69, cde_conference)
    assert perms.can_comment_conference(world.ddets69, cde_conference)
    assert perms.can_create_conference(world.ddets69, world.cde)
    assert perms.can_manage_conventions(world.ddets69, world.cde)
    end_staff_assignment(
        assignment=StaffAssignment.objects.get(user=world.ddets69), ended_on=YESTERDAY
    )
    former = fresh(world.ddets69)
    assert not perms.can_view_conference(former, cde_conference)
    assert not perms.can_manage_conference(former, cde_conference)
    assert not FundersConference.objects.visible_to(former).exists()


def test_co_presidents_read_and_comment_but_do_not_edit(world, cde_conference):
    assert perms.can_view_conference(world.prefet, cde_conference)
    assert perms.can_comment_conference(world.prefet, cde_conference)
    assert not perms.can_manage_conference(world.prefet, cde_conference)
    assert not perms.can_manage_conventions(world.prefet, world.cde)


def test_members_read_until_their_membership_ends(world, cde_conference):
    assert perms.can_view_conference(world.member, cde_conference)
    assert not perms.can_comment_conference(world.member, cde_conference)
    assert not perms.can_manage_conference(world.member, cde_conference)
    end_membership(
        membership=Membership.objects.get(person=world.member),
        ended_on=YESTERDAY,
        reason="Démission",
    )
    assert not perms.can_view_conference(fresh(world.member), cde_conference)


def test_a_funder_contact_reads_and_comments_the_conferences_their_funder_joins(
    world, funders, contact, cde_conference
):
    assert not perms.can_view_conference(contact, cde_conference)
    line(cde_conference, funders["caf"])  # the CAF joins the conference
    assert perms.can_view_conference(contact, cde_conference)
    assert perms.can_comment_conference(contact, cde_conference)
    assert not perms.can_manage_conference(contact, cde_conference)
    assert not perms.can_view_funders_space(contact, world.cde)
    other = conference(world.cde, world.ddets69, title="Sans la CAF")
    assert list(FundersConference.objects.visible_to(contact)) == [cde_conference]
    assert not perms.can_view_conference(contact, other)


def test_local_needs_are_raised_locally_and_answered_by_the_departmental_secretariat(
    world, cde_conference, cle_conference
):
    assert perms.can_raise_need(world.ddets69, cle_conference)
    assert not perms.can_raise_need(world.ddets69, cde_conference)
    assert not perms.can_raise_need(world.elu, cle_conference)  # a co-president reads
    assert perms.can_answer_needs(world.ddets69, cde_conference)
    assert not perms.can_answer_needs(world.ddets69, cle_conference)
    assert not perms.can_answer_needs(world.prefet, cde_conference)


def test_only_state_services_and_admins_see_the_overview(world):
    assert perms.can_view_funders_overview(world.ddets69)
    assert perms.can_view_funders_overview(world.dreets)
    assert perms.can_view_funders_overview(world.admin)
    assert not perms.can_view_funders_overview(world.prefet)
    assert not perms.can_view_funders_overview(world.outsider)


def test_conventions_are_not_followed_by_a_local_committee(world):
    assert not perms.can_manage_conventions(world.ddets69, world.cle)


def test_admins_see_and_edit_everything(world, cde_conference):
    assert perms.can_manage_conference(world.admin, cde_conference)
    assert FundersConference.objects.visible_to(world.admin).count() == 1


# --- Screens: 404 outside the scope, 403 for a forbidden action, nothing changes ------------------


def _snapshot():
    return (
        FundersConference.objects.count(),
        FundingLine.objects.count(),
        Funder.objects.count(),
        FundingNeed.objects.count(),
        ConferenceComment.objects.count(),
        FundingLineImport.objects.count(),
        Convention.objects.count(),
        list(FundingLine.objects.values_list("amount_committed", flat=True)),
    )


@pytest.fixture
def scene(world, funders, cde_conference, cle_conference):
    offer_line = line(cde_conference, funders["caf"])
    need = raise_need(conference=cle_conference, user=world.ddets69, **NEED)
    convention = create_convention(
        committee=world.cde,
        kind="caom",
        title="CAOM",
        starts_on=today(),
        ends_on=today() + timedelta(days=200),
    )
    return {
        "line": offer_line,
        "need": need,
        "convention": convention,
        "cde": cde_conference,
        "cle": cle_conference,
    }


def _writes(world, scene, funders):
    cde, cle = scene["cde"], scene["cle"]
    line_values = {
        "funder": funders["caf"].pk,
        "scheme": "Nouveau",
        "scheme_kind": "support",
        "public": "rsa",
        "covers_whole_perimeter": "on",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "amount_committed": "1",
        "amount_available": "1",
    }
    return [
        (
            reverse("funders:conference_create", args=[world.cde.pk]),
            {"title": "X", "year": today().year, "date": today().isoformat()},
        ),
        (
            reverse("funders:conference_edit", args=[cde.pk]),
            {"title": "X", "year": today().year, "date": today().isoformat()},
        ),
        (
            reverse("funders:funder_add", args=[world.cde.pk]),
            {
                "kind": "other",
                "name": "Y",
                "contact_email": "y@example.fr",
                "contact_first_name": "Y",
                "contact_last_name": "Y",
            },
        ),
        (
            reverse("funders:funder_edit", args=[funders["caf"].pk]),
            {
                "kind": "other",
                "name": "Z",
                "contact_email": "z@example.fr",
                "contact_first_name": "Z",
                "contact_last_name": "Z",
            },
        ),
        (reverse("funders:line_add", args=[cde.pk]), line_values),
        (
            reverse("funders:line_edit", args=[scene["line"].pk]),
            {**line_values, "amount_committed": "999"},
        ),
        (reverse("funders:line_delete", args=[scene["line"].pk]), {}),
        (reverse("funders:import_upload", args=[cde.pk]), {"file": _upload()}),
        (reverse("funders:need_add", args=[cle.pk]), NEED),
        (reverse("funders:need_delete", args=[scene["need"].pk]), {}),
        (
            reverse("funders:need_answer", args=[cde.pk, scene["need"].pk]),
            {"status": "unmet", "unmet_reason": "x"},
        ),
        (
            reverse("funders:convention_add", args=[world.cde.pk]),
            {
                "kind": "caom",
                "title": "C",
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "status": "preparation",
            },
        ),
        (reverse("funders:party_add", args=[scene["convention"].pk]), {"name": "P"}),
    ]


def _upload():

    return SimpleUploadedFile("offre.csv", csv_bytes(GOOD_ROWS), content_type="text/csv")


@pytest.mark.parametrize("who", ["prefet", "member"])
def test_readers_get_a_403_on_every_write_and_nothing_changes(client, world, funders, scene, who):
    login(client, getattr(world, who))
    before = _snapshot()
    # The France Travail member sits on the CDE, not on the CLE: the CLE's conference is
    # outside their scope (404) — its needs they see from the CDE (403); the préfet
    # co-presides both (403).
    local = {reverse("funders:need_add", args=[scene["cle"].pk])}
    for url, data in _writes(world, scene, funders):
        if "file" in data:
            data = {"file": _upload()}  # a fresh upload for each request
        expected = 404 if who == "member" and url in local else 403
        assert client.post(url, data).status_code == expected, url
    assert _snapshot() == before


def test_a_funder_contact_gets_a_404_outside_and_a_403_inside(client, world, funders, scene):
    contact = funders["caf"].contact
    login(client, contact)
    before = _snapshot()
    assert client.get(scene["cde"].get_absolute_url()).status_code == 200
    assert client.get(reverse("funders:lines", args=[scene["cde"].pk])).status_code == 200
    assert client.get(reverse("funders:analysis", args=[scene["cde"].pk])).status_code == 200
    for url in (
        reverse("funders:committee", args=[world.cde.pk]),
        scene["cle"].get_absolute_url(),
        scene["convention"].get_absolute_url(),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("funders:line_delete", args=[scene["line"].pk])).status_code == 403
    assert (
        client.post(
            reverse("funders:conference_edit", args=[scene["cde"].pk]), {"title": "X"}
        ).status_code
        == 403
    )
    assert _snapshot() == before
    response = client.post(
        reverse("funders:comment_add", args=[scene["cde"].pk]), {"body": "La CAF confirme."}
    )
    assert response.status_code == 302
    assert ConferenceComment.objects.get().author == contact


@pytest.mark.parametrize("who", ["ddets75", "outsider"])
def test_people_outside_the_territory_get_a_404_everywhere_and_nothing_changes(
    client, world, funders, scene, who
):
    login(client, getattr(world, who))
    before = _snapshot()
    reads = [
        reverse("funders:committee", args=[world.cde.pk]),
        scene["cde"].get_absolute_url(),
        reverse("funders:lines", args=[scene["cde"].pk]),
        reverse("funders:analysis", args=[scene["cde"].pk]),
        scene["convention"].get_absolute_url(),
        reverse("funders:need_edit", args=[scene["need"].pk]),
    ]
    for url in reads:
        assert client.get(url).status_code == 404, url
    export = reverse("funders:export", args=[scene["cde"].pk, "xlsx"])
    assert client.post(export).status_code == 404
    for url, data in _writes(world, scene, funders):
        if "file" in data:
            data = {"file": _upload()}
        assert client.post(url, data).status_code == 404, url
    assert (
        client.post(
            reverse("funders:comment_add", args=[scene["cde"].pk]), {"body": "x"}
        ).status_code
        == 404
    )
    assert _snapshot() == before
    assert client.get(reverse("funders:index")).status_code == 200
    assert scene["cde"].title not in client.get(reverse("funders:index")).content.decode()


def test_a_co_president_may_not_open_the_overview(client, world):
    login(client, world.prefet)
    assert client.get(reverse("funders:overview")).status_code == 403
    login(client, world.dreets)
    assert client.get(reverse("funders:overview")).status_code == 200


def test_the_dreets_reads_the_departmental_conference_but_does_not_edit_it(
    client, world, funders, scene
):
    login(client, world.dreets)
    assert client.get(scene["cde"].get_absolute_url()).status_code == 200
    before = _snapshot()
    assert client.post(reverse("funders:line_delete", args=[scene["line"].pk])).status_code == 403
    assert _snapshot() == before


def test_a_need_is_answered_only_from_the_departmental_conference_above(
    client, world, funders, scene
):
    """A CDE conference of another département: not visible (404); the CLE's own conference
    is not departmental (404 by the route: the need is not below it)."""
    paris = conference(world.cde75, world.ddets75, title="Paris")
    login(client, world.ddets69)
    before = _snapshot()
    url = reverse("funders:need_answer", args=[scene["cle"].pk, scene["need"].pk])
    assert client.post(url, {"status": "unmet", "unmet_reason": "x"}).status_code == 404
    url = reverse("funders:need_answer", args=[paris.pk, scene["need"].pk])
    assert client.post(url, {"status": "unmet", "unmet_reason": "x"}).status_code == 404
    assert _snapshot() == before
    scene["need"].refresh_from_db()
    assert scene["need"].status == "pending"


def test_the_secretariat_of_the_cle_funder_directory_is_separate(world):
    caf_cle = funder(world.cle, "CAF du Rhône", "other")
    assert caf_cle.committee == world.cle
