"""Security headers, security.txt and ``check --deploy`` (issue 4 item 6, RFC 9116)."""

from __future__ import annotations

import os
import re
import secrets
import string
import subprocess  # nosec B404 - runs our own manage.py
import sys

import pytest
from django.conf import settings

from dmk.bodies.models import MembershipRole
from tests.factories import StateFactory, user_with_role
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/laender/", "/konto/login/", "/.well-known/security.txt"]


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_send_a_strict_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    directives = _directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_send_nosniff_deny_and_a_referrer_policy(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_public_pages_may_be_cached_for_anonymous_visitors(client):
    response = client.get("/laender/")
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/intern/", "/laender/"])
def test_pages_for_a_logged_in_user_are_never_stored(client, path):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BE", name_de="Berlin"))
    login_with_second_factor(client, member)
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_security_txt_names_contact_and_an_expiry_within_a_year(client):
    response = client.get("/.well-known/security.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "Contact: mailto:security@dmk.example"
    assert re.fullmatch(r"Expires: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lines[1])


def test_check_deploy_is_clean_with_production_settings():
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    # the browser tests' switch for Playwright must not leak into the production check
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "0",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "ALLOWED_HOSTS": "dmk.example",
        "HTTPS": "1",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(  # nosec B603 - fixed argument list
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_settings_send_hsts_for_a_year_with_secure_cookies():
    env = {**os.environ, "DEBUG": "0", "HTTPS": "1", "DATABASE_URL": "sqlite:///:memory:"}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'dmk.settings'; "
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(  # nosec B603 - fixed argument list
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "31536000 True True True"
