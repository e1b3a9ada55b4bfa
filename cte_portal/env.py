"""Strict helpers that read settings from environment variables.

A wrong value stops the process at start-up with a message naming the variable, rather
than running with a silently different configuration.
"""

import os
from collections.abc import Mapping

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ImproperEnvironment(Exception):
    """A variable is set to a value the application cannot use."""


def env_str(name: str, default: str | None = None, *, environ: Mapping[str, str] = os.environ):
    value = environ.get(name)
    if value is None:
        return default
    return value


def env_bool(name: str, default: bool = False, *, environ: Mapping[str, str] = os.environ) -> bool:
    value = environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperEnvironment(f"{name} must be a boolean (true/false, 1/0, yes/no), got {value!r}")


def env_int(name: str, default: int, *, environ: Mapping[str, str] = os.environ) -> int:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperEnvironment(f"{name} must be an integer, got {value!r}") from None


def env_list(name: str, default: list[str] | None = None, *, environ=os.environ) -> list[str]:
    value = environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
