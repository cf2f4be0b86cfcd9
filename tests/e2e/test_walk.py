"""One proposal's whole cycle in the browser, as the real roles, on a fresh database.

A ketua RW enters and submits it with a photo; the lurah accepts it; the UKPD surveys it; the lurah
holds the sidang kelompok and keeps it among Kenari's five; the camat keeps it among Senen's three;
the planning office records the final decision; a visitor finds it on /lacak/ and reads its whole
journey. Every main page met on the way is saved as a screenshot, and the berita acara's first
page as a picture, under build/screenshots/.
"""

import io
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from proposals.models import Event, Status
from sessions.models import Decision, Kind, Sidang, State
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_proposal_entry import fill_proposal, sign_in
from tests.proposal_fixtures import make_proposal
from tests.proposals.files import PNG
from tests.session_fixtures import held

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Betonisasi Gang Kenari V"


@pytest.fixture
def paseban_priorities(cycle, rw_paseban, tenda, superuser):
    """Paseban's sidang kelompok has already sent two priorities up to Senen."""
    return [
        make_proposal(
            cycle,
            rw_paseban,
            tenda,
            superuser,
            status=Status.KELURAHAN_PRIORITY,
            title=f"Usulan Paseban {n}",
        )
        for n in (1, 2)
    ]


@pytest.fixture
def walk_cast(
    rw_kenari_001, lurah_kenari, ukpd_binamarga, camat_senen, suban, dewan, accepted_kenari
):
    """Everyone who takes a step, and Kenari's other accepted proposals to rank against."""


@pytest.fixture
def pleno_pembuka_held(cycle, senen):
    """Senen's opening plenary is over: the sidang kelompok may begin."""
    return held(cycle, Kind.PLENO_PEMBUKA, senen)


def sign_out(page):
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Masuk")).to_be_visible()


def as_user(page, live_server, username):
    """Whoever is signed in signs out with the Keluar button; `username` signs in."""
    if page.get_by_role("button", name="Keluar").count():
        sign_out(page)
    sign_in(page, live_server, username)
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def rank(page, proposals_in_order, *, decision="utama"):
    for place, proposal in enumerate(proposals_in_order, start=1):
        row = page.locator("tr", has=page.get_by_text(proposal.code, exact=True))
        row.get_by_label(f"Peringkat {proposal.code}").fill(str(place))
        row.get_by_label(f"Keputusan {proposal.code}").select_option(decision)
    page.get_by_role("button", name="Simpan peringkat").last.click()
    expect(page.get_by_role("alert")).to_contain_text("Peringkat disimpan")


def close_with_reason(page, reason):
    """Close from the sidang's page through the confirmation, one reason for the undecided."""
    page.get_by_role("link", name="Tutup sidang…").click()
    expect(page.get_by_role("heading", name="Yang akan terjadi")).to_be_visible()
    page.get_by_label("Alasan untuk semua yang kosong").fill(reason)
    page.get_by_role("button", name="Ya, tutup sidang").click()


def hold_attendance(page, people):
    for category, name in people:
        page.get_by_label("Unsur").select_option(label=category)
        page.get_by_role("textbox", name="Nama", exact=True).fill(name)
        page.get_by_label("Instansi/lembaga").fill("Kecamatan Senen")
        page.get_by_role("button", name="Tambahkan ke daftar hadir").click()
        expect(page.get_by_role("table")).to_contain_text(name)


