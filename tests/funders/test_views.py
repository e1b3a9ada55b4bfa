"""The funders' screens: every page renders for those who may see it, with a flat number of
queries as rows grow; writes go through the forms and services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from committees.sections import committee_sections
from committees.services.committees import create_committee
from funders.models import (
    ConferenceComment,
    Convention,
    Funder,
    FundersConference,
    FundingLine,
    FundingNeed,
)
from funders.services.conferences import add_comment
from funders.services.conventions import add_party, create_convention
from funders.services.needs import answer_need, raise_need
from meetings.services.minutes import (
    DRAFT_BLANK,
    approve_minutes,
    draft_minutes,
    update_minutes,
)
from tests.clients import login
from tests.file_jobs import read, request_file
from tests.funders.world import (
    NEED,
    conference,
    convene,
    funder,
    funders_meeting,
    line,
    move_to,
    today,
)

pytestmark = pytest.mark.django_db


def _page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def test_every_page_renders_for_the_secretariat(
    client, world, funders, cde_conference, cle_conference
):
    creche = line(cde_conference, funders["caf"], scheme="Crèches AVIP", public="single_parents")
    need = raise_need(conference=cle_conference, user=world.ddets69, **NEED)
    convention = create_convention(
        committee=world.cde,
        kind="caom",
        title="CAOM 2026",
        starts_on=today().replace(month=1, day=1),
        ends_on=today() + timedelta(days=30),
        status="signed",
        signed_on=today() - timedelta(days=100),
    )
    login(client, world.ddets69)
    urls = [
        reverse("funders:index"),
        reverse("funders:overview"),
        reverse("funders:committee", args=[world.cde.pk]),
        reverse("funders:committee", args=[world.cle.pk]),
        reverse("funders:conference_create", args=[world.cde.pk]),
        reverse("funders:funder_add", args=[world.cde.pk]),
        reverse("funders:funder_edit", args=[funders["caf"].pk]),
        cde_conference.get_absolute_url(),
        cle_conference.get_absolute_url(),
        reverse("funders:conference_edit", args=[cde_conference.pk]),
        reverse("funders:lines", args=[cde_conference.pk]),
        reverse("funders:line_add", args=[cde_conference.pk]),
        reverse("funders:line_edit", args=[creche.pk]),
        reverse("funders:analysis", args=[cde_conference.pk]),
        reverse("funders:import_upload", args=[cde_conference.pk]),
        reverse("funders:need_add", args=[cle_conference.pk]),
        reverse("funders:need_edit", args=[need.pk]),
        reverse("funders:need_answer", args=[cde_conference.pk, need.pk]),
        reverse("funders:convention_add", args=[world.cde.pk]),
        convention.get_absolute_url(),
        reverse("funders:convention_edit", args=[convention.pk]),
    ]
    for url in urls:
        _page(client, url)
    page = _page(client, reverse("funders:committee", args=[world.cde.pk])).content.decode()
    assert "À renouveler avant le" in page  # INS-CDE-MISSIONS: renewal within 90 days
    page = _page(client, cde_conference.get_absolute_url()).content.decode()
    assert "Garde d&#x27;enfants en horaires décalés" in page  # the CLE's need, to answer


def test_the_menu_leads_to_the_funders(client, world):
    login(client, world.member)
    page = _page(client, reverse("funders:index")).content.decode()
    assert 'href="/financeurs/"' in page and "Financeurs" in page


def test_the_secretariat_creates_a_conference_through_the_form(client, world, funders):
    login(client, world.ddets69)
    response = client.post(
        reverse("funders:conference_create", args=[world.cde.pk]),
        {
            "title": "Conférence départementale des financeurs 2026",
            "year": today().year,
            "date": today().isoformat(),
            "funders": [funders["state"].pk, funders["caf"].pk],
        },
    )
    created = FundersConference.objects.get()
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert created.funders.count() == 2


def test_a_refused_rule_is_shown_on_the_form_and_nothing_is_saved(client, world):
    login(client, world.ddets69)
    response = client.post(
        reverse("funders:conference_create", args=[world.cde.pk]),
        {"title": "Trop tard", "year": 2030, "date": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "L&#x27;année de la conférence correspond à sa date" in response.content.decode()
    assert not FundersConference.objects.exists()


def test_the_secretariat_adds_a_line_with_exact_amounts_and_cofinancing(
    client, world, funders, cde_conference
):
    login(client, world.ddets69)
    response = client.post(
        reverse("funders:line_add", args=[cde_conference.pk]),
        {
            "funder": funders["fse"].pk,
            "scheme": "FSE+ inclusion",
            "scheme_kind": "support",
            "public": "rsa",
            "covers_whole_perimeter": "on",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "amount_committed": "1250000.10",
            "amount_available": "0.20",
            "is_cofinanced": "on",
            "own_share": "60",
            "cofinancings": "Département du Rhône : 40",
        },
    )
    assert response.status_code == 302
    created = FundingLine.objects.get()
    assert created.amount_committed == Decimal("1250000.10")
    assert created.cofinancings.get().partner == funders["departement"]


def test_a_line_outside_the_perimeter_is_refused_on_the_form(
    client, world, funders, cle_conference
):
    cle_funder = funder(world.cle, "CA Villefranche", "communes_epci")
    login(client, world.ddets69)
    response = client.post(
        reverse("funders:line_add", args=[cle_conference.pk]),
        {
            "funder": cle_funder.pk,
            "scheme": "Permis",
            "scheme_kind": "mobility",
            "public": "youth",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "amount_committed": "100",
            "amount_available": "100",
            "cofinancings": "Région : trente",
        },
    )
    assert response.status_code == 200
    assert "Ligne 1" in response.content.decode()
    assert not FundingLine.objects.exists()


def test_comment_by_a_co_president(client, world, cde_conference):
    login(client, world.prefet)
    response = client.post(
        reverse("funders:comment_add", args=[cde_conference.pk]), {"body": "Vu, d'accord."}
    )
    assert response.status_code == 302
    assert ConferenceComment.objects.get().author == world.prefet


def test_the_local_committee_sees_the_departmental_answer(
    client, world, funders, cde_conference, cle_conference
):
    need = raise_need(conference=cle_conference, user=world.ddets69, **NEED)
    creche = line(cde_conference, funders["caf"], scheme="Crèches AVIP", public="single_parents")
    login(client, world.ddets69)
    response = client.post(
        reverse("funders:need_answer", args=[cde_conference.pk, need.pk]),
        {"status": "funded", "funding_line": creche.pk, "answer_comment": "Huit places."},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "funded"
    login(client, world.elu)  # co-president of the CLE only
    page = _page(client, cle_conference.get_absolute_url()).content.decode()
    assert "Financé par une ligne" in page and "Crèches AVIP" in page and "Huit places." in page


def test_a_conference_held_as_a_meeting_shows_the_meeting_minutes(client, world, funders):
    meeting = funders_meeting(world, days=3)
    created = conference(world.cde, world.ddets69, meeting=meeting)
    convene(world, meeting)
    move_to(meeting, today() - timedelta(days=1))
    minutes = draft_minutes(meeting=meeting, user=world.ddets69)
    minutes = update_minutes(
        minutes=minutes,
        user=world.ddets69,
        body=minutes.body.replace(DRAFT_BLANK, "les financeurs présentent leur offre."),
    )
    login(client, world.member)
    page = _page(client, created.get_absolute_url()).content.decode()
    assert "en attente de l'approbation des co-présidents" in page
    approve_minutes(minutes=minutes, user=world.prefet)
    approve_minutes(minutes=minutes, user=world.president_cd)
    page = _page(client, created.get_absolute_url()).content.decode()
    assert "Approuvé le" in page and reverse("meetings:minutes", args=[meeting.pk]) in page


def test_exports_download(
    client, world, funders, cde_conference, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The files are built by a task (tests/funders/test_export_jobs.py)."""
    settings.MEDIA_ROOT = tmp_path
    line(cde_conference, funders["state"])
    login(client, world.member)
    for fmt, content_type in (
        ("xlsx", "application/vnd.openxmlformats"),
        ("pdf", "application/pdf"),
    ):
        url = reverse("funders:export", args=[cde_conference.pk, fmt])
        job = request_file(client, url, django_capture_on_commit_callbacks)
        response = client.get(reverse("file_job_download", args=[job.pk]))
        assert response["Content-Type"].startswith(content_type)
        assert read(response)
    assert (
        client.post(f"/financeurs/conferences/{cde_conference.pk}/export.docx").status_code == 404
    )


