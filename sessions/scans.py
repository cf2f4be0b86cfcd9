"""What a wet-signed scan of a berita acara may be: a PDF, JPEG or PNG by its content (never
by its name), no larger than settings.SCAN_MAX_BYTES, that opens."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader

from proposals.images import ImageRefused, image_check

# The first bytes of each kind, and its file extension.
KINDS = {
    "application/pdf": (b"%PDF-", "pdf"),
    "image/jpeg": (b"\xff\xd8\xff", "jpg"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
}


class ScanRefused(Exception):
    """The file cannot be kept as the scan; the message says why, for the official."""


def extension(content_type: str) -> str:
    return KINDS[content_type][1]


def content_type(upload: UploadedFile) -> str:
    """The scan's type, read from its content. Raises ScanRefused."""
    if upload.size > settings.SCAN_MAX_BYTES:
        raise ScanRefused(
            _("Berkas pindaian lebih dari %(limit)s MB; pindai ulang dengan resolusi lebih rendah.")
            % {"limit": settings.SCAN_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    found = next((kind for kind, spec in KINDS.items() if head.startswith(spec[0])), None)
    if found is None:
        raise ScanRefused(
            _("Berkas pindaian harus PDF, JPEG atau PNG; berkas ini bukan ketiganya.")
        )
    try:
        if found == "application/pdf":
            _check_pdf(upload)
        else:
            _check_image(upload)
    finally:
        upload.seek(0)
    return found


def _check_pdf(upload: UploadedFile) -> None:
    try:
        reader = PdfFileReader(upload, strict=False)  # pyHanko's limits for untrusted input
        encrypted = reader.encrypted
        pages = 0 if encrypted else int(reader.root["/Pages"]["/Count"])
    except Exception as error:  # a damaged file fails in many ways; each means "cannot open"
        raise ScanRefused(_("PDF pindaian rusak atau tidak dapat dibaca.")) from error
    if encrypted:
        raise ScanRefused(_("PDF pindaian terkunci kata sandi; unggah PDF yang tidak terkunci."))
    if pages < 1:
        raise ScanRefused(_("PDF pindaian tidak berisi halaman."))


def _check_image(upload: UploadedFile) -> None:
    """Refused when too large in pixels or damaged, read from its header (as a photo is)."""
    try:
        image_check(upload.read(), upload.name)
    except ImageRefused as error:
        raise ScanRefused(str(error)) from error
