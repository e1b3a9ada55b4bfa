"""Page shortcuts shared by the apps' views."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render


def form_page(
    request,
    *,
    form,
    title: str,
    submit: str,
    cancel_url: str,
    breadcrumb,
    template: str = "form_page.html",
    base: str = "base.html",
    intro: str = "",
    multipart: bool = False,
    extra: dict | None = None,
    status: int = 200,
):
    """A page with one form, the shape of most writes: the title, an optional introduction,
    the form, its submit label, the cancel link and the breadcrumb. The page extends ``base``
    (the app's base template, for its styles); a page that needs more than the form gives its
    own ``template``."""
    return render(
        request,
        template,
        {
            "title": title,
            "form": form,
            "submit_label": submit,
            "cancel_url": cancel_url,
            "breadcrumb": breadcrumb,
            "intro": intro,
            "multipart": multipart,
            "base_template": base,
            **(extra or {}),
        },
        status=status,
    )


def require(allowed: bool, message: str = "") -> None:
    """An object the user may see, an action they may not take on it: 403 (an object outside
    their scope is a 404 before this, so that its existence is not disclosed)."""
    if not allowed:
        raise PermissionDenied(message)


def confirm_page(
    request,
    *,
    title: str,
    question: str,
    submit: str,
    cancel_url: str,
    breadcrumb,
    details: list[str] | None = None,
    base: str = "base.html",
):
    """The confirmation page of a destructive action, shown on GET at the action's own
    address (works without JavaScript); the page's button posts to the same address."""
    return render(
        request,
        "confirm_page.html",
        {
            "title": title,
            "question": question,
            "details": details or [],
            "submit_label": submit,
            "cancel_url": cancel_url,
            "breadcrumb": breadcrumb,
            "base_template": base,
        },
    )
