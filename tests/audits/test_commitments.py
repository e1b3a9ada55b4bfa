"""INS-COMMITMENTS: the committee records each member's commitments; a failure becomes an audit
request (CDE) or a referral to the CDE (CLE) in one step (INS-AUDIT)."""

import pytest
from django.urls import reverse

from audits.models import Audit, Commitment, CommitmentArea
from audits.services import commitments as services
from audits.services.bodies import create_network_body
from cte_portal.core.errors import RuleError

pytestmark = pytest.mark.django_db

FAILURE = Commitment.Status.FAILURE


def record(
    world, *, committee=None, body=None, status=FAILURE, notes="Aucun critère commun appliqué."
):
    return services.record_commitment(
        committee=committee or world.cde,
        user=world.secretariat,
        body=body or world.ft,
        area=CommitmentArea.ORIENTATION_CRITERIA,
        status=status,
        notes=notes,
    )


def test_a_commitment_is_recorded_once_per_member_and_area(world):
    first = record(world, status=Commitment.Status.PARTIAL, notes="")
    again = record(world)
    assert again.pk == first.pk and again.is_failure
    assert Commitment.objects.count() == 1
    assert Commitment.history.filter(id=first.pk).count() == 2


def test_a_failure_needs_observations_and_a_member_of_the_territory(world):
    with pytest.raises(RuleError, match="Décrivez le manquement") as refusal:
        record(world, notes=" ")
    assert refusal.value.field == "notes"
    with pytest.raises(RuleError, match="territoire"):
        record(world, body=world.foreign_body)
    assert not Commitment.objects.exists()


def test_a_cde_failure_becomes_a_request_in_one_step(world):
    commitment = record(world)
    audit = services.request_audit_from_failure(commitment=commitment, user=world.secretariat)
    assert audit.origin == Audit.Origin.COMMITTEE and audit.committee == world.cde
    assert audit.source_commitment == commitment
    assert "Aucun critère commun appliqué." in audit.facts
    with pytest.raises(RuleError, match="déjà en cours"):
        services.request_audit_from_failure(commitment=commitment, user=world.secretariat)
    assert Audit.objects.count() == 1


def test_a_cle_failure_becomes_a_referral_to_its_cde(world):
    commitment = record(world, committee=world.cle_a, body=world.ml)
    audit = services.request_audit_from_failure(commitment=commitment, user=world.cle_a_chair)
    assert audit.is_referral and audit.requesting_committee == world.cle_a
    assert audit.committee == world.cde


def test_only_a_failure_of_an_auditable_member_becomes_a_request(world):
    met = record(world, status=Commitment.Status.MET, notes="")
    with pytest.raises(RuleError, match="Seul un manquement"):
        services.request_audit_from_failure(commitment=met, user=world.secretariat)
    cd = record(world, body=world.cd)
    with pytest.raises(RuleError, match="un comité départemental fait auditer"):
        services.request_audit_from_failure(commitment=cd, user=world.secretariat)
    assert not Audit.objects.exists()


def test_the_screens_follow_the_same_rules(world, client):
    commitment = record(world)
    table = reverse("audits:commitments", args=[world.cde.pk])
    form = reverse("audits:commitment_form", args=[world.cde.pk])
    one_step = reverse("audits:commitment_audit", args=[commitment.pk])
    client.force_login(world.voter)  # a member reads the table, nothing more
    page = client.get(table)
    assert page.status_code == 200 and not page.context["can_manage"]
    assert client.get(form).status_code == 403
    assert client.post(one_step).status_code == 403
    client.force_login(world.ddets_ain)
    assert client.get(table).status_code == 404
    assert client.post(one_step).status_code == 404
    assert not Audit.objects.exists()
    client.force_login(world.secretariat)
    page = client.get(table)
    cells = [c for row in page.context["rows"] for c in row["cells"] if c["record"]]
    assert [c["can_request_audit"] for c in cells] == [True]
    assert (
        client.get(f"{form}?organisme={world.ft.pk}&engagement=orientation_criteria").status_code
        == 200
    )
    response = client.post(
        form,
        {"body": world.cap.pk, "area": "service_base", "status": "failure", "notes": ""},
    )
    assert response.status_code == 200 and Commitment.objects.count() == 1
    response = client.post(one_step)
    audit = Audit.objects.get()
    assert response.status_code == 302 and response["Location"] == audit.get_absolute_url()


@pytest.mark.parametrize("factor", [1, 10])
def test_the_table_has_a_flat_query_budget(world, client, factor, django_assert_max_num_queries):

    for number in range(2 * factor):
        body = create_network_body(
            name=f"Mission locale {number}",
            kind="mission_locale",
            departement=world.cde.departements.get(),
        )
        record(world, body=body)
    client.force_login(world.secretariat)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("audits:commitments", args=[world.cde.pk])).status_code == 200
