"""`make bench`: per size, a fresh PostgreSQL database of synthetic data served by gunicorn and
measured over loopback; the figures go to docs/benchmarks.json and docs/benchmarks.md.

    python -m bench.run [SIZE ...]        # default: 1451 100000 1000000

Everything stops by itself: every phase is bounded, and gunicorn is stopped on the way out,
also after an error or Ctrl-C.
"""

import argparse
import datetime
import functools
import io
import itertools
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "bench"
JSON_PATH = ROOT / "docs" / "benchmarks.json"
MARKDOWN_PATH = ROOT / "docs" / "benchmarks.md"
DEFAULT_SIZES = (1451, 100_000, 1_000_000)
DATABASE = "musrenbang_bench"


def _database_url() -> str:
    """BENCH_DATABASE_URL; else DATABASE_URL's PostgreSQL server and role; else the local one."""
    if url := os.environ.get("BENCH_DATABASE_URL"):
        return url
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return urlsplit(url)._replace(path=f"/{DATABASE}").geturl()
    return f"postgres://musrenbang:musrenbang@127.0.0.1:5432/{DATABASE}"


DATABASE_URL = _database_url()  # read before main() points DATABASE_URL at it
IMPORT_ROWS = 10_000
BULK_DECISIONS = 100
SEARCH_WORD = "resapan"  # in the titles of "Pembangunan sumur resapan" (a few % of proposals)
READY_SECONDS = 30
STOP_SECONDS = 10


