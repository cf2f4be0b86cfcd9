"""The lurah of Kenari ranks five proposals with the keyboard alone and closes the session; the
camat of Senen's ranking fits the screen and totals the scores as they are chosen."""

import pytest
from playwright.sync_api import expect

from proposals.models import Status
from sessions.models import Decision, State
from sessions.services import Placement, candidates_sync, sidang_start
from tests.e2e.test_proposal_entry import sign_in
from tests.proposal_fixtures import make_proposal
from tests.session_fixtures import attend, save
from tests.sessions.test_ranking_views import musrenbang_with

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, selector: str, limit: int = 300) -> None:
    """Press Tab until the element has the focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_lurah_ranks_five_with_the_keyboard_and_closes(
    live_server, page, lurah_kenari, kelompok_kenari, musrenbang_senen, camat_senen, screenshot
):
    attend(kelompok_kenari, 4)
    candidates = list(kelompok_kenari.candidates.order_by("proposal__code"))
    sign_in(page, live_server, "lurah.kenari")
    page.goto(f"{live_server.url}/sidang/{kelompok_kenari.pk}/peringkat/")

    for rank, candidate in enumerate(candidates[:5], start=1):
        tab_to(page, f"#rank-{candidate.pk}")
        page.keyboard.type(str(rank))
        tab_to(page, f"#decision-{candidate.pk}")
        page.keyboard.press("ArrowDown")  # "—" → "Utama (prioritas)"
        expect(page.locator(f"#decision-{candidate.pk}")).to_have_value("utama")
    tab_to(page, "button[value=save]:not(.visually-hidden)")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Peringkat disimpan")

    # Move the fifth up one place with its ▲ button; the focus stays on the moved row.
    fifth = candidates[4]
    tab_to(page, f"button[value='up-{fifth.pk}']")
    page.keyboard.press("Space")
    expect(page.get_by_role("alert")).to_contain_text("Peringkat disimpan")
    expect(page.locator(f"#rank-{fifth.pk}")).to_have_value("4")
    assert page.evaluate("document.activeElement.value") == f"up-{fifth.pk}"
    screenshot("ranking-kenari")

    # Closing asks once more: what will happen, and why the two left undecided were not chosen.
    page.goto(f"{live_server.url}/sidang/{kelompok_kenari.pk}/")
    tab_to(page, "a[href$='/tutup/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Yang akan terjadi")).to_be_visible()
    expect(page.get_by_text("2 calon belum diputuskan")).to_be_visible()
    tab_to(page, "#reason-all")
    page.keyboard.type("Kalah prioritas dari lima usulan utama.")
    tab_to(page, "main button[type=submit]")
    screenshot("sidang-kenari-confirm-close")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("ditutup")
    screenshot("sidang-kenari-closed")

    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.state == State.CLOSED
    utama = kelompok_kenari.candidates.filter(decision=Decision.UTAMA)
    assert utama.count() == 5
    assert {c.proposal.status for c in utama} == {Status.KELURAHAN_PRIORITY}
    # The five are now on the table of Senen's musrenbang kecamatan.
    sidang_start(
        sidang=musrenbang_senen, by=camat_senen, stage_exception="Lima kelurahan lain menyusul."
    )
    assert set(musrenbang_senen.candidates.values_list("proposal", flat=True)) == set(
        utama.values_list("proposal", flat=True)
    )


def test_the_kecamatan_ranking_fits_the_screen_scores_as_typed_and_passes_axe(
    live_server, page, cycle, kenari, paseban, betonisasi, tenda, camat_senen, ukpd_binamarga,
    screenshot,
):  # fmt: skip
    """Senen's musrenbang kecamatan, scored and saved once, then joined by one more priority:
    the whole table fits 1280 px, scrolls inside its region on a phone, and a row's total
    follows its scores as they are chosen."""
    from tests.e2e.test_accessibility import AXE, DESKTOP, PHONE, PHONE_RULES, blocking

    sidang = musrenbang_with(cycle, [kenari, paseban], 6, betonisasi, camat_senen, ukpd_binamarga)
    criteria = list(cycle.criteria.all())
    candidates = list(sidang.candidates.order_by("proposal__code"))
    save(
        sidang,
        camat_senen,
        [
            Placement(
                c.pk,
                rank,
                Decision.UTAMA if rank in (1, 3) else Decision.CADANGAN,
                scores={str(k.pk): 1 + (rank + k.pk) % 5 for k in criteria} if rank < 4 else {},
            )
            for rank, c in enumerate(candidates, start=1)
        ],
    )
    make_proposal(
        cycle, kenari.children.first(), tenda, camat_senen, status=Status.KELURAHAN_PRIORITY
    )
    candidates_sync(sidang)

    sign_in(page, live_server, camat_senen.username)
    expect(page).to_have_url(live_server.url + "/")
    url = f"{live_server.url}/sidang/{sidang.pk}/peringkat/"
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    expect(page.locator("#new-candidates")).to_contain_text("Calon baru sejak")
    problems = blocking(AXE.run(page).response["violations"], "desktop")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    region = page.locator("[aria-labelledby=ranking-caption]")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table scrolls"
    screenshot("ranking-kecamatan-desktop")

    last = candidates[-1]
    for criterion, value in zip(criteria, ("5", "4", "3", "2"), strict=True):
        page.locator(f"#score-{last.pk}-{criterion.pk}").select_option(value)
    # (40·5 + 30·4 + 20·3 + 10·2) · 100 / (5 · 100) = 80
    expect(page.locator(f"#total-{last.pk}")).to_have_text("80")
    # One of the two utama becomes a reserve: the count and the cost follow before saving.
    page.locator(f"#decision-{candidates[2].pk}").select_option("cadangan")
    expect(page.locator("[data-utama-count] strong")).to_have_text("1")
    expect(page.locator("tfoot [data-utama-cost]")).to_have_text("Rp 45.000.000")
    expect(page.locator(f"#decision-{candidates[1].pk} option[value=utama]")).to_be_disabled()

    page.set_viewport_size(PHONE)
    phone = page.evaluate("options => axe.run(options)", PHONE_RULES)
    problems += blocking(phone["violations"], "phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("ranking-kecamatan-phone")
    assert not problems, "\n".join(problems)


def test_the_lurah_sees_kenaris_ceiling_recounted_as_she_decides(
    live_server, page, lurah_kenari, kelompok_kenari, kenari, screenshot
):
    """Five utama pass Kenari's pagu indikatif; making the last one cadangan brings the total
    back under it, and the panel says so before anything is saved."""
    from proposals.models import Ceiling
    from tests.session_fixtures import placements

    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    utama = list(kelompok_kenari.candidates.filter(decision=Decision.UTAMA).order_by("rank"))
    costs = {c.pk: c.proposal.planned_cost for c in utama}
    total = sum(costs.values())
    last = utama[-1]
    ceiling = total - costs[last.pk] // 2  # passed by half the last one's cost
    Ceiling.objects.create(cycle=kelompok_kenari.cycle, area=kenari, amount=ceiling)
    sign_in(page, live_server, "lurah.kenari")
    page.goto(f"{live_server.url}/sidang/{kelompok_kenari.pk}/peringkat/")
    panel = page.locator("#pagu")
    expect(panel.locator("[data-ceiling-over]")).to_be_visible()
    expect(panel.locator("[data-ceiling-left]")).to_be_hidden()
    screenshot("ranking-kenari-over-ceiling")
    page.select_option(f"#decision-{last.pk}", "cadangan")
    expect(panel.locator("[data-ceiling-over]")).to_be_hidden()
    expect(panel.locator("[data-ceiling-left]")).to_be_visible()
    left = ceiling - (total - costs[last.pk])
    expect(panel.locator("[data-ceiling-left] strong")).to_have_text(
        "Rp " + f"{left:,}".replace(",", ".")
    )
    assert panel.locator("[data-ceiling-bar]").evaluate("el => el.value") == total - costs[last.pk]
