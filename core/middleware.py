import time

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


def _language(request) -> str:
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    available = {code for code, _name in settings.LANGUAGES}
    return language if language in available else settings.LANGUAGE_CODE


class RefuseNulBytesMiddleware:
    """A NUL byte (``%00``) in the address or the query string gets a 400 at once.

    No page has a use for one, and further in it breaks things in several places:
    PostgreSQL refuses it in any text parameter, the file system in any path. So it
    is refused before sessions, sign-in or views see it, in plain Danish. (A NUL in a
    form field is the form's business: CharField refuses it with a field error.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "\x00" in query or "%00" in query:
            with translation.override(_language(request)):
                message = _(
                    "The address contains a NUL character (%00), which is not allowed. "
                    "Check the link or remove the character and try again."
                )
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class LanguageMiddleware:
    """Danish unless the user picked another language in the footer.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    a municipal system speaks the municipality's language (``LANGUAGE_CODE``) by
    default, whatever the PC's Windows locale says. The language menu sets a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = _language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    Everything the pages need is served by the app itself (closed intranets), so
    the policy allows only 'self': no inline script or style, no CDN. A view may
    set a stricter policy of its own (attachment downloads use ``sandbox``).
    One exception: for a user signed in at the identity provider, the sign-out form
    (in every page's header) goes on to the provider's sign-out, so ``form-action``
    names the provider's origin too (``OIDC_FORM_ACTION_ORIGINS``, a function of
    ``committees.users.oidc``; the browser checks the redirect against it).
    """

    @staticmethod
    def policy(request) -> str:
        if not settings.OIDC_ENABLED:
            return CONTENT_SECURITY_POLICY
        session = getattr(request, "session", None)
        if session is None or not session.get("oidc_id_token"):
            return CONTENT_SECURITY_POLICY
        origins = " ".join(import_string(settings.OIDC_FORM_ACTION_ORIGINS)())
        if not origins:
            return CONTENT_SECURITY_POLICY
        return CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {origins}"
        )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy(request))
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user.

    Pages, PDFs and attachment downloads for a signed-in user may hold closed items or
    drafts: no browser history cache, shared proxy or disk cache may keep them. Pages
    served from the page cache pass through here too. Static files never get here
    (WhiteNoise answers them further up), and anonymous pages (the login page, the
    accessibility statement) keep their own headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-store"
        return response


class CommitTrackingMiddleware:
    """Notes on the request whether a write to the data was committed while it ran.

    ``request.write_committed`` starts False and turns True when a write to a domain
    table (the ones ``core.pagecache`` watches) is committed: at once in autocommit,
    through ``on_commit`` inside a transaction (so a rolled-back write never counts).
    The 500 page (``core.views.server_error``) tells the user from it whether their
    change was saved. It also gives the page cache the chance to retry a generation
    bump that failed (``core.pagecache.retry_failed_bump``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import DEFAULT_DB_ALIAS, connections, transaction

        from core import pagecache

        request.write_committed = False
        pagecache.retry_failed_bump()

        def committed():
            request.write_committed = True

        def watch(execute, sql, params, many, context):
            result = execute(sql, params, many, context)
            connection = context["connection"]
            if isinstance(sql, str) and pagecache.is_tracked(sql):
                if not connection.in_atomic_block:
                    committed()
                elif not any(entry[1] is committed for entry in connection.run_on_commit):
                    transaction.on_commit(committed, using=connection.alias)
            return result

        # Not ``connection.execute_wrapper()``: on exit it pops the *last* wrapper, which is
        # the page cache's own ``watch_writes`` when the connection was first opened during
        # this request; the connection would then stop invalidating cached pages.
        connection = connections[DEFAULT_DB_ALIAS]
        connection.execute_wrappers.append(watch)
        try:
            response = self.get_response(request)
        finally:
            if watch in connection.execute_wrappers:
                connection.execute_wrappers.remove(watch)
        # What a write in autocommit left owed is paid before the writer reads again.
        pagecache.retry_failed_bump()
        return response


class IdleSessionMiddleware:
    """Sliding idle timeout: a signed-in session lives ``SESSION_COOKIE_AGE`` past its
    last request (env ``DJANGO_SESSION_IDLE_SECONDS``, default a working day).

    Saving a session sets its database expiry and the cookie's Max-Age to now plus
    ``SESSION_COOKIE_AGE``. Instead of saving on every request
    (``SESSION_SAVE_EVERY_REQUEST``, a write per page view), the session is marked
    changed once ``SESSION_IDLE_REFRESH_SECONDS`` have passed since it was last saved
    here, so a session may end at most that much earlier than the full idle time.
    """

    KEY = "_idle_refreshed_at"

    @classmethod
    def signed_in(cls, sender, request, user, **kwargs):
        """``user_logged_in``: the sign-in saves the session anyway; note when."""
        if request is not None and hasattr(request, "session"):
            request.session[cls.KEY] = int(time.time())

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY, 0)
            if now - last >= settings.SESSION_IDLE_REFRESH_SECONDS:
                request.session[self.KEY] = now
        return self.get_response(request)
