"""Who is told when a sidang closes: each candidate's RW what became of its proposals, the camat
when the last sidang kelompok of the kecamatan has closed, the planning office when a
musrenbang kecamatan has.

Called by `sidang_close` inside its transaction: if the closing fails, nobody is told.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from areas.models import Role
from notices.services import Message, holders, holders_by, notify, notify_all
from proposals.notify import stored_language
from sessions.models import Candidate, Decision, Kind, Sidang
from sessions.stages import kecamatan_of, stages_missing, upper_of


def closing_tell(sidang: Sidang) -> None:
    """Everyone the closing of `sidang` concerns (after it is stored as closed)."""
    with stored_language():
        if sidang.is_ranked:
            _rws_tell(sidang)
        if sidang.kind == Kind.KELOMPOK:
            _camat_tell(sidang)
        elif sidang.kind == Kind.KECAMATAN:
            _planning_tell(sidang)


# -- The RWs of the candidates -------------------------------------------------------------------


def _outcome(candidate: Candidate) -> str:
    values = {"rank": candidate.rank or "—", "reason": candidate.reason}
    if candidate.decision == Decision.UTAMA:
        return _("prioritas utama, peringkat %(rank)s") % values
    if candidate.decision == Decision.CADANGAN:
        return _("cadangan, peringkat %(rank)s") % values
    if candidate.reason:
        return _("tidak diprioritaskan; alasannya: %(reason)s") % values
    return _("tidak diprioritaskan")


def _after(sidang: Sidang) -> str:
    """Where the priorities go now."""
    if sidang.kind == Kind.KECAMATAN:
        return _(
            "Usulan prioritas utama diteruskan ke Suku Badan Perencanaan Pembangunan Kota "
            "untuk keputusan akhir."
        )
    if sidang.closed_late:
        return _(
            "Musrenbang kecamatan sudah ditutup: usulan prioritas utama menunggu keputusan "
            "Suku Badan Perencanaan Pembangunan Kota."
        )
    return _("Usulan prioritas utama diteruskan ke musrenbang kecamatan.")


def _rws_tell(sidang: Sidang) -> None:
    """One notice per RW, listing each of its proposals on the sidang's table and its fate."""
    by_rw: dict[int, list[Candidate]] = {}
    candidates = sidang.candidates.select_related("proposal").order_by("rank", "proposal__code")
    for candidate in candidates:
        by_rw.setdefault(candidate.proposal.rw_id, []).append(candidate)
    if not by_rw:
        return
    officials = holders_by(Role.RW, areas=by_rw)
    notify_all(
        _rw_message(sidang, officials.get(rw_id, []), listed) for rw_id, listed in by_rw.items()
    )


def _rw_message(sidang: Sidang, users, listed: list[Candidate]) -> Message:
    lines = [
        f"- {c.proposal.code} {c.proposal.title}: {_outcome(c).rstrip('.')}."  # one full stop
        for c in sorted(listed, key=lambda c: c.proposal.code)
    ]
    text = "\n\n".join(
        [
            _("%(sidang)s telah ditutup. Hasilnya untuk usulan RW Anda:") % {"sidang": sidang},
            "\n".join(lines),
            _after(sidang),
        ]
    )
    # One proposal: its page; several: the RW's list of proposals.
    url = listed[0].proposal.get_absolute_url() if len(listed) == 1 else reverse("proposals:list")
    return Message(
        users,
        kind="ranked",
        subject=_("Hasil %(sidang)s") % {"sidang": sidang},
        text=text,
        url=url,
    )


# -- The camat and the planning office -----------------------------------------------------------


def _camat_tell(sidang: Sidang) -> None:
    """The camat, once every kelurahan of the kecamatan has closed its sidang kelompok (the
    same rule that lets the musrenbang kecamatan start)."""
    if sidang.closed_late:  # its priorities wait for the planning office, not for the camat
        return
    kecamatan = kecamatan_of(sidang)
    if stages_missing(Sidang(cycle_id=sidang.cycle_id, kind=Kind.KECAMATAN, area=kecamatan)):
        return
    upper = upper_of(sidang, lock=False)
    notify(
        holders(Role.CAMAT, area=kecamatan),
        kind="kelompok_all_closed",
        subject=_("Semua sidang kelompok Kecamatan %(kecamatan)s sudah ditutup")
        % {"kecamatan": kecamatan.name},
        text=_(
            "Sidang kelompok terakhir di Kecamatan %(kecamatan)s, %(sidang)s, telah ditutup. "
            "Prioritas semua kelurahan sudah diteruskan; musrenbang kecamatan dapat dimulai."
        )
        % {"kecamatan": kecamatan.name, "sidang": sidang},
        url=upper.get_absolute_url() if upper else reverse("sessions:list"),
    )


def _planning_tell(sidang: Sidang) -> None:
    utama = sidang.candidates.filter(decision=Decision.UTAMA).count()
    notify(
        holders(Role.PLANNING, area=sidang.cycle.kota_id),
        kind="kecamatan_closed",
        subject=_("%(sidang)s sudah ditutup") % {"sidang": sidang},
        text=_(
            "%(sidang)s telah ditutup. %(count)s usulan prioritas utamanya diteruskan ke kota "
            "dan menunggu keputusan akhir Suku Badan Perencanaan Pembangunan Kota."
        )
        % {"sidang": sidang, "count": utama},
        url=sidang.get_absolute_url(),
    )
