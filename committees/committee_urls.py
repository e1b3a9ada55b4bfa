from committees.views.committees import urlpatterns as committee_patterns
from committees.views.composition import urlpatterns as composition_patterns

app_name = "committees"

urlpatterns = [*committee_patterns, *composition_patterns]
