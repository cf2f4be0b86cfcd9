"""The planning office's pagu indikatif page: the list, a sheet imported whole or not at all,
a kota total split by RW count to the rupiah; nobody else has the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area, Level
from areas.services import rw_ensure
from proposals.ceilings import split_by_weight
from proposals.models import Ceiling


def page(cycle) -> str:
    return reverse("proposals:ceilings", args=[cycle.pk])


def sheet(text: str, name: str = "pagu.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_planning_office_sees_every_kecamatan_and_kelurahan(client, suban, cycle, kenari):
    Ceiling.objects.create(cycle=cycle, area=kenari, amount=1_500_000_000)
    client.force_login(suban)
    content = client.get(page(cycle)).content.decode()
    assert "Kecamatan Senen" in content and "Kenari" in content and "Rp 1.500.000.000" in content
    assert content.count("<tr") == 1 + 8 + 44


@pytest.mark.parametrize("who", ["lurah_kenari", "camat_senen", "dewan", "suban_jaksel"])
def test_no_one_else_has_the_page(client, request, cycle, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(page(cycle)).status_code == 404
    assert (
        client.post(
            page(cycle), {"action": "split", "total": "100", "level": "kecamatan"}
        ).status_code
        == 404
    )
    assert not Ceiling.objects.exists()


def test_a_sheet_sets_the_ceilings(client, suban, cycle, kenari, senen):
    client.force_login(suban)
    upload = sheet("kode wilayah,pagu\n31.71.04,5.000.000.000\n31.71.04.1002,1500000000\n")
    response = client.post(page(cycle), {"action": "import", "file": upload})
    assert response.status_code == 302
    assert dict(Ceiling.objects.values_list("area__code", "amount")) == {
        "31.71.04": 5_000_000_000,
        "31.71.04.1002": 1_500_000_000,
    }


def test_one_bad_row_imports_nothing_and_each_is_told_by_row(client, suban, cycle, kenari):
    Ceiling.objects.create(cycle=cycle, area=kenari, amount=7)
    client.force_login(suban)
    upload = sheet(
        "kode wilayah,pagu\n31.71.04.1002,1500000000\n31.74.01,100\n31.71.04,nol\n"
        "31.71.04.1002,9\n31.71.04.1002.001,5\n"
    )
    response = client.post(page(cycle), {"action": "import", "file": upload})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Tidak ada pagu yang diimpor." in content
    assert (
        "Kode wilayah 31.74.01 bukan kecamatan atau kelurahan Kota Administrasi Jakarta Pusat."
        in content
    )
    assert "Pagu harus bilangan bulat rupiah lebih dari 0" in content
    assert "Kode wilayah 31.71.04.1002 sudah ada di baris 2." in content
    assert "Kode wilayah 31.71.04.1002.001 bukan kecamatan" in content
    assert list(Ceiling.objects.values_list("amount", flat=True)) == [7]


def test_a_sheet_without_the_columns_is_refused(client, suban, cycle):
    client.force_login(suban)
    response = client.post(
        page(cycle), {"action": "import", "file": sheet("kode,jumlah\n31.71.04,1\n")}
    )
    assert response.status_code == 400
    assert "kode wilayah" in response.content.decode() and not Ceiling.objects.exists()


def test_a_kota_total_is_split_over_the_kelurahan_by_rw_to_the_rupiah(
    client, suban, cycle, kenari, paseban
):
    rw_ensure(kelurahan=kenari, count=2)
    rw_ensure(kelurahan=paseban, count=1)
    client.force_login(suban)
    data = {"action": "split", "total": "1.000.000.001", "level": "kelurahan"}
    assert client.post(page(cycle), data).status_code == 302
    amounts = dict(Ceiling.objects.values_list("area__code", "amount"))
    assert amounts == {"31.71.04.1002": 666_666_667, "31.71.04.1003": 333_333_334}
    assert sum(amounts.values()) == 1_000_000_001


def test_a_split_over_the_kecamatan_adds_up_their_kelurahan_rw(
    client, suban, cycle, kenari, gambir
):
    rw_ensure(kelurahan=kenari, count=3)
    rw_ensure(kelurahan=Area.objects.kelurahan().filter(parent=gambir).first(), count=1)
    client.force_login(suban)
    data = {"action": "split", "total": "400", "level": "kecamatan"}
    assert client.post(page(cycle), data).status_code == 302
    assert dict(Ceiling.objects.values_list("area__code", "amount")) == {
        "31.71.04": 300,
        "31.71.01": 100,
    }
    assert not Ceiling.objects.filter(area__level=Level.KELURAHAN).exists()


@pytest.mark.parametrize("total", ["", "0", "-5", "1,5", "satu juta", "9" * 20])
def test_a_bad_total_is_refused(client, suban, cycle, total):
    client.force_login(suban)
    response = client.post(page(cycle), {"action": "split", "total": total, "level": "kecamatan"})
    assert response.status_code == 400 and not Ceiling.objects.exists()


def test_without_any_rw_nothing_is_split(client, suban, cycle):
    client.force_login(suban)
    response = client.post(page(cycle), {"action": "split", "total": "100", "level": "kecamatan"})
    assert response.status_code == 400
    assert "Tidak ada RW untuk dasar pembagian." in response.content.decode()


def test_the_largest_remainders_take_the_rupiah_left_over():
    parts = split_by_weight(10, {1: 1, 2: 1, 3: 1})
    assert parts == {1: 4, 2: 3, 3: 3} and sum(parts.values()) == 10
    parts = split_by_weight(100, {1: 7, 2: 2, 3: 1, 4: 0})
    assert parts == {1: 70, 2: 20, 3: 10, 4: 0}


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_reads_the_same_queries_however_many_ceilings_and_rw(
    client, suban, cycle, kenari, senen
):
    client.force_login(suban)
    queries(client, page(cycle))
    few = queries(client, page(cycle))
    rw_ensure(kelurahan=kenari, count=12)
    for area in Area.objects.filter(code__startswith="31.71.").exclude(level=Level.RW):
        Ceiling.objects.create(cycle=cycle, area=area, amount=1_000)
    assert queries(client, page(cycle)) == few <= 8


def test_the_cycles_admin_lists_its_ceilings_and_leads_to_the_page(
    client, superuser, cycle, kenari
):
    Ceiling.objects.create(cycle=cycle, area=kenari, amount=1_500_000_000)
    client.force_login(superuser)
    response = client.get(reverse("admin:proposals_cycle_change", args=[cycle.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="ceilings-0-amount" value="1500000000"' in content
    assert f'href="{page(cycle)}"' in content
