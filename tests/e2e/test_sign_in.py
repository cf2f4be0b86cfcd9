"""Signing in through the browser: the lurah's home, a wrong password, the phone menu."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_lurah_signs_in_and_sees_kenari(live_server, page, lurah_kenari, screenshot):
    page.goto(live_server.url + "/masuk/")
    page.get_by_label("Nama pengguna").fill("lurah.kenari")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(live_server.url + "/")
    main = page.locator("main")
    expect(main).to_contain_text("Kelurahan Kenari")
    expect(main).to_contain_text("Kecamatan Senen")
    screenshot("home-lurah")


def test_a_wrong_password_keeps_the_official_out(live_server, page, lurah_kenari):
    page.goto(live_server.url + "/masuk/")
    page.get_by_label("Nama pengguna").fill("lurah.kenari")
    page.get_by_label("Kata sandi").fill("salah-sandi")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_contain_text("kata sandi salah")


def test_the_phone_menu_opens(live_server, page, lurah_kenari, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Menu utama")
    expect(menu.get_by_role("link", name="Masuk")).to_be_hidden()
    menu.get_by_role("button", name="Buka menu").click()
    expect(menu.get_by_role("link", name="Masuk")).to_be_visible()
    expect(page.locator("#nav-main")).to_have_class(re.compile(r"\bshow\b"))
    screenshot("home-public-phone")
