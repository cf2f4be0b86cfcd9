"""Maps: a ketua RW places a proposal by tapping on a phone and a visitor finds it on the
tracker's map; the number fields stay the keyboard's way; the table's map view. The tests run
offline: every tile fails, and the points must show on the plain background all the same."""

import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from proposals.models import Proposal, Status
from tests.e2e.test_accessibility import BLOCKING, choose_language
from tests.e2e.test_proposal_entry import fill_proposal, sign_in
from tests.e2e.test_ranking import tab_to
from tests.proposal_fixtures import make_proposal

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
TILES = re.compile(r"^https://tile\.openstreetmap\.org/")
TILES_FAILED = "Peta dasar tidak dapat dimuat"


@pytest.fixture
def browser_context_args(browser_context_args):
    """A touch screen, so that a tap is a tap."""
    return {**browser_context_args, "has_touch": True}


@pytest.fixture
def page(page):
    """No tile server answers (as offline, but at once and for sure)."""
    page.route(TILES, lambda route: route.abort())
    return page


def serious(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_ketua_rw_taps_the_place_and_a_visitor_sees_it_on_the_tracker(
    live_server, page, rw_kenari_001, cycle, betonisasi, senen, kenari, rw_kenari, screenshot
):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "rw.kenari.001")
    page.goto(live_server.url + "/usulan/baru/")
    fill_proposal(page)
    picker = page.get_by_role("region", name="Peta untuk memilih lokasi usulan")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    picker.tap(position={"x": box["width"] / 2 + 30, "y": box["height"] / 2 - 20})
    latitude, longitude = page.get_by_label("Lintang"), page.get_by_label("Bujur")
    expect(latitude).to_have_value(re.compile(r"^-6\.\d{6}$"))
    expect(longitude).to_have_value(re.compile(r"^106\.\d{6}$"))
    status = page.get_by_role("status").filter(has_text="Lokasi dipilih")
    expect(status).to_contain_text(f"lintang {latitude.input_value()}")
    expect(status).to_contain_text(TILES_FAILED)
    expect(page.locator(".map-pin")).to_be_visible()
    screenshot("map-picker-phone")
    assert fits(page, PHONE["width"])
    placed = Decimal(latitude.input_value()), Decimal(longitude.input_value())

    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("alert")).to_contain_text("disimpan sebagai draf")
    page.get_by_role("link", name="Ajukan ke kelurahan…").click()
    page.get_by_role("button", name="Ya, ajukan ke kelurahan").click()
    expect(page.get_by_role("alert")).to_contain_text("diajukan ke kelurahan")
    proposal = cycle.proposals.get()
    assert (proposal.latitude, proposal.longitude) == placed

    # A visitor, not signed in, on the same phone.
    page.context.clear_cookies()
    page.goto(
        f"{live_server.url}/lacak/?kecamatan={senen.pk}&kelurahan={kenari.pk}&rw={rw_kenari[0].pk}"
    )
    tracker_map = page.get_by_role("region", name="Peta usulan RW ini")
    marker = tracker_map.get_by_role("button", name=f"{proposal.code} {proposal.title}")
    expect(marker).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Usulan di peta: 1.")
    expect(page.get_by_role("status")).to_contain_text(TILES_FAILED)
    screenshot("map-tracker-phone")
    assert fits(page, PHONE["width"])
    assert serious(page) == []
    marker.tap()
    tracker_map.get_by_role("link", name=proposal.code).click()
    expect(page).to_have_url(re.compile(rf"/lacak/{proposal.code}/$"))


def test_the_number_fields_stay_the_keyboard_way_and_the_map_follows_them(
    live_server, page, rw_kenari_001, cycle, betonisasi, screenshot
):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "rw.kenari.001")
    page.goto(live_server.url + "/usulan/baru/")
    fill_proposal(page)
    tab_to(page, "#id_latitude")
    page.keyboard.type("-6.1812")
    page.keyboard.press("Tab")
    page.keyboard.type("106.8467")
    expect(page.locator(".map-pin")).to_be_visible()
    # The map is no trap: Tab goes through it and on to the volume.
    tab_to(page, "[data-map=pick]")
    tab_to(page, "#id_volume", limit=12)
    assert serious(page) == []
    screenshot("map-picker-keyboard")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("alert")).to_contain_text("disimpan sebagai draf")
    proposal = cycle.proposals.get()
    assert (proposal.latitude, proposal.longitude) == (Decimal("-6.1812"), Decimal("106.8467"))


def test_a_point_outside_jakarta_is_not_taken(live_server, page, rw_kenari_001, cycle, betonisasi):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "rw.kenari.001")
    page.goto(live_server.url + "/usulan/baru/")
    picker = page.locator("[data-map=pick]")
    expect(picker).to_be_visible()
    # Zoomed out, the left edge of the map lies west of DKI Jakarta.
    page.get_by_role("button", name="Perkecil").click()
    page.get_by_role("button", name="Perkecil").click()
    picker.click(position={"x": 5, "y": 150})
    outside = page.get_by_role("status").filter(has_text="di luar wilayah DKI Jakarta")
    expect(outside).to_be_visible()
    expect(page.get_by_label("Lintang")).to_have_value("")


def test_use_my_location_fills_the_fields(
    live_server, page, context, rw_kenari_001, cycle, betonisasi
):
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": -6.1805, "longitude": 106.8284})
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "rw.kenari.001")
    page.goto(live_server.url + "/usulan/baru/")
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    expect(page.get_by_label("Lintang")).to_have_value("-6.180500")
    expect(page.get_by_label("Bujur")).to_have_value("106.828400")


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_table_has_a_map_of_its_filtered_set(
    live_server,
    page,
    lurah_kenari,
    cycle,
    rw_kenari,
    betonisasi,
    rw_kenari_001,
    proposal_paseban,
    screenshot,
    language,
):
    point = {"latitude": Decimal("-6.1812"), "longitude": Decimal("106.8467")}
    submitted = make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, **point)
    point["latitude"] += Decimal("0.002")
    accepted = make_proposal(
        cycle, rw_kenari[1], betonisasi, rw_kenari_001, status=Status.ACCEPTED, **point
    )
    Proposal.objects.filter(pk=proposal_paseban.pk).update(**point)  # not the lurah's
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "lurah.kenari")
    choose_language(page, language)
    page.goto(live_server.url + "/usulan/?status=accepted")
    page.locator("main").get_by_role("link", name=re.compile("^(Peta|Map)$")).click()
    expect(page).to_have_url(re.compile(r"/usulan/peta/\?status=accepted$"))
    markers = page.locator(".map-dot")
    expect(markers).to_have_count(1)
    expect(markers.first).to_have_accessible_name(accepted.code)  # the map view sends no title
    # By keyboard: Tab to the marker, Enter opens its popup with the focus on its link.
    tab_to(page, ".map-dot")
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup").get_by_role("link", name=accepted.code)
    expect(link).to_be_focused()
    # Leaflet fades the popup in: axe would read its text's contrast half-way through.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    assert serious(page) == []
    screenshot(f"map-view-{language}")
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(markers.first).to_be_focused()
    page.set_viewport_size(PHONE)
    assert fits(page, PHONE["width"])
    # Without the filter, both of Kenari's; Paseban's never.
    page.goto(live_server.url + "/usulan/peta/")
    expect(markers).to_have_count(2)
    expect(page.get_by_role("button", name=submitted.code)).to_be_visible()
