"""Sign-in with the municipality's identity provider (OpenID Connect), on
mozilla-django-oidc: off unless ``OIDC_ENABLED`` (config/settings/base.py, docs/deploy.md).

- The provider's endpoints and keys come from its metadata (``OIDC_OP_DISCOVERY_URL``),
  read at the first sign-in and kept by this process (:func:`provider_metadata`).
- The ID token is checked in full (:meth:`ProviderBackend.verify_token`): the provider's
  RS256 signature from its JWKS, the issuer of its metadata, our client id as audience,
  not expired, and the nonce this browser's session sent. The library itself checks the
  signature, expiry and nonce only.
- A login is found by the provider's stable subject id under its issuer
  (``core.ExternalIdentity``), never by e-mail or name; a new one is created from the
  claims, with no usable password.
- Its roles and administration come from the groups claim through ``OIDC_GROUP_MAP``
  (:func:`access_from_groups`), at every sign-in: roles the map names are set to what
  the groups give now, so a user taken out of a group loses the role at the next
  sign-in; roles the map does not name (given by hand) are kept. Groups that give no
  role at all: the sign-in is refused (and the provider's roles are taken away).
- A refused sign-in (a token that fails a check, an error from the provider, no role)
  lands on the sign-in page with a message saying so, and creates nothing.
"""

import logging
import threading
from hashlib import sha256
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.contrib.auth.views import LogoutView as DjangoLogoutView
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from core.models import ExternalIdentity
from core.roles import ROLES

from ..models import Administration, Person

LOGGER = logging.getLogger(__name__)
User = get_user_model()

_metadata: dict[str, dict] = {}
_metadata_lock = threading.Lock()


def provider_metadata() -> dict:
    """The provider's metadata (``/.well-known/openid-configuration``), read once per
    process and URL."""
    url = settings.OIDC_OP_DISCOVERY_URL
    if not url:
        raise ImproperlyConfigured("OIDC_OP_DISCOVERY_URL is not set")
    with _metadata_lock:
        if url not in _metadata:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
            for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not document.get(key):
                    raise ImproperlyConfigured(f"The provider's metadata has no {key}")
            _metadata[url] = document
        return _metadata[url]


def forget_provider_metadata() -> None:
    """Read the metadata afresh at the next sign-in (the tests; a provider's key change
    is met by the JWKS, which is read at every sign-in)."""
    with _metadata_lock:
        _metadata.clear()


def _map_entry(value) -> tuple[set[str], set[str]]:
    if isinstance(value, str):
        return {value}, set()
    if isinstance(value, list):
        return set(value), set()
    if isinstance(value, dict):
        roles = set(value.get("roles", ()))
        if value.get("role"):
            roles.add(value["role"])
        administration = value.get("administration")
        return roles, {administration} if administration else set()
    raise ImproperlyConfigured(f"OIDC_GROUP_MAP: not a role or a mapping: {value!r}")


def _group_map() -> dict[str, tuple[set[str], set[str]]]:
    mapped = {str(group): _map_entry(value) for group, value in settings.OIDC_GROUP_MAP.items()}
    unknown = set().union(*(roles for roles, _admins in mapped.values())) - set(ROLES)
    if unknown:
        raise ImproperlyConfigured(f"OIDC_GROUP_MAP: not a role: {sorted(unknown)}")
    return mapped


def managed_roles() -> set[str]:
    """The roles the provider's groups decide (every role the map names)."""
    return set().union(set(), *(roles for roles, _admins in _group_map().values()))


def access_from_groups(groups) -> tuple[set[str], set[str]]:
    """The roles and administration codes ``OIDC_GROUP_MAP`` gives these groups."""
    if isinstance(groups, str):
        groups = [groups]
    roles: set[str] = set()
    administrations: set[str] = set()
    mapped = _group_map()
    for group in groups or ():
        entry = mapped.get(str(group))
        if entry:
            roles |= entry[0]
            administrations |= entry[1]
    return roles, administrations


def _username_for(claims: dict, issuer: str) -> str:
    """The provider's user name (Entra ID: the UPN) when free and valid, else one made
    from the subject id (a name is only a label: the login is found by the subject)."""
    wanted = (claims.get("preferred_username") or "").strip()[:150]
    if wanted:
        try:
            User.username_validator(wanted)
        except Exception:  # noqa: BLE001  (a ValidationError: fall back)
            wanted = ""
    if wanted and not User.objects.filter(username__iexact=wanted).exists():
        return wanted
    digest = sha256(f"{issuer} {claims['sub']}".encode()).hexdigest()[:16]
    return f"oidc-{digest}"


