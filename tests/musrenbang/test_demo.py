import pytest
from django.core.management import CommandError, call_command

from musrenbang.areas.models import Area, Assignment, Role, TechnicalUnit, User
from musrenbang.demo import demo_counts


def jakarta_pusat_counts():
    return demo_counts(Area.objects.get(code="31.71"))


def test_demo_loads_jakarta_pusat_and_is_idempotent(db, settings, capsys):
    settings.DEBUG = True
    call_command("demo")
    first = jakarta_pusat_counts()
    call_command("demo")
    assert jakarta_pusat_counts() == first
    assert first["kecamatan"] == 8
    assert first["kelurahan"] == 44
    assert first["rw"] == 386
    assert first["kelurahan_dki"] == 267
    assert Area.objects.rw().filter(code__startswith="31.71.03.").count() == 77
    assert "Kata sandi semua pengguna demo: musrenbang2024" in capsys.readouterr().out


def test_demo_gives_every_role_a_user(db, settings):
    settings.DEBUG = True
    call_command("demo")
    assert User.objects.get(username="admin").is_superuser
    expected = {
        "suban": (Role.PLANNING, "31.71"),
        "dewan": (Role.OBSERVER, "31.71"),
        "camat.senen": (Role.CAMAT, "31.71.04"),
        "lurah.kenari": (Role.LURAH, "31.71.04.1002"),
        "lurah.cempakaputihtimur": (Role.LURAH, "31.71.05.1001"),
        "rw.kenari.001": (Role.RW, "31.71.04.1002.001"),
    }
    for username, (role, code) in expected.items():
        assignment = Assignment.objects.get(user__username=username)
        assert (assignment.role, assignment.area.code) == (role, code)
    binamarga = Assignment.objects.get(user__username="ukpd.binamarga")
    assert binamarga.unit.code == "binamarga"
    assert User.objects.filter(username__startswith="camat.").count() == 8
    assert User.objects.filter(username__startswith="lurah.").count() == 44
    assert User.objects.filter(username__startswith="rw.").count() == 386
    assert User.objects.filter(username__startswith="ukpd.").count() == (
        TechnicalUnit.objects.count()
    )
    assert User.objects.get(username="lurah.kenari").check_password("musrenbang2024")


def test_demo_refuses_production_without_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG mati"):
        call_command("demo")
    assert not User.objects.exists()


def test_demo_runs_in_production_when_forced(db, settings):
    settings.DEBUG = False
    call_command("demo", "--force")
    assert User.objects.filter(username="lurah.kenari").exists()
