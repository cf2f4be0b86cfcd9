"""A ketua RW enters and submits a proposal on a phone-sized screen."""

import pytest
from playwright.sync_api import expect

from proposals.models import Status
from tests.conftest import PASSWORD
from tests.proposals.files import PNG

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def fill_proposal(
    page,
    *,
    title="Betonisasi Gang Kenari II",
    problem="Jalan berlubang, tergenang saat hujan.",
    address="Jl. Kenari II Gg. 3",
    rt="3",
    volume="40",
    beneficiaries="180",
    photo="jalan.png",
):
    """Fill in the new proposal form: m2 of road from the catalogue, with a photo."""
    page.get_by_label("Judul usulan").fill(title)
    page.get_by_label("Item kamus usulan").select_option(label="Betonisasi jalan lingkungan")
    # The catalogue item fills in its unit and price.
    expect(page.get_by_role("textbox", name="Satuan", exact=True)).to_have_value("m2")
    expect(page.get_by_label("Harga satuan (Rp)")).to_have_value("450000")
    page.get_by_label("Permasalahan dan alasan").fill(problem)
    page.get_by_label("Alamat lokasi").fill(address)
    page.get_by_role("textbox", name="RT", exact=True).fill(rt)
    page.get_by_role("spinbutton", name="Volume", exact=True).fill(volume)
    page.get_by_label("Jumlah penerima manfaat (jiwa)").fill(beneficiaries)
    page.get_by_label("Foto dan dokumen").set_input_files(
        files=[{"name": photo, "mimeType": "image/png", "buffer": PNG}]
    )


def test_ketua_rw_creates_and_submits_on_a_phone(
    live_server, page, rw_kenari_001, cycle, betonisasi, screenshot, settings, tmp_path
):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server, "rw.kenari.001")
    page.goto(live_server.url + "/usulan/baru/")
    fill_proposal(page)
    screenshot("proposal-form-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("alert")).to_contain_text("disimpan sebagai draf")
    expect(page.locator("main")).to_contain_text("Rp 18.000.000")
    page.get_by_role("link", name="Ajukan ke kelurahan…").click()
    page.get_by_role("button", name="Ya, ajukan ke kelurahan").click()
    expect(page.get_by_role("alert")).to_contain_text("diajukan ke kelurahan")
    screenshot("proposal-detail-phone")
    proposal = cycle.proposals.get()
    assert proposal.status == Status.SUBMITTED
    assert proposal.attachments.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
