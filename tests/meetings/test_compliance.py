"""INS-MEETINGS and INS-LOCAL-PRESENCE: meetings held against the advice of three a year, the
yearly plenary with the CLE co-presidents, their presence at upper levels, the overview of the
committees behind, and the meetings panel of the committee page."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from committees.models import Committee, Level
from committees.sections import committee_sections
from committees.services.committees import create_committee
from committees.services.composition import adopt_rules, save_rules_draft
from meetings.models import Meeting
from meetings.services import compliance as meeting_compliance
from meetings.services.planning import cancel_meeting
from tests.factories.committees import CoPresidencyFactory
from tests.factories.meetings import (
    Attendance,
    attend,
    convene,
    held_today,
    make_meeting,
    move_to,
)
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
END_OF_YEAR = date(YEAR, 12, 31)


def compliance(committee, today=END_OF_YEAR):
    return meeting_compliance.overview([committee], year=YEAR, today=today)[0]


def held(scene, day, **kwargs):
    return move_to(convene(scene, make_meeting(scene, items=1, **kwargs)), day)


def test_fewer_than_three_meetings_is_behind(scene):
    held(scene, date(YEAR, 2, 1))
    result = compliance(scene.committee)
    assert (result.held, result.planned, result.target) == (1, 0, 3)
    assert result.behind
    assert "pour 3 conseillées" in result.reasons[0]


def test_three_meetings_held_or_planned_are_enough(scene):
    held(scene, date(YEAR, 2, 1))
    held(scene, date(YEAR, 6, 1), with_local_copresidents=True)
    move_to(make_meeting(scene, items=1), date(YEAR, 11, 1))  # planned, in preparation
    result = compliance(scene.committee, today=date(YEAR, 7, 1))
    assert (result.held, result.planned) == (2, 1)
    assert result.plenary_held and not result.behind


def test_cancelled_meetings_do_not_count(scene):

    for month in (2, 3, 4):
        meeting = convene(scene, make_meeting(scene, items=1))
        if month == 4:
            cancel_meeting(meeting=meeting, user=scene.secretariat, reason="Report")
        move_to(meeting, date(YEAR, month, 1))
    assert compliance(scene.committee).held == 2


def test_the_adopted_rules_of_procedure_set_the_target(scene):
    rules = save_rules_draft(
        committee=scene.committee,
        **dict.fromkeys(
            (
                "principles",
                "secretariat",
                "bodies",
                "means",
                "meetings",
                "commissions",
                "iae_commission",
                "coordination",
            ),
            "Rédigé.",
        ),
        min_meetings_per_year=4,
    )
    adopt_rules(rules=rules, adopted_on=timezone.localdate())
    for month in (2, 3, 4):
        held(scene, date(YEAR, month, 1))
    result = compliance(scene.committee)
    assert result.target == 4 and result.behind
    assert "règlement intérieur" in result.target_source


def test_a_cde_without_plenary_with_the_cle_copresidents_is_behind(scene):
    for month in (2, 3, 4):
        held(scene, date(YEAR, month, 1))
    result = compliance(scene.committee)
    assert result.plenary_applies and not result.plenary_held
    assert result.reasons == [
        "Aucune plénière avec les co-présidents des comités locaux tenue ni prévue cette année."
    ]
    held(scene, date(YEAR, 5, 1), with_local_copresidents=True)
    assert not compliance(scene.committee).behind


def test_a_cle_has_no_plenary_to_hold(scene):
    cle = create_committee(
        level=Level.LOCAL,
        name="CLE Beaujolais",
        region=scene.territories.ara,
        departements=[scene.territories.d69],
    )
    result = compliance(cle)
    assert not result.plenary_applies
    assert len(result.reasons) == 1  # only the number of meetings


def _cle_with_copresident(scene, email):
    cle = create_committee(
        level=Level.LOCAL,
        name=f"CLE {email}",
        region=scene.territories.ara,
        departements=[scene.territories.d69],
        parent=scene.committee,
    )
    mayor = UserFactory(email=email)
    CoPresidencyFactory(committee=cle, local_authority=True, person=mayor, authority="Communauté")
    return cle, mayor


def test_cle_copresidents_presence_at_the_upper_level(scene):
    # INS-LOCAL-PRESENCE
    cle_a, came = _cle_with_copresident(scene, "came@example.fr")
    cle_b, stayed = _cle_with_copresident(scene, "stayed@example.fr")
    meeting = held_today(scene, with_local_copresidents=True)
    attend(scene, meeting, {came: Attendance.REMOTE, stayed: Attendance.EXCUSED})
    presence = {
        p.copresidency.person: p.attended for p in compliance(scene.committee).local_presence
    }
    assert presence == {came: True, stayed: False}
    rows = meeting_compliance.upper_level_attendance(cle_a)
    assert [(level, attended) for level, attended in rows[0]["levels"]] == [(scene.committee, True)]
    assert meeting_compliance.upper_level_attendance(cle_b)[0]["levels"][0][1] is False


def test_the_overview_lists_the_committees_behind_of_the_agents_territory(client, scene):
    Committee.objects.update(status=Committee.Status.INSTALLED)
    client.force_login(scene.secretariat)
    html = client.get("/reunions/suivi/").content.decode()
    assert "CDE du Rhône" in html and "le nombre conseillé" in html
    client.force_login(scene.other_ddets)
    assert "CDE du Rhône" not in client.get("/reunions/suivi/?tous=1").content.decode()


def _render_panel(user, committee):
    """The meetings section as the committee page registers it (``committees.sections``)."""
    request = RequestFactory().get("/")
    request.user = user
    section = next(s for s in committee_sections() if s.key == "meetings")
    return render_to_string(section.template, section.context(request, committee))


def test_the_committee_page_panel(scene):
    convene(scene, make_meeting(scene, title="Prochaine plénière"))
    make_meeting(scene, title="En préparation")
    html = _render_panel(scene.secretariat, scene.committee)
    assert "Prochaine plénière" in html and "En préparation" in html
    assert "Préparer une réunion" in html
    member = scene.voters["state"].person
    html = _render_panel(member, scene.committee)
    assert "Prochaine plénière" in html and "En préparation" not in html
    assert "Préparer une réunion" not in html


@pytest.mark.parametrize("grow", [1, 10])
def test_the_panel_query_budget(scene, django_assert_max_num_queries, grow):
    for index in range(grow):
        _cle_with_copresident(scene, f"maire{index}@example.fr")
        make_meeting(scene, items=0, days=10 + index)
    with django_assert_max_num_queries(14):
        _render_panel(scene.secretariat, scene.committee)


def test_meetings_are_counted_for_the_year_only(scene):
    held(scene, date(YEAR, 3, 1))
    previous = held(scene, date(YEAR, 4, 1))
    Meeting.objects.filter(pk=previous.pk).update(date=date(YEAR - 1, 4, 1))
    assert compliance(scene.committee).held == 1
