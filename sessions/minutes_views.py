"""The berita acara as PDF (draft until closing, then the stored bytes), its wet-signed scan,
and its public check."""

import io
import logging
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sessions import pdf, scans, services, signing
from sessions.models import Minutes, SignedScan, StoredFileAltered
from sessions.views import run_sidang, visible_sidang

logger = logging.getLogger(__name__)


def _pdf_response(content, filename: str, *, inline: bool = True):
    response = (
        FileResponse(content, content_type="application/pdf", filename=filename)
        if not isinstance(content, bytes)
        else HttpResponse(content, content_type="application/pdf")
    )
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _stored(request, minutes: Minutes):
    """Exactly the bytes rendered at closing, ever after: a stored file whose SHA-256 is not
    the one kept at closing is refused, never served as the berita acara."""
    try:
        content = minutes.content()
    except StoredFileAltered:
        logger.error("Stored berita acara %s does not match its SHA-256", minutes.file.name)
        return render(request, "sessions/altered.html", {"minutes": minutes}, status=500)
    return _pdf_response(io.BytesIO(content), f"berita-acara-{minutes.code}.pdf")


@require_safe
@login_required
def minutes_pdf(request, pk):
    sidang = visible_sidang(request, pk)
    minutes = Minutes.objects.filter(sidang=sidang).first()
    if minutes is not None:
        return _stored(request, minutes)
    response = _pdf_response(pdf.minutes_pdf(sidang), f"draf-berita-acara-{sidang.pk}.pdf")
    response["Cache-Control"] = "no-store"  # a draft changes with every edit
    return response


@require_safe
@login_required
def attendance_sheet_pdf(request, pk):
    sidang = visible_sidang(request, pk)
    return _pdf_response(pdf.attendance_sheet_pdf(sidang), f"daftar-hadir-{sidang.pk}.pdf")


def verification_code(code: str) -> str:
    """The code as typed (spaces and case aside), or 404 before any lookup for what cannot be
    one: letters and digits, at most the stored 12."""
    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{1,12}", code):
        raise Http404
    return code


def _minutes_by_code(code: str) -> Minutes:
    return get_object_or_404(
        Minutes.objects.select_related("sidang__area__parent", "sidang__cycle"),
        code=verification_code(code),
    )


def _signature(minutes: Minutes) -> signing.Check | None:
    """The stored file's electronic signature as pyHanko judges it; None when it was stored
    unsigned."""
    if not minutes.signed_by:
        return None
    with minutes.file.open("rb") as stored:
        return signing.check(stored.read())


@require_safe
def verify(request, code):
    """Public: anyone holding a printed copy checks it against the stored original, its
    electronic signature and the scan of the copy signed on paper."""
    minutes = _minutes_by_code(code)
    context = {
        "minutes": minutes,
        "sidang": minutes.sidang,
        "signature": _signature(minutes),
        "scan": SignedScan.objects.filter(minutes=minutes).first(),
    }
    return render(request, "sessions/verify.html", context)


@require_safe
def verify_download(request, code):
    minutes = _minutes_by_code(code)
    if not minutes.file:
        raise Http404
    return _stored(request, minutes)


@require_safe
def verify_scan(request, code):
    """Public like the berita acara: the scan of the copy signed on paper, as uploaded."""
    code = verification_code(code)
    scan = get_object_or_404(SignedScan, minutes__code=code)
    response = FileResponse(
        scan.file.open("rb"),
        content_type=scan.content_type,
        as_attachment=scan.content_type == "application/pdf",
        filename=f"pindaian-berita-acara-{code}.{scans.extension(scan.content_type)}",
    )
    # Served bytes are never a page: no scripts, no plugins, even if a check were fooled.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def scan_upload(request, pk):
    """The runner keeps the scan of the berita acara signed on paper, once, after closing."""
    sidang = run_sidang(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Pilih berkas pindaian berita acara (PDF, JPEG atau PNG)."))
        return redirect(sidang)
    try:
        services.scan_upload(sidang=sidang, upload=upload, by=request.user)
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pindaian berita acara bertanda tangan disimpan."))
    return redirect(sidang)
