"""The spreadsheet import page: all rows or none, only into one's own area, in few queries."""

import csv
import io
import math
import time
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from proposals.imports import BATCH_SIZE
from proposals.models import CatalogueItem, Category, Cycle, Event, Proposal, Status
from proposals.spreadsheet import HEADERS, Problem
from tests.proposals.files import PNG, blank_rows_xlsx

URL = reverse("proposals:import")

KENARI_001 = "31.71.04.1002.001"
KENARI_002 = "31.71.04.1002.002"
PASEBAN_001 = "31.71.04.1003.001"


def row(**values) -> dict:
    """A good row of a betonisasi in RW 001 Kenari; keyword arguments replace cells."""
    return {
        "Kode RW": KENARI_001,
        "Judul": "Betonisasi jalan lingkungan RT 003",
        "Permasalahan dan alasan": "Jalan rusak dan tergenang setiap hujan.",
        "Kode kamus": "BM-01",
        "Volume": "120",
        "Alamat": "Jl. Kenari II",
        "RT": "3",
        "Penerima manfaat": "250",
        **{key.replace("_", " "): value for key, value in values.items()},
    }


def out_of_catalogue(**values) -> dict:
    return row(
        **{
            "Kode kamus": "",
            "Kategori": "Pengadaan barang",
            "Kode UKPD": "sda",
            "Satuan": "unit",
            "Harga satuan": "1.250.000",
            **values,
        }
    )


def csv_upload(rows, *, header=HEADERS, delimiter=";", bom=True, name="usulan.csv"):
    output = io.StringIO(newline="")
    writer = csv.writer(output, delimiter=delimiter)
    writer.writerow(header)
    for values in rows:
        writer.writerow([] if values is None else [values.get(h, "") for h in header])
    text = ("\ufeff" if bom else "") + output.getvalue()
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows, *, header=HEADERS, name="usulan.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([] if values is None else [values.get(h) for h in header])
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def post(client, upload):
    return client.post(URL, {"file": upload})


def problems(response) -> list[Problem]:
    context = response.context
    return context["file_problems"] + context["row_problems"]


@pytest.fixture
def kenari_setup(cycle, rw_kenari, betonisasi, tenda):
    """The cycle, RW 001 and 002 of Kenari, and the catalogue (Bina Marga and SDA)."""
    return cycle


