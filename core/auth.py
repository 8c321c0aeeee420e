"""Sign-in: the login form's wording and the lockout rules django-axes applies.

Throttling itself is django-axes (``AxesStandaloneBackend`` first in
``AUTHENTICATION_BACKENDS``, ``AxesMiddleware`` last in ``MIDDLEWARE``): it counts
failed sign-ins on ``/log-ind/`` and ``/admin/login/`` alike, per user name and per
client address separately, in the database (shared by every app server process), and
answers a locked-out attempt with ``registration/locked_out.html`` (status 429).
The limits are the settings ``LOGIN_MAX_FAILURES`` and ``LOGIN_FAILURE_WINDOW_SECONDS``
(env ``DJANGO_LOGIN_MAX_FAILURES``, ``DJANGO_LOGIN_FAILURE_WINDOW``), read on every
attempt through the two functions below.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def failure_limit(request, credentials) -> int:
    """``AXES_FAILURE_LIMIT``: failed attempts that lock a user name or an address."""
    return settings.LOGIN_MAX_FAILURES


def cool_off(request=None) -> timedelta:
    """``AXES_COOLOFF_TIME``: how long a lockout lasts after the last failed attempt."""
    return timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the Danish lockout page, for both login pages."""
    minutes = max(1, -(-settings.LOGIN_FAILURE_WINDOW_SECONDS // 60))
    message = gettext(
        "Too many failed sign-in attempts. For your security, wait %(minutes)s minutes "
        "and try again, or ask an administrator to reset your password."
    ) % {"minutes": minutes}
    return render(
        request,
        "registration/locked_out.html",
        {"message": message},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def password_sign_in_allowed(username: str | None) -> bool:
    """Whether ``username`` may sign in with a password: always, unless sign-in with the
    identity provider is on with ``OIDC_LOCAL_LOGIN`` off; then only the break-glass
    user names (``OIDC_BREAK_GLASS_USERS``) may."""
    if not settings.OIDC_ENABLED or settings.OIDC_LOCAL_LOGIN:
        return True
    return bool(username) and username in settings.OIDC_BREAK_GLASS_USERS


class LocalLoginGate:
    """Refuses a password sign-in that :func:`password_sign_in_allowed` does not allow, on
    /log-ind/ and /admin/login/ alike (listed before ``ModelBackend``; raising
    PermissionDenied stops Django trying the backends after it)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not password_sign_in_allowed(username):
            raise PermissionDenied
        return None


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The user name or password is wrong. Both are case-sensitive."),
        "local_login_off": _(
            "Sign in with the municipality's account. Passwords are only for the "
            "emergency administrator."
        ),
    }

    def clean(self):
        if not password_sign_in_allowed(self.cleaned_data.get("username")):
            raise ValidationError(self.error_messages["local_login_off"], code="local_login_off")
        return super().clean()


class LoginView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            oidc_enabled=settings.OIDC_ENABLED,
            local_login=not settings.OIDC_ENABLED or settings.OIDC_LOCAL_LOGIN,
        )


class PermissionReader:
    """Reads a user's model permissions (and their roles, if not read yet) in one query
    (``core.roles.load_roles_and_permissions``) into the caches Django's ``ModelBackend``
    keeps on the user, so that backend, listed next, answers without two queries of its
    own. It answers nothing itself and signs nobody in (no ``get_user``: sessions and
    ``force_login`` stay with Django's backend).
    """

    def authenticate(self, request, **credentials):
        return None

    @staticmethod
    def _read(user_obj, obj) -> None:
        if (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not hasattr(user_obj, "_perm_cache")
        ):
            from core.roles import load_roles_and_permissions

            load_roles_and_permissions(user_obj)

    def get_all_permissions(self, user_obj, obj=None) -> set:
        self._read(user_obj, obj)
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        self._read(user_obj, obj)
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        self._read(user_obj, None)
        return False
