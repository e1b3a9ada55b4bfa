"""The one domain error and the one way it reaches a form or the API."""

import pytest
from django import forms
from rest_framework.exceptions import ValidationError

from cte_portal.core.api import exception_handler, rule_errors
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.users.models import User


class _Form(forms.Form):
    name = forms.CharField()
    votes = forms.IntegerField(disabled=True, required=False)


def test_a_rule_error_names_its_messages_field_and_rule():
    error = RuleError(["Premier motif.", "Second motif."], field="name", rule="DEC-MAX")
    assert error.messages == ["Premier motif.", "Second motif."]
    assert (error.field, error.rule) == ("name", "DEC-MAX")
    assert str(error) == "Premier motif. Second motif."
    assert RuleError("Un seul motif.").messages == ["Un seul motif."]


def test_a_rule_error_lands_on_its_field():
    form = _Form(data={"name": "x"})
    form.is_valid()
    add_rule_error(form, RuleError("Nom refusé.", field="name"))
    assert form.errors == {"name": ["Nom refusé."]}


def test_a_rule_error_on_an_unknown_or_disabled_field_goes_to_the_top_of_the_form():
    # An error on a field the form does not show would be lost: it goes to the top.
    form = _Form(data={"name": "x"})
    form.is_valid()
    add_rule_error(form, RuleError("Voix refusées.", field="votes"))
    add_rule_error(form, RuleError("Autre refus.", field="not_a_field"))
    assert form.non_field_errors() == ["Voix refusées.", "Autre refus."]
    assert "votes" not in form.errors


def test_the_api_answers_a_rule_error_with_a_french_400_naming_the_field():
    response = exception_handler(RuleError("Trop de membres.", field="person", rule="DEC-MAX"), {})
    assert response.status_code == 400
    assert response.data == {
        "status": 400,
        "detail": "Les données envoyées sont invalides.",
        "errors": {"person": ["Trop de membres."]},
    }
    response = exception_handler(RuleError("Comité dissous."), {})
    assert response.data["errors"] == {"non_field_errors": ["Comité dissous."]}


@pytest.mark.django_db
def test_rule_errors_rolls_back_the_writes_and_raises_a_validation_error():
    with pytest.raises(ValidationError) as caught, rule_errors():
        User.objects.create(email="ecrit@example.fr")
        raise RuleError("Refusé.", field="email")
    assert caught.value.detail == {"email": ["Refusé."]}
    assert not User.objects.filter(email="ecrit@example.fr").exists()
