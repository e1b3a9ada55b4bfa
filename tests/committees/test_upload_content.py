"""Written opinions are checked by their content, and vote counts have bounds (issue 14,
"Input")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees.models import WrittenOpinion
from tests.clients import login
from tests.committees import builders
from tests.factories.meetings import build_scene

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("avis.pdf", EXE, "programme ou une page web"),
        ("avis.png", b"<!doctype html><script>x</script>", "programme ou une page web"),
        ("avis.pdf", b"PK\x03\x04 not really a zip", "ne correspond pas"),
        ("avis.exe", b"%PDF-1.4", "Format non accepté"),
    ],
)
def test_a_disguised_written_opinion_is_refused(
    client, territory, ddets_rhone, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    committee = builders.make_cle(territory)
    login(client, ddets_rhone)
    response = client.post(
        reverse("committees:opinion_add", args=[committee.pk]),
        {
            "subject": "interdepartmental_cle",
            "authority": "Département de l'Ain",
            "given_on": "2024-08-20",
            "document": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WrittenOpinion.objects.exists()


def test_the_api_bounds_the_votes_of_a_member(client, eager, media):
    scene = build_scene()
    login(client, scene.secretariat)
    response = client.post(
        f"/api/v1/committees/{scene.committee.pk}/members/",
        {"category": "state", "votes": 40000},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "votes" in response.json()["errors"]
    membership = scene.voters["state"]
    response = client.patch(
        f"/api/v1/committees/{scene.committee.pk}/members/{membership.pk}/",
        {"votes": 99999999999},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "votes" in response.json()["errors"]
    membership.refresh_from_db()
    assert membership.votes == 1
