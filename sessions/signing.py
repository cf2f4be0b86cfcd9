"""The office's electronic signature on the final berita acara (PAdES, with pyHanko), and its
check on the public verification page.

The certificate is the deployment's (settings.SIGNING_PKCS12 and SIGNING_PASSPHRASE); without
one nothing is signed. A signature is checked against that certificate's own chain: trust in the
authority that issued it is exactly the deployment's trust in its certificate.
"""

import asyncio
import concurrent.futures
import datetime
import functools
import hashlib
import io
import os
import textwrap
import unicodedata
from dataclasses import dataclass

from asn1crypto import x509
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pyhanko import stamp
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

FIELD = "TandaTanganElektronik"
CHECK_SECONDS = 5 * 60
# The visible box on the last page: in its top margin (2 cm, 1.8 cm on a landscape page), right
# aligned with the text, clear of the 5 mm a printer cannot reach; the bottom margin already holds
# the verification code, the QR code and the page number. In points from the page's edges.
BOX_WIDTH, BOX_HEIGHT, BOX_INSET_RIGHT, BOX_INSET_TOP = 240, 36, 57, 14
STAMP = stamp.TextStampStyle(
    stamp_text="Ditandatangani secara elektronik oleh\n%(name)s\npada %(time)s",
    border_width=1,
)


class SigningError(Exception):
    """The configured certificate cannot sign; the message says why, for the official."""


def common_name(certificate: x509.Certificate) -> str:
    """Who a certificate names: its subject's common name, or the whole subject without one."""
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly


@functools.lru_cache(maxsize=4)
def _load(path: str, passphrase: str, version: tuple) -> signers.SimpleSigner:
    """The signer of a PKCS#12 file; `version` (its time and size) reloads a replaced file."""
    with open(path, "rb") as source:
        data = source.read()
    return signers.SimpleSigner.load_pkcs12_data(
        data, other_certs=[], passphrase=passphrase.encode() or None
    )


def office_signer() -> signers.SimpleSigner | None:
    """The deployment's signer, or None when no certificate is configured.
    Raises SigningError when one is configured but cannot be read."""
    path = settings.SIGNING_PKCS12
    if not path:
        return None
    try:
        found = os.stat(path)
        return _load(path, settings.SIGNING_PASSPHRASE, (found.st_mtime_ns, found.st_size))
    except OSError as error:
        raise SigningError(
            _("Sertifikat penanda tangan %(path)s tidak dapat dibaca: %(error)s")
            % {"path": path, "error": error.strerror or error}
        ) from error
    except ValueError as error:
        raise SigningError(
            _("Sertifikat penanda tangan %(path)s tidak dapat dibuka; periksa kata sandinya.")
            % {"path": path}
        ) from error


def _plain(text: str) -> str:
    """The text in the characters the stamp's standard font draws (Latin-1): the exact name
    stays in the certificate and on the verification page."""
    text = text.replace("—", "-").replace("–", "-")
    return unicodedata.normalize("NFKD", text).encode("latin-1", "ignore").decode("latin-1")


def synchronously(function, *args, **kwargs):
    """pyHanko's plain calls run their own event loop (asyncio.run), which cannot start inside
    a running one (an ASGI worker, a test's browser driver): there, run it in a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign(content: bytes) -> tuple[bytes, str]:
    """The PDF signed with the office certificate (PAdES, a visible box on the last page), and
    the signer's name; the PDF itself and "" when no certificate is configured."""
    signer = office_signer()
    if signer is None:
        return content, ""
    name = common_name(signer.signing_cert)[:255]  # as Minutes.signed_by keeps it
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    page, _resources = writer.find_page_for_modification(-1)
    _left, _bottom, right, top = (float(v) for v in page.get_object()["/MediaBox"])
    box = (
        int(right - BOX_INSET_RIGHT - BOX_WIDTH),
        int(top - BOX_INSET_TOP - BOX_HEIGHT),
        int(right - BOX_INSET_RIGHT),
        int(top - BOX_INSET_TOP),
    )
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=FIELD,
            subfilter=fields.SigSeedSubFilter.PADES,
            reason="Berita acara Musrenbang",
        ),
        signer=signer,
        new_field_spec=fields.SigFieldSpec(FIELD, on_page=-1, box=box),
        stamp_style=STAMP,
    )
    with translation.override(settings.LANGUAGE_CODE):
        when = date_format(timezone.localtime(), "j F Y, H.i") + " WIB"
    text = {"name": "\n".join(textwrap.wrap(_plain(name), 44)), "time": when}
    signed = synchronously(pdf_signer.sign_pdf, writer, appearance_text_params=text)
    return signed.getvalue(), name


@dataclass(frozen=True)
class Check:
    """What the verification page says of a stored berita acara's electronic signature."""

    found: bool  # a signature is there at all
    intact: bool = False  # the signed bytes hash to what was signed
    valid: bool = False  # and the signature over that hash is the certificate's
    whole: bool = False  # it covers the whole file: nothing was added after signing
    trusted: bool = False  # the certificate chains to the deployment's certificate
    signer: str = ""
    issuer: str = ""
    signed_at: datetime.datetime | None = None

    @property
    def sound(self) -> bool:
        """The file is exactly what the certificate's holder signed."""
        return self.found and self.intact and self.valid and self.whole


def _trust_roots() -> list[x509.Certificate]:
    """The deployment's certificate and the chain in its file; none without one."""
    try:
        signer = office_signer()
    except SigningError:
        return []
    if signer is None:
        return []
    return [signer.signing_cert, *signer.cert_registry]


def check(content: bytes) -> Check:
    """Validate the signature of a stored berita acara (pyHanko) against the deployment's
    certificate chain. A file that cannot be read, or holds no signature, is not sound.

    The page is public and a validation costs tens of milliseconds: the judgement is kept for
    a few minutes, for exactly these bytes and this chain."""
    roots = _trust_roots()
    key = hashlib.sha256(content + b"".join(root.dump() for root in roots)).hexdigest()
    judged = cache.get(f"signature-check:{key}")
    if judged is None:
        judged = _validated(content, roots)
        cache.set(f"signature-check:{key}", judged, CHECK_SECONDS)
    return judged


def _validated(content: bytes, roots: list[x509.Certificate]) -> Check:
    try:
        signatures = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures
        if not signatures:
            return Check(found=False)
        status = synchronously(
            validate_pdf_signature,
            signatures[0],
            ValidationContext(trust_roots=roots, allow_fetching=False),
        )
    except Exception:  # a damaged file fails in many ways; each of them means "not sound"
        return Check(found=True)
    return Check(
        found=True,
        intact=status.intact,
        valid=status.valid,
        whole=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        trusted=status.trusted,
        signer=common_name(status.signing_cert),
        issuer=status.signing_cert.issuer.native.get("common_name", ""),
        signed_at=status.signer_reported_dt,
    )
