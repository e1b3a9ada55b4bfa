"""The audits' part of a person's inbox (``cte_portal.core.inbox``) and of the main menu.

- Co-presidents of a departmental committee: the audits that wait for the delegating local
  authority's agreement (INS-AUDIT).
- Secretariat of a departmental committee: the requests to put on a meeting's agenda for the
  vote, the agreements to record (INS-AUDIT), and the reports owed to their committees that
  are late (INS-REPORTING).

One query per kind (two for the reports, with their periods), whatever the number of
committees.
"""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, NetworkBody, ReportObligation
from audits.selectors import late_periods
from audits.workflow import State
from committees.inbox import state_agent_flags
from committees.permissions import COPRESIDE, MANAGE, committee_ids_held
from cte_portal.core.inbox import InboxItem
from cte_portal.core.permissions import is_admin, is_signed_in


def _agreements_awaited(copresided: set[int]) -> list[InboxItem]:
    audits = Audit.objects.filter(
        committee_id__in=copresided, state=State.AGREEMENT_PENDING
    ).select_related("committee", "audited_body")
    return [
        InboxItem(
            section="approve",
            kind="audit_agreement",
            kind_label="Audits en attente de l'accord de la collectivité",
            title=str(audit),
            url=reverse("audits:detail", args=[audit.pk]),
            committee=audit.committee.name,
            detail="L'audit ne peut commencer qu'après l'accord de la collectivité délégante",
        )
        for audit in audits
    ]


def _secretariat(managed: set[int], today) -> list[InboxItem]:
    items = []
    audits = Audit.objects.filter(
        committee_id__in=managed, state__in=(State.REQUESTED, State.AGREEMENT_PENDING)
    ).select_related("committee", "audited_body")
    for audit in audits:
        if audit.state == State.REQUESTED:
            if audit.agenda_item_id is not None:
                continue  # on a meeting's agenda: the vote will be recorded from there
            kind, label, url, detail = (
                "audit_to_schedule",
                "Demandes d'audit à inscrire à l'ordre du jour",
                reverse("audits:schedule", args=[audit.pk]),
                "Le comité départemental vote sur la demande",
            )
        else:
            kind, label, url, detail = (
                "audit_agreement_to_record",
                "Accords de collectivité à enregistrer",
                reverse("audits:agreement", args=[audit.pk]),
                "Enregistrez l'accord sur le principe et les modalités",
            )
        items.append(
            InboxItem(
                section="secretariat",
                kind=kind,
                kind_label=label,
                title=str(audit),
                url=url,
                committee=audit.committee.name,
                detail=detail,
            )
        )
    obligations = (
        ReportObligation.objects.active()
        .filter(committee_id__in=managed)
        .select_related("body", "committee")
        .prefetch_related("reports")
    )
    for obligation in obligations:
        late = late_periods(obligation, today)
        if not late:
            continue
        n = len(late)
        items.append(
            InboxItem(
                section="secretariat",
                kind="reports_late",
                kind_label="Comptes rendus en retard",
                title=f"{obligation.get_report_type_display()} — {obligation.body.name}",
                url=reverse("audits:obligation", args=[obligation.pk]),
                committee=obligation.committee.name,
                detail=(
                    f"{n} période{'s' if n > 1 else ''} en retard, "
                    f"attendu depuis le {late[0].due_on:%d/%m/%Y}"
                ),
                due_on=late[0].due_on,
            )
        )
    return items


def inbox_items(user) -> list[InboxItem]:
    items = []
    copresided = committee_ids_held(user, COPRESIDE)
    if copresided:
        items += _agreements_awaited(copresided)
    managed = committee_ids_held(user, MANAGE)
    if managed:
        items += _secretariat(managed, timezone.localdate())
    return items


def menu_flags() -> dict:
    """The menu's fact on a person (``OuterRef("pk")``): they act for a network body."""
    return {"body_user": Exists(NetworkBody.users.through.objects.filter(user=OuterRef("pk")))}


def menu_entries(user, flags) -> list[tuple[int, str, str]]:
    """Audits for those who run or co-preside a committee, the State services, admins, and
    the users of a network body (their reports and, once delivered, their audit)."""
    if not is_signed_in(user):
        return []
    opens = (
        is_admin(user)
        or state_agent_flags(user, flags)[0]
        or flags.get("copresides")
        or flags.get("body_user")
    )
    return [(70, "Audits", reverse("audits:index"))] if opens else []