def test_the_import_models_download_for_the_secretariat(client, world, funders, cde_conference):
    login(client, world.ddets69)
    csv = _page(client, reverse("funders:import_model", args=[cde_conference.pk, "csv"]))
    assert "Financeur;Dispositif" in csv.content.decode("utf-8-sig")
    _page(client, reverse("funders:import_model", args=[cde_conference.pk, "xlsx"]))


# --- Query budgets: flat as rows grow -------------------------------------------------------------


def _budget(client, url, grow, django_assert_max_num_queries, *, limit=40):
    """Measured here: list 7 queries, lines 10, analysis 13, conference page 20, committee
    space 17, overview 8 — the same with ten times more rows."""
    client.get(url)  # warm caches (content types, sessions)
    with django_assert_max_num_queries(limit) as few:
        assert client.get(url).status_code == 200
    count = len(few.captured_queries)  # read now: the next request resets the query log
    grow()
    client.get(url)  # warm again: the writes renewed the menu flags' generation
    with django_assert_max_num_queries(count):
        assert client.get(url).status_code == 200


def test_the_list_of_conferences_stays_flat(client, world, funders, django_assert_max_num_queries):
    def grow(count=3):
        for index in range(count):
            created = conference(world.cde, world.ddets69, title=f"Conférence {index}")
            line(created, funders["state"])

    grow()
    login(client, world.ddets69)
    _budget(client, reverse("funders:index"), lambda: grow(30), django_assert_max_num_queries)


