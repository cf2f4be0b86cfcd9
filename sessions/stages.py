"""The order of the stages in each kecamatan: pleno pembuka → every sidang kelompok →
musrenbang kecamatan → pleno penutupan. A stage starts when the one before it has closed in
its area, or with a recorded exception (DESIGN §3, "Stage order")."""

from django.utils.translation import gettext as _

from areas.models import Area
from sessions.models import Kind, Sidang, State, sidang_title

# The kind each kind waits for; the sidang kelompok wait in every kelurahan of the kecamatan.
WAITS_FOR = {
    Kind.KELOMPOK: Kind.PLENO_PEMBUKA,
    Kind.KECAMATAN: Kind.KELOMPOK,
    Kind.PLENO_PENUTUPAN: Kind.KECAMATAN,
}


def kecamatan_of(sidang: Sidang) -> Area:
    return sidang.area.parent if sidang.kind == Kind.KELOMPOK else sidang.area


def stages_missing(sidang: Sidang) -> list[str]:
    """The earlier stages of the sidang's kecamatan that have not closed, each named with where
    it stands ("Sidang Kelompok Kelurahan Kramat: berlangsung"); empty when it may start."""
    before = WAITS_FOR.get(sidang.kind)
    if before is None:
        return []
    kecamatan = kecamatan_of(sidang)
    areas = (
        list(Area.objects.kelurahan().filter(parent=kecamatan).order_by("name"))
        if before == Kind.KELOMPOK
        else [kecamatan]
    )
    held = {
        s.area_id: s
        for s in Sidang.objects.filter(
            cycle_id=sidang.cycle_id, kind=before, area__in=areas
        ).select_related("area__parent")
    }
    missing = []
    for area in areas:
        earlier = held.get(area.pk)
        if earlier is None:
            missing.append(
                _("%(sidang)s: belum dijadwalkan") % {"sidang": sidang_title(before, area)}
            )
        elif earlier.state != State.CLOSED:
            missing.append(f"{earlier}: {earlier.get_state_display().lower()}")
    return missing


def upper_of(sidang: Sidang, *, lock: bool = True) -> Sidang | None:
    """The musrenbang kecamatan a sidang kelompok forwards its priorities to; locked while the
    closing decides where they go: of a kelompok and its kecamatan closing at once, one waits."""
    sessions = Sidang.objects.select_for_update(of=("self",)) if lock else Sidang.objects
    return (
        sessions.filter(
            cycle_id=sidang.cycle_id, kind=Kind.KECAMATAN, area_id=sidang.area.parent_id
        )
        .select_related("area")
        .first()
    )