def _environment() -> dict[str, str]:
    """The production-like settings gunicorn (and this process) run with."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "BEHIND_PROXY": "0",
        "DATABASE_URL": DATABASE_URL,
        "MEDIA_ROOT": str(BUILD / "media"),
        "LOG_LEVEL": "WARNING",
    }


# -- Database ---------------------------------------------------------------------------------


def _database_recreate() -> None:
    from django.db import connections

    connections.close_all()
    name = psycopg.conninfo.conninfo_to_dict(DATABASE_URL)["dbname"]
    maintenance = psycopg.conninfo.make_conninfo(DATABASE_URL, dbname="postgres")
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _vacuum() -> None:
    """Set hint bits and the visibility map now, so autovacuum does not run mid-measurement."""
    from bench.generate import BIG_TABLES

    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute(f"VACUUM (ANALYZE) {', '.join(BIG_TABLES)}")
        connection.execute("ANALYZE")


def _server_version() -> str:
    with psycopg.connect(DATABASE_URL) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


# -- gunicorn ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not listen within {READY_SECONDS} s")

    def workers(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists():
            return [int(p) for p in children.read_text().split()]
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(stat.parent.name))
            except (OSError, IndexError, ValueError):
                continue
        return found

    def peak_memory_mb(self) -> list[float]:
        """VmHWM (peak resident set) of each worker, in MB."""
        peaks = []
        for pid in self.workers():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(round(int(line.split()[1]) / 1024, 1))
            except OSError:
                continue
        return peaks

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(STOP_SECONDS)


def _gunicorn_start(log_path: Path) -> Server:
    port = _free_port()
    log = log_path.open("ab")
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "musrenbang.wsgi",
        "--workers", "2",
        "--no-control-socket",
        "--bind", f"127.0.0.1:{port}",
        "--timeout", "120",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=log, start_new_session=True
    )
    log.close()
    server = Server(process, port)
    try:
        server.wait_ready()
    except BaseException:
        server.stop()
        raise
    return server


# -- What is measured -------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    build: Callable  # () -> client.Request
    expect: int = 200
    warmup: int = 20
    count: int = 200
    budget: float = 30.0
    concurrent: bool = True


def _session_cookie(username: str) -> str:
    """Sign the user in server-side: the client only sends the session cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from areas.models import User

    user = User.objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _import_file(rows: int) -> bytes:
    """`rows` valid proposals for Jakarta Pusat in the import template."""
    from openpyxl import load_workbook

    from areas.models import Area
    from proposals.models import CatalogueItem
    from proposals.spreadsheet import template_xlsx

    workbook = load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook.worksheets[0]
    sheet.delete_rows(2)  # the example row
    rws = list(Area.objects.rw().filter(code__startswith="31.71.").values_list("code", flat=True))
    items = list(
        CatalogueItem.objects.filter(unit__kota__code="31.71", active=True).values_list(
            "code", "name", "category", "unit__code", "measure", "unit_price"
        )
    )
    rng = random.Random(rows)
    for i in range(rows):
        code, name, category, unit, measure, price = items[i % len(items)]
        sheet.append(
            [
                rws[rng.randrange(len(rws))], f"{name} (impor {i + 1})",
                "Diusulkan warga melalui lembar kerja kelurahan.", code, category, unit,
                rng.randint(1, 200), measure, price, f"Jl. Percetakan Negara No. {i % 200 + 1}",
                f"{rng.randint(1, 12):03d}", None, None, rng.randint(5, 150) * 10,
            ]
        )  # fmt: skip
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _multipart(
    fields: dict[str, str], file_field: str, file_name: str, content: bytes, file_type: str = XLSX
):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            .encode()
        )  # fmt: skip
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: {file_type}\r\n\r\n'.encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def photo_jpeg(width: int = 2592, height: int = 1944, seed: int = 7) -> bytes:
    """A camera-sized JPEG with a photo's texture (a smooth scene, detail at every scale and
    sensor noise), so that storing it costs what a phone's photo costs: decoded, scaled to
    2,000 px and encoded again."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    scene = Image.new("RGB", (width, height))
    for cells in (4, 16, 64, 256):  # detail at several scales, as in a street scene
        layer = Image.frombytes(
            "RGB", (cells, cells * 3 // 4), rng.randbytes(cells * (cells * 3 // 4) * 3)
        ).resize((width, height), Image.Resampling.BICUBIC)
        scene = Image.blend(scene, layer, 0.5)
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    scene = Image.blend(scene.filter(ImageFilter.SMOOTH), noise, 0.12)
    output = io.BytesIO()
    scene.save(output, "JPEG", quality=92)
    return output.getvalue()


@dataclass
class Load:
    """The mixed load: what the n-th request of the run is, and how to check the writes.

    `reset()` notes the database's state before the load; `check(mix, url)` looks in the
    database at `url` (by default the bench's) for every write the load's clients saw
    acknowledged."""

    choose: Callable[[int], tuple[str, object]]
    check: Callable[..., dict]
    reset: Callable[[], None]
    close: Callable[[], None]


def _pages(summary, mix=None, database_url: str = "") -> tuple[list[Page], Load]:
    """The pages measured, and the mixed load over them (`mix`, by default LOAD_MIX, with its
    writes checked in the database at `database_url`, by default the bench's)."""
    from django.utils.http import urlencode

    from areas.models import Area
    from bench.client import Request
    from bench.generate import BENCH_USERS, KENARI, SENEN
    from sessions.models import Candidate, Sidang
    from sessions.services import utama_refusal

    csrf = secrets.token_hex(16)  # an unmasked CSRF secret: the cookie and the form field
    cookies = {role: _session_cookie(name) for role, name in BENCH_USERS.items()}

    def get(path: str, user: str | None = None) -> Callable:
        headers = {"Cookie": f"sessionid={cookies[user]}"} if user else {}
        return lambda: Request("GET", path, headers)

    def post(path: str, user: str, body: bytes, content_type: str) -> Request:
        headers = {
            "Cookie": f"sessionid={cookies[user]}; csrftoken={csrf}",
            "Content-Type": content_type,
        }
        return Request("POST", path, headers, body)

    senen, kenari = Area.objects.get(code=SENEN), Area.objects.get(code=KENARI)
    table_filter = urlencode({"kecamatan": senen.pk, "kelurahan": kenari.pk})
    survey_filter = urlencode({"kecamatan": senen.pk, "kelurahan": kenari.pk, "urut": "lama"})
    sessions_filter = urlencode({"kind": "kelompok", "kecamatan": senen.pk})
    # The tracker, as a link from Kenari's notice board: its RW 001, first page.
    rw = Area.objects.rw().within(kenari).order_by("code").first()
    tracker = urlencode(
        {"kota": senen.parent_id, "kecamatan": senen.pk, "kelurahan": kenari.pk, "rw": rw.pk}
    )

    ranking_path = f"/sidang/{summary.ranking_sidang_id}/peringkat/"
    candidates = list(
        Candidate.objects.filter(sidang_id=summary.ranking_sidang_id)
        .order_by("proposal__code")
        .select_related("proposal", "sidang__cycle")
    )
    utama = [c.pk for c in candidates if not utama_refusal(c.proposal, c.sidang.cycle)][:5]
    candidates = [(c.pk, c.proposal.recommendation) for c in candidates]
    saves = itertools.count()

    def ranking_post(version: int, n: int) -> Request:
        """The n-th save moves the last two candidates past each other when n is odd, back when
        it is even, so every save writes."""
        fields = {"csrfmiddlewaretoken": csrf, "version": version, "action": "save"}
        order = list(candidates)
        if n % 2:
            order[-2], order[-1] = order[-1], order[-2]
        for rank, (pk, _rec) in enumerate(order, start=1):
            fields[f"rank-{pk}"] = rank
            fields[f"decision-{pk}"] = "utama" if pk in utama else "cadangan"
            fields[f"reason-{pk}"] = ""
        body = urlencode(fields).encode()
        return post(ranking_path, "superuser", body, "application/x-www-form-urlencoded")

    def ranking_save() -> Request:
        version = Sidang.objects.values_list("ranking_version", flat=True).get(
            pk=summary.ranking_sidang_id
        )
        return ranking_post(version, next(saves))

    spreadsheet = functools.cache(lambda: _import_file(IMPORT_ROWS))

    # The planning office's bulk decision: the same 100 proposals not accommodated again, each
    # time with a new journey step, audit entry and RW notice each.
    from proposals.models import Proposal, Status

    refused = Proposal.objects.filter(status=Status.NOT_ACCOMMODATED).order_by("pk")
    bulk_body = urlencode(
        [
            ("csrfmiddlewaretoken", csrf),
            *(("usulan", pk) for pk in refused.values_list("pk", flat=True)[:BULK_DECISIONS]),
            ("kind", "not_accommodated"),
            ("reason", "Tidak tersedia pagu anggaran pada tahun rencana."),
            ("confirmed", "1"),
        ]
    ).encode()

    def bulk_decision() -> Request:
        return post(
            "/usulan/keputusan/", "superuser", bulk_body, "application/x-www-form-urlencoded"
        )

    # The lurah's bulk acceptance, up to its confirmation (which changes nothing): 100 submitted
    # proposals chosen in the table, listed with their kelurahan, status and cost (asked as the
    # superuser, whom every kelurahan's submissions reach).
    submitted = Proposal.objects.filter(status=Status.SUBMITTED).order_by("pk")
    validation_body = urlencode(
        [
            ("csrfmiddlewaretoken", csrf),
            *(("usulan", pk) for pk in submitted.values_list("pk", flat=True)[:BULK_DECISIONS]),
            ("langkah", "terima"),
        ]
    ).encode()

    def bulk_validation() -> Request:
        return post(
            "/usulan/validasi/", "superuser", validation_body, "application/x-www-form-urlencoded"
        )

    def import_rows() -> Request:
        body, content_type = _multipart(
            {"csrfmiddlewaretoken": csrf, "cycle": str(summary.jp24_cycle_id)},
            "file",
            "usulan-bench.xlsx",
            spreadsheet(),
        )
        return post("/usulan/impor/", "planning", body, content_type)

    pages = [
        Page("floor", get("/bench/floor/")),
        Page("admin changelist", get("/admin/proposals/proposal/", "superuser")),
        Page("table", get("/usulan/", "planning")),
        Page("table filtered by kelurahan", get(f"/usulan/?{table_filter}", "planning")),
        Page("table sorted by cost", get("/usulan/?sort=-cost", "planning")),
        Page("table page 200", get("/usulan/?page=200", "planning")),
        Page("table free-text search", get(f"/usulan/?q={SEARCH_WORD}", "planning")),
        Page("proposal detail", get(f"/usulan/{summary.detail_proposal_id}/", "planning")),
        Page("recap", get("/rekap/")),
        Page("recap with realisation", get(f"/rekap/?siklus={summary.jp24_cycle_id}")),
        Page("inbox", get("/notifikasi/", "rw")),
        Page("tracker, one RW", get(f"/lacak/?{tracker}")),
        # The table's map view for the planning office over the whole kota: the first 10,000
        # points as compact arrays (proposals.map_views).
        Page("map view of 10,000 points", get("/usulan/peta.json", "planning"), count=100),
        Page("map page", get("/usulan/peta/", "planning")),
        # The lurah's table: the lurah's columns and a selection box on each submitted row.
        Page("table as the lurah", get("/usulan/", "lurah")),
        # Bina Marga's survey queue over the whole kota, and searched within one kelurahan,
        # oldest accepted first (the acceptance date read per row from its index).
        Page("survey queue", get("/survei/", "ukpd")),
        Page("survey queue filtered, oldest first", get(f"/survei/?{survey_filter}", "ukpd")),
        Page("sessions filtered by kecamatan", get(f"/sidang/?{sessions_filter}", "planning")),
        Page("ranking page", get(ranking_path, "superuser")),
        # The planning office's pagu indikatif of every kecamatan and kelurahan of the kota.
        Page("pagu indikatif", get(f"/siklus/{summary.jp24_cycle_id}/pagu/", "planning")),
        Page(
            "closing confirmation",
            get(f"/sidang/{summary.ranking_sidang_id}/tutup/", "superuser"),
        ),
        Page(
            "berita acara",
            get(f"/sidang/{summary.minutes_sidang_id}/berita-acara.pdf", "superuser"),
            warmup=3,
            count=60,
        ),
        Page("ranking save", ranking_save, expect=302, concurrent=False),
        Page(
            "bulk decision of 100",
            bulk_decision,
            expect=302,
            warmup=1,
            count=10,
            concurrent=False,
        ),
        Page("bulk acceptance of 100, confirmation", bulk_validation, concurrent=False),
        Page(
            "import 10,000 rows",
            import_rows,
            expect=302,
            warmup=1,
            count=3,
            budget=600,
            concurrent=False,
        ),
    ]
    load = _load_mix(summary, pages, post, csrf, ranking_post, mix or LOAD_MIX, database_url)
    return pages, load


LOAD_CLIENTS = 50
LOAD_SECONDS = 60
# The mix of the load (weights): reading pages as officials and citizens do, and the writes
# whose every acknowledgement can be checked in the database afterwards: ranking saves,
# attendance entries, and a ketua RW's new proposals, some with a camera-sized photo.
LOAD_MIX = {
    "table": 20,
    "table filtered by kelurahan": 10,
    "table free-text search": 5,
    "proposal detail": 15,
    "recap": 10,
    "tracker, one RW": 15,
    "ranking page": 5,
    "ranking save": 10,
    "attendance entry": 10,
    "proposal entry": 5,
    "photo upload": 2,
}
LOAD_TITLE = "Usulan beban"  # the load's proposals are "Usulan beban 0000042" and so on
ENTRY_WINDOW_DAYS = 60


def _entry_cycle():
    """The cycle the load's ketua RW enters proposals in: Jakarta Pusat's newest if its RW
    window is open today; else a new one whose window opened yesterday (the generated cycles'
    windows are past). Made just before the load, after the pages were measured."""
    import datetime

    from django.utils import timezone

    from areas.models import Area
    from bench.generate import KOTA_JP
    from proposals.models import Cycle
    from sessions.models import DEFAULT_CRITERIA, Criterion

    today = timezone.localdate()
    kota = Area.objects.get(code=KOTA_JP)
    newest = Cycle.objects.filter(kota=kota).order_by("-year").first()
    if newest is not None and newest.rw_window_open(today):
        return newest
    year = max(today.year, newest.year + 1 if newest else today.year)
    cycle = Cycle.objects.create(
        kota=kota,
        year=year,
        code_prefix=f"JP{year % 100:02d}",
        rw_opens=today - datetime.timedelta(days=1),
        rw_closes=today + datetime.timedelta(days=ENTRY_WINDOW_DAYS),
    )
    Criterion.objects.bulk_create(
        Criterion(cycle=cycle, name=name, weight=weight, order=order)
        for order, (name, weight) in enumerate(DEFAULT_CRITERIA)
    )
    return cycle


def _proposal_id(location: str) -> int | None:
    """The proposal a successful entry redirected to (/usulan/<id>/)."""
    match = re.search(r"/usulan/(\d+)/$", location)
    return int(match.group(1)) if match else None


def _load_mix(
    summary, pages, post, csrf, ranking_post, mix=LOAD_MIX, database_url: str = ""
) -> Load:
    """Ranking saves read the current version through one shared connection (not one per
    client thread) and may be refused as stale (409): a refusal is an answer, not an error.
    Every acknowledged save must have raised the version by exactly one, every acknowledged
    attendance entry must be in the list exactly once, and every acknowledged proposal must be
    stored under its title (with its photo, for an upload)."""
    import threading

    from django.utils.http import urlencode

    from bench.client import Request
    from bench.generate import KOTA_JP
    from proposals.models import CatalogueItem

    database_url = database_url or DATABASE_URL
    builders = {page.name: page.build for page in pages}
    weighted = [name for name, weight in mix.items() for _ in range(weight)]
    sidang_id = summary.ranking_sidang_id
    lock = threading.Lock()
    state: dict = {}
    item = CatalogueItem.objects.active().filter(unit__kota__code=KOTA_JP).order_by("pk").first()
    photo = functools.cache(photo_jpeg)

    def reset() -> None:
        _entry_cycle()
        photo()
        with lock:
            if state.get("connection") is None:
                state["connection"] = psycopg.connect(database_url, autocommit=True)
            state["version"] = _version(state["connection"])
            state["participants"] = _participants(state["connection"])[0]

    def _version(connection) -> int:
        return connection.execute(
            "SELECT ranking_version FROM sidang_sidang WHERE id = %s", [sidang_id]
        ).fetchone()[0]

    def _participants(connection) -> tuple[int, int]:
        return connection.execute(
            "SELECT count(*), count(DISTINCT name) FROM sidang_participant "
            "WHERE sidang_id = %s AND name LIKE 'Peserta beban %%'",
            [sidang_id],
        ).fetchone()

    def ranking_save(n: int) -> Request:
        with lock:
            version = _version(state["connection"])
        return ranking_post(version, n)

    def attendance_entry(n: int) -> Request:
        name = f"Peserta beban {n:07d}"
        fields = {
            "csrfmiddlewaretoken": csrf,
            "category": "tokoh_masyarakat",
            "name": name,
            "institution": "Warga",
            "presence": "luring",
        }
        body = urlencode(fields).encode()
        path = f"/sidang/{sidang_id}/hadir/"
        request = post(path, "superuser", body, "application/x-www-form-urlencoded")
        request.tag = name
        return request

    def proposal_fields(title: str) -> dict[str, str]:
        return {
            "csrfmiddlewaretoken": csrf,
            "title": title,
            "catalogue_item": str(item.pk),
            "problem": "Saluran tersumbat dan jalan tergenang setiap hujan deras.",
            "address": "Jl. Kenari II, depan pos RW",
            "rt": "003",
            "volume": "12",
            "beneficiaries": "150",
            "tetap_simpan": "1",  # saved even beside a similar proposal of the RW
        }

    def proposal_entry(n: int) -> Request:
        title = f"{LOAD_TITLE} {n:07d}"
        body = urlencode(proposal_fields(title)).encode()
        request = post("/usulan/baru/", "rw", body, "application/x-www-form-urlencoded")
        request.tag = title
        return request

    def photo_upload(n: int) -> Request:
        title = f"{LOAD_TITLE} {n:07d}"
        body, content_type = _multipart(
            proposal_fields(title), "uploads", "lokasi.jpg", photo(), "image/jpeg"
        )
        request = post("/usulan/baru/", "rw", body, content_type)
        request.tag = title
        return request

    writes = {
        "ranking save": ranking_save,
        "attendance entry": attendance_entry,
        "proposal entry": proposal_entry,
        "photo upload": photo_upload,
    }

    def choose(n: int) -> tuple[str, Request]:
        name = weighted[(n * 7919) % len(weighted)]  # a fixed, well-spread order
        if name in writes:
            return name, writes[name](n)
        return name, builders[name]()

    def check(mix, url: str = "") -> dict:
        """What the database at `url` (the bench's by default) holds of the load's writes."""
        names = [a.tag for a in mix.acknowledged("attendance entry")]
        entries = {
            a.tag: _proposal_id(a.location)
            for kind in ("proposal entry", "photo upload")
            for a in mix.acknowledged(kind)
        }
        uploads = [entries[a.tag] for a in mix.acknowledged("photo upload")]
        with psycopg.connect(url or database_url, autocommit=True) as connection:
            version = _version(connection)
            rows, distinct = _participants(connection)
            present = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sidang_participant WHERE sidang_id = %s AND name = ANY(%s)",
                    [sidang_id, names],
                )
            }
            stored = dict(
                connection.execute(
                    "SELECT id, title FROM proposals_proposal WHERE id = ANY(%s)",
                    [[pk for pk in entries.values() if pk is not None]],
                ).fetchall()
            )
            with_photo = {
                pk
                for (pk,) in connection.execute(
                    "SELECT DISTINCT proposal_id FROM proposals_attachment "
                    "WHERE kind = 'photo' AND proposal_id = ANY(%s)",
                    [uploads],
                )
            }
            titled = connection.execute(
                "SELECT count(*) FROM proposals_proposal WHERE title LIKE %s",
                [f"{LOAD_TITLE} %"],
            ).fetchone()[0]
        return {
            "version_raised_by": version - state["version"],
            "attendance_rows_added": rows - state["participants"],
            "attendance_duplicates": rows - distinct,
            "attendance_missing": len(set(names) - present),
            "proposals_missing": sum(1 for title, pk in entries.items() if stored.get(pk) != title),
            "photos_missing": sum(1 for pk in uploads if pk not in with_photo),
            "proposals_stored": titled,
        }

    def close() -> None:
        with lock:
            if state.get("connection") is not None:
                state["connection"].close()
                state["connection"] = None

    return Load(choose, check, reset, close)


