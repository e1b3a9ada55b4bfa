"""The steps of an audit file on the screens: the agenda, the vote (INS-CONSENSUS,
DEC-MAJORITY), the delegating authority's agreement (INS-AUDIT), the start, the report, the
follow-up and the closing — each gated by ``audits.permissions`` and ``audits.workflow``."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from audits import permissions as perms
from audits import workflow
from audits.forms import (
    AgreementForm,
    CloseForm,
    RefusalForm,
    ReportForm,
    ScheduleForm,
    StartForm,
    VoteForm,
)
from audits.services import audits as services
from audits.services import conduct
from audits.views.common import audit_crumbs, get_audit, refuse_state
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import form_page, require

State = workflow.State


def schedule(request, pk: int):
    """Put the request on the agenda of a CDE meeting, where it will be voted."""
    audit = get_audit(request, pk)
    require(perms.can_run_audit(request.user, audit))
    if not workflow.action_allowed(audit.state, "schedule_vote"):
        return refuse_state(request, audit, "L'inscription à l'ordre du jour")
    form = ScheduleForm(request.POST or None, meetings=services.schedulable_meetings(audit))
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_vote(
                audit=audit, meeting=form.cleaned_data["meeting"], user=request.user
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request,
                "La demande est inscrite à l'ordre du jour ; le comité la votera en séance.",
            )
            return redirect(audit)
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title=f"Inscrire la demande n° {audit.pk} à l'ordre du jour",
        submit="Inscrire à l'ordre du jour",
        cancel_url=audit.get_absolute_url(),
        breadcrumb=audit_crumbs(request, audit, "Inscription à l'ordre du jour"),
        intro=(
            "Seules les réunions à venir, non annulées, du comité départemental sont proposées. "
            "Créez d'abord la réunion si besoin."
        ),
    )


def vote(request, pk: int):
    """INS-AUDIT / INS-CONSENSUS / DEC-MAJORITY: link the meeting's vote to the request."""
    audit = get_audit(request, pk)
    require(perms.can_run_audit(request.user, audit))
    if audit.state != State.REQUESTED:
        return refuse_state(request, audit, "L'enregistrement du vote")
    form = VoteForm(request.POST or None, decisions=services.eligible_decisions(audit))
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.record_vote(
                audit=audit, decision=form.cleaned_data["decision"], user=request.user
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request, f"Le vote est enregistré : {State(audit.state).label.lower()}."
            )
            return redirect(audit)
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title=f"Enregistrer le vote sur la demande n° {audit.pk}",
        submit="Enregistrer le vote",
        cancel_url=audit.get_absolute_url(),
        breadcrumb=audit_crumbs(request, audit, "Vote du comité"),
        intro=(
            "Une demande d'audit est décidée par un vote du comité départemental, jamais par "
            "consensus. Le vote pondéré et le quorum sont ceux enregistrés en "
            "séance (article R. 5311-41 du code du travail) : choisissez la décision prise sur le point où "
            "la demande a été inscrite."
        ),
    )


def agreement(request, pk: int):
    """INS-AUDIT: the delegating authority's agreement on the principle and the modalities."""
    audit = get_audit(request, pk)
    require(perms.can_run_audit(request.user, audit))
    if not workflow.action_allowed(audit.state, "record_agreement"):
        return refuse_state(request, audit, "L'enregistrement de l'accord")
    form = AgreementForm(
        request.POST or None,
        request.FILES or None,
        initial={"authority": audit.audited_body.delegating_authority},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_agreement(audit=audit, user=request.user, **data)
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "L'accord de la collectivité est enregistré.")
            return redirect(audit)
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title=f"Accord de la collectivité délégante — audit n° {audit.pk}",
        submit="Enregistrer l'accord",
        cancel_url=audit.get_absolute_url(),
        breadcrumb=audit_crumbs(request, audit, "Accord de la collectivité"),
        intro=(
            f"{audit.audited_body.name} est délégataire de "
            f"{audit.audited_body.delegating_authority} : l'audit ne peut démarrer qu'avec "
            "l'accord de cette collectivité sur le principe et sur les modalités, daté et "
            "documenté."
        ),
        multipart=True,
    )


