"""One's own account (/akun/kata-sandi/): every official changes their own password, their
other sessions end, and the audit trail records it; so does a password the planning office
sets in the admin, and an official's activation or deactivation."""

from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

URL = reverse("accounts:password_change")
NEW = "Kenari-Baru-2024!"
IP = "203.0.113.9"


def entries(user, field: str) -> list[LogEntry]:
    """The user's entries that changed `field` (their creation aside)."""
    updates = LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.UPDATE)
    return [e for e in updates.order_by("pk") if field in e.changes]


def change(client, old=PASSWORD, new=NEW, again=None):
    return client.post(
        URL,
        {"old_password": old, "new_password1": new, "new_password2": again or new},
        REMOTE_ADDR=IP,
    )


@pytest.mark.parametrize(
    "who", ["rw_kenari_001", "lurah_kenari", "camat_senen", "ukpd_binamarga", "dewan", "suban"]
)
def test_every_official_finds_the_page_from_the_menu(request, client, who):
    client.force_login(request.getfixturevalue(who))
    home = client.get("/").content.decode()
    assert f'href="{URL}"' in home
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("Kata sandi lama", "Kata sandi baru", "Ulangi kata sandi baru"):
        assert label in html
    assert 'aria-current="page"' in html


def test_a_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_lurah_kenari_changes_her_password_and_the_trail_shows_it(client, lurah_kenari):
    client.force_login(lurah_kenari)
    response = change(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    assert "dicatat dalam jejak audit" in client.get(response["Location"]).content.decode()
    lurah_kenari.refresh_from_db()
    assert lurah_kenari.check_password(NEW)
    [entry] = entries(lurah_kenari, "password")
    assert entry.action == LogEntry.Action.UPDATE
    assert (entry.actor, entry.remote_addr) == (lurah_kenari, IP)
    assert entry.changes["password"] == ["(rahasia)", "diubah"]
    assert entry.additional_data == {"kata_sandi": "diubah sendiri", "oleh": "lurah.kenari"}
    assert lurah_kenari.password not in str(entry.changes) + str(entry.additional_data)


def test_the_change_signs_out_every_other_session_but_this_one(client, lurah_kenari):
    other = Client()  # her phone, signed in before the change
    other.force_login(lurah_kenari)
    assert other.get(reverse("proposals:list")).status_code == 200
    client.force_login(lurah_kenari)

    assert change(client).status_code == 302

    assert client.get(reverse("proposals:list")).status_code == 200
    response = other.get(reverse("proposals:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    signed_in = Client().post(reverse("login"), {"username": "lurah.kenari", "password": NEW})
    assert signed_in.status_code == 302


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("salah-sekali", NEW, None, "Kata sandi lama salah. Ketik lagi."),
        (PASSWORD, NEW, "Kenari-Lain-2024!", "Kedua kata sandi baru tidak sama."),
        (PASSWORD, "12345678", None, "terlalu umum"),
        (PASSWORD, "pendek", None, "terlalu pendek"),
    ],
    ids=["wrong-old", "mismatch", "common", "short"],
)
def test_a_refused_change_says_why_and_changes_nothing(
    client, lurah_kenari, old, new, again, message
):
    client.force_login(lurah_kenari)
    response = change(client, old, new, again)
    assert response.status_code == 200
    assert message in response.content.decode()
    lurah_kenari.refresh_from_db()
    assert lurah_kenari.check_password(PASSWORD)
    assert not entries(lurah_kenari, "password")


# -- The admin: a password set by the planning office, activation and deactivation --------------


class _FormFields(HTMLParser):
    """The values a browser would send with the page's main form (the admin's change form)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            ticked = a.get("type") in ("checkbox", "radio")
            if ticked and "checked" not in a:
                return
            value = a.get("value")
            self.data.setdefault(name, []).append(value or ("on" if ticked else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_data(html: str) -> dict[str, list[str]]:
    parser = _FormFields()
    parser.feed(html)
    return parser.data


def user_change(user) -> str:
    return reverse("admin:areas_user_change", args=[user.pk])


def test_a_password_the_planning_office_sets_is_recorded(client, suban, lurah_kenari):
    client.force_login(suban)
    url = reverse("admin:auth_user_password_change", args=[lurah_kenari.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"password1": NEW, "password2": NEW, "usable_password": "true"}, REMOTE_ADDR=IP
    )
    assert response.status_code == 302
    lurah_kenari.refresh_from_db()
    assert lurah_kenari.check_password(NEW)
    [entry] = entries(lurah_kenari, "password")
    assert (entry.actor, entry.remote_addr) == (suban, IP)
    assert entry.changes["password"] == ["(rahasia)", "diubah"]
    assert entry.additional_data == {"kata_sandi": "diatur oleh pengelola", "oleh": "suban"}


def test_a_refused_admin_password_leaves_no_entry(client, suban, lurah_kenari):
    client.force_login(suban)
    url = reverse("admin:auth_user_password_change", args=[lurah_kenari.pk])
    response = client.post(url, {"password1": NEW, "password2": "lain", "usable_password": "true"})
    assert response.status_code == 200
    assert not entries(lurah_kenari, "password")


def test_the_admins_own_password_page_leads_to_the_recorded_one(client, suban):
    client.force_login(suban)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == URL


def test_deactivation_and_activation_in_the_admin_are_recorded(client, suban, lurah_kenari):
    client.force_login(suban)
    url = user_change(lurah_kenari)
    data = form_data(client.get(url).content.decode())
    assert data.pop("is_active") == ["on"]
    data["_save"] = ["Simpan"]
    response = client.post(url, data, REMOTE_ADDR=IP)
    assert response.status_code == 302, response.content.decode()[:2000]
    lurah_kenari.refresh_from_db()
    assert not lurah_kenari.is_active

    data = form_data(client.get(url).content.decode())
    data["is_active"] = ["on"]
    data["_save"] = ["Simpan"]
    assert client.post(url, data, REMOTE_ADDR=IP).status_code == 302
    lurah_kenari.refresh_from_db()
    assert lurah_kenari.is_active

    deactivated, activated = entries(lurah_kenari, "is_active")
    assert deactivated.changes["is_active"] == ["True", "False"]
    assert activated.changes["is_active"] == ["False", "True"]
    for entry in (deactivated, activated):
        assert (entry.actor, entry.remote_addr) == (suban, IP)
