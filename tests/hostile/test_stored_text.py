"""Text stored by hand (past the forms, which refuse it) with control characters and invisible
marks still leaves every export whole: the proposals table and the survey queue as XLSX and CSV,
the recap's workbook and PDF, and the berita acara. The characters no document can hold are
left out; no row is dropped."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from areas.formatting import printable_text, spreadsheet_text
from areas.models import TechnicalUnit
from proposals.models import Proposal

# Control characters an XLSX refuses, a right-to-left override and a byte-order mark.
ODD = "\x01\x02\x1b\u202e\ufeff"
TITLE = f"Jalan{ODD} rusak{ODD}"
MEASURE = f"m2{ODD}"
UNIT = f"Sudin Bina{ODD} Marga"


@pytest.fixture
def odd_text(kelompok_kenari, binamarga):
    """Every proposal on Kenari's table, and Bina Marga's name, with ODD stored in them."""
    proposals = Proposal.objects.filter(pk__in=kelompok_kenari.candidates.values("proposal"))
    assert proposals.update(title=TITLE, measure=MEASURE) == 7
    TechnicalUnit.objects.filter(pk=binamarga.pk).update(name=UNIT)
    return set(proposals.values_list("code", flat=True))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [[cell.value for cell in row] for sheet in book for row in sheet.iter_rows()]


def csv_rows(response) -> list[list]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def assert_clean(rows: list[list], codes: set[str]) -> None:
    """Each proposal's row is there, its title and measure without the odd characters."""
    found = {row[0]: row for row in rows if row and row[0] in codes}
    assert set(found) == codes
    for row in found.values():
        assert "Jalan rusak" in row and "m2" in row, row
    assert not any(char in str(value) for row in rows for value in row for char in ODD)


@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_the_proposals_table_exports_every_row(client, lurah_kenari, odd_text, export):
    client.force_login(lurah_kenari)
    response = client.get(reverse("proposals:list"), {"_export": export})
    assert_clean(xlsx_rows(response) if export == "xlsx" else csv_rows(response), odd_text)


def test_the_proposals_table_shows_them(client, lurah_kenari, odd_text):
    client.force_login(lurah_kenari)
    assert client.get(reverse("proposals:list")).status_code == 200


def test_the_survey_queue_exports_every_row(client, ukpd_binamarga, odd_text):
    client.force_login(ukpd_binamarga)
    response = client.get(reverse("proposals:survey_queue"), {"tampil": "selesai"})
    codes = {row.record.code for row in response.context["table"].rows}
    assert codes and codes <= odd_text
    response = client.get(
        reverse("proposals:survey_queue"), {"tampil": "selesai", "_export": "xlsx"}
    )
    assert_clean(xlsx_rows(response), codes)


def test_the_recap_workbook_names_the_unit_without_them(client, odd_text):
    rows = xlsx_rows(client.get(reverse("recap_xlsx")))
    assert ["Sudin Bina Marga", 4] in [row[:2] for row in rows]
    assert not any(char in str(value) for row in rows for value in row for char in ODD)


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_recap_pdf_prints_the_unit_without_them(client, odd_text):
    text = pdf_text(client.get(reverse("recap_pdf")))
    assert "Sudin Bina Marga" in text


def test_the_berita_acara_renders_with_them(client, lurah_kenari, kelompok_kenari, odd_text):
    client.force_login(lurah_kenari)
    response = client.get(reverse("sessions:minutes_pdf", args=[kelompok_kenari.pk]))
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 2


def test_the_berita_acara_prints_the_candidates_without_them(
    client, lurah_kenari, kelompok_kenari, odd_text
):
    client.force_login(lurah_kenari)
    text = pdf_text(client.get(reverse("sessions:minutes_pdf", args=[kelompok_kenari.pk])))
    assert "Jalan rusak" in text


def test_only_what_no_document_holds_is_left_out():
    kept = "Jalan\trusak\r\nRT 003 ✓ 𝔘 é \u200d"  # tab, line breaks, symbols, a zero-width joiner
    assert printable_text(kept) == kept
    assert printable_text("a\x00\x0b\x1f\x7f\x85\u2066\u202e\ufeff\uffff\ud800b") == "ab"


def test_a_formula_behind_a_control_character_is_still_neutralised():
    assert spreadsheet_text("\x01=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheet_text("\ufeff@SUM(A1)") == "'@SUM(A1)"
