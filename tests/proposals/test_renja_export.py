"""The XLSX of accommodated proposals by SKPD/UKPD, for the Renja team."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from proposals.models import Proposal, Status, SubActivity
from proposals.services import decision_record
from tests.proposal_fixtures import make_proposal

URL = reverse("proposals:renja_xlsx")


def rows_of(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def accommodate(proposal, by, sub_activity, **fields):
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.KECAMATAN_PRIORITY)
    proposal.refresh_from_db()
    decision_record(proposal=proposal, kind="renja", sub_activity=sub_activity, by=by, **fields)


@pytest.fixture
def decided(cycle, rw_kenari, betonisasi, tenda, rw_kenari_001, suban, sub_activity, sda):
    """Two proposals for Bina Marga, one for SDA; one refused (not exported)."""
    road = [make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001) for _ in range(2)]
    tent = make_proposal(cycle, rw_kenari[1], tenda, rw_kenari_001)
    for proposal in road:
        accommodate(proposal, suban, sub_activity, amount=10_000_000)
    accommodate(tent, suban, sub_activity, amount=5_000_000, unit=sda)
    refused = make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001)
    Proposal.objects.filter(pk=refused.pk).update(status=Status.KECAMATAN_PRIORITY)
    decision_record(proposal=refused, kind="not_accommodated", reason="Tidak.", by=suban)
    return road, tent, refused


def test_proposals_are_grouped_by_unit_with_subtotals_and_a_total(client, suban, decided):
    road, tent, refused = decided
    client.force_login(suban)
    rows = rows_of(client.get(URL))
    assert rows[1][:4] == ["Kode usulan", "Program", "Kegiatan", "Sub kegiatan"]
    labels = [row[0] for row in rows[2:]]
    assert labels == [
        "Sudin Bina Marga",
        road[0].code,
        road[1].code,
        "Jumlah Sudin Bina Marga",
        "Sudin Sumber Daya Air",
        tent.code,
        "Jumlah Sudin Sumber Daya Air",
        "Jumlah seluruhnya",
    ]
    amounts = {row[0]: row[10] for row in rows[2:]}
    assert amounts["Jumlah Sudin Bina Marga"] == 20_000_000
    assert amounts["Jumlah seluruhnya"] == 25_000_000
    assert refused.code not in labels
    road_row = next(row for row in rows if row[0] == road[0].code)
    assert road_row[3].startswith("1.03.10.2.01.0012")
    assert road_row[6:12] == [road[0].rw.name, "Jl. Kenari II", 120, "m2", 10_000_000, 2025]


def test_stored_control_characters_and_formulas_still_export(client, suban, decided):
    road = decided[0][0]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Proposal._meta.db_table} SET address = %s WHERE id = %s",
            ['=HYPERLINK("x")\x07\x1b Jl. Kenari', road.pk],
        )
        cursor.execute(
            f"UPDATE {SubActivity._meta.db_table} SET name = %s", ["Jalan\x01\x0b Lingkungan"]
        )
    client.force_login(suban)
    rows = rows_of(client.get(URL))
    road_row = next(row for row in rows if row[0] == road.code)
    assert road_row[7] == '\'=HYPERLINK("x") Jl. Kenari'
    assert road_row[3].endswith("Jalan Lingkungan")


def test_the_observer_exports_and_the_page_links_it(client, dewan, suban, decided):
    client.force_login(dewan)
    assert rows_of(client.get(URL))[-1][0] == "Jumlah seluruhnya"
    assert URL in client.get(reverse("proposals:list")).content.decode()
    client.force_login(suban)
    assert URL in client.get(reverse("proposals:list")).content.decode()


@pytest.mark.parametrize("who", ["lurah_kenari", "camat_senen", "ukpd_binamarga", "rw_kenari_001"])
def test_other_roles_get_404(request, client, decided, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404
    assert URL not in client.get(reverse("proposals:list")).content.decode()


def test_another_kotas_planning_office_sees_none_of_them(
    client, suban_jaksel, decided, cycle_jaksel
):
    client.force_login(suban_jaksel)
    rows = rows_of(client.get(URL))
    assert rows[-1][0] == "Jumlah seluruhnya" and rows[-1][10] == 0
    assert len(rows) == 3


def test_the_export_queries_do_not_grow_with_the_decisions(
    client, suban, decided, cycle, rw_kenari, betonisasi, rw_kenari_001, sub_activity
):
    client.force_login(suban)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(URL)
        return len(captured)

    small = count()
    for _ in range(10):
        accommodate(
            make_proposal(cycle, rw_kenari[1], betonisasi, rw_kenari_001), suban, sub_activity
        )
    assert count() == small
