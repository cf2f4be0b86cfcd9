"""The public recap (/rekap/) of the demo's musrenbang 2024: figures, charts, PDF and XLSX."""

import io
import re

import openpyxl
import pypdf
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area, User
from proposals.models import (
    Category,
    Cycle,
    Decision,
    Proposal,
    Recommendation,
    Survey,
)
from sessions.models import Candidate, Kind, Participant, Sidang, State
from sessions.models import Decision as Ranking
from tests.conftest import page_queries

RECAP = reverse("recap")
KECAMATAN_2024 = {
    "Sawah Besar": 195,
    "Cempaka Putih": 113,
    "Gambir": 137,
    "Johar Baru": 164,
    "Kemayoran": 303,
    "Menteng": 133,
    "Senen": 183,
    "Tanah Abang": 223,
}


def demo_cycle() -> Cycle:
    return Cycle.objects.get(kota__code="31.71", year=2024)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


# -- The demo: Jakarta Pusat's musrenbang 2024 --------------------------------------------------


def demo_2024(**params) -> dict:
    """The demo's 2024 recap: the newest cycle, shown by default, is 2025, open for RW entry."""
    return {"siklus": demo_cycle().pk, **params}


def test_a_visitor_sees_the_demo_totals_per_kecamatan(loaded_demo, db, client):
    response = client.get(RECAP, demo_2024())
    assert response.status_code == 200
    page = response.content.decode()
    recap = response.context["recap"]
    assert recap.cycle == demo_cycle()
    assert recap.total == 1451
    assert '<p class="recap-figure fw-semibold mb-0" data-figure="total">1.451</p>' in page
    assert {row.name: row.proposals for row in recap.kecamatan} == KECAMATAN_2024
    for name, count in KECAMATAN_2024.items():
        row = rf'>{name}</a></th><td class="text-end" data-label="RW">\d+</td>'
        row += rf'<td class="text-end" data-label="Usulan">{count}</td>'
        assert re.search(row, page), f"{name} {count} not in the kecamatan table"
    assert recap.cost == sum(
        Proposal.objects.filter(cycle=recap.cycle).values_list("cost", flat=True)
    )


def test_the_demo_categories_in_indonesian_percent(loaded_demo, db, client):
    response = client.get(RECAP, demo_2024())
    page = response.content.decode()
    categories = {
        row.code: (row.proposals, row.share) for row in response.context["recap"].categories
    }
    assert categories == {
        Category.FISIK: (1072, "73,88 %"),
        Category.PENGADAAN: (379, "26,12 %"),
    }
    assert "73,88 %" in page
    assert "26,12 %" in page


def test_the_demo_funnel_counts_priorities_of_closed_sessions_only(loaded_demo, db, client):
    cycle = demo_cycle()
    utama = Candidate.objects.filter(
        sidang__cycle=cycle, sidang__state=State.CLOSED, decision=Ranking.UTAMA
    )
    kelurahan_priorities = utama.filter(sidang__kind=Kind.KELOMPOK).count()
    accommodated = Decision.objects.filter(
        proposal__cycle=cycle, kind__in=[Decision.Kind.RENJA, Decision.Kind.CURRENT_BUDGET]
    ).count()

    recap = client.get(RECAP, demo_2024()).context["recap"]

    assert [stage.count for stage in recap.funnel] == [1451, kelurahan_priorities, 6, accommodated]
    assert kelurahan_priorities > 0
    kecamatan = {row.name: row.kecamatan_priorities for row in recap.kecamatan}
    assert kecamatan["Menteng"] == kecamatan["Gambir"] == 3
    assert sum(kecamatan.values()) == 6
    # Kramat's sidang kelompok is still open: its ranking does not count yet.
    kramat = next(row for row in recap.kelurahan if row.name == "Kramat")
    assert kramat.kelurahan_priorities == 0
    assert kramat.session_state == "Berlangsung"


def test_the_demo_survey_and_session_progress(loaded_demo, db, client):
    cycle = demo_cycle()
    recap = client.get(RECAP, demo_2024()).context["recap"]

    surveys = Survey.objects.filter(proposal__cycle=cycle)
    assert recap.physical == 1072
    assert recap.surveyed == surveys.count()
    assert (
        sum(u.recommended for u in recap.units)
        == surveys.filter(recommendation=Recommendation.RECOMMENDED).count()
    )
    assert (
        sum(u.not_recommended for u in recap.units)
        == surveys.filter(recommendation=Recommendation.NOT_RECOMMENDED).count()
    )
    assert sum(u.proposals for u in recap.units) == 1451
    binamarga = next(u for u in recap.units if u.name == "Suku Dinas Bina Marga")
    assert (
        binamarga.physical
        == Proposal.objects.filter(
            cycle=cycle, target_unit__code="binamarga", category=Category.FISIK
        ).count()
    )

    progress = {p.kind: (p.held, p.expected) for p in recap.sessions}
    closed = Sidang.objects.filter(cycle=cycle, state=State.CLOSED)
    assert progress == {
        Kind.PLENO_PEMBUKA: (8, 8),
        Kind.KELOMPOK: (closed.filter(kind=Kind.KELOMPOK).count(), 44),
        Kind.KECAMATAN: (2, 8),
        Kind.PLENO_PENUTUPAN: (2, 8),
    }


