"""Who may do what on roadmaps, escalated subjects, indicators and good practices.

A roadmap's permissions are its committee's: the guardian object permissions that
``committees.permissions.sync_committee_permissions`` derives from staff assignments,
co-presidencies and memberships. Nothing here grants a permission; these predicates only
read the committee's.

- view: whoever sees the committee (members, co-presidents, State services of the territory).
- edit, submit, publish, raise a subject, enter values: the committee's secretariat
  (``can_manage_committee``: DDETS for CDE/CLE, DREETS for the CRE, admins); editing and
  entering values also France Travail's agents named on the committee (methodological
  support, fiche 2 §2.1 of the instruction).
- approve or ask for changes: only the committee's co-presidents or their delegates
  (``can_copreside``) — an admin who is not a co-president may not.
"""

from committees.models import Category, Level, Membership, StaffAssignment
from committees.permissions import can_copreside, can_manage_committee, can_view_committee
from cte_portal.core.permissions import is_admin, is_signed_in
from cte_portal.core.request_memo import memoise


def is_france_travail_support(user, committee) -> bool:
    """INS-ROADMAP (instruction, fiche 2 §2.1): France Travail gives methodological support
    to the co-construction of the roadmap and to the follow-up of its actions. Its agents
    named on the committee (a France Travail seat in office, titular or substitute) may
    therefore contribute to the roadmap and enter indicator values, not only read them."""
    if not is_signed_in(user):
        return False
    return memoise(
        ("france_travail_support", user.pk, committee.pk),
        lambda: (
            Membership.objects.active()
            .filter(committee=committee, person=user, category=Category.FRANCE_TRAVAIL)
            .exists()
        ),
    )


def can_contribute(user, committee) -> bool:
    """The secretariat, or France Travail's agents on the committee (methodological support)."""
    return can_manage_committee(user, committee) or is_france_travail_support(user, committee)


# --- Roadmaps (INS-ROADMAP) ---------------------------------------------------------------------


def can_view_roadmap(user, roadmap) -> bool:
    """Whoever sees the committee sees its roadmap, drafts included."""
    return can_view_committee(user, roadmap.committee)


def can_create_roadmap(user, committee) -> bool:
    """INS-ROADMAP: the secretariat starts the committee's roadmap."""
    return can_manage_committee(user, committee)


def can_edit_roadmap(user, roadmap) -> bool:
    """INS-ROADMAP: the committee's secretariat edits its roadmap, and so do France Travail's
    agents named on the committee (``is_france_travail_support``) (any state: an edit after an
    approval resets the approvals, an edit after publication opens a revision). Submitting,
    approving and publishing stay with the secretariat and the co-presidents."""
    return can_contribute(user, roadmap.committee)


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
    """The secretariat enters or imports the values of its committee's indicators, and so do
    France Travail's agents named on the committee (follow-up of the actions, INS-ROADMAP)."""
    return can_contribute(user, committee)


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
