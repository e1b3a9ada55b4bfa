"""INS-AUDIT confidentiality, in both directions: who sees an audit file, and who does not.

Visible to the CDE's co-presidents and secretariat, to the requesting CLE's co-presidents for
their referral, and to admins; to the audited body's users only once the report is delivered,
and only their own audit. Checked through the predicate, the scoped queryset, the screens (the
file, the lists, the downloads) and the API.
"""

import pytest
from django.urls import reverse

from audits.models import Audit
from audits.permissions import can_view_audit
from audits.services.audits import add_audit_document
from audits.services.conduct import deliver_report
from tests.audits.world import delivered, in_progress, pdf, referral, request, today

pytestmark = pytest.mark.django_db

EVERYONE = (
    "secretariat",
    "state",
    "local",
    "admin",
    "cle_a_chair",
    "cle_a_local_chair",
    "cle_b_chair",
    "voter",
    "dreets",
    "ddets_ain",
    "outsider",
    "ft_user",
    "ml_user",
    "delegated_user",
)
CDE_SIDE = {"secretariat", "state", "local", "admin"}


def download_status(client, url) -> int:
    """GET a download and read it to the end: the test client then closes the file (warnings
    are errors) without closing the database connection (``response.close()`` would)."""
    response = client.get(url)
    if response.streaming:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    return response.status_code


@pytest.fixture
def files(world):
    """The CDE's own audit of France Travail (under way), a referral of each CLE (about the
    Mission locale and Cap emploi), and a delivered audit of the delegated body."""
    return {
        "cde_ft": in_progress(world),
        "referral_a": referral(world),
        "referral_b": referral(world, world.cle_b, body=world.cap),
        "delivered": delivered(world, request(world, world.delegated)),
    }


EXPECTED = {
    "cde_ft": CDE_SIDE,
    "referral_a": CDE_SIDE | {"cle_a_chair", "cle_a_local_chair"},
    "referral_b": CDE_SIDE | {"cle_b_chair"},
    "delivered": CDE_SIDE | {"delegated_user"},
}


def _sees(world, client, persona, audit) -> bool:
    user = getattr(world, persona)
    by_predicate = can_view_audit(user, audit)
    by_queryset = Audit.objects.visible_to(user).filter(pk=audit.pk).exists()
    client.force_login(user)
    page = client.get(reverse("audits:detail", args=[audit.pk])).status_code
    api = client.get(f"/api/v1/audits/{audit.pk}/").status_code
    listed = audit.pk in {row["id"] for row in client.get("/api/v1/audits/").json()["results"]}
    on_index = f"Audit n° {audit.pk}<" in client.get(reverse("audits:index")).content.decode()
    assert {by_queryset, page == 200, api == 200, listed, on_index} == {by_predicate}, persona
    if not by_predicate:
        assert page == 404 and api == 404, persona
    return by_predicate


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_is_seen_by_exactly_its_readers(world, files, client, name):
    audit = files[name]
    seen = {p for p in EVERYONE if _sees(world, client, p, audit)}
    assert seen == EXPECTED[name]


def test_a_cle_does_not_see_another_cle_referral(world, files, client):
    assert not _sees(world, client, "cle_b_chair", files["referral_a"])
    assert not _sees(world, client, "cle_a_chair", files["referral_b"])
    client.force_login(world.cle_b_chair)
    page = client.get(reverse("audits:committee", args=[world.cle_b.pk])).content.decode()
    assert f"Audit n° {files['referral_b'].pk}<" in page
    assert f"Audit n° {files['referral_a'].pk}<" not in page


def test_the_audited_body_sees_its_audit_only_after_the_report(world, client):
    audit = in_progress(world, request(world, world.ml))
    assert not _sees(world, client, "ml_user", audit)
    assert not _sees(world, client, "ft_user", audit)

    audit = deliver_report(
        audit=audit, user=world.secretariat, document=pdf(), delivered_on=today()
    )
    assert _sees(world, client, "ml_user", audit)
    assert not _sees(world, client, "ft_user", audit)  # not their audit
    client.force_login(world.ml_user)
    assert download_status(client, reverse("audits:report_document", args=[audit.pk])) == 200


def test_downloads_follow_the_file(world, files, client):
    audit = files["referral_a"]

    document = add_audit_document(
        audit=audit, user=world.cle_a_chair, title="Constat", file=pdf("constat.pdf")
    )
    url = reverse("audits:document", args=[audit.pk, document.pk])
    for persona, status in (("cle_a_chair", 200), ("cle_b_chair", 404), ("voter", 404)):
        client.force_login(getattr(world, persona))
        assert download_status(client, url) == status, persona
    client.force_login(world.voter)
    agreement_url = reverse("audits:agreement_document", args=[files["delivered"].pk])
    assert download_status(client, agreement_url) == 404
    client.force_login(world.delegated_user)
    assert download_status(client, agreement_url) == 200


def test_committee_members_and_the_dreets_see_the_committee_but_not_its_audits(
    world, files, client
):
    for persona in ("voter", "dreets"):
        client.force_login(getattr(world, persona))
        response = client.get(reverse("audits:committee", args=[world.cde.pk]))
        assert response.status_code == 200
        assert "Audit n°" not in response.content.decode(), persona


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, world, files):
    response = client.get(reverse("audits:detail", args=[files["cde_ft"].pk]))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    assert client.get("/api/v1/audits/").status_code in (401, 403)
