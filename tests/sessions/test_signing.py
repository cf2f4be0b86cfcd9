"""The electronic signature of the berita acara (sessions/signing.py): with an office
certificate the stored PDF is PAdES-signed at closing, and the verification page checks it."""

import asyncio
import concurrent.futures
import hashlib
import io

import pytest
from django.db import connections
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from areas.pdf import pdf_from_html
from musrenbang.demo.certificate import office_pkcs12
from sessions import signing
from sessions.models import Minutes
from sessions.services import SessionError, sidang_close

PASSPHRASE = "kata-sandi-uji"
SIGNER = "Kepala Suku Badan Perencanaan (uji)"
AUTHORITY = "Otoritas Sertifikat Uji"


def certificate(tmp_path_factory, name: str) -> str:
    """A throwaway authority and office certificate (RSA 2048), as a PKCS#12 file."""
    path = tmp_path_factory.mktemp("sertifikat") / "kantor.p12"
    path.write_bytes(
        office_pkcs12(
            passphrase=PASSPHRASE,
            signer=name,
            office="Suku Badan Perencanaan Pembangunan Kota Jakarta Pusat",
            authority=AUTHORITY,
            organization="Pemerintah Provinsi DKI Jakarta (uji)",
        )
    )
    return str(path)


@pytest.fixture(scope="module")
def certificate_file(tmp_path_factory):
    return certificate(tmp_path_factory, SIGNER)


@pytest.fixture
def office_certificate(settings, certificate_file):
    settings.SIGNING_PKCS12 = certificate_file
    settings.SIGNING_PASSPHRASE = PASSPHRASE
    return certificate_file


@pytest.fixture
def signed(office_certificate, pleno_senen, camat_senen) -> Minutes:
    """The pleno pembuka of Senen closed with the office certificate configured."""
    sidang_close(sidang=pleno_senen, by=camat_senen)
    return Minutes.objects.get(sidang=pleno_senen)


def pyhanko_status(content: bytes, trust_file: str):
    """pyHanko's own judgement of the first signature, trusting the certificate file's chain."""
    signer = signers.SimpleSigner.load_pkcs12(trust_file, passphrase=PASSPHRASE.encode())
    roots = [signer.signing_cert, *signer.cert_registry]
    (signature,) = PdfFileReader(io.BytesIO(content)).embedded_signatures
    context = ValidationContext(trust_roots=roots)
    return signature, signing.synchronously(validate_pdf_signature, signature, context)


def flipped(content: bytes) -> bytes:
    """A copy with one byte changed inside the first page's content stream (signed range)."""
    changed = bytearray(content)
    at = content.index(b"stream\n") + 40
    changed[at] ^= 0x01
    return bytes(changed)


def test_closing_signs_the_stored_minutes_as_pades(signed, office_certificate):
    stored = signed.file.read()
    assert hashlib.sha256(stored).hexdigest() == signed.sha256
    assert len(stored) == signed.size
    assert signed.signed_by == SIGNER
    signature, status = pyhanko_status(stored, office_certificate)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    # A visible box on the last page, signed by the certificate's holder.
    pages = PdfFileReader(io.BytesIO(stored)).root["/Pages"]
    widget = signature.sig_field
    assert widget["/P"].get_object() == pages["/Kids"][-1].get_object()
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert x2 - x1 > 100 and y2 - y1 > 20
    assert signing.common_name(status.signing_cert) == SIGNER


def test_one_flipped_byte_breaks_the_signature(signed, office_certificate):
    tampered = flipped(signed.file.read())
    _signature, status = pyhanko_status(tampered, office_certificate)
    assert not status.intact
    assert not signing.check(tampered).sound


def test_the_verification_page_says_the_signature_holds_and_who_signed(signed, client):
    page = client.get(signed.get_absolute_url()).content.decode()
    assert "Tanda tangan elektronik utuh dan sah" in page
    assert SIGNER in page and AUTHORITY in page
    assert signed.sha256 in page
    assert "Terhubung ke sertifikat kantor yang dipasang pada sistem ini" in page


def test_a_stored_file_changed_after_signing_shows_as_broken(signed, client):
    tampered = flipped(signed.file.read())
    with open(signed.file.path, "wb") as stored:
        stored.write(tampered)
    page = client.get(signed.get_absolute_url()).content.decode()
    assert "Tanda tangan elektronik tidak utuh atau tidak sah" in page
    assert "utuh dan sah" not in page


def test_another_certificate_leaves_the_signature_sound_but_unconnected(
    signed, settings, tmp_path_factory
):
    settings.SIGNING_PKCS12 = certificate(tmp_path_factory, "Kantor lain (uji)")
    check = signing.check(signed.file.read())
    assert check.sound and not check.trusted
    assert check.signer == SIGNER


def test_without_a_certificate_the_minutes_are_stored_unsigned(closed, client):
    minutes = Minutes.objects.get(sidang=closed)
    assert minutes.signed_by == ""
    assert PdfFileReader(io.BytesIO(minutes.file.read())).embedded_signatures == []
    page = client.get(minutes.get_absolute_url()).content.decode()
    assert "tidak ditandatangani secara elektronik" in page


def test_a_certificate_that_cannot_be_opened_keeps_the_session_open(
    settings, office_certificate, pleno_senen, camat_senen
):
    settings.SIGNING_PASSPHRASE = "salah"
    with pytest.raises(SessionError, match=r"gagal ditandatangani.*periksa kata sandinya"):
        sidang_close(sidang=pleno_senen, by=camat_senen)
    pleno_senen.refresh_from_db()
    assert pleno_senen.state == "in_progress"
    assert not Minutes.objects.exists()


def test_an_unreadable_stored_file_is_not_sound(db):  # judgements are kept in the cache's table
    assert not signing.check(b"%PDF").sound
    assert not signing.check(b"bukan pdf").sound


def test_signing_and_checking_work_inside_a_running_event_loop(
    signed, office_certificate, monkeypatch
):
    """pyHanko runs its own event loop; an ASGI worker or a browser driver already has one."""
    # As in the browser tests' thread (tests/e2e/conftest.py): the check keeps its judgement in
    # the cache, a table of the database, which Django lets a thread with a loop reach then.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    unsigned = pdf_from_html("<p>Berita acara</p>")

    async def inside_a_loop():
        try:
            content, name = signing.sign(unsigned)
            return name, signing.check(content)
        finally:
            connections.close_all()  # the loop's own, so that the test database can be dropped

    # A thread of its own: the test runner's thread may hold a loop already (the browser tests').
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        name, check = pool.submit(asyncio.run, inside_a_loop()).result()
    assert name
    assert check.sound
