"""Pagu indikatif: one per area and cycle, a positive amount, kept by the database; and the one
sum of a set's cost, surveyed where the survey revised it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from areas.models import Area
from proposals.models import Ceiling, Proposal, Recommendation, Survey
from tests.proposal_fixtures import make_proposal


def survey(proposal, officer, volume: str) -> Survey:
    return Survey.objects.create(
        proposal=proposal,
        surveyed_on=datetime.date(2024, 2, 12),
        officer=officer,
        findings="Diukur ulang.",
        recommendation=Recommendation.RECOMMENDED,
        revised_volume=Decimal(volume),
        revised_cost=int(Decimal(volume) * proposal.unit_price),
    )


def test_a_ceiling_is_one_per_area_and_cycle(cycle, kenari):
    Ceiling.objects.create(cycle=cycle, area=kenari, amount=500_000_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ceiling.objects.create(cycle=cycle, area=kenari, amount=600_000_000)


def test_a_ceiling_is_more_than_nothing(cycle, kenari):
    with pytest.raises(IntegrityError), transaction.atomic():
        Ceiling.objects.create(cycle=cycle, area=kenari, amount=0)


def test_a_ceiling_belongs_to_a_kecamatan_or_kelurahan_of_the_cycles_kota(
    cycle, kenari, senen, rw_kenari, kota_jaksel
):
    Ceiling(cycle=cycle, area=kenari, amount=1).clean()
    Ceiling(cycle=cycle, area=senen, amount=1).clean()
    elsewhere = Area.objects.filter(parent__parent=kota_jaksel).first()
    for area in (rw_kenari[0], elsewhere, cycle.kota):
        with pytest.raises(ValidationError, match="kecamatan atau kelurahan kota siklus ini"):
            Ceiling(cycle=cycle, area=area, amount=1).clean()


def test_amount_for_reads_the_areas_ceiling(cycle, kenari, senen):
    Ceiling.objects.create(cycle=cycle, area=senen, amount=2_000_000_000)
    assert Ceiling.objects.amount_for(cycle.pk, senen.pk) == 2_000_000_000
    assert Ceiling.objects.amount_for(cycle.pk, kenari.pk) is None


def test_the_planned_cost_is_surveyed_where_revised_in_python_and_in_the_database(
    cycle, rw_kenari, betonisasi, tenda, rw_kenari_001, ukpd_binamarga
):
    road = make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001)  # 120 × 450.000
    tent = make_proposal(cycle, rw_kenari[1], tenda, rw_kenari_001)  # 120 × 12.000.000
    survey(road, ukpd_binamarga, "100.5")
    proposals = Proposal.objects.filter(pk__in=[road.pk, tent.pk])
    read = {p.pk: p.planned_cost for p in proposals.select_related("survey")}
    assert read == {road.pk: 45_225_000, tent.pk: 1_440_000_000}
    assert proposals.planned_cost_sum() == 45_225_000 + 1_440_000_000
    assert Proposal.objects.none().planned_cost_sum() == 0
