"""Reads from a read replica (DATABASE_REPLICA_URL), and never a read that could miss a write.

Every write goes to the primary ("default"). A request's reads go to the replica only when
nothing in it can have written: its method is GET or HEAD, nothing in it has written so far, it
is not inside a transaction on the primary, and its browser has not written in the last
REPLICA_PIN_SECONDS (a signed cookie, "pinned"), so nobody sees their own change vanish while
the replica catches up. Sessions, sign-ins, lockouts and the cache are always read on the
primary: a session written at sign-in must be there on the very next page, however far the
replica lags. Outside a request (commands, the notice worker) everything is on the primary.

The pin is a signed cookie rather than a mark in the session: it costs no query and no session
write, it pins a visitor without a session as well (the language switch is a POST), and its
signature carries the time it was set, so it expires on the server's clock whatever the
browser does with it.

Without a replica the router and the middleware are not installed (see settings).
"""

import contextvars
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "primary"
PIN_SALT = "musrenbang.replica.pin"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Read on the primary in every request: sessions, sign-ins and lockouts, and the cache (its
# entries are written as pages are read; a stale one would only be computed again, but it
# costs one indexed read either way).
PRIMARY_APPS = frozenset({"sessions", "auth", "axes", "contenttypes", "django_cache"})
# Writes that need no pin: they are read on the primary anyway.
UNPINNED_WRITES = frozenset({"sessions", "django_cache"})


@dataclass
class Reading:
    """What the router knows of the request in flight."""

    replica: bool  # a GET or HEAD of a browser that has not written lately
    wrote: bool = False


_request: contextvars.ContextVar[Reading | None] = contextvars.ContextVar(
    "replica_reading", default=None
)


def _always_primary(model) -> bool:
    return model._meta.app_label in PRIMARY_APPS or model._meta.label == settings.AUTH_USER_MODEL


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reading = _request.get()
        if (
            reading is None
            or not reading.replica
            or reading.wrote
            or _always_primary(model)
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        reading = _request.get()
        if reading is not None and model._meta.app_label not in UNPINNED_WRITES:
            reading.wrote = True  # from now on this request reads on the primary
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # One database seen twice: an object read on the replica may point at one written.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def pinned(request) -> bool:
    return (
        request.get_signed_cookie(
            PIN_COOKIE, default=None, salt=PIN_SALT, max_age=settings.REPLICA_PIN_SECONDS
        )
        is not None
    )


class ReplicaMiddleware:
    """Tells the router what the request is, and pins the browser to the primary for
    REPLICA_PIN_SECONDS after a request that was not a GET or HEAD, or that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reading = Reading(replica=request.method in SAFE_METHODS and not pinned(request))
        token = _request.set(reading)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if request.method not in SAFE_METHODS or reading.wrote:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
