"""Screens of a person's personal data (RGPD), for national admins: find a person, see what
is held on them, download it (access request), anonymise them (erasure). Everyone else gets a
403. The rules and the work are in ``cte_portal.users.personal_data``."""

import json

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import form_page, require
from cte_portal.users import personal_data
from cte_portal.users.models import User
from cte_portal.users.personal_data_forms import AnonymiseForm, PersonSearchForm

SEARCH_LIMIT = 50
MIN_QUERY_LENGTH = 3


def _crumbs(*items):
    return [
        ("Accueil", reverse("home")),
        ("Données personnelles", reverse("personal_data:people")),
        *items,
    ]


def _gate(request) -> None:
    require(
        personal_data.can_manage_personal_data(request.user),
        "Réservé aux administrateurs nationaux.",
    )


def people(request):
    _gate(request)
    form = PersonSearchForm(request.GET or None)
    found = None
    if form.is_valid() and len(form.cleaned_data["q"].strip()) >= MIN_QUERY_LENGTH:
        q = form.cleaned_data["q"].strip()
        found = list(
            User.objects.filter(
                Q(email__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
            ).order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT]
        )
    return render(
        request,
        "users/personal_data/people.html",
        {
            "title": "Données personnelles d'une personne",
            "form": form,
            "people": found,
            "breadcrumb": _crumbs(),
        },
    )


def person(request, pk: int):
    _gate(request)
    subject = get_object_or_404(User, pk=pk)
    held = personal_data.held_on(subject)
    return render(
        request,
        "users/personal_data/person.html",
        {
            "title": f"Données personnelles — {subject}",
            "subject": subject,
            "sections": held["donnees_liees"],
            "mention_count": len(held["mentions_dans_des_textes"]),
            "breadcrumb": _crumbs((str(subject), None)),
        },
    )


def export(request, pk: int):
    """The access-request file: everything held on the person, as JSON."""
    _gate(request)
    subject = get_object_or_404(User, pk=pk)
    held = personal_data.export_person(person=subject, by=request.user)
    response = HttpResponse(
        json.dumps(held, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="donnees-personne-{subject.pk}.json"'
    return response


def anonymise(request, pk: int):
    _gate(request)
    subject = get_object_or_404(User, pk=pk)
    person_url = reverse("personal_data:person", args=[subject.pk])
    form = AnonymiseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            personal_data.anonymise_person(person=subject, by=request.user)
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La personne est anonymisée et son compte désactivé.")
            return redirect(person_url)
    return form_page(
        request,
        form=form,
        title=f"Anonymiser {subject}",
        submit="Anonymiser définitivement",
        cancel_url=person_url,
        breadcrumb=_crumbs((str(subject), person_url), ("Anonymiser", None)),
        intro=(
            "Ses mandats, co-présidences, présences et les décisions auxquelles elle a pris part "
            "sont conservés et affichés sous le nom « Personne anonymisée »."
        ),
        status=400 if request.method == "POST" else 200,
    )
