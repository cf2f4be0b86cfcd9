"""The attendance list (daftar hadir) of a sidang: quick entry, removal, delegates, and whole
groups invited at once and then ticked as they come."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sessions import services
from sessions.forms import ParticipantForm
from sessions.models import Kind, Participant
from sessions.views import run_sidang, visible_sidang


def _next_person(params) -> dict:
    """After an entry the form comes back with the same unsur and presence, ready for a name."""
    initial = {}
    if params.get("unsur") in Participant.Category.values:
        initial["category"] = params["unsur"]
    if params.get("kehadiran") in Participant.Presence.values:
        initial["presence"] = params["kehadiran"]
    return initial


def _add(request, sidang, form):
    """Record the person of a valid form, or say why nothing was added; back to the list."""
    url = reverse("sessions:attendance", args=[sidang.pk])
    if not form.is_valid():  # and the page shows no form to correct
        messages.error(request, _("Daftar hadir sidang ini tidak dapat Anda ubah."))
        return redirect(url)
    data = form.participant_data()
    try:
        services.participant_add(sidang=sidang, data=data, by=request.user)
    except services.SessionError as error:
        messages.error(request, str(error))
        return redirect(url)
    messages.success(request, _("%(name)s dicatat dalam daftar hadir.") % {"name": data.name})
    # No #tambah: a page opened at a fragment ignores autofocus, and the focused name field
    # brings the form into view by itself.
    query = urlencode({"unsur": data.category, "kehadiran": data.presence})
    return redirect(f"{url}?{query}")


@login_required
def attendance(request, pk):
    sidang = (run_sidang if request.method == "POST" else visible_sidang)(request, pk)
    may_edit = sidang.may_run(request.user) and not sidang.is_closed
    if request.method == "POST":
        form = ParticipantForm(request.POST)
        if form.is_valid() or not may_edit:
            return _add(request, sidang, form)
        status = 400
        focus = next((name for name in form.fields if name in form.errors), None)
    else:
        status = 200
        initial = _next_person(request.GET)
        form = ParticipantForm(initial=initial)
        focus = "name" if initial else None
    if focus:
        form.fields[focus].widget.attrs["autofocus"] = True
    participants = list(sidang.participants.all())
    return render(
        request,
        "sessions/attendance.html",
        {
            "sidang": sidang,
            "active": "attendance",
            "participants": participants,
            "delegates": sum(p.is_delegate for p in participants),
            "present": sum(p.present for p in participants),
            "quorum": services.quorum_for(sidang.kind, sidang.cycle),
            "groups": invite_groups(sidang),
            "may_edit": may_edit,
            "form": form if may_edit else None,
        },
        status=status,
    )


def _participant(request, pk, participant_pk) -> Participant:
    sidang = run_sidang(request, pk)
    participant = get_object_or_404(sidang.participants, pk=participant_pk)
    participant.sidang = sidang
    return participant


@login_required
@require_POST
def participant_remove(request, pk, participant_pk):
    participant = _participant(request, pk, participant_pk)
    try:
        services.participant_remove(participant=participant, by=request.user)
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(name)s dihapus dari daftar hadir.") % {"name": participant.name}
        )
    return redirect("sessions:attendance", pk=pk)


@login_required
@require_POST
def participant_delegate(request, pk, participant_pk):
    participant = _participant(request, pk, participant_pk)
    delegate = not participant.is_delegate
    try:
        services.participant_set_delegate(
            participant=participant, delegate=delegate, by=request.user
        )
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        if delegate:
            message = _("%(name)s menjadi delegasi ke tingkat berikutnya.")
        else:
            message = _("%(name)s tidak lagi menjadi delegasi.")
        messages.success(request, message % {"name": participant.name})
    return redirect("sessions:attendance", pk=pk)


# -- Whole groups at once ---------------------------------------------------------------------


def invite_groups(sidang) -> list[str]:
    """The groups the runner may put on the list at once: every ketua RW of the area, and for
    a musrenbang kecamatan the delegates its sidang kelompok elected."""
    return ["rw", "delegasi"] if sidang.kind == Kind.KECAMATAN else ["rw"]


def _invited(group: str, count: int) -> str:
    if group == "rw":
        if not count:
            return _("Tidak ada ketua RW baru untuk ditambahkan ke daftar hadir.")
        message = ngettext(
            "%(count)s ketua RW ditambahkan ke daftar hadir; centang yang hadir.",
            "%(count)s ketua RW ditambahkan ke daftar hadir; centang yang hadir.",
            count,
        )
    else:
        if not count:
            return _("Tidak ada delegasi baru dari sidang kelompok untuk ditambahkan.")
        message = ngettext(
            "%(count)s delegasi ditambahkan ke daftar hadir; centang yang hadir.",
            "%(count)s delegasi ditambahkan ke daftar hadir; centang yang hadir.",
            count,
        )
    return message % {"count": count}


@login_required
@require_POST
def participants_invite(request, pk):
    sidang = run_sidang(request, pk)
    group = request.POST.get("group", "")
    if group not in invite_groups(sidang):
        messages.error(request, _("Pilih kelompok peserta yang akan diundang."))
        return redirect("sessions:attendance", pk=pk)
    try:
        count = services.participants_invite(sidang=sidang, group=group, by=request.user)
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        (messages.success if count else messages.info)(request, _invited(group, count))
    return redirect("sessions:attendance", pk=pk)


def _ids(values: list[str]) -> set[int]:
    """Participant ids as the form sends them; ValueError for anything that is none (a number
    past the 64-bit ids would be a server error at the database)."""
    ids = {int(value) for value in values}
    if any(not 0 < pk < 2**63 for pk in ids):
        raise ValueError
    return ids


@login_required
@require_POST
def participants_present(request, pk):
    sidang = run_sidang(request, pk)
    try:
        present = _ids(request.POST.getlist("present"))
        listed = _ids(request.POST.getlist("listed")) or None
    except ValueError:
        messages.error(request, _("Kehadiran tidak disimpan: pilihan peserta tidak sah."))
        return redirect("sessions:attendance", pk=pk)
    try:
        changed = services.participants_mark_present(
            sidang=sidang, present=present, by=request.user, listed=listed
        )
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        if changed:
            message = ngettext(
                "Kehadiran disimpan: %(count)s peserta berubah.",
                "Kehadiran disimpan: %(count)s peserta berubah.",
                changed,
            )
            messages.success(request, message % {"count": changed})
        else:
            messages.info(request, _("Kehadiran disimpan; tidak ada yang berubah."))
    return redirect("sessions:attendance", pk=pk)