def _details(claims: dict) -> dict:
    first = claims.get("given_name") or ""
    last = claims.get("family_name") or ""
    if not (first or last) and claims.get("name"):
        first, _sep, last = str(claims["name"]).rpartition(" ")
        if not first:
            first, last = last, ""
    return {
        "first_name": str(first)[:150],
        "last_name": str(last)[:150],
        "email": str(claims.get("email") or "")[:254],
    }


@transaction.atomic
def user_sign_in_from_claims(*, issuer: str, claims: dict):
    """Find or create the login of the provider's subject, update its name, e-mail, roles
    and administration from the claims, and return it; None when the groups give it no
    role (nothing is created, and an existing login loses the provider's roles)."""
    subject = str(claims.get("sub") or "")
    if not issuer or not subject:
        raise SuspiciousOperation("No issuer or subject in the ID token")
    roles, administrations = access_from_groups(claims.get(settings.OIDC_GROUPS_CLAIM))
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None and not roles:
        return None
    details = _details(claims)
    if identity is None:
        user = User(username=_username_for(claims, issuer), is_active=True, **details)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.skip_history_when_saving = True  # one history row below, with the roles
        user.save()  # (the history's post_save hook takes the flag off again)
        identity = ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    user = User.objects.select_for_update().get(pk=identity.user_id)
    managed = managed_roles()
    current = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    wanted = (current - managed) | roles
    changed = [name for name, value in details.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, details[name])
    if wanted != current or changed:
        if wanted != current:
            user.skip_history_when_saving = True
            user.groups.set(Group.objects.filter(name__in=wanted))
            user.__dict__.pop("skip_history_when_saving", None)
        user.save(update_fields=["first_name", "last_name", "email"])  # its history row
    _set_administration(user=user, administrations=administrations, details=details)
    identity.last_sign_in = timezone.now()
    identity.save(update_fields=["last_sign_in"])
    return user if roles else None


def _set_administration(*, user, administrations: set[str], details: dict) -> None:
    """The administration the groups give, on the login's person, when the map names
    administrations at all (else the person's administration stays as set by hand)."""
    if not any(admins for _roles, admins in _group_map().values()):
        return
    if len(administrations) > 1:
        LOGGER.warning("OIDC: groups give %s several administrations", user.username)
    code = sorted(administrations)[0] if administrations else None
    administration = Administration.objects.filter(code=code).first() if code else None
    if code and administration is None:
        LOGGER.warning("OIDC_GROUP_MAP: no administration with the code %s", code)
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is None:
        if administration is None:
            return
        name = f"{details['first_name']} {details['last_name']}".strip() or user.username
        person = Person(name=name, email=details["email"], administration=administration)
        person.user = user
        person.full_clean()
        person.save()
    elif person.administration_id != (administration.pk if administration else None):
        person.administration = administration
        person.full_clean()
        person.save(update_fields=["administration", "updated_at"])


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the endpoints from the provider's metadata, the
    ID token checked in full and the login found by its subject id."""

    def __init__(self, *args, **kwargs):
        # Nothing read from the provider here: Django builds every backend for every
        # sign-in, passwords included.
        self.UserModel = User
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802  (the library's name)
        return provider_metadata()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return provider_metadata().get("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return provider_metadata()["jwks_uri"]

    def authenticate(self, request, **kwargs):
        if request is None or not settings.OIDC_ENABLED:
            return None
        if "code" not in request.GET or "state" not in request.GET:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """The ID token's claims, after checking its signature (the provider's key from
        its JWKS, RS256 only), issuer, audience, expiry and the session's nonce."""
        nonce = kwargs.get("nonce")
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation(f"ID token signed with {header.get('alg')!r}")
            key = self.retrieve_matching_jwk(token)
            payload = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_metadata()["issuer"],
                leeway=60,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        audiences = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several audiences, not authorized to us")
        if not nonce or payload.get("nonce") != nonce:
            raise SuspiciousOperation("ID token nonce is not this sign-in's")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the userinfo endpoint's on top where the provider
        has one (Entra ID puts the groups in the ID token only)."""
        claims = dict(payload)
        if settings.OIDC_USE_USERINFO and self.OIDC_OP_USER_ENDPOINT and access_token:
            response = requests.get(
                self.OIDC_OP_USER_ENDPOINT,
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=settings.OIDC_TIMEOUT,
            )
            response.raise_for_status()
            if response.headers.get("content-type", "").lower().startswith("application/json"):
                info = response.json()
                if str(info.get("sub")) != str(payload["sub"]):
                    raise SuspiciousOperation("userinfo is about another subject")
                claims.update({key: value for key, value in info.items() if key != "sub"})
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        user = user_sign_in_from_claims(issuer=payload["iss"], claims=claims)
        if user is None:
            self.request._oidc_refusal = "no_role"
        return user


@method_decorator(login_not_required, name="dispatch")
class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce, PKCE: the library's)."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):  # noqa: N802  (the library's name)
        return provider_metadata()["authorization_endpoint"]


@method_decorator(login_not_required, name="dispatch")
class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: signs the user in, or shows the sign-in page with why not."""

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE)

    def get(self, request):
        try:
            return super().get(request)
        except (
            SuspiciousOperation,
            requests.RequestException,
            ValueError,
            # Two first sign-ins of one subject at once: the second finds the subject (or
            # the user name) taken, and is asked to try again, which then finds it.
            IntegrityError,
        ) as error:
            LOGGER.warning("OIDC sign-in refused: %s", error)
            return self.login_failure()

    def login_failure(self):
        user = getattr(self, "user", None)
        if user is not None and not user.is_active:
            message = _(
                "Your login to Helhedsplaner has been closed. Ask an administrator if you "
                "need it again."
            )
        elif getattr(self.request, "_oidc_refusal", None) == "no_role":
            message = _(
                "Your account at the municipality gives you no access to Helhedsplaner. "
                "Ask your manager or IT support to add you to the right group."
            )
        else:
            message = _(
                "You could not be signed in with the municipality's account: the answer "
                "from the sign-in service could not be verified. Try again, or contact "
                "IT support if it keeps happening."
            )
        messages.error(self.request, message)
        return super().login_failure()


