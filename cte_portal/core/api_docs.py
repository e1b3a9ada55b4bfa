"""The OpenAPI schema and its documentation page: public outside production, behind sign-in in
production (``CTE["PUBLIC_API_DOCS"]``), where the map of every endpoint is of use to an
attacker and of none to the public."""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import BasePermission

from cte_portal.core.conf import cte_setting
from cte_portal.core.permissions import is_signed_in


class ApiDocsPermission(BasePermission):
    """Anyone when the docs are public; otherwise a signed-in person (session or token)."""

    def has_permission(self, request, view) -> bool:
        return bool(cte_setting("PUBLIC_API_DOCS")) or is_signed_in(request.user)


class ApiSchemaView(SpectacularAPIView):
    permission_classes = [ApiDocsPermission]


class ApiDocsView(SpectacularSwaggerSplitView):
    """The Swagger page; a visitor who is not signed in is sent to the sign-in page."""

    permission_classes = [ApiDocsPermission]

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated | PermissionDenied) and not is_signed_in(
            self.request.user
        ):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
