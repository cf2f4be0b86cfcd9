"""Faults: PostgreSQL dropping every connection (as a restart does) while the app serves.

The app runs as in production: a gunicorn sync worker that keeps its database connection from
request to request (CONN_MAX_AGE). A second connection then terminates every other server
process of the database, which is what a restart of PostgreSQL does to its clients. The next
request must be answered without restarting the app, and what was committed before must still
be there.
"""

import itertools
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from importlib import import_module
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection

from proposals.models import Status

ROOT = Path(__file__).resolve().parent.parent
CSRF = "c" * 32


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def gunicorn(tmp_path):
    """One sync worker on the test database, with the project's own settings."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL fault")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "musrenbang.settings",
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "600",
        "MEDIA_ROOT": str(tmp_path),
        "HOME": str(tmp_path),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "musrenbang.wsgi", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/lacak/", timeout=5)
            break
        except OSError:  # refused, reset, or a first answer slower than 5 s on a busy machine
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(10)


def _terminate_every_other_backend() -> int:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        killed = other.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    connection.close()  # the test's own connection was one of them
    return killed


def _as(user):
    """An opener carrying a session of `user`, made the way Django's sign-in makes one."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    opener.addheaders = [("Cookie", f"sessionid={store.session_key}; csrftoken={CSRF}")]
    return opener


def _status(opener, url, data=None) -> int:
    try:
        return opener.open(urllib.request.Request(url, data=data)).status
    except urllib.error.HTTPError as answer:
        return answer.code


@pytest.mark.django_db(transaction=True)
def test_the_app_answers_again_after_postgresql_drops_its_connections(
    lurah_kenari, proposal_kenari, gunicorn
):
    opener = _as(lurah_kenari)
    detail = f"{gunicorn}{proposal_kenari.get_absolute_url()}"
    assert _status(opener, detail) == 200
    # A committed write through the app: the lurah accepts the proposal.
    accept = f"{gunicorn}/usulan/{proposal_kenari.pk}/terima/"
    assert _status(opener, accept, f"csrfmiddlewaretoken={CSRF}".encode()) == 302

    assert _terminate_every_other_backend() >= 1

    # The worker's kept connection is dead; the next request finds out, reconnects and
    # answers; nothing committed was lost.
    assert _status(opener, detail) == 200
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.status == Status.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_under_load_no_acknowledged_write_is_lost_and_the_app_recovers(
    lurah_kenari, kelompok_kenari, gunicorn
):
    """Six clients enter attendance while every connection is cut twice: each entry the app
    acknowledged is in the list exactly once, and once the cuts are over every request is
    answered."""
    url = f"{gunicorn}/sidang/{kelompok_kenari.pk}/hadir/"
    answers: list[tuple[float, str, int]] = []
    stop = threading.Event()

    def client(number: int) -> None:
        opener = _as(lurah_kenari)
        for n in itertools.count():
            if stop.is_set():
                return
            name = f"Peserta {number}-{n}"
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": CSRF, "category": "pkk", "name": name,
                 "presence": "luring"}
            ).encode()  # fmt: skip
            try:
                status = _status(opener, url, body)
            except OSError:  # refused, reset or timed out
                status = 0  # the connection itself broke: not acknowledged
            answers.append((time.monotonic(), name, status))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    for _ in range(2):
        assert _terminate_every_other_backend() >= 1
        time.sleep(0.5)
    cut_over = time.monotonic()
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join(30)

    acknowledged = [name for _at, name, status in answers if status == 302]
    stored = list(kelompok_kenari.participants.values_list("name", flat=True))
    assert acknowledged and sorted(acknowledged) == sorted(
        name for name in stored if name in set(acknowledged)
    )
    assert len(stored) == len(set(stored))  # nothing written twice
    # A refused request was never acknowledged (and so, if stored, not counted as lost)...
    assert set(stored) - set(acknowledged) <= {n for _a, n, s in answers if s >= 500 or s == 0}
    # ...and after the cuts every request is answered.
    after = [status for at, _name, status in answers if at > cut_over + 0.2]
    assert after and set(after) == {302}
