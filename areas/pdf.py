"""The machinery every print document shares (berita acara, attendance sheet, recap, a
proposal's receipt): the letterhead of an area's offices, WeasyPrint with its fonts and a
fetcher that never leaves the project, and the QR code printed on a document.

Nothing is fetched from outside: stylesheets are inlined, a QR code is a data: URI and the
letterhead's logo is read from the project's own media storage.
"""

import contextlib
import gc
import mimetypes
import threading
from dataclasses import dataclass

import segno
import weasyprint
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from areas.formatting import printable_text
from areas.models import Area, Level

# A logo is given to the layout as media:<its name in the storage>; OfflineFetcher reads it
# from there, and nothing else.
MEDIA_SCHEME = "media:"
# Uploaded letterhead logos (Area.logo) are the only files a document may load.
LOGO_FOLDER = "logo/"


# -- The letterhead ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """The kop: the government and its offices down to an area, the office's address and its
    logo (a media: URL for the fetcher), when the planning office has set them."""

    lines: list[str]
    address: str
    logo: str


def letterhead(chain: list[Area]) -> Letterhead:
    """The kop of a document of the last area of `chain` (the provinsi, kota, … down to it):
    its address, or its parent's when it has none; the nearest logo up the chain."""
    lines = ["PEMERINTAH PROVINSI DAERAH KHUSUS IBUKOTA JAKARTA"]
    for area in chain:
        if area.level == Level.KOTA:
            lines.append(area.name.upper())
        elif area.level in (Level.KECAMATAN, Level.KELURAHAN):
            lines.append(f"{area.get_level_display()} {area.name}".upper())
    parent = chain[-2] if len(chain) > 1 else None
    address = chain[-1].office_address or (parent.office_address if parent else "")
    logo = next((area.logo.name for area in reversed(chain) if area.logo), "")
    return Letterhead(lines, address, MEDIA_SCHEME + logo if logo else "")


# -- What a document may load -----------------------------------------------------------------


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
    """Any of the project's print documents as PDF, without the characters no document should
    carry, whatever text was stored."""
    with _collector_paused():
        document = weasyprint.HTML(string=printable_text(html), url_fetcher=OfflineFetcher())
        return document.write_pdf(font_config=_font_config())


def render_pdf(template: str, context: dict) -> bytes:
    """A print template as PDF, always in Indonesian: a document the office issues reads the
    same whatever language the official reads the site in."""
    with translation.override("id"):
        html = render_to_string(template, context)
    return pdf_from_html(html)


def laid_out(html: str) -> weasyprint.Document:
    """`html` laid out in pages, to read where things fell before the document is written."""
    with _collector_paused():
        return weasyprint.HTML(string=html, url_fetcher=OfflineFetcher()).render(
            font_config=_font_config()
        )
