"""Sign-in hardening through HTTP: django-axes lockouts on both login pages, the client
address behind a trusted proxy, password rules and the idle session timeout."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import roles
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
LOCKED = "For mange mislykkede loginforsøg"


@pytest.fixture(autouse=True)
def _three_failures(settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900


def _sign_in(client, username, password="forkert", address="10.1.1.1", url="/log-ind/", **meta):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **meta
    )


def test_the_authentication_backends_are_axes_rules_and_the_model_backend():
    # PermissionReader only fills the model backend's permission caches (one query).
    assert django_settings.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "rules.permissions.ObjectPermissionBackend",
        "core.auth.PermissionReader",
        "django.contrib.auth.backends.ModelBackend",
    ]
    assert "rules.apps.AutodiscoverRulesConfig" in django_settings.INSTALLED_APPS
    assert django_settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_a_locked_account_is_locked_from_every_address_but_locks_no_other_account(client):
    factories.user(roles.POLITICIAN, "anna")
    factories.user(roles.POLITICIAN, "bo")
    for address in ("10.1.1.1", "10.1.1.2", "10.1.1.3"):  # one failure from each
        response = _sign_in(client, "anna", address=address)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # The right password from a fresh address: still locked, with a Danish page.
    response = _sign_in(Client(), "anna", "pw", address="10.9.9.9")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "Login er spærret" in response.content.decode()
    # Another account, even from an address that took part, signs in.
    assert _sign_in(Client(), "bo", "pw", address="10.1.1.3").status_code == 302


def test_one_address_guessing_many_accounts_is_stopped():
    factories.user(roles.POLITICIAN, "carl")
    guesser = Client()
    for username in ("x1", "x2"):
        assert _sign_in(guesser, username, address="10.6.6.6").status_code == 200
    assert _sign_in(guesser, "x3", address="10.6.6.6").status_code == 429
    # A real account from that address is refused too, from another it is not.
    assert _sign_in(guesser, "carl", "pw", address="10.6.6.6").status_code == 429
    assert _sign_in(Client(), "carl", "pw", address="10.7.7.7").status_code == 302


def test_the_admin_login_is_throttled_too_and_shares_the_count(administrator):
    admin_url = reverse("admin:login")
    _sign_in(Client(), "admin", url="/log-ind/", address="10.2.0.1")
    _sign_in(Client(), "admin", url=admin_url, address="10.2.0.2")
    response = _sign_in(Client(), "admin", url=admin_url, address="10.2.0.3")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    response = _sign_in(Client(), "admin", "pw", url=admin_url, address="10.2.0.4")
    assert response.status_code == 429
    assert "_auth_user_id" not in Client().session


def test_the_lockout_ends_when_the_window_has_passed(client):
    from axes.models import AccessAttempt

    factories.user(roles.POLITICIAN, "dora")
    for _ in range(3):
        _sign_in(client, "dora")
    assert _sign_in(client, "dora", "pw").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=901))
    assert _sign_in(client, "dora", "pw").status_code == 302


def test_behind_a_trusted_proxy_the_clients_address_counts_not_the_proxys(settings):
    # What DJANGO_TRUSTED_PROXY_HEADER=X-Forwarded-For with one proxy sets (see the next test).
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.IPWARE_STRICT = False
    factories.user(roles.POLITICIAN, "eva")
    proxy = "10.0.0.5"
    # One guesser behind the proxy, sending a forged entry of its own each time.
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        response = _sign_in(
            Client(), f"y{forged}", address=proxy, HTTP_X_FORWARDED_FOR=f"{forged}, 10.20.0.9"
        )
    assert response.status_code == 429  # its forged entries did not give it new addresses
    # Everyone else comes through the same proxy and is not locked out.
    response = _sign_in(Client(), "eva", "pw", address=proxy, HTTP_X_FORWARDED_FOR="10.20.0.10")
    assert response.status_code == 302


def _settings_in_a_process(env_extra: dict, expression: str, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite3'}",
            **env_extra,
        }
    )
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({expression}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_proxy_and_idle_settings_come_from_the_environment(tmp_path):
    default = _settings_in_a_process(
        {},
        "[list(s.AXES_IPWARE_META_PRECEDENCE_ORDER), s.SESSION_COOKIE_AGE, "
        "s.LOGIN_MAX_FAILURES, s.LOGIN_FAILURE_WINDOW_SECONDS]",
        tmp_path,
    )
    assert default == [["REMOTE_ADDR"], 8 * 60 * 60, 5, 900]
    configured = _settings_in_a_process(
        {
            "DJANGO_TRUSTED_PROXY_HEADER": "X-Forwarded-For",
            "DJANGO_TRUSTED_PROXY_COUNT": "2",
            "DJANGO_SESSION_IDLE_SECONDS": "1800",
        },
        "[list(s.AXES_IPWARE_META_PRECEDENCE_ORDER), s.AXES_IPWARE_PROXY_COUNT, "
        "s.IPWARE_STRICT, s.SESSION_COOKIE_AGE]",
        tmp_path,
    )
    assert configured == [["HTTP_X_FORWARDED_FOR"], 1, False, 1800]


@pytest.mark.parametrize("password", ["Sommer2024", "kort-kode", "123456789012345", "password1234"])
def test_weak_passwords_are_refused(password):
    user = factories.user(None, "frida", first_name="Frida")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_uncommon_password_is_accepted():
    user = factories.user(None, "gustav")
    validate_password("helhedsplan-demo", user)
    validate_password("Blå-Cykel-Over-Åen-7", user)


def test_a_password_like_the_user_name_is_refused():
    user = factories.user(None, "henriettejensen", email="henriettejensen@kk.dk")
    with pytest.raises(ValidationError):
        validate_password("henriettejensen1", user)


def test_the_session_slides_forward_and_ends_after_the_idle_time(client, settings):
    settings.SESSION_COOKIE_AGE = 600
    settings.SESSION_IDLE_REFRESH_SECONDS = 0
    factories.user(roles.POLITICIAN, "ida")
    assert _sign_in(client, "ida", "pw").status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 600
    session = Session.objects.get(session_key=client.session.session_key)
    assert abs((session.expire_date - timezone.now()).total_seconds() - 600) < 30

    # A request moves the expiry forward again (sliding).
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + timedelta(seconds=100)
    )
    assert client.get(reverse("home")).status_code == 200
    session.refresh_from_db()
    assert (session.expire_date - timezone.now()).total_seconds() > 500

    # Idle past the limit: the session is gone and the next page asks for a sign-in.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/log-ind/" in response["Location"]


def test_within_the_refresh_interval_the_session_is_not_written_again(client, settings):
    from core.middleware import IdleSessionMiddleware

    settings.SESSION_IDLE_REFRESH_SECONDS = 60
    client.force_login(factories.user(roles.POLITICIAN, "jens"))
    # The sign-in saved the session: the pages right after it do not save it again.
    for _ in range(2):
        response = client.get(reverse("accessibility"))
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    # A minute later the next page slides the expiry forward.
    session = client.session
    session[IdleSessionMiddleware.KEY] -= 61
    session.save()
    response = client.get(reverse("accessibility"))
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
