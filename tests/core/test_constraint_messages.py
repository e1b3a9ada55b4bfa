"""A database constraint that a form checks speaks French, never its technical name."""

from datetime import date, time

import pytest

from funders.forms import ConventionForm
from meetings.forms import MeetingForm
from tests.committees import builders

pytestmark = pytest.mark.django_db


def _messages(form) -> str:
    assert not form.is_valid()
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def test_a_meeting_ending_before_it_starts_is_refused_in_french(territory):
    cde = builders.make_cde(territory)
    data = {
        "title": "Plénière",
        "kind": "plenary",
        "date": date(2026, 3, 10).isoformat(),
        "start_time": time(14).strftime("%H:%M"),
        "end_time": time(10).strftime("%H:%M"),
        "place": "Préfecture",
    }
    messages = _messages(MeetingForm(data=data, committee=cde))
    assert "La réunion doit finir après son heure de début." in messages
    assert "meeting_ends_after_it_starts" not in messages
    data["end_time"] = "16:00"
    assert MeetingForm(data=data, committee=cde).is_valid()


def test_a_convention_ending_before_it_starts_is_refused_in_french(territory):
    cde = builders.make_cde(territory)
    data = {
        "kind": "insertion_employment",
        "title": "Convention d'appui",
        "starts_on": "2026-06-01",
        "ends_on": "2026-01-01",
        "status": "preparation",
    }
    messages = _messages(ConventionForm(data=data, committee=cde))
    assert "La convention doit finir le jour où elle commence ou après." in messages
    assert "convention_ends_after_it_starts" not in messages
    data["ends_on"] = "2027-06-01"
    assert ConventionForm(data=data, committee=cde).is_valid(), ConventionForm(
        data=data, committee=cde
    ).errors