def test_the_demo_drills_down_to_the_kelurahan_of_a_kecamatan(loaded_demo, db, client):
    response = client.get(RECAP, demo_2024(kecamatan="31.71.04"))
    recap = response.context["recap"]
    assert recap.chosen.name == "Senen"
    senen = Area.objects.get(code="31.71.04").children.values_list("name", flat=True)
    assert {row.name for row in recap.kelurahan} == set(senen)
    assert sum(row.proposals for row in recap.kelurahan) == 183
    page = response.content.decode()
    assert "Usulan per kelurahan di Kecamatan Senen" in page
    assert 'id="chart-kelurahan-title"' in page

    # Without a kecamatan the page offers the choice instead of the kelurahan table.
    page = client.get(RECAP, demo_2024()).content.decode()
    assert 'data-table="kelurahan"' not in page
    assert "?siklus=" in page and "kecamatan=31.71.04" in page


def test_the_demo_charts_are_accessible_svg(loaded_demo, db, client):
    page = client.get(RECAP, demo_2024()).content.decode()
    charts = re.findall(r"<svg [^>]*>", page)
    assert len(charts) == 7
    for svg in charts:
        assert 'role="img"' in svg
        assert 'width="100%"' in svg
        assert "viewBox=" in svg
    assert '<title id="chart-kecamatan-title">Jumlah usulan per kecamatan</title>' in page
    assert page.count('class="table-responsive"') >= 8


def test_the_demo_recap_names_nobody(loaded_demo, db, client):
    people = set(User.objects.exclude(first_name="").values_list("first_name", flat=True)) | set(
        User.objects.filter(username__contains=".").values_list("username", flat=True)
    )
    people |= set(User.objects.exclude(full_name="").values_list("full_name", flat=True))
    people |= set(Participant.objects.values_list("name", flat=True))
    for chair, minute_taker in Sidang.objects.values_list("chair", "minute_taker"):
        people |= {chair, minute_taker} - {""}
    assert "Ketua RW 001 Kenari" in people
    assert "Petugas Suku Dinas Bina Marga" in people

    pages = [
        client.get(RECAP, demo_2024()).content.decode(),
        client.get(RECAP, demo_2024(kecamatan="31.71.04")).content.decode(),
        pdf_text(client.get(reverse("recap_pdf"), demo_2024()).content),
    ]
    for text in pages:
        found = sorted(name for name in people if name in text)
        assert found == []
    # Area names are no one's: "Kelurahan Kenari" may stand where "Lurah Kenari" may not.
    assert "Kenari" in pages[1]


def test_the_demo_recap_pdf(loaded_demo, db, client):
    response = client.get(reverse("recap_pdf"), demo_2024())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "1.451" in text
    assert "73,88 %" in text
    assert "26,12 %" in text
    assert "REKAP MUSRENBANG 2024" in text
    assert re.search(r"Halaman 1 dari \d+", text)


def test_the_demo_recap_xlsx(loaded_demo, db, client):
    response = client.get(reverse("recap_xlsx"), demo_2024())
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('rekap-musrenbang-2024.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Per kecamatan" in book.sheetnames
    assert {"Per kelurahan", "Per kategori", "Per UKPD", "Alur usulan"} <= set(book.sheetnames)
    rows = list(book["Per kecamatan"].iter_rows(values_only=True))
    assert rows[0] == (
        "Kecamatan",
        "Jumlah RW",
        "Jumlah usulan",
        "Persentase",
        "Perkiraan biaya (Rp)",
    )
    assert len(rows[1:]) == 8
    assert {name: count for name, _rw, count, *_ in rows[1:]} == KECAMATAN_2024
    assert sum(count for _, _rw, count, *_ in rows[1:]) == 1451
    assert sum(rw for _, rw, *_ in rows[1:]) == 386
    assert all(isinstance(row[3], float) and isinstance(row[4], int) for row in rows[1:])
    categories = list(book["Per kategori"].iter_rows(values_only=True))[1:]
    assert [(label, count, share) for label, count, share, _ in categories] == [
        ("Fisik", 1072, 0.7388),
        ("Pengadaan barang", 379, 0.2612),
    ]
    assert len(list(book["Per kelurahan"].iter_rows(values_only=True))[1:]) == 44


def test_the_demo_recap_takes_a_fixed_number_of_queries(loaded_demo, db, client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(RECAP, {"kecamatan": "31.71.04"}).status_code == 200
    assert page_queries(queries) <= 15
