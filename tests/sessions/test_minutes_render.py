"""How the berita acara is rendered: one QR image shown on every page, and the garbage
collector, paused while WeasyPrint works, always switched back on."""

import gc
import io

import pytest
from pypdf import PdfReader

from sessions import pdf
from sessions.models import Minutes
from sessions.services import sidang_close
from tests.session_fixtures import attend
from tests.sessions.test_ranking import placements, save


def test_every_page_of_the_final_minutes_shows_the_same_qr_image(kelompok_kenari, lurah_kenari):
    attend(kelompok_kenari, 3)
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    kelompok_kenari.refresh_from_db()
    sidang_close(sidang=kelompok_kenari, by=lurah_kenari)
    content = Minutes.objects.get(sidang=kelompok_kenari).file.read()
    document = PdfReader(io.BytesIO(content))
    images = [
        {ref.idnum for ref in page["/Resources"]["/XObject"].values()} for page in document.pages
    ]
    assert len(images) > 1 and all(ids == images[0] for ids in images) and len(images[0]) == 1
    (qr,) = document.pages[0]["/Resources"]["/XObject"].values()
    assert qr.get_object()["/Subtype"] == "/Image"


def test_the_garbage_collector_is_back_on_after_a_render(kelompok_kenari, monkeypatch):
    pdf.minutes_pdf(kelompok_kenari)
    assert gc.isenabled()

    def broken(*args, **kwargs):
        raise OSError("disk penuh")

    monkeypatch.setattr(pdf.weasyprint.HTML, "write_pdf", broken)
    with pytest.raises(OSError):
        pdf.minutes_pdf(kelompok_kenari)
    assert gc.isenabled()
