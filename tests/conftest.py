"""The fixed cast of the tests: Jakarta Pusat's areas and an official for every role.

Insiders work in Kenari (Kecamatan Senen); outsiders in Paseban, Gambir and Jakarta Selatan.
"""

import sys
import threading
import weakref

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.test import override_settings
from django.utils import translation

from areas.models import Area, Assignment, Role, TechnicalUnit, User
from areas.services import areas_load, rw_ensure

PASSWORD = "kata-sandi-uji-123"


# Every database connection the test process opens. Once Playwright's sync API runs, Django's
# context-local `connections` hands later tests connections that close_all() cannot see.
_opened_connections: weakref.WeakSet = weakref.WeakSet()
connection_created.connect(
    lambda sender, connection, **kwargs: _opened_connections.add(connection), weak=False
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The DKI areas once for the whole run: the tests that roll back keep finding them (and
    # pytest-django runs those first); after a flushing test, `dki` loads them again.
    with django_db_blocker.unblock():
        areas_load()
    yield
    # PostgreSQL drops the test database only when no connection is left open on it.
    with django_db_blocker.unblock():
        for connection in list(_opened_connections):
            if connection._thread_ident == threading.get_ident():
                connection.close()


def page_queries(captured) -> int:
    """How many queries a page ran, the cache's apart: the cache is a table every app server
    shares, read once and, when a figure was computed, written in a savepoint of its own (at
    most six queries, whatever the data)."""
    cached = [q for q in captured if "musrenbang_cache" in q["sql"] or "SAVEPOINT" in q["sql"]]
    assert len(cached) <= 6, [q["sql"] for q in cached]
    return len(captured) - len(cached)


@pytest.fixture(autouse=True)
def indonesian():
    """Each test starts in the project's language: a request through the test client leaves
    its language active in the test's thread, English after a visit in English."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _empty_cache(**kwargs):
    cache.clear()


# Each test starts with an empty cache (SQLite reuses ids after a rollback, so a cached figure
# keyed on them could outlive its test). The cache is a table of the database: a test's entries
# go with its transaction, and after a test that commits, the flush that empties the database
# empties the cache too (it ends with post_migrate).
post_migrate.connect(_empty_cache, weak=False, dispatch_uid="tests-empty-cache")


@pytest.fixture(autouse=True, scope="session")
def test_settings(tmp_path_factory):
    """For the whole run: uploads and stored minutes in a scratch folder, a fast hasher
    (module-wide fixtures such as the loaded demo create users before any test starts), and no
    office certificate from the environment (the signing tests set their own)."""
    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SIGNING_PKCS12="",
        SIGNING_PASSPHRASE="",
    ):
        yield


@pytest.fixture
def dki(db):
    """Every DKI Jakarta area from the shipped file (loaded once per test transaction)."""
    if not Area.objects.filter(code="31.71").exists():
        areas_load()


def area(code: str) -> Area:
    return Area.objects.get(code=code)


@pytest.fixture
def kota_jp(dki):
    return area("31.71")


@pytest.fixture
def kota_jaksel(dki):
    return area("31.74")


@pytest.fixture
def senen(dki):
    return area("31.71.04")


@pytest.fixture
def gambir(dki):
    return area("31.71.01")


@pytest.fixture
def kenari(dki):
    return area("31.71.04.1002")


@pytest.fixture
def paseban(dki):
    return area("31.71.04.1003")


@pytest.fixture
def rw_kenari(kenari):
    """RW 001 and RW 002 of Kenari."""
    return rw_ensure(kelurahan=kenari, count=2)


@pytest.fixture
def rw_paseban(paseban):
    return rw_ensure(kelurahan=paseban, count=1)[0]


@pytest.fixture
def binamarga(kota_jp):
    return TechnicalUnit.objects.create(kota=kota_jp, code="binamarga", name="Sudin Bina Marga")


@pytest.fixture
def sda(kota_jp):
    return TechnicalUnit.objects.create(kota=kota_jp, code="sda", name="Sudin Sumber Daya Air")


@pytest.fixture
def binamarga_jaksel(kota_jaksel):
    return TechnicalUnit.objects.create(
        kota=kota_jaksel, code="binamarga", name="Sudin Bina Marga Jakarta Selatan"
    )


def official(username: str, role: str | None = None, *, area=None, unit=None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        Assignment.objects.create(user=user, role=role, area=area, unit=unit)
    return user


@pytest.fixture
def superuser(db):
    return official("admin", is_superuser=True, is_staff=True)


@pytest.fixture
def suban(kota_jp):
    return official("suban", Role.PLANNING, area=kota_jp, is_staff=True)


@pytest.fixture
def suban_jaksel(kota_jaksel):
    return official("suban.jaksel", Role.PLANNING, area=kota_jaksel, is_staff=True)


@pytest.fixture
def dewan(kota_jp):
    return official("dewan", Role.OBSERVER, area=kota_jp)


@pytest.fixture
def camat_senen(senen):
    return official("camat.senen", Role.CAMAT, area=senen)


@pytest.fixture
def camat_gambir(gambir):
    return official("camat.gambir", Role.CAMAT, area=gambir)


@pytest.fixture
def lurah_kenari(kenari):
    return official("lurah.kenari", Role.LURAH, area=kenari, first_name="Lurah Kenari")


@pytest.fixture
def lurah_paseban(paseban):
    return official("lurah.paseban", Role.LURAH, area=paseban)


@pytest.fixture
def rw_kenari_001(rw_kenari):
    return official("rw.kenari.001", Role.RW, area=rw_kenari[0])


@pytest.fixture
def ukpd_binamarga(binamarga):
    return official("ukpd.binamarga", Role.UKPD, unit=binamarga)


@pytest.fixture
def unassigned(db):
    return official("tanpa.tugas")


# Proposals of the cast live in their own module; importing the fixtures here shares them with
# every test folder (the browser tests included).
from tests.pokir_fixtures import (  # noqa: E402
    dapil_senen,
    dprd_senen,
    pokir_kenari,
    recess_senen,
)
from tests.proposal_fixtures import (  # noqa: E402
    betonisasi,
    cycle,
    cycle_jaksel,
    draft_kenari,
    forwarded,
    proposal_jaksel,
    proposal_kenari,
    proposal_paseban,
    rw_jaksel,
    sub_activity,
    surveyed,
    tenda,
)
from tests.session_fixtures import (  # noqa: E402
    accepted_kenari,
    kelompok_kenari,
    kelompok_paseban,
    musrenbang_senen,
)

__all__ = [
    "accepted_kenari",
    "betonisasi",
    "cycle",
    "cycle_jaksel",
    "dapil_senen",
    "dprd_senen",
    "draft_kenari",
    "forwarded",
    "kelompok_kenari",
    "kelompok_paseban",
    "musrenbang_senen",
    "pokir_kenari",
    "proposal_jaksel",
    "proposal_kenari",
    "proposal_paseban",
    "recess_senen",
    "rw_jaksel",
    "sub_activity",
    "surveyed",
    "tenda",
]


def pytest_terminal_summary(terminalreporter):
    """The permission matrix and the URL fuzz report how many requests they made, the
    hostile-input properties how many inputs each tried, the accessibility checks how many pages
    and what axe found."""
    hostile = sys.modules.get("tests.hostile.conftest")
    for test, count in sorted(hostile.TRIED.items()) if hostile else ():
        terminalreporter.write_line(f"hostile input: {count:,} generated inputs, {test}")
    matrix = sys.modules.get("tests.test_permission_matrix")
    if matrix is not None and matrix.CASES["count"]:
        terminalreporter.write_line(
            f"permission matrix: {matrix.CASES['count']} requests checked "
            f"({len(matrix.EXPECTED)} URLs × {len(matrix.ROLES)} roles, inside and outside "
            "their area, GET and POST; and the admin's pages by rule)"
        )
    fuzz = sys.modules.get("tests.hostile.test_url_fuzz")
    if fuzz is not None and fuzz.FUZZED["requests"]:
        terminalreporter.write_line(
            f"URL fuzz: {fuzz.FUZZED['requests']:,} requests, "
            f"{fuzz.FUZZED['server_errors']} server errors"
        )
    axe = sys.modules.get("tests.e2e.test_accessibility")
    if axe is not None and axe.CHECKED["pages"]:
        impacts = ", ".join(
            f"{axe.CHECKED['impacts'][impact]} {impact}"
            for impact in ("critical", "serious", "moderate", "minor")
        )
        terminalreporter.write_line(
            f"accessibility: {axe.CHECKED['pages']} pages × languages checked with axe-core "
            f"and at 360 px; violations: {impacts}"
        )
