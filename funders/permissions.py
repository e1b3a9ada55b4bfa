"""Who may do what on funders' conferences, offer maps, local needs and conventions.

Built on the committee's derived permissions (``committees.permissions``): nothing here grants
anything. A funder's contact person is known from the funders' directory of the committee.

- The committee's secretariat (``can_manage_committee``: DDETS for CDE/CLE, DREETS for the
  CRE, admins) edits: funders, conferences, funding lines, imports, needs, conventions.
- The co-presidents (``can_copreside``) and the contact persons of the funders taking part
  in a conference read it and comment it.
- The members (``can_view_committee``) read.
- A departmental conference's secretariat answers the needs of the local conferences below
  it (INS-FUNDERS); the local committee reads the answers on its own conference.
- DDETS and DREETS agents and admins see the yearly compliance overview (INS-FUNDERS,
  INS-FOLLOW-UP).

Lists use ``FundersConference.objects.visible_to(user)``; an object outside it is a 404, a
forbidden action on a visible object a 403.
"""

from committees.models import Level, StaffAssignment
from committees.permissions import can_copreside, can_manage_committee, can_view_committee
from cte_portal.core.permissions import is_admin, is_signed_in

# --- Conferences (INS-FUNDERS) -------------------------------------------------------------------


def is_funder_contact(user, conference) -> bool:
    """The contact person of a funder taking part in the conference."""
    return is_signed_in(user) and conference.funders.filter(contact=user).exists()


def can_view_conference(user, conference) -> bool:
    """Members, co-presidents and State services of the committee; contacts of the funders
    taking part."""
    return can_view_committee(user, conference.committee) or is_funder_contact(user, conference)


def can_manage_conference(user, conference) -> bool:
    """INS-FUNDERS: the committee's secretariat prepares the conference, its participants,
    its offer map (forms and imports), decisions and minutes."""
    return can_manage_committee(user, conference.committee)


def can_comment_conference(user, conference) -> bool:
    """The secretariat, the co-presidents and the funders' contacts comment; members read."""
    return (
        can_manage_committee(user, conference.committee)
        or can_copreside(user, conference.committee)
        or is_funder_contact(user, conference)
    )


def can_export_conference(user, conference) -> bool:
    """Whoever reads the conference exports its offer map (XLSX, PDF)."""
    return can_view_conference(user, conference)


def can_create_conference(user, committee) -> bool:
    """INS-FUNDERS: the secretariat convenes the committee's conference."""
    return can_manage_committee(user, committee)


def can_view_funders_space(user, committee) -> bool:
    """The committee's funders space (directory, conferences, conventions) is its members'."""
    return can_view_committee(user, committee)


def can_manage_funders(user, committee) -> bool:
    """The secretariat keeps the funders' directory."""
    return can_manage_committee(user, committee)


# --- Local funding conferences (INS-FUNDERS) --------------------------------------------------------


def can_raise_need(user, conference) -> bool:
    """The local committee's secretariat records the needs its counsellors raise."""
    return conference.level == Level.LOCAL and can_manage_committee(user, conference.committee)


def can_answer_needs(user, conference) -> bool:
    """The secretariat of a departmental conference answers the local needs below it."""
    return conference.level == Level.DEPARTMENTAL and can_manage_committee(
        user, conference.committee
    )


# --- Conventions (INS-CDE-MISSIONS, INS-CRE-MISSIONS) -------------------------------------------------


def can_view_convention(user, convention) -> bool:
    return can_view_committee(user, convention.committee)


def can_manage_conventions(user, committee) -> bool:
    """The secretariat records and follows the conventions (CDE: State–Département, CRE:
    State–Region)."""
    return committee.level != Level.LOCAL and can_manage_committee(user, committee)


# --- Overview (INS-FUNDERS, INS-FOLLOW-UP) ---------------------------------------------------------


def can_view_funders_overview(user) -> bool:
    """DDETS and DREETS agents (the committees of their territory) and admins."""
    if is_admin(user):
        return True
    return is_signed_in(user) and StaffAssignment.objects.active().filter(user=user).exists()
