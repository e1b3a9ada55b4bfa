"""Screens of audit requests and audits (INS-AUDIT, INS-CONSENSUS, DEC-AUDIT).

Views gate with ``audits.permissions`` (404 outside the user's scope — an audit file the user
may not see does not exist for them —, 403 for an action they may not take), validate a form,
call one service, and show the refused rule's French messages on the form (nothing saved).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from audits import permissions as perms
from audits import workflow
from audits.forms import AuditRequestForm
from audits.models import Audit, NetworkBody
from audits.models.bodies import body_ids_of
from audits.services import audits as services
from audits.views.common import crumbs, get_audit, get_committee
from committees.models import Level
from committees.permissions import can_view_committee
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.page_cache import cached_body
from cte_portal.core.shortcuts import form_page, require
from meetings.permissions import can_view_meeting

PER_PAGE = 30
State = workflow.State

# The screen of each manual step of the workflow; ``follow_up`` is a plain confirmation.
STEP_URLS = {
    "start": "audits:start",
    "deliver_report": "audits:report",
    "follow_up": "audits:follow_up",
    "close": "audits:close",
    "resubmit_to_authority": "audits:resubmit",
}
POST_ONLY_STEPS = frozenset({"follow_up", "resubmit_to_authority"})


def _list_queryset(user):
    return Audit.objects.visible_to(user).select_related(
        "committee", "requesting_committee", "audited_body"
    )


def _state_filter(request, audits):
    state = request.GET.get("etat", "")
    if state in State.values:
        audits = audits.filter(state=state)
    else:
        state = ""
    return audits, state


# --- Lists ---------------------------------------------------------------------------------------


def index(request):
    """The audit files the user may see, and the committees whose audit space they open."""
    user = request.user
    audits, state = _state_filter(request, _list_queryset(user))
    page = Paginator(audits.order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    committees = list(perms.audit_committees(user).order_by("level", "name"))
    return render(
        request,
        "audits/index.html",
        {
            "title": "Audits et comptes rendus",
            "page": page,
            "state": state,
            "states": State.choices,
            "query": f"etat={state}&" if state else "",
            "committees": committees,
            "acts_for_bodies": bool(body_ids_of(user)),
            "sees_bodies": perms.can_create_body(user) or bool(body_ids_of(user)),
        },
    )


def committee_audits(request, committee_pk: int):
    """A CDE's audits, with its inbox of CLE referrals; a CLE's referrals and their fate."""
    committee = get_committee(request, committee_pk)
    if committee.level not in (Level.DEPARTMENTAL, Level.LOCAL):
        raise Http404
    user = request.user

    def body_context() -> dict:
        visible = _list_queryset(user)
        if committee.level == Level.DEPARTMENTAL:
            audits = visible.filter(committee=committee)
            inbox = list(
                audits.filter(origin=Audit.Origin.REFERRAL, state=State.REQUESTED).order_by(
                    "created_at", "pk"
                )
            )
            can_create = perms.can_request_audit(user, committee)
        else:
            audits = visible.filter(origin=Audit.Origin.REFERRAL, requesting_committee=committee)
            inbox = []
            can_create = perms.can_refer_audit(user, committee)
        audits, state = _state_filter(request, audits)
        page = Paginator(audits.order_by("-created_at", "-pk"), PER_PAGE).get_page(
            request.GET.get("page")
        )
        return {
            "committee": committee,
            "committee_url": committee.get_absolute_url(),
            "is_cde": committee.level == Level.DEPARTMENTAL,
            "inbox": inbox,
            "page": page,
            "state": state,
            "states": State.choices,
            "query": f"etat={state}&" if state else "",
            "can_create": can_create,
        }

    body = cached_body(request, "audits-committee", "audits/committee_body.html", body_context)
    return render(
        request,
        "audits/committee.html",
        {
            "title": f"Audits — {committee.name}",
            "committee": committee,
            "body": body,
            "breadcrumb": crumbs((f"Audits — {committee.name}", None)),
        },
    )


# --- Request and referral (INS-AUDIT) -----------------------------------------------------------


def create(request, committee_pk: int):
    """A CDE's request (secretariat or co-president), or a CLE's referral to its CDE."""
    committee = get_committee(request, committee_pk)
    user = request.user
    if committee.level == Level.DEPARTMENTAL:
        require(perms.can_request_audit(user, committee))
        cde, service, is_referral = committee, services.request_audit, False
    elif committee.level == Level.LOCAL:
        require(perms.can_refer_audit(user, committee))
        cde, service, is_referral = committee.parent, services.refer_audit, True
    else:
        raise Http404
    bodies = (
        NetworkBody.objects.active().auditable().for_committee(cde)
        if cde is not None
        else NetworkBody.objects.none()
    )
    form = AuditRequestForm(request.POST or None, request.FILES or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit = service(
                committee=committee,
                user=user,
                audited_body=data["audited_body"],
                scope_missions=data["scope_missions"],
                scope_quality=data["scope_quality"],
                facts=data["facts"],
                documents=form.documents(),
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request,
                f"La saisine est transmise à « {cde.name} », qui la trouvera dans ses demandes "
                "reçues."
                if is_referral
                else "La demande d'audit est déposée ; inscrivez-la à l'ordre du jour d'une "
                "réunion pour que le comité la vote.",
            )
            return redirect(audit)
    if is_referral:
        title = f"Saisir le comité départemental d'une demande d'audit — {committee.name}"
        intro = (
            f"Le comité local saisit « {cde.name if cde else 'son comité départemental'} » "
            "d'une demande d'audit lorsqu'il constate des défaillances. La demande "
            "sera votée par le comité départemental ; vous en suivrez le sort ici."
        )
    else:
        title = f"Demander un audit — {committee.name}"
        intro = (
            "Le comité départemental peut faire réaliser des audits de France Travail, des "
            "Missions locales, de Cap emploi et des organismes délégataires d'une collectivité. "
            "La demande est décidée par un vote du comité."
        )
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title=title,
        submit="Transmettre la saisine" if is_referral else "Déposer la demande",
        cancel_url=committee.get_absolute_url(),
        breadcrumb=crumbs(("Nouvelle demande", None), committee=committee),
        intro=intro,
        multipart=True,
    )


# --- The file ------------------------------------------------------------------------------------


def detail(request, pk: int):
    audit = get_audit(request, pk)
    user = request.user
    runs = perms.can_run_audit(user, audit)
    items = list(audit.recommendations.select_related("responsible_body"))
    updatable = perms.updatable_recommendations(user, audit, items)
    recommendations = [{"item": r, "can_update": r.pk in updatable} for r in items]
    steps = []
    passed = True
    for state in workflow.STEPS:
        if state == State.AGREEMENT_PENDING and not audit.requires_agreement:
            continue
        current = state == audit.state
        steps.append(
            {"label": State(state).label, "current": current, "done": passed and not current}
        )
        if current:
            passed = False
    meeting = audit.meeting or (audit.agenda_item.meeting if audit.agenda_item_id else None)
    agreement = getattr(audit, "agreement", None) if audit.requires_agreement else None
    transitions = [
        t
        for t in workflow.available(audit.state)
        if perms.can_apply_transition(user, audit, t.name)
    ]
    return render(
        request,
        "audits/detail.html",
        {
            "title": f"Audit n° {audit.pk} — {audit.audited_body.name}",
            "audit": audit,
            "steps": steps if audit.state not in (State.REJECTED, State.AUTHORITY_REFUSED) else [],
            "events": list(audit.events.select_related("user")),
            "documents": list(audit.documents.all()),
            "recommendations": recommendations,
            "agreement": agreement,
            "meeting": meeting,
            "meeting_visible": bool(meeting) and can_view_meeting(user, meeting),
            "transitions": [
                {
                    "name": t.name,
                    "label": t.label,
                    "url": reverse(STEP_URLS[t.name], args=[audit.pk]),
                    "post": t.name in POST_ONLY_STEPS,
                }
                for t in transitions
            ],
            "can_schedule": runs and workflow.action_allowed(audit.state, "schedule_vote"),
            "can_vote": runs and audit.state == State.REQUESTED,
            "can_record_agreement": runs
            and workflow.action_allowed(audit.state, "record_agreement"),
            "can_record_refusal": runs
            and audit.requires_agreement
            and workflow.action_allowed(audit.state, "record_refusal"),
            "refusals": list(audit.refusals.all()) if audit.requires_agreement else [],
            "can_add_document": perms.can_add_audit_document(user, audit)
            and workflow.action_allowed(audit.state, "add_document"),
            "can_add_recommendation": runs
            and workflow.action_allowed(audit.state, "add_recommendation"),
            "breadcrumb": crumbs(
                audit=audit, committee_link=can_view_committee(user, audit.committee)
            ),
        },
    )
