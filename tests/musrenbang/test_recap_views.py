"""The public recap (/rekap/): figures, charts, PDF and XLSX; aggregates only; bounded queries.

The demo tests share one module-wide load (see conftest.py), which stays until the module ends;
the tests before them build a cycle of their own (2031, apart from the demo's 2024), so they
pass whether the demo is loaded or not (all but the one about having no cycle at all).
"""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from areas.models import Area, TechnicalUnit, User
from areas.services import rw_ensure
from proposals.models import (
    CatalogueItem,
    Category,
    Cycle,
    Decision,
    Proposal,
    Recommendation,
    Status,
    Survey,
)
from sessions.models import Candidate, Kind, Participant, Sidang, State
from sessions.models import Decision as Ranking
from tests.proposal_fixtures import make_proposal
from tests.session_fixtures import schedule

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


# -- Small cycles of their own ------------------------------------------------------------------


@pytest.fixture
def cycle_2031(kota_jp):
    today = timezone.localdate()
    return Cycle.objects.create(
        kota=kota_jp,
        year=2031,
        code_prefix="RK31",
        rw_opens=today - datetime.timedelta(days=30),
        rw_closes=today - datetime.timedelta(days=10),
        kelompok_opens=datetime.date(2031, 2, 27),
        kelompok_closes=datetime.date(2031, 3, 5),
    )


@pytest.fixture
def items(kota_jp):
    road = TechnicalUnit.objects.create(kota=kota_jp, code="rekap-jalan", name="Suku Dinas Jalan")
    goods = TechnicalUnit.objects.create(
        kota=kota_jp, code="rekap-barang", name="Suku Dinas Barang"
    )
    fields = {"sector": "Uji", "measure": "unit", "unit_price": 1_000_000}
    return (
        CatalogueItem.objects.create(
            unit=road, code="RK-01", name="Jalan", category=Category.FISIK, **fields
        ),
        CatalogueItem.objects.create(
            unit=goods, code="RK-02", name="Tenda", category=Category.PENGADAAN, **fields
        ),
    )


@pytest.fixture
def people(db):
    return {
        role: User.objects.create_user(username=f"rekap.{role}", first_name=f"Nama {role} rahasia")
        for role in ("rw", "surveyor", "planner")
    }


def populate(cycle, items, people, *, kelurahan: slice) -> None:
    """Five proposals in each of these kelurahan of the kota, in code order (three physical,
    two of them surveyed), a closed sidang kelompok keeping two of them, and in each kecamatan
    not yet held a closed musrenbang keeping one, accommodated in the Renja."""
    road, goods = items
    areas = Area.objects.kelurahan().filter(code__startswith="31.71.").order_by("code")
    now = timezone.now()
    kept_by_kecamatan = {}
    for kel in areas[kelurahan]:
        rw = rw_ensure(kelurahan=kel, count=1)[0]
        made = [
            make_proposal(cycle, rw, road if i < 3 else goods, people["rw"], volume=Decimal(i + 1))
            for i in range(5)
        ]
        for proposal, recommendation in zip(made[:2], Recommendation.values, strict=True):
            Survey.objects.create(
                proposal=proposal,
                surveyed_on=timezone.localdate(),
                officer=people["surveyor"],
                findings="Diperiksa.",
                recommendation=recommendation,
                reason="" if recommendation == Recommendation.RECOMMENDED else "other",
                revised_volume=proposal.volume,
                revised_cost=proposal.cost,
            )
        sidang = schedule(cycle, Kind.KELOMPOK, kel)
        for rank, proposal in enumerate(made, start=1):
            decision = Ranking.UTAMA if rank <= 2 else Ranking.CADANGAN
            Candidate.objects.create(sidang=sidang, proposal=proposal, rank=rank, decision=decision)
        Sidang.objects.filter(pk=sidang.pk).update(state=State.CLOSED, closed_at=now)
        kept_by_kecamatan.setdefault(kel.parent, made[0])
    for kecamatan, proposal in kept_by_kecamatan.items():
        if Sidang.objects.filter(cycle=cycle, kind=Kind.KECAMATAN, area=kecamatan).exists():
            continue
        sidang = schedule(cycle, Kind.KECAMATAN, kecamatan)
        Candidate.objects.create(sidang=sidang, proposal=proposal, rank=1, decision=Ranking.UTAMA)
        Sidang.objects.filter(pk=sidang.pk).update(state=State.CLOSED, closed_at=now)
        Decision.objects.create(
            proposal=proposal, kind=Decision.Kind.RENJA, decided_by=people["planner"]
        )


