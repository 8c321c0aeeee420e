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
    for _ in range(3):
        response = client.post(
            reverse("login"), {"username": "sagsbehandler", "password": "forkert"}
        )
        assert "Brugernavnet eller adgangskoden er forkert" in response.content.decode()
    # Even the right password is refused now, with a message that says why.
    response = client.post(reverse("login"), {"username": "sagsbehandler", "password": "pw"})
    assert response.status_code == 200
    assert "For mange mislykkede" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_before_the_limit_works(client, caseworker, settings):
    settings.LOGIN_MAX_FAILURES = 3
    client.post(reverse("login"), {"username": "sagsbehandler", "password": "forkert"})
    response = client.post(reverse("login"), {"username": "sagsbehandler", "password": "pw"})
    assert response.status_code == 302
