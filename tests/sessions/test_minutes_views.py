"""The berita acara's pages of sessions/minutes_views.py: the PDFs and the public verification."""

import hashlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from sessions.models import Minutes
from tests.sessions.helpers import pdf_text as text


def test_closing_stores_the_pdf_and_its_hash(closed, client, camat_senen):
    minutes = Minutes.objects.get(sidang=closed)
    stored = minutes.file.read()
    assert hashlib.sha256(stored).hexdigest() == minutes.sha256
    assert len(stored) == minutes.size
    client.force_login(camat_senen)
    url = reverse("sessions:minutes_pdf", args=[closed.pk])
    first, second = client.get(url), client.get(url)
    assert first["Content-Type"] == "application/pdf"
    assert b"".join(first.streaming_content) == b"".join(second.streaming_content) == stored


def test_the_verification_page_is_public_and_shows_the_hash(closed, client):
    minutes = Minutes.objects.get(sidang=closed)
    page = client.get(reverse("sessions:verify", args=[minutes.code.lower()]))
    assert page.status_code == 200
    assert minutes.sha256 in page.content.decode()
    download = client.get(reverse("sessions:verify_download", args=[minutes.code]))
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == minutes.sha256
    assert client.get(reverse("sessions:verify", args=["TIDAKADA"])).status_code == 404


def test_the_printed_code_leads_to_the_same_hash(closed, client):
    minutes = Minutes.objects.get(sidang=closed)
    printed = text(minutes.file.read())
    code = re.search(r"Kode verifikasi ([A-Z0-9]{8})", printed).group(1)
    assert f"/verifikasi/{code}/" in printed
    page = client.get(reverse("sessions:verify", args=[code])).content.decode()
    assert minutes.sha256 in page


def test_a_draft_is_rendered_for_an_open_session(client, kelompok_kenari, lurah_kenari):
    client.force_login(lurah_kenari)
    response = client.get(reverse("sessions:minutes_pdf", args=[kelompok_kenari.pk]))
    assert response.status_code == 200
    assert "DRAF" in text(response.content)
    assert not Minutes.objects.exists()


@pytest.mark.parametrize("name", ["sessions:minutes_pdf", "sessions:attendance_sheet_pdf"])
def test_another_areas_official_gets_404(client, kelompok_kenari, lurah_paseban, name):
    client.force_login(lurah_paseban)
    assert client.get(reverse(name, args=[kelompok_kenari.pk])).status_code == 404


def test_the_blank_attendance_sheet(client, kelompok_kenari, lurah_kenari):
    client.force_login(lurah_kenari)
    response = client.get(reverse("sessions:attendance_sheet_pdf", args=[kelompok_kenari.pk]))
    content = text(response.content)
    assert "DAFTAR HADIR SIDANG KELOMPOK KELURAHAN KENARI TAHUN 2024" in content
    assert "Tanda tangan" in content


def test_a_stored_file_that_is_not_the_one_closed_is_never_served(closed, client, camat_senen):
    """The SHA-256 kept at closing is checked on every read: a file changed in the storage
    (or damaged) is refused, with a page that says so."""
    minutes = Minutes.objects.get(sidang=closed)
    name = minutes.file.name
    default_storage.delete(name)
    assert default_storage.save(name, ContentFile(b"%PDF-1.7 lain")) == name
    client.raise_request_exception = False
    client.force_login(camat_senen)
    for url in (
        reverse("sessions:minutes_pdf", args=[closed.pk]),
        reverse("sessions:verify_download", args=[minutes.code]),
    ):
        response = client.get(url)
        assert response.status_code == 500
        assert "SHA-256 berbeda" in response.content.decode()
