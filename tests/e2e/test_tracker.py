"""A visitor, not signed in, tracks a proposal: by its code, and by area on a phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_finds_a_proposal_by_its_code(live_server, page, surveyed, screenshot):
    page.goto(live_server.url + "/lacak/")
    page.get_by_label("Kode usulan", exact=True).fill(surveyed.code.lower())
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/lacak/{surveyed.code}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(surveyed.title)
    main = page.locator("main")
    expect(main).to_contain_text("Status sekarang: Diterima kelurahan")
    journey = page.get_by_role("region", name="Perjalanan usulan")
    expect(journey).to_contain_text("Diajukan ke kelurahan")
    expect(journey).to_contain_text("Diterima sebagai calon kelurahan")
    expect(journey).to_contain_text("Lurah Kenari")
    expect(journey).to_contain_text("Disurvei UKPD")
    expect(main).to_contain_text("Disurvei pada 12 Februari 2024: Direkomendasikan.")
    screenshot("tracker-journey")


def test_an_unknown_code_is_explained(live_server, page, cycle):
    page.goto(live_server.url + "/lacak/")
    page.get_by_label("Kode usulan", exact=True).fill("JP24-99999")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("tidak ditemukan")


def test_on_a_phone_the_areas_narrow_down_to_the_rw(live_server, page, surveyed, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/lacak/")
    expect(page.get_by_label("Kelurahan")).to_have_count(0)
    # Kecamatan and kelurahan reload the page with the next select (without JavaScript: submit).
    page.get_by_label("Kecamatan").select_option(label="Senen")
    page.get_by_label("Kelurahan").select_option(label="Kenari")
    page.get_by_label("RW", exact=True).select_option(label="RW 001")
    page.get_by_role("button", name="Tampilkan").click()
    results = page.get_by_role("region", name="Usulan RW 001 Kelurahan Kenari")
    expect(results).to_contain_text(surveyed.title)
    screenshot("tracker-search-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    results.get_by_role("link", name=surveyed.code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(surveyed.title)
    screenshot("tracker-journey-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
