"""/rekap/ fits a laptop and a phone for whoever reads it, its charts stay legible on a phone, it
passes axe in both languages, and the main menu holds one line at 1280 px for every role."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from areas.models import Area, TechnicalUnit
from notices.models import Notice
from proposals.models import CatalogueItem, Category, Cycle
from tests.e2e.test_accessibility import PHONE_RULES, blocking, choose_language
from tests.e2e.test_proposal_entry import sign_in
from tests.musrenbang.test_recap_views import populate

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 800}
AXE = Axe()
# The rendered size of a chart's 14-unit label text, at the least, in CSS pixels.
LEGIBLE_PX = 12

# What overflows sideways: the page itself, or a table inside its scrolling region.
OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth,
  tables: [...document.querySelectorAll('.table-responsive')]
    .filter(region => region.scrollWidth > region.clientWidth + 1)
    .map(region => region.querySelector('table').dataset.table),
})"""
# The smallest label of every chart, as drawn: its font size times the chart's scale.
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map(
    text => parseFloat(text.getAttribute('font-size') || svg.getAttribute('font-size')));
  return {id: svg.id || svg.getAttribute('aria-labelledby'), px: Math.min(...sizes) * scale};
})"""


@pytest.fixture
def recap_2031(kota_jp, rw_kenari_001):
    """A cycle over fifteen kelurahan of every kecamatan, its physical proposals addressed to a
    UKPD with one of the longest names there are."""
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        kota=kota_jp,
        year=2031,
        code_prefix="RK31",
        rw_opens=today - datetime.timedelta(days=30),
        rw_closes=today - datetime.timedelta(days=10),
        kelompok_opens=datetime.date(2031, 2, 27),
        kelompok_closes=datetime.date(2031, 3, 5),
    )
    long_name = "Suku Dinas Perindustrian, Perdagangan, Koperasi, Usaha Kecil dan Menengah"
    units = [
        TechnicalUnit.objects.create(kota=kota_jp, code=f"rekap-{i}", name=name)
        for i, name in enumerate((long_name, "Suku Dinas Sosial"))
    ]
    fields = {"sector": "Uji", "measure": "unit", "unit_price": 1_000_000}
    items = [
        CatalogueItem.objects.create(
            unit=unit, code=f"RK-{i}", name=name, category=category, **fields
        )
        for i, (unit, name, category) in enumerate(
            zip(units, ("Jalan", "Tenda"), (Category.FISIK, Category.PENGADAAN), strict=True)
        )
    ]
    people = {role: rw_kenari_001 for role in ("rw", "surveyor", "planner")}
    populate(cycle, items, people, kelurahan=slice(0, 44, 3))
    return cycle


def recap_paths(cycle) -> list[str]:
    kecamatan = Area.objects.get(code="31.71.01")
    return [f"/rekap/?siklus={cycle.pk}", f"/rekap/?siklus={cycle.pk}&kecamatan={kecamatan.code}"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_recap_fits_a_laptop_and_a_phone_for_everyone(
    live_server, page, recap_2031, lurah_kenari, ukpd_binamarga, suban, language, screenshot
):
    problems = []
    for username in (None, lurah_kenari.username, ukpd_binamarga.username, suban.username):
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        if username:
            sign_in(page, live_server, username)
            expect(page).to_have_url(live_server.url + "/")
        else:
            page.goto(live_server.url + "/")
        choose_language(page, language)
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            for path in recap_paths(recap_2031):
                page.goto(live_server.url + path)
                where = f"{username or 'visitor'} [{language}] {size['width']} px {path}"
                overflow = page.evaluate(OVERFLOW)
                if overflow["page"] > size["width"] or overflow["tables"]:
                    problems.append(f"{where}: scrolls sideways {overflow}")
                if size is PHONE:
                    small = [c for c in page.evaluate(CHART_TEXT) if c["px"] < LEGIBLE_PX]
                    if small:
                        problems.append(f"{where}: chart text too small {small}")
                else:
                    height = page.locator("nav.navbar").evaluate("n => n.offsetHeight")
                    if height > 64:
                        problems.append(f"{where}: the menu takes {height} px, two lines")
        screenshot(f"recap-{username or 'visitor'}-{language}-phone")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_recap_passes_axe_in_both_languages(live_server, page, recap_2031, language):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    choose_language(page, language)
    problems = []
    for path in recap_paths(recap_2031):
        page.set_viewport_size(DESKTOP)
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        problems += blocking(AXE.run(page).response["violations"], f"{path} [{language}]")
        page.set_viewport_size(PHONE)
        phone = page.evaluate("options => axe.run(options)", PHONE_RULES)
        problems += blocking(phone["violations"], f"{path} [{language}] at 360 px")
    assert not problems, "serious or critical axe violations:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_main_menu_holds_one_line_for_the_widest_menus(
    live_server, page, superuser, suban, ukpd_binamarga, language, screenshot
):
    """The system administrator has every entry, and with unread notices a count beside one."""
    Notice.objects.bulk_create(
        Notice(user=superuser, kind="test", subject=f"Pemberitahuan {i}", text=".")
        for i in range(12)
    )
    for user in (superuser, suban, ukpd_binamarga):
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        sign_in(page, live_server, user.username)
        expect(page).to_have_url(live_server.url + "/")
        choose_language(page, language)
        navbar = page.locator("nav.navbar")
        assert navbar.evaluate("n => n.offsetHeight") <= 64, f"{user.username}: two lines"
        links = page.locator("#nav-main .nav-link")
        tops = {
            round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count()))
        }
        assert len(tops) == 1, f"{user.username}: menu entries on {len(tops)} lines"
        # The account menu opens from the keyboard and holds the password and, for staff,
        # the administration.
        page.locator("#account-menu").focus()
        page.keyboard.press("Enter")
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.classList.contains('dropdown-item')")
        page.keyboard.press("Escape")
        if user.is_staff:
            expect(page.locator(".dropdown-menu a[href='/admin/']")).to_have_count(1)
        screenshot(f"menu-{user.username}-{language}")
        # On a phone the menu folds behind its button and opens.
        page.set_viewport_size(PHONE)
        page.reload()
        expect(page.locator("#nav-main")).to_be_hidden()
        page.locator(".navbar-toggler").click()
        expect(page.locator("#nav-main .nav-link").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
