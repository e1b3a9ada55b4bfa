"""Conventions followed by the CDE (State–Département, INS-CDE-MISSIONS) and the CRE
(State–Region, INS-CRE-MISSIONS): parties and amounts, commitments reusing the roadmaps'
indicators, documents, the renewal due within 90 days."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cte_portal.core.errors import RuleError
from funders.models import Convention, ConventionDocument, ConventionParty
from funders.services.conventions import (
    add_commitment,
    add_document,
    add_party,
    conventions_of,
    create_convention,
    renewals_due,
    update_convention,
)
from roadmaps.models import ResultIndicator, RoadmapIndicator
from roadmaps.services.roadmaps import add_action_sheet, add_axis, create_roadmap
from tests.funders.world import funder, today

pytestmark = pytest.mark.django_db


def _convention(committee, **overrides):
    fields = {
        "kind": "insertion_employment",
        "title": "Contractualisation insertion-emploi 2024-2027",
        "starts_on": date(2024, 1, 1),
        "ends_on": date(2027, 12, 31),
        "status": "signed",
        "signed_on": date(2024, 3, 15),
    }
    fields.update(overrides)
    return create_convention(committee=committee, **fields)


def test_the_cde_follows_state_departement_conventions(world):
    for kind in ("insertion_employment", "solidarity_pact", "caom", "other"):
        assert _convention(world.cde, kind=kind, title=kind).kind == kind
    with pytest.raises(RuleError) as error:
        _convention(world.cde, kind="state_region")
    assert error.value.field == "kind"
    assert "n'est pas suivi à ce niveau" in error.value.messages[0]


def test_the_cre_follows_state_region_conventions(world):
    assert _convention(world.cre, kind="state_region").kind == "state_region"
    with pytest.raises(RuleError):
        _convention(world.cre, kind="caom")


def test_a_local_committee_follows_no_convention(world):
    with pytest.raises(RuleError) as error:
        _convention(world.cle, kind="other")
    assert "comité départemental" in error.value.messages[0]
    assert not Convention.objects.exists()


def test_a_signed_convention_has_its_signature_date(world):
    with pytest.raises(RuleError) as error:
        _convention(world.cde, signed_on=None)
    assert error.value.field == "signed_on"
    with pytest.raises(RuleError):
        _convention(world.cde, signed_on=today() + timedelta(days=3))
    assert _convention(world.cde, status="preparation", signed_on=None).pk


def test_the_period_starts_before_it_ends(world):
    with pytest.raises(RuleError) as error:
        _convention(world.cde, starts_on=date(2026, 1, 1), ends_on=date(2025, 1, 1))
    assert error.value.field == "ends_on"


def test_renewal_due_within_90_days_is_flagged(world):
    soon = _convention(world.cde, title="Bientôt", ends_on=today() + timedelta(days=90))
    later = _convention(world.cde, title="Plus tard", ends_on=today() + timedelta(days=91))
    preparing = _convention(
        world.cde,
        title="En préparation",
        status="preparation",
        signed_on=None,
        ends_on=today() + timedelta(days=30),
    )
    assert soon.renewal_due() and not later.renewal_due() and not preparing.renewal_due()
    assert list(renewals_due([world.cde])) == [soon]
    update_convention(
        convention=soon,
        kind=soon.kind,
        title=soon.title,
        starts_on=soon.starts_on,
        ends_on=soon.ends_on,
        status="renewed",
        signed_on=soon.signed_on,
    )
    assert list(renewals_due([world.cde])) == []


def test_parties_and_their_amounts_add_up_exactly(world):
    departement = funder(world.cde, "Département du Rhône", "departement")
    convention = _convention(world.cde)
    add_party(convention=convention, funder=departement, amount=Decimal("1500000.10"))
    add_party(convention=convention, name="État (DDETS)", amount="2 000 000,20")
    add_party(convention=convention, name="France Travail")
    assert conventions_of([world.cde]).get().total_amount == Decimal("3500000.30")
    with pytest.raises(RuleError):
        add_party(convention=convention, name="état (ddets)")
    with pytest.raises(RuleError):
        add_party(convention=convention, name="CAF", amount="10,001")
    with pytest.raises(RuleError):
        add_party(convention=convention, funder=funder(world.cde75, "Ville de Paris"))
    with pytest.raises(RuleError):
        add_party(convention=convention)
    assert ConventionParty.objects.count() == 3


def test_commitments_reuse_the_roadmaps_indicators(world):
    convention = _convention(world.cde)
    common = ResultIndicator.objects.create(
        code="orientation-rsa",
        name="Taux d'orientation des bénéficiaires du RSA",
        definition="Part orientée dans le mois.",
        unit="%",
        direction="increase",
        aggregation="average",
    )
    roadmap = create_roadmap(committee=world.cde, user=world.ddets69, title="Feuille de route")
    axis = add_axis(roadmap=roadmap, title="Axe", diagnostic="D", stakes="E", objectives="O")
    sheet = add_action_sheet(
        axis=axis,
        title="Fiche",
        problem="P",
        objective="O",
        expected_results="R",
        target_public="RSA",
    )
    own = RoadmapIndicator.objects.create(sheet=sheet, name="Parcours engagés", unit="personnes")
    first = add_commitment(
        convention=convention,
        text="Orienter en un mois",
        result_indicator=common,
        target=Decimal("80"),
    )
    second = add_commitment(
        convention=convention, text="Engager des parcours", roadmap_indicator=own
    )
    third = add_commitment(
        convention=convention, text="Réunir le comité", indicator_label="Réunions"
    )
    assert [c.indicator_name for c in (first, second, third)] == [
        "Taux d'orientation des bénéficiaires du RSA",
        "Parcours engagés",
        "Réunions",
    ]
    assert [first.position, second.position, third.position] == [1, 2, 3]


def test_a_commitment_has_one_indicator_of_the_committee(world):
    convention = _convention(world.cde)
    roadmap = create_roadmap(committee=world.cle, user=world.ddets69, title="Feuille du CLE")
    axis = add_axis(roadmap=roadmap, title="Axe", diagnostic="D", stakes="E", objectives="O")
    sheet = add_action_sheet(
        axis=axis, title="F", problem="P", objective="O", expected_results="R", target_public="RSA"
    )
    foreign = RoadmapIndicator.objects.create(sheet=sheet, name="Du CLE", unit="personnes")
    with pytest.raises(RuleError) as error:
        add_commitment(convention=convention, text="x", roadmap_indicator=foreign)
    assert "feuille de route du comité" in error.value.messages[0]
    with pytest.raises(RuleError):
        add_commitment(
            convention=convention, text="x", roadmap_indicator=foreign, indicator_label="y"
        )
    with pytest.raises(RuleError):
        add_commitment(convention=convention, text=" ")
    assert not convention.commitments.exists()


def test_documents_are_pdf_or_office_files(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    convention = _convention(world.cde)
    document = add_document(
        convention=convention,
        user=world.ddets69,
        title="Convention signée",
        file=SimpleUploadedFile("convention.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    assert document.file.name.endswith(".pdf")
    with pytest.raises(RuleError) as error:
        add_document(
            convention=convention,
            user=world.ddets69,
            title="Script",
            file=SimpleUploadedFile("script.exe", b"MZ"),
        )
    assert error.value.field == "file"
    assert ConventionDocument.objects.count() == 1
