"""Sign-in with the municipality's identity provider, in the browser, against a real
OpenID Provider process (Node's oidc-provider on 127.0.0.1, tests/oidc/provider.py):
the role from the groups, lost when the groups change; sign-out at the provider too;
spoiled ID tokens refused with the Danish message, creating nothing."""

import pytest
from django.contrib.auth.models import User

from committees.models import Person
from committees.users import oidc
from core import roles
from core.models import ExternalIdentity
from tests import factories
from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, Provider, TokenProxy, ensure_installed

REFUSED = "Du kunne ikke logges ind med kommunens konto"
ANNE = {
    "email": "anne@kommune.dk",
    "given_name": "Anne",
    "family_name": "Hansen",
    "preferred_username": "anne@kommune.dk",
    "groups": ["grp-bif-sagsbehandlere"],
}


@pytest.fixture
def provider(browser, live_server, transactional_db, settings, tmp_path):
    ensure_installed()
    started = Provider(
        redirect_uri=f"{live_server.url}/oidc/callback/",
        post_logout_uri=f"{live_server.url}/log-ind/",
        workdir=tmp_path,
    )
    proxy = TokenProxy(started)
    settings.OIDC_ENABLED = True
    settings.ROOT_URLCONF = "tests.committees.oidc_urls"
    settings.AUTHENTICATION_BACKENDS = settings.OIDC_AUTHENTICATION_BACKENDS
    settings.OIDC_OP_DISCOVERY_URL = proxy.discovery_url
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    # The test provider hands out the groups for a scope of that name (Entra ID: a claim
    # configured on the app registration, no scope).
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_GROUP_MAP = {
        "grp-bif-sagsbehandlere": {"roles": [roles.CASEWORKER], "administration": "BIF"},
        "grp-politikere": roles.POLITICIAN,
    }
    roles.ensure_roles()
    factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    started.set_accounts({"anne": ANNE})
    oidc.forget_provider_metadata()
    started.proxy = proxy
    yield started
    oidc.forget_provider_metadata()
    proxy.stop()
    started.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


def sign_in(page, login: str) -> None:
    page.goto(f"{page.base}/log-ind/")
    page.get_by_role("link", name="Log ind med kommunens konto").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{page.base}/**")


def sign_out(page) -> None:
    page.get_by_role("button", name="Log ud").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{page.base}/log-ind/")


def role_names(username: str) -> set[str]:
    return set(User.objects.get(username=username).groups.values_list("name", flat=True))


def test_sign_in_gives_the_mapped_role_and_loses_it_when_the_groups_change(page, provider):
    sign_in(page, "anne")
    assert page.url == f"{page.base}/"
    assert page.get_by_role("button", name="Log ud").is_visible()
    assert role_names("anne@kommune.dk") == {roles.CASEWORKER}
    user = User.objects.get(username="anne@kommune.dk")
    assert (user.first_name, user.email) == ("Anne", "anne@kommune.dk")
    assert Person.objects.get(user=user).administration.code == "BIF"
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (provider.issuer, "anne")

    # Signing out ends the provider's session too (RP-initiated logout) ...
    sign_out(page)
    page.goto(f"{page.base}/")
    assert "/log-ind/" in page.url
    # ... so the next sign-in asks again, and reads the groups as they are now.
    provider.set_accounts({"anne": {**ANNE, "groups": ["grp-politikere"]}})
    sign_in(page, "anne")
    assert page.url == f"{page.base}/"
    assert role_names("anne@kommune.dk") == {roles.POLITICIAN}
    assert Person.objects.get(user=user).administration is None
    assert User.objects.count() == 1

    # Out of every mapped group: refused, and the role is gone.
    sign_out(page)
    provider.set_accounts({"anne": {**ANNE, "groups": ["grp-kantine"]}})
    sign_in(page, "anne")
    assert "/log-ind/" in page.url
    assert page.get_by_text("giver ikke adgang til Helhedsplaner").is_visible()
    assert role_names("anne@kommune.dk") == set()


@pytest.mark.parametrize("mode", ["audience", "expired", "signature"])
def test_spoiled_id_token_is_refused_and_creates_nothing(page, provider, mode):
    provider.proxy.mode = mode
    sign_in(page, "anne")
    assert page.url.startswith(f"{page.base}/log-ind/")
    assert page.get_by_text(REFUSED).is_visible()
    assert not User.objects.exists()
    assert not ExternalIdentity.objects.exists()
    assert not Person.objects.exists()
    page.goto(f"{page.base}/")
    assert "/log-ind/" in page.url


def test_replayed_id_token_is_refused(page, provider):
    sign_in(page, "anne")
    sign_out(page)
    # The provider answers the next sign-in with the first one's ID token (its nonce).
    provider.proxy.mode = "replay"
    provider.set_accounts({"anne": ANNE, "bo": {**ANNE, "preferred_username": "bo"}})
    sign_in(page, "bo")
    assert page.url.startswith(f"{page.base}/log-ind/")
    assert page.get_by_text(REFUSED).is_visible()
    assert list(User.objects.values_list("username", flat=True)) == ["anne@kommune.dk"]
    page.goto(f"{page.base}/")
    assert "/log-ind/" in page.url


def test_closed_login_is_refused_even_when_the_groups_give_a_role(page, provider):
    sign_in(page, "anne")
    sign_out(page)
    User.objects.filter(username="anne@kommune.dk").update(is_active=False)
    sign_in(page, "anne")
    assert page.url.startswith(f"{page.base}/log-ind/")
    assert page.get_by_text("Dit login til Helhedsplaner er lukket").is_visible()
    page.goto(f"{page.base}/")
    assert "/log-ind/" in page.url
