"""Page shortcuts shared by the apps' views."""

from django.shortcuts import render


def form_page(
    request,
    *,
    form,
    title: str,
    submit: str,
    cancel_url: str,
    breadcrumb,
    template: str,
    intro: str = "",
    multipart: bool = False,
    extra: dict | None = None,
    status: int = 200,
):
    """A page with one form, the shape of most writes: ``template`` is the app's form page
    (it extends the app's base, for its styles), given the title, the form, the submit label,
    the cancel link and the breadcrumb."""
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
            **(extra or {}),
        },
        status=status,
    )
