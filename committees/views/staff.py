"""Staff assignments and user accounts, managed from the portal (issue 13): national admins
everywhere, DREETS agents in their region. A DDETS agent, a co-president or a member gets a
403; an assignment or an account outside the manager's scope is a 404.

Invitations go by e-mail with a link to choose a password (Django's password-reset token,
``cte_portal.users.services.invite_user``).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from committees.forms.staff import (
    AccountSearchForm,
    ConfirmForm,
    EndAssignmentForm,
    InviteAccountForm,
    StaffAssignmentForm,
)
from committees.permissions import (
    accounts_in_scope,
    can_manage_account,
    can_manage_staff,
    can_manage_staff_in,
    dreets_region_ids,
    staff_in_scope,
)
from committees.services.staff import end_staff_assignment, start_staff_assignment
from committees.views.common import form_data, save_form
from cte_portal.core.errors import RuleError
from cte_portal.core.permissions import is_admin
from cte_portal.core.shortcuts import form_page, require
from cte_portal.users.services import (
    invite_user,
    is_invitation_pending,
    resend_invitation,
    set_account_active,
)
from territories.models import Departement, Region

PER_PAGE = 50
STAFF_REFUSAL = (
    "Seuls les administrateurs nationaux, et les agents de DREETS pour leur région, gèrent "
    "les agents et les comptes."
)


def _require_manager(request) -> None:
    require(can_manage_staff(request.user), STAFF_REFUSAL)


def _crumbs(*items) -> list:
    return [("Agents et comptes", reverse("committees:staff")), *items]


def _territories(user):
    """The regions and départements ``user`` may assign agents to."""
    if is_admin(user):
        return Region.objects.current(), Departement.objects.current()
    regions = dreets_region_ids(user)
    return (
        Region.objects.filter(code__in=regions),
        Departement.objects.current().filter(region_id__in=regions),
    )


def account_state(account) -> str:
    if not account.is_active:
        return "Désactivé"
    if is_invitation_pending(account):
        return "Invitation envoyée, mot de passe non choisi"
    return "Actif"


# --- Staff assignments ---------------------------------------------------------------------------


def staff_list(request):
    _require_manager(request)
    assignments = (
        staff_in_scope(request.user)
        .active()
        .select_related("user", "region", "departement")
        .order_by("service", "region_id", "departement_id", "user__last_name", "pk")
    )
    page = Paginator(assignments, PER_PAGE).get_page(request.GET.get("page"))
    for assignment in page:
        assignment.account_state = account_state(assignment.user)
    return render(
        request,
        "committees/staff/list.html",
        {
            "title": "Agents et comptes",
            "page": page,
            "is_admin": is_admin(request.user),
            "breadcrumb": [("Agents et comptes", None)],
        },
    )


def staff_add(request):
    _require_manager(request)
    regions, departements = _territories(request.user)
    form = StaffAssignmentForm(form_data(request), regions=regions, departements=departements)

    def write(data):
        # The form only offers the manager's territories; the predicate is the rule.
        if not can_manage_staff_in(request.user, region_id=form.region_id):
            raise RuleError("Vous ne pouvez affecter un agent que dans votre région.")
        with transaction.atomic():
            person, created = invite_user(
                email=data["email"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                organisation=data.get("organisation", ""),
                job_title=data.get("job_title", ""),
                invited_by=request.user,
            )
            assignment = start_staff_assignment(
                user=person,
                service=data["service"],
                started_on=data["started_on"],
                region=data.get("region"),
                departement=data.get("departement"),
            )
        return assignment, created

    result = save_form(request, form, write)
    if result:
        assignment, created = result
        messages.success(
            request,
            f"{assignment.user} est affecté(e) : {assignment}."
            + (" Une invitation à choisir un mot de passe lui est envoyée." if created else ""),
        )
        return redirect("committees:staff")
    return form_page(
        request,
        form=form,
        title="Affecter un agent",
        intro=(
            "Un agent de DREETS assure le secrétariat du comité régional et voit les comités de "
            "sa région ; un agent de DDETS assure celui du comité départemental et des comités "
            "locaux de son département. Si la personne n'a pas de compte, elle reçoit une "
            "invitation par courriel."
        ),
        submit="Affecter",
        cancel_url=reverse("committees:staff"),
        breadcrumb=_crumbs(("Affecter un agent", None)),
    )


def staff_end(request, pk: int):
    _require_manager(request)
    assignment = get_object_or_404(
        staff_in_scope(request.user).active().select_related("user", "region", "departement"),
        pk=pk,
    )
    form = EndAssignmentForm(form_data(request))
    ended = save_form(
        request,
        form,
        lambda data: end_staff_assignment(assignment=assignment, ended_on=data["ended_on"]),
    )
    if ended:
        messages.success(request, f"L'affectation de {assignment.user} ({assignment}) prend fin.")
        return redirect("committees:staff")
    return form_page(
        request,
        form=form,
        title=f"Mettre fin à l'affectation de {assignment.user}",
        intro=(
            f"{assignment.user} ({assignment}) ne verra plus les comités de ce territoire "
            "à partir de la date de fin. Son compte reste ouvert."
        ),
        submit="Mettre fin à l'affectation",
        cancel_url=reverse("committees:staff"),
        breadcrumb=_crumbs(("Mettre fin à une affectation", None)),
    )


# --- Accounts ----------------------------------------------------------------------------------


def account_list(request):
    _require_manager(request)
    search = AccountSearchForm(request.GET or None)
    accounts = accounts_in_scope(request.user).order_by("last_name", "first_name", "pk")
    if search.is_valid():
        query = search.cleaned_data["q"].strip()
        if query:
            accounts = accounts.filter(
                Q(email__icontains=query)
                | Q(last_name__icontains=query)
                | Q(first_name__icontains=query)
            )
        if search.cleaned_data["en_attente"]:
            accounts = accounts.filter(
                is_active=True, last_login__isnull=True, password__startswith="!"
            )
    page = Paginator(accounts, PER_PAGE).get_page(request.GET.get("page"))
    for account in page:
        account.state = account_state(account)
        account.pending = is_invitation_pending(account)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "committees/staff/accounts.html",
        {
            "title": "Comptes des utilisateurs",
            "page": page,
            "search": search,
            "query": f"{query.urlencode()}&" if query else "",
            "is_admin": is_admin(request.user),
            "breadcrumb": _crumbs(("Comptes", None)),
        },
    )


def account_invite(request):
    """Admins invite anyone (a DREETS agent invites the agents of their region, through the
    assignment form)."""
    require(is_admin(request.user), "Seuls les administrateurs nationaux invitent ici.")
    form = InviteAccountForm(form_data(request))

    def write(data):
        account, created = invite_user(**data, invited_by=request.user)
        if not created:
            raise RuleError("Un compte existe déjà avec cette adresse électronique.", field="email")
        return account

    account = save_form(request, form, write)
    if account:
        messages.success(request, f"Une invitation est envoyée à {account.email}.")
        return redirect("committees:accounts")
    return form_page(
        request,
        form=form,
        title="Inviter une personne",
        intro=(
            "La personne reçoit par courriel un lien pour choisir son mot de passe. Pour un "
            "agent de DREETS ou de DDETS, affectez-le plutôt à son territoire : l'invitation "
            "part de la même façon."
        ),
        submit="Envoyer l'invitation",
        cancel_url=reverse("committees:accounts"),
        breadcrumb=_crumbs(("Comptes", reverse("committees:accounts")), ("Inviter", None)),
    )


def _managed_account(request, pk: int):
    _require_manager(request)
    account = get_object_or_404(accounts_in_scope(request.user), pk=pk)
    require(can_manage_account(request.user, account), STAFF_REFUSAL)
    return account


@require_POST
def account_resend(request, pk: int):
    account = _managed_account(request, pk)
    try:
        resend_invitation(user=account, invited_by=request.user)
    except RuleError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"L'invitation est renvoyée à {account.email}.")
    return redirect("committees:accounts")


def account_deactivate(request, pk: int):
    account = _managed_account(request, pk)
    form = ConfirmForm(form_data(request))
    done = save_form(
        request, form, lambda _data: set_account_active(user=account, active=False, by=request.user)
    )
    if done:
        messages.success(request, f"Le compte de {account} est désactivé.")
        return redirect("committees:accounts")
    return form_page(
        request,
        form=form,
        title=f"Désactiver le compte de {account}",
        intro=(
            f"{account} ({account.email}) ne pourra plus se connecter ni utiliser ses jetons "
            "d'API. Ses mandats, décisions et affectations restent enregistrés ; le compte peut "
            "être réactivé."
        ),
        submit="Désactiver le compte",
        cancel_url=reverse("committees:accounts"),
        breadcrumb=_crumbs(("Comptes", reverse("committees:accounts")), ("Désactiver", None)),
    )


@require_POST
def account_reactivate(request, pk: int):
    account = _managed_account(request, pk)
    set_account_active(user=account, active=True, by=request.user)
    messages.success(request, f"Le compte de {account} est réactivé.")
    return redirect("committees:accounts")
