"""The spreadsheet import under hostile input: a file lands whole, or changes nothing and says
what to fix; raw bytes of any kind are refused as a file, never a server error."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from hypothesis import event, given
from hypothesis import strategies as st

from proposals.imports import proposals_import
from proposals.models import Event, Proposal, Status, rupiah_cost
from proposals.spreadsheet import HEADERS, ImportRejected
from tests.hostile.conftest import hostile_settings, rolled_back
from tests.hostile.strategies import one_of_or_junk

URL = reverse("proposals:import")

CELLS = {
    "Kode RW": one_of_or_junk("31.71.04.1002.001", "31.71.04.1002.002", "31.71.04.1003.001"),
    "Judul": one_of_or_junk("Betonisasi jalan lingkungan RT 003"),
    "Permasalahan dan alasan": one_of_or_junk("Jalan rusak dan tergenang setiap hujan."),
    "Kode kamus": one_of_or_junk("BM-01", "PB-01", "", "bm-01"),
    "Kategori": one_of_or_junk("", "fisik", "Pengadaan barang"),
    "Kode UKPD": one_of_or_junk("", "sda", "binamarga"),
    "Volume": one_of_or_junk("120", "2,5", "1.250", "9999999999,99"),
    "Satuan": one_of_or_junk("", "m2", "unit"),
    "Harga satuan": one_of_or_junk("", "1.250.000", "Rp 500.000", "9223372036854775807"),
    "Alamat": one_of_or_junk("Jl. Kenari II"),
    "RT": one_of_or_junk("3", "", "RT 003"),
    "Lintang": one_of_or_junk("", "-6,1862"),
    "Bujur": one_of_or_junk("", "106.8505"),
    "Penerima manfaat": one_of_or_junk("250", "", "1.000"),
}
ROWS = st.lists(st.fixed_dictionaries(CELLS), min_size=1, max_size=4)


def csv_bytes(rows, delimiter: str) -> bytes:
    output = io.StringIO(newline="")
    writer = csv.writer(output, delimiter=delimiter)
    writer.writerow(HEADERS)
    for values in rows:
        writer.writerow([values[h] for h in HEADERS])
    return output.getvalue().encode("utf-8", "surrogatepass")


def state() -> tuple:
    return (list(Proposal.objects.order_by("pk").values_list()), Event.objects.count())


def test_an_import_lands_whole_or_changes_nothing(
    client, suban, cycle, rw_kenari, rw_paseban, betonisasi, tenda, examples
):
    client.force_login(suban)

    @hostile_settings(examples)
    @given(rows=ROWS, delimiter=st.sampled_from([";", ",", "\t"]))
    def check(rows, delimiter):
        with rolled_back():
            before = state()
            count = Proposal.objects.count()
            upload = SimpleUploadedFile("usulan.csv", csv_bytes(rows, delimiter))
            response = client.post(URL, {"file": upload})
            assert response.status_code < 500
            event(f"HTTP {response.status_code}")
            if response.status_code == 302:
                # Blank rows are skipped, so at most one proposal a row.
                imported = list(Proposal.objects.order_by("pk")[count:])
                assert 1 <= len(imported) <= len(rows)
                for proposal in imported:
                    proposal.full_clean()
                    assert proposal.status == Status.SUBMITTED
                    assert proposal.cost == rupiah_cost(proposal.volume, proposal.unit_price)
                    assert proposal.events.count() == 1
                    assert proposal.kelurahan_id == proposal.rw.parent_id
            else:
                assert response.status_code == 200
                context = response.context
                shown = context["file_problems"] + context["row_problems"]
                assert shown or response.context["form"].errors
                page = response.content.decode()
                for problem in shown:
                    assert escape(problem.message) in page
                assert state() == before

    check()


def test_any_bytes_are_refused_as_a_file_or_imported(suban, cycle, rw_kenari, betonisasi, examples):
    @hostile_settings(examples)
    @given(
        data=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)),
        name=st.sampled_from(["usulan.csv", "usulan.xlsx", "usulan.txt", "usulan"]),
    )
    def check(data, name):
        with rolled_back():
            before = state()
            try:
                proposals_import(cycle=cycle, data=data, file_name=name, by=suban)
            except ImportRejected as rejected:
                assert rejected.problems and all(p.message for p in rejected.problems)
                assert state() == before

    check()