def schedule(page, live_server, *, kind, venue):
    page.goto(live_server.url + "/sidang/baru/")
    kind_select = page.get_by_label("Jenis sidang")
    if kind_select.count():
        kind_select.select_option(label=kind)
    page.get_by_label("Tanggal").fill("2024-02-28")
    page.get_by_label("Jam mulai (WIB)").fill("09:00")
    page.get_by_label("Tempat").fill(venue)
    page.get_by_role("button", name=re.compile("^(Jadwalkan|Simpan)")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return Sidang.objects.order_by("-pk").first()


def test_one_proposal_from_the_rw_to_the_final_decision(
    live_server,
    page,
    cycle,
    walk_cast,
    accepted_kenari,
    paseban_priorities,
    pleno_pembuka_held,
    sub_activity,
    screenshot,
):
    page.set_default_timeout(15_000)

    # -- The ketua RW enters the proposal with a photo and submits it. --------------------------
    as_user(page, live_server, "rw.kenari.001")
    screenshot("walk-home-ketua-rw")
    page.goto(live_server.url + "/usulan/baru/")
    fill_proposal(
        page,
        title=TITLE,
        problem="Jalan tanah, becek dan licin saat hujan.",
        address="Jl. Kenari V Gg. 2",
        rt="5",
        volume="60",
        beneficiaries="240",
        photo="gang-kenari-v.png",
    )
    page.get_by_role("button", name="Simpan draf").click()
    # RW 001 already has a road of the same catalogue item: the form comes back with links to
    # it; this one is another lane, so the RW saves it anyway (choosing the photo again).
    warning = page.locator("#similar-warning")
    expect(warning).to_contain_text("Usulan ini mirip dengan usulan yang sudah ada")
    expect(warning.get_by_role("link").first).to_have_text(re.compile(r"JP24-\d{5}"))
    screenshot("walk-similar-warning")
    page.get_by_label("Foto dan dokumen").set_input_files(
        files=[{"name": "gang-kenari-v.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Tetap simpan").click()
    expect(page.get_by_role("alert")).to_contain_text("disimpan sebagai draf")
    page.get_by_role("link", name="Ajukan ke kelurahan…").click()
    screenshot("walk-confirm-submit")
    page.get_by_role("button", name="Ya, ajukan ke kelurahan").click()
    expect(page.get_by_role("alert")).to_contain_text("diajukan ke kelurahan")
    proposal = cycle.proposals.get(title=TITLE)
    assert proposal.status == Status.SUBMITTED
    assert proposal.attachments.count() == 1

    # -- The lurah accepts it. -----------------------------------------------------------------
    as_user(page, live_server, "lurah.kenari")
    screenshot("walk-home-lurah")
    page.goto(live_server.url + "/usulan/")
    page.get_by_role("link", name=proposal.code).click()
    page.get_by_label("Catatan (tidak wajib)").fill("Lengkap, lokasi sesuai.")
    page.get_by_role("button", name="Terima sebagai calon kelurahan").click()
    expect(page.get_by_role("alert")).to_contain_text("diterima")
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED

    # -- The UKPD officer surveys it on site. ----------------------------------------------------
    as_user(page, live_server, "ukpd.binamarga")
    screenshot("walk-home-ukpd")
    page.goto(live_server.url + "/survei/")
    screenshot("walk-survey-queue")
    page.get_by_role("link", name=proposal.code).click()
    page.get_by_role("link", name="Catat survei").click()
    # A day of the cycle: from its RW window's opening (the test cycle's is ten days ago).
    page.get_by_label("Tanggal survei").fill(cycle.rw_opens.isoformat())
    page.get_by_label("Temuan lapangan").fill("Jalan tanah sepanjang 60 m, lebar 1,2 m.")
    page.get_by_label("Direkomendasikan", exact=True).check()
    page.get_by_label("Volume hasil survei").fill("72")
    page.get_by_role("button", name="Simpan survei").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Survei usulan {proposal.code} dicatat")
    proposal.refresh_from_db()
    assert proposal.recommendation == "recommended"

    # -- The lurah holds the sidang kelompok and keeps it among Kenari's five. ------------------
    as_user(page, live_server, "lurah.kenari")
    kelompok = schedule(page, live_server, kind="Sidang kelompok", venue="Aula Kelurahan Kenari")
    page.get_by_role("button", name="Mulai sidang").click()
    expect(page.get_by_role("alert")).to_contain_text("dimulai")
    page.goto(f"{live_server.url}/sidang/{kelompok.pk}/hadir/")
    hold_attendance(
        page,
        [
            ("Lurah", "Siti Rahmawati"),
            ("Ketua RW", "Bambang Wijaya"),
            ("Tokoh masyarakat", "Hj. Aminah"),
        ],
    )
    screenshot("walk-attendance-kenari")
    page.goto(f"{live_server.url}/sidang/{kelompok.pk}/peringkat/")
    others = [p for p in accepted_kenari if p.recommendation != "not_recommended"]
    kenari_five = [proposal, *others[:4]]
    rank(page, kenari_five)
    screenshot("walk-ranking-kelompok-kenari")
    page.goto(f"{live_server.url}/sidang/{kelompok.pk}/")
    close_with_reason(page, "Kalah prioritas dari lima usulan utama.")
    expect(page.get_by_role("alert").first).to_contain_text("ditutup")
    screenshot("walk-sidang-kelompok-kenari")
    trail = page.get_by_role("region", name="Riwayat perubahan")
    expect(trail).to_contain_text(f"calon {proposal.code} diubah")
    expect(trail).to_contain_text("ditutup oleh: — → lurah.kenari")

    minutes_link = page.get_by_role("link", name="Unduh berita acara (PDF)")
    response = page.request.get(live_server.url + minutes_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    minutes = PdfReader(io.BytesIO(response.body()))
    text = " ".join(p.extract_text() for p in minutes.pages)
    assert "BERITA ACARA" in text.upper()
    assert "Kenari" in text and proposal.code in text and "Siti Rahmawati" in text
    assert "DRAF" not in text
    kelompok.refresh_from_db()
    assert text.count(kelompok.minutes.code) >= len(minutes.pages)
    pdf_picture(response.body(), "walk-berita-acara-kenari")

    proposal.refresh_from_db()
    assert proposal.status == Status.KELURAHAN_PRIORITY

    # -- The camat ranks three across Senen's kelurahan and closes the musrenbang kecamatan. ----
    as_user(page, live_server, "camat.senen")
    screenshot("walk-home-camat")
    kecamatan = schedule(
        page, live_server, kind="Musrenbang kecamatan", venue="Aula Kecamatan Senen"
    )
    # Only Kenari's sidang kelompok is held in this walk: the camat starts and says why.
    expect(page.get_by_text("Tahap sebelumnya belum selesai:")).to_be_visible()
    page.get_by_label("Alasan tetap memulai sekarang").fill("Empat kelurahan menyusul pekan depan.")
    page.get_by_role("button", name="Mulai sidang dengan alasan ini").click()
    expect(page.get_by_role("alert")).to_contain_text("dimulai")
    page.goto(f"{live_server.url}/sidang/{kecamatan.pk}/hadir/")
    hold_attendance(page, [("Camat", "Drs. Hendra Gunawan"), ("Lurah", "Siti Rahmawati")])
    page.goto(f"{live_server.url}/sidang/{kecamatan.pk}/peringkat/")
    table = page.locator("main table")
    for paseban in paseban_priorities:
        expect(table).to_contain_text(paseban.code)
    senen_three = [proposal, paseban_priorities[0], others[0]]
    rank(page, senen_three)
    screenshot("walk-ranking-musrenbang-senen")
    page.goto(f"{live_server.url}/sidang/{kecamatan.pk}/")
    close_with_reason(page, "Kalah skor dari tiga usulan utama.")
    expect(page.get_by_role("alert").first).to_contain_text("ditutup")
    proposal.refresh_from_db()
    assert proposal.status == Status.KECAMATAN_PRIORITY
    kecamatan.refresh_from_db()
    assert kecamatan.state == State.CLOSED
    assert kecamatan.candidates.filter(decision=Decision.UTAMA).count() == 3

    # -- The planning office records the final decision. ----------------------------------------
    as_user(page, live_server, "suban")
    screenshot("walk-home-planning-office")
    page.goto(live_server.url + "/usulan/")
    screenshot("walk-proposals-table")
    page.goto(live_server.url + proposal.get_absolute_url())
    page.get_by_label("Diakomodir dalam Renja tahun berikutnya").check()
    page.get_by_label("Alasan").fill("Masuk Renja Suku Dinas Bina Marga 2025.")
    page.get_by_label("Sub kegiatan Renja").select_option(str(sub_activity.pk))
    page.get_by_role("button", name="Simpan keputusan").click()
    page.get_by_role("button", name="Ya, catat keputusan").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Keputusan akhir usulan {proposal.code}")
    screenshot("walk-proposal-detail")
    proposal.refresh_from_db()
    assert proposal.status == Status.RENJA

    as_user(page, live_server, "dewan")
    screenshot("walk-home-observer")
    page.goto(live_server.url + "/rekap/")
    screenshot("walk-recap")

    # -- A visitor finds it on /lacak/ and reads its whole journey. -----------------------------
    sign_out(page)
    page.goto(live_server.url + "/")
    screenshot("walk-home-public")
    page.goto(live_server.url + "/lacak/")
    page.get_by_label("Kode usulan", exact=True).fill(proposal.code)
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    journey = page.get_by_role("region", name="Perjalanan usulan")
    for action in [
        Event.Action.SUBMITTED,
        Event.Action.ACCEPTED,
        Event.Action.SURVEYED,
        Event.Action.RANKED_KELURAHAN,
        Event.Action.RANKED_KECAMATAN,
        Event.Action.DECIDED,
    ]:
        expect(journey).to_contain_text(str(action.label))
    expect(page.locator("main")).to_contain_text("Diakomodir dalam Renja tahun berikutnya")
    screenshot("walk-tracker-journey")
    assert list(proposal.journey().values_list("action", flat=True)) == [
        Event.Action.CREATED,
        Event.Action.SUBMITTED,
        Event.Action.ACCEPTED,
        Event.Action.SURVEYED,
        Event.Action.RANKED_KELURAHAN,
        Event.Action.RANKED_KECAMATAN,
        Event.Action.DECIDED,
    ]


def pdf_picture(content: bytes, name: str) -> None:
    """The berita acara's first page as a PNG beside the screenshots (poppler's pdftoppm)."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm not found: apt-get install -y poppler-utils"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-",
            SCREENSHOTS / name,
        ],
        input=content,
        check=True,
        timeout=60,
    )
