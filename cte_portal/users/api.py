from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from cte_portal.core.inbox import inbox_for
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


class InboxItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="Chemin de la page où agir.")
    committee = serializers.CharField()
    detail = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)


class InboxGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    items = InboxItemSerializer(many=True)


class InboxSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    count = serializers.IntegerField()
    groups = InboxGroupSerializer(many=True)


class InboxSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    sections = InboxSectionSerializer(many=True)


class MeInboxView(APIView):
    """What awaits the signed-in user: the same list as their landing page."""

    @extend_schema(responses=InboxSerializer)
    def get(self, request):
        sections = inbox_for(request.user)
        return Response(
            InboxSerializer({"count": sum(s.count for s in sections), "sections": sections}).data
        )
