"""`make cluster`: the one-box rehearsal of a deployment on several machines (docs/scaling.md).

On this machine, in a temporary folder and listening on loopback only: a PostgreSQL primary and
a streaming replica (pg_basebackup -R), an S3-compatible object store (OpenStack Swift with
s3api), two gunicorn app servers with their own media and temporary folders, the notice worker,
and HAProxy in front. The bench's data (bench/generate.py) is loaded on the primary; the bench's
50-client mixed load runs through HAProxy while app server A is stopped (SIGTERM, graceful) and
later started again. Then every acknowledged write is looked for on the primary and on the
replica, and every stored file is read straight from each app server.

    python -m bench.cluster [--size 1451] [--seconds 60] [--stop-at 20] [--start-at 40]

It prints its report and exits 1 when an acknowledged write is lost, a stored file cannot be
read from a server, or a client saw an error away from the stop. Everything it started stops
on the way out, also after an error or Ctrl-C, and the temporary folder is removed.
"""

import argparse
import hashlib
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

import psycopg

from bench import client
from bench.components import AppServer, HAProxy, Postgres, Worker, http_get
from bench.rehearsal import Rehearsal, StoredFile, Timeline, Written, report
from bench.run import (
    LOAD_CLIENTS,
    LOAD_MIX,
    ROOT,
    _busy_percent,
    _free_port,
    _multipart,
    _pages,
    _session_cookie,
)
from bench.run import (
    _environment as bench_environment,
)

LOGS = ROOT / "build" / "cluster" / "logs"
SWIFT_STORE = ROOT / "scripts" / "swift_store.py"
BUCKET = "musrenbang"
SERVERS = ("a", "b")
STOPPED = "a"
# The bench's mix, plus downloads of a stored berita acara (the one closed before the load).
CLUSTER_MIX = {**LOAD_MIX, "berita acara": 3}


def _log(line: str) -> None:
    print(line, flush=True)


def _environment(postgres: Postgres, store: dict[str, str], site_port: int) -> dict[str, str]:
    """What every process of the app gets: the benchmark's production-like settings, with this
    rehearsal's database, object store and address. The replica is the app servers' alone (see
    _server_environment)."""
    return {
        **os.environ,
        **bench_environment(),
        **store,
        "DATABASE_URL": postgres.primary_url,
        "SITE_URL": f"http://127.0.0.1:{site_port}",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }


# -- Setting up -------------------------------------------------------------------------------


def _object_store(folder: Path, stack: ExitStack) -> dict[str, str]:
    """Start the Swift store (scripts/swift_store.py) with a bucket; the S3_* variables that
    reach it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("swift_store", SWIFT_STORE)
    swift_store = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(swift_store)
    store = swift_store.SwiftStore(folder)
    stack.callback(store.stop)
    store.start()
    store.create_bucket(BUCKET)
    _log(f"  Swift (S3 API) on {store.endpoint_url}, bucket {BUCKET}")
    return store.environment(BUCKET)


def _data(size: int):
    """Schema, cache table, static files and the bench's data, on the primary."""
    from django.core.management import call_command

    from bench.generate import generate

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    summary = generate(size=size, log=lambda line: None)
    _log(f"  migrated and generated {size:,} proposals ({time.monotonic() - started:.0f} s)")
    return summary


def _post(port: int, path: str, cookie: str, body: bytes, content_type: str, csrf: str):
    request = client.Request(
        "POST",
        path,
        {"Cookie": f"sessionid={cookie}; csrftoken={csrf}", "Content-Type": content_type},
        body,
    )
    connection = client.Client("127.0.0.1", port)
    try:
        return connection.send(request)
    finally:
        connection.close()


