"""Nothing irreversible in one click: submitting a proposal and recording a final decision go
through a confirmation page, by keyboard alone."""

import pytest
from playwright.sync_api import expect

from proposals.models import Status
from tests.e2e.test_proposal_entry import sign_in
from tests.e2e.test_ranking import tab_to

pytestmark = pytest.mark.django_db(transaction=True)


def test_ketua_rw_submits_after_reading_what_will_happen(
    live_server, page, rw_kenari_001, draft_kenari, screenshot
):
    sign_in(page, live_server, "rw.kenari.001")
    page.goto(f"{live_server.url}{draft_kenari.get_absolute_url()}")
    tab_to(page, "a[href$='/ajukan/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ajukan usulan")
    expect(page.get_by_text("Tidak dapat dibatalkan")).to_be_visible()
    screenshot("confirm-submit")
    draft_kenari.refresh_from_db()
    assert draft_kenari.status == Status.DRAFT  # reading the page changed nothing

    # "Batal" goes back without submitting; the confirmation button submits.
    expect(page.get_by_role("button", name="Ya, ajukan ke kelurahan")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("diajukan ke kelurahan")
    draft_kenari.refresh_from_db()
    assert draft_kenari.status == Status.SUBMITTED


def test_planning_office_confirms_a_final_decision(
    live_server, page, suban, forwarded, sub_activity
):
    sign_in(page, live_server, "suban")
    page.goto(f"{live_server.url}{forwarded.get_absolute_url()}")
    tab_to(page, "input[name=kind][value=renja]")
    page.keyboard.press("Space")
    tab_to(page, "#id_reason")
    page.keyboard.type("Sesuai prioritas RKPD.")
    page.locator("#id_sub_activity").select_option(str(sub_activity.pk))
    tab_to(page, "form[action$='/keputusan/'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Catat keputusan akhir")
    expect(page.get_by_text("Alasan: Sesuai prioritas RKPD.")).to_be_visible()
    forwarded.refresh_from_db()
    assert forwarded.status == Status.KECAMATAN_PRIORITY

    page.keyboard.press("Enter")  # the confirmation button has the focus
    expect(page.get_by_role("alert").first).to_contain_text("dicatat")
    forwarded.refresh_from_db()
    assert forwarded.status == Status.RENJA
