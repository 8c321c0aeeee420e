"""The sign-in page with and without the identity provider: off by default (the page and
routes as before); on, a button to the provider; with local passwords off, only the
break-glass user names may use the password form (and /admin/login/)."""

import pytest
from django.conf import settings as django_settings
from django.urls import NoReverseMatch, reverse

from core import roles
from tests import factories

pytestmark = pytest.mark.django_db

PROVIDER_BUTTON = "Log ind med kommunens konto"


def test_oidc_is_off_by_default():
    assert django_settings.OIDC_ENABLED is False
    assert "committees.users.oidc.ProviderBackend" not in django_settings.AUTHENTICATION_BACKENDS
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")


def test_login_page_without_oidc_has_no_provider_button(client):
    assert PROVIDER_BUTTON not in client.get("/log-ind/").content.decode()


@pytest.fixture
def oidc_on(settings):
    settings.OIDC_ENABLED = True
    settings.ROOT_URLCONF = "tests.committees.oidc_urls"
    settings.AUTHENTICATION_BACKENDS = settings.OIDC_AUTHENTICATION_BACKENDS
    return settings


def test_login_page_with_oidc_links_to_the_provider(client, oidc_on):
    page = client.get("/log-ind/?next=/planer/").content.decode()
    assert PROVIDER_BUTTON in page
    assert 'href="/oidc/authenticate/?next=/planer/"' in page


def test_password_still_works_while_local_login_is_on(client, oidc_on):
    factories.user(roles.POLITICIAN, "anna")
    response = client.post("/log-ind/", {"username": "anna", "password": "pw"})
    assert response.status_code == 302


def test_local_login_off_refuses_passwords_but_for_break_glass(client, oidc_on):
    oidc_on.OIDC_LOCAL_LOGIN = False
    oidc_on.OIDC_BREAK_GLASS_USERS = ["nødadmin"]
    factories.user(roles.POLITICIAN, "anna")
    factories.user(roles.ADMINISTRATOR, "nødadmin")
    response = client.post("/log-ind/", {"username": "anna", "password": "pw"})
    assert response.status_code == 200
    assert "Log ind med kommunens konto. Adgangskoder" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The Django admin's own form too: the backend refuses before the password is read.
    client.post("/admin/login/", {"username": "anna", "password": "pw"})
    assert "_auth_user_id" not in client.session
    response = client.post("/log-ind/", {"username": "nødadmin", "password": "pw"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_provider_routes_need_no_sign_in(client, oidc_on):
    # The callback without a pending sign-in: back to the sign-in page with a message.
    response = client.get("/oidc/callback/?code=x&state=y", follow=True)
    assert response.redirect_chain[-1][0] == "/log-ind/"
    assert "kunne ikke logges ind med kommunens konto" in response.content.decode()
