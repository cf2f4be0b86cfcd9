"""Forwarding through one kecamatan: every kelurahan of Senen keeps 5, the kecamatan keeps 3."""

from areas.models import Area
from areas.services import rw_ensure
from proposals.models import Event, Proposal, Status
from sessions.models import Decision, Kind, State
from sessions.services import Placement, ranking_save, sidang_close, sidang_start
from tests.conftest import official
from tests.proposal_fixtures import recommended
from tests.session_fixtures import attend, held, schedule


def rank_and_close(sidang, by, utama: int):
    sidang_start(sidang=sidang, by=by)
    sidang.refresh_from_db()
    attend(sidang, 3)
    candidates = list(sidang.candidates.order_by("proposal__code"))
    items = [
        Placement(
            c.pk,
            rank,
            Decision.UTAMA if rank <= utama else Decision.TIDAK,
            "" if rank <= utama else "Kalah prioritas",
        )
        for rank, c in enumerate(candidates, start=1)
    ]
    ranking_save(sidang=sidang, placements=items, version=0, by=by)
    sidang.refresh_from_db()
    return sidang_close(sidang=sidang, by=by)


def test_every_kelurahan_keeps_five_and_the_kecamatan_three(
    cycle, senen, betonisasi, superuser, camat_senen
):
    kelurahan = list(Area.objects.kelurahan().filter(parent=senen))
    assert len(kelurahan) == 6
    for kel in kelurahan:
        rw = rw_ensure(kelurahan=kel, count=1)[0]
        recommended(cycle, [rw], betonisasi, superuser, 7)
    held(cycle, Kind.PLENO_PEMBUKA, senen)
    musrenbang = schedule(cycle, Kind.KECAMATAN, senen)

    for kel in kelurahan:
        lurah = official(f"lurah.{kel.name.lower()}", "lurah", area=kel)
        closed = rank_and_close(schedule(cycle, Kind.KELOMPOK, kel), lurah, utama=5)
        assert closed.state == State.CLOSED
    senen_proposals = Proposal.objects.filter(kecamatan=senen)
    assert senen_proposals.filter(status=Status.KELURAHAN_PRIORITY).count() == 30
    assert senen_proposals.filter(status=Status.NOT_PRIORITISED).count() == 12

    rank_and_close(musrenbang, camat_senen, utama=3)
    assert musrenbang.candidates.count() == 30
    kept = senen_proposals.filter(status=Status.KECAMATAN_PRIORITY)
    assert kept.count() == 3
    assert senen_proposals.filter(status=Status.NOT_PRIORITISED).count() == 12 + 27
    journey = [e.action for e in kept.first().journey()]
    assert journey[-2:] == [Event.Action.RANKED_KELURAHAN, Event.Action.RANKED_KECAMATAN]