def recap_queries(client, cycle) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(RECAP, {"siklus": cycle.pk})
    assert response.status_code == 200
    return len(queries)


def test_queries_stay_the_same_when_the_data_grows_tenfold(client, cycle_2031, items, people):
    populate(cycle_2031, items, people, kelurahan=slice(0, 2))
    small = recap_queries(client, cycle_2031)
    assert Proposal.objects.filter(cycle=cycle_2031).count() == 10

    populate(cycle_2031, items, people, kelurahan=slice(2, 20))
    assert Proposal.objects.filter(cycle=cycle_2031).count() == 100
    assert recap_queries(client, cycle_2031) == small <= 15


def test_a_small_cycle_adds_up(client, cycle_2031, items, people):
    populate(cycle_2031, items, people, kelurahan=slice(0, 2))  # Gambir and Cideng, both in Gambir
    road, _goods = items
    rw = Area.objects.get(code="31.71.01.1001.001")
    make_proposal(cycle_2031, rw, road, people["rw"], status=Status.DRAFT)
    # An open sidang's ranking does not count yet.
    petojo_utara = Area.objects.get(code="31.71.01.1003")
    open_kelompok = schedule(cycle_2031, Kind.KELOMPOK, petojo_utara, state="in_progress")
    extra = make_proposal(cycle_2031, rw, road, people["rw"])
    Candidate.objects.create(sidang=open_kelompok, proposal=extra, rank=1, decision=Ranking.UTAMA)

    response = client.get(RECAP, {"siklus": cycle_2031.pk, "kecamatan": "31.71.01"})
    recap = response.context["recap"]

    assert recap.total == 11  # the draft is left out
    gambir = next(row for row in recap.kecamatan if row.name == "Gambir")
    funnel = (gambir.proposals, gambir.kelurahan_priorities, gambir.kecamatan_priorities)
    assert (*funnel, gambir.accommodated) == (11, 4, 1, 1)
    assert [stage.count for stage in recap.funnel] == [11, 4, 1, 1]
    assert [stage.share for stage in recap.funnel] == ["100,00 %", "36,36 %", "9,09 %", "9,09 %"]
    assert recap.cost == sum(
        Proposal.objects.exclude(status=Status.DRAFT)
        .filter(cycle=cycle_2031)
        .values_list("cost", flat=True)
    )
    (unit,) = recap.surveyed_units
    survey = (unit.physical, unit.surveyed, unit.recommended, unit.not_recommended, unit.pending)
    assert survey == (7, 4, 2, 2, 3)
    progress = {p.kind: (p.held, p.running, p.expected) for p in recap.sessions}
    assert progress[Kind.KELOMPOK] == (2, 1, 44)  # Petojo Utara's is under way
    assert progress[Kind.KECAMATAN] == (1, 0, 8)
    assert progress[Kind.PLENO_PEMBUKA] == (0, 0, 8)
    page = response.content.decode()
    assert "27 Februari 2031 – 5 Maret 2031" in page
    assert "rahasia" not in page


def test_a_visitor_gets_the_page_without_signing_in(client, cycle_2031):
    response = client.get(RECAP)
    assert response.status_code == 200
    assert response.context["recap"].cycle == cycle_2031
    page = response.content.decode()
    assert "Musrenbang 2031" in page
    assert f'href="{reverse("recap_pdf")}?siklus={cycle_2031.pk}"' in page
    assert f'href="{reverse("recap_xlsx")}?siklus={cycle_2031.pk}"' in page


# A NUL never reaches the page: tests/hostile/test_url_fuzz.py.
@pytest.mark.parametrize("siklus", ["", "abc", "999999", "-1", "1.5", "' OR 1=1 --", "9" * 40])
def test_an_unknown_cycle_falls_back_to_the_latest(client, cycle_2031, siklus):
    response = client.get(RECAP, {"siklus": siklus, "kecamatan": "<b>x</b>"})
    assert response.status_code == 200
    assert response.context["recap"].cycle == Cycle.objects.order_by("-year").first()
    assert response.context["recap"].chosen is None
    assert "<b>x</b>" not in response.content.decode()


