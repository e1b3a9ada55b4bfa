"""Settings: strict environment helpers, and a production configuration that fails safe."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from cte_portal.env import ImproperEnvironment, env_bool, env_int, env_list, env_str

BASE_DIR = settings.BASE_DIR


# --- Helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("YES", True), (" on ", True), ("0", False), ("false", False),
     ("No", False), ("off", False), ("", False)],
)  # fmt: skip
def test_env_bool_accepts_the_usual_spellings(raw, expected):
    assert env_bool("FLAG", not expected, environ={"FLAG": raw}) is expected


def test_env_bool_returns_the_default_when_unset():
    assert env_bool("FLAG", True, environ={}) is True
    assert env_bool("FLAG", False, environ={}) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "vrai", "y e s"])
def test_env_bool_refuses_anything_else_and_names_the_variable(raw):
    with pytest.raises(ImproperEnvironment, match="FLAG must be a boolean"):
        env_bool("FLAG", environ={"FLAG": raw})


def test_env_int_reads_integers_and_falls_back_on_empty_values():
    assert env_int("PORT", 1, environ={"PORT": "8000"}) == 8000
    assert env_int("PORT", 1, environ={"PORT": "-3"}) == -3
    assert env_int("PORT", 1, environ={}) == 1
    assert env_int("PORT", 1, environ={"PORT": "  "}) == 1


@pytest.mark.parametrize("raw", ["eight", "8.5", "1e3", "0x10"])
def test_env_int_refuses_non_integers(raw):
    with pytest.raises(ImproperEnvironment, match="PORT must be an integer"):
        env_int("PORT", 1, environ={"PORT": raw})


def test_env_list_splits_on_commas_and_drops_blanks():
    environ = {"HOSTS": " cte.example.gouv.fr, ,localhost,"}
    assert env_list("HOSTS", environ=environ) == ["cte.example.gouv.fr", "localhost"]
    assert env_list("HOSTS", ["a"], environ={}) == ["a"]
    assert env_list("HOSTS", environ={"HOSTS": ""}) == []


def test_env_list_default_is_copied_not_shared():
    default = ["a"]
    env_list("HOSTS", default, environ={}).append("b")
    assert default == ["a"]


def test_env_str_keeps_the_value_as_given():
    assert env_str("NAME", "x", environ={"NAME": " a b "}) == " a b "
    assert env_str("NAME", "x", environ={}) == "x"
    assert env_str("NAME", environ={}) is None


# --- The settings module in a fresh process --------------------------------------------------

_VARIABLES_WE_SET = {
    "CTE_ENV", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL",
    "CTE_VAR_DIR", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE",
}  # fmt: skip


def _run(args, tmp_path, **variables):
    """Run Python in a new process with only the given settings variables set."""
    environ = {k: v for k, v in os.environ.items() if k not in _VARIABLES_WE_SET}
    environ.update(
        DJANGO_SETTINGS_MODULE="cte_portal.settings",
        CTE_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **variables,
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


_SETUP = "import django; django.setup(); print('started')"


def _production(**variables):
    return {
        "CTE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "cte.example.gouv.fr",
        **variables,
    }


def test_production_starts_with_its_required_variables(tmp_path):
    result = _run(["-c", _SETUP], tmp_path, **_production())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_production_is_the_default_environment(tmp_path):
    # No CTE_ENV at all: the production rules apply, so a missing SECRET_KEY stops the start.
    result = _run(["-c", _SETUP], tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path):
    variables = _production()
    del variables["SECRET_KEY"]
    result = _run(["-c", _SETUP], tmp_path, **variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_with_debug_on(tmp_path):
    result = _run(["-c", _SETUP], tmp_path, **_production(DEBUG="true"))
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be off in production" in result.stderr


def test_a_malformed_variable_stops_the_start_with_its_name(tmp_path):
    result = _run(["-c", _SETUP], tmp_path, **_production(CONN_MAX_AGE="a minute"))
    assert result.returncode != 0
    assert "ImproperEnvironment: CONN_MAX_AGE must be an integer" in result.stderr


def test_an_unknown_environment_name_is_refused(tmp_path):
    result = _run(["-c", _SETUP], tmp_path, CTE_ENV="staging")
    assert result.returncode != 0
    assert "CTE_ENV must be development, test or production" in result.stderr


_PRINT_DEBUG = (
    "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
)


def test_debug_is_off_unless_asked(tmp_path):
    result = _run(["-c", _PRINT_DEBUG], tmp_path, CTE_ENV="development")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_development_runs_with_debug_and_without_secret_key(tmp_path):
    result = _run(["-c", _PRINT_DEBUG], tmp_path, CTE_ENV="development", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **_production()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_flags_a_production_without_https(tmp_path):
    # The clean result above is not vacuous: turning a protection off is reported.
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        **_production(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0"),
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
    assert "security.W004" in result.stderr + result.stdout


# --- The test settings themselves -------------------------------------------------------------


def test_locale_and_timezone_are_french():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.CELERY_TIMEZONE == "Europe/Paris"
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
