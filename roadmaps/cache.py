"""The committees' dashboards, kept in the Django cache (issue 15: what changes rarely).

A dashboard (``committee_dashboard``) reads three years of monthly values of every indicator
of a committee and of the committees below it, and draws a chart and a table for each: the
costliest page of the portal at national scale, yet its data change once a month or so
(imports, entries, targets, publications). Pages read it through ``cached_dashboard``: the
dashboard with each indicator's panel already rendered (``IndicatorPanel.html``). Any write
to a row of the roadmaps app or to a committee draws a new generation (``connect``, from
``RoadmapsConfig.ready``), so the next read rebuilds; entries also expire after 15 minutes.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string

from committees.models import Committee
from cte_portal.core.generations import Generation
from roadmaps.selectors.dashboards import Dashboard, committee_dashboard

PANEL_TEMPLATE = "roadmaps/includes/_chart.html"

dashboards = Generation("roadmaps:dashboards")


def invalidate_dashboards(**_signal_kwargs) -> None:
    """Every cached dashboard is stale (a write to what they show)."""
    dashboards.bump()


def _rendered(committee: Committee, public: bool) -> Dashboard:
    dashboard = committee_dashboard(committee, public=public)
    for panel in (*dashboard.common, *dashboard.specific):
        panel.html = render_to_string(PANEL_TEMPLATE, {"panel": panel})
    return dashboard


def cached_dashboard(committee: Committee, *, public: bool = False) -> Dashboard:
    """``committee_dashboard``, its panels rendered, from the cache when nothing it shows has
    changed since. ``public``: only what is published (INS-OPEN-DATA), kept apart."""
    kind = "public" if public else "private"
    return dashboards.cached(f"{committee.pk}:{kind}", lambda: _rendered(committee, public))


def connect() -> None:
    # Every row of the app (values, targets, indicators, typologies, roadmaps, sheets,
    # versions…) but the history tables, and the committees (names, parents, status).
    models = [
        model
        for model in apps.get_app_config("roadmaps").get_models()
        if not model.__name__.startswith("Historical")
    ]
    for model in (*models, Committee):
        post_save.connect(invalidate_dashboards, sender=model, dispatch_uid=f"dash-{model}")
        post_delete.connect(invalidate_dashboards, sender=model, dispatch_uid=f"dash-d-{model}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                invalidate_dashboards, sender=through, dispatch_uid=f"dash-{through}"
            )
