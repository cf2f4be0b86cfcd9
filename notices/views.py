"""The signed-in user's inbox: their own notices, newest first; opening one marks it read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from notices.models import Notice

PER_PAGE = 20


@require_safe
@login_required
def inbox(request):
    notices = Notice.objects.visible_to(request.user).only(
        "pk", "subject", "text", "url", "created_at", "read_at"
    )
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notices/inbox.html", {"page": page})


def safe_link(url: str) -> str:
    """The notice's link when it stays on this site (a path: "/usulan/12/"), else the inbox."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return ""


@require_http_methods(["GET", "POST"])
@login_required
def notice_open(request, pk):
    """Mark the notice read and go to the page it is about (a link in an e-mail is a GET)."""
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(safe_link(notice.url) or "notices:inbox")


@require_POST
@login_required
def notices_read(request):
    """Mark every unread notice of the user read."""
    count = Notice.objects.visible_to(request.user).unread().update(read_at=timezone.now())
    if count:
        messages.success(request, _("Semua notifikasi ditandai sudah dibaca."))
    return redirect("notices:inbox")
