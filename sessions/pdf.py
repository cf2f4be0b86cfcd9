"""The berita acara (official minutes) of a sidang and its attendance sheet, laid out as PDF.

WeasyPrint renders templates/pdf/ with what sessions.documents says, always in Indonesian: the
minutes are a legal document whatever language the official reads the site in. Nothing is
fetched from outside: the stylesheet is inlined, the QR code is a data: URI and the
letterhead's logo is read from the project's own media storage.
"""

import contextlib
import gc
import mimetypes
import threading

import segno
import weasyprint
from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from areas.formatting import printable_text
from sessions.documents import MEDIA_SCHEME, Document, sheet_context
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

# Uploaded letterhead logos (Area.logo) are the only files a document may load.
LOGO_FOLDER = "logo/"


class OfflineFetcher(URLFetcher):
    """Never reaches the network: data: URLs, and the letterhead logos under media:logo/…
    read from the project's storage. Anything else is refused."""

    def __init__(self, *args, **kwargs):
        kwargs["allowed_protocols"] = ("data",)
        super().__init__(*args, **kwargs)

    def fetch(self, url, headers=None):
        if url.startswith(MEDIA_SCHEME):
            return _logo(url)
        return super().fetch(url, headers)


def _logo(url: str) -> URLFetcherResponse:
    name = url.removeprefix(MEDIA_SCHEME)
    if not name.startswith(LOGO_FOLDER) or ".." in name.split("/"):
        raise ValueError(f"Not a letterhead logo: {url}")
    with default_storage.open(name, "rb") as file:  # the storage refuses paths outside it
        body = file.read()
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body, {"Content-Type": content_type})


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


# -- Rendering --------------------------------------------------------------------------------


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
    """Any of the project's print documents (berita acara, attendance sheet, recap) as PDF,
    without the characters no document should carry, whatever text was stored."""
    with _collector_paused():
        document = weasyprint.HTML(string=printable_text(html), url_fetcher=OfflineFetcher())
        return document.write_pdf(font_config=_font_config())


def _render(template: str, context: dict) -> bytes:
    with translation.override("id"):
        html = render_to_string(template, context)
    return pdf_from_html(html)


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
    return _render("pdf/berita_acara.html", context)


def sheet_rows(html: str, listed: int) -> int:
    """How many rows the attendance sheet prints: everyone listed, then blank rows to the foot
    of the page, at least SHEET_BLANK_AT_LEAST of them. Read from a first layout of `html`
    (with more blank rows than a page holds), whose rows carry the anchor baris-<n>."""
    with _collector_paused():
        pages = (
            weasyprint.HTML(string=html, url_fetcher=OfflineFetcher())
            .render(font_config=_font_config())
            .pages
        )
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
    return _render("pdf/daftar_hadir.html", context)
