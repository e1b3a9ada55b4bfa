"""``manage.py seed_national``: the data of every app at the size of France (issue 15).

Run here on the real territorial reference (``import_territories``), at a tiny scale, on
two regions with the special cases of DEC-SPECIAL-CDE: Auvergne-Rhône-Alpes (INS-CDE-RHONE:
the Rhône and the Métropole de Lyon) and Corse (INS-CDE-SINGLE: one CDE for 2A+2B).
"""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from guardian.models import UserObjectPermission

from committees.models import Committee, CoPresidency, Level, Membership, SpecialAuthority
from committees.permissions import (
    can_manage_committee,
    can_view_committee,
    expected_permissions,
)
from committees.services.committees import installation_problems
from cte_portal.core.national import ADMIN_EMAIL, EMAIL_DOMAIN
from cte_portal.users.models import User
from funders.models import FundersConference, FundingLine
from meetings.models import Ballot, Invitation, Meeting, Minutes
from roadmaps.models import IndicatorValue, Roadmap, RoadmapVersion
from territories.models import Commune, Departement, Epci

pytestmark = pytest.mark.django_db
REGIONS = "84,94"


def _seed(*options: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(
        "seed_national", "--scale", "0.02", "--regions", REGIONS, *options, stdout=out, stderr=err
    )
    return out.getvalue(), err.getvalue()


def _counts() -> dict:
    return {
        "committees": Committee.objects.count(),
        "memberships": Membership.objects.count(),
        "copresidencies": CoPresidency.objects.count(),
        "users": User.objects.count(),
        "permissions": UserObjectPermission.objects.count(),
        "meetings": Meeting.objects.count(),
        "invitations": Invitation.objects.count(),
        "ballots": Ballot.objects.count(),
        "minutes": Minutes.objects.count(),
        "roadmaps": Roadmap.objects.count(),
        "values": IndicatorValue.objects.count(),
        "conferences": FundersConference.objects.count(),
        "lines": FundingLine.objects.count(),
    }


def test_seeds_a_valid_national_set_once():
    """One seeding (about 20 s), then every check: the data lives in this test's transaction."""
    call_command("import_territories", stdout=StringIO())
    _, progress = _seed()
    first = _counts()
    out, _ = _seed("--no-progress")
    # Idempotent: a second run adds nothing.
    assert _counts() == first
    assert all(count > 0 for count in first.values()), first
    assert "rien à ajouter" in out
    # A plain-text progress bar on stderr.
    assert "[##############################] 100% Comités : permissions" in progress
    assert "Indicateurs : valeurs mensuelles" in progress
    _check_committees()
    _check_perimeters()
    _check_lyon()
    _check_installation()
    _check_permissions()
    _check_ddets_agent()
    _check_other_apps()


def _check_committees():
    committees = Committee.objects.all()
    assert set(committees.filter(level=Level.REGIONAL).values_list("region", flat=True)) == {
        "84",
        "94",
    }
    # INS-CDE-SINGLE: one CDE for 2A+2B, none per département.
    corse = committees.get(level=Level.DEPARTMENTAL, region="94")
    assert corse.special_authority == SpecialAuthority.CORSE
    assert sorted(corse.departements.values_list("code", flat=True)) == ["2A", "2B"]
    # INS-CDE-RHONE: the Rhône and the Métropole de Lyon.
    rhone = committees.filter(level=Level.DEPARTMENTAL, departements="69")
    assert sorted(rhone.values_list("special_authority", flat=True)) == [
        "",
        SpecialAuthority.METROPOLE_LYON,
    ]
    # Every other département of the region has its CDE, under the CRE.
    for departement in Departement.objects.filter(region="84"):
        assert committees.filter(level=Level.DEPARTMENTAL, departements=departement).exists()
    cre = committees.get(level=Level.REGIONAL, region="84")
    assert set(
        committees.filter(level=Level.DEPARTMENTAL, region="84").values_list("parent", flat=True)
    ) == {cre.pk}


def _check_perimeters():
    """INS-CLE-PERIMETER: the CLEs cover every commune of their département, once."""
    through = Committee.communes.through
    for departement in Departement.objects.filter(region__in=REGIONS.split(",")):
        communes = set(
            Commune.objects.current().filter(departement=departement).values_list("code", flat=True)
        )
        cles = Committee.objects.installed().filter(level=Level.LOCAL, departements=departement)
        covered = list(
            through.objects.filter(committee__in=cles).values_list("commune_id", flat=True)
        )
        assert len(covered) == len(set(covered)), departement
        assert set(covered) == communes, departement
    for cle in Committee.objects.filter(level=Level.LOCAL):
        codes = set(cle.departements.values_list("code", flat=True))
        assert len(codes) == 1
        assert set(cle.communes.values_list("departement", flat=True)) == codes
        assert cle.commune_count == cle.communes.count()
        assert cle.perimeter_description
        assert cle.parent.level == Level.DEPARTMENTAL


def _check_lyon():
    lyon = Epci.objects.get(kind=Epci.Kind.MET69)
    cle = Committee.objects.get(level=Level.LOCAL, perimeter_epcis=lyon)
    assert cle.parent.special_authority == SpecialAuthority.METROPOLE_LYON
    others = Committee.objects.filter(level=Level.LOCAL, departements="69").exclude(pk=cle.pk)
    assert others.exists()
    assert not Commune.objects.filter(epci=lyon, local_committees__in=others).exists()


def _check_installation():
    """Co-presidents on both sides, every permanent category within DEC-MAX, etc."""
    for committee in Committee.objects.all():
        assert committee.status == Committee.Status.INSTALLED
        assert installation_problems(committee) == [], committee.name


def _check_permissions():
    content_type = ContentType.objects.get_for_model(Committee)
    for committee in Committee.objects.all():
        granted = set(
            UserObjectPermission.objects.filter(
                content_type=content_type, object_pk=str(committee.pk)
            ).values_list("user_id", "permission__codename")
        )
        assert granted == expected_permissions(committee), committee.name


def _check_ddets_agent():
    agent = User.objects.get(email=f"ddets-69@{EMAIL_DOMAIN}")
    rhone = Committee.objects.get(level=Level.DEPARTMENTAL, departements="69", special_authority="")
    cre = Committee.objects.get(level=Level.REGIONAL, region="84")
    ain = Committee.objects.get(level=Level.DEPARTMENTAL, departements="01")
    assert can_manage_committee(agent, rhone)
    assert can_view_committee(agent, cre) and not can_manage_committee(agent, cre)
    assert not can_view_committee(agent, ain)
    member = Membership.objects.filter(committee=ain).first().person
    assert can_view_committee(member, ain) and not can_view_committee(member, rhone)
    assert User.objects.get(email=ADMIN_EMAIL).is_admin
    assert not agent.has_usable_password()


def _check_other_apps():
    committees = Committee.objects.count()
    assert Meeting.objects.values("committee").distinct().count() == committees
    for minutes in Minutes.objects.select_related("meeting"):
        assert minutes.is_approved
        assert minutes.approvals.count() == minutes.meeting.committee.copresidencies.count()
    for ballot in Ballot.objects.select_related("invitation")[:200]:
        assert ballot.weight == ballot.invitation.votes > 0
    assert Roadmap.objects.filter(status=Roadmap.Status.PUBLISHED).count() == committees
    assert RoadmapVersion.objects.count() == committees
    assert IndicatorValue.objects.filter(roadmap_indicator__isnull=False).exists()
    assert FundersConference.objects.filter(committee__level=Level.DEPARTMENTAL).exists()


def test_refuses_a_scale_that_is_not_positive():
    with pytest.raises(CommandError, match="strictement positif"):
        call_command("seed_national", "--scale", "0", stdout=StringIO())


def test_refuses_an_unknown_region_and_changes_nothing(territory):
    users = User.objects.count()
    with pytest.raises(CommandError, match="Région inconnue ou sans comités pour l'emploi : 99"):
        call_command("seed_national", "--regions", "84,99", stdout=StringIO(), stderr=StringIO())
    assert Committee.objects.count() == 0
    assert User.objects.count() == users


def test_refuses_to_run_without_the_territorial_reference():
    with pytest.raises(CommandError, match="import_territories"):
        call_command("seed_national", "--no-progress", stdout=StringIO())
    assert not User.objects.filter(email=ADMIN_EMAIL).exists()