def _close_minutes_sidang(summary, a: AppServer, b: AppServer) -> tuple[str, str]:
    """Close Senen's musrenbang kecamatan through server A, which renders and stores its berita
    acara; upload the scan of its signed copy through server B. The servers' names, in order."""
    superuser = _session_cookie("admin")
    csrf = secrets.token_hex(16)
    reason = "Dibahas dalam rapat dan disepakati peserta."
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "reason-all": reason,
            "shortfall_reason": reason,
            "over_ceiling_reason": reason,
        }
    ).encode()
    path = f"/sidang/{summary.minutes_sidang_id}/"
    closed = _post(
        a.port, path + "tutup/", superuser, body, "application/x-www-form-urlencoded", csrf
    )
    if closed.status != 302:
        raise RuntimeError(f"closing the sidang through server A answered {closed.status}")
    status, pdf = http_get(a.port, path + "berita-acara.pdf", {"Cookie": f"sessionid={superuser}"})
    if status != 200:
        raise RuntimeError(f"the stored berita acara answered {status} on server A")
    body, content_type = _multipart(
        {"csrfmiddlewaretoken": csrf}, "file", "pindaian.pdf", pdf, "application/pdf"
    )
    scanned = _post(b.port, path + "pindaian/", superuser, body, content_type, csrf)
    if scanned.status != 302:
        raise RuntimeError(f"uploading the scan through server B answered {scanned.status}")
    return a.name, b.name


# -- The load, and server A stopped and started under it ---------------------------------------


def _stop_and_start(
    server: AppServer, haproxy: HAProxy, started: float, stop_at: float, start_at: float
):
    """A thread that stops `server` at `stop_at` s and starts it at `start_at` s, noting when
    HAProxy stopped and resumed sending it requests. Returns (thread, timeline, failures)."""
    timeline = Timeline(stopped=stop_at)
    failures: list[BaseException] = []

    def now() -> float:
        return time.perf_counter() - started

    def until(what, seconds: float) -> float | None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if what():
                return now()
            time.sleep(0.02)
        return None

    def run() -> None:
        try:
            time.sleep(max(0.0, stop_at - now()))
            timeline.stopped = now()
            server.terminate()
            timeline.left = until(lambda: server.name not in haproxy.up(), 30)
            timeline.exited = until(lambda: not server.running, 60)
            time.sleep(max(0.0, start_at - now()))
            timeline.started = now()
            server.start()
            timeline.ready = now()
            timeline.back = until(lambda: server.name in haproxy.up(), 60)
        except BaseException as error:  # reported by the rehearsal, not lost in the thread
            failures.append(error)

    thread = threading.Thread(target=run, daemon=True)
    return thread, timeline, failures


def _written(load, mix, database: str, url: str) -> Written:
    found = load.check(mix, url)
    return Written(
        database=database,
        saves_acknowledged=len(mix.acknowledged("ranking save")),
        version_raised_by=found["version_raised_by"],
        entries_acknowledged=len(mix.acknowledged("attendance entry")),
        attendance_missing=found["attendance_missing"],
        attendance_duplicates=found["attendance_duplicates"],
        proposals_acknowledged=len(mix.acknowledged("proposal entry"))
        + len(mix.acknowledged("photo upload")),
        proposals_missing=found["proposals_missing"],
        photos_acknowledged=len(mix.acknowledged("photo upload")),
        photos_missing=found["photos_missing"],
    )


# -- Stored files, read straight from each server ---------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(servers: list[AppServer], path: str, headers: dict | None = None) -> dict:
    """The SHA-256 of what each server answers for `path` (None unless 200), and the size."""
    read, size = {}, 0
    for server in servers:
        status, body = http_get(server.port, path, headers)
        read[server.name] = _sha256(body) if status == 200 else None
        size = max(size, len(body) if status == 200 else 0)
    return {"read": read, "size": size}


