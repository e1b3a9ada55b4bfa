"""INS-OPEN-DATA: the public API and downloads are read-only and rate-limited per client."""

from rest_framework.throttling import SimpleRateThrottle

from cte_portal.core.conf import cte_setting


class OpenDataRateThrottle(SimpleRateThrottle):
    """Requests per client IP address on the public API and downloads, signed in or not."""

    scope = "open_data"

    def get_rate(self):
        return cte_setting("OPEN_DATA_API_RATE")

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
