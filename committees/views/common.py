"""What the composition, commission and rules-of-procedure screens share
(``committees.views.composition``, ``committees.views.commissions``,
``committees.views.procedure``): the committee in scope, the secretariat's right, the
breadcrumb under « Composition », and the one shape of a write page. ``save_form``, the one way
a form reaches a service, serves ``committees.views.committees`` too.

Every view reads the committee through ``Committee.objects.visible_to(user)`` (outside the
user's scope: 404) and every change needs ``can_manage_committee`` (the secretariat: DDETS for
a CDE or a CLE, DREETS for the CRE, admins; otherwise 403). Views validate a form, call the
service and show its refusals (``RuleError``) on the form: nothing is saved then.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from committees import selectors
from committees.models import Committee
from committees.permissions import can_manage_committee
from committees.services import composition as services
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import form_page

FORM_TEMPLATE = "committees/composition/form.html"


# --- Scope and permissions ----------------------------------------------------------------------


def visible_committee(request, pk: int) -> Committee:
    """A committee the user may see; 404 otherwise (its existence is not disclosed)."""
    return selectors.visible_committee(request.user, pk)


def require_manage(request, committee: Committee) -> None:
    if not can_manage_committee(request.user, committee):
        raise PermissionDenied("Seul le secrétariat du comité peut modifier sa composition.")


def managed_committee(request, pk: int) -> Committee:
    committee = visible_committee(request, pk)
    require_manage(request, committee)
    return committee


def in_scope(request, queryset, pk: int, committee_path: str = "committee"):
    """An object of a committee the user may see (404 otherwise)."""
    return get_object_or_404(
        queryset.filter(**{f"{committee_path}__in": Committee.objects.visible_to(request.user)}),
        pk=pk,
    )


# --- Links --------------------------------------------------------------------------------------


def composition_url(committee: Committee) -> str:
    return reverse("committees:composition", args=[committee.pk])


def crumbs(committee: Committee, *items) -> list:
    """The breadcrumb of a page under the committee's composition."""
    return [
        (committee.name, committee.get_absolute_url()),
        ("Composition", composition_url(committee)),
        *items,
    ]


# --- Write pages --------------------------------------------------------------------------------


def form_data(request):
    """Bind forms on POST, even an empty one (the confirmation forms have no field)."""
    return request.POST if request.method == "POST" else None


def invite(form, organisation: str = ""):
    """The person a ``PersonForm`` names: their account, or a new one invited by e-mail."""
    return services.invite_person(**form.person_data(organisation))


def save_form(request, form, write: Callable[[dict], object]):
    """What ``write(cleaned_data)`` returns on a valid POST (``True`` for a write that returns
    nothing); None on GET, on an invalid form, or when the service refuses — its ``RuleError``
    is then shown on the form, nothing saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except RuleError as error:
        add_rule_error(form, error)
        return None
    return True if result is None else result


def run_form(request, form, action: Callable[[dict], object], success: str) -> bool:
    """``save_form`` for writes made of several steps: ``action(cleaned_data)`` runs in one
    transaction, so a refusal of the services rolls everything back (an invitation e-mail
    included). True once done, with ``success`` shown to the user."""

    def write(data) -> bool:
        with transaction.atomic():
            action(data)
        return True

    if not save_form(request, form, write):
        return False
    messages.success(request, success)
    return True


def committee_form_page(
    request,
    committee: Committee,
    form,
    *,
    title: str,
    submit: str,
    intro: str = "",
    template: str = FORM_TEMPLATE,
    cancel_url: str | None = None,
    danger: bool = False,
    breadcrumb: list | None = None,
    heading: str | None = None,
    **extra,
):
    """The page of one form about ``committee`` (``cte_portal.core.shortcuts.form_page``):
    ``title`` heads it unless a ``heading`` is given, and ends its breadcrumb unless a
    ``breadcrumb`` is given."""
    return form_page(
        request,
        form=form,
        title=f"{title} — {committee.name}",
        submit=submit,
        cancel_url=cancel_url or composition_url(committee),
        breadcrumb=breadcrumb or crumbs(committee, (title, None)),
        template=template,
        intro=intro,
        extra={"heading": heading or title, "committee": committee, "danger": danger, **extra},
    )


def form_view(
    request,
    committee: Committee,
    form,
    action: Callable[[dict], object],
    *,
    success: str,
    next_url: str | None = None,
    **page,
):
    """The shape of every write of these screens: a valid POST runs ``action`` (one service
    call) and goes to ``next_url`` (the composition page by default); otherwise the form page,
    with the refusals of the services on the form."""
    if run_form(request, form, action, success):
        return redirect(next_url or composition_url(committee))
    return committee_form_page(request, committee, form, **page)
