"""The berita acara: the official form in words, draft until closing, frozen once stored."""

import re

import pytest

from sessions import pdf
from sessions.models import Minutes
from sessions.services import SessionError, sidang_close
from tests.session_fixtures import attend, placements, save
from tests.sessions.helpers import pdf_pages as pages
from tests.sessions.helpers import pdf_text as text

# The head of each lampiran, which names the berita acara it belongs to.
LAMPIRAN = "Lampiran %s Berita Acara Nomor"


def squash(content: str) -> str:
    """Without any white space: table cells wrap long words wherever they must."""
    return re.sub(r"\s+", "", content)


def test_the_opening_sentence_says_the_date_in_words(pleno_senen):
    content = text(pdf.minutes_pdf(pleno_senen))
    assert (
        "Pada hari ini Senin tanggal dua puluh enam bulan Februari tahun dua ribu dua puluh "
        "empat, bertempat di Aula Kecamatan Senen"
    ) in content
    assert "BERITA ACARA SIDANG PLENO PEMBUKA MUSRENBANG KECAMATAN SENEN TAHUN 2024" in content
    assert "hybrid" in content and "https://zoom.us/j/2024022604" in squash(content)
    assert "dipimpin oleh Camat Senen, dan dihadiri oleh 4 orang peserta" in content


def test_every_page_counts_and_the_draft_is_marked(kelompok_kenari, lurah_kenari):
    attend(kelompok_kenari, 3)
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    document = pages(pdf.minutes_pdf(kelompok_kenari))
    assert "Halaman 1 dari" in document[0]
    assert all(f"Halaman {i} dari {len(document)}" in page for i, page in enumerate(document, 1))
    assert all("DRAF" in page for page in document)
    assert (
        "BERITA ACARA HASIL KESEPAKATAN SIDANG KELOMPOK KELURAHAN KENARI TAHUN 2024" in document[0]
    )


def test_the_final_minutes_list_the_priorities_in_rank_order(kelompok_kenari, lurah_kenari):
    attend(kelompok_kenari, 3)
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    kelompok_kenari.refresh_from_db()
    sidang_close(sidang=kelompok_kenari, by=lurah_kenari)
    minutes = Minutes.objects.get(sidang=kelompok_kenari)
    content = minutes.file.read()
    document = pages(content)
    assert not any("DRAF" in page for page in document)
    whole = " ".join(document)
    appendix_two = squash(whole[whole.index(LAMPIRAN % "II") : whole.index(LAMPIRAN % "III")])
    utama = kelompok_kenari.candidates.filter(decision="utama").order_by("rank")
    positions = [appendix_two.index(c.proposal.code) for c in utama]
    assert len(positions) == 5 and positions == sorted(positions)
    assert "Peserta 1" in whole[whole.index(LAMPIRAN % "I") : whole.index(LAMPIRAN % "II")]
    assert f"Kode verifikasi {minutes.code}" in document[0]
    assert minutes.number.startswith("001/BA-MUSRENBANG/SK/31.71.04.1002/2024")
    assert "KESATU" in whole and "KEDUA" in whole and "MENYEPAKATI" in whole


def test_typed_markup_appears_literally(kelompok_kenari):
    proposal = kelompok_kenari.candidates.first().proposal
    proposal.title = "<script>alert(1)</script> <b>tebal</b>"
    proposal.save()
    kelompok_kenari.venue = "Aula <i>Kenari</i>"
    kelompok_kenari.save()
    content = text(pdf.minutes_pdf(kelompok_kenari))
    assert "<script>alert(1)</script><b>tebal</b>" in squash(content)
    assert "Aula <i>Kenari</i>" in content


def test_a_failed_render_leaves_the_session_open(pleno_senen, camat_senen, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk penuh")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    with pytest.raises(SessionError, match=r"gagal dibuat.*disk penuh"):
        sidang_close(sidang=pleno_senen, by=camat_senen)
    pleno_senen.refresh_from_db()
    assert pleno_senen.state == "in_progress"
    assert not Minutes.objects.exists()


def test_the_minutes_never_change_in_the_database(closed):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.filter(sidang=closed).update(sha256="0" * 64)
