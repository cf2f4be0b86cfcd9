"""The cycle's sub kegiatan list: imported by the planning office from CSV or XLSX through the
proposal import's reader, whole or not at all."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from proposals.models import SubActivity
from proposals.renja import HEADERS
from tests.proposal_fixtures import open_cycle
from tests.proposals.files import blank_rows_xlsx

URL = reverse("proposals:sub_activities")
ROAD = ["1.03.10", "Program Jalan", "1.03.10.2.01", "Kegiatan Jalan", "1.03.10.2.01.0012", "Jalan"]
DRAIN = [
    "1.03.02",
    "Program Air",
    "1.03.02.2.01",
    "Kegiatan Saluran",
    "1.03.02.2.01.0003",
    "Saluran",
]


def csv_file(rows, *, header=HEADERS, encoding="utf-8", name="sub-kegiatan.csv"):
    text = "\n".join(";".join(row) for row in [header, *rows])
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows):
    workbook = Workbook()
    for row in [HEADERS, *rows]:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("sub-kegiatan.xlsx", output.getvalue())


def test_the_planning_office_imports_a_csv_and_sees_the_list(client, suban, cycle):
    client.force_login(suban)
    response = client.post(URL, {"file": csv_file([ROAD, DRAIN])}, follow=True)
    assert "2 baru, 0 diperbarui" in response.content.decode()
    assert set(cycle.sub_activities.values_list("code", flat=True)) == {ROAD[4], DRAIN[4]}
    page = client.get(URL).content.decode()
    assert "Program Jalan" in page and "1.03.02.2.01.0003" in page


def test_a_known_code_is_updated_and_a_new_one_added(client, suban, cycle, sub_activity):
    client.force_login(suban)
    renamed = [*ROAD[:5], "Pembangunan Jalan Lingkungan (baru)"]
    response = client.post(URL, {"file": xlsx_file([renamed, DRAIN])}, follow=True)
    assert "1 baru, 1 diperbarui" in response.content.decode()
    sub_activity.refresh_from_db()
    assert sub_activity.name == "Pembangunan Jalan Lingkungan (baru)"
    assert cycle.sub_activities.count() == 2


def test_bad_rows_are_named_and_nothing_is_saved(client, suban, cycle):
    client.force_login(suban)
    missing_name = [*DRAIN[:5], ""]
    long_code = [*ROAD[:4], "9" * 31, "Jalan"]
    doubled = list(DRAIN)
    response = client.post(URL, {"file": csv_file([ROAD, missing_name, long_code, doubled])})
    assert response.status_code == 200
    problems = [(p.row, p.column) for p in response.context["row_problems"]]
    assert problems == [(3, "Sub kegiatan"), (4, "Kode sub kegiatan")]
    assert "Tidak ada sub kegiatan yang diimpor" in response.content.decode()
    assert not SubActivity.objects.exists()  # the good rows neither


def test_a_code_twice_in_the_file_is_named(client, suban, cycle):
    client.force_login(suban)
    response = client.post(URL, {"file": csv_file([ROAD, DRAIN, ROAD])})
    [problem] = response.context["row_problems"]
    assert problem.row == 4 and "sudah ada di baris 2" in problem.message
    assert not SubActivity.objects.exists()


def test_a_missing_column_is_named(client, suban, cycle):
    client.force_login(suban)
    response = client.post(URL, {"file": csv_file([ROAD[:5]], header=HEADERS[:5])})
    [problem] = response.context["file_problems"]
    assert "Sub kegiatan" in problem.message
    assert not SubActivity.objects.exists()


def test_control_characters_are_left_out_with_a_note(client, suban, cycle):
    client.force_login(suban)
    dirty = [*ROAD[:5], "Jalan\x1b Lingkungan\u202e"]
    response = client.post(URL, {"file": csv_file([dirty])}, follow=True)
    assert SubActivity.objects.get().name == "Jalan Lingkungan"
    assert "karakter kendali" in response.content.decode()


def test_a_csv_is_read_in_the_encoding_chosen(client, suban, cycle):
    client.force_login(suban)
    accented = [*ROAD[:5], "Pembangunan Jalan – Kenari é"]
    upload = csv_file([accented], encoding="cp1252")
    refused = client.post(URL, {"file": upload})
    [problem] = refused.context["file_problems"]
    assert "bukan UTF-8 yang sah" in problem.message and "Baris 2" in problem.message
    upload = csv_file([accented], encoding="cp1252")
    client.post(URL, {"file": upload, "encoding": "cp1252"})
    assert SubActivity.objects.get().name == "Pembangunan Jalan – Kenari é"


def test_a_spreadsheet_bomb_is_refused_by_the_shared_reader(client, suban, cycle):
    client.force_login(suban)
    bomb = SimpleUploadedFile("bom.xlsx", blank_rows_xlsx(1_700_000))
    response = client.post(URL, {"file": bomb})
    [problem] = response.context["file_problems"]
    assert "baris kosong ikut dihitung" in problem.message
    assert not SubActivity.objects.exists()


def test_the_list_is_the_officials_own_cycle(client, suban_jaksel, cycle, sub_activity):
    open_cycle(suban_jaksel.assignments.get().area, "JS24")
    client.force_login(suban_jaksel)
    assert sub_activity.name not in client.get(URL).content.decode()


def test_other_roles_get_404(client, lurah_kenari, dewan, ukpd_binamarga, cycle):
    for user in (lurah_kenari, dewan, ukpd_binamarga):
        client.force_login(user)
        assert client.get(URL).status_code == 404
        assert client.post(URL, {"file": csv_file([ROAD])}).status_code == 404
    assert not SubActivity.objects.exists()


def test_the_list_queries_do_not_grow_with_its_lines(client, suban, cycle):
    client.force_login(suban)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    client.post(URL, {"file": csv_file([ROAD])})
    small = count()
    rows = [[*ROAD[:4], f"1.03.10.2.01.{n:04d}", f"Jalan {n}"] for n in range(100)]
    client.post(URL, {"file": csv_file(rows)})
    assert count() == small


def test_the_admin_lists_the_sub_kegiatan(client, suban, sub_activity):
    client.force_login(suban)
    response = client.get(reverse("admin:proposals_subactivity_changelist"))
    assert response.status_code == 200
    assert sub_activity.code in response.content.decode()
