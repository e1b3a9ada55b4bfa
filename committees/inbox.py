"""The committees' part of a person's inbox (``cte_portal.core.inbox``) and of the main menu.

For the secretariat (the DDETS/DREETS agents who run a committee): the committees to install
(INS-INSTALL) and the mandates ending soon (DEC-MANDATE). For the national admins and the
DREETS agents (in their region): the accounts invited that have not chosen a password yet.
Each read is one query, whatever the number of committees.
"""

from datetime import date, timedelta

from django.db.models import Count, Exists, Min, OuterRef
from django.urls import reverse
from guardian.models import UserObjectPermission

from committees.models import Committee, Membership, StaffAssignment
from committees.permissions import (
    COPRESIDE,
    MANAGE,
    VIEW,
    accounts_in_scope,
    can_manage_staff,
    committee_ids_held,
)
from cte_portal.core.conf import cte_setting
from cte_portal.core.inbox import InboxItem
from cte_portal.core.permissions import is_admin, is_signed_in
from cte_portal.core.request_memo import recall


def _installations(managed: set[int]) -> list[InboxItem]:
    committees = Committee.objects.filter(pk__in=managed, status=Committee.Status.DRAFT).order_by(
        "name"
    )
    return [
        InboxItem(
            section="secretariat",
            kind="installation",
            kind_label="Comités à installer",
            title=committee.name,
            url=reverse("committees:detail", args=[committee.pk]),
            committee=committee.name,
            detail="En préparation : vérifiez la composition puis installez le comité",
        )
        for committee in committees
    ]


def _mandates(managed: set[int], today: date) -> list[InboxItem]:
    """DEC-MANDATE: mandates ending within ``MANDATE_ENDING_DAYS``, one line per committee."""
    days = cte_setting("MANDATE_ENDING_DAYS")
    rows = (
        Membership.objects.active(today)
        .filter(
            committee_id__in=managed,
            committee__status__in=(Committee.Status.DRAFT, Committee.Status.INSTALLED),
            mandate_end__gte=today,
            mandate_end__lte=today + timedelta(days=days),
        )
        .values("committee_id", "committee__name")
        .annotate(count=Count("pk"), first_end=Min("mandate_end"))
        .order_by("first_end")
    )
    items = []
    for row in rows:
        count = row["count"]
        items.append(
            InboxItem(
                section="secretariat",
                kind="mandates",
                kind_label="Mandats à renouveler",
                title=row["committee__name"],
                url=reverse("committees:composition", args=[row["committee_id"]]),
                committee=row["committee__name"],
                detail=(
                    f"{count} mandat{'s' if count > 1 else ''} "
                    f"arrive{'nt' if count > 1 else ''} à échéance, "
                    f"le premier le {row['first_end']:%d/%m/%Y}"
                ),
                due_on=row["first_end"],
            )
        )
    return items


def pending_invitations(user):
    """The accounts invited that have not chosen their password yet, among those ``user``
    manages (admins: all; a DREETS agent: the agents of their region)."""
    return accounts_in_scope(user).filter(
        is_active=True, last_login__isnull=True, password__startswith="!"
    )


def _invitations(user) -> list[InboxItem]:
    if not can_manage_staff(user):
        return []
    count = pending_invitations(user).count()
    if not count:
        return []
    return [
        InboxItem(
            section="administration",
            kind="invitations",
            kind_label="Invitations sans suite",
            title="Comptes invités sans mot de passe",
            url=f"{reverse('committees:accounts')}?en_attente=1",
            detail=(
                "1 compte invité n'a pas encore choisi de mot de passe"
                if count == 1
                else f"{count} comptes invités n'ont pas encore choisi de mot de passe"
            ),
        )
    ]


def inbox_items(user) -> list[InboxItem]:
    managed = committee_ids_held(user, MANAGE)
    today = date.today()
    items = []
    if managed:
        items += _installations(managed)
        items += _mandates(managed, today)
    items += _invitations(user)
    return items


def menu_flags() -> dict:
    """The menu's facts on a person (``OuterRef("pk")``): a staff assignment in force, as a
    DREETS agent, a co-presidency, a committee they see."""
    # Joined by name, not ``get_for_model``: no query of its own on a cold cache.
    permissions = UserObjectPermission.objects.filter(
        user=OuterRef("pk"),
        content_type__app_label=Committee._meta.app_label,
        content_type__model=Committee._meta.model_name,
    )
    staff = StaffAssignment.objects.active().filter(user=OuterRef("pk"))
    return {
        "state_agent": Exists(staff),
        "dreets_agent": Exists(staff.filter(service=StaffAssignment.Service.DREETS)),
        "copresides": Exists(permissions.filter(permission__codename=COPRESIDE)),
        "sees_committees": Exists(permissions.filter(permission__codename=VIEW)),
    }


def state_agent_flags(user, flags) -> tuple[bool, bool]:
    """(DREETS or DDETS agent, DREETS agent), from the assignments the page already read when
    it did (no query), else from the menu's flags."""
    assignments = recall(("staff_assignments", user.pk))
    if assignments is not None:
        return bool(assignments), any(
            a.service == StaffAssignment.Service.DREETS for a in assignments
        )
    return flags.get("state_agent"), flags.get("dreets_agent")


def menu_entries(user, flags) -> list[tuple[int, str, str]]:
    """(order, label, url) of the committees' sections ``user`` may open."""
    if not is_signed_in(user):
        return []
    entries = [(20, "Comités", reverse("committees:list"))]
    admin = is_admin(user)
    state_agent, dreets_agent = (True, True) if admin else state_agent_flags(user, flags)
    if state_agent:
        entries.append((10, "Mon tableau de bord", reverse("committees:dashboard")))
    if dreets_agent:  # can_manage_staff
        entries.append((90, "Agents et comptes", reverse("committees:staff")))
    return entries
