"""How the berita acara and the attendance sheet are rendered: one QR image shown on every page,
the collector paused while WeasyPrint works and switched back on; for each kind of sidang the
people who sign, under their office and with their NIP, the date beside them on one page; the
lampiran, each naming this berita acara, in the order and with the columns a reader needs; an
attendance sheet to sign on."""

import datetime
import gc
import io
import re

import pytest
import weasyprint
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from areas.pdf import OfflineFetcher
from sessions import pdf
from sessions.models import Decision, Kind, Minutes, Participant, Sidang
from sessions.services import Placement, sidang_close, utama_refusal
from tests.session_fixtures import attend, placements, save, schedule
from tests.sessions.helpers import pdf_pages, pdf_text
from tests.sessions.test_minutes import squash
from tests.sessions.test_ranking_views import musrenbang

__all__ = ["musrenbang"]

HOUR = datetime.timedelta(hours=1)
MM_12 = 12 / 25.4 * 72 - 0.5  # points, less a rounding


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

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    with pytest.raises(OSError):
        pdf.minutes_pdf(kelompok_kenari)
    assert gc.isenabled()


# -- What a berita acara says, for each kind of sidang ------------------------------------------

CHAIR = ("Drs. H. Ahmad Fauzi, M.Si.", "196805121990031004")
MINUTE_TAKER = ("Siti Rahmawati, S.E.", "198803152010012007")


def signed(sidang: Sidang, office: str) -> Sidang:
    """The chair (the head of the area, also on the attendance list) and the minute-taker,
    each with a NIP and a position."""
    Sidang.objects.filter(pk=sidang.pk).update(
        chair=CHAIR[0],
        chair_nip=CHAIR[1],
        chair_position=office,
        minute_taker=MINUTE_TAKER[0],
        minute_taker_nip=MINUTE_TAKER[1],
        minute_taker_position=f"Kepala Seksi Ekonomi dan Pembangunan {sidang.area.display_name}",
    )
    Participant.objects.create(sidang=sidang, category="lurah", name="Ahmad Fauzi", position=office)
    attend(sidang, 4, delegates=2)
    return Sidang.objects.select_related("area__parent", "cycle").get(pk=sidang.pk)


def ranked(sidang: Sidang, by) -> Sidang:
    """Ranked in code order: the first two eligible utama, the next two cadangan in reverse
    rank order of their codes, the rest not agreed with a reason."""
    items = []
    for rank, c in enumerate(sidang.candidates.select_related("proposal").order_by("pk"), 1):
        eligible = not utama_refusal(c.proposal, sidang.cycle)
        if eligible and sum(p.decision == Decision.UTAMA for p in items) < 2:
            items.append(Placement(c.pk, rank, Decision.UTAMA))
        elif sum(p.decision == Decision.CADANGAN for p in items) < 2:
            items.append(Placement(c.pk, rank, Decision.CADANGAN))
        else:
            items.append(Placement(c.pk, rank, Decision.TIDAK, f"Alasan nomor {rank}."))
    save(sidang, by, items)
    return Sidang.objects.select_related("area__parent", "cycle").get(pk=sidang.pk)


@pytest.fixture
def build(request, cycle, senen, superuser):
    """A sidang of the kind asked for, signed by its chair and minute-taker; a ranked one
    ranked. Kenari's sidang kelompok, or Senen's musrenbang kecamatan over Kenari and Paseban
    (which has sidang kelompok of its own): one of the two per test."""

    def build(kind: str) -> Sidang:
        fixture = request.getfixturevalue
        if kind == Kind.KELOMPOK:
            return ranked(signed(fixture("kelompok_kenari"), "Lurah Kenari"), superuser)
        if kind == Kind.KECAMATAN:
            return ranked(signed(fixture("musrenbang"), "Camat Senen"), superuser)
        if kind == Kind.REMBUK_RW:
            rw = fixture("rw_kenari")[0]
            sidang = schedule(cycle, kind, rw, state="in_progress")
            return signed(sidang, "Ketua RW 001 Kelurahan Kenari")
        return signed(schedule(cycle, kind, senen, state="in_progress"), "Camat Senen")

    return build


