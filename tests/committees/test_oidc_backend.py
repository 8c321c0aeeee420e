"""Sign-in with the identity provider, through the backend (committees.users.oidc): the
claims and groups make the login, its roles and its administration; the ID token is
checked in full. The whole flow against a real provider: tests/browser/test_oidc_journey.py."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation

from committees.models import Person
from committees.users import oidc
from core import roles
from core.models import ExternalIdentity
from tests import factories

pytestmark = pytest.mark.django_db

ISSUER = "https://login.example.dk/tenant/v2.0"
CLIENT = "helhedsplaner-test"
GROUP_MAP = {
    "grp-bif": {"roles": [roles.CASEWORKER], "administration": "BIF"},
    "grp-tmf": {"roles": [roles.CASEWORKER], "administration": "TMF"},
    "grp-politik": roles.POLITICIAN,
    "grp-sekretariat": [roles.SECRETARY],
}


@pytest.fixture(autouse=True)
def oidc_settings(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_GROUP_MAP = GROUP_MAP
    settings.OIDC_RP_CLIENT_ID = CLIENT
    settings.OIDC_OP_DISCOVERY_URL = "https://login.example.dk/.well-known/openid-configuration"
    roles.ensure_roles()
    factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    factories.administration("TMF", "Teknik- og Miljøforvaltningen")
    yield settings
    oidc.forget_provider_metadata()


def claims(**extra):
    return {
        "sub": "subject-anne",
        "preferred_username": "anne@kommune.dk",
        "given_name": "Anne",
        "family_name": "Hansen",
        "email": "anne@kommune.dk",
        "groups": ["grp-bif"],
        **extra,
    }


def role_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_first_sign_in_creates_login_with_mapped_role_and_administration():
    user = oidc.user_sign_in_from_claims(issuer=ISSUER, claims=claims())
    assert user.username == "anne@kommune.dk"
    assert (user.first_name, user.last_name, user.email) == ("Anne", "Hansen", "anne@kommune.dk")
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    assert role_names(user) == {roles.CASEWORKER}
    assert Person.objects.get(user=user).administration.code == "BIF"
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (ISSUER, "subject-anne")
    assert identity.last_sign_in is not None


def test_next_sign_in_finds_login_by_subject_and_follows_groups():
    first = oidc.user_sign_in_from_claims(issuer=ISSUER, claims=claims())
    again = oidc.user_sign_in_from_claims(
        issuer=ISSUER,
        claims=claims(
            email="anne.hansen@kommune.dk",
            preferred_username="ah@kommune.dk",
            groups=["grp-tmf", "grp-politik"],
        ),
    )
    assert again.pk == first.pk
    assert again.email == "anne.hansen@kommune.dk"
    assert again.username == "anne@kommune.dk"  # a label, kept
    assert role_names(again) == {roles.CASEWORKER, roles.POLITICIAN}
    assert Person.objects.get(user=again).administration.code == "TMF"
    assert User.objects.count() == 1


def test_user_taken_out_of_a_group_loses_its_role_at_next_sign_in_keeps_hand_given():
    user = oidc.user_sign_in_from_claims(issuer=ISSUER, claims=claims(groups=["grp-bif"]))
    user.groups.add(*factories_groups(roles.ADMINISTRATOR))  # by hand, not in the map
    user = oidc.user_sign_in_from_claims(issuer=ISSUER, claims=claims(groups=["grp-politik"]))
    assert role_names(user) == {roles.POLITICIAN, roles.ADMINISTRATOR}
    assert Person.objects.get(user=user).administration is None


def factories_groups(*names):
    from django.contrib.auth.models import Group

    return list(Group.objects.filter(name__in=names))


def test_groups_giving_no_role_refuse_and_create_nothing():
    assert oidc.user_sign_in_from_claims(issuer=ISSUER, claims=claims(groups=["other"])) is None
    assert not User.objects.exists()
    assert not ExternalIdentity.objects.exists()
    assert not Person.objects.exists()


def test_leaver_with_no_mapped_group_is_refused_and_loses_the_roles():
    user = oidc.user_sign_in_from_claims(issuer=ISSUER, claims=claims())
    assert oidc.user_sign_in_from_claims(issuer=ISSUER, claims=claims(groups=[])) is None
    assert role_names(user) == set()


def test_same_email_as_a_local_login_never_signs_in_as_it():
    local = factories.user(roles.ADMINISTRATOR, "anne@kommune.dk")
    local.email = "anne@kommune.dk"
    local.save()
    user = oidc.user_sign_in_from_claims(issuer=ISSUER, claims=claims())
    assert user.pk != local.pk
    assert user.username.startswith("oidc-")
    assert role_names(user) == {roles.CASEWORKER}


def test_same_subject_at_another_issuer_is_another_login():
    one = oidc.user_sign_in_from_claims(issuer=ISSUER, claims=claims())
    other = oidc.user_sign_in_from_claims(issuer="https://other.example.dk", claims=claims())
    assert one.pk != other.pk


def test_group_map_naming_an_unknown_role_is_a_configuration_error(settings):
    settings.OIDC_GROUP_MAP = {"grp": "Superhelt"}
    with pytest.raises(ImproperlyConfigured):
        oidc.user_sign_in_from_claims(issuer=ISSUER, claims=claims(groups=["grp"]))


# The ID token checks, with a key of our own standing in for the provider's JWKS.

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def backend(monkeypatch):
    oidc._metadata["https://login.example.dk/.well-known/openid-configuration"] = {
        "issuer": ISSUER,
        "authorization_endpoint": "https://login.example.dk/authorize",
        "token_endpoint": "https://login.example.dk/token",
        "jwks_uri": "https://login.example.dk/keys",
    }
    instance = oidc.ProviderBackend()
    monkeypatch.setattr(
        instance, "retrieve_matching_jwk", lambda token: jwt.PyJWK.from_dict(public_jwk())
    )
    return instance


def public_jwk():
    import json

    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    return {**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}


def token(key=KEY, alg="RS256", **changes):
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "sub": "subject-anne",
        "aud": CLIENT,
        "iat": now,
        "exp": now + 300,
        "nonce": "the-nonce",
        **changes,
    }
    payload = {name: value for name, value in payload.items() if value is not None}
    if alg == "HS256":
        return jwt.encode(
            payload, "a-shared-secret-long-enough-for-hs256", algorithm=alg, headers={"kid": "k1"}
        )
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": "k1"})


def test_good_token_passes(backend):
    assert backend.verify_token(token(), nonce="the-nonce")["sub"] == "subject-anne"


@pytest.mark.parametrize(
    "bad",
    [
        {"aud": "another-app"},
        {"iss": "https://evil.example.com"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
        {"nonce": "an-old-nonce"},
        {"nonce": None},
        {"exp": None},
        {"aud": [CLIENT, "another-app"]},
    ],
    ids=["audience", "issuer", "expired", "nonce", "no-nonce", "no-expiry", "two-audiences"],
)
def test_bad_token_refused(backend, bad):
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(**bad), nonce="the-nonce")


def test_token_signed_with_another_key_refused(backend):
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(key=OTHER_KEY), nonce="the-nonce")


def test_token_signed_with_a_shared_secret_refused(backend):
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(alg="HS256"), nonce="the-nonce")


def test_backend_ignores_password_sign_in(rf):
    request = rf.post("/log-ind/")
    assert oidc.ProviderBackend().authenticate(request, username="a", password="b") is None


def test_claims_from_the_id_token_alone_when_userinfo_is_off(backend, settings):
    settings.OIDC_USE_USERINFO = False
    payload = {"sub": "subject-anne", "groups": ["grp-bif"]}
    assert backend.get_userinfo("an-access-token", "an-id-token", payload) == payload
