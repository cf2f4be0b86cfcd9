"""The recap's pagu indikatif per kecamatan: the ceiling, the kecamatan priorities' cost and the
accommodated proposals' cost (surveyed where revised), with the kota's total, on the page, in
the PDF and in the XLSX, in the same queries as without ceilings."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from areas.models import Area
from areas.services import rw_ensure
from musrenbang.public.recap import recap_for
from proposals.models import Ceiling, Survey
from sessions.models import Candidate, Kind
from sessions.models import Decision as Ranking
from tests.musrenbang.test_recap_views import (
    cycle_2031,
    items,
    pdf_text,
    people,
    populate,
    recap_queries,
)
from tests.pokir_fixtures import make_dapil, make_pokir, make_recess
from tests.realisation_fixtures import accommodate

__all__ = ["cycle_2031", "items", "people"]  # fixtures


@pytest.fixture
def gambir_held(cycle_2031, items, people):
    """Gambir's musrenbang kecamatan keeps one road, surveyed down from Rp 1.000.000 to
    Rp 800.000 and accommodated in the Renja; ceilings for Gambir and Senen."""
    populate(cycle_2031, items, people, kelurahan=slice(0, 2))
    priority = Candidate.objects.get(
        sidang__cycle=cycle_2031, sidang__kind=Kind.KECAMATAN, decision=Ranking.UTAMA
    ).proposal
    Survey.objects.filter(proposal=priority).update(revised_cost=800_000)
    cache.clear()
    return cycle_2031


def ceilings(cycle) -> None:
    Ceiling.objects.create(cycle=cycle, area=Area.objects.get(code="31.71.01"), amount=900_000)
    Ceiling.objects.create(cycle=cycle, area=Area.objects.get(code="31.71.04"), amount=3_000_000)


def test_each_kecamatan_has_its_ceiling_prioritised_and_accommodated_cost(gambir_held):
    ceilings(gambir_held)
    recap = recap_for(gambir_held)
    rows = {row.name: row for row in recap.kecamatan}
    gambir, senen, menteng = rows["Gambir"], rows["Senen"], rows["Menteng"]
    assert (gambir.ceiling, gambir.prioritised_cost, gambir.accommodated_cost) == (
        900_000,
        800_000,
        800_000,
    )
    assert (senen.ceiling, senen.prioritised_cost, senen.accommodated_cost) == (3_000_000, 0, 0)
    assert menteng.ceiling is None
    assert recap.kota_row.ceiling == 3_900_000
    assert recap.kota_row.prioritised_cost == 800_000


def test_the_page_the_pdf_and_the_sheet_show_the_ceilings(client, gambir_held):
    ceilings(gambir_held)
    params = {"siklus": gambir_held.pk}
    page = client.get(reverse("recap"), params).content.decode()
    table = page[page.index('id="recap-ceiling"') :]
    assert "Rp 900.000" in table and "Rp 3.000.000" in table and "Rp 3.900.000" in table
    assert "Rp 800.000" in table and "—" in table
    printed = pdf_text(client.get(reverse("recap_pdf"), params).content)
    assert "Pagu indikatif kewilayahan" in printed and "Rp 3.900.000" in printed
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("recap_xlsx"), params).content))
    sheet = list(book["Pagu per kecamatan"].iter_rows(values_only=True))
    assert sheet[0] == (
        "Kecamatan",
        "Pagu indikatif (Rp)",
        "Biaya prioritas kecamatan (Rp)",
        "Biaya usulan yang diakomodir (Rp)",
    )
    assert sheet[1] == ("Gambir", 900_000, 800_000, 800_000)
    assert sheet[-1] == ("Jumlah", 3_900_000, 800_000, 800_000)
    assert len(sheet) == 1 + 8 + 1


def test_ceilings_cost_the_recap_no_query(client, gambir_held):
    without = recap_queries(client, gambir_held)
    ceilings(gambir_held)
    cache.clear()
    assert recap_queries(client, gambir_held) == without


def test_a_new_ceiling_shows_at_once(client, gambir_held):
    params = {"siklus": gambir_held.pk}
    assert "Rp 900.000" not in client.get(reverse("recap"), params).content.decode()
    ceilings(gambir_held)  # the cached recap is not served again
    assert "Rp 900.000" in client.get(reverse("recap"), params).content.decode()


def test_an_accommodated_pokir_counts_towards_its_kecamatan(gambir_held, items, people):
    """A pokir never enters a session, so it adds nothing prioritised; once the kota
    accommodates it, its cost counts in its kecamatan's accommodated amount."""
    ceilings(gambir_held)
    senen = Area.objects.get(code="31.71.04")
    kelurahan = Area.objects.kelurahan().within(senen).order_by("code").first()
    rw = rw_ensure(kelurahan=kelurahan, count=1)[0]
    dapil = make_dapil(senen.parent, "Dapil Uji Rekap", [senen])
    recess = make_recess(gambir_held, dapil, people["planner"])
    pokir = make_pokir(recess, rw, items[0], people["planner"], volume=Decimal(2))
    accommodate(pokir, people["planner"])
    cache.clear()
    row = {r.name: r for r in recap_for(gambir_held).kecamatan}["Senen"]
    assert (row.prioritised_cost, row.accommodated_cost) == (0, 2_000_000)