def _measure_load(server: Server, load: Load, size: int, seconds: float) -> dict:
    """50 clients for `seconds` over the mix; zero errors, zero lost or doubled writes."""
    from bench import client

    load.reset()
    try:
        mix = client.mixed(
            "127.0.0.1", server.port, load.choose, clients=LOAD_CLIENTS, seconds=seconds
        )
        written = load.check(mix)
    finally:
        load.close()
    saves = mix.statuses.get("ranking save", {})
    entries = mix.statuses.get("attendance entry", {})
    errors = sum(1 for answer in mix.answers if answer.failed)
    record = {
        "page": LOAD_PAGE,
        "size": size,
        "p50_ms": round(mix.percentile(0.5) * 1000, 2),
        "p95_ms": round(mix.percentile(0.95) * 1000, 2),
        "rps": round(mix.requests / mix.seconds, 1),
        "queries": None,
        "ratio_admin": None,
        "ratio_floor": None,
        "requests": mix.requests,
        "errors": errors,
        "error_samples": mix.errors[:5],
        "statuses": {
            kind: {str(status): count for status, count in sorted(counter.items(), key=str)}
            for kind, counter in sorted(mix.statuses.items())
        },
        "saves_acknowledged": saves.get(302, 0),
        "saves_refused_stale": saves.get(409, 0),
        "entries_acknowledged": entries.get(302, 0),
        "proposals_acknowledged": len(mix.acknowledged("proposal entry"))
        + len(mix.acknowledged("photo upload")),
        "photos_acknowledged": len(mix.acknowledged("photo upload")),
        **written,
    }
    record["lost_or_doubled"] = (
        abs(record["version_raised_by"] - record["saves_acknowledged"])
        + abs(record["attendance_rows_added"] - record["entries_acknowledged"])
        + record["attendance_duplicates"]
        + record["attendance_missing"]
        + record["proposals_missing"]
        + record["photos_missing"]
        + abs(record["proposals_stored"] - record["proposals_acknowledged"])
    )
    record["status"] = "ok" if errors == 0 and record["lost_or_doubled"] == 0 else "failed"
    print(
        f"  {LOAD_PAGE:<30} {record['requests']} requests, {record['rps']} req/s, "
        f"p50 {record['p50_ms']:.0f} ms, p95 {record['p95_ms']:.0f} ms, errors {errors}, "
        f"saves {record['saves_acknowledged']} (+{record['saves_refused_stale']} stale), "
        f"entries {record['entries_acknowledged']}, proposals {record['proposals_acknowledged']} "
        f"({record['photos_acknowledged']} with a photo), "
        f"lost or doubled {record['lost_or_doubled']}",
        flush=True,
    )
    return record


