"""WSGI entry point (gunicorn musrenbang.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musrenbang.settings")
application = get_wsgi_application()

# What the worker has loaded (Django, the project, WeasyPrint) lives as long as the worker: out
# of the collector's sight, each full collection walks only what requests leave behind.
gc.freeze()
