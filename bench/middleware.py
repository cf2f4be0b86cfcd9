"""Counts each request's SQL queries and their time, and returns both in response headers.

Installed only by bench.settings; the load client reads the headers.
"""

import time
from contextlib import ExitStack

from django.db import connections

QUERIES_HEADER = "X-Bench-Queries"
QUERY_MS_HEADER = "X-Bench-Query-Ms"


class _Counter:
    """An execute wrapper (Django's hook around every query) that counts and times."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


class QueryCountMiddleware:
    """Outermost middleware: every query of the request, the other middleware's included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        # A view that queries outside Django (the floor) adds its own.
        count = counter.count + getattr(request, "bench_raw_queries", 0)
        seconds = counter.seconds + getattr(request, "bench_raw_seconds", 0.0)
        response[QUERIES_HEADER] = str(count)
        response[QUERY_MS_HEADER] = f"{seconds * 1000:.2f}"
        return response