# -- One size ---------------------------------------------------------------------------------


def _measure_page(server: Server, page: Page, size: int, options) -> dict:
    from bench import client

    count = min(page.count, options.count)
    timing = client.latency(
        "127.0.0.1",
        server.port,
        page.build,
        warmup=min(page.warmup, count),
        count=count,
        budget=page.budget,
    )
    rps = None
    if page.concurrent and options.seconds > 0:
        load = client.throughput(
            "127.0.0.1", server.port, page.build, clients=8, seconds=options.seconds
        )
        rps = round(load.rps, 1)
    return {
        "page": page.name,
        "size": size,
        "p50_ms": round(timing.percentile(0.5) * 1000, 2),
        "p95_ms": round(timing.percentile(0.95) * 1000, 2),
        "rps": rps,
        "queries": timing.queries,
        "ratio_admin": None,
        "ratio_floor": None,
        "queries_max": timing.queries_max,
        "status": timing.statuses.most_common(1)[0][0],
        "expected_status": page.expect,
        "requests": len(timing.exchanges),
        "db_ms_p50": None if timing.query_ms is None else round(timing.query_ms, 2),
    }


def _measure(server: Server, pages: list[Page], size: int, options) -> list[dict]:
    records = []
    for page in pages:
        try:
            record = _measure_page(server, page, size, options)
        except Exception as error:  # a page that breaks the connection is a figure too
            record = {
                "page": page.name, "size": size, "p50_ms": None, "p95_ms": None, "rps": None,
                "queries": None, "ratio_admin": None, "ratio_floor": None,
                "status": f"error: {type(error).__name__}: {error}"[:200],
                "expected_status": page.expect, "requests": 0, "db_ms_p50": None,
            }  # fmt: skip
            print(f"  {page.name:<30} {record['status']}", flush=True)
            records.append(record)
            continue
        records.append(record)
        status, rps = record["status"], record["rps"]
        print(
            f"  {page.name:<30} HTTP {status}{'' if status == page.expect else ' (!)'}  "
            f"p50 {record['p50_ms']:>8.1f} ms  p95 {record['p95_ms']:>8.1f} ms  "
            f"{'' if rps is None else f'{rps:>6.1f} req/s  '}"
            f"queries {record['queries']}  ({record['requests']} requests)",
            flush=True,
        )
    return records


