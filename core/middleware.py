from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
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
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response
