"""What every form of the portal shares: the date and time widgets, and the one way a refusal of
the services (``RuleError``) reaches a form."""

from django import forms

from cte_portal.core.errors import RuleError


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
