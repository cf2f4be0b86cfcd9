"""The proposals table fits the screen: no page scrolls sideways at 1280×800 or 360×800, nor
does the table inside it; on a phone each proposal is a card that shows its status; the column
chooser works without JavaScript and by keyboard, and passes axe open."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from proposals.models import Status
from tests.e2e.test_accessibility import blocking, choose_language
from tests.e2e.test_proposal_entry import sign_in
from tests.proposal_fixtures import make_proposal

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 800}
# Each official with the lists they work in.
WORKS_IN = {
    "lurah_kenari": ["/usulan/", "/survei/"],
    "ukpd_binamarga": ["/usulan/", "/survei/"],
    "suban": ["/usulan/", "/survei/"],
}
LONG_TITLE = (
    "Pembangunan saluran air dan perbaikan trotoar sepanjang Jalan Kenari Raya sampai Gang V"
)


@pytest.fixture
def proposals(cycle, rw_kenari, rw_paseban, betonisasi, tenda, superuser):
    """Kenari and Paseban's proposals at the longest statuses and titles, and the survey
    queue's accepted ones: more than a page of them for each official."""
    statuses = [Status.CARRIED, Status.SUBMITTED, Status.ACCEPTED, Status.EXPIRED]
    for i in range(120):
        make_proposal(
            cycle,
            [rw_kenari[0], rw_kenari[1], rw_paseban][i % 3],
            betonisasi if i % 2 else tenda,
            superuser,
            status=statuses[i // 2 % len(statuses)],
            title=LONG_TITLE if i % 5 == 0 else f"Betonisasi jalan lingkungan RT {i:03}",
        )


def overflow(page) -> dict:
    """How far the page and the table's own scroller reach past their width."""
    return page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth - innerWidth,
            table: Math.max(0, ...[...document.querySelectorAll('.table-responsive')]
                .map(e => e.scrollWidth - e.clientWidth)),
        })"""
    )


def test_the_lists_fit_a_laptop_and_a_phone(live_server, page, request, proposals, screenshot):
    for fixture, paths in WORKS_IN.items():
        user = request.getfixturevalue(fixture)
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        sign_in(page, live_server, user.username)
        for path in paths:
            for size in (DESKTOP, PHONE):
                page.set_viewport_size(size)
                page.goto(live_server.url + path)
                where = f"{user.username} {path} at {size['width']} px"
                assert overflow(page) == {"page": 0, "table": 0}, where
                expect(page.locator("#table-count")).to_contain_text("usulan")
                if path == "/usulan/":
                    expect(page.locator(".pager")).to_contain_text(re.compile(r"Halaman 1 dari \d"))
                status = page.locator("tbody tr").first.locator("td.cell-status .badge")
                expect(status).to_be_visible()
                if size is PHONE:
                    row = page.locator("tbody tr").first
                    assert row.evaluate("r => getComputedStyle(r).display") == "block", where
                    label = status.locator("xpath=..").evaluate(
                        "td => getComputedStyle(td, '::before').content"
                    )
                    assert label == '"Status"', where
                name = path.strip("/").replace("/", "-")
                screenshot(f"table-{user.username}-{name}-{size['width']}")


def test_the_column_chooser_works_without_javascript(live_server, browser, lurah_kenari, proposals):
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, live_server, "lurah.kenari")
    filtered = f"{live_server.url}/usulan/?status=submitted&sort=-cost"
    page.goto(filtered)
    headings = page.locator("thead th")
    # First the lurah's selection box (for accepting many at once), then the lurah's columns.
    expect(headings).to_have_text(
        ["", "Kode", "Judul", "Kategori", "RW", "Biaya (Rp)", "UKPD", "Status"]
    )
    # By keyboard: the summary opens the chooser, space ticks a box.
    chooser = page.locator(".column-chooser form")
    page.locator("summary", has_text="Pilih kolom").focus()
    page.keyboard.press("Enter")
    chooser.get_by_label("Volume", exact=True).focus()
    page.keyboard.press("Space")
    chooser.get_by_label("UKPD", exact=True).uncheck()
    expect(chooser.get_by_label("Status", exact=True)).to_be_disabled()  # always shown
    page.get_by_role("button", name="Simpan kolom").click()
    expect(page).to_have_url(filtered)
    expect(headings).to_have_text(
        ["", "Kode", "Judul", "Kategori", "RW", "Volume", "Biaya (Rp)", "Status"]
    )
    page.locator("summary", has_text="Pilih kolom").click()
    page.get_by_role("button", name="Kembalikan bawaan").click()
    expect(page).to_have_url(filtered)
    # First the lurah's selection box (for accepting many at once), then the lurah's columns.
    expect(headings).to_have_text(
        ["", "Kode", "Judul", "Kategori", "RW", "Biaya (Rp)", "UKPD", "Status"]
    )
    context.close()


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_open_chooser_passes_axe_on_a_laptop_and_a_phone(
    live_server, page, suban, proposals, language
):
    sign_in(page, live_server, "suban")
    page.goto(live_server.url + "/usulan/")
    choose_language(page, language)
    problems = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.locator(".column-chooser > summary").click()
        expect(page.locator(".column-chooser form")).to_be_visible()
        assert overflow(page)["page"] == 0
        problems += blocking(
            Axe().run(page).response["violations"], f"/usulan/ {size['width']} {language}"
        )
        page.locator(".column-chooser > summary").click()
    assert not problems
