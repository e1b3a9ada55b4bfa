"""The IAE commission's screens (DEC-IAE): the secretariat records a request, the opinion and
the notice through the forms; commission members and co-presidents read; everyone else is
refused (403 on a visible committee, 404 outside the scope), nothing changed; the CDE's list
filters, paginates and exports (formulas neutralised) within a flat query budget."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cte_portal.core.models import FileJob
from iae.models import IaeOpinion, IaeRequest, RequestStatus
from tests.clients import login
from tests.file_jobs import download, read, request_file
from tests.iae.world import SIRET_ACI, SIRET_EI, give_opinion, new_request, today

pytestmark = pytest.mark.django_db


def list_url(world, **params):
    url = reverse("iae:committee", args=[world.cde.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def request_form(**changes):
    return {
        "kind": "convention",
        "structure_name": "Les Jardins de Gerland",
        "siret": "412 345 678 00012",
        "siae_type": "aci",
        "subject": "Renouvellement.",
        "fte_requested": "12,5",
        "amount_requested": "",
        "period_start": f"{today().year + 1}-01-01",
        "period_end": f"{today().year + 1}-12-31",
        "received_on": (today() - timedelta(days=10)).isoformat(),
        **changes,
    }


# --- The secretariat's path -------------------------------------------------------------------


def test_dec_iae_the_secretariat_records_request_opinion_and_notice_on_screen(world, client):
    login(client, world.secretariat)
    response = client.post(reverse("iae:create", args=[world.cde.pk]), request_form())
    assert response.status_code == 302, response.context and response.context["form"].errors
    item = IaeRequest.objects.get()
    assert item.siret == SIRET_ACI and item.status == RequestStatus.RECEIVED
    page = client.get(reverse("iae:opinion", args=[item.pk]))
    assert world.commission_meeting.title in page.content.decode()  # the commission's meetings
    assert world.plenary.title not in page.content.decode()
    response = client.post(
        reverse("iae:opinion", args=[item.pk]),
        {
            "verdict": "favourable",
            "method": "vote",
            "meeting": world.commission_meeting.pk,
            "votes_for": "7",
            "votes_against": "1",
            "votes_abstain": "0",
            "reasons": "Parcours d'insertion solides.",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    response = client.post(
        reverse("iae:notice", args=[item.pk]),
        {"recipient": "prefet", "recipient_label": "Préfecture du Rhône", "sent_on": today()},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.NOTICE_SENT
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Vote : 7 pour, 1 contre, 0 abstention(s)" in page
    assert "Avis transmis le" in page
    assert "DEC-IAE" not in page and "INS-" not in page
    assert reverse("iae:opinion", args=[item.pk]) not in page  # final once sent


def test_dec_iae_a_wrong_siret_is_shown_on_the_form_and_nothing_saved(world, client):
    login(client, world.secretariat)
    response = client.post(
        reverse("iae:create", args=[world.cde.pk]), request_form(siret="41234567800013")
    )
    assert response.status_code == 200
    assert "clé de contrôle" in " ".join(response.context["form"].errors["siret"])
    assert not IaeRequest.objects.exists()


def test_dec_iae_an_opinion_by_consensus_with_votes_is_refused_on_the_form(world, client):
    item = new_request(world)
    login(client, world.secretariat)
    response = client.post(
        reverse("iae:opinion", args=[item.pk]),
        {
            "verdict": "favourable",
            "method": "consensus",
            "meeting": world.commission_meeting.pk,
            "votes_for": "3",
        },
    )
    assert response.status_code == 200
    assert "ne compte pas de voix" in str(response.context["form"].errors)
    assert not IaeOpinion.objects.exists()


# --- Who reads, who writes -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretariat", "state", "member", "admin"])
def test_dec_iae_secretariat_copresidents_and_commission_members_read(world, client, who):
    item = new_request(world)
    login(client, getattr(world, who))
    assert client.get(list_url(world)).status_code == 200
    assert client.get(item.get_absolute_url()).status_code == 200
    # The export is queued, built by a task (tests/iae/test_export_jobs.py).
    response = client.post(reverse("iae:export_csv", args=[world.cde.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("file_job", args=[FileJob.objects.get().pk])


def test_dec_iae_a_member_outside_the_commission_and_other_services_are_refused(world, client):
    item = new_request(world)
    login(client, world.voter)  # sees the committee, not its IAE files
    assert client.get(list_url(world)).status_code == 403
    assert client.post(reverse("iae:export_xlsx", args=[world.cde.pk])).status_code == 403
    assert client.get(item.get_absolute_url()).status_code == 404
    for user in (world.other_ddets, world.outsider):
        login(client, user)
        assert client.get(list_url(world)).status_code == 404
        assert client.get(item.get_absolute_url()).status_code == 404
        assert client.post(reverse("iae:export_csv", args=[world.cde.pk])).status_code == 404
    assert not FileJob.objects.exists()


@pytest.mark.parametrize("who", ["state", "member"])
def test_dec_iae_readers_cannot_write(world, client, who):
    item = new_request(world)
    login(client, getattr(world, who))
    before = IaeRequest.objects.count()
    assert (
        client.post(reverse("iae:create", args=[world.cde.pk]), request_form()).status_code == 403
    )
    assert client.post(reverse("iae:edit", args=[item.pk]), request_form()).status_code == 403
    assert (
        client.post(
            reverse("iae:opinion", args=[item.pk]),
            {"verdict": "favourable", "method": "consensus", "given_on": today()},
        ).status_code
        == 403
    )
    assert client.post(reverse("iae:withdraw", args=[item.pk]), {"reason": "x"}).status_code == 403
    assert IaeRequest.objects.count() == before
    item.refresh_from_db()
    assert item.status == RequestStatus.RECEIVED and not IaeOpinion.objects.exists()
    page = client.get(item.get_absolute_url()).content.decode()
    assert reverse("iae:opinion", args=[item.pk]) not in page


def test_dec_iae_the_other_departement_secretariat_cannot_write(world, client):
    item = new_request(world)
    login(client, world.other_ddets)
    assert client.post(reverse("iae:withdraw", args=[item.pk]), {"reason": "x"}).status_code == 404
    assert IaeRequest.objects.get(pk=item.pk).status == RequestStatus.RECEIVED


def test_dec_iae_the_committee_page_links_to_the_opinions_for_their_readers(world, client):
    login(client, world.member)
    page = client.get(world.cde.get_absolute_url()).content.decode()
    assert list_url(world) in page
    login(client, world.voter)
    page = client.get(world.cde.get_absolute_url()).content.decode()
    assert list_url(world) not in page


# --- The list: filters, pagination, exports, query budget ---------------------------------------


def test_dec_iae_the_list_filters_by_status_and_kind(world, client):
    pending = new_request(world, structure_name="Structure en attente")
    given = new_request(world, structure_name="Structure avec avis", siret=SIRET_EI)
    give_opinion(world, given)
    fdi = new_request(world, structure_name="Demande FDI", kind="fdi", amount_requested=1000)
    login(client, world.secretariat)
    page = client.get(list_url(world, statut="opinion_given")).content.decode()
    assert given.structure_name in page and pending.structure_name not in page
    page = client.get(list_url(world, nature="fdi")).content.decode()
    assert fdi.structure_name in page and pending.structure_name not in page
    page = client.get(list_url(world, statut="nimporte")).content.decode()  # ignored
    assert pending.structure_name in page and given.structure_name in page


def test_dec_iae_the_list_is_paginated(world, client):
    for number in range(30):
        new_request(world, structure_name=f"Structure {number:02d}")
    login(client, world.secretariat)
    first = client.get(list_url(world)).content.decode()
    second = client.get(list_url(world, page=2)).content.decode()
    assert "Structure 29" in first and "Structure 00" not in first
    assert "Structure 00" in second and "Structure 29" not in second


@pytest.mark.parametrize("factor", [1, 10])
def test_dec_iae_the_list_has_a_flat_query_budget(
    world, client, factor, django_assert_max_num_queries
):
    for number in range(3 * factor):
        item = new_request(world, structure_name=f"Structure {number}")
        if number % 2:
            give_opinion(world, item)
    login(client, world.secretariat)
    # session, user, committee, permissions, IAE membership, count, page (opinions joined)
    with django_assert_max_num_queries(15):
        assert client.get(list_url(world)).status_code == 200
    login(client, world.member)
    with django_assert_max_num_queries(15):
        assert client.get(list_url(world)).status_code == 200
    # Queuing the export reads no file, whatever their number (the task reads them).
    with django_assert_max_num_queries(15):
        assert client.post(reverse("iae:export_csv", args=[world.cde.pk])).status_code == 302


def test_dec_iae_csv_export_neutralises_formulas(world, client, django_capture_on_commit_callbacks):
    item = new_request(world, structure_name='=HYPERLINK("http://x")', subject="+cmd|calc")
    give_opinion(world, item, reasons="@SUM(A1)")
    login(client, world.secretariat)
    job = request_file(
        client, reverse("iae:export_csv", args=[world.cde.pk]), django_capture_on_commit_callbacks
    )
    response = client.get(reverse("file_job_download", args=[job.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = read(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "N° de dossier"
    row = rows[1]
    assert row[2] == '\'=HYPERLINK("http://x")'
    assert row[5] == "'+cmd|calc"
    assert "'@SUM(A1)" in row
    assert row[3] == item.siret and "Favorable" in row


def test_dec_iae_xlsx_export_keeps_formulas_as_text(
    world, client, django_capture_on_commit_callbacks
):
    item = new_request(world, structure_name="=1+1")
    give_opinion(world, item)
    new_request(world, structure_name="Sans avis", siret=SIRET_EI)  # filtered out
    login(client, world.secretariat)
    url = reverse("iae:export_xlsx", args=[world.cde.pk]) + "?statut=opinion_given"
    job = request_file(client, url, django_capture_on_commit_callbacks)
    workbook = load_workbook(io.BytesIO(download(client, job)))
    sheet = workbook.active
    assert sheet["A1"].value == "N° de dossier"
    assert sheet["C2"].value == "=1+1" and sheet["C2"].data_type == "s"
    assert sheet.max_row == 2


@pytest.mark.parametrize("who", ["secretariat", "member"])
def test_dec_iae_the_file_has_a_query_budget(world, client, who, django_assert_max_num_queries):
    item = new_request(world)
    give_opinion(world, item)
    login(client, getattr(world, who))
    with django_assert_max_num_queries(15):
        page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    assert world.commission_meeting.title in page.content.decode()
