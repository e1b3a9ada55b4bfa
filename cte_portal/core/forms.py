"""What every form of the portal shares: the date and time widgets, the one way a refusal of
the services (``RuleError``) reaches a form, and the renderer that words empty choices in French."""

from django import forms
from django.forms.renderers import DjangoTemplates

from cte_portal.core.errors import RuleError

DJANGO_EMPTY_LABEL = "---------"
EMPTY_CHOICE_REQUIRED = "Sélectionner une option"
EMPTY_CHOICE_OPTIONAL = "Aucune sélection"


def add_rule_error(form: forms.Form, error: RuleError) -> None:
    """Show a refusal of the services on ``form``: on its field when the form has it and shows
    it (a disabled field's error would go unseen), else at the top of the form. Every message
    is kept."""
    field = error.field if error.field in form.fields else None
    if field and form.fields[field].disabled:
        field = None
    for message in error.messages:
        form.add_error(field, message)


class DateInput(forms.DateInput):
    """A native date picker (``<input type="date">``), which needs ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """A native time picker (``<input type="time">``)."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class FrenchFormRenderer(DjangoTemplates):
    """The portal's form renderer (``FORM_RENDERER``): Django's, except that the empty choice of
    a select reads as French words instead of Django's ``---------``. Every form of the portal
    (and the admin) goes through it, so no form has to remember to set ``empty_label``."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and widget.get("optgroups"):
            required = "required" in (widget.get("attrs") or {})
            label = EMPTY_CHOICE_REQUIRED if required else EMPTY_CHOICE_OPTIONAL
            for _group, options, _index in widget["optgroups"]:
                for option in options:
                    if option.get("label") == DJANGO_EMPTY_LABEL:
                        option["label"] = label
        return super().render(template_name, context, request)