def _stored_files(mix, summary, servers: list[AppServer], closed_by: tuple[str, str], url: str):
    """Every photo the load stored, the berita acara and its scan: what the database (or the
    object store itself, for a photo) says each is, and what each server serves."""
    from django.core.files.storage import default_storage

    from bench.run import _proposal_id

    rw = {"Cookie": f"sessionid={_session_cookie('rw.kenari.001')}"}
    uploads = {_proposal_id(a.location): a.server for a in mix.acknowledged("photo upload")}
    files = []
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT id, proposal_id, file FROM proposals_attachment "
            "WHERE kind = 'photo' AND proposal_id = ANY(%s) ORDER BY id",
            [list(uploads)],
        ).fetchall()
        minutes = connection.execute(
            "SELECT m.code, m.file, m.sha256, s.file, s.sha256 FROM sidang_minutes m "
            "LEFT JOIN sidang_signedscan s ON s.minutes_id = m.id WHERE m.sidang_id = %s",
            [summary.minutes_sidang_id],
        ).fetchone()
    for pk, proposal, name in rows:
        try:
            with default_storage.open(name, "rb") as stored:
                sha = _sha256(stored.read())
        except Exception:  # not in the store: unreadable, whatever a server answers
            sha = ""
        path = f"/usulan/{proposal}/lampiran/{pk}/"
        files.append(StoredFile("photo", name, uploads[proposal], sha, **_read(servers, path, rw)))
    if minutes is not None:
        code, name, sha, scan_name, scan_sha = minutes
        path = f"/verifikasi/{code}/berita-acara.pdf"
        files.append(StoredFile("berita acara", name, closed_by[0], sha, **_read(servers, path)))
        if scan_name:
            read = _read(servers, f"/verifikasi/{code}/pindaian")
            files.append(StoredFile("wet-signed scan", scan_name, closed_by[1], scan_sha, **read))
    return files


# -- The run ----------------------------------------------------------------------------------


def rehearse(folder: Path, stack: ExitStack, options) -> Rehearsal:
    _log(f"Setting up in {folder}")
    postgres = Postgres(folder / "pg")
    stack.callback(postgres.stop)
    postgres.start()
    _log(
        f"  PostgreSQL primary on 127.0.0.1:{postgres.primary.port}, streaming replica on "
        f"127.0.0.1:{postgres.replica.port}"
    )
    store = _object_store(folder / "swift", stack)
    site_port = _free_port()
    env = _environment(postgres, store, site_port)
    os.environ.update(env)
    import django

    django.setup()
    summary = _data(options.size)
    from django.db import connections

    server_env = {**env, "BEHIND_PROXY": "1", "DATABASE_REPLICA_URL": postgres.replica_url}
    servers = [AppServer(name, folder / f"app-{name}", server_env) for name in SERVERS]
    for server in servers:
        stack.callback(server.stop)
        server.start()
    worker = Worker(folder / "worker", env)
    stack.callback(worker.stop)
    worker.start()
    haproxy = HAProxy(folder / "haproxy", {s.name: s.port for s in servers}, port=site_port)
    stack.callback(haproxy.stop)
    haproxy.start()
    a, b = servers
    _log(
        f"  app servers a on 127.0.0.1:{a.port} and b on 127.0.0.1:{b.port}, the notice worker, "
        f"HAProxy on 127.0.0.1:{haproxy.port}"
    )
    closed_by = _close_minutes_sidang(summary, a, b)
    _log("  Senen's musrenbang kecamatan closed through a, the scan of its berita acara via b")

    _, load = _pages(summary, CLUSTER_MIX, postgres.primary_url)
    load.reset()
    connections.close_all()
    postgres.replay_wait()  # the sessions the clients sign in with, on the replica too
    busy = _busy_percent()  # others' work on the machine slows every figure
    _log(
        f"Load: {LOAD_CLIENTS} clients for {options.seconds:.0f} s through HAProxy; server a "
        f"stopped at {options.stop_at:.0f} s and started at {options.start_at:.0f} s"
    )
    before = postgres.transactions()
    grown_from = _growth(postgres.primary_url)
    started = time.perf_counter()
    thread, timeline, failures = _stop_and_start(
        a, haproxy, started, options.stop_at, options.start_at
    )
    thread.start()
    try:
        mix = client.mixed(
            "127.0.0.1",
            haproxy.port,
            load.choose,
            clients=LOAD_CLIENTS,
            seconds=options.seconds,
            started=started,
        )
    finally:
        thread.join(90)
    if failures:
        raise failures[0]
    replay = postgres.replay_wait()
    after = postgres.transactions()
    grown_to = _growth(postgres.primary_url)
    try:
        written = [
            _written(load, mix, "primary", postgres.primary_url),
            _written(load, mix, "replica", postgres.replica_url),
        ]
    finally:
        load.close()
    files = _stored_files(mix, summary, servers, closed_by, postgres.primary_url)
    return Rehearsal(
        servers=list(SERVERS),
        stopped_server=STOPPED,
        seconds=mix.seconds,
        answers=mix.answers,
        timeline=timeline,
        written=written,
        files=files,
        on_disk={s.name: len(s.files_on_disk()) for s in servers},
        replay_seconds=replay,
        transactions={name: after[name] - before[name] for name in after},
        notes=[_growth_note(grown_from, grown_to)],
        setup=[
            f"Rehearsal on {os.cpu_count()} cores: HAProxy, app servers a and b (gunicorn, "
            f"{servers[0].workers} workers each), the notice worker, PostgreSQL "
            f"{_server_version(postgres.primary_url)} primary and streaming replica, OpenStack "
            f"Swift (S3 API); {options.size:,} proposals; the machine {busy:.0f} % busy with "
            "other work before the load",
        ],
    )


