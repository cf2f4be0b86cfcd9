"""The floor: the proposals table's page query through raw psycopg, and a minimal response.

The same SELECT the table page runs for page 1 as the planning officer of Jakarta Pusat (its
columns, the scope on the proposal's kota, ORDER BY code DESC LIMIT 50), without Django's ORM,
middleware work per row, templates or tables: what no page showing those rows can beat.
"""

import time

import psycopg
from django.conf import settings
from django.http import HttpResponse

KOTA = "31.71"  # suban's kota
SQL = """
SELECT p.code, p.title, p.category, kecamatan.name, kelurahan.name, rw.name, item.name,
       p.volume, p.measure, p.cost, unit.name, p.status, p.recommendation
FROM proposals_proposal p
JOIN areas_area rw ON rw.id = p.rw_id
JOIN areas_area kelurahan ON kelurahan.id = p.kelurahan_id
JOIN areas_area kecamatan ON kecamatan.id = p.kecamatan_id
LEFT JOIN proposals_catalogueitem item ON item.id = p.catalogue_item_id
JOIN areas_technicalunit unit ON unit.id = p.target_unit_id
WHERE p.kota_id = %(kota)s
ORDER BY p.code DESC
LIMIT 50
"""

# One connection per gunicorn worker, opened on the first request (after the fork), and the
# kota's id, read once with it (the table reads the user's reach once per request).
_connection: psycopg.Connection | None = None
_kota_id: int | None = None


def _cursor() -> psycopg.Cursor:
    global _connection, _kota_id
    if _connection is None or _connection.closed:
        db = settings.DATABASES["default"]
        _connection = psycopg.connect(
            dbname=db["NAME"],
            user=db["USER"],
            password=db["PASSWORD"],
            host=db["HOST"],
            port=db["PORT"] or None,
            autocommit=True,
        )
        _kota_id = _connection.execute(
            "SELECT id FROM areas_area WHERE code = %s", [KOTA]
        ).fetchone()[0]
    return _connection.cursor()


def floor(request):
    started = time.perf_counter()
    with _cursor() as cursor:
        cursor.execute(SQL, {"kota": _kota_id})
        rows = cursor.fetchall()
    request.bench_raw_queries = 1
    request.bench_raw_seconds = time.perf_counter() - started
    return HttpResponse(
        "".join(f"{row[0]} {row[1]}\n" for row in rows), content_type="text/plain; charset=utf-8"
    )
