from roadmaps.views.content import urlpatterns as content_patterns
from roadmaps.views.escalation import urlpatterns as escalation_patterns
from roadmaps.views.indicators import urlpatterns as indicator_patterns
from roadmaps.views.network import urlpatterns as network_patterns
from roadmaps.views.roadmaps import urlpatterns as roadmap_patterns
from roadmaps.views.versions import urlpatterns as version_patterns

app_name = "roadmaps"

urlpatterns = [
    *roadmap_patterns,
    *content_patterns,
    *version_patterns,
    *escalation_patterns,
    *indicator_patterns,
    *network_patterns,
]
