"""Who may do what on the IAE commission's files (DEC-IAE).

Built on the committees' derived permissions (``committees.permissions``): nothing here grants
anything. A file of a CDE is read by:
- the CDE's secretariat (``can_manage_committee``: the DDETS agents of its département), who
  records the requests, the opinions and the notices;
- its co-presidents (or their delegates) and the members of its inclusion & IAE commission,
  who read;
- admins.
Not by the committee's other members, nor by another département's services. Lists use
``IaeRequest.objects.visible_to(user)``; a file outside it is a 404, a forbidden write on a
visible file a 403.
"""

from committees.models import Commission, Level
from committees.permissions import can_copreside, can_manage_committee
from cte_portal.core.permissions import is_admin, is_signed_in


def is_iae_commission_member(user, committee) -> bool:
    return (
        is_signed_in(user)
        and Commission.objects.filter(
            committee=committee, kind=Commission.Kind.IAE, members__person=user
        ).exists()
    )


def can_view_iae(user, committee) -> bool:
    """DEC-IAE: the CDE's secretariat, co-presidents and IAE commission members; admins."""
    if committee.level != Level.DEPARTMENTAL:
        return False
    if is_admin(user):
        return True
    return (
        can_manage_committee(user, committee)
        or can_copreside(user, committee)
        or is_iae_commission_member(user, committee)
    )


def can_manage_iae(user, committee) -> bool:
    """DEC-IAE: the CDE's secretariat records the requests, the commission's opinions and the
    notices sent to the préfet."""
    return committee.level == Level.DEPARTMENTAL and can_manage_committee(user, committee)


def can_edit_request(user, iae_request) -> bool:
    return can_manage_iae(user, iae_request.committee)
