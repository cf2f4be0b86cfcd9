"""Proposals are scoped on their own area keys (kota, kecamatan, kelurahan, RW); that rule must
reach exactly what the one rule of areas reaches through the RW's code."""

import pytest

from areas import scope
from areas.models import Area, Role
from proposals.models import Proposal
from tests.conftest import official

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
def spread(proposal_kenari, proposal_paseban, proposal_jaksel):
    """Proposals in Kenari, Paseban (both Senen) and a kelurahan of Jakarta Selatan."""
    return [proposal_kenari, proposal_paseban, proposal_jaksel]


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
