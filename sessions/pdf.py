"""The berita acara (official minutes) of a sidang and its blank attendance sheet, as PDF.

Rendered by WeasyPrint from templates/pdf/, always in Indonesian: the minutes are a legal
document whatever language the official reads the site in. Nothing is fetched from outside:
the stylesheet is inlined and the QR code is a data: URI.
"""

import contextlib
import datetime
import gc
import threading
from dataclasses import dataclass

import segno
import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from num2words import num2words
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from sessions.models import Decision, Kind, Sidang

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
ORDINALS = [
    "KESATU",
    "KEDUA",
    "KETIGA",
    "KEEMPAT",
    "KELIMA",
    "KEENAM",
    "KETUJUH",
    "KEDELAPAN",
    "KESEMBILAN",
    "KESEPULUH",
]

# The short kind code in minutes numbers, and the title of each kind of minutes.
KIND_CODE = {
    Kind.REMBUK_RW: "RW",
    Kind.PLENO_PEMBUKA: "PP",
    Kind.KELOMPOK: "SK",
    Kind.KECAMATAN: "MK",
    Kind.PLENO_PENUTUPAN: "PT",
}
TITLES = {
    Kind.REMBUK_RW: "BERITA ACARA REMBUK {area} TAHUN {year}",
    Kind.PLENO_PEMBUKA: "BERITA ACARA SIDANG PLENO PEMBUKA MUSRENBANG {area} TAHUN {year}",
    Kind.KELOMPOK: "BERITA ACARA HASIL KESEPAKATAN SIDANG KELOMPOK MUSRENBANG {area} TAHUN {year}",
    Kind.KECAMATAN: "BERITA ACARA HASIL KESEPAKATAN MUSRENBANG {area} TAHUN {year}",
    Kind.PLENO_PENUTUPAN: "BERITA ACARA SIDANG PLENO PENUTUPAN MUSRENBANG {area} TAHUN {year}",
}


class OfflineFetcher(URLFetcher):
    """Refuses every URL but data: ones, so a document can never reach out to the network."""

    def __init__(self, *args, **kwargs):
        kwargs["allowed_protocols"] = ("data",)
        super().__init__(*args, **kwargs)


def date_in_words(moment: datetime.date) -> str:
    """'Senin tanggal dua puluh enam bulan Februari tahun dua ribu dua puluh empat'."""
    return (
        f"{DAYS[moment.weekday()]} tanggal {num2words(moment.day, lang='id')} "
        f"bulan {MONTHS[moment.month - 1]} tahun {num2words(moment.year, lang='id')}"
    )


def date_short(moment: datetime.date) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def verification_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("sessions:verify", args=[code])


def css_string(text: str) -> str:
    """A quoted CSS string for a stylesheet: every character that could end it is escaped."""
    safe = set(" .,:/-_()·—")
    return mark_safe(
        '"' + "".join(c if c.isalnum() or c in safe else f"\\{ord(c):x} " for c in text) + '"'
    )


def qr_data_uri(text: str) -> str:
    """A PNG, not an SVG: the code is printed on every page, and WeasyPrint embeds a bitmap once
    but draws an SVG again on each page. 8 pixels a module keeps it sharp at 1.8 cm."""
    return segno.make(text, error="m").png_data_uri(scale=8, border=1)


def _letterhead(sidang: Sidang) -> list[str]:
    lines = ["PEMERINTAH PROVINSI DAERAH KHUSUS IBUKOTA JAKARTA"]
    chain = [*sidang.area.ancestors(), sidang.area]
    for area in chain:
        if area.level == "kota":
            lines.append(area.name.upper())
        elif area.level in ("kecamatan", "kelurahan"):
            lines.append(f"{area.get_level_display()} {area.name}".upper())
    return lines


def _area_name(sidang: Sidang) -> str:
    area = sidang.area
    if area.level == "rw":
        return f"RW {area.code.rsplit('.', 1)[-1]} Kelurahan {area.parent.name}"
    return f"{area.get_level_display()} {area.name}"


