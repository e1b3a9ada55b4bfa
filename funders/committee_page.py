"""The funders' conference section of the committee page (``committees.sections``, registered
by ``FundersConfig.ready``): INS-FUNDERS, the date of the committee's last funders' conference,
and a warning when none was held in the last twelve months."""

from funders.permissions import can_view_funders_space
from funders.selectors.compliance import committee_compliance

TEMPLATE = "funders/includes/_committee_compliance.html"


def funders_section(request, committee) -> dict:
    return {
        "compliance": committee_compliance(committee),
        "committee": committee,
        "can_open": can_view_funders_space(request.user, committee),
    }
