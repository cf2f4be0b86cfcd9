"""The lurah accepts three submitted proposals in one action: tick them in the table, choose
"Terima", read the confirmation, confirm; on a laptop and on a phone, by keyboard too."""

import pytest
from playwright.sync_api import expect

from proposals.models import Event, Proposal, Status
from tests.e2e.test_proposal_entry import sign_in
from tests.proposal_fixtures import make_proposal

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def three_submitted(cycle, rw_kenari, betonisasi, rw_kenari_001):
    return [make_proposal(cycle, rw_kenari[i % 2], betonisasi, rw_kenari_001) for i in range(3)]


@pytest.mark.parametrize("width", [1280, 360])
def test_lurah_accepts_three_in_one_action(
    live_server, page, lurah_kenari, three_submitted, screenshot, width
):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server, "lurah.kenari")
    page.goto(f"{live_server.url}/usulan/")
    for proposal in three_submitted:
        page.get_by_label(f"Pilih {proposal.code}").check()
    screenshot(f"bulk-accept-table-{width}")
    page.get_by_role("button", name="Terima usulan terpilih…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Terima 3 usulan")
    assert set(Proposal.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
    page.get_by_label("Catatan (tidak wajib)").fill("Berkas lengkap.")
    screenshot(f"bulk-accept-confirm-{width}")
    page.get_by_role("button", name="Ya, terima 3 usulan").click()
    expect(page.get_by_role("alert").first).to_contain_text("3 usulan diterima.")
    assert set(Proposal.objects.values_list("status", flat=True)) == {Status.ACCEPTED}
    notes = Event.objects.filter(action=Event.Action.ACCEPTED).values_list("note", flat=True)
    assert list(notes) == ["Berkas lengkap."] * 3
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_lurah_selects_all_on_the_page_by_keyboard(
    live_server, page, lurah_kenari, three_submitted
):
    sign_in(page, live_server, "lurah.kenari")
    page.goto(f"{live_server.url}/usulan/")
    select_all = page.get_by_label("Pilih semua usulan di halaman ini")
    select_all.focus()
    page.keyboard.press("Space")
    for proposal in three_submitted:
        expect(page.get_by_label(f"Pilih {proposal.code}")).to_be_checked()
    page.get_by_role("button", name="Kembalikan usulan terpilih…").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kembalikan 3 usulan ke RW")
    page.get_by_label("Catatan untuk RW").fill("Lengkapi foto lokasi.")
    page.get_by_role("button", name="Ya, kembalikan 3 usulan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("3 usulan dikembalikan ke RW.")
    assert set(Proposal.objects.values_list("status", flat=True)) == {Status.RETURNED}
