"""Pokir DPRD of the cast: a dapil of Kecamatan Senen (Kenari and Paseban lie in it, Gambir
does not), its member, a recess and one aspiration for an RW in Kenari."""

import datetime

import pytest

from areas.models import Assignment, Dapil, Role
from proposals.models import Recess, Source, Status
from tests.conftest import official
from tests.proposal_fixtures import make_proposal


def make_dapil(kota, name: str, kecamatan) -> Dapil:
    dapil = Dapil.objects.create(kota=kota, name=name)
    dapil.kecamatan.set(kecamatan)
    return dapil


def member(username: str, dapil: Dapil):
    user = official(username, full_name=f"Anggota {dapil.name}")
    Assignment.objects.create(user=user, role=Role.DPRD, area=dapil.kota, dapil=dapil)
    return user


def make_recess(cycle, dapil, by) -> Recess:
    return Recess.objects.create(
        cycle=cycle,
        dapil=dapil,
        member=by.get_full_name(),
        held_on=datetime.date(2024, 1, 20),
        place="Aula Kelurahan Kenari",
        created_by=by,
    )


def make_pokir(recess, rw, item, by, **fields):
    """A pokir straight into the database, as services.pokir_create leaves it."""
    return make_proposal(
        recess.cycle,
        rw,
        item,
        by,
        status=Status.POKIR,
        source=Source.POKIR,
        recess=recess,
        **fields,
    )


@pytest.fixture
def dapil_senen(kota_jp, senen):
    return make_dapil(kota_jp, "Dapil Uji Senen", [senen])


@pytest.fixture
def dprd_senen(dapil_senen):
    return member("dprd.senen", dapil_senen)


@pytest.fixture
def recess_senen(cycle, dapil_senen, dprd_senen):
    return make_recess(cycle, dapil_senen, dprd_senen)


@pytest.fixture
def pokir_kenari(recess_senen, rw_kenari, betonisasi, dprd_senen):
    return make_pokir(
        recess_senen, rw_kenari[1], betonisasi, dprd_senen, title="Saluran air Jl. Kenari III"
    )
