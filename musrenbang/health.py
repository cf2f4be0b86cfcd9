"""/sehat/: whether this app server can serve, for the load balancer in front of several.

It answers before any other middleware: no session, no cookie, no sign-in, whatever host name
the probe sends. 200 when the database answers, every migration is applied and the file
storage can be read; 503 naming the part that fails. Nothing personal is said, and the reason
of a failure goes to the log only.
"""

import contextlib
import logging

from django.core.files.storage import default_storage
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponseNotAllowed, JsonResponse

PATH = "/sehat/"
logger = logging.getLogger(__name__)

# Loading the migration graph takes a while; once all are applied they stay applied for the
# life of this process (a deploy that adds some starts new processes).
_migrated = False


def database_ok() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def migrations_ok() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connections["default"])
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def storage_ok() -> bool:
    """One listing of the storage's top: in an object store it proves the address, the keys
    and the bucket; a media folder that does not exist yet only means nothing is stored."""
    with contextlib.suppress(FileNotFoundError):
        default_storage.listdir("")
    return True


CHECKS = {"database": database_ok, "migrations": migrations_ok, "storage": storage_ok}


def health() -> tuple[bool, dict]:
    parts = {}
    for name, check in CHECKS.items():
        try:
            passed = check()
        except Exception as error:  # however it fails, that part fails
            logger.warning("/sehat/: %s fails: %r", name, error)
            passed = False
        parts[name] = "ok" if passed else "error"
    healthy = all(value == "ok" for value in parts.values())
    return healthy, {"status": "ok" if healthy else "error", **parts}


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        healthy, parts = health()
        response = JsonResponse(parts, status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        return response
