"""Security settings: production refuses unsafe values, passes ``check --deploy``, throttles logins.

Production settings are imported in a subprocess because they are read once, at
import time, from the environment.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.deprecation import RemovedInDjango60Warning, RemovedInDjango61Warning

ROOT = Path(__file__).resolve().parents[3]
DEV_SECRET = "dev-insecure-softwhere-key-do-not-use-in-production"
PASSWORD = "motdepasse-Test-1"  # the `world` fixture's password


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """A clean environment for a production deploy; None removes a variable.

    Inherited SOFTWHERE_* and DJANGO_* variables are dropped: test helpers may set some
    (e.g. DJANGO_ALLOW_ASYNC_UNSAFE for browser tests) that a deployment must not have.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOFTWHERE_", "DJANGO_"))}
    env.update(
        SOFTWHERE_ENV="production",
        SOFTWHERE_SECRET_KEY=secrets.token_urlsafe(64),
        SOFTWHERE_ALLOWED_HOSTS="desk.example",
        SOFTWHERE_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="softwhere.settings",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-c", "import softwhere.settings"], env)


# --- production refuses unsafe configuration -----------------------------------------------------


def test_production_settings_import_with_a_complete_environment(tmp_path: Path) -> None:
    result = import_settings(production_env(tmp_path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"SOFTWHERE_SECRET_KEY": None}, "SOFTWHERE_SECRET_KEY"),
        ({"SOFTWHERE_SECRET_KEY": DEV_SECRET}, "SOFTWHERE_SECRET_KEY"),
        ({"SOFTWHERE_SECRET_KEY": "trop-court-0123456789"}, "SOFTWHERE_SECRET_KEY"),
        ({"SOFTWHERE_DEBUG": "1"}, "SOFTWHERE_DEBUG"),
        ({"SOFTWHERE_ALLOWED_HOSTS": None}, "SOFTWHERE_ALLOWED_HOSTS"),
        ({"SOFTWHERE_ALLOWED_HOSTS": " , "}, "SOFTWHERE_ALLOWED_HOSTS"),
    ],
    ids=["missing-secret", "dev-secret", "short-secret", "debug", "missing-hosts", "blank-hosts"],
)
def test_production_refuses_unsafe_settings(tmp_path: Path, overrides: dict[str, str | None], variable: str) -> None:
    result = import_settings(production_env(tmp_path, **overrides))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_unknown_environment_name_is_refused(tmp_path: Path) -> None:
    result = import_settings(production_env(tmp_path, SOFTWHERE_ENV="prod"))
    assert result.returncode != 0
    assert "SOFTWHERE_ENV" in result.stderr


# --- check --deploy --------------------------------------------------------------------------------


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def test_check_deploy_reports_nothing_in_production(tmp_path: Path) -> None:
    result = deploy_check(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_a_weakened_production_setting(tmp_path: Path) -> None:
    # Proves --fail-level WARNING bites: no HSTS is a security.W004 warning.
    result = deploy_check(production_env(tmp_path, SOFTWHERE_HSTS_SECONDS="0"))
    assert result.returncode != 0
    assert "security.W004" in result.stderr


# --- cookies ---------------------------------------------------------------------------------------

COOKIE_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "DEBUG",
)


def read_settings(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{k: getattr(s, k) for k in {COOKIE_SETTINGS!r}}}))"
    )
    result = run([sys.executable, "-c", code], env)
    assert result.returncode == 0, result.stderr
    values: dict[str, object] = json.loads(result.stdout)
    return values


def test_production_cookies_are_secure_httponly_and_same_site(tmp_path: Path) -> None:
    values = read_settings(production_env(tmp_path))

    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert isinstance(values["SECURE_HSTS_SECONDS"], int) and values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["DEBUG"] is False


def test_development_cookies_work_over_plain_http(tmp_path: Path) -> None:
    env = production_env(tmp_path, SOFTWHERE_ENV="development", SOFTWHERE_SECRET_KEY=None, SOFTWHERE_ALLOWED_HOSTS=None)
    values = read_settings(env)
    # The quick start serves plain HTTP on :8000; Secure cookies would make login impossible there.
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SESSION_COOKIE_HTTPONLY"] is True


# --- login throttling (django-axes) --------------------------------------------------------------


def post_login(client: Client, username: str, password: str) -> object:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failed_logins_lock_the_username_from_that_address(client: Client, world: SimpleNamespace) -> None:
    for attempt in range(1, 5):
        response = post_login(client, "n1", "mauvais-mot-de-passe")
        assert response.status_code == 200, attempt  # form again, with an error
        assert "_auth_user_id" not in client.session

    fifth = post_login(client, "n1", "mauvais-mot-de-passe")
    assert fifth.status_code == 429

    locked = post_login(client, "n1", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    body = locked.content.decode()
    assert "bloqu" in body  # « Connexion temporairement bloquée »
    assert "Account locked" not in body


def test_lock_is_per_username_and_address(client: Client, world: SimpleNamespace) -> None:
    for _ in range(5):
        post_login(client, "n1", "mauvais-mot-de-passe")

    # Same address, another user: not locked.
    response = post_login(client, "n2", PASSWORD)
    assert response.status_code == 302
    # Same user from another address: not locked either.
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    response = post_login(elsewhere, "n1", PASSWORD)
    assert response.status_code == 302
    assert elsewhere.session["_auth_user_id"] == str(world.n1.pk)


def test_failed_login_message_is_french_and_success_resets_the_count(client: Client, world: SimpleNamespace) -> None:
    for _ in range(4):
        response = post_login(client, "n1", "mauvais-mot-de-passe")
    assert "mot de passe" in response.content.decode()

    assert post_login(client, "n1", PASSWORD).status_code == 302
    client.logout()
    # The success reset the counter: four more failures still do not lock.
    for _ in range(4):
        assert post_login(client, "n1", "mauvais-mot-de-passe").status_code == 200
    assert post_login(client, "n1", PASSWORD).status_code == 302


# --- the test harness itself ---------------------------------------------------------------------


@pytest.mark.parametrize("category", [DeprecationWarning, RemovedInDjango60Warning, RemovedInDjango61Warning])
def test_deprecation_warnings_are_errors_in_every_worker(category: type[Warning]) -> None:
    with pytest.raises(category):
        warnings.warn("obsolète", category, stacklevel=1)


def test_tests_cannot_reach_the_network() -> None:
    with pytest.raises(RuntimeError, match="network access is blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
