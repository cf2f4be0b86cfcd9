"""The public recap (/rekap/): figures, charts, PDF and XLSX; aggregates only; bounded queries.

Each test builds a cycle of its own (2031); the demo's recap is tested in demo/test_recap_views.py.
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
from sessions.models import Candidate, Kind, Sidang, State
from sessions.models import Decision as Ranking
from tests.conftest import page_queries
from tests.proposal_fixtures import make_proposal
from tests.session_fixtures import schedule

RECAP = reverse("recap")


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
    return page_queries(queries)


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
    # The heading boxes are the page's figures, the RW first.
    assert re.search(r"RW\n[\d.]+\nrembuk RW di [\d.]+ kelurahan dan [\d.]+\skecamatan", text)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("recap_xlsx"), params).content))
    kelurahan = list(book["Per kelurahan"].iter_rows(values_only=True))[1:]
    # Kecamatan, kelurahan, RW, proposals, cost, kelurahan priorities, sidang kelompok.
    assert [(row[1], row[2], row[3], row[5]) for row in kelurahan[:2]] == [
        ("Gambir", 1, 5, 2),
        ("Cideng", 1, 5, 2),
    ]
    assert {row[0] for row in kelurahan} == {"Gambir"}


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


def test_the_pdf_draws_its_charts_as_wide_as_its_page(client, cycle_2031, items, people):
    """On paper a label stands beside its bar, a line per row (the page's charts, drawn for a
    phone, put it above)."""
    populate(cycle_2031, items, people, kelurahan=slice(0, 2))
    from musrenbang.public.charts import PAGE, PHONE, Frame, bar_chart

    wide = bar_chart(chart_id="c", title="t", items=[("Gambir", 3), ("Menteng", 1)], width=PAGE)
    narrow = bar_chart(chart_id="c", title="t", items=[("Gambir", 3), ("Menteng", 1)])
    assert f'viewBox="0 0 {PAGE} ' in wide and f'viewBox="0 0 {PHONE} ' in narrow
    assert f'<rect x="{Frame(PAGE).bars_x}" y="11.5"' in wide  # beside the first label
    assert '<rect x="8" y="28' in narrow  # under it
    page = client.get(reverse("recap"), {"siklus": cycle_2031.pk}).content.decode()
    assert f'viewBox="0 0 {PHONE} ' in page
