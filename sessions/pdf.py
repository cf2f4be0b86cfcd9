"""The berita acara (official minutes) of a sidang and its attendance sheet, laid out as PDF.

WeasyPrint renders templates/pdf/ with what sessions.documents says, always in Indonesian: the
minutes are a legal document whatever language the official reads the site in. The machinery
(fetcher, fonts, QR code, letterhead) is areas.pdf's, which every print document shares.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from areas.pdf import css_string, laid_out, qr_data_uri, render_pdf
from sessions.documents import Document, sheet_context
from sessions.models import Kind, Sidang

# The short kind code in minutes numbers.
KIND_CODE = {
    Kind.REMBUK_RW: "RW",
    Kind.PLENO_PEMBUKA: "PP",
    Kind.KELOMPOK: "SK",
    Kind.KECAMATAN: "MK",
    Kind.PLENO_PENUTUPAN: "PT",
}
# An attendance sheet ends with blank rows down to the foot of a page, at least this many
# for those who come unannounced; the first layout is given more than a page of them to see
# where that page ends.
SHEET_BLANK_AT_LEAST = 5
SHEET_BLANK_TRIED = 50


def verification_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("sessions:verify", args=[code])


def minutes_pdf(sidang: Sidang, *, number: str = "", code: str = "", final: bool = False) -> bytes:
    """The berita acara; a draft (marked DRAF on every page) until the session closes."""
    with translation.override("id"):  # the session's name and labels, as the document reads
        context = Document(sidang, number, code, final).context()
    url = verification_url(code) if code else ""
    footer = (
        f"Kode verifikasi {code} · {url}"
        if final
        else "DRAF — belum final, tidak sah sebagai berita acara"
    )
    context |= {
        "footer": css_string(footer),
        "verify_url": url,
        "qr": qr_data_uri(url) if url else "",
    }
    return render_pdf("pdf/berita_acara.html", context)


def sheet_rows(html: str, listed: int) -> int:
    """How many rows the attendance sheet prints: everyone listed, then blank rows to the foot
    of the page, at least SHEET_BLANK_AT_LEAST of them. Read from a first layout of `html`
    (with more blank rows than a page holds), whose rows carry the anchor baris-<n>."""
    pages = laid_out(html).pages
    rows = [
        [
            int(anchor.removeprefix("baris-"))
            for anchor in page.anchors
            if anchor.startswith("baris-")
        ]
        for page in pages
    ]
    last = 0
    for numbers in filter(None, rows):
        last = max(numbers)
        if last >= listed + SHEET_BLANK_AT_LEAST:
            break
    return last


def attendance_sheet_pdf(sidang: Sidang) -> bytes:
    """The attendance sheet to sign on: everyone on the list, then blank rows for those who
    come unannounced, down to the foot of a page."""
    with translation.override("id"):
        context = sheet_context(sidang)
        listed = len(context["participants"])
        context["footer"] = css_string(f"Daftar hadir {context['subject']}")
        context["blank"] = range(listed + 1, listed + SHEET_BLANK_TRIED + 1)
        trial = render_to_string("pdf/daftar_hadir.html", context)
    context["blank"] = range(listed + 1, sheet_rows(trial, listed) + 1)
    return render_pdf("pdf/daftar_hadir.html", context)
