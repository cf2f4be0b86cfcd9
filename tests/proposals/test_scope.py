"""Proposals are scoped on their own area keys (kota, kecamatan, kelurahan, RW); that rule must
reach exactly what the one rule of areas reaches through the RW's code."""

import datetime

import pytest
from django.utils import timezone

from musrenbang.areas import scope
from musrenbang.areas.models import Area, Role
from musrenbang.areas.services import rw_ensure
from proposals.models import CatalogueItem, Category, Cycle, Proposal
from tests.conftest import official
from tests.proposal_fixtures import make_proposal

CAST = [
    "superuser",
    "suban",
    "suban_jaksel",
    "dewan",
    "camat_senen",
    "camat_gambir",
    "lurah_kenari",
    "lurah_paseban",
    "rw_kenari_001",
    "ukpd_binamarga",
    "unassigned",
]


@pytest.fixture
def spread(proposal_kenari, proposal_paseban, kota_jaksel, binamarga_jaksel, superuser):
    """Proposals in Kenari, Paseban (both Senen) and a kelurahan of Jakarta Selatan."""
    kelurahan = Area.objects.kelurahan().within(kota_jaksel).order_by("code").first()
    rw = rw_ensure(kelurahan=kelurahan, count=1)[0]
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        kota=kota_jaksel,
        year=2024,
        code_prefix="JS24",
        rw_opens=today - datetime.timedelta(days=10),
        rw_closes=today + datetime.timedelta(days=10),
    )
    item = CatalogueItem.objects.create(
        unit=binamarga_jaksel,
        code="BM-01",
        name="Betonisasi jalan lingkungan",
        category=Category.FISIK,
        sector="Jalan",
        measure="m2",
        unit_price=450_000,
    )
    return [proposal_kenari, proposal_paseban, make_proposal(cycle, rw, item, superuser)]


def test_a_proposal_keeps_the_areas_above_its_rw(spread):
    for proposal in spread:
        kelurahan = proposal.rw.parent
        assert proposal.kelurahan == kelurahan
        assert proposal.kecamatan == kelurahan.parent
        assert proposal.kota == kelurahan.parent.parent


@pytest.mark.parametrize("who", CAST)
def test_proposals_reach_what_the_areas_rule_reaches(request, spread, who):
    user = request.getfixturevalue(who)
    by_keys = set(Proposal.objects.visible_to(user).values_list("code", flat=True))
    by_code = set(
        Proposal.objects.filter(scope.area_q(user, "rw", unit="target_unit")).values_list(
            "code", flat=True
        )
    )
    assert by_keys == by_code


@pytest.mark.parametrize("role", [Role.LURAH, Role.CAMAT, Role.PLANNING, Role.UKPD])
def test_acting_roles_reach_the_same_on_both_rules(spread, kenari, senen, kota_jp, binamarga, role):
    """A camat of Senen who also observes Jakarta Selatan acts only in Senen, and so on."""
    user = official("berlapis", Role.OBSERVER, area=Area.objects.get(code="31.74"))
    where = {Role.LURAH: kenari, Role.CAMAT: senen, Role.PLANNING: kota_jp}
    if role == Role.UKPD:
        user.assignments.create(role=role, unit=binamarga)
    else:
        user.assignments.create(role=role, area=where[role])
    scope.forget(user)
    by_keys = Proposal.objects.actionable_by(user, role).values_list("code", flat=True)
    by_code = Proposal.objects.filter(
        scope.area_q(user, "rw", unit="target_unit", roles={role})
    ).values_list("code", flat=True)
    assert set(by_keys) == set(by_code)
    jaksel = spread[2].code
    assert by_keys and jaksel not in by_keys  # observing is not acting
    visible = set(Proposal.objects.visible_to(user).values_list("code", flat=True))
    assert visible == set(by_keys) | {jaksel}
