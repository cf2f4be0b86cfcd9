"""The main pages of the app, each with the official who would open it, over a populated cast.

The browser tests' conftest shares the `main_pages` fixture with them all.
"""

from dataclasses import dataclass

import pytest

from proposals.models import Ceiling, Proposal
from sessions.models import Minutes
from sessions.services import sidang_close
from tests.session_fixtures import attend, schedule


@dataclass(frozen=True)
class MainPage:
    name: str
    path: str
    username: str | None  # None: a visitor, not signed in
    status: int = 200


@pytest.fixture
def main_pages(
    surveyed,
    kelompok_kenari,
    accepted_kenari,
    rw_kenari,
    senen,
    kenari,
    rw_kenari_001,
    draft_kenari,
    musrenbang_senen,
    lurah_kenari,
    camat_senen,
    ukpd_binamarga,
    suban,
    dewan,
    dprd_senen,
    recess_senen,
    pokir_kenari,
) -> list[MainPage]:
    """Kenari's surveyed proposal, its sidang kelompok in progress with four present, and
    Senen's pleno pembuka closed (so its berita acara can be verified); the pages in the order
    of their users, so each signs in once."""
    attend(kelompok_kenari, 4)
    pleno = schedule(surveyed.cycle, "pleno_pembuka", senen, state="in_progress")
    attend(pleno, 4)
    sidang_close(sidang=pleno, by=camat_senen)
    minutes = Minutes.objects.get(sidang=pleno)
    unsurveyed = next(p for p in accepted_kenari if p.may_survey(ukpd_binamarga))
    kelompok = f"/sidang/{kelompok_kenari.pk}/"
    area_search = f"kecamatan={senen.pk}&kelurahan={kenari.pk}&rw={rw_kenari[0].pk}"
    # Kenari's pagu indikatif, which the ranking and the closing weigh its utama against.
    Ceiling.objects.create(cycle=surveyed.cycle, area=kenari, amount=1_500_000_000)
    # A point for the maps of the tracker and of the proposals table.
    Proposal.objects.filter(pk=surveyed.pk).update(latitude="-6.181234", longitude="106.846789")
    return [
        MainPage("beranda-publik", "/", None),
        MainPage("masuk", "/masuk/", None),
        MainPage("rekap", "/rekap/", None),
        MainPage("lacak", "/lacak/", None),
        MainPage("lacak-hasil", f"/lacak/?{area_search}", None),
        MainPage("lacak-kelurahan", f"/lacak/?kecamatan={senen.pk}&kelurahan={kenari.pk}", None),
        MainPage("lacak-usulan", f"/lacak/{surveyed.code}/", None),
        MainPage("verifikasi", f"/verifikasi/{minutes.code}/", None),
        MainPage("404", "/tidak-ada/", None, status=404),
        MainPage("beranda-rw", "/", rw_kenari_001.username),
        MainPage("usulan-baru", "/usulan/baru/", rw_kenari_001.username),
        MainPage("ajukan-usulan", f"/usulan/{draft_kenari.pk}/ajukan/", rw_kenari_001.username),
        MainPage("beranda-lurah", "/", lurah_kenari.username),
        MainPage("usulan", "/usulan/", lurah_kenari.username),
        MainPage("peta-usulan", "/usulan/peta/", lurah_kenari.username),
        MainPage("usulan-detail", surveyed.get_absolute_url(), lurah_kenari.username),
        MainPage("impor", "/usulan/impor/", lurah_kenari.username),
        MainPage("sidang", "/sidang/", lurah_kenari.username),
        # The survey queue as the lurah follows it, read-only.
        MainPage("survei-pantau", "/survei/", lurah_kenari.username),
        MainPage("sidang-berjalan", kelompok, lurah_kenari.username),
        MainPage("hadir", f"{kelompok}hadir/", lurah_kenari.username),
        MainPage("peringkat", f"{kelompok}peringkat/", lurah_kenari.username),
        MainPage("tutup-sidang", f"{kelompok}tutup/", lurah_kenari.username),
        MainPage("beranda-camat", "/", camat_senen.username),
        MainPage(
            "usulan-disaring", "/usulan/?status=accepted&category=fisik", camat_senen.username
        ),
        MainPage("sidang-ditutup", f"/sidang/{pleno.pk}/", camat_senen.username),
        # Waiting for its sidang kelompok: the start asks why.
        MainPage("sidang-menunggu", musrenbang_senen.get_absolute_url(), camat_senen.username),
        MainPage("beranda-ukpd", "/", ukpd_binamarga.username),
        MainPage("survei", "/survei/", ukpd_binamarga.username),
        MainPage(
            "survei-disaring",
            f"/survei/?tampil=selesai&kecamatan={senen.pk}&kelurahan={kenari.pk}&urut=lama",
            ukpd_binamarga.username,
        ),
        MainPage("survei-formulir", f"/survei/{unsurveyed.pk}/", ukpd_binamarga.username),
        MainPage("beranda-suban", "/", suban.username),
        MainPage("pleno-pembuka", "/sidang/pleno-pembuka/", suban.username),
        MainPage("sidang-disaring", f"/sidang/?kecamatan={senen.pk}", suban.username),
        MainPage("pagu", f"/siklus/{surveyed.cycle_id}/pagu/", suban.username),
        MainPage("beranda-dewan", "/", dewan.username),
        MainPage("beranda-dprd", "/", dprd_senen.username),
        MainPage("reses", "/reses/", dprd_senen.username),
        MainPage("reses-baru", "/reses/baru/", dprd_senen.username),
        MainPage("reses-detail", recess_senen.get_absolute_url(), dprd_senen.username),
        MainPage("pokir-baru", f"/reses/{recess_senen.pk}/pokir/baru/", dprd_senen.username),
        MainPage("pokir-detail", pokir_kenari.get_absolute_url(), dprd_senen.username),
    ]
