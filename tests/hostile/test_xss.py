"""Typed markup, template syntax and spreadsheet formulas come out as text everywhere a proposal,
a survey, a participant or a sidang is shown: pages, exports, the public tracker and the PDF.

Complements tests/sessions/test_minutes.py (markup in the PDF), tests/proposals/test_table.py
(formulas in the exports) and tests/musrenbang/test_tracker_views.py (markup in the search box)."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from proposals.models import Recommendation, RejectionReason, Survey
from sessions import pdf
from sessions.models import Participant

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
FORMULA = "=cmd|' /C calc'!A0"


def payload(field: str) -> str:
    """Every payload at once, tagged with the field, so a hit says where it came from."""
    return f"{field} {SCRIPT} {IMG} {TEMPLATE}"


def assert_escaped(page: str, *fields: str) -> None:
    assert "<script>alert" not in page
    assert "<img src=x" not in page and "onerror=alert(1)>" not in page
    for field in fields:
        assert escape(payload(field)) in page, field


@pytest.fixture
def hostile(kelompok_kenari, ukpd_binamarga):
    """Kenari's sidang with payloads in every free-text field of a proposal, its survey, a
    participant and the sidang itself."""
    proposal = kelompok_kenari.candidates.select_related("proposal").first().proposal
    for field in ("title", "problem", "address"):
        setattr(proposal, field, payload(field))
    proposal.measure = FORMULA[:20]
    proposal.recommendation = Recommendation.NOT_RECOMMENDED
    proposal.save()
    Survey.objects.create(
        proposal=proposal,
        surveyed_on=datetime.date(2024, 2, 12),
        officer=ukpd_binamarga,
        findings=payload("findings"),
        recommendation=Recommendation.NOT_RECOMMENDED,
        reason=RejectionReason.OTHER,
        reason_note=payload("reason_note"),
        revised_volume=proposal.volume,
        revised_cost=proposal.cost,
    )
    Participant.objects.create(
        sidang=kelompok_kenari,
        category="ketua_rw",
        name=payload("name")[:150],
        institution=payload("institution")[:150],
    )
    for field in ("venue", "chair", "minute_taker", "agenda", "notes"):
        setattr(kelompok_kenari, field, payload(field))
    kelompok_kenari.save()
    return proposal


def test_the_proposal_pages_escape_typed_markup(client, lurah_kenari, hostile):
    client.force_login(lurah_kenari)
    detail = client.get(hostile.get_absolute_url()).content.decode()
    assert_escaped(detail, "title", "problem", "address", "findings", "reason_note")
    table = client.get(reverse("proposals:list")).content.decode()
    assert_escaped(table, "title")


def test_the_public_tracker_escapes_typed_markup(client, hostile):
    page = client.get(reverse("tracker_proposal", args=[hostile.code])).content.decode()
    assert_escaped(page, "title")


@pytest.mark.parametrize(
    "name", ["sessions:detail", "sessions:attendance", "sessions:ranking", "sessions:edit"]
)
def test_the_sidang_pages_escape_typed_markup(client, lurah_kenari, kelompok_kenari, hostile, name):
    client.force_login(lurah_kenari)
    response = client.get(reverse(name, args=[kelompok_kenari.pk]))
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert "<img src=x" not in response.content.decode()


def test_the_sidang_page_shows_venue_chair_and_participants_as_text(
    client, lurah_kenari, kelompok_kenari, hostile
):
    client.force_login(lurah_kenari)
    detail = client.get(reverse("sessions:detail", args=[kelompok_kenari.pk])).content.decode()
    assert_escaped(detail, "venue", "chair")
    attendance = client.get(
        reverse("sessions:attendance", args=[kelompok_kenari.pk])
    ).content.decode()
    assert_escaped(attendance, "name", "institution")
    ranking = client.get(reverse("sessions:ranking", args=[kelompok_kenari.pk])).content.decode()
    assert_escaped(ranking, "title")


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_the_exports_keep_payloads_as_inert_text(client, lurah_kenari, hostile, export):
    client.force_login(lurah_kenari)
    response = client.get(reverse("proposals:list"), {"_export": export})
    if export == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    cells = {str(value) for row in rows for value in row}
    assert payload("title") in cells  # text as typed, not entities
    assert "'" + FORMULA[:20] in cells  # the formula neutralised
    assert not any(str(value).startswith(("=", "@", "+")) for value in cells)


def test_the_minutes_print_payloads_literally(kelompok_kenari, hostile):
    reader = PdfReader(io.BytesIO(pdf.minutes_pdf(kelompok_kenari)))
    text = re.sub(r"\s+", "", " ".join(page.extract_text() for page in reader.pages))
    for field in ("venue", "chair", "name", "title"):
        assert re.sub(r"\s+", "", payload(field))[:60] in text, field
    assert TEMPLATE in text  # shown, not evaluated
