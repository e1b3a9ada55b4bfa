"""The IAE commission's section of a CDE's page (``committees.sections``, registered by
``IaeConfig.ready``): a link to the opinions of the commission for those who read them."""

from committees.models import Level
from iae.permissions import can_view_iae

TEMPLATE = "iae/includes/_committee_section.html"


def iae_section(request, committee) -> dict:
    shown = committee.level == Level.DEPARTMENTAL and can_view_iae(request.user, committee)
    return {"committee": committee, "show_iae": shown}
