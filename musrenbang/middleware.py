"""Middleware of the project: the client's address, and the language.

Language: Bahasa Indonesia unless the user chose otherwise with the language switch. Django's
LocaleMiddleware would follow the browser's Accept-Language, and many officials' phones are set
to English; the product speaks Indonesian first, so only an explicit choice counts.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ClientAddressMiddleware:
    """One address for everything that records where a request came from (the audit trail, the
    sign-in lockout): the connection's, or behind the deployment's own proxy (BEHIND_PROXY) the
    address that proxy added last to X-Forwarded-For. Whatever a client writes in that header
    itself is never believed, so nobody can sign an audit entry with someone else's address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.META.pop("HTTP_X_FORWARDED_FOR", "")
        if settings.BEHIND_PROXY and forwarded.strip():
            request.META["REMOTE_ADDR"] = forwarded.split(",")[-1].strip()
        return self.get_response(request)
