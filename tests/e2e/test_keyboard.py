"""Officials work without a mouse: the proposal filters and the attendance list by keyboard."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from areas.models import Role
from sessions.models import Participant
from tests.conftest import official
from tests.e2e.test_proposal_entry import sign_in
from tests.e2e.test_ranking import tab_to
from tests.proposal_fixtures import make_proposal

pytestmark = pytest.mark.django_db(transaction=True)


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def codes(page) -> list[str]:
    return page.locator(".table-proposals tbody tr td:first-child").all_inner_texts()


def test_camat_filters_and_sorts_the_proposals_with_the_keyboard(
    live_server, page, camat_senen, cycle, rw_kenari, rw_paseban, betonisasi, tenda, screenshot
):
    def proposal(rw, item, title, volume):
        return make_proposal(cycle, rw, item, camat_senen, title=title, volume=volume)

    small = proposal(rw_kenari[0], betonisasi, "Betonisasi Gang Mawar", 10)
    large = proposal(rw_kenari[1], betonisasi, "Betonisasi Gang Melati", 90)
    proposal(rw_kenari[0], betonisasi, "Saluran Jl. Kenari Raya", 50)  # not a "gang"
    proposal(rw_kenari[0], tenda, "Tenda Gang Mawar", 1)  # not fisik
    proposal(rw_paseban, betonisasi, "Betonisasi Gang Paseban", 20)  # another kelurahan
    sign_in(page, live_server, "camat.senen")
    page.goto(f"{live_server.url}/usulan/")

    # Kelurahan: Senen, then Kenari. Each arrow press is a change; the page must not reload
    # under the keyboard user (and take the focus away) before the form is submitted.
    page.evaluate("window.notReloaded = true")
    tab_to(page, "#id_kelurahan")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_kelurahan option:checked")).to_have_text("Kenari")
    expect(page.locator("#id_kelurahan")).to_be_focused()
    tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")  # "Semua kategori" → "Fisik"
    expect(page.locator("#id_category")).to_have_value("fisik")
    tab_to(page, "#id_q")
    page.keyboard.type("gang")
    assert page.evaluate("window.notReloaded")
    page.keyboard.press("Enter")
    expect(page.locator("#id_q")).to_have_value("gang")
    assert sorted(codes(page)) == sorted([small.code, large.code])
    kenari = str(rw_kenari[0].parent_id)
    assert {k: query(page)[k] for k in ("kelurahan", "category", "q")} == {
        "kelurahan": [kenari],
        "category": ["fisik"],
        "q": ["gang"],
    }

    # Sorted by cost with the column header's link: ascending, then descending.
    tab_to(page, ".table-proposals thead a:text-is('Biaya (Rp)')")
    page.keyboard.press("Enter")
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Biaya (Rp)")
    assert codes(page) == [small.code, large.code]
    assert query(page)["sort"] == ["cost"] and query(page)["q"] == ["gang"]
    tab_to(page, ".table-proposals thead a:text-is('Biaya (Rp)')")
    page.keyboard.press("Enter")
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Biaya (Rp)")
    assert codes(page) == [large.code, small.code]

    # Now that Kenari is chosen its RWs are offered.
    tab_to(page, "#id_rw")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_rw")).to_have_value(str(rw_kenari[0].pk))
    tab_to(page, "#id_q")
    page.keyboard.press("Enter")
    expect(page.locator("#id_rw")).to_have_value(str(rw_kenari[0].pk))
    assert codes(page) == [small.code]
    assert query(page)["rw"] == [str(rw_kenari[0].pk)]
    assert query(page)["sort"] == ["-cost"]  # the new filter kept the order
    screenshot("keyboard-filters")


def test_lurah_keeps_the_attendance_list_with_the_keyboard(
    live_server, page, lurah_kenari, kelompok_kenari, screenshot
):
    sign_in(page, live_server, "lurah.kenari")
    page.goto(f"{live_server.url}/sidang/{kelompok_kenari.pk}/hadir/")

    tab_to(page, "#id_name")
    page.keyboard.type("Siti Aminah")
    tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # "— pilih unsur —" → "UKPD" → "Danramil"
    expect(page.locator("#id_category")).to_have_value("danramil")
    tab_to(page, "#id_institution")
    page.keyboard.type("Koramil Senen")
    tab_to(page, "#id_is_delegate")
    page.keyboard.press("Space")
    expect(page.locator("#id_is_delegate")).to_be_checked()
    tab_to(page, "#tambah button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Siti Aminah dicatat")

    # The form comes back with the same unsur and the focus on the name: the next person.
    expect(page.locator("#id_name")).to_be_focused()
    expect(page.locator("#id_category")).to_have_value("danramil")
    page.keyboard.type("Bambang Sutrisno")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Bambang Sutrisno dicatat")
    page.keyboard.type("Dewi Lestari")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Dewi Lestari dicatat")

    tab_to(page, "button:has-text('Hapus Bambang Sutrisno')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Bambang Sutrisno dihapus")
    tab_to(page, "button:has-text('Jadikan delegasi Dewi Lestari')")
    page.keyboard.press("Space")
    expect(page.get_by_role("alert")).to_contain_text("Dewi Lestari menjadi delegasi")
    screenshot("keyboard-attendance")

    rows = Participant.objects.filter(sidang=kelompok_kenari).order_by("pk")
    assert list(rows.values_list("name", "category", "institution", "is_delegate")) == [
        ("Siti Aminah", "danramil", "Koramil Senen", True),
        ("Dewi Lestari", "danramil", "", True),
    ]


def test_lurah_invites_every_ketua_rw_and_ticks_the_attendance_with_the_keyboard(
    live_server, page, lurah_kenari, kelompok_kenari, rw_kenari, rw_kenari_001, screenshot
):
    official("rw.kenari.002", Role.RW, area=rw_kenari[1], first_name="Bambang Sutrisno")
    sign_in(page, live_server, "lurah.kenari")
    page.goto(f"{live_server.url}/sidang/{kelompok_kenari.pk}/hadir/")

    tab_to(page, "button[name=group][value=rw]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("2 ketua RW ditambahkan")
    came = page.get_by_role("checkbox", name="Bambang Sutrisno hadir")
    expect(came).not_to_be_checked()
    bambang = Participant.objects.get(sidang=kelompok_kenari, name="Bambang Sutrisno")
    tab_to(page, f"input[name=present][value='{bambang.pk}']")
    page.keyboard.press("Space")
    expect(came).to_be_checked()
    tab_to(page, "#kehadiran button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Kehadiran disimpan: 1 peserta berubah")
    expect(page.locator("#attendance-count")).to_contain_text("Hadir 1 dari 2 terdaftar")
    screenshot("keyboard-attendance-invited")

    rows = Participant.objects.filter(sidang=kelompok_kenari).order_by("name")
    assert list(rows.values_list("name", "present")) == [
        ("Bambang Sutrisno", True),
        ("rw.kenari.001", False),
    ]
