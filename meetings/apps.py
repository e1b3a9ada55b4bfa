from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings of the committees: convocation, deliberation, minutes and notifications."""

    name = "meetings"
    verbose_name = "Réunions"