def _ratios(records: list[dict]) -> None:
    """Each page's p50 against the admin changelist's and the floor's of the same run."""
    by_name = {r["page"]: r for r in records}
    for record in records:
        if record["page"] == LOAD_PAGE:
            continue
        for base, key in (("admin changelist", "ratio_admin"), ("floor", "ratio_floor")):
            reference = by_name.get(base)
            if reference and reference["p50_ms"] and record["p50_ms"] is not None:
                record[key] = round(record["p50_ms"] / reference["p50_ms"], 2)


def _machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    return {"cores": os.cpu_count(), "memory_gb": round(memory_kb / 1024 / 1024, 1), "cpu": cpu}


def _commit() -> str:
    """The code measured: its commit, "-dirty" when files differ from it."""
    described = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    return described.stdout.strip() if described.returncode == 0 else ""


def _busy_percent(seconds: float = 2.0) -> float:
    """How busy the CPUs were (everything but idle and iowait) over a short sample."""

    def sample():
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(values), values[3] + values[4]

    total_before, idle_before = sample()
    time.sleep(seconds)
    total, idle = sample()
    elapsed = total - total_before
    return round(100 * (1 - (idle - idle_before) / elapsed), 1) if elapsed else 0.0


def _versions() -> dict:
    import django
    import gunicorn

    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": _server_version(),
        "gunicorn": gunicorn.__version__,
    }


