"""Proposals of the cast: a 2024 cycle whose RW window is open, a small catalogue, and
proposals in Kenari (inside) and Paseban (outside) at every status; one Kenari proposal
forwarded by the kecamatan, which the proposal tests share."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from areas.models import Area
from areas.services import rw_ensure
from proposals.models import (
    CatalogueItem,
    Category,
    Cycle,
    Event,
    Proposal,
    Recommendation,
    Status,
    SubActivity,
)
from proposals.services import SurveyData, proposal_accept, proposal_code, survey_record


def open_cycle(kota, code_prefix: str, **fields) -> Cycle:
    """The kota's 2024 cycle, its RW window open today. Its sessions are small: two people
    present make a quorum (tests/sessions/test_stages.py holds the cycle defaults to theirs)."""
    today = timezone.localdate()
    quorum = dict.fromkeys(
        ["quorum_rembuk_rw", "quorum_pleno", "quorum_kelompok", "quorum_kecamatan"], 2
    )
    values = {
        "year": 2024,
        "rw_opens": today - datetime.timedelta(days=10),
        "rw_closes": today + datetime.timedelta(days=10),
        **quorum,
        **fields,
    }
    return Cycle.objects.create(kota=kota, code_prefix=code_prefix, **values)


def road_item(unit) -> CatalogueItem:
    return CatalogueItem.objects.create(
        unit=unit,
        code="BM-01",
        name="Betonisasi jalan lingkungan",
        category=Category.FISIK,
        sector="Jalan",
        measure="m2",
        unit_price=450_000,
    )


@pytest.fixture
def cycle(kota_jp):
    return open_cycle(kota_jp, "JP24")


@pytest.fixture
def betonisasi(binamarga):
    return road_item(binamarga)


@pytest.fixture
def cycle_jaksel(kota_jaksel):
    return open_cycle(kota_jaksel, "JS24")


@pytest.fixture
def rw_jaksel(kota_jaksel):
    """RW 001 of the first kelurahan of Jakarta Selatan: outside every official of the cast."""
    kelurahan = Area.objects.kelurahan().within(kota_jaksel).order_by("code").first()
    return rw_ensure(kelurahan=kelurahan, count=1)[0]


@pytest.fixture
def proposal_jaksel(cycle_jaksel, rw_jaksel, binamarga_jaksel, superuser):
    return make_proposal(cycle_jaksel, rw_jaksel, road_item(binamarga_jaksel), superuser)


@pytest.fixture
def tenda(sda):
    # Any unit will do for a goods item in tests; the demo assigns realistic ones.
    return CatalogueItem.objects.create(
        unit=sda,
        code="PB-01",
        name="Tenda serbaguna",
        category=Category.PENGADAAN,
        sector="Sarana RW",
        measure="unit",
        unit_price=12_000_000,
    )


def make_proposal(cycle, rw, item, creator, *, status=Status.SUBMITTED, **fields) -> Proposal:
    """A proposal straight into the database (the services are tested on their own)."""
    cycle.last_number += 1
    cycle.save(update_fields=["last_number"])
    values = {
        "title": f"{item.name} di {rw.display_name}",
        "problem": "Jalan rusak dan tergenang saat hujan.",
        "catalogue_item": item,
        "category": item.category,
        "target_unit": item.unit,
        "address": "Jl. Kenari II",
        "rt": "003",
        "volume": Decimal("120"),
        "measure": item.measure,
        "unit_price": item.unit_price,
        "beneficiaries": 250,
        "status": status,
        "submitted_at": None if status == Status.DRAFT else timezone.now(),
        **fields,
    }
    return Proposal.objects.create(
        cycle=cycle,
        number=cycle.last_number,
        code=proposal_code(cycle, cycle.last_number),
        rw=rw,
        created_by=creator,
        **values,
    )


@pytest.fixture
def proposal_kenari(cycle, rw_kenari, betonisasi, rw_kenari_001):
    return make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001)


def recommended(cycle, rws, item, creator, n: int) -> list[Proposal]:
    """`n` proposals accepted by the lurah and recommended by their survey, spread over `rws`:
    candidates any sidang may make utama."""
    return [
        make_proposal(
            cycle,
            rws[i % len(rws)],
            item,
            creator,
            status=Status.ACCEPTED,
            recommendation=Recommendation.RECOMMENDED,
        )
        for i in range(n)
    ]


@pytest.fixture
def draft_kenari(cycle, rw_kenari, betonisasi, rw_kenari_001):
    return make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=Status.DRAFT)


@pytest.fixture
def proposal_paseban(cycle, rw_paseban, tenda, superuser):
    return make_proposal(cycle, rw_paseban, tenda, superuser)


@pytest.fixture
def surveyed(proposal_kenari, rw_kenari_001, lurah_kenari, ukpd_binamarga):
    """Kenari's proposal: submitted by the RW, accepted by the lurah, recommended by the UKPD."""
    Event.objects.create(
        proposal=proposal_kenari,
        action=Event.Action.SUBMITTED,
        actor=rw_kenari_001,
        actor_office="Ketua RW 001 Kenari",
    )
    proposal_accept(proposal=proposal_kenari, by=lurah_kenari, note="Lengkap.")
    recommend(proposal_kenari, ukpd_binamarga, "Jalan berlubang.")
    return proposal_kenari


def recommend(proposal, officer, findings: str) -> None:
    """The UKPD's officer surveyed the proposal on 12 February 2024 and recommends 100 units."""
    survey_record(
        proposal=proposal,
        data=SurveyData(
            surveyed_on=datetime.date(2024, 2, 12),
            findings=findings,
            recommendation=Recommendation.RECOMMENDED,
            reason="",
            reason_note="",
            revised_volume=Decimal("100"),
        ),
        by=officer,
    )


@pytest.fixture
def sub_activity(cycle):
    """A line of the cycle's Renja nomenclature, for the decisions that accommodate."""
    return SubActivity.objects.create(
        cycle=cycle,
        program_code="1.03.10",
        program_name="Program Penyelenggaraan Jalan",
        activity_code="1.03.10.2.01",
        activity_name="Penyelenggaraan Jalan Kabupaten/Kota",
        code="1.03.10.2.01.0012",
        name="Pembangunan Jalan Lingkungan",
    )


@pytest.fixture
def forwarded(proposal_kenari):
    Proposal.objects.filter(pk=proposal_kenari.pk).update(status=Status.KECAMATAN_PRIORITY)
    proposal_kenari.refresh_from_db()
    return proposal_kenari