def signing_page(document: list[str]) -> str:
    (page,) = [page for page in document if "Pimpinan Sidang," in page]
    return page


@pytest.mark.parametrize("kind", Kind.values)
def test_each_berita_acara_names_its_signatories_and_its_sidang_once(build, kind):
    sidang = build(kind)
    document = pdf_pages(pdf.minutes_pdf(sidang))
    whole = " ".join(document)
    body = whole[: whole.index("Lampiran I Berita Acara")]
    page = signing_page(document)
    signatures = page[page.index("Jakarta, 27 Februari 2024") :]  # the date line comes first
    for name, nip in (CHAIR, MINUTE_TAKER):
        assert signatures.count(name) == 1  # the chair, on the attendance list too, signs once
        assert f"NIP {nip}" in signatures
    assert "Pimpinan Sidang, " + sidang.chair_position in signatures
    assert "Notulis, Kepala Seksi Ekonomi dan Pembangunan" in signatures
    assert signatures.count("Perwakilan Peserta,") == 3
    assert "Peserta 1" in signatures and "Peserta 2" in signatures  # the delegates sign first
    assert f"dipimpin oleh {CHAIR[0]} selaku {sidang.chair_position}" in body
    heading = "HASIL KESEPAKATAN " if sidang.is_ranked else ""
    assert f"BERITA ACARA {heading}{sidang.title.upper()} TAHUN 2024" in body
    assert "Lampiran I Berita Acara Nomor" in whole
    assert "Lampiran II Berita Acara Nomor" in whole
    for doubled in ("Musrenbang kecamatan Musrenbang", "Kecamatan Kecamatan", "RW RW"):
        assert doubled.casefold() not in whole.casefold()
    assert not re.search(r"\b(\w{3,}) \1\b", body, re.IGNORECASE), "a word written twice"


def test_the_legal_basis_and_the_agenda_are_numbered(kelompok_kenari, cycle):
    cycle.legal_basis = "Undang-Undang Nomor 25 Tahun 2004\nPeraturan Gubernur Nomor 7 Tahun 2024;"
    cycle.save()
    kelompok_kenari.agenda = "1. Pembukaan\n2) Pembacaan usulan\n\n- Penetapan prioritas"
    kelompok_kenari.save()
    content = squash(pdf_text(pdf.minutes_pdf(kelompok_kenari)))
    assert "UndangUndangNomor25Tahun2004;" in content.replace("-", "")
    assert "PeraturanGubernurNomor7Tahun2024;" in content and ";;" not in content
    assert "Pembukaan" in content and "1.Pembukaan" not in content
    assert "Pembacaanusulan" in content and "2)" not in content
    assert "Penetapanprioritas" in content and "-Penetapan" not in content
    assert "Permendagri" not in content and "86Tahun2017" not in content  # the cycle's own


def test_lampiran_iii_lists_the_cadangan_by_rank_then_those_not_agreed_with_their_reasons(
    build,
):
    sidang = build(Kind.KELOMPOK)
    whole = pdf_text(pdf.minutes_pdf(sidang))
    three = squash(whole[whole.index("Lampiran III Berita Acara") :])
    cadangan = sidang.candidates.filter(decision=Decision.CADANGAN).order_by("rank")
    refused = sidang.candidates.filter(decision=Decision.TIDAK).order_by("rank")
    assert cadangan.count() == 2 and refused.count() >= 2
    order = [three.index(c.proposal.code) for c in [*cadangan, *refused]]
    assert order == sorted(order)
    assert three.index("A.UsulanCadangan") < order[0]
    assert order[1] < three.index("B.UsulanyangTidakDisepakati") < order[2]
    for c in refused:
        assert squash(c.reason) in three[three.index(c.proposal.code) :]
    assert "USULANCADANGANDANUSULANYANGTIDAKDISEPAKATI" in three


