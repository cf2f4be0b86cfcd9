"""Settings of the benchmark: the project's own, plus the query counter and the floor page.

Only `make bench` uses them (DJANGO_SETTINGS_MODULE=bench.settings); the project never does.
"""

from musrenbang.settings import *  # noqa: F403
from musrenbang.settings import BASE_DIR, MIDDLEWARE

# Outermost, so the queries of every other middleware count too.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
# Collected for the bench's own gunicorn, away from a deployment's staticfiles/.
STATIC_ROOT = BASE_DIR / "build" / "bench" / "static"
