from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from dsfr.models import DsfrConfig

from cte_portal.core.generations import Generation
from cte_portal.core.permissions import is_signed_in
from cte_portal.core.registry import app_hooks
from cte_portal.core.request_memo import memoise

# django-dsfr reads its configuration from the database on every request; ours is fixed,
# so one unsaved instance serves every page without a query.
_SITE_CONFIG = DsfrConfig(
    language="fr",
    site_title=settings.SITE_TITLE,
    site_tagline=settings.SITE_TAGLINE,
    header_brand="République française",
    header_brand_html="République<br>française",
    footer_brand="République française",
    footer_brand_html="République<br>française",
    footer_description=(
        "Le portail des comités territoriaux pour l'emploi (loi n° 2023-1196 pour le plein "
        "emploi) permet aux services de l'État et aux collectivités d'installer les comités, "
        "de réunir leurs membres et de suivre leurs feuilles de route."
    ),
    accessibility_status="NOT",
)


def site_config(request):
    return {"SITE_CONFIG": _SITE_CONFIG}


# The menu flags of each person, kept until a write in an app that contributes flags (or in the
# accounts): roles change rarely, pages are read often (connected in ``CoreConfig.ready``).
menu_generation = Generation("core:menu-flags", timeout=10 * 60)


@cache
def menu_flag_apps() -> frozenset[str]:
    """The app labels whose writes may change a menu flag."""
    labels = {"users"}
    for config in apps.get_app_configs():
        if getattr(config, "menu_flags", None):
            labels.add(config.label)
    return frozenset(labels)


def bump_menu_flags(sender, **_kwargs) -> None:
    if sender._meta.app_label in menu_flag_apps():
        menu_generation.bump()


class MenuFlags:
    """What the main menu needs to know of ``user``, asked in one query for the whole menu and
    only when a provider needs it: each app contributes named ``Exists`` on the user
    (``menu_flags`` on its AppConfig, a function ``() -> dict[str, Exists]`` filtering on
    ``OuterRef("pk")``). A provider that can answer from what the page already read (the
    request memo) asks nothing."""

    def __init__(self, user):
        self.user = user

    def _load(self) -> dict[str, bool]:
        annotations = {}
        for contribute in app_hooks("menu_flags"):
            annotations.update(contribute())
        if not annotations or not is_signed_in(self.user):
            return {}
        row = (
            get_user_model()
            .objects.filter(pk=self.user.pk)
            .annotate(**annotations)
            .values(*annotations)
            .first()
        )
        return row or {}

    def get(self, name: str) -> bool:
        if not is_signed_in(self.user):
            return False
        flags = memoise(
            ("menu_flags", self.user.pk),
            lambda: menu_generation.cached(f"user:{self.user.pk}", self._load),
        )
        return bool(flags.get(name))


def main_menu(request):
    """The main navigation: the sections the person may open, each app saying which of its
    own (``menu_provider``, see ``core.registry``) from ``menu_flags``, with the current
    section marked for assistive technologies."""
    user = request.user
    flags = MenuFlags(user)
    entries = [(0, "Accueil", reverse("home"))]
    for provider in app_hooks("menu_provider"):
        entries.extend(provider(user, flags))
    entries.append((100, "Données ouvertes", reverse("open_data:index")))
    items = [(label, url) for _order, label, url in sorted(entries, key=lambda e: e[0])]
    path = request.path
    # The longest matching prefix is the current section (/comites/tableau-de-bord/ is the
    # dashboard, not the list of committees).
    matches = [
        url for _label, url in items if (path == url if url == "/" else path.startswith(url))
    ]
    current = max(matches, key=len) if matches else None
    return {
        "main_menu": [
            {"label": label, "url": url, "current": url == current} for label, url in items
        ]
    }