def refusal(request, pk: int):
    """INS-AUDIT: the delegating authority refuses its agreement, with its reason."""
    audit = get_audit(request, pk)
    require(perms.can_run_audit(request.user, audit))
    if not (audit.requires_agreement and workflow.action_allowed(audit.state, "record_refusal")):
        return refuse_state(request, audit, "L'enregistrement du refus")
    form = RefusalForm(
        request.POST or None,
        request.FILES or None,
        initial={"authority": audit.audited_body.delegating_authority},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_refusal(audit=audit, user=request.user, **form.cleaned_data)
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request,
                "Le refus de la collectivité est enregistré : l'audit ne peut pas démarrer. "
                "Vous pouvez soumettre de nouvelles modalités à la collectivité ou clôturer "
                "le dossier.",
            )
            return redirect(audit)
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title=f"Refus de la collectivité délégante — audit n° {audit.pk}",
        submit="Enregistrer le refus",
        cancel_url=audit.get_absolute_url(),
        breadcrumb=audit_crumbs(request, audit, "Refus de la collectivité"),
        intro=(
            f"{audit.audited_body.name} est délégataire de "
            f"{audit.audited_body.delegating_authority}. Sans l'accord de cette collectivité, "
            "l'audit ne peut pas être réalisé. Le refus est conservé dans le dossier ; vous "
            "pourrez ensuite soumettre de nouvelles modalités ou clôturer le dossier sans audit."
        ),
        multipart=True,
    )


@require_POST
def resubmit(request, pk: int):
    """INS-AUDIT: after a refusal, new modalities go to the delegating authority."""
    audit = get_audit(request, pk)
    require(perms.can_apply_transition(request.user, audit, "resubmit_to_authority"))
    try:
        conduct.fire(audit=audit, name="resubmit_to_authority", user=request.user)
    except RuleError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, "Le dossier attend de nouveau l'accord de la collectivité délégante."
        )
    return redirect(audit)


_STEP_FORMS = {
    "start": (StartForm, "Démarrer l'audit", "L'audit est démarré.", False),
    "deliver_report": (
        ReportForm,
        "Enregistrer la remise du rapport",
        "Le rapport est enregistré ; l'organisme audité peut désormais consulter son audit.",
        True,
    ),
    "close": (CloseForm, "Clôturer l'audit", "L'audit est clôturé.", False),
}


def _step(request, pk: int, name: str):
    audit = get_audit(request, pk)
    require(perms.can_apply_transition(request.user, audit, name))
    step = workflow.transition(name)
    if not workflow.is_allowed(audit.state, name):
        return refuse_state(request, audit, f"« {step.label} »")
    form_class, submit, done, multipart = _STEP_FORMS[name]
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            conduct.fire(audit=audit, name=name, user=request.user, **form.cleaned_data)
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, done)
            return redirect(audit)
    problems = workflow.problems(audit, name) if name == "start" else []
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title=f"{step.label} — audit n° {audit.pk}",
        submit=submit,
        cancel_url=audit.get_absolute_url(),
        breadcrumb=audit_crumbs(request, audit, step.label),
        intro=" ".join(p for p in problems if "accord" in p),
        multipart=multipart,
    )


def start(request, pk: int):
    return _step(request, pk, "start")


def report(request, pk: int):
    return _step(request, pk, "deliver_report")


def close(request, pk: int):
    return _step(request, pk, "close")


@require_POST
def follow_up(request, pk: int):
    audit = get_audit(request, pk)
    require(perms.can_apply_transition(request.user, audit, "follow_up"))
    try:
        conduct.begin_follow_up(audit=audit, user=request.user)
    except RuleError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Les recommandations sont désormais suivies.")
    return redirect(audit)
