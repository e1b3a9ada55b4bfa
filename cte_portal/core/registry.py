"""What the apps contribute to shared screens, without the core importing them.

An app declares on its ``AppConfig`` the dotted path of a function (as it already does for
its demo seeder): ``inbox_provider`` (its pending items for a person, ``core.inbox``),
``menu_flags`` (what the menu must know of a person, as ``Exists`` annotations, gathered in
one query) and ``menu_provider`` (the main-menu entries a person may open, from those flags;
``core.context_processors``).
The core reads these paths from the app registry, so dependencies keep flowing one way
(core ← territories ← committees ← meetings ← the rest, checked by ``lint-imports``).
"""

from collections.abc import Callable
from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string


@cache
def app_hooks(attribute: str) -> tuple[Callable, ...]:
    """The functions the installed apps declare under ``attribute``, in INSTALLED_APPS order."""
    return tuple(
        import_string(path)
        for config in apps.get_app_configs()
        if (path := getattr(config, attribute, None))
    )
