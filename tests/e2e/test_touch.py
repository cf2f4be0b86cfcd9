"""Officials work by touch on a phone: a ketua RW enters a proposal, a lurah ranks."""

import pytest
from playwright.sync_api import expect

from proposals.models import Status
from sessions.models import Decision
from tests.e2e.test_proposal_entry import fill_proposal, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 360
# The smallest target a finger hits without catching its neighbour (WCAG 2.5.5, Apple, Android).
TAP_TARGET = 44


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": PHONE_WIDTH, "height": 740},
        "has_touch": True,
        "is_mobile": True,
    }


def assert_fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def assert_easy_to_tap(locator) -> None:
    for index in range(locator.count()):
        box = locator.nth(index).bounding_box()
        assert box["height"] >= TAP_TARGET and box["width"] >= TAP_TARGET, (
            f"{locator.nth(index).inner_text()!r} is {box['width']:.0f}×{box['height']:.0f} px"
        )


def test_ketua_rw_enters_and_submits_a_proposal_by_touch(
    live_server, page, rw_kenari_001, cycle, betonisasi, screenshot
):
    sign_in(page, live_server, "rw.kenari.001")
    page.get_by_role("button", name="Buka menu").tap()
    page.get_by_role("link", name="Usulan", exact=True).tap()
    page.get_by_role("link", name="Usulan baru").tap()
    expect(page).to_have_url(f"{live_server.url}/usulan/baru/")
    fill_proposal(page)
    assert_fits_the_phone(page)
    assert_easy_to_tap(page.locator("main form .btn"))
    screenshot("touch-proposal-form")

    page.get_by_role("button", name="Simpan draf").tap()
    expect(page.get_by_role("alert")).to_contain_text("disimpan sebagai draf")
    assert cycle.proposals.get().status == Status.DRAFT
    assert_fits_the_phone(page)
    page.get_by_role("link", name="Ajukan ke kelurahan…").tap()
    expect(page.get_by_role("heading", name="Yang akan terjadi")).to_be_visible()
    assert_fits_the_phone(page)
    assert_easy_to_tap(page.locator("main form .btn"))
    page.get_by_role("button", name="Ya, ajukan ke kelurahan").tap()
    expect(page.get_by_role("alert")).to_contain_text("diajukan ke kelurahan")
    assert_fits_the_phone(page)

    proposal = cycle.proposals.get()
    assert proposal.status == Status.SUBMITTED
    assert (proposal.title, proposal.volume, proposal.cost) == (
        "Betonisasi Gang Kenari II",
        40,
        18_000_000,
    )
    assert proposal.attachments.count() == 1


def test_lurah_ranks_by_touch(live_server, page, lurah_kenari, kelompok_kenari, screenshot):
    candidates = list(kelompok_kenari.candidates.order_by("proposal__code"))
    sign_in(page, live_server, "lurah.kenari")
    page.goto(f"{live_server.url}/sidang/{kelompok_kenari.pk}/peringkat/")
    assert_fits_the_phone(page)

    for rank, candidate in enumerate(candidates[:3], start=1):
        page.locator(f"#rank-{candidate.pk}").tap()
        page.keyboard.type(str(rank))
        page.locator(f"#decision-{candidate.pk}").select_option(Decision.UTAMA)
    page.locator("button[value=save]:not(.visually-hidden)").tap()
    expect(page.get_by_role("alert")).to_contain_text("Peringkat disimpan")

    moves = page.locator("button[name=move]")
    assert_easy_to_tap(moves)
    assert_easy_to_tap(page.locator("button[value=save]:not(.visually-hidden)"))
    third = candidates[2]
    page.locator(f"button[value='up-{third.pk}']").tap()
    expect(page.get_by_role("alert")).to_contain_text("Peringkat disimpan")
    expect(page.locator(f"#rank-{third.pk}")).to_have_value("2")
    assert_fits_the_phone(page)
    screenshot("touch-ranking")

    ranks = dict(kelompok_kenari.candidates.values_list("pk", "rank"))
    assert [ranks[c.pk] for c in candidates[:3]] == [1, 3, 2]
    utama = kelompok_kenari.candidates.filter(decision=Decision.UTAMA)
    assert set(utama.values_list("pk", flat=True)) == {c.pk for c in candidates[:3]}