def test_the_lines_and_the_analysis_stay_flat(
    client, world, funders, cde_conference, django_assert_max_num_queries
):
    communes = list(world.territory.communes.values())[:3]

    def grow(count):
        for index in range(count):
            line(
                cde_conference,
                funders["caf" if index % 2 else "region"],
                scheme=f"Dispositif {index}",
                public="youth",
                covers_whole_perimeter=False,
                communes=communes,
                is_cofinanced=True,
                own_share=Decimal("50"),
                cofinancings=[{"partner_name": "Ville", "share": Decimal("40"), "partner": None}],
            )

    grow(4)
    login(client, world.ddets69)
    for name in ("funders:lines", "funders:analysis"):
        url = reverse(name, args=[cde_conference.pk])
        _budget(client, url, lambda: grow(20), django_assert_max_num_queries, limit=45)


def test_the_conference_page_stays_flat(
    client, world, funders, cde_conference, cle_conference, django_assert_max_num_queries
):

    def grow(count):
        for index in range(count):
            need = raise_need(conference=cle_conference, user=world.ddets69, **NEED)
            if index % 2:
                answer_need(
                    need=need,
                    conference=cde_conference,
                    user=world.ddets69,
                    status="funded",
                    funding_line=line(cde_conference, funders["caf"], scheme=f"L{index}"),
                )
            add_comment(conference=cde_conference, user=world.prefet, body=f"Commentaire {index}")

    grow(2)
    login(client, world.ddets69)
    _budget(
        client, cde_conference.get_absolute_url(), lambda: grow(20), django_assert_max_num_queries
    )


def test_the_committee_space_and_overview_stay_flat(
    client, world, funders, django_assert_max_num_queries
):

    counter = iter(range(1000))

    def grow(count):
        for _ in range(count):
            index = next(counter)
            conference(world.cde, world.ddets69, title=f"Conférence {index}")
            funder(world.cde, f"Financeur {index}", "other")
            convention = create_convention(
                committee=world.cde,
                kind="other",
                title=f"Convention {index}",
                starts_on=today(),
                ends_on=today() + timedelta(days=10 * index),
                status="signed",
                signed_on=today(),
            )
            add_party(convention=convention, name="État", amount=Decimal("10.10"))
            create_committee(
                level="local",
                name=f"CLE {index}",
                region=world.territory.ara,
                departements=[world.territory.d69],
            )

    grow(2)
    login(client, world.ddets69)
    _budget(
        client,
        reverse("funders:committee", args=[world.cde.pk]),
        lambda: grow(15),
        django_assert_max_num_queries,
    )
    _budget(client, reverse("funders:overview"), lambda: grow(15), django_assert_max_num_queries)
    assert Funder.objects.count() > 30 and FundingNeed.objects.count() == 0


