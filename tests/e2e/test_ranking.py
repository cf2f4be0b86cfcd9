"""The lurah of Kenari ranks five proposals with the keyboard alone and closes the session."""

import pytest
from playwright.sync_api import expect

from proposals.models import Status
from sessions.models import Decision, State
from sessions.services import sidang_start
from tests.e2e.test_proposal_entry import sign_in
from tests.session_fixtures import attend

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

    page.goto(f"{live_server.url}/sidang/{kelompok_kenari.pk}/")
    tab_to(page, "form[action$='/tutup/'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("ditutup")
    screenshot("sidang-kenari-closed")

    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.state == State.CLOSED
    utama = kelompok_kenari.candidates.filter(decision=Decision.UTAMA)
    assert utama.count() == 5
    assert {c.proposal.status for c in utama} == {Status.KELURAHAN_PRIORITY}
    # The five are now on the table of Senen's musrenbang kecamatan.
    sidang_start(sidang=musrenbang_senen, by=camat_senen)
    assert set(musrenbang_senen.candidates.values_list("proposal", flat=True)) == set(
        utama.values_list("proposal", flat=True)
    )
