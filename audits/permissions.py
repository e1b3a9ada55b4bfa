"""Who may do what on audits, reports owed to the committees and commitments.

Built on the committees' derived permissions (``committees.permissions``): nothing here grants
anything. Lists use the ``visible_*`` querysets; an object outside them is a 404, a forbidden
action on a visible object a 403.

Audits are confidential (INS-AUDIT). An audit file is visible to:
- the departmental committee's secretariat (``can_manage_committee``: the DDETS agents of its
  département) and its co-presidents or their delegates (``can_copreside``);
- the co-presidents of the CLE that referred the request, for that referral only;
- admins;
- the audited body's users (the users linked to the audited ``NetworkBody``), only once the
  report is delivered, and only their own audit.
Not to the committee's other members, not to the DREETS, not to another CLE.

Reports owed to the committees (INS-REPORTING) are seen by whoever sees the recipient
committee and by the reporting body's users; commitments (INS-COMMITMENTS) by whoever sees the
committee. The committee's secretariat declares what is owed and records the commitments.
"""

from django.db.models import Q, QuerySet

from audits.models.bodies import body_ids_of
from audits.workflow import TRANSITIONS
from committees.models import Committee, Level, StaffAssignment
from committees.permissions import (
    COPRESIDE,
    MANAGE,
    can_copreside,
    can_manage_committee,
    can_view_committee,
    committee_ids_with,
)
from cte_portal.core.permissions import is_admin, is_signed_in


def is_body_user(user, body) -> bool:
    return is_signed_in(user) and body.users.filter(pk=user.pk).exists()


# --- Audits (INS-AUDIT) ------------------------------------------------------------------------


def can_view_audit(user, audit) -> bool:
    """INS-AUDIT confidentiality: the CDE's secretariat and co-presidents, the referring CLE's
    co-presidents, admins; the audited body's users after the report, their audit only."""
    if is_admin(user):
        return True
    if not is_signed_in(user):
        return False
    if can_manage_committee(user, audit.committee) or can_copreside(user, audit.committee):
        return True
    if audit.is_referral and can_copreside(user, audit.requesting_committee):
        return True
    return audit.report_delivered and is_body_user(user, audit.audited_body)


def can_request_audit(user, committee) -> bool:
    """INS-AUDIT: in a CDE, a request starts from its secretariat or a co-president."""
    return committee.level == Level.DEPARTMENTAL and (
        can_manage_committee(user, committee) or can_copreside(user, committee)
    )


def can_refer_audit(user, committee) -> bool:
    """INS-AUDIT: a CLE refers a request to its CDE when it finds failures. Its co-presidents
    refer; so does the secretariat that runs both the CLE and its CDE (the DDETS), so that
    whoever files the referral keeps seeing it (confidentiality above)."""
    if committee.level != Level.LOCAL:
        return False
    if can_copreside(user, committee):
        return True
    parent = committee.parent
    return (
        parent is not None
        and can_manage_committee(user, committee)
        and can_manage_committee(user, parent)
    )


def can_run_audit(user, audit) -> bool:
    """INS-AUDIT: the CDE's secretariat puts the request on a meeting's agenda, records the
    vote, the authority's agreement, the start, the report, the recommendations, the closing."""
    return can_manage_committee(user, audit.committee)


# The ``actor`` of each workflow step (``audits.workflow.TRANSITIONS``) → its predicate.
ACTOR_PREDICATES = {"cde_secretariat": can_run_audit}


def can_apply_transition(user, audit, name: str) -> bool:
    """Whether ``user`` may fire the workflow step ``name`` on ``audit`` (state not checked)."""
    return ACTOR_PREDICATES[TRANSITIONS[name].actor](user, audit)


def can_add_audit_document(user, audit) -> bool:
    """The CDE's secretariat and co-presidents; the referring CLE's co-presidents on their
    referral (further facts observed)."""
    if can_manage_committee(user, audit.committee) or can_copreside(user, audit.committee):
        return True
    return audit.is_referral and can_copreside(user, audit.requesting_committee)


def can_update_recommendation(user, recommendation) -> bool:
    """The CDE's secretariat; the audited body's users for the recommendations their body is
    responsible for, once the report is delivered (they bring the evidence)."""
    audit = recommendation.audit
    if can_run_audit(user, audit):
        return True
    return (
        audit.report_delivered
        and recommendation.responsible_body_id == audit.audited_body_id
        and is_body_user(user, audit.audited_body)
    )


