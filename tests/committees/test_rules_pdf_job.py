"""The PDF of the rules of procedure of a committee (INS-RULES) is built by a task, never in
the request: the request redirects to a progress page; the file goes to whom sees the
committee only; a failed job says so in French and can be queued again."""

import subprocess
from datetime import date

import pytest
from django.urls import reverse

from committees.file_jobs import RULES_PDF
from committees.models import Category
from committees.services import composition as services
from cte_portal.core.file_jobs import FAILURE_MESSAGE
from cte_portal.core.models import FileJob
from tests.clients import login
from tests.committees.composition_helpers import make_cde
from tests.factories.committees import MembershipFactory, ddets_agent
from tests.factories.territories import COMPOSITION, build_territory
from tests.file_jobs import download, request_file, status_code

pytestmark = pytest.mark.django_db

RULES = {
    "principles": "Recherche du consensus.",
    "secretariat": "Assuré par la DDETS.",
    "bodies": "Plénière et comité technique.",
    "means": "Salle de la préfecture.",
    "meetings": "Trois réunions par an.",
    "commissions": "Groupes de travail thématiques.",
    "iae_commission": "Commission inclusion et IAE.",
    "coordination": "Avec le CRE et les CLE.",
    "user_representation": "",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def territories(db):
    return build_territory(COMPOSITION)


@pytest.fixture
def cde(territories):
    return make_cde(territories)


@pytest.fixture
def draft(cde):
    return services.save_rules_draft(committee=cde, **RULES)


@pytest.fixture
def member(cde):
    return MembershipFactory(
        committee=cde, category=Category.FRANCE_TRAVAIL, organisation="France Travail Rhône"
    ).person


@pytest.fixture
def foreign_agent(territories, cde):
    """A DDETS agent of the Ain: the Rhône's committees do not exist for them."""
    return ddets_agent(territories.d01, email="agent.ddets01@ain.gouv.fr")


def _pdf_url(draft):
    return reverse("committees:rules_pdf", args=[draft.pk])


def test_a_member_gets_the_pdf_through_the_task(
    client, member, draft, django_capture_on_commit_callbacks
):
    login(client, member)
    job = request_file(client, _pdf_url(draft), django_capture_on_commit_callbacks)
    assert (job.kind, job.target_id, job.status, job.requested_by) == (
        RULES_PDF,
        draft.pk,
        FileJob.Status.DONE,
        member,
    )
    content = download(client, job)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "Règlement intérieur" in text and "Recherche du consensus." in text


def test_the_progress_page_before_and_after_the_build(
    client, member, draft, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    login(client, member)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(_pdf_url(draft))
    job = FileJob.objects.latest("pk")
    page_url = reverse("file_job", args=[job.pk])
    page = client.get(page_url).content.decode()
    assert "En attente : 0 %" in page and "Actualiser" in page
    assert status_code(client, reverse("file_job_download", args=[job.pk])) == 404
    for callback in callbacks:
        callback()
    with django_assert_max_num_queries(15):
        page = client.get(page_url).content.decode()
    assert reverse("file_job_download", args=[job.pk]) in page
    assert reverse("committees:rules_version", args=[draft.pk]) in page  # back to the version


def test_a_foreign_agent_may_neither_request_nor_download(
    client, member, foreign_agent, draft, django_capture_on_commit_callbacks
):
    login(client, member)
    job = request_file(client, _pdf_url(draft), django_capture_on_commit_callbacks)
    login(client, foreign_agent)
    assert client.post(_pdf_url(draft)).status_code == 404
    for name in ("file_job", "file_job_status", "file_job_download"):
        assert status_code(client, reverse(name, args=[job.pk])) == 404, name
    assert FileJob.objects.count() == 1


def test_a_member_who_left_the_committee_gets_403(
    client, member, draft, django_capture_on_commit_callbacks
):
    login(client, member)
    job = request_file(client, _pdf_url(draft), django_capture_on_commit_callbacks)
    services.end_membership(
        membership=member.memberships.get(), ended_on=date.today(), reason="Démission"
    )
    assert status_code(client, reverse("file_job_download", args=[job.pk])) == 403


def test_a_failed_pdf_can_be_retried(client, member, draft, django_capture_on_commit_callbacks):
    login(client, member)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(_pdf_url(draft))
    job = FileJob.objects.latest("pk")
    FileJob.objects.filter(pk=job.pk).update(status=FileJob.Status.FAILED, error=FAILURE_MESSAGE)
    page = client.get(reverse("file_job", args=[job.pk])).content.decode()
    assert "pas pu être établi" in page and "Relancer" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("file_job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == FileJob.Status.DONE
    assert download(client, job).startswith(b"%PDF")
