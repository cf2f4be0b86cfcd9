"""Sessions of the cast: Kenari's sidang kelompok in progress with accepted candidates, and
Senen's musrenbang kecamatan; Paseban's sidang kelompok as the outsider."""

import datetime
import zoneinfo

import pytest

from proposals.models import Recommendation, Status
from sessions.models import Kind, Participant, Sidang
from sessions.services import SidangData, candidates_sync, criteria_ensure, quota_for
from tests.proposal_fixtures import make_proposal

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def schedule(cycle, kind, area, *, state="scheduled", **fields) -> Sidang:
    """A sidang straight into the database (the services are tested on their own)."""
    data = SidangData(
        starts_at=datetime.datetime(2024, 2, 27, 9, 0, tzinfo=JAKARTA),
        venue=f"Aula {area.display_name}",
        mode="luring",
        chair=f"Pimpinan {area.name}",
    )
    sidang = Sidang(cycle=cycle, kind=kind, area=area, quota=quota_for(kind, cycle), state=state)
    data.apply(sidang)
    for name, value in fields.items():
        setattr(sidang, name, value)
    sidang.save()
    criteria_ensure(cycle)
    if state == "in_progress":
        candidates_sync(sidang)
    return sidang


@pytest.fixture
def accepted_kenari(cycle, rw_kenari, betonisasi, tenda, rw_kenari_001):
    """Seven proposals of Kenari accepted by the lurah; the seventh not recommended."""
    proposals = [
        make_proposal(
            cycle,
            rw_kenari[i % 2],
            betonisasi if i % 3 else tenda,
            rw_kenari_001,
            status=Status.ACCEPTED,
            title=f"Usulan Kenari {i + 1}",
        )
        for i in range(7)
    ]
    proposals[6].recommendation = Recommendation.NOT_RECOMMENDED
    proposals[6].save()
    return proposals


@pytest.fixture
def kelompok_kenari(cycle, kenari, accepted_kenari):
    return schedule(cycle, Kind.KELOMPOK, kenari, state="in_progress")


@pytest.fixture
def kelompok_paseban(cycle, paseban):
    return schedule(cycle, Kind.KELOMPOK, paseban)


@pytest.fixture
def musrenbang_senen(cycle, senen):
    return schedule(cycle, Kind.KECAMATAN, senen)


def attend(sidang, n=3, *, delegates=1):
    categories = ["lurah", "ketua_rw", "tokoh_masyarakat", "pkk", "karang_taruna"]
    return [
        Participant.objects.create(
            sidang=sidang,
            category=categories[i % len(categories)],
            name=f"Peserta {i + 1}",
            institution="Kelurahan",
            is_delegate=i < delegates,
        )
        for i in range(n)
    ]
