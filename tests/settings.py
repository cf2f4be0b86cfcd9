"""The project's settings for the tests, with a read replica that is the default database
itself (Django's test MIRROR): the replica's tests (tests/musrenbang/test_replica.py) switch
its router and middleware on for themselves; every other test reads and writes on the default
database alone, as a deployment without a replica does."""

from musrenbang.settings import *  # noqa: F403
from musrenbang.settings import DATABASES, MIDDLEWARE

DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = []
MIDDLEWARE = [name for name in MIDDLEWARE if name != "musrenbang.replica.ReplicaMiddleware"]
