from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Danish unless the user picked another language in the footer.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    a municipal system speaks the municipality's language (``LANGUAGE_CODE``) by
    default, whatever the PC's Windows locale says. The language menu sets a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
