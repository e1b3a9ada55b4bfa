"""The demo of DEC-OUTRE-MER and DEC-CLE-PERIMETER (``committees.demo_outre_mer``), run by
``seed_committees`` and so by ``seed_demo``."""

import pytest

from committees.demo import seed_committees
from committees.demo_outre_mer import (
    BASSIN_VILLEFRANCHE,
    BEAUJOLAIS,
    CLE_NORD,
    SINGLE_NAME,
    seed_la_reunion,
)
from committees.models import Commission, Committee, CoPresidency
from committees.services.committees import installation_problems
from cte_portal.core.demo import seed_users
from territories.models import EmploymentArea
from tests.factories.territories import OVERSEAS, build_territory

pytestmark = pytest.mark.django_db


def test_the_demo_shows_la_reunion_single_committee_with_its_co_presidents_and_a_cle(db):
    """DEC-OUTRE-MER: préfet, présidente de région, président du département; an IAE
    commission; « CLE Nord – CINOR » reporting to it. Twice: nothing more the second time."""
    build_territory(OVERSEAS)
    personas = seed_users()
    first = seed_la_reunion(personas=personas)
    single, cle = first[SINGLE_NAME], first[CLE_NORD]
    assert single.outre_mer_single and single.is_installed
    assert installation_problems(single) == []
    sides = sorted(single.copresidencies.values_list("side", flat=True))
    assert sides == [CoPresidency.Side.LOCAL_AUTHORITY] * 2 + [CoPresidency.Side.STATE]
    assert single.commissions.filter(kind=Commission.Kind.IAE).exists()
    assert cle.is_installed and cle.parent == single
    assert set(cle.communes.values_list("code", flat=True)) == {"97411", "97418"}
    count = Committee.objects.count()
    again = seed_la_reunion(personas=personas)
    assert again[SINGLE_NAME] == single
    assert Committee.objects.count() == count


def test_the_demo_shows_a_bassin_and_a_perimeter_review(territory):
    """DEC-CLE-PERIMETER: the Rhône's demo has a bassin d'emploi and a reviewed perimeter;
    without La Réunion in the reference, the Outre-mer part is left out."""
    seed_committees()
    seed_committees()
    assert EmploymentArea.objects.filter(name=BASSIN_VILLEFRANCHE).count() == 1
    beaujolais = Committee.objects.get(name=BEAUJOLAIS)
    assert beaujolais.perimeter_reviews.count() == 1
    assert beaujolais.perimeter_reviewed_on is not None
    assert not Committee.objects.filter(name=SINGLE_NAME).exists()
