"""The berita acara as PDF (draft until closing, then the stored bytes) and its public check."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from sessions import pdf
from sessions.models import Minutes
from sessions.views import visible_sidang


def _pdf_response(content, filename: str, *, inline: bool = True):
    response = (
        FileResponse(content, content_type="application/pdf", filename=filename)
        if not isinstance(content, bytes)
        else HttpResponse(content, content_type="application/pdf")
    )
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _stored(minutes: Minutes):
    """Exactly the bytes rendered at closing, ever after."""
    return _pdf_response(minutes.file.open("rb"), f"berita-acara-{minutes.code}.pdf")


@require_safe
@login_required
def minutes_pdf(request, pk):
    sidang = visible_sidang(request, pk)
    minutes = Minutes.objects.filter(sidang=sidang).first()
    if minutes is not None:
        return _stored(minutes)
    response = _pdf_response(pdf.minutes_pdf(sidang), f"draf-berita-acara-{sidang.pk}.pdf")
    response["Cache-Control"] = "no-store"  # a draft changes with every edit
    return response


@require_safe
@login_required
def attendance_sheet_pdf(request, pk):
    sidang = visible_sidang(request, pk)
    return _pdf_response(pdf.attendance_sheet_pdf(sidang), f"daftar-hadir-{sidang.pk}.pdf")


def _minutes_by_code(code: str) -> Minutes:
    return get_object_or_404(
        Minutes.objects.select_related("sidang__area__parent", "sidang__cycle"),
        code=code.strip().upper(),
    )


@require_safe
def verify(request, code):
    """Public: anyone holding a printed copy checks it against the stored original."""
    minutes = _minutes_by_code(code)
    return render(request, "sessions/verify.html", {"minutes": minutes, "sidang": minutes.sidang})


@require_safe
def verify_download(request, code):
    minutes = _minutes_by_code(code)
    if not minutes.file:
        raise Http404
    return _stored(minutes)