def test_the_committee_page_section_shows_the_last_conference_and_the_warning(rf, world):
    section = next(s for s in committee_sections() if s.key == "funders")
    request = rf.get("/")
    request.user = world.member
    html = render_to_string(section.template, section.context(request, world.cde))
    assert "Aucune conférence des financeurs tenue à ce jour" in html
    assert "fr-alert--warning" in html
    assert reverse("funders:committee", args=[world.cde.pk]) in html
    held = today() - timedelta(days=20)
    conference(world.cde, world.ddets69, day=held)
    request.user = world.outsider
    html = render_to_string(section.template, section.context(request, world.cde))
    assert f"Dernière conférence tenue le {held.day}" in html
    assert "fr-alert--warning" not in html
    assert reverse("funders:committee", args=[world.cde.pk]) not in html


def test_the_secretariat_follows_a_convention_through_the_screens(
    client, world, funders, settings, tmp_path
):

    settings.MEDIA_ROOT = tmp_path
    login(client, world.ddets69)
    response = client.post(
        reverse("funders:convention_add", args=[world.cde.pk]),
        {
            "kind": "solidarity_pact",
            "title": "Pacte local des solidarités",
            "starts_on": "2024-01-01",
            "ends_on": "2027-12-31",
            "status": "signed",
            "signed_on": "2024-06-12",
        },
    )
    convention = Convention.objects.get()
    assert response.status_code == 302 and response.url == convention.get_absolute_url()
    url = convention.get_absolute_url()
    client.post(
        reverse("funders:party_add", args=[convention.pk]),
        {"funder": funders["departement"].pk, "amount": "1150000.50"},
    )
    client.post(
        reverse("funders:party_add", args=[convention.pk]), {"name": "État", "amount": "0.50"}
    )
    response = client.post(reverse("funders:party_add", args=[convention.pk]), {"name": ""})
    assert response.status_code == 302  # refused: the message says why
    assert convention.parties.count() == 2
    client.post(
        reverse("funders:commitment_add", args=[convention.pk]),
        {"text": "Orienter en un mois", "indicator_label": "Délai d'orientation", "target": "30"},
    )
    client.post(
        reverse("funders:document_add", args=[convention.pk]),
        {"title": "Pacte signé", "file": SimpleUploadedFile("pacte.pdf", b"%PDF-1.4")},
    )
    page = _page(client, url).content.decode()
    assert "1\u202f150\u202f001,00\u202f€" in page  # exact total of the parties
    assert "Délai d&#x27;orientation" in page and "Pacte signé" in page
    document = convention.documents.get()
    download = _page(client, reverse("funders:document", args=[convention.pk, document.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4"
    party = convention.parties.get(name="État")
    client.post(reverse("funders:party_remove", args=[convention.pk, party.pk]))
    commitment = convention.commitments.get()
    client.post(reverse("funders:commitment_remove", args=[convention.pk, commitment.pk]))
    assert convention.parties.count() == 1 and not convention.commitments.exists()
    login(client, world.member)
    assert _page(client, url)  # members read
    assert (
        client.post(reverse("funders:party_add", args=[convention.pk]), {"name": "X"}).status_code
        == 403
    )


def test_the_local_secretariat_edits_and_withdraws_a_pending_need(client, world, cle_conference):
    need = raise_need(conference=cle_conference, user=world.ddets69, **NEED)
    login(client, world.ddets69)
    response = client.post(
        reverse("funders:need_edit", args=[need.pk]), {**NEED, "people_count": 11}
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.people_count == 11
    client.post(reverse("funders:need_delete", args=[need.pk]))
    assert not FundingNeed.objects.exists()


def test_the_secretariat_edits_and_deletes_a_line(client, world, funders, cde_conference):
    created = line(cde_conference, funders["state"])
    login(client, world.ddets69)
    form = _page(client, reverse("funders:line_edit", args=[created.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    data.update({"amount_committed": "99.99", "covers_whole_perimeter": "on"})
    data.pop("is_cofinanced", None)
    response = client.post(reverse("funders:line_edit", args=[created.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    created.refresh_from_db()
    assert created.amount_committed == Decimal("99.99")
    client.post(reverse("funders:line_delete", args=[created.pk]))
    assert not FundingLine.objects.exists()
