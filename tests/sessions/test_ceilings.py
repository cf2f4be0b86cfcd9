"""A ranked sidang against its area's pagu indikatif: the ranking page's running total, the
reason closing over it needs, and the berita acara that prints both."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals.models import Ceiling, Recommendation, Survey
from sessions import pdf
from sessions.models import Decision, Kind, Sidang, State
from sessions.services import SessionError, ceiling_standing, closing_problems, sidang_close
from tests.session_fixtures import attend, placements, save, schedule
from tests.sessions.helpers import pdf_text, text, url

REASON = "Jalan lingkungan rusak berat dan membahayakan warga."


@pytest.fixture
def ranked_kenari(kelompok_kenari, lurah_kenari, accepted_kenari, ukpd_binamarga):
    """Kenari's sidang kelompok with 5 utama and 2 cadangan, the second utama surveyed at
    100 instead of 120 units."""
    road = accepted_kenari[1]
    Survey.objects.create(
        proposal=road,
        surveyed_on=datetime.date(2024, 2, 12),
        officer=ukpd_binamarga,
        findings="Panjang jalan diukur ulang.",
        recommendation=Recommendation.RECOMMENDED,
        revised_volume=Decimal("100"),
        revised_cost=100 * road.unit_price,
    )
    attend(kelompok_kenari, 3)
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    return Sidang.objects.get(pk=kelompok_kenari.pk)


def costs(sidang) -> tuple[int, int]:
    """The utama's and the cadangan's cost, counted here from the proposals."""
    utama = cadangan = 0
    for c in sidang.candidates.select_related("proposal__survey"):
        survey = getattr(c.proposal, "survey", None)
        cost = survey.revised_cost if survey else c.proposal.cost
        utama += cost if c.decision == Decision.UTAMA else 0
        cadangan += cost if c.decision == Decision.CADANGAN else 0
    return utama, cadangan


def test_the_standing_counts_the_surveyed_cost_and_what_the_cadangan_add(ranked_kenari, kenari):
    utama, cadangan = costs(ranked_kenari)
    assert utama == 3_033_000_000  # 2 tents at 1,44 M, 3 roads at 54 M, one surveyed at 45 M
    Ceiling.objects.create(cycle=ranked_kenari.cycle, area=kenari, amount=3_000_000_000)
    standing = ceiling_standing(Sidang.objects.get(pk=ranked_kenari.pk))
    assert (standing.ceiling, standing.utama, standing.cadangan) == (3_000_000_000, utama, cadangan)
    assert standing.over == 33_000_000 and standing.left == 0


def test_a_sidang_is_fitted_to_its_own_areas_ceiling(cycle, kenari, senen, ranked_kenari):
    Ceiling.objects.create(cycle=cycle, area=kenari, amount=100)
    Ceiling.objects.create(cycle=cycle, area=senen, amount=200)
    musrenbang = schedule(cycle, Kind.KECAMATAN, senen)
    pleno = schedule(cycle, Kind.PLENO_PEMBUKA, senen)
    assert Sidang.objects.get(pk=ranked_kenari.pk).ceiling == 100
    assert Sidang.objects.get(pk=musrenbang.pk).ceiling == 200
    assert Sidang.objects.with_ceiling().get(pk=musrenbang.pk).ceiling == 200
    assert Sidang.objects.get(pk=pleno.pk).ceiling is None  # it ranks nothing


def test_lurah_kenari_sees_the_running_total_against_kenaris_ceiling(
    client, lurah_kenari, ranked_kenari, kenari
):
    client.force_login(lurah_kenari)
    assert 'id="pagu"' not in text(client.get(url("ranking", ranked_kenari)))
    Ceiling.objects.create(cycle=ranked_kenari.cycle, area=kenari, amount=3_000_000_000)
    page = text(client.get(url("ranking", ranked_kenari)))
    assert "Pagu indikatif Kenari: Rp 3.000.000.000" in page
    assert "Rp 3.033.000.000" in page
    assert "melebihi pagu sebesar <strong>Rp 33.000.000</strong>" in page
    assert "penutupan sidang memerlukan alasan" in page
    assert "Rp 1.494.000.000" in page  # the two cadangan: a road and a tent
    assert "Rp 4.527.000.000" in page  # utama and cadangan together


def test_within_the_ceiling_the_page_says_what_is_left(client, lurah_kenari, ranked_kenari, kenari):
    Ceiling.objects.create(cycle=ranked_kenari.cycle, area=kenari, amount=3_100_000_000)
    client.force_login(lurah_kenari)
    page = text(client.get(url("ranking", ranked_kenari)))
    assert "sisa pagu <strong>Rp 67.000.000</strong>" in page
    assert "data-ceiling-over hidden" in page


def page_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["ranking", "close", "minutes_pdf"])
def test_a_ceiling_costs_the_pages_no_query(client, lurah_kenari, ranked_kenari, kenari, page):
    client.force_login(lurah_kenari)
    address = url(page, ranked_kenari)
    page_queries(client, address)  # caches filled
    without = page_queries(client, address)
    Ceiling.objects.create(cycle=ranked_kenari.cycle, area=kenari, amount=3_000_000_000)
    # The closing page counts the utama against it once more; the others read it with the sidang.
    assert page_queries(client, address) == without + (page == "close")


def test_closing_over_the_ceiling_needs_a_reason_printed_in_the_berita_acara(
    ranked_kenari, lurah_kenari, kenari
):
    Ceiling.objects.create(cycle=ranked_kenari.cycle, area=kenari, amount=3_000_000_000)
    problems = closing_problems(ranked_kenari)
    assert (
        "Biaya usulan utama Rp 3.033.000.000 melebihi pagu indikatif Rp 3.000.000.000 sebesar "
        "Rp 33.000.000: tuliskan alasannya."
    ) in problems
    with pytest.raises(SessionError, match="melebihi pagu indikatif"):
        sidang_close(sidang=ranked_kenari, by=lurah_kenari, over_ceiling_reason="  ")
    assert Sidang.objects.get(pk=ranked_kenari.pk).state == State.IN_PROGRESS
    closed = sidang_close(sidang=ranked_kenari, by=lurah_kenari, over_ceiling_reason=REASON)
    closed.refresh_from_db()
    assert closed.over_ceiling_reason == REASON
    content = pdf_text(closed.minutes.file.read())
    assert (
        "Jumlah biaya usulan utama sebesar Rp 3.033.000.000 dari pagu indikatif Kelurahan Kenari "
        "sebesar Rp 3.000.000.000, melebihi pagu sebesar Rp 33.000.000, dengan alasan: " + REASON
    ) in content
    assert "Pagu indikatif Kelurahan Kenari 3.000.000.000" in content
    assert "Melebihi pagu indikatif sebesar 33.000.000" in content


def test_within_the_ceiling_no_reason_is_asked_nor_kept(ranked_kenari, lurah_kenari, kenari):
    Ceiling.objects.create(cycle=ranked_kenari.cycle, area=kenari, amount=5_000_000_000)
    assert closing_problems(ranked_kenari) == []
    closed = sidang_close(sidang=ranked_kenari, by=lurah_kenari, over_ceiling_reason="Lain.")
    closed.refresh_from_db()
    assert closed.over_ceiling_reason == ""
    content = pdf_text(closed.minutes.file.read())
    assert "dari pagu indikatif Kelurahan Kenari sebesar Rp 5.000.000.000 sebagaimana" in content
    assert "Sisa pagu indikatif 1.967.000.000" in content


def test_without_a_ceiling_the_berita_acara_says_nothing_of_it(ranked_kenari):
    assert "pagu" not in pdf_text(pdf.minutes_pdf(ranked_kenari)).lower()


def test_the_closing_page_asks_the_lurah_for_the_reason(
    client, lurah_kenari, ranked_kenari, kenari
):
    Ceiling.objects.create(cycle=ranked_kenari.cycle, area=kenari, amount=3_000_000_000)
    client.force_login(lurah_kenari)
    page = text(client.get(url("close", ranked_kenari)))
    assert 'name="over_ceiling_reason"' in page
    assert "Melebihi pagu sebesar Rp 33.000.000." in page
    refused = client.post(url("close", ranked_kenari), {"over_ceiling_reason": ""})
    assert refused.status_code == 400
    assert "tuliskan alasannya" in text(refused)
    closed = client.post(url("close", ranked_kenari), {"over_ceiling_reason": REASON})
    assert closed.status_code == 302
    assert Sidang.objects.get(pk=ranked_kenari.pk).over_ceiling_reason == REASON


def test_the_closed_sidangs_page_gives_the_reason(client, lurah_kenari, ranked_kenari, kenari):
    Ceiling.objects.create(cycle=ranked_kenari.cycle, area=kenari, amount=3_000_000_000)
    sidang_close(sidang=ranked_kenari, by=lurah_kenari, over_ceiling_reason=REASON)
    client.force_login(lurah_kenari)
    page = text(client.get(url("detail", ranked_kenari)))
    assert "Alasan biaya utama melebihi pagu indikatif:" in page and REASON in page
