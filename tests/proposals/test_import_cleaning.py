"""The importer leaves out what no form lets through (control characters) and what no document
shows right (a mark that prints text backwards, a stray byte-order mark), imports the row
anyway, and says by row and column what it changed."""

import pytest
from django.contrib.messages import get_messages

from proposals.models import Proposal
from tests.proposals.test_import_views import csv_upload, post, problems, row


@pytest.fixture
def kenari_setup(cycle, rw_kenari, betonisasi, tenda):
    return cycle


def warnings(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_control_characters_are_left_out_and_named_by_row_and_column(client, suban, kenari_setup):
    client.force_login(suban)
    response = post(
        client,
        csv_upload(
            [
                row(Judul="Betonisasi\x01 jalan\x1b[31m", Alamat="Jl. Kenari\u202e II\ufeff"),
                row(Permasalahan_dan_alasan="Rusak berat.\nTergenang\x07 tiap hujan.\tLama."),
            ]
        ),
    )
    assert response.status_code == 302
    first, second = Proposal.objects.order_by("number")
    assert (first.title, first.address) == ("Betonisasi jalan[31m", "Jl. Kenari II")
    assert second.problem == "Rusak berat.\nTergenang tiap hujan.\tLama."
    (warning,) = warnings(response)
    removed = "karakter kendali atau karakter tak terlihat dihapus"
    assert f"baris 2, kolom Judul: {removed}" in warning
    assert f"baris 2, kolom Alamat: {removed}" in warning
    assert f"baris 3, kolom Permasalahan dan alasan: {removed}" in warning


def test_a_line_break_in_a_field_of_one_line_becomes_a_space(client, suban, kenari_setup):
    client.force_login(suban)
    response = post(
        client, csv_upload([row(Judul="Betonisasi\r\njalan", Alamat="Jl. Kenari II\n")])
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.title, proposal.address) == ("Betonisasi jalan", "Jl. Kenari II")
    (warning,) = warnings(response)
    assert "baris 2, kolom Judul: Enter di dalam sel diganti spasi" in warning
    assert "Alamat" not in warning  # an Enter left at the end is only trimmed


def test_clean_rows_import_without_a_warning(client, suban, kenari_setup):
    client.force_login(suban)
    response = post(client, csv_upload([row(Alamat="Jl. Kenari\tII")]))
    assert response.status_code == 302
    assert Proposal.objects.get().address == "Jl. Kenari\tII"  # a tab passes, as on the form
    assert warnings(response) == []


def test_a_required_cell_of_control_characters_only_is_empty(client, suban, kenari_setup):
    client.force_login(suban)
    response = post(client, csv_upload([row(Judul="\x01\x02\x1b")]))
    assert response.status_code == 200
    assert [(p.row, p.column) for p in problems(response)] == [(2, "Judul")]
    assert not Proposal.objects.exists()


def test_numbers_are_read_once_the_characters_are_left_out(client, suban, kenari_setup):
    client.force_login(suban)
    response = post(client, csv_upload([row(Volume="120\x1b", RT="\x013")]))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.volume, proposal.rt) == (120, "003")
    (warning,) = warnings(response)
    assert "kolom Volume" in warning and "kolom RT" in warning


def test_at_most_ten_changes_are_listed(client, suban, kenari_setup):
    client.force_login(suban)
    response = post(client, csv_upload([row(Judul=f"Jalan\x01 {n}") for n in range(12)]))
    assert response.status_code == 302
    (warning,) = warnings(response)
    assert "baris 11, kolom Judul" in warning and "baris 12," not in warning
    assert warning.endswith("Dan 2 catatan lain.")