def test_the_kecamatan_lists_carry_the_kelurahan_the_surveyed_volume_and_a_total(build):
    sidang = build(Kind.KECAMATAN)
    whole = pdf_text(pdf.minutes_pdf(sidang))
    two = whole[whole.index("Lampiran II Berita Acara") : whole.index("Lampiran III Berita Acara")]
    utama = list(
        sidang.candidates.filter(decision=Decision.UTAMA)
        .select_related("proposal__survey", "proposal__kelurahan")
        .order_by("rank")
    )
    assert len(utama) == 2 and all(hasattr(c.proposal, "survey") for c in utama)
    assert "Kelurahan" in two and {c.proposal.kelurahan.name for c in utama} == {"Kenari"}
    assert "Kenari" in two.split()
    # Surveyed at 100 of the 120 m2 proposed: the surveyed volume and cost, the proposed below.
    assert "100 diusulkan 120" in two
    total = sum(c.proposal.survey.revised_cost for c in utama)
    assert f"Jumlah (2 usulan) {total:,}".replace(",", ".") in two
    three = whole[whole.index("Lampiran III Berita Acara") :]
    assert "Kelurahan" in three and "Paseban" in three.split()  # a cadangan of Paseban


def test_the_pleno_penutupan_carries_the_kecamatan_priorities_and_its_delegates(build):
    musrenbang = build(Kind.KECAMATAN)
    delegate = Participant.objects.create(
        sidang=musrenbang, category="lmk", name="Budi Delegasi", is_delegate=True
    )
    Sidang.objects.filter(pk=musrenbang.pk).update(state="closed", closed_at=timezone.now())
    penutupan = build(Kind.PLENO_PENUTUPAN)
    whole = pdf_text(pdf.minutes_pdf(penutupan))
    assert "Menerima hasil Musrenbang Kecamatan Senen Tahun 2024, berupa 2 (dua) usulan" in whole
    two = whole[whole.index("Lampiran II Berita Acara") : whole.index("Lampiran III Berita Acara")]
    assert "USULAN PRIORITAS KECAMATAN" in two and "Kelurahan" in two and "Jumlah" in two
    for c in musrenbang.candidates.filter(decision=Decision.UTAMA):
        assert c.proposal.code in squash(two)
    three = whole[whole.index("Lampiran III Berita Acara") :]
    assert delegate.name in three and "Mengukuhkan" in whole


def test_the_pleno_pembuka_says_in_how_many_kecamatan_it_was_held_at_once(build, cycle, gambir):
    pembuka = build(Kind.PLENO_PEMBUKA)
    assert "serentak" not in pdf_text(pdf.minutes_pdf(pembuka))
    schedule(cycle, Kind.PLENO_PEMBUKA, gambir, starts_at=pembuka.starts_at + HOUR)
    assert "dilaksanakan serentak di 2 kecamatan se-Kota Administrasi Jakarta Pusat" in pdf_text(
        pdf.minutes_pdf(pembuka)
    )


def test_an_early_start_and_a_late_closing_are_written_down(kelompok_kenari):
    Sidang.objects.filter(pk=kelompok_kenari.pk).update(
        stages_missing="Sidang Pleno Pembuka Musrenbang Kecamatan Senen: berlangsung",
        stage_exception="Jadwal narasumber tidak dapat diubah.",
        closed_late=True,
    )
    kelompok_kenari.refresh_from_db()
    content = pdf_text(pdf.minutes_pdf(kelompok_kenari))
    assert (
        "Sidang ini dimulai sebelum tahap sebelumnya selesai, yaitu Sidang Pleno Pembuka "
        "Musrenbang Kecamatan Senen (berlangsung). Pimpinan sidang mencatat alasannya: Jadwal "
        "narasumber tidak dapat diubah."
    ) in content
    assert "Sidang ini ditutup setelah Musrenbang Kecamatan Senen ditutup." in content


