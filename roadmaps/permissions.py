"""Who may do what on roadmaps, escalated subjects, indicators and good practices.

A roadmap's permissions are its committee's: the guardian object permissions that
``committees.permissions.sync_committee_permissions`` derives from staff assignments,
co-presidencies and memberships. Nothing here grants a permission; these predicates only
read the committee's.

- view: whoever sees the committee (members, co-presidents, State services of the territory).
- edit, submit, publish, raise a subject, enter values: the committee's secretariat
  (``can_manage_committee``: DDETS for CDE/CLE, DREETS for the CRE, admins).
- approve or ask for changes: only the committee's co-presidents or their delegates
  (``can_copreside``) — an admin who is not a co-president may not.
"""

from committees.models import Level, StaffAssignment
from committees.permissions import can_copreside, can_manage_committee, can_view_committee
from cte_portal.core.permissions import is_admin, is_signed_in

# --- Roadmaps (INS-ROADMAP) ---------------------------------------------------------------------


def can_view_roadmap(user, roadmap) -> bool:
    """Whoever sees the committee sees its roadmap, drafts included."""
    return can_view_committee(user, roadmap.committee)


def can_create_roadmap(user, committee) -> bool:
    """INS-ROADMAP: the secretariat starts the committee's roadmap."""
    return can_manage_committee(user, committee)


def can_edit_roadmap(user, roadmap) -> bool:
    """INS-ROADMAP: only the committee's secretariat edits its roadmap (any state: an edit
    after an approval resets the approvals, an edit after publication opens a revision)."""
    return can_manage_committee(user, roadmap.committee)


def can_submit_roadmap(user, roadmap) -> bool:
    return can_manage_committee(user, roadmap.committee)


def can_approve_roadmap(user, roadmap) -> bool:
    """INS-ROADMAP / DEC-COPRESIDENCY: only the co-presidents (or their delegates) approve
    or ask for changes."""
    return can_copreside(user, roadmap.committee)


def can_publish_roadmap(user, roadmap) -> bool:
    """The secretariat publishes a roadmap once every co-president has approved it."""
    return can_manage_committee(user, roadmap.committee)


def can_record_car_presentation(user, roadmap) -> bool:
    """INS-CAR: the secretariat of a departmental or regional committee records the
    presentation of its roadmap in CAR."""
    return roadmap.committee.level in (Level.DEPARTMENTAL, Level.REGIONAL) and (
        can_manage_committee(user, roadmap.committee)
    )


def can_export_roadmap(user, roadmap) -> bool:
    return can_view_roadmap(user, roadmap)


# --- Good practices (INS-GOOD-PRACTICES) --------------------------------------------------------


def can_mark_good_practice(user, sheet) -> bool:
    return can_manage_committee(user, sheet.axis.roadmap.committee)


def can_view_good_practices(user) -> bool:
    """INS-GOOD-PRACTICES: the catalogue spans every territory, for everyone signed in."""
    return is_signed_in(user)


# --- Indicators (INS-INDICATORS) ----------------------------------------------------------------


def can_view_indicators(user, committee) -> bool:
    return can_view_committee(user, committee)


def can_enter_indicator_values(user, committee) -> bool:
    """The secretariat enters or imports the values of its committee's indicators."""
    return can_manage_committee(user, committee)


# --- Escalation (INS-ESCALATION) ----------------------------------------------------------------


def can_raise_subject(user, committee) -> bool:
    """The secretariat of a CLE, CDE or CRE raises a subject to the level above."""
    return can_manage_committee(user, committee)


def can_view_subject(user, subject) -> bool:
    """The raising committee and the receiving one (or admins, for the national level)."""
    if can_view_committee(user, subject.from_committee):
        return True
    if subject.to_committee_id:
        return can_view_committee(user, subject.to_committee)
    return is_admin(user)


def can_answer_subject(user, subject) -> bool:
    """The secretariat of the upper committee answers; the national level is the DGEFP's."""
    if subject.to_committee_id:
        return can_manage_committee(user, subject.to_committee)
    return is_admin(user)


def can_view_national_inbox(user) -> bool:
    return is_admin(user)


# --- Follow-up (INS-FOLLOW-UP) ------------------------------------------------------------------


def can_follow_up(user) -> bool:
    """INS-FOLLOW-UP: DDETS and DREETS agents (and admins) follow the local roadmaps of
    their territory."""
    if is_admin(user):
        return True
    return is_signed_in(user) and StaffAssignment.objects.active().filter(user=user).exists()