def updatable_recommendations(user, audit, recommendations) -> set[int]:
    """``can_update_recommendation`` for every recommendation of ``audit`` at once (lists)."""
    if can_run_audit(user, audit):
        return {r.pk for r in recommendations}
    if not (audit.report_delivered and is_body_user(user, audit.audited_body)):
        return set()
    return {r.pk for r in recommendations if r.responsible_body_id == audit.audited_body_id}


# --- Network bodies -------------------------------------------------------------------------


def visible_bodies(user, queryset: QuerySet) -> QuerySet:
    """Admins see every body; the State services the bodies of their territory (and the
    national ones); a body's users see their body."""
    if is_admin(user):
        return queryset
    if not is_signed_in(user):
        return queryset.none()
    staff = StaffAssignment.objects.active().filter(user=user)
    departements = staff.filter(service=StaffAssignment.Service.DDETS).values("departement")
    regions = staff.filter(service=StaffAssignment.Service.DREETS).values("region")
    scope = Q(pk__in=body_ids_of(user))
    if staff.exists():
        scope |= (
            Q(departement__in=departements)
            | Q(departement__region__in=regions)
            | Q(departement__isnull=True)
        )
    return queryset.filter(scope)


def can_manage_body(user, body) -> bool:
    """Admins, and the DDETS agents of the body's département, name a body and link its users
    (which lets those users see their audit after the report: INS-AUDIT)."""
    if is_admin(user):
        return True
    if not is_signed_in(user) or body.departement_id is None:
        return False
    return (
        StaffAssignment.objects.active()
        .filter(user=user, service=StaffAssignment.Service.DDETS, departement=body.departement_id)
        .exists()
    )


def can_create_body(user) -> bool:
    """Admins and DDETS agents (in their département)."""
    if is_admin(user):
        return True
    return (
        is_signed_in(user)
        and StaffAssignment.objects.active()
        .filter(user=user, service=StaffAssignment.Service.DDETS)
        .exists()
    )


# --- Reports owed to the committees (INS-REPORTING) --------------------------------------------


def can_view_obligation(user, obligation) -> bool:
    if is_admin(user):
        return True
    if obligation.committee_id and can_view_committee(user, obligation.committee):
        return True
    return is_body_user(user, obligation.body)


def can_view_reports(user, committee) -> bool:
    """INS-REPORTING: what the committee received is for whoever sees the committee."""
    return can_view_committee(user, committee)


def can_manage_obligations(user, committee) -> bool:
    """INS-REPORTING: the committee's secretariat declares who owes what, how often. The
    national committee's obligations (``committee`` None) are the admins'."""
    if committee is None:
        return is_admin(user)
    return can_manage_committee(user, committee)


def can_submit_report(user, obligation) -> bool:
    """INS-REPORTING: the reporting body's users upload its reports (admins may help)."""
    return is_admin(user) or is_body_user(user, obligation.body)


# --- Commitments (INS-COMMITMENTS) -------------------------------------------------------------


def can_view_commitments(user, committee) -> bool:
    return can_view_committee(user, committee)


def can_manage_commitments(user, committee) -> bool:
    """INS-COMMITMENTS: the committee's secretariat records each member's commitments."""
    return can_manage_committee(user, committee)


def can_request_audit_from_commitment(user, commitment) -> bool:
    """A failure noted on a commitment becomes, in one step, a CDE's request or a CLE's
    referral (INS-AUDIT), by whoever may file one on that committee."""
    committee = commitment.committee
    if committee.level == Level.DEPARTMENTAL:
        return can_request_audit(user, committee)
    if committee.level == Level.LOCAL:
        return can_refer_audit(user, committee)
    return False


# --- The audits section --------------------------------------------------------------------


def audit_committees(user) -> QuerySet:
    """The committees whose audit space ``user`` opens: the CDEs they run or co-preside, the
    CLEs they co-preside or run (admins: every CDE and CLE)."""
    committees = Committee.objects.filter(level__in=(Level.DEPARTMENTAL, Level.LOCAL))
    if is_admin(user):
        return committees
    if not is_signed_in(user):
        return committees.none()
    ids = committee_ids_with(user, MANAGE) | committee_ids_with(user, COPRESIDE)
    return committees.filter(pk__in=ids)