@dataclass
class Document:
    """Everything a berita acara shows, gathered in a fixed number of queries."""

    sidang: Sidang
    number: str
    code: str
    final: bool

    def context(self) -> dict:
        sidang = self.sidang
        participants = list(sidang.participants.filter(present=True))
        candidates = list(
            sidang.candidates.select_related("proposal__rw", "proposal__target_unit").order_by(
                "rank", "proposal__code"
            )
        )
        criteria = list(sidang.cycle.criteria.all()) if sidang.is_ranked else []
        utama = [c for c in candidates if c.decision == Decision.UTAMA]
        others = [c for c in candidates if c.decision != Decision.UTAMA]
        delegates = [p for p in participants if p.is_delegate]
        starts = timezone.localtime(sidang.starts_at)
        area_name = _area_name(sidang)
        title = TITLES[sidang.kind].format(area=area_name.upper(), year=sidang.cycle.year)
        url = verification_url(self.code) if self.code else ""
        footer = (
            f"Kode verifikasi {self.code} · {url}"
            if self.final
            else "DRAF — belum final, tidak sah sebagai berita acara"
        )
        return {
            "footer": css_string(footer),
            "sidang": sidang,
            "title": title,
            "number": self.number,
            "code": self.code,
            "final": self.final,
            "verify_url": url,
            "qr": qr_data_uri(url) if url else "",
            "letterhead": _letterhead(sidang),
            "area_name": area_name,
            "date_words": date_in_words(starts.date()),
            "date_short": date_short(starts.date()),
            "time": starts.strftime("%H.%M"),
            "participants": participants,
            "online": sum(p.presence == "daring" for p in participants),
            "delegates": delegates,
            "utama": utama,
            "others": others,
            "scored": any(c.score is not None for c in candidates),
            "criteria": criteria,
            "points": self.points(utama, others, delegates),
            "signers": delegates[:3] or participants[:3],
        }

    def points(self, utama, others, delegates) -> list[tuple[str, str]]:
        """The numbered agreements (KESATU, KEDUA, …) that follow MENYEPAKATI."""
        sidang = self.sidang
        points = []
        if sidang.is_ranked:
            upper = (
                "Musrenbang Kecamatan " + sidang.area.parent.name
                if sidang.kind == Kind.KELOMPOK
                else "forum perencanaan tingkat Kota Administrasi Jakarta Pusat"
            )
            text = (
                f"Menetapkan {len(utama)} (" + num2words(len(utama), lang="id") + ") usulan "
                f"prioritas (utama) sebagaimana tercantum dalam Lampiran II untuk diteruskan "
                f"ke {upper}."
            )
            if len(utama) < sidang.quota and sidang.shortfall_reason:
                text += (
                    f" Jumlah usulan utama kurang dari kuota {sidang.quota} dengan alasan: "
                    f"{sidang.shortfall_reason}"
                )
            points.append(text)
            points.append(
                "Usulan cadangan dan usulan yang tidak diprioritaskan beserta alasannya "
                "tercantum dalam Lampiran III; usulan cadangan dapat diajukan menggantikan "
                "usulan utama yang tidak dapat dilaksanakan."
            )
        else:
            points.append(
                f"{sidang.get_kind_display()} {_area_name(sidang)} Tahun {sidang.cycle.year} "
                "telah dilaksanakan sesuai agenda."
            )
        if delegates:
            points.append(
                f"Menetapkan {len(delegates)} (" + num2words(len(delegates), lang="id") + ") "
                "orang delegasi ke tingkat berikutnya sebagaimana tercantum dalam Lampiran IV."
            )
        points.append(
            "Lampiran Berita Acara ini merupakan bagian yang tidak terpisahkan dari Berita Acara."
        )
        return list(zip(ORDINALS, points, strict=False))


@contextlib.contextmanager
def _collector_paused():
    """WeasyPrint makes hundreds of thousands of objects per document, and with the cyclic
    collector on they set off collections of the whole process heap while it lays out (a sixth
    of the time, and the slow outliers). Paused, what the render leaves in reference cycles is
    freed by one young-generation collection afterwards."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()  # unconditionally: a render on another thread may have disabled it too


_fonts = threading.local()


def _font_config() -> FontConfiguration:
    """The fonts of this thread, loaded once: a fresh configuration per document opens and
    measures DejaVu Sans again. One per thread, as Pango's font maps are not thread-safe."""
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def pdf_from_html(html: str) -> bytes:
    """Any of the project's print documents (berita acara, attendance sheet, recap) as PDF."""
    with _collector_paused():
        document = weasyprint.HTML(string=html, url_fetcher=OfflineFetcher())
        return document.write_pdf(font_config=_font_config())


def _render(template: str, context: dict) -> bytes:
    with translation.override("id"):
        html = render_to_string(template, context)
    return pdf_from_html(html)


def minutes_pdf(sidang: Sidang, *, number: str = "", code: str = "", final: bool = False) -> bytes:
    """The berita acara; a draft (marked DRAF on every page) until the session closes."""
    return _render("pdf/berita_acara.html", Document(sidang, number, code, final).context())


def attendance_sheet_pdf(sidang: Sidang) -> bytes:
    """A blank attendance list to print before the meeting."""
    starts = timezone.localtime(sidang.starts_at)
    context = {
        "sidang": sidang,
        "footer": css_string(
            f"Daftar hadir {sidang.get_kind_display()} {_area_name(sidang)} {sidang.cycle.year}"
        ),
        "letterhead": _letterhead(sidang),
        "area_name": _area_name(sidang),
        "date_short": date_short(starts.date()),
        "day": DAYS[starts.weekday()],
        "time": starts.strftime("%H.%M"),
        "rows": range(1, 41),
    }
    return _render("pdf/daftar_hadir.html", context)
