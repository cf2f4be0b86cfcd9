"""Every main page, in Indonesian and in English, passes axe-core without a serious or critical
violation and does not scroll sideways on a 360 px phone; the keyboard focus is always visible."""

import re
from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from areas.models import Role
from sessions.services import participants_invite
from tests.conftest import official
from tests.e2e.test_proposal_entry import sign_in
from tests.e2e.test_ranking import tab_to
from tests.session_fixtures import attend

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
AXE = Axe()
BLOCKING = {"serious", "critical"}
# Rules whose outcome depends on the layout, run again on the phone (the whole set runs once).
PHONE_RULES = {
    "resultTypes": ["violations"],
    "runOnly": ["scrollable-region-focusable", "target-size"],
}

# What the run checked, printed at its end (tests/conftest.py).
CHECKED = {"pages": 0, "impacts": Counter()}


def choose_language(page, code: str) -> None:
    """Switch with the language form of the page header, as a visitor would."""
    page.locator("#language-select").select_option(code)
    page.locator("form[action='/i18n/setlang/'] button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def blocking(violations: list[dict], where: str) -> list[str]:
    """Count every violation axe found; describe the serious and critical ones."""
    found = []
    for violation in violations:
        CHECKED["impacts"][violation["impact"]] += 1
        if violation["impact"] in BLOCKING:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
            found.append(f"{where}: {violation['id']} ({violation['impact']}) at {targets}")
    return found


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_main_page_passes_axe_and_fits_a_phone(live_server, page, main_pages, language):
    problems, too_wide = [], []
    signed_in = object()  # nobody yet
    for main_page in main_pages:
        if main_page.username != signed_in:
            page.context.clear_cookies()
            page.set_viewport_size(DESKTOP)
            if main_page.username:
                sign_in(page, live_server, main_page.username)
                expect(page).to_have_url(live_server.url + "/")
            else:
                page.goto(live_server.url + "/")
            choose_language(page, language)
            signed_in = main_page.username
        where = f"{main_page.name} [{language}] {main_page.path}"
        page.set_viewport_size(DESKTOP)
        response = page.goto(live_server.url + main_page.path)
        # The page itself, not a sign-in page or a 404 in its place.
        assert (page.url, response.status) == (live_server.url + main_page.path, main_page.status)
        expect(page.locator("html")).to_have_attribute("lang", language)
        problems += blocking(AXE.run(page).response["violations"], where)
        page.set_viewport_size(PHONE)
        # The page has not moved, so axe is still loaded: only the layout's rules run again.
        phone = page.evaluate("options => axe.run(options)", PHONE_RULES)
        problems += blocking(phone["violations"], f"{where} at 360 px")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{where}: {width} px wide")
        CHECKED["pages"] += 1
    assert not problems, "serious or critical axe violations:\n" + "\n".join(problems)
    assert not too_wide, "scrolls sideways at 360 px:\n" + "\n".join(too_wide)


# The focus indicator of an element and the colour behind it: the outline and every box-shadow
# ring at least 2 px wide, after any transition has run.
FOCUS_STYLE = """el => {
  el.getAnimations().forEach(a => a.finish());
  const style = getComputedStyle(el);
  const rings = [];
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) {
    rings.push(style.outlineColor);
  }
  for (const shadow of style.boxShadow.matchAll(/(rgba?\\([^)]*\\))((?: -?[\\d.]+px){3,4})/g)) {
    const spread = shadow[2].trim().split(" ")[3];
    if (spread && parseFloat(spread) >= 2) rings.push(shadow[1]);
  }
  let behind = "rgb(255, 255, 255)";
  for (let node = el.parentElement; node; node = node.parentElement) {
    const color = getComputedStyle(node).backgroundColor;
    if (color !== "rgba(0, 0, 0, 0)" && color !== "transparent") { behind = color; break; }
  }
  return {rings, behind};
}"""


def rgb(color: str, behind: tuple[float, ...] = (255, 255, 255)) -> tuple[float, ...]:
    """An rgb()/rgba() colour as drawn over the colour behind it."""
    red, green, blue, *alpha = (float(part) for part in re.findall(r"[\d.]+", color))
    a = alpha[0] if alpha else 1.0
    return tuple(a * c + (1 - a) * b for c, b in zip((red, green, blue), behind, strict=True))


def contrast(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(color):
        r, g, b = (
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in (part / 255 for part in color)
        )
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_problem(page, selector: str) -> str | None:
    """Reach the element with the Tab key; say what is wrong with its focus indicator, if
    anything: none at all, or none that stands out 3:1 from the colour around it."""
    element = page.locator(selector)
    unfocused = element.evaluate(FOCUS_STYLE)
    tab_to(page, selector)
    focused = element.evaluate(FOCUS_STYLE)
    if focused["rings"] == unfocused["rings"]:
        return f"{selector}: looks the same with and without the focus"
    behind = rgb(focused["behind"])
    best = max((contrast(rgb(ring, behind), behind) for ring in focused["rings"]), default=0)
    if best < 3:
        return f"{selector}: focus ring {focused['rings']} on {focused['behind']}, {best:.1f}:1"
    return None


def test_links_buttons_and_fields_show_where_the_focus_is(live_server, page, cycle):
    """On white and on the blue header alike; the rings are read once the focus has moved."""
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/masuk/")
    problems = [
        focus_problem(page, selector)
        for selector in [
            "a[href='#main']",  # skip link, shown on focus
            "header a.navbar-brand",
            "header a.nav-link[href='/rekap/']",
            "#language-select",
            "form[action='/i18n/setlang/'] button",
            "header a[href='/masuk/']",
            "#id_username",
            "#id_password",
            "main button[type=submit]",
        ]
    ]
    page.goto(live_server.url + "/rekap/")
    problems += [
        focus_problem(page, selector)
        for selector in [
            "a[href$='kecamatan=31.71.04#recap-kelurahan']",  # Senen's row
            "[aria-labelledby=caption-kecamatan]",  # the table scrolls on a phone
        ]
    ]
    problems = [problem for problem in problems if problem]
    assert not problems, "focus not visible enough:\n" + "\n".join(problems)


def test_the_attendance_page_with_invitees_passes_axe_and_fits_a_phone(
    live_server, page, camat_senen, musrenbang_senen, rw_kenari, rw_kenari_001, screenshot
):
    """A musrenbang kecamatan's list, both invite buttons shown, people ticked and not: the
    checkboxes are named, the table scrolls inside its focusable region on a phone."""
    official("rw.kenari.002", Role.RW, area=rw_kenari[1], first_name="Bambang Sutrisno")
    attend(musrenbang_senen, 3)
    participants_invite(sidang=musrenbang_senen, group="rw", by=camat_senen)
    sign_in(page, live_server, camat_senen.username)
    expect(page).to_have_url(live_server.url + "/")
    path = f"/sidang/{musrenbang_senen.pk}/hadir/"
    problems = []
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.goto(live_server.url + path)
        expect(page.get_by_role("checkbox", name="Bambang Sutrisno hadir")).not_to_be_checked()
        expect(
            page.get_by_role("button", name="Ambil delegasi dari sidang kelompok")
        ).to_be_visible()
        problems += blocking(AXE.run(page).response["violations"], f"hadir {name}")
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        screenshot(f"attendance-invited-{name}")
    problems.append(focus_problem(page, "[aria-labelledby=caption-attendance]"))
    problems = [problem for problem in problems if problem]
    assert not problems, "attendance page:\n" + "\n".join(problems)