def _logs_keep(folder: Path) -> None:
    """Every process's log, copied to build/cluster/logs/ before the folder goes."""
    LOGS.mkdir(parents=True, exist_ok=True)
    for old in LOGS.glob("*.log"):
        old.unlink()
    for log in folder.rglob("*.log"):
        name = "-".join(log.relative_to(folder).parts)
        shutil.copyfile(log, LOGS / name)


def _growth(url: str) -> tuple[int, int, int]:
    """The database's size in bytes, its last audit entry and the bytes of all its entries."""
    with psycopg.connect(url) as connection:
        return connection.execute(
            "SELECT pg_database_size(current_database()), coalesce(max(id), 0), "
            "coalesce(sum(pg_column_size(l.*)), 0) FROM auditlog_logentry l"
        ).fetchone()


def _growth_note(before: tuple[int, int, int], after: tuple[int, int, int]) -> str:
    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
        entries = connection.execute(
            "SELECT count(*) FROM auditlog_logentry WHERE id > %s", [before[1]]
        ).fetchone()[0]
    average = (after[2] - before[2]) / entries if entries else 0
    return (
        f"The primary grew by {(after[0] - before[0]) / 1024 / 1024:,.1f} MB during the load, "
        f"{entries:,} audit entries among it ({average:,.0f} bytes each on average)"
    )


def _server_version(url: str) -> str:
    with psycopg.connect(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rehearse Musrenbang on several servers.")
    parser.add_argument("--size", type=int, default=1451, help="proposals generated")
    parser.add_argument("--seconds", type=float, default=60, help="of the mixed load")
    parser.add_argument("--stop-at", type=float, default=20, help="second server a is stopped")
    parser.add_argument("--start-at", type=float, default=40, help="second it starts again")
    parser.add_argument("--report", type=Path, help="also write the report to this file")
    options = parser.parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, through the ExitStack: everything started is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    folder = Path(tempfile.mkdtemp(prefix="musrenbang-cluster-"))
    folder.chmod(0o755)  # PostgreSQL runs as its own user, inside
    started = time.monotonic()
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        stack.callback(_logs_keep, folder)
        rehearsal = rehearse(folder, stack, options)
        _log("Stopping everything")
    text = report(rehearsal)
    print(f"\n{text}\n\nDone in {time.monotonic() - started:.0f} s; everything stopped.")
    if options.report:
        options.report.write_text(text + "\n")
    return 1 if rehearsal.problems() else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nInterrupted; everything started is stopped.", file=sys.stderr)
        sys.exit(130)
