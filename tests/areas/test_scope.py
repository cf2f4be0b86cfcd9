"""The scoping matrix: every role against areas and units inside and outside its reach."""

import pytest
from django.contrib.auth.models import AnonymousUser

from areas.models import Area, Assignment, Role, TechnicalUnit
from areas.scope import reach

# (user fixture, area code, visible?)
AREA_MATRIX = [
    ("superuser", "31.74.01", True),
    ("suban", "31.71", True),
    ("suban", "31.71.04.1002.001", True),
    ("suban", "31.74", False),
    ("suban", "31", False),
    ("dewan", "31.71.04.1003", True),
    ("dewan", "31.74.01", False),
    ("camat_senen", "31.71.04", True),
    ("camat_senen", "31.71.04.1003.001", True),
    ("camat_senen", "31.71.01.1001", False),
    ("camat_senen", "31.71", False),
    ("lurah_kenari", "31.71.04.1002", True),
    ("lurah_kenari", "31.71.04.1002.002", True),
    ("lurah_kenari", "31.71.04.1003", False),
    ("lurah_kenari", "31.71.04.1003.001", False),
    ("lurah_kenari", "31.71.04", False),
    ("rw_kenari_001", "31.71.04.1002.001", True),
    ("rw_kenari_001", "31.71.04.1002.002", False),
    ("rw_kenari_001", "31.71.04.1002", False),
    ("ukpd_binamarga", "31.71.04.1002.001", True),
    ("ukpd_binamarga", "31.74.01", False),
    ("unassigned", "31.71.04.1002", False),
]


@pytest.fixture
def all_areas(rw_kenari, rw_paseban):
    return rw_kenari


@pytest.mark.parametrize(("who", "code", "visible"), AREA_MATRIX)
def test_area_visibility(request, all_areas, who, code, visible):
    user = request.getfixturevalue(who)
    assert Area.objects.visible_to(user).filter(code=code).exists() is visible


# (user fixture, unit fixture, visible?)
UNIT_MATRIX = [
    ("superuser", "binamarga_jaksel", True),
    ("suban", "binamarga", True),
    ("suban", "binamarga_jaksel", False),
    ("dewan", "sda", True),
    ("camat_senen", "binamarga", True),
    ("camat_senen", "binamarga_jaksel", False),
    ("lurah_kenari", "sda", True),
    ("rw_kenari_001", "binamarga", True),
    ("rw_kenari_001", "binamarga_jaksel", False),
    ("ukpd_binamarga", "binamarga", True),
    ("ukpd_binamarga", "sda", False),
    ("ukpd_binamarga", "binamarga_jaksel", False),
    ("unassigned", "binamarga", False),
]


@pytest.mark.parametrize(("who", "unit", "visible"), UNIT_MATRIX)
def test_unit_visibility(request, who, unit, visible):
    user = request.getfixturevalue(who)
    target = request.getfixturevalue(unit)
    assert TechnicalUnit.objects.visible_to(user).filter(pk=target.pk).exists() is visible


def test_anonymous_sees_no_area(dki):
    assert not Area.objects.visible_to(AnonymousUser()).exists()


def test_inactive_official_sees_nothing(lurah_kenari):
    lurah_kenari.is_active = False
    assert not Area.objects.visible_to(lurah_kenari).exists()


def test_camat_reaches_the_whole_kecamatan_in_one_root(camat_senen, rw_kenari):
    assert reach(camat_senen).area_codes == ("31.71.04",)
    visible = Area.objects.visible_to(camat_senen)
    assert visible.kelurahan().count() == 6
    assert visible.rw().count() == 2


def test_several_assignments_add_up(lurah_kenari, paseban):
    Assignment.objects.create(user=lurah_kenari, role=Role.LURAH, area=paseban)
    names = Area.objects.visible_to(lurah_kenari).kelurahan().values_list("name", flat=True)
    assert set(names) == {"Kenari", "Paseban"}


def test_reach_is_read_once_per_user_object(lurah_kenari, django_assert_num_queries):
    with django_assert_num_queries(3):  # the assignments once, then one query per read
        reach(lurah_kenari)
        Area.objects.visible_to(lurah_kenari).count()
        Area.objects.visible_to(lurah_kenari).exists()