def provider_logout_url(request) -> str:
    """``OIDC_OP_LOGOUT_URL_METHOD``: the provider's end-session endpoint (RP-initiated
    logout), back to our sign-in page after, where the provider has one; else ours."""
    ours = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
    try:
        end_session = provider_metadata().get("end_session_endpoint")
    except (requests.RequestException, ImproperlyConfigured, ValueError):
        end_session = None
    if not end_session:
        return ours
    params = {"post_logout_redirect_uri": ours, "client_id": settings.OIDC_RP_CLIENT_ID}
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{end_session}?{urlencode(params)}"


def form_action_origins() -> list[str]:
    """``OIDC_FORM_ACTION_ORIGINS``: the origin of the provider's sign-out, which the
    sign-out form's redirect goes to (none when the metadata cannot be read now)."""
    try:
        end_session = provider_metadata().get("end_session_endpoint")
    except (requests.RequestException, ImproperlyConfigured, ValueError):
        return []
    if not end_session:
        return []
    parts = urlsplit(end_session)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return []
    return [f"{parts.scheme}://{parts.netloc}"]


class LogoutView(DjangoLogoutView):
    """POST /log-ud/: ends our session and, for a user who signed in at the provider,
    sends the browser on to the provider's sign-out."""

    def post(self, request, *args, **kwargs):
        if settings.OIDC_ENABLED and request.session.get("oidc_id_token"):
            url = import_string(settings.OIDC_OP_LOGOUT_URL_METHOD)(request)
            super().post(request, *args, **kwargs)
            return HttpResponseRedirect(url)
        return super().post(request, *args, **kwargs)


def with_oidc(urlpatterns: list) -> list:
    """The URLconf with sign-in at the provider: /oidc/... and the provider-aware
    /log-ud/ (config/urls.py, when ``OIDC_ENABLED``)."""
    patterns = [pattern for pattern in urlpatterns if getattr(pattern, "name", None) != "logout"]
    return [
        *patterns,
        path("log-ud/", LogoutView.as_view(), name="logout"),
        path("oidc/authenticate/", AuthenticateView.as_view(), name="oidc_authentication_init"),
        path("oidc/callback/", CallbackView.as_view(), name="oidc_authentication_callback"),
    ]