def test_planning_office_imports_a_good_csv(client, suban, kenari_setup, proposal_kenari):
    client.force_login(suban)
    response = post(
        client,
        csv_upload(
            [
                row(),
                None,  # blank rows are skipped
                out_of_catalogue(
                    Kode_RW=KENARI_002, Volume="2,5", Lintang="-6,1862", Bujur="106.8505"
                ),
                row(Kategori="FISIK", Satuan="m2", Harga_satuan="Rp 500.000", RT=""),
            ],
            name="rembuk-kenari.csv",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:list")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["3 usulan diimpor."]
    imported = list(Proposal.objects.exclude(pk=proposal_kenari.pk).order_by("number"))
    assert [p.code for p in imported] == ["JP24-00002", "JP24-00003", "JP24-00004"]
    first, goods, priced = imported
    assert first.rw.code == KENARI_001
    assert (first.kelurahan.code, first.kecamatan.code) == ("31.71.04.1002", "31.71.04")
    assert (first.catalogue_item.code, first.category, first.target_unit.code) == (
        "BM-01",
        Category.FISIK,
        "binamarga",
    )
    assert (first.measure, first.unit_price, first.cost) == ("m2", 450_000, 54_000_000)
    assert (first.rt, first.beneficiaries) == ("003", 250)
    assert goods.rw.code == KENARI_002
    assert goods.catalogue_item is None
    assert (goods.category, goods.target_unit.code, goods.measure) == ("pengadaan", "sda", "unit")
    assert (goods.volume, goods.unit_price, goods.cost) == (Decimal("2.5"), 1_250_000, 3_125_000)
    assert (goods.latitude, goods.longitude) == (Decimal("-6.1862"), Decimal("106.8505"))
    assert (priced.unit_price, priced.cost, priced.rt) == (500_000, 60_000_000, "")
    for proposal in imported:
        assert proposal.status == Status.SUBMITTED
        assert proposal.submitted_at is not None
        assert proposal.created_by == suban
        [event] = proposal.events.all()
        assert (event.action, event.actor, event.note) == (
            Event.Action.IMPORTED,
            suban,
            "rembuk-kenari.csv",
        )
        assert event.actor_office == "Suku Badan Perencanaan Pembangunan Kota"
    assert Cycle.objects.get().last_number == 4


def test_lurah_imports_into_own_kelurahan_as_lurah(client, lurah_kenari, kenari_setup):
    client.force_login(lurah_kenari)
    response = post(client, xlsx_upload([row(), row(Kode_RW=KENARI_002)]))
    assert response.status_code == 302
    assert Proposal.objects.filter(kelurahan__code="31.71.04.1002").count() == 2
    assert set(Event.objects.values_list("actor_office", flat=True)) == {"Lurah Kenari"}


def test_one_bad_row_among_500_imports_nothing_and_names_it(client, suban, kenari_setup):
    rows = [row(Judul=f"Usulan {index}") for index in range(500)]
    rows[317] = row(Volume=-1)
    client.force_login(suban)

    response = post(client, xlsx_upload(rows))

    assert response.status_code == 200
    assert problems(response) == [Problem(319, "Volume", "Volume harus angka lebih dari 0.")]
    assert response.context["problem_count"] == 1
    page = response.content.decode()
    assert "Tidak ada usulan yang diimpor." in page
    assert '<td class="text-end">319</td>' in page
    assert not Proposal.objects.exists()
    assert not Event.objects.exists()
    assert Cycle.objects.get().last_number == 0


def test_every_problem_is_reported_with_row_and_column(client, suban, kenari_setup):
    client.force_login(suban)
    rows = [
        row(Kode_RW="31.71.04.1002.099"),  # 2
        row(Kode_kamus="XX-99"),  # 3
        row(Volume="banyak"),  # 4
        row(Judul="J" * 201),  # 5
        out_of_catalogue(Kategori=""),  # 6
        out_of_catalogue(Kode_UKPD="tidakada"),  # 7
        out_of_catalogue(Harga_satuan="murah"),  # 8
        row(Harga_satuan="99999999999999999999"),  # 9
        row(Lintang="100", Bujur="106,8"),  # 10
        row(RT="12345"),  # 11
        row(Penerima_manfaat="-3"),  # 12
        row(Lintang="-6,18"),  # 13
        row(Kategori="jalan"),  # 14
        row(Kategori="pengadaan"),  # 15
        out_of_catalogue(Satuan="", Harga_satuan=""),  # 16
        row(Alamat="", Volume="1.250"),  # 17
        row(Volume="1,2555"),  # 18
        row(Volume="99999999999"),  # 19
        row(Volume="100000", Harga_satuan="10.000.000.000.000"),  # 20
        row(Judul="Usulan yang baik"),  # 21: nothing to report
    ]
    response = post(client, csv_upload(rows))

    found = [(p.row, p.column, p.message) for p in problems(response)]
    expected = [
        (2, "Kode RW", "Kode RW tidak dikenal"),
        (3, "Kode kamus", "Kode kamus tidak dikenal"),
        (4, "Volume", "Volume harus angka lebih dari 0"),
        (5, "Judul", "Judul paling banyak 200 karakter"),
        (6, "Kategori", "Kategori wajib diisi bila Kode kamus kosong"),
        (7, "Kode UKPD", "Kode UKPD tidak dikenal"),
        (8, "Harga satuan", "Harga satuan harus bilangan bulat rupiah"),
        (9, "Harga satuan", "Harga satuan terlalu besar"),
        (10, "Lintang", "Lintang harus angka antara -90 dan 90"),
        (11, "RT", "RT harus angka"),
        (12, "Penerima manfaat", "Penerima manfaat harus bilangan bulat"),
        (13, "Bujur", "Isi Lintang dan Bujur bersama-sama"),
        (14, "Kategori", "Kategori tidak dikenal"),
        (15, "Kategori", "Kategori tidak sesuai dengan item kamus BM-01"),
        (16, "Satuan", "Satuan wajib diisi bila Kode kamus kosong"),
        (16, "Harga satuan", "Harga satuan wajib diisi bila Kode kamus kosong"),
        (17, "Volume", "meragukan"),
        (17, "Alamat", "Alamat wajib diisi"),
        (18, "Volume", "Volume paling banyak 2 angka di belakang koma"),
        (19, "Volume", "Volume paling besar"),
        (20, "Harga satuan", "Perkiraan biaya (volume × harga satuan) paling besar"),
    ]
    assert [(r, c) for r, c, _ in found] == [(r, c) for r, c, _ in expected]
    for (_, _, message), (_, _, fragment) in zip(found, expected, strict=True):
        assert fragment in message
    assert not Proposal.objects.exists()


def test_at_most_200_problems_are_shown(client, suban, kenari_setup):
    client.force_login(suban)
    response = post(client, csv_upload([row(Volume="0")] * 206))
    assert len(response.context["row_problems"]) == 200
    assert response.context["problem_count"] == 206
    page = response.content.decode()
    assert "Ditemukan 206 masalah." in page
    assert "dan 6 masalah lain yang tidak ditampilkan." in page


def test_catalogue_code_of_two_units_needs_the_unit(client, suban, kenari_setup, betonisasi, sda):
    CatalogueItem.objects.create(
        unit=sda,
        code="BM-01",
        name="Saluran air",
        category=Category.FISIK,
        sector="Air",
        measure="m",
        unit_price=300_000,
    )
    CatalogueItem.objects.filter(code="PB-01").update(active=False)
    client.force_login(suban)
    response = post(client, csv_upload([row(), row(Kode_kamus="PB-01", Kategori="")]))
    assert [(p.row, p.column, p.message) for p in problems(response)] == [
        (2, "Kode kamus", "Kode kamus BM-01 dipakai beberapa UKPD; isi juga Kode UKPD."),
        (3, "Kode kamus", "Item kamus PB-01 sudah tidak aktif."),
    ]

    response = post(client, csv_upload([row(Kode_UKPD="SDA")]))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.target_unit, proposal.measure, proposal.cost) == (sda, "m", 36_000_000)


def test_superuser_imports_anywhere_in_the_kota(client, superuser, kenari_setup, rw_paseban):
    client.force_login(superuser)
    response = post(client, csv_upload([row(), row(Kode_RW=PASEBAN_001)]))
    assert response.status_code == 302
    assert Proposal.objects.count() == 2


def test_lurah_cannot_import_into_another_kelurahan(client, lurah_kenari, kenari_setup, rw_paseban):
    client.force_login(lurah_kenari)
    response = post(client, csv_upload([row(), row(Kode_RW=PASEBAN_001)]))
    assert response.status_code == 200
    assert problems(response) == [
        Problem(3, "Kode RW", f"RW di luar wilayah Anda ({PASEBAN_001}).")
    ]
    assert not Proposal.objects.exists()
    assert not Event.objects.exists()


def test_planning_office_of_another_kota_has_no_cycle(client, suban_jaksel, kenari_setup):
    client.force_login(suban_jaksel)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "Belum ada siklus musrenbang untuk kota Anda" in response.content.decode()
    assert post(client, csv_upload([row()])).status_code == 200
    assert not Proposal.objects.exists()


def test_rw_official_gets_404(client, rw_kenari_001, kenari_setup):
    client.force_login(rw_kenari_001)
    assert client.get(URL).status_code == 404
    assert post(client, csv_upload([row()])).status_code == 404
    assert client.get(reverse("proposals:import_template", args=["xlsx"])).status_code == 404
    assert not Proposal.objects.exists()


def test_visitor_is_sent_to_sign_in(client, kenari_setup):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert post(client, csv_upload([row()])).status_code == 302
    assert not Proposal.objects.exists()


def test_page_shows_the_form_and_both_templates(client, lurah_kenari, cycle):
    client.force_login(lurah_kenari)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page
    assert reverse("proposals:import_template", args=["xlsx"]) in page
    assert reverse("proposals:import_template", args=["csv"]) in page


def test_xlsx_template_has_the_headers_and_imports_as_is(client, suban, kenari_setup):
    client.force_login(suban)
    response = client.get(reverse("proposals:import_template", args=["xlsx"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == 2

    imported = post(client, SimpleUploadedFile("templat.xlsx", response.content))
    assert imported.status_code == 302
    assert Proposal.objects.get().cost == 54_000_000


def test_csv_template_has_the_header_line_and_imports_as_is(client, suban, kenari_setup):
    client.force_login(suban)
    response = client.get(reverse("proposals:import_template", args=["csv"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(HEADERS)
    assert len(text.splitlines()) == 2

    imported = post(client, SimpleUploadedFile("templat.csv", response.content))
    assert imported.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.cost, proposal.latitude) == (54_000_000, Decimal("-6.1862"))


def test_template_of_another_format_is_404(client, suban):
    client.force_login(suban)
    assert client.get(reverse("proposals:import_template", args=["pdf"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.xlsx", PNG, "Berkas ini bukan lembar kerja XLSX yang sah."),
        ("x.csv", PNG, "Berkas ini bukan CSV yang sah."),
        ("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel 97–2003"),
        ("x.pdf", b"%PDF-1.4", "Unggah berkas .xlsx atau .csv"),
        ("x.csv", b"\xef\xbb\xbf", "Baris 1 harus berisi judul kolom"),
        ("x.csv", ";".join(HEADERS).encode() + b"\r\n;;\r\n", "Berkas tidak berisi usulan"),
    ],
)
def test_a_file_that_is_no_usable_spreadsheet_gets_one_clear_message(
    client, suban, kenari_setup, name, content, message
):
    client.force_login(suban)
    response = post(client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    [problem] = problems(response)
    assert message in problem.message
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_missing_required_column_is_one_message(client, suban, kenari_setup):
    client.force_login(suban)
    header = [h for h in HEADERS if h not in ("Judul", "Volume")]
    response = post(client, csv_upload([row()] * 3, header=header))
    assert problems(response) == [
        Problem(
            None,
            "",
            "Kolom wajib tidak ada di baris 1: Judul, Volume. Gunakan templat impor.",
        )
    ]


def test_headers_match_loosely_in_any_order_with_commas(client, suban, kenari_setup):
    columns = list(reversed(HEADERS))
    output = io.StringIO(newline="")
    writer = csv.writer(output)
    writer.writerow(["No", *(f"  {h.upper()} " for h in columns)])
    writer.writerow(["1", *(row().get(h, "") for h in columns)])
    client.force_login(suban)
    response = post(client, SimpleUploadedFile("usulan.csv", output.getvalue().encode()))
    assert response.status_code == 302
    assert Proposal.objects.get().volume == 120


def test_numeric_cells_of_xlsx_are_read(client, suban, kenari_setup):
    client.force_login(suban)
    cells = out_of_catalogue(
        Volume=2.5,
        Harga_satuan=1_250_000.0,
        RT=3,
        Lintang=-6.1862,
        Bujur=106.8505,
        Penerima_manfaat=40,
    )
    response = post(client, xlsx_upload([cells]))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.volume, proposal.unit_price, proposal.cost) == (
        Decimal("2.5"),
        1_250_000,
        3_125_000,
    )
    assert (proposal.rt, proposal.beneficiaries) == ("003", 40)


def test_a_wrong_type_cell_is_a_row_problem(client, suban, kenari_setup):
    client.force_login(suban)
    response = post(client, xlsx_upload([row(Volume=True), row(Penerima_manfaat=1.5)]))
    assert [(p.row, p.column) for p in problems(response)] == [
        (2, "Volume"),
        (3, "Penerima manfaat"),
    ]


def test_a_spreadsheet_over_the_size_limit_is_refused(client, suban, kenari_setup, settings):
    client.force_login(suban)
    big = SimpleUploadedFile("besar.csv", b"x" * (10 * 1024 * 1024 + 1))
    response = post(client, big)
    assert response.status_code == 200
    assert "lebih dari 10 MB" in response.content.decode()


def test_a_csv_of_old_excel_is_refused_unless_windows_1252_is_chosen(client, suban, kenari_setup):
    title = "Betonisasi — Gg. Kafé"  # the dash and é in Windows-1252 are no UTF-8
    data = csv_upload([row(Judul=title)], bom=False).read().decode().encode("cp1252")
    client.force_login(suban)

    response = client.post(URL, {"file": SimpleUploadedFile("lama.csv", data)})

    assert response.status_code == 200
    [problem] = problems(response)
    # The dash follows the RW code, ";" and "Betonisasi ": 29 bytes.
    assert problem.message.startswith("Baris 2, bita 30: bukan UTF-8 yang sah.")
    assert "pilih pengodean Windows-1252" in response.content.decode()
    assert not Proposal.objects.exists()

    chosen = {"file": SimpleUploadedFile("lama.csv", data), "encoding": "cp1252"}
    response = client.post(URL, chosen)
    assert response.status_code == 302
    assert Proposal.objects.get().title == title


def test_the_form_offers_the_csv_encodings_utf8_first(client, suban, kenari_setup):
    client.force_login(suban)
    form = client.get(URL).context["form"]
    assert [value for value, _label in form.fields["encoding"].choices] == ["utf-8", "cp1252"]
    assert form["encoding"].value() == "utf-8"
    response = post(client, csv_upload([row()]))
    assert response.status_code == 302  # a post without the choice reads UTF-8


def test_an_xlsx_of_blank_rows_is_refused_on_the_page_in_seconds(client, suban, kenari_setup):
    bomb = SimpleUploadedFile("kosong.xlsx", blank_rows_xlsx(1_700_000))
    client.force_login(suban)
    start = time.monotonic()
    response = post(client, bomb)
    assert time.monotonic() - start < 5
    assert response.status_code == 200
    assert "lebih dari 25.000 baris" in response.content.decode()
    assert not Proposal.objects.exists()


def _insert_batches(model, count: int) -> int:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    size = min(BATCH_SIZE, connection.ops.bulk_batch_size(fields, [None] * count))
    return math.ceil(count / size)


def _import_counting_queries(client, rows: int, start: int) -> list[str]:
    upload = csv_upload(row(Judul=f"Usulan {start + i}") for i in range(rows))
    with CaptureQueriesContext(connection) as queries:
        response = post(client, upload)
    assert response.status_code == 302
    return [q["sql"] for q in queries.captured_queries]


def test_ten_thousand_rows_import_in_a_fixed_number_of_lookups(
    client, suban, kenari_setup, django_assert_max_num_queries
):
    client.force_login(suban)
    ContentType.objects.get_for_model(Cycle)  # cached per process; the audit entry needs it
    few = _import_counting_queries(client, 10, 0)
    inserts = _insert_batches(Proposal, 10_000) + _insert_batches(Event, 10_000) + 1
    with django_assert_max_num_queries(10 + inserts):
        many = _import_counting_queries(client, 10_000, 10)

    assert Proposal.objects.count() == 10_010
    assert Event.objects.count() == 10_010
    assert Proposal.objects.order_by("-number").first().code == "JP24-10010"

    def lookups(queries):
        return [
            sql
            for sql in queries
            if not sql.lstrip().upper().startswith(("INSERT", "SAVEPOINT", "RELEASE SAVEPOINT"))
        ]

    # Session, user, reach, cycle, RWs, units with their catalogue, numbers, the UKPD officers
    # to tell; then the inserts (proposals, their journey events, their audit entries): one per
    # table on PostgreSQL, as many as SQLite's limit on parameters needs there.
    assert len(lookups(many)) == len(lookups(few)) <= 8
    inserts = [sql for sql in many if sql.lstrip().upper().startswith("INSERT")]
    # …and one audit entry for the file.
    assert len(inserts) == _insert_batches(Proposal, 10_000) + _insert_batches(Event, 10_000) + 1
    entry = LogEntry.objects.get_for_object(kenari_setup).latest("timestamp")
    assert entry.actor == suban
    assert entry.additional_data["import"]["rows"] == 10_000
    assert entry.additional_data["import"]["codes"] == ["JP24-00011", "JP24-10010"]
    if connection.vendor == "postgresql":
        assert len(inserts) == 3


FAIL_EVENTS = {
    "postgresql": [
        "CREATE FUNCTION uji_gagal() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'disk penuh'; END $$",
        "CREATE TRIGGER uji_gagal BEFORE INSERT ON proposals_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION uji_gagal()",
    ],
    "sqlite": [
        "CREATE TRIGGER uji_gagal BEFORE INSERT ON proposals_event "
        "BEGIN SELECT RAISE(ABORT, 'disk penuh'); END",
    ],
}


def test_an_import_that_fails_midway_writes_nothing(client, suban, kenari_setup):
    """The database refuses the journey entries after the proposals went in (a full disk, say):
    the whole import is undone, numbers included, and the official gets the error page."""
    with connection.cursor() as cursor:
        for statement in FAIL_EVENTS[connection.vendor]:
            cursor.execute(statement)
    client.force_login(suban)
    client.raise_request_exception = False
    response = post(client, csv_upload(row(Judul=f"Usulan {i}") for i in range(50)))
    assert response.status_code == 500
    assert Proposal.objects.count() == 0
    assert Event.objects.count() == 0
    kenari_setup.refresh_from_db()
    assert kenari_setup.last_number == 0
