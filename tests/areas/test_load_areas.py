"""Loading DKI Jakarta's areas (load_areas): every level, Kemendagri names, idempotent."""

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from areas.models import Area, Level
from areas.services import areas_load


@pytest.fixture(autouse=True)
def no_areas(db):
    """These tests load the tree themselves: they start without the run's preloaded areas."""
    Area.objects.filter(level=Level.RW).delete()
    for level in reversed(Level.values):
        Area.objects.filter(level=level).delete()


def test_it_loads_every_dki_area(db):
    areas_load()
    counts = {level: Area.objects.filter(level=level).count() for level in Level.values}
    assert counts == {"provinsi": 1, "kota": 6, "kecamatan": 44, "kelurahan": 267, "rw": 0}


def test_every_area_hangs_under_the_code_of_its_parent(db):
    areas_load()
    for area in Area.objects.exclude(level=Level.PROVINSI).select_related("parent"):
        assert area.code.startswith(area.parent.code + ".")
        assert area.depth == area.parent.depth + 1


def test_it_names_jakarta_pusat_by_kemendagri(db):
    areas_load()
    assert Area.objects.get(code="31.71").name == "Kota Administrasi Jakarta Pusat"
    kenari = Area.objects.get(code="31.71.04.1002")
    assert (kenari.name, kenari.parent.name) == ("Kenari", "Senen")
    assert kenari.display_name == "Kelurahan Kenari"


def test_it_is_idempotent_and_repairs_names(db):
    areas_load()
    Area.objects.filter(code="31.71.04.1002").update(name="Salah")
    second = areas_load()
    assert (second.created, second.updated) == (0, 1)
    assert Area.objects.get(code="31.71.04.1002").name == "Kenari"
    assert Area.objects.count() == 318


def test_the_command_reports_counts(db, capsys):
    call_command("load_areas")
    assert "318 dibuat" in capsys.readouterr().out


def test_it_loads_a_level_at_a_time_and_logs_every_area(db, django_assert_max_num_queries):
    logged = LogEntry.objects.get_for_model(Area).filter(action=LogEntry.Action.CREATE)
    before = logged.count()
    # One read of what exists, then per level (4) one INSERT of the areas and one of their log
    # (SQLite splits the 267 kelurahan into batches); not one INSERT per area, as it was.
    with django_assert_max_num_queries(20):
        areas_load()
    assert logged.count() - before == 318
