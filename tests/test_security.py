import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_pages_carry_a_strict_content_security_policy(client, politician):
    client.force_login(politician)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_need_no_inline_script_or_style(client, politician):
    """The CSP forbids inline script and style: the pages must not rely on them."""
    client.force_login(politician)
    for url in (
        reverse("home"),
        reverse("cases:case_list"),
        reverse("accessibility"),
        reverse("login"),
    ):
        content = client.get(url).content.decode()
        assert "<script>" not in content and "<script " not in content.replace('<script src="', "")
        assert " style=" not in content
        assert "<style" not in content


def test_login_is_throttled_after_repeated_failures(client, caseworker, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        response = client.post(
            reverse("login"), {"username": "sagsbehandler", "password": "forkert"}
        )
        assert "Brugernavnet eller adgangskoden er forkert" in response.content.decode()
    # The third failure locks the account, with a page that says why.
    response = client.post(reverse("login"), {"username": "sagsbehandler", "password": "forkert"})
    assert response.status_code == 429
    assert "For mange mislykkede" in response.content.decode()
    # Even the right password is refused now.
    response = client.post(reverse("login"), {"username": "sagsbehandler", "password": "pw"})
    assert response.status_code == 429
    assert "For mange mislykkede" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_before_the_limit_works(client, caseworker, settings):
    settings.LOGIN_MAX_FAILURES = 3
    client.post(reverse("login"), {"username": "sagsbehandler", "password": "forkert"})
    response = client.post(reverse("login"), {"username": "sagsbehandler", "password": "pw"})
    assert response.status_code == 302


def test_production_settings_use_secure_cookies_and_hsts(tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "p" * 64,
            "DJANGO_ALLOWED_HOSTS": "helhedsplaner.kk.dk",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
        }
    )
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
    )
    debug, session_secure, csrf_secure, hsts, ssl_redirect, httponly = json.loads(result.stdout)
    assert debug is False
    assert session_secure and csrf_secure and ssl_redirect and httponly
    assert hsts >= 31536000


def test_attachment_with_unexpected_type_is_never_served_as_html(client, politician):
    from tests import factories

    item = factories.item(factories.meeting())
    attachment = factories.attachment(
        item, content=b"<script>alert(1)</script>", filename="side.html"
    )
    attachment.content_type = "text/html"
    attachment.save()
    client.force_login(politician)
    response = client.get(reverse("cases:attachment_download", args=[attachment.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pdf_attachment_opens_inline_in_a_sandbox(client, politician):
    from tests import factories

    item = factories.item(factories.meeting())
    attachment = factories.attachment(item)
    client.force_login(politician)
    response = client.get(reverse("cases:attachment_download", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"


def test_refusal_pages_are_danish(client, politician):
    client.force_login(politician)
    forbidden = client.get(reverse("helhedsplaner:plan_create"))
    assert forbidden.status_code == 403
    assert "Du har ikke adgang til denne side" in forbidden.content.decode()
    missing = client.get("/sager/2099-99999/")
    assert missing.status_code == 404
    assert "Siden blev ikke fundet" in missing.content.decode()
