"""Middleware of the project: the client's address, addresses no link holds, and the language.

Language: Bahasa Indonesia unless the user chose otherwise with the language switch. Django's
LocaleMiddleware would follow the browser's Accept-Language, and many officials' phones are set
to English; the product speaks Indonesian first, so only an explicit choice counts.
"""

import ipaddress
import re

from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
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
    itself is never believed, so nobody can sign an audit entry with someone else's address.
    With the load balancers on other machines (PROXY_ADDRESSES), the header counts only on a
    connection from one of them; a client reaching the app server directly keeps its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.META.pop("HTTP_X_FORWARDED_FOR", "")
        if settings.BEHIND_PROXY and forwarded.strip() and _from_proxy(request):
            request.META["REMOTE_ADDR"] = forwarded.split(",")[-1].strip()
        return self.get_response(request)


def _from_proxy(request) -> bool:
    if not settings.PROXY_ADDRESSES:  # gunicorn on loopback: only the local proxy reaches it
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.PROXY_ADDRESSES)


# Control characters: no link holds them, and PostgreSQL cannot even compare text with a NUL in
# it, so a view looking one up would fail with a server error. A tab may be pasted into a search
# box; nowhere else does one belong.
_CONTROL_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_QUERY = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class BadAddressMiddleware:
    """A control character (%00, say) stops a request before any view reads it: in the path
    no page has such an address (404); in the query the page cannot be asked that (400, and a
    page that says so). Broken percent-encoding needs no check here: Django keeps it as typed
    in a path and reads it as U+FFFD in a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _CONTROL_IN_PATH.search(request.path):
            raise Http404
        if any(
            _CONTROL_IN_QUERY.search(text)
            for name, values in request.GET.lists()
            for text in (name, *values)
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)
