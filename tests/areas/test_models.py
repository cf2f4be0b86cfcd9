"""The area and assignment models: RW codes, parents one level up, the role rules."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from areas.models import Area, Assignment, Level, Role
from areas.services import rw_ensure


def test_rw_codes_extend_the_kelurahan_code(kenari):
    rws = rw_ensure(kelurahan=kenari, count=3)
    assert [rw.code for rw in rws] == [
        "31.71.04.1002.001",
        "31.71.04.1002.002",
        "31.71.04.1002.003",
    ]
    assert rws[2].display_name == "RW 003 Kenari"
    assert rw_ensure(kelurahan=kenari, count=3) == rws


def test_rw_only_under_a_kelurahan(senen):
    with pytest.raises(ValueError):
        rw_ensure(kelurahan=senen, count=1)


def test_an_area_other_than_provinsi_needs_a_parent(dki):
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(code="99", name="Lepas", level=Level.KOTA)


def test_a_ukpd_assignment_without_a_unit_is_refused_by_the_database(unassigned, kenari):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(user=unassigned, role=Role.UKPD, area=kenari)


def test_an_area_role_with_a_unit_is_refused_by_the_database(unassigned, kenari, binamarga):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(user=unassigned, role=Role.LURAH, area=kenari, unit=binamarga)


def test_a_lurah_must_be_assigned_to_a_kelurahan(unassigned, senen):
    assignment = Assignment(user=unassigned, role=Role.LURAH, area=senen)
    with pytest.raises(ValidationError) as raised:
        assignment.full_clean()
    assert "Kelurahan" in str(raised.value)


def test_an_area_parent_must_be_one_level_up(senen):
    area = Area(code="31.71.04.9", name="Salah", level=Level.RW, parent=senen)
    with pytest.raises(ValidationError):
        area.full_clean()


def test_ancestors_come_from_the_code(rw_kenari):
    assert [a.name for a in rw_kenari[0].ancestors()] == [
        "Daerah Khusus Ibukota Jakarta",
        "Kota Administrasi Jakarta Pusat",
        "Senen",
        "Kenari",
    ]
