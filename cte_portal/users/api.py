from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView

from cte_portal.users.models import User


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "organisation", "job_title"]


class MeView(RetrieveAPIView):
    """The signed-in user."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user