def test_the_cycle_select_lists_every_cycle(client, cycle_2031, kota_jaksel):
    other = Cycle.objects.create(
        kota=kota_jaksel,
        year=2030,
        code_prefix="JS30",
        rw_opens=datetime.date(2030, 1, 2),
        rw_closes=datetime.date(2030, 2, 16),
    )
    response = client.get(RECAP, {"siklus": other.pk})
    page = response.content.decode()
    assert response.context["recap"].cycle == other
    assert f'<option value="{other.pk}" selected>' in page
    assert f'<option value="{cycle_2031.pk}">' in page
    # The kota comes with the cycle: Jakarta Selatan's kecamatan, not Jakarta Pusat's.
    assert "Kebayoran Baru" in {row.name for row in response.context["recap"].kecamatan}


def test_no_cycle_yet(client, db):
    if Cycle.objects.exists():
        pytest.skip("the demo's cycle is loaded")
    response = client.get(RECAP)
    assert response.status_code == 200
    assert "Belum ada siklus musrenbang." in response.content.decode()
    assert client.get(reverse("recap_pdf")).status_code == 404
    assert client.get(reverse("recap_xlsx")).status_code == 404


def test_the_pdf_and_xlsx_follow_the_chosen_cycle(client, cycle_2031, items, people):
    populate(cycle_2031, items, people, kelurahan=slice(0, 2))
    params = {"siklus": cycle_2031.pk, "kecamatan": "31.71.01"}
    pdf = client.get(reverse("recap_pdf"), params)
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert "REKAP MUSRENBANG 2031" in text
    assert "Usulan per kelurahan di Kecamatan Gambir" in text
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("recap_xlsx"), params).content))
    kelurahan = list(book["Per kelurahan"].iter_rows(values_only=True))[1:]
    assert [(row[1], row[2], row[4]) for row in kelurahan[:2]] == [
        ("Gambir", 5, 2),
        ("Cideng", 5, 2),
    ]
    assert {row[0] for row in kelurahan} == {"Gambir"}


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
        assert re.search(rf">{name}</a></th>\s*<td class=\"text-end\">{count}</td>", page), (
            f"{name} {count} not in the kecamatan table"
        )
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
    assert rows[0] == ("Kecamatan", "Jumlah usulan", "Persentase", "Perkiraan biaya (Rp)")
    assert len(rows[1:]) == 8
    assert {name: count for name, count, *_ in rows[1:]} == KECAMATAN_2024
    assert sum(count for _, count, *_ in rows[1:]) == 1451
    assert all(isinstance(row[2], float) and isinstance(row[3], int) for row in rows[1:])
    categories = list(book["Per kategori"].iter_rows(values_only=True))[1:]
    assert [(label, count, share) for label, count, share, _ in categories] == [
        ("Fisik", 1072, 0.7388),
        ("Pengadaan barang", 379, 0.2612),
    ]
    assert len(list(book["Per kelurahan"].iter_rows(values_only=True))[1:]) == 44


def test_the_demo_recap_takes_a_fixed_number_of_queries(loaded_demo, db, client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(RECAP, {"kecamatan": "31.71.04"}).status_code == 200
    assert len(queries) <= 15


def test_the_recap_is_reused_until_the_data_changes(client, cycle_2031, items, people):
    populate(cycle_2031, items, people, kelurahan=slice(0, 2))
    first = recap_queries(client, cycle_2031)
    again = recap_queries(client, cycle_2031)
    assert again < first  # served from the cache: only the fingerprint is read
    road, _goods = items
    rw = Area.objects.get(code="31.71.01.1001.001")
    make_proposal(cycle_2031, rw, road, people["rw"])
    response = client.get(RECAP, {"siklus": cycle_2031.pk})
    assert response.context["recap"].total == 11


def test_the_xlsx_keeps_a_unit_named_like_a_formula_as_text(client, cycle_2031, items, people):
    road = items[0].unit
    road.name = "=cmd|' /C calc'!A0"
    road.save()
    populate(cycle_2031, items, people, kelurahan=slice(0, 1))
    response = client.get(reverse("recap_xlsx"), {"siklus": cycle_2031.pk})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'=cmd|' /C calc'!A0" in {cell.value for cell in cells}
