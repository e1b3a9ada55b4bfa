"""Who may do what on a committee (DOMAIN §4), as predicates and guardian object permissions.

Object permissions on a committee are *derived* from the facts that justify them — a staff
assignment on its territory, a co-presidency, a membership — by ``sync_committee_permissions``,
which the services call whenever one of those facts starts or ends. Views and templates ask
the ``can_*`` predicates below; they never call guardian directly.

- admin (DGEFP): everything, everywhere.
- DREETS agent: sees every committee of their region; runs the secretariat of its CRE.
- DDETS agent: runs the secretariat of the CDE(s) and CLEs of their département; sees the CRE.
- co-president (or their delegate): sees their committee and acts as co-president of it.
- member: sees their committee's space.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from guardian.models import UserObjectPermission

from committees.models import (
    CommissionMember,
    Committee,
    CoPresidency,
    Level,
    Membership,
    StaffAssignment,
)
from cte_portal.core.permissions import is_admin, is_signed_in
from cte_portal.core.request_memo import forget, memoise
from territories.models import Departement

VIEW = "view_committee"
MANAGE = "manage_committee"
COPRESIDE = "copreside_committee"
DERIVED_PERMISSIONS = (VIEW, MANAGE, COPRESIDE)


def committee_ids_with(user, codename: str) -> set[int]:
    """Ids of the committees on which ``user`` holds ``codename`` (one query, for lists)."""

    if is_admin(user):
        return memoise(
            ("committee_ids", "all"), lambda: set(Committee.objects.values_list("pk", flat=True))
        )
    if not is_signed_in(user):
        return set()
    return {pk for pk, codenames in _committee_permissions(user).items() if codename in codenames}


def committee_ids_held(user, codename: str) -> set[int]:
    """Ids of the committees on which the facts (a staff assignment, a co-presidency, a
    membership) give ``user`` ``codename`` — for an admin too, without the everything-everywhere
    of their role: what is *their own* work (the landing page's inbox)."""
    if not is_signed_in(user):
        return set()
    return {pk for pk, codenames in _committee_permissions(user).items() if codename in codenames}


def _committee_permissions(user) -> dict[int, set[str]]:
    """Every committee permission of ``user``, by committee id, in one query; made once per
    read-only request (``request_memo``), so a page asks guardian once however many
    predicates it evaluates."""

    def load() -> dict[int, set[str]]:
        permissions: dict[int, set[str]] = {}
        for object_pk, codename in UserObjectPermission.objects.filter(
            user=user, content_type=ContentType.objects.get_for_model(Committee)
        ).values_list("object_pk", "permission__codename"):
            permissions.setdefault(int(object_pk), set()).add(codename)
        return permissions

    return memoise(("committee_permissions", user.pk), load)


def _has(user, codename: str, committee) -> bool:
    if is_admin(user):
        return True
    if not is_signed_in(user):
        return False
    # Permissions are derived on users only (``sync_committee_permissions``), never on groups.
    return codename in _committee_permissions(user).get(committee.pk, ())


def can_view_committee(user, committee) -> bool:
    """Members, co-presidents, and the State services of its territory see a committee."""
    return _has(user, VIEW, committee)


def can_manage_committee(user, committee) -> bool:
    """The secretariat (DDETS for CDE/CLE, DREETS for the CRE) edits a committee, its
    perimeter, composition, commissions and rules of procedure; admins too."""
    return _has(user, MANAGE, committee)


def can_copreside(user, committee) -> bool:
    """DEC-COPRESIDENCY / DEC-JOINT: a co-president or their delegate acts as co-president."""
    return _has(user, COPRESIDE, committee) and not _is_admin_only(user, committee)


def can_view_committee_history(user, committee) -> bool:
    """The change history (who changed what, and when) names the people who acted: it is read
    by the secretariat (the DDETS/DREETS agents running the committee, admins) and by the
    co-presidents and their delegates, not by every member who sees the committee (RGPD:
    need to know)."""
    return _has(user, MANAGE, committee) or _has(user, COPRESIDE, committee)


def _is_admin_only(user, committee) -> bool:
    # An admin can do everything, but is not a co-president for that: joint decisions
    # (DEC-JOINT) need the actual co-presidents.
    if not is_admin(user):
        return False

    def seated() -> bool:
        active = CoPresidency.objects.active().filter(committee=committee)
        return active.filter(Q(person=user) | Q(delegate=user)).exists()

    return not memoise(("copresides", user.pk, committee.pk), seated)


def can_create_committee(user, *, level: str, region=None, departements=()) -> bool:
    """Admins create any committee; a DREETS agent the CRE of their region; a DDETS agent
    the CDE and CLEs of their département (an inter-departmental CLE from either side)."""

    if is_admin(user):
        return True
    if not is_signed_in(user):
        return False
    assignments = StaffAssignment.objects.active().filter(user=user)
    if level == Level.REGIONAL:
        return region is not None and assignments.filter(service="dreets", region=region).exists()
    codes = [getattr(d, "code", d) for d in departements]
    return bool(codes) and assignments.filter(service="ddets", departement__in=codes).exists()


def active_assignments(user) -> list[StaffAssignment]:
    """The staff assignments in force of ``user`` (memoised within a read-only request: the
    menu, the inbox and the page ask it)."""
    if not is_signed_in(user):
        return []
    return memoise(
        ("staff_assignments", user.pk),
        lambda: list(StaffAssignment.objects.active().filter(user=user)),
    )


def is_state_agent(user) -> bool:
    """A DREETS or DDETS agent with an assignment in force."""
    return bool(active_assignments(user))


def dreets_region_ids(user) -> set[str]:
    """The regions where ``user`` is a DREETS agent."""
    return {
        a.region_id for a in active_assignments(user) if a.service == StaffAssignment.Service.DREETS
    }


def can_manage_staff(user) -> bool:
    """Admins assign DREETS and DDETS agents and invite accounts anywhere; a DREETS agent does
    so in their region (issue 13). A DDETS agent does not."""
    return is_admin(user) or bool(dreets_region_ids(user))


def can_manage_staff_in(user, *, region_id: str | None) -> bool:
    """Whether ``user`` may start or end an assignment in ``region_id`` (the region of the
    assignment's territory): admins anywhere, a DREETS agent in their own region only."""
    if is_admin(user):
        return True
    return region_id is not None and region_id in dreets_region_ids(user)


def staff_in_scope(user):
    """The staff assignments ``user`` manages: every one for an admin, those of their region
    (the region itself and its départements) for a DREETS agent; none otherwise."""
    assignments = StaffAssignment.objects.all()
    if is_admin(user):
        return assignments
    regions = dreets_region_ids(user)
    if not regions:
        return assignments.none()
    return assignments.filter(Q(region_id__in=regions) | Q(departement__region_id__in=regions))


def accounts_in_scope(user):
    """The accounts ``user`` manages: every one for an admin; for a DREETS agent, the people
    with an assignment in force in their region."""
    accounts = get_user_model().objects.all()
    if is_admin(user):
        return accounts
    in_region = staff_in_scope(user).active()
    return accounts.filter(pk__in=in_region.values("user_id"), is_superuser=False)


def can_manage_account(user, account) -> bool:
    """Admins manage every account; a DREETS agent the accounts of the agents of their region
    whose assignments in force are all in it (not an agent also posted elsewhere), never an
    admin's."""
    if is_admin(user):
        return True
    regions = dreets_region_ids(user)
    if not regions or account.is_superuser:
        return False
    held = StaffAssignment.objects.active().filter(user=account).select_related("departement")
    assignment_regions = {a.region_id or a.departement.region_id for a in held}
    return bool(assignment_regions) and assignment_regions <= regions


def expected_permissions(committee) -> set[tuple[int, str]]:
    """The (user id, codename) pairs the facts of today justify on ``committee``."""

    expected: set[tuple[int, str]] = set()
    departement_codes = list(committee.departements.values_list("code", flat=True))
    staff = StaffAssignment.objects.active().select_related("departement")
    # DEC-OUTRE-MER: a DROM's single committee is also the regional one, run by the DREETS too.
    regional = committee.level == Level.REGIONAL or committee.outre_mer_single
    for assignment in staff.filter(service="dreets", region_id=committee.region_id):
        expected.add((assignment.user_id, VIEW))
        if regional:
            expected.add((assignment.user_id, MANAGE))
    # DEC-CLE-PERIMETER: a CLE across a regional boundary is run from each of its départements.
    for assignment in staff.filter(
        Q(departement__region_id=committee.region_id) | Q(departement_id__in=departement_codes),
        service="ddets",
    ):
        if committee.level == Level.REGIONAL:
            expected.add((assignment.user_id, VIEW))
        elif assignment.departement_id in departement_codes:
            expected.add((assignment.user_id, VIEW))
            expected.add((assignment.user_id, MANAGE))
    for person_id, delegate_id in (
        CoPresidency.objects.active()
        .filter(committee=committee)
        .values_list("person_id", "delegate_id")
    ):
        for uid in filter(None, (person_id, delegate_id)):
            expected.add((uid, VIEW))
            expected.add((uid, COPRESIDE))
    for uid in (
        Membership.objects.active().filter(committee=committee).values_list("person_id", flat=True)
    ):
        expected.add((uid, VIEW))
    for uid in CommissionMember.objects.filter(commission__committee=committee).values_list(
        "person_id", flat=True
    ):
        expected.add((uid, VIEW))
    return expected


def sync_committee_permissions(committee) -> None:
    """Grant what the facts justify on ``committee`` and revoke what they no longer do."""

    content_type = ContentType.objects.get_for_model(Committee)
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type=content_type, codename__in=DERIVED_PERMISSIONS
        )
    }
    current = UserObjectPermission.objects.filter(
        content_type=content_type, object_pk=str(committee.pk), permission__in=permissions.values()
    )
    existing = {
        (uid, codename): pk
        for pk, uid, codename in current.values_list("pk", "user_id", "permission__codename")
    }
    expected = expected_permissions(committee)
    stale = [pk for key, pk in existing.items() if key not in expected]
    if stale:
        UserObjectPermission.objects.filter(pk__in=stale).delete()
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(
                user_id=uid,
                permission=permissions[codename],
                content_type=content_type,
                object_pk=str(committee.pk),
            )
            for uid, codename in expected - set(existing)
        ]
    )
    # A page that derives permissions then reads them sees the new ones.
    forget()


