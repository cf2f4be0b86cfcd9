"""Sessions of the cast: Kenari's sidang kelompok in progress with accepted candidates, and
Senen's musrenbang kecamatan; Paseban's sidang kelompok as the outsider. Also the helpers that
attend and rank a sidang, and the sessions several test modules of tests/sessions share."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from proposals.models import Recommendation, Status
from sessions.models import Decision, Kind, Participant, Sidang
from sessions.services import (
    Placement,
    SidangData,
    candidates_sync,
    criteria_ensure,
    quota_for,
    ranking_save,
    sidang_close,
    utama_refusal,
)
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


def held(cycle, kind, area) -> Sidang:
    """A sidang already held and closed (straight into the database): the stage before."""
    return schedule(cycle, kind, area, state="closed", closed_at=timezone.now())


@pytest.fixture
def accepted_kenari(cycle, rw_kenari, betonisasi, tenda, rw_kenari_001):
    """Seven proposals of Kenari accepted by the lurah, the physical ones recommended by their
    survey; the seventh not recommended."""
    proposals = [
        make_proposal(
            cycle,
            rw_kenari[i % 2],
            betonisasi if i % 3 else tenda,
            rw_kenari_001,
            status=Status.ACCEPTED,
            title=f"Usulan Kenari {i + 1}",
            recommendation=Recommendation.RECOMMENDED if i % 3 else "",
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


def placements(sidang, utama=5, *, skip_not_recommended=True):
    """Everyone ranked in code order; the first `utama` eligible ones utama, the rest reserve."""
    result, given = [], 0
    for rank, c in enumerate(sidang.candidates.select_related("proposal").order_by("pk"), 1):
        eligible = not (skip_not_recommended and utama_refusal(c.proposal, sidang.cycle))
        decision = Decision.UTAMA if eligible and given < utama else Decision.CADANGAN
        given += decision == Decision.UTAMA
        result.append(Placement(c.pk, rank, decision))
    return result


def save(sidang, by, items, version=None):
    return ranking_save(
        sidang=sidang,
        placements=items,
        version=sidang.ranking_version if version is None else version,
        by=by,
    )


# Sessions several test modules of tests/sessions share (registered in its conftest.py).


@pytest.fixture
def closed_kenari(kelompok_kenari, lurah_kenari):
    attend(kelompok_kenari)
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    kelompok_kenari.refresh_from_db()
    return sidang_close(sidang=kelompok_kenari, by=lurah_kenari)


@pytest.fixture
def closed_pleno(cycle, senen, camat_senen):
    sidang = schedule(cycle, Kind.PLENO_PEMBUKA, senen, state="in_progress")
    attend(sidang, 2)
    return sidang_close(sidang=sidang, by=camat_senen)


@pytest.fixture
def pleno_senen(cycle, senen):
    sidang = schedule(
        cycle,
        "pleno_pembuka",
        senen,
        state="in_progress",
        starts_at=datetime.datetime(2024, 2, 26, 9, 0, tzinfo=JAKARTA),
        venue="Aula Kecamatan Senen",
        mode="hybrid",
        meeting_link="https://zoom.us/j/2024022604",
        chair="Camat Senen",
    )
    attend(sidang, 4)
    return sidang


@pytest.fixture
def closed(pleno_senen, camat_senen):
    return sidang_close(sidang=pleno_senen, by=camat_senen)
