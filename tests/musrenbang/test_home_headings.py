"""Words for who people are: officials get their tasks, the Dewan Kota (read-only) a summary,
and the public home page does not count ketua RW among the officials; the menu bar keeps the
daily entries and puts the administration in the account menu."""

import pytest
from django.conf import settings
from django.urls import reverse

from areas.models import Assignment, Role

TASKS = "Yang perlu dikerjakan"
SUMMARY = "Ringkasan"


def heading(client, user, language="id") -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/")
    assert response.status_code == 200
    return str(response.context["panels"].heading)


@pytest.mark.parametrize(
    "official", ["rw_kenari_001", "lurah_kenari", "camat_senen", "ukpd_binamarga", "suban"]
)
def test_an_official_sees_what_needs_doing(client, request, official):
    user = request.getfixturevalue(official)
    assert heading(client, user) == TASKS
    assert f'<h2 class="h4 mt-4">{TASKS}</h2>' in client.get("/").content.decode()


def test_the_system_administrator_sees_what_needs_doing(client, superuser):
    assert heading(client, superuser) == TASKS


def test_the_observer_gets_a_summary_not_tasks(client, dewan):
    assert heading(client, dewan) == SUMMARY
    page = client.get("/").content.decode()
    assert f'<h2 class="h4 mt-4">{SUMMARY}</h2>' in page
    assert TASKS not in page
    (panel,) = client.get("/").context["panels"]
    assert panel.read_only


def test_the_observer_summary_in_english(client, dewan):
    assert heading(client, dewan, "en") == "Summary"


def test_an_official_who_also_observes_still_sees_tasks(client, lurah_kenari, dewan, kota_jp):
    Assignment.objects.create(user=lurah_kenari, role=Role.OBSERVER, area=kota_jp)
    assert heading(client, lurah_kenari) == TASKS


def test_the_public_home_page_calls_ketua_rw_pengurus_not_officials(client, db):
    page = client.get("/").content.decode()
    assert "Pengurus RW" in page
    assert "Pejabat RW" not in page
    assert "pejabat RW" not in client.get(reverse("login")).content.decode()


def test_the_bar_keeps_the_daily_entries_and_the_account_menu_the_administration(client, suban):
    client.force_login(suban)
    items = client.get("/").context["nav_items"]
    bar = [str(item["label"]) for item in items if not item["in_account_menu"]]
    account = [str(item["label"]) for item in items if item["in_account_menu"]]
    assert bar == ["Beranda", "Usulan", "Survei", "Sidang", "Notifikasi", "Rekap", "Lacak usulan"]
    assert account == ["Reses DPRD", "Administrasi"]  # the DPRD's recesses, read now and then
    page = client.get("/").content.decode()
    assert f'class="dropdown-item" href="{reverse("admin:index")}"' in page
    assert 'class="nav-link" href="/admin/"' not in page
