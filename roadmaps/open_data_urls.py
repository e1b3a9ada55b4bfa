from roadmaps.views.open_data import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
