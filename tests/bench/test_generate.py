"""The bench's synthetic data hangs together, its query counter counts, its results merge.

The generator loads with PostgreSQL's COPY; on SQLite those tests are skipped. One small load
(1,500 proposals, 2 RWs per kelurahan) serves the whole module and is rolled back at its end.
"""

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from areas.models import Area
from bench.generate import BIG_TABLES, MINUTES_CANDIDATES, MINUTES_PARTICIPANTS, generate
from bench.middleware import QUERIES_HEADER, QueryCountMiddleware
from bench.run import LOAD_PAGE, markdown, merge

SIZE = 1500
JP24_MINIMUM = 400


def _schema() -> set[tuple[str, str]]:
    """Every constraint, index and enabled trigger of the bench's big tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) "
            "UNION SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "UNION SELECT tgname, tgenabled::text FROM pg_trigger "
            "WHERE NOT tgisinternal AND tgrelid = ANY(%s::regclass[])",
            [list(BIG_TABLES)] * 3,
        )
        return set(cursor.fetchall())


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("the bench loads with PostgreSQL's COPY")
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            before = _schema()
            summary = generate(
                size=SIZE, rws_per_kelurahan=2, jp24_minimum=JP24_MINIMUM, log=lambda line: None
            )
            yield summary, before
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def summary(loaded, db):
    return loaded[0]


def _pokir_per_cycle() -> dict[str, int]:
    return dict(
        _rows(
            "SELECT c.code_prefix, count(p.id) FROM proposals_cycle c JOIN proposals_proposal p "
            "ON p.cycle_id = c.id WHERE p.source = 'pokir' GROUP BY c.id"
        )
    )


def test_it_loads_the_size_asked_for_over_every_cycle(summary):
    """SIZE proposals of the RWs, and the pokir DPRD on top of them."""
    pokir = _pokir_per_cycle()
    assert summary.counts["proposal"] == SIZE + sum(pokir.values())
    per_cycle = _rows(
        "SELECT c.code_prefix, c.last_number, count(p.id), max(p.number) FROM proposals_cycle c "
        "LEFT JOIN proposals_proposal p ON p.cycle_id = c.id GROUP BY c.id"
    )
    assert len(per_cycle) == 24
    jp24 = {prefix: n for prefix, _last, n, _max in per_cycle}["JP24"]
    assert jp24 == JP24_MINIMUM + pokir.get("JP24", 0)
    assert all(last == n == top and n > 0 for _prefix, last, n, top in per_cycle)


def test_codes_places_and_costs_agree_with_each_proposal(summary):
    assert not _rows(
        "SELECT p.id FROM proposals_proposal p JOIN proposals_cycle c ON c.id = p.cycle_id "
        "JOIN areas_area rw ON rw.id = p.rw_id JOIN areas_area kel ON kel.id = rw.parent_id "
        "WHERE rw.level <> 'rw' OR p.kelurahan_id <> kel.id OR p.kecamatan_id <> kel.parent_id "
        "OR p.code <> c.code_prefix || '-' || lpad(p.number::text, 5, '0') "
        "OR p.cost <> round(p.volume * p.unit_price) "
        "OR NOT (rw.code LIKE (SELECT code FROM areas_area WHERE id = c.kota_id) || '.%%')"
    )


def test_surveys_are_of_physical_proposals_and_carry_their_recommendation(summary):
    assert summary.counts["survey"] > 0
    assert not _rows(
        "SELECT s.id FROM proposals_survey s JOIN proposals_proposal p ON p.id = s.proposal_id "
        "WHERE p.category <> 'fisik' OR p.recommendation <> s.recommendation "
        "OR p.status IN ('draft', 'returned')"
    )
    assert not _rows(
        "SELECT p.id FROM proposals_proposal p LEFT JOIN proposals_survey s "
        "ON s.proposal_id = p.id WHERE s.id IS NULL AND p.recommendation <> ''"
    )


def test_every_journey_starts_with_its_creation_and_runs_forward(summary):
    assert summary.counts["event"] >= 2 * SIZE
    first = _rows(
        "SELECT DISTINCT ON (proposal_id) proposal_id, action FROM proposals_event "
        "ORDER BY proposal_id, at, id"
    )
    pokir = sum(_pokir_per_cycle().values())
    assert len(first) == SIZE + pokir
    assert {action for _pk, action in first} == {"created", "pokir"}
    assert len([pk for pk, action in first if action == "pokir"]) == pokir
    assert not _rows(
        "SELECT p.id FROM proposals_proposal p JOIN proposals_event e ON e.proposal_id = p.id "
        "WHERE e.at < p.created_at OR (e.action = 'submitted' AND e.at <> p.submitted_at)"
    )


def test_candidates_sit_in_sessions_of_their_cycle_and_area_within_the_quota(summary):
    assert not _rows(
        "SELECT c.id FROM sidang_candidate c JOIN sidang_sidang s ON s.id = c.sidang_id "
        "JOIN proposals_proposal p ON p.id = c.proposal_id WHERE p.cycle_id <> s.cycle_id "
        "OR (s.kind = 'kelompok' AND p.kelurahan_id <> s.area_id) "
        "OR (s.kind = 'kecamatan' AND p.kecamatan_id <> s.area_id)"
    )
    assert not _rows(
        "SELECT s.id FROM sidang_sidang s JOIN sidang_candidate c ON c.sidang_id = s.id "
        "WHERE c.decision = 'utama' GROUP BY s.id HAVING count(*) > min(s.quota)"
    )
    # A priority of a closed sidang kelompok is what its proposal became, and vice versa.
    assert not _rows(
        "SELECT p.id FROM proposals_proposal p WHERE (p.status = 'kel_priority') <> EXISTS ("
        "SELECT 1 FROM sidang_candidate c JOIN sidang_sidang s ON s.id = c.sidang_id "
        "WHERE c.proposal_id = p.id AND s.kind = 'kelompok' AND s.state = 'closed' "
        "AND c.decision = 'utama') AND p.status NOT IN ('kec_priority', 'kec_reserve', "
        "'not_priority', 'renja', 'budget', 'not_accommodated')"
    )
    assert not _rows(
        "SELECT d.id FROM proposals_decision d JOIN proposals_proposal p ON p.id = d.proposal_id "
        "WHERE p.status <> d.kind"
    )


def test_every_accommodated_decision_has_its_realisation_and_only_those(summary):
    decisions = _rows(
        "SELECT d.proposal_id, d.unit_id, p.kecamatan_id FROM proposals_decision d "
        "JOIN proposals_proposal p ON p.id = d.proposal_id WHERE d.kind IN ('renja', 'budget')"
    )
    realisations = _rows("SELECT proposal_id, unit_id, kecamatan_id FROM proposals_realisation")
    assert decisions and sorted(decisions) == sorted(realisations)
    assert not _rows(
        "SELECT r.id FROM proposals_realisation r LEFT JOIN proposals_progress g "
        "ON g.realisation_id = r.id WHERE (r.stage = '') <> (g.id IS NULL) "
        "OR (g.id IS NOT NULL AND (g.stage <> r.stage OR g.reported_on <> r.reported_on))"
    )


def test_pokir_come_from_a_recess_of_their_cycle_and_stay_out_of_sessions(summary):
    pokir = _pokir_per_cycle()
    assert pokir.get("JP24", 0) > 0
    assert not _rows(
        "SELECT p.id FROM proposals_proposal p LEFT JOIN proposals_recess r ON r.id = p.recess_id "
        "WHERE (p.source = 'pokir') <> (r.id IS NOT NULL AND r.cycle_id = p.cycle_id)"
    )
    assert not _rows(
        "SELECT c.id FROM sidang_candidate c JOIN proposals_proposal p ON p.id = c.proposal_id "
        "WHERE p.source = 'pokir'"
    )
    statuses = {
        status
        for (status,) in _rows(
            "SELECT DISTINCT p.status FROM proposals_proposal p "
            "JOIN proposals_cycle c ON c.id = p.cycle_id WHERE p.source = 'pokir'"
        )
    }
    assert statuses <= {"pokir", "renja", "not_accommodated"} and "pokir" in statuses


def test_notices_go_to_the_rw_that_wrote_the_proposal(summary):
    assert summary.counts["notice"] > 0
    assert not _rows(
        "SELECT n.id FROM notices_notice n JOIN proposals_proposal p "
        "ON n.url = '/usulan/' || p.id || '/' WHERE n.user_id <> p.created_by_id"
    )


def test_the_sessions_the_bench_measures_are_in_progress(summary):
    minutes = _rows(
        "SELECT s.kind, s.state, a.code, (SELECT count(*) FROM sidang_candidate c "
        "WHERE c.sidang_id = s.id), (SELECT count(*) FROM sidang_participant p "
        "WHERE p.sidang_id = s.id) FROM sidang_sidang s JOIN areas_area a ON a.id = s.area_id "
        "WHERE s.id = %s",
        [summary.minutes_sidang_id],
    )
    assert minutes == [
        ("kecamatan", "in_progress", "31.71.04", MINUTES_CANDIDATES, MINUTES_PARTICIPANTS)
    ]
    ranking = _rows(
        "SELECT s.state, c.rank, c.decision, p.status FROM sidang_sidang s "
        "JOIN sidang_candidate c ON c.sidang_id = s.id "
        "JOIN proposals_proposal p ON p.id = c.proposal_id WHERE s.id = %s",
        [summary.ranking_sidang_id],
    )
    assert len(ranking) >= 5
    assert set(ranking) == {("in_progress", None, "", "accepted")}
    assert _rows(
        "SELECT count(*) FROM sidang_sidang WHERE state = 'closed' AND closed_at IS NOT NULL"
    ) == [(summary.counts["sidang"] - 3,)]  # the two measured and Gambir's, still scheduled


def test_constraints_indexes_triggers_and_sequences_are_restored(summary, loaded):
    assert _schema() == loaded[1]
    for table in BIG_TABLES:
        (following,) = _rows(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")[0]
        (top,) = _rows(f"SELECT COALESCE(max(id), 0) FROM {table}")[0]
        assert following > top


def test_the_middleware_counts_every_query_of_a_request(db):
    def view(request):
        Area.objects.exists()
        Area.objects.count()
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))

    assert response[QUERIES_HEADER] == "2"


def test_a_run_of_one_size_keeps_the_figures_of_the_others():
    def record(page, size, p50):
        return {"page": page, "size": size, "p50_ms": p50, "p95_ms": p50, "rps": None,
                "queries": 3, "ratio_admin": None, "ratio_floor": None}  # fmt: skip

    old = [record("table", 1451, 10.0), record("table", 100_000, 20.0)]

    merged = merge(old, [record("table", 100_000, 30.0)])

    assert merged == [record("table", 1451, 10.0), record("table", 100_000, 30.0)]
    assert "30.0" in markdown(merged)


def test_the_load_is_reported_and_the_engineers_notes_kept():
    load = {
        "page": LOAD_PAGE, "size": 1451, "p50_ms": 80.0, "p95_ms": 300.0, "rps": 90.0,
        "queries": None, "ratio_admin": None, "ratio_floor": None, "requests": 5400,
        "errors": 0, "saves_acknowledged": 40, "saves_refused_stale": 500,
        "version_raised_by": 40, "entries_acknowledged": 520, "attendance_rows_added": 520,
        "attendance_duplicates": 0, "lost_or_doubled": 0, "status": "ok",
    }  # fmt: skip
    previous = "# Benchmarks\n\n## Engineers' notes\n\n- The import was slow because …\n"
    text = markdown([load], previous)
    assert "| 1,451 | 5,400 | 90.0 |" in text
    assert "40 / 500 / 40" in text and "✅ no error, no write lost or doubled" in text
    assert text.rstrip().endswith("- The import was slow because …")
    broken = markdown([{**load, "errors": 3, "status": "failed"}])
    assert "❌ **load, 50 clients**" in broken


def test_the_mixed_load_counts_every_answer_and_survives_a_broken_one():
    import http.server
    import threading

    from bench import client

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/putus":
                self.connection.close()  # no answer at all
                return
            self.send_response(int(self.path.strip("/")))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    paths = ["/200", "/409", "/500", "/putus"]
    try:
        mix = client.mixed(
            "127.0.0.1",
            server.server_address[1],
            lambda n: (paths[n % 4], client.Request("GET", paths[n % 4])),
            clients=4,
            seconds=0.5,
        )
    finally:
        server.shutdown()
    assert mix.statuses["/200"][200] > 0 and mix.statuses["/409"][409] > 0
    assert mix.statuses["/500"][500] > 0 and mix.statuses["/putus"]["error"] > 0
    assert mix.errors and mix.requests == sum(sum(c.values()) for c in mix.statuses.values())
