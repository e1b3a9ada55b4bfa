"""Funders' uploads are checked by their content, and volumes have bounds (issue 14, "Input")."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cte_portal.core.errors import RuleError
from funders.models import ConventionDocument, FundingLine, FundingLineImport
from funders.services.conventions import add_document, create_convention
from funders.services.offer import MAX_VOLUME, add_line
from tests.clients import login
from tests.funders.world import values

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.fixture
def convention(world):
    return create_convention(
        committee=world.cde,
        kind="insertion_employment",
        title="Contractualisation insertion-emploi 2024-2027",
        starts_on=date(2024, 1, 1),
        ends_on=date(2027, 12, 31),
        status="signed",
        signed_on=date(2024, 3, 15),
    )


def test_the_service_refuses_an_executable_renamed_pdf(world, convention, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(RuleError, match="programme ou une page web") as error:
        add_document(
            convention=convention,
            user=world.ddets69,
            title="Convention",
            file=SimpleUploadedFile("convention.pdf", EXE),
        )
    assert error.value.field == "file"
    assert not ConventionDocument.objects.exists()


def test_the_screen_refuses_a_web_page_renamed_xlsx(client, world, convention):
    login(client, world.ddets69)
    response = client.post(
        reverse("funders:document_add", args=[convention.pk]),
        {"title": "Tableau", "file": SimpleUploadedFile("tableau.xlsx", b"<html></html>")},
        follow=True,
    )
    assert "programme ou une page web" in response.content.decode()
    assert not ConventionDocument.objects.exists()


def test_the_offer_import_screen_refuses_an_executable_renamed_csv(client, world, cde_conference):
    login(client, world.ddets69)
    response = client.post(
        reverse("funders:import_upload", args=[cde_conference.pk]),
        {"file": SimpleUploadedFile("offre.csv", EXE)},
    )
    assert response.status_code == 200
    assert "programme ou une page web" in response.content.decode()
    assert not FundingLineImport.objects.exists()


def test_a_volume_beyond_any_scheme_is_refused_not_a_database_error(world, cde_conference, funders):
    with pytest.raises(RuleError) as error:
        add_line(
            conference=cde_conference,
            values=values(funders["caf"], places=MAX_VOLUME + 1, people=3_000_000_000),
        )
    assert "trop grand" in " ".join(error.value.messages)
    assert not FundingLine.objects.exists()


def test_the_line_form_bounds_the_volumes(client, world, cde_conference, funders):
    login(client, world.ddets69)
    response = client.post(
        reverse("funders:line_add", args=[cde_conference.pk]), {"places": "99999999999"}
    )
    assert response.status_code == 200
    assert "inférieure ou égale à 10000000" in response.content.decode()
    assert not FundingLine.objects.exists()