def bench_size(size: int, options) -> list[dict]:
    from django.core.management import call_command
    from django.db import connections

    from bench.generate import generate

    print(f"\n== {size:,} proposals", flush=True)
    started = time.monotonic()
    _database_recreate()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.monotonic()
    print(f"  database recreated and migrated ({migrated - started:.1f} s)", flush=True)
    summary = generate(size=size, analyze=False, log=lambda line: print(line, flush=True))
    _vacuum()
    generated = time.monotonic() - migrated
    print(f"  generated, vacuumed and analysed: {generated:.1f} s; {summary.counts}", flush=True)
    pages, load = _pages(summary)
    connections.close_all()
    busy = _busy_percent()  # others' work on the machine skews every figure
    server = _gunicorn_start(BUILD / f"gunicorn-{size}.log")
    try:
        print(f"  gunicorn on 127.0.0.1:{server.port}, workers {server.workers()}", flush=True)
        records = _measure(server, pages[:-1], size, options)  # the import last, after the load
        if options.load_seconds > 0:
            records.append(_measure_load(server, load, size, options.load_seconds))
        records += _measure(server, pages[-1:], size, options)
        _ratios(records)
        memory = server.peak_memory_mb()
    finally:
        server.stop()
    print(f"  worker peak memory (VmHWM): {memory} MB", flush=True)
    run = {
        "page": "(run)",
        "size": size,
        "p50_ms": None,
        "p95_ms": None,
        "rps": None,
        "queries": None,
        "ratio_admin": None,
        "ratio_floor": None,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {**_machine(), "busy_before_percent": busy},
        "versions": _versions(),
        "commit": _commit(),
        "generate_s": round(generated, 1),
        "rows": summary.counts,
        "worker_peak_mb": max(memory) if memory else None,
        "worker_peaks_mb": memory,
    }
    return [run, *records]


# -- The report ---------------------------------------------------------------------------------

TABLE_PAGES = [
    "table",
    "table filtered by kelurahan",
    "table sorted by cost",
    "table page 200",
    "table free-text search",
]
PAGE_ORDER = [
    "floor",
    "admin changelist",
    *TABLE_PAGES,
    "proposal detail",
    "recap",
    "recap with realisation",
    "inbox",
    "tracker, one RW",
    "map view of 10,000 points",
    "map page",
    "table as the lurah",
    "survey queue",
    "survey queue filtered, oldest first",
    "sessions filtered by kecamatan",
    "ranking page",
    "pagu indikatif",
    "closing confirmation",
    "ranking save",
    "bulk decision of 100",
    "bulk acceptance of 100, confirmation",
    "berita acara",
    "import 10,000 rows",
]
RUN = "(run)"
LOAD_PAGE = "load, 50 clients"
PLACEHOLDER = "_to be completed_"


@dataclass
class Target:
    label: str
    pages: list[str]
    field: str
    limit: float
    at_least: bool = False  # a floor (requests/s) rather than a ceiling

    def met(self, value) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit


TARGETS = [
    Target("p50 ≤ 15 ms", TABLE_PAGES, "p50_ms", 15),
    Target("p95 ≤ 25 ms", TABLE_PAGES[:-1], "p95_ms", 25),
    Target("p95 ≤ 50 ms", TABLE_PAGES[-1:], "p95_ms", 50),
    Target("≥ 120 req/s at 8 clients", TABLE_PAGES, "rps", 120, at_least=True),
    Target("≤ 0.2 × admin changelist (p50)", TABLE_PAGES, "ratio_admin", 0.2),
    Target("≤ 20 × floor (p50)", TABLE_PAGES, "ratio_floor", 20),
    Target("p95 ≤ 30 ms", ["recap"], "p95_ms", 30),
    Target("p95 ≤ 25 ms", ["tracker, one RW", "proposal detail"], "p95_ms", 25),
    Target("p95 ≤ 20 ms", ["ranking save"], "p95_ms", 20),
    Target("p95 ≤ 0.6 s", ["berita acara"], "p95_ms", 600),
    Target("≤ 10 s (slowest run)", ["import 10,000 rows"], "p95_ms", 10_000),
    Target("queries ≤ 10", PAGE_ORDER[1:], "queries", 10),
    Target("worker peak memory ≤ 200 MB", [RUN], "worker_peak_mb", 200),
]
UNITS = {"p50_ms": " ms", "p95_ms": " ms", "rps": " req/s", "ratio_admin": " ×",
         "ratio_floor": " ×", "queries": "", "worker_peak_mb": " MB"}  # fmt: skip


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def _queries(record: dict) -> str:
    """The usual count, and the most any request made when that differs (cold caches)."""
    usual, most = record.get("queries"), record.get("queries_max")
    if most is None or most == usual:
        return _number(usual)
    return f"{_number(usual)} (max {most})"


def _page_key(record: dict) -> int:
    name = record["page"]
    return PAGE_ORDER.index(name) if name in PAGE_ORDER else len(PAGE_ORDER)


def _failed(record: dict) -> bool:
    expected = record.get("expected_status")
    return expected is not None and record.get("status") != expected


def _verdict(target: Target, record: dict | None) -> tuple[str, bool | None]:
    """The cell of one target for one page and size, and whether it was met (None: unknown)."""
    if record is None:
        return "", None
    if _failed(record):
        return f"HTTP {record['status']} ❌", False
    value = record.get(target.field)
    if value is None:
        return "—", None
    met = target.met(value)
    digits = 2 if target.field.startswith("ratio") else 1
    return f"{_number(value, digits)}{UNITS[target.field]} {'✅' if met else '❌'}", met


