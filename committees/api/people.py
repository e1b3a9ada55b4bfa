"""People in the committees API: how members, co-presidents and commission members are shown,
and how the person appointed is given.

Personal data (decision): members and co-presidents appear by name, organisation and role.
Their e-mail address is shown only to the committee's secretariat (``can_manage_committee``:
the DDETS / DREETS agents of its territory and admins), who appoint and convene them; for
everyone else ``email`` is ``null``. Phone numbers are never exposed by the API. An e-mail is
accepted on writes, to find the person's account or invite them (``invite_person``).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from committees.services import composition as composition_services


class PersonSerializer(serializers.Serializer):
    """A person as the API shows them: no phone; the e-mail only to the secretariat."""

    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    email = serializers.SerializerMethodField(
        help_text="Visible du seul secrétariat du comité (DDETS, DREETS, administrateurs) ; "
        "null pour les autres."
    )

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, person):
        return person.email if self.context.get("show_contacts") else None


class PersonInputSerializer(serializers.Serializer):
    """Who is appointed: their account is found by e-mail, or created and invited."""

    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    organisation = serializers.CharField(max_length=255, required=False, default="")
    job_title = serializers.CharField(max_length=255, required=False, default="")


def person_from_input(data: dict | None):
    """The account of the person given (``PersonInputSerializer``), invited if new."""
    if data is None:
        return None
    return composition_services.invite_person(**data)
