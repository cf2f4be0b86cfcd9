"""Language: Bahasa Indonesia unless the user chose otherwise with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, and many officials' phones
are set to English; the product speaks Indonesian first, so only an explicit choice counts.
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