def sync_territory_permissions(*, region_id: str) -> None:
    """Re-derive permissions on every committee of a region (a staff assignment changed)."""

    # A CLE across a regional boundary (DEC-CLE-PERIMETER) is re-derived from both regions.
    committees = Committee.objects.filter(
        Q(region_id=region_id) | Q(departements__region_id=region_id)
    ).distinct()
    for committee in committees:
        sync_committee_permissions(committee)


def can_change_parent(user, committee, parent) -> bool:
    """DEC-CLE-PERIMETER / INS-CDE-RHONE: moving a CLE under another CDE takes the secretariat
    of both: the CLE and the CDE it is moved to (a DDETS agent of the département, admins)."""
    return can_manage_committee(user, committee) and can_manage_committee(user, parent)


def employment_area_departements(user):
    """DEC-CLE-PERIMETER: the départements whose bassins d'emploi ``user`` defines: a DDETS
    agent's département, a DREETS agent's region (which frames the CLEs' perimeters,
    INS-CLE-PERIMETER), every département for admins; none for anyone else."""
    departements = Departement.objects.current()
    if is_admin(user):
        return departements
    if not is_signed_in(user):
        return departements.none()
    assignments = StaffAssignment.objects.active().filter(user=user)
    return departements.filter(
        Q(code__in=assignments.filter(service="ddets").values("departement_id"))
        | Q(region_id__in=assignments.filter(service="dreets").values("region_id"))
    )