def test_the_date_and_every_signature_share_one_page_however_long_the_text(build):
    """Agendas of growing length move the end of the text down the page and past it: the date
    line and the signature blocks never part, the whole block moving to the next page when it
    must."""
    sidang = build(Kind.PLENO_PEMBUKA)
    moved = 0
    for lines in range(0, 40, 3):
        sidang.agenda = "\n".join(f"Acara nomor {i} yang cukup panjang" for i in range(lines))
        sidang.save()
        document = pdf_pages(pdf.minutes_pdf(sidang))
        page = signing_page(document)
        assert "Jakarta, 27 Februari 2024" in page and "Notulis," in page
        for name in (CHAIR[0], MINUTE_TAKER[0], "Peserta 1", "Peserta 2", "Peserta 3"):
            assert name in page
        assert page.count("Perwakilan Peserta,") == 3
        moved += "Demikian Berita Acara" not in page
    assert moved  # some agenda left too little room below the text for the signatures


# -- The attendance sheet ----------------------------------------------------------------------


def positions(content: bytes) -> list[tuple[str, float, float]]:
    """Each piece of text of the first page with its x and y (points from the bottom left)."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    PdfReader(io.BytesIO(content)).pages[0].extract_text(visitor_text=visit)
    return found


def test_the_attendance_sheet_lists_the_invited_then_blank_rows_to_sign_on(
    kelompok_kenari, rw_kenari_001
):
    invited = Participant.objects.create(
        sidang=kelompok_kenari,
        category="ketua_rw",
        name="Bambang Sutrisno",
        position="Ketua RW 001 Kelurahan Kenari",
        present=False,
    )
    attend(kelompok_kenari, 2)
    content = pdf.attendance_sheet_pdf(kelompok_kenari)
    document = pdf_pages(content)
    assert len(document) == 1
    page = document[0]
    assert "DAFTAR HADIR SIDANG KELOMPOK KELURAHAN KENARI TAHUN 2024" in page
    assert "No Nama Jabatan / Lembaga Kategori L/D Tanda tangan" in page
    assert f"1 {invited.name} {invited.position}" in page
    assert "Peserta 1" in page and "Peserta 2" in page
    # Blank rows follow, numbered in the signature column too, down to the foot of the page.
    assert re.search(r"\b12 12\. …+ 13 13\. …", page)
    signs = {
        int(match[1]): (x, y)
        for text, x, y in positions(content)
        if (match := re.fullmatch(r"(\d+)\. …+", text))
    }
    assert len(signs) >= 12
    assert signs[1][0] < signs[2][0] > signs[3][0] < signs[4][0]  # alternately left and right
    assert all(signs[n][1] - signs[n + 1][1] >= MM_12 for n in range(1, len(signs)))


# -- The letterhead ----------------------------------------------------------------------------


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 72), "darkred").save(out, "PNG")
    return out.getvalue()


def test_the_kop_carries_the_office_address_and_the_logo(kelompok_kenari, kenari, senen):
    senen.office_address = "Jl. Kramat Raya No. 160, Jakarta Pusat 10430"
    senen.save()  # Kenari has none: its kecamatan's serves
    assert "Jl. Kramat Raya No. 160, Jakarta Pusat 10430" in pdf_text(
        pdf.minutes_pdf(kelompok_kenari)
    )
    kenari.office_address = "Jl. Kenari II No. 5, Jakarta Pusat 10430"
    kenari.logo.save("kenari.png", ContentFile(png()))
    sidang = Sidang.objects.select_related("area__parent", "cycle").get(pk=kelompok_kenari.pk)
    content = pdf.minutes_pdf(sidang)
    assert "Jl. Kenari II No. 5" in pdf_text(content) and "Kramat Raya" not in pdf_text(content)
    first = PdfReader(io.BytesIO(content)).pages[0]
    images = [x.get_object() for x in first["/Resources"]["/XObject"].values()]
    assert [(i["/Subtype"], i["/Width"]) for i in images] == [("/Image", 60)]  # a draft: no QR


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:8000/media/logo/kenari.png",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "media:logo/../../musrenbang/settings.py",
        "media:berita-acara/2024/ABCDEFGH.pdf",
        "ftp://example.org/logo.png",
    ],
)
def test_a_document_fetches_nothing_but_data_and_letterhead_logos(address):
    with pytest.raises(ValueError):
        OfflineFetcher().fetch(address)