def _previous_reasons(previous: str) -> dict[tuple[str, str], str]:
    """The "why" the engineers wrote under the last report, by (page, target)."""
    reasons = {}
    for match in re.finditer(r"^- ❌ \*\*(.+?)\*\* · (.+?): .*? — why: (.*)$", previous, re.M):
        page, target, why = match.groups()
        if why.strip() and why.strip() != PLACEHOLDER:
            reasons[(page, target)] = why.strip()
    return reasons


def markdown(records: list[dict], previous: str = "") -> str:
    """docs/benchmarks.md, from every record of docs/benchmarks.json."""
    sizes = sorted({r["size"] for r in records})
    runs = {r["size"]: r for r in records if r["page"] == RUN}
    loads = {r["size"]: r for r in records if r["page"] == LOAD_PAGE}
    pages = {(r["page"], r["size"]): r for r in records if r["page"] not in (RUN, LOAD_PAGE)}
    reasons = _previous_reasons(previous)
    out = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`) from `docs/benchmarks.json`: do not edit the "
        'figures by hand. Under *Misses*, complete each "why"; the next run keeps it.',
        "",
        "## Runs",
        "",
        "| proposals | date | code | machine | versions | data generation | rows | "
        "gunicorn worker peak (VmHWM) |",
        "| ---: | --- | --- | --- | --- | ---: | --- | ---: |",
    ]
    for size in sizes:
        run = runs.get(size)
        if run is None:
            continue
        m, v = run["machine"], run["versions"]
        busy = m.get("busy_before_percent")
        load_note = "" if busy is None else f" ({busy:.0f} % busy before the measurements)"
        rows = ", ".join(f"{name} {count:,}" for name, count in run["rows"].items())
        peaks = " / ".join(f"{p:,.0f}" for p in run.get("worker_peaks_mb") or [])
        out.append(
            f"| {size:,} | {run['date']} | {run.get('commit') or '—'} | "
            f"{m['cores']} cores, {m['memory_gb']} GB, {m['cpu']}"
            f"{load_note} | "
            f"Python {v['python']}, Django {v['django']}, PostgreSQL {v['postgresql']}, "
            f"gunicorn {v['gunicorn']} | {run['generate_s']} s | {rows} | {peaks} MB |"
        )
    for size in sizes:
        found = sorted((r for (p, s), r in pages.items() if s == size), key=_page_key)
        if not found:
            continue
        out += [
            "",
            f"## {size:,} proposals",
            "",
            "| page | HTTP | p50 ms | p95 ms | req/s, 8 clients | queries | query ms (p50) | "
            "× admin | × floor |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in found:
            status = f"{r.get('status', '')}{' ❌' if _failed(r) else ''}"
            out.append(
                f"| {r['page']} | {status} | {_number(r['p50_ms'])} | {_number(r['p95_ms'])} | "
                f"{_number(r['rps'])} | {_queries(r)} | "
                f"{_number(r.get('db_ms_p50'))} | {_number(r['ratio_admin'], 2)} | "
                f"{_number(r['ratio_floor'], 2)} |"
            )
    out += [
        "",
        "## Targets",
        "",
        "Single client unless said; ratios compare p50 latencies.",
        "",
        f"| target | page | {' | '.join(f'{s:,}' for s in sizes)} |",
        f"| --- | --- |{' ---: |' * len(sizes)}",
    ]
    misses = []

    def miss(page: str, target: str, shown: str) -> None:
        why = reasons.get((page, target), PLACEHOLDER)
        misses.append(f"- ❌ **{page}** · {target}: {shown} — why: {why}")

    for target in TARGETS:
        for page in target.pages:
            cells, missed = [], []
            for size in sizes:
                record = runs.get(size) if page == RUN else pages.get((page, size))
                cell, met = _verdict(target, record)
                cells.append(cell)
                if met is False:
                    missed.append(f"{cell[:-2]} at {size:,}")
            label = "worker" if page == RUN else page
            out.append(f"| {target.label} | {label} | {' | '.join(cells)} |")
            if missed:
                miss(label, target.label, "; ".join(missed))
    for page in PAGE_ORDER[1:]:
        counts = [pages[(page, s)]["queries"] for s in sizes if (page, s) in pages]
        counts = [c for c in counts if c is not None]
        if len(counts) < 2:
            continue
        constant = len(set(counts)) == 1
        shown = " → ".join(str(c) for c in counts)
        out.append(
            f"| queries constant as data grows | {page} | "
            f"{shown} {'✅' if constant else '❌'} |{' |' * (len(sizes) - 1)}"
        )
        if not constant:
            miss(page, "queries constant as data grows", shown)
    if loads:
        out += [
            "",
            f"## Load: {LOAD_CLIENTS} clients for {LOAD_SECONDS} s",
            "",
            "A mix of pages and writes (weights: "
            + ", ".join(f"{name} {weight}" for name, weight in LOAD_MIX.items())
            + "). Every acknowledged ranking save must raise the sidang's version by exactly "
            "one (a stale save is refused with 409, which is an answer, not an error); every "
            "acknowledged attendance entry must be in the list exactly once; every acknowledged "
            "proposal must be stored, with its photo when one was uploaded (a camera-sized "
            "JPEG, scaled to 2,000 px on the server).",
            "",
            "| proposals | requests | req/s | p50 ms | p95 ms | errors (5xx or broken) | "
            "ranking saves: acknowledged / refused stale / version raised by | "
            "attendance entries: acknowledged / rows added / duplicates | "
            "new proposals (with photo): acknowledged / stored | verdict |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for size in sizes:
            r = loads.get(size)
            if r is None:
                continue
            verdict = "✅ no error, no write lost or doubled" if r["status"] == "ok" else "❌"
            proposals = (
                f"{r['proposals_acknowledged']} ({r['photos_acknowledged']}) / "
                f"{r['proposals_stored']}"
                if "proposals_acknowledged" in r
                else "—"
            )
            out.append(
                f"| {size:,} | {r['requests']:,} | {_number(r['rps'])} | {_number(r['p50_ms'])} "
                f"| {_number(r['p95_ms'])} | {r['errors']} | {r['saves_acknowledged']} / "
                f"{r['saves_refused_stale']} / {r['version_raised_by']} | "
                f"{r['entries_acknowledged']} / {r['attendance_rows_added']} / "
                f"{r['attendance_duplicates']} | {proposals} | {verdict} |"
            )
            if r["status"] != "ok":
                miss(LOAD_PAGE, "zero errors, zero lost or doubled writes", f"at {size:,}")
    out += ["", "## Misses", ""]
    out += misses or ["None."]
    out += [
        "",
        "## How it is measured",
        "",
        '- `make bench SIZES="1451 100000"` (default `1451 100000 1000000`): per size, the '
        "database `musrenbang_bench` is dropped, recreated and migrated, `bench/generate.py` "
        "loads the synthetic data with COPY, then VACUUM ANALYZE.",
        "- gunicorn (`--workers 2`) serves `musrenbang.wsgi` with `bench.settings` (the project's "
        "settings plus a middleware that counts each request's queries into a header, and the "
        "floor page), `DEBUG=0`, on a free loopback port; `bench/client.py` loads it from the "
        "same machine, so client, server and PostgreSQL share its cores.",
        "- Single client: 20 untimed requests, then up to 200 timed ones within 30 s (berita "
        "acara: 3 and 60; import: 1 and 3, each adding 10,000 proposals to JP24, so it runs "
        "last); p50 and p95 are nearest-rank percentiles. Throughput: 8 clients back to back for "
        "10 s. Ranking save and import are POSTs; the save reads the current version first "
        "(untimed) and swaps the last two of the 30 candidates every other time, so that every "
        "save writes.",
        "- Data: the size in proposals, over every DKI Jakarta kelurahan (10 RWs each) and 24 "
        "cycles (6 kota × 2022–2025); Jakarta Pusat 2024 (JP24) holds at least the real cycle's "
        "1,451 (all of them at 1,451). About 3 events a proposal, a survey for ~65 % of the "
        "physical ones, a sidang kelompok per kelurahan and a musrenbang kecamatan per kecamatan "
        "per cycle (at most 30 candidates each), all closed but Senen's musrenbang kecamatan "
        "(JP24: 30 candidates, 60 participants, for the berita acara) and Kebon Kelapa's sidang "
        "kelompok (JP24: 30 unranked candidates, for the ranking page and save).",
        "- Pages are requested as the planning officer of Jakarta Pusat (`suban`: the table, "
        "detail and import), the superuser (admin changelist, ranking, berita acara) or "
        "anonymously (recap, tracker, floor). The table's page 200 lies past the end at 1,451 "
        "(30 pages). The tracker is asked for RW 001 of Kenari (its first page of 50 proposals).",
        "- The floor (`bench/floor.py`) runs the table's page-1 SELECT through raw psycopg and "
        "returns the codes and titles as plain text.",
        "- Queries: the count most timed requests made (a worker's first requests may fill "
        "caches; the most any request made is shown beside it when higher). Worker memory: the "
        "peak resident set (VmHWM) of each gunicorn worker at the end of the size's run.",
        "",
    ]
    notes = _previous_notes(previous)
    if notes:
        out += [notes.rstrip(), ""]
    return "\n".join(out)


NOTES_HEADING = "## Engineers' notes"


def _previous_notes(previous: str) -> str:
    """What the engineers wrote under NOTES_HEADING (to the end), kept from run to run."""
    start = previous.find(NOTES_HEADING)
    return previous[start:] if start >= 0 else ""


# -- Results ----------------------------------------------------------------------------------


def merge(old: list[dict], new: list[dict]) -> list[dict]:
    """Records of `new` replace those of `old` with the same page and size."""
    replaced = {(r["page"], r["size"]) for r in new}
    kept = [r for r in old if (r.get("page"), r.get("size")) not in replaced]
    return sorted(kept + new, key=lambda r: r["size"])


def _load_json() -> list[dict]:
    try:
        records = json.loads(JSON_PATH.read_text())
    except (OSError, ValueError):
        return []
    return records if isinstance(records, list) else []


def save(records: list[dict]) -> None:
    merged = merge(_load_json(), records)
    JSON_PATH.parent.mkdir(parents=True, exist_ok=True)
    JSON_PATH.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    previous = MARKDOWN_PATH.read_text() if MARKDOWN_PATH.exists() else ""
    MARKDOWN_PATH.write_text(markdown(merged, previous))


def _overrun(*_):
    raise TimeoutError("this size took longer than --timeout")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark Musrenbang at several data sizes.")
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--count", type=int, default=200, help="timed requests per page")
    parser.add_argument("--seconds", type=float, default=10, help="of 8 concurrent clients")
    parser.add_argument(
        "--timeout", type=int, default=1800, help="seconds one size may take, all in"
    )
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=LOAD_SECONDS,
        help="of the 50-client mixed load (0 skips it)",
    )
    options = parser.parse_args(argv)
    os.environ.update(_environment())
    BUILD.mkdir(parents=True, exist_ok=True)
    # SIGTERM unwinds like Ctrl-C, through every finally (gunicorn is stopped); so does a size
    # that overruns its time.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    signal.signal(signal.SIGALRM, _overrun)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.monotonic()
    for size in options.sizes:
        signal.alarm(options.timeout)
        try:
            records = bench_size(size, options)
        finally:
            signal.alarm(0)
        save(records)
        print(f"  written to {JSON_PATH.relative_to(ROOT)} and {MARKDOWN_PATH.relative_to(ROOT)}")
    print(f"\nDone in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nInterrupted; gunicorn is stopped.", file=sys.stderr)
        sys.exit(130)
