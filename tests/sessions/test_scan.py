"""The wet-signed scan of a closed sidang's berita acara (services.scan_upload and its pages):
checked by content, kept once with its SHA-256, public beside the generated file."""

import hashlib
import io

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from sessions.models import Minutes, SignedScan
from sessions.services import SessionError, scan_upload
from tests.proposals.files import PNG


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("L", (40, 60), 200).save(out, "JPEG")
    return out.getvalue()


def scanned_pdf() -> bytes:
    return weasyprint.HTML(string="<p>Berita acara, ditandatangani.</p>").write_pdf()


def upload(content: bytes, name: str = "pindaian.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def url(sidang) -> str:
    return reverse("sessions:scan_upload", args=[sidang.pk])


# -- The service --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "content_type"),
    [(scanned_pdf, "application/pdf"), (jpeg, "image/jpeg"), (lambda: PNG, "image/png")],
)
def test_the_runner_keeps_the_scan_with_its_hash(closed, camat_senen, make, content_type):
    content = make()
    scan = scan_upload(sidang=closed, upload=upload(content, "scan.bin"), by=camat_senen)
    scan.refresh_from_db()
    assert scan.content_type == content_type
    assert scan.sha256 == hashlib.sha256(content).hexdigest()
    assert scan.size == len(content)
    assert scan.file.read() == content
    assert scan.minutes == Minutes.objects.get(sidang=closed)
    assert scan.uploaded_by == camat_senen


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Ini hanya teks, bukan pindaian.", "pindaian.pdf", "harus PDF, JPEG atau PNG"),
        (b"%PDF-1.7\nrusak", "pindaian.pdf", "PDF pindaian rusak"),
        (PNG[:40], "pindaian.png", "rusak atau tidak lengkap"),
    ],
)
def test_a_file_that_is_no_scan_is_refused(closed, camat_senen, content, name, message):
    with pytest.raises(SessionError, match=message):
        scan_upload(sidang=closed, upload=upload(content, name), by=camat_senen)
    assert not SignedScan.objects.exists()


def test_an_oversized_scan_is_refused(closed, camat_senen, settings):
    content = b"%PDF-1.7\n" + b"0" * settings.SCAN_MAX_BYTES
    with pytest.raises(SessionError, match="lebih dari 20 MB"):
        scan_upload(sidang=closed, upload=upload(content, "besar.pdf"), by=camat_senen)
    assert not SignedScan.objects.exists()


def test_a_second_upload_is_refused_and_changes_nothing(closed, camat_senen):
    first = scan_upload(sidang=closed, upload=upload(PNG), by=camat_senen)
    with pytest.raises(SessionError, match=r"Pindaian sudah disimpan pada .+; tidak dapat diganti"):
        scan_upload(sidang=closed, upload=upload(jpeg(), "lain.jpg"), by=camat_senen)
    (kept,) = SignedScan.objects.all()
    assert (kept.pk, kept.sha256, kept.file.name) == (first.pk, first.sha256, first.file.name)
    assert kept.file.read() == PNG


def test_the_scan_waits_for_the_closing(pleno_senen, camat_senen):
    with pytest.raises(SessionError, match="setelah sidang ditutup"):
        scan_upload(sidang=pleno_senen, upload=upload(PNG), by=camat_senen)


def test_only_the_runner_uploads(closed, suban):
    with pytest.raises(SessionError, match="tidak memimpin"):
        scan_upload(sidang=closed, upload=upload(PNG), by=suban)


def test_the_database_refuses_changing_a_kept_scan(closed, camat_senen):
    scan_upload(sidang=closed, upload=upload(PNG), by=camat_senen)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignedScan.objects.update(sha256="0" * 64)


# -- The pages ----------------------------------------------------------------------------------


def test_it_keeps_the_upload_and_shows_it_on_the_session_page(client, closed, camat_senen):
    client.force_login(camat_senen)
    response = client.post(url(closed), {"file": upload(PNG)}, follow=True)
    scan = SignedScan.objects.get()
    page = response.content.decode()
    assert response.redirect_chain == [(closed.get_absolute_url(), 302)]
    assert "Pindaian berita acara bertanda tangan disimpan." in page
    assert scan.sha256 in page and Minutes.objects.get(sidang=closed).sha256 in page
    # The sidang's trail names the upload.
    assert "pindaian berita acara bertanda tangan" in page.split('id="h-history"')[1]


def test_a_refused_upload_says_why(client, closed, camat_senen):
    client.force_login(camat_senen)
    text_file = upload(b"bukan pindaian", "pindaian.pdf")
    page = client.post(url(closed), {"file": text_file}, follow=True).content.decode()
    assert "Berkas pindaian harus PDF, JPEG atau PNG" in page
    assert not SignedScan.objects.exists()


def test_it_rejects_get(client, closed, camat_senen):
    client.force_login(camat_senen)
    assert client.get(url(closed)).status_code == 405


def test_an_official_who_sees_but_does_not_run_gets_403(client, closed, suban):
    client.force_login(suban)
    assert client.post(url(closed), {"file": upload(PNG)}).status_code == 403
    assert not SignedScan.objects.exists()


def test_another_kecamatans_camat_gets_404(client, closed, camat_gambir):
    client.force_login(camat_gambir)
    assert client.post(url(closed), {"file": upload(PNG)}).status_code == 404


def test_the_scan_is_public_beside_the_generated_file(client, closed, camat_senen):
    content = scanned_pdf()
    scan = scan_upload(sidang=closed, upload=upload(content, "scan.pdf"), by=camat_senen)
    minutes = scan.minutes
    page = client.get(minutes.get_absolute_url()).content.decode()
    assert minutes.sha256 in page and scan.sha256 in page
    download = client.get(reverse("sessions:verify_scan", args=[minutes.code.lower()]))
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")


def test_without_a_scan_the_verification_page_says_so(client, closed):
    minutes = Minutes.objects.get(sidang=closed)
    page = client.get(minutes.get_absolute_url()).content.decode()
    assert "belum diunggah" in page
    assert client.get(reverse("sessions:verify_scan", args=[minutes.code])).status_code == 404
