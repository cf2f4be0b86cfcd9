"""The inbox: one's own notices only, newest first; opening one marks it read and follows its
link on this site; the count of unread notices in the navigation costs one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from musrenbang import navigation
from notices.models import Notice
from notices.services import notify

INBOX = reverse("notices:inbox")
UNREAD = '"notices_notice"."read_at" IS NULL'


def tell(user, n=1, *, url="/usulan/", subject="Usulan diterima"):
    for i in range(n):
        notify([user], kind="uji", subject=f"{subject} {i + 1}", text="Isi pesan.", url=url)
    return Notice.objects.filter(user=user).order_by("-pk").first()


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_lists_the_users_own_notices_newest_first(client, rw_kenari_001, lurah_kenari):
    tell(rw_kenari_001, 2)
    tell(lurah_kenari, subject="Untuk lurah")
    client.force_login(rw_kenari_001)
    page = client.get(INBOX).content.decode()
    assert page.index("Usulan diterima 2") < page.index("Usulan diterima 1")
    assert "Untuk lurah" not in page
    assert "Belum dibaca" in page


def test_another_users_notice_is_404(client, rw_kenari_001, lurah_paseban):
    notice = tell(rw_kenari_001)
    client.force_login(lurah_paseban)
    assert client.get(reverse("notices:open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notices:open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, rw_kenari_001):
    notice = tell(rw_kenari_001, url="/usulan/12/")
    client.force_login(rw_kenari_001)
    response = client.get(reverse("notices:open", args=[notice.pk]))
    assert response.status_code == 302
    assert response.url == "/usulan/12/"
    notice.refresh_from_db()
    assert notice.read_at is not None


@pytest.mark.parametrize(
    "link", ["https://jahat.example/", "//jahat.example/", "/\\jahat.example", "javascript:x", ""]
)
def test_a_link_off_this_site_is_never_followed(client, rw_kenari_001, link):
    notice = tell(rw_kenari_001, url=link)
    client.force_login(rw_kenari_001)
    response = client.post(reverse("notices:open", args=[notice.pk]))
    assert response.url == INBOX


def test_marking_all_read_marks_only_ones_own(client, rw_kenari_001, lurah_kenari):
    tell(rw_kenari_001, 3)
    tell(lurah_kenari)
    client.force_login(rw_kenari_001)
    assert client.get(reverse("notices:read_all")).status_code == 405
    response = client.post(reverse("notices:read_all"), follow=True)
    assert "Semua notifikasi ditandai sudah dibaca." in response.content.decode()
    assert not Notice.objects.filter(user=rw_kenari_001, read_at__isnull=True).exists()
    assert Notice.objects.filter(user=lurah_kenari, read_at__isnull=True).count() == 1


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9" * 40, "1e9", "2"])
def test_any_page_number_shows_a_page(client, rw_kenari_001, page):
    tell(rw_kenari_001, 3)
    client.force_login(rw_kenari_001)
    assert client.get(INBOX, {"page": page}).status_code == 200


def test_the_navigation_counts_only_ones_own_unread_notices(client, rw_kenari_001, lurah_kenari):
    tell(rw_kenari_001, 3)
    Notice.objects.filter(pk=tell(rw_kenari_001).pk).update(read_at=timezone.now())
    tell(lurah_kenari, 5)
    client.force_login(rw_kenari_001)
    page = client.get(reverse("home")).content.decode()
    assert (
        'Notifikasi <span class="badge text-bg-light">3</span>'
        '<span class="visually-hidden"> belum dibaca</span>' in page
    )


def test_no_count_is_shown_without_unread_notices(client, rw_kenari_001):
    client.force_login(rw_kenari_001)
    page = client.get(reverse("home")).content.decode()
    assert ">Notifikasi</span></a>" in page  # the label alone, no badge
    assert "belum dibaca" not in page


# -- Queries --------------------------------------------------------------------------------------


def _inbox_queries(client, django_assert_max_num_queries, count: int) -> None:
    with django_assert_max_num_queries(count):
        assert client.get(INBOX).status_code == 200


@pytest.mark.parametrize("notices", [5, 50])
def test_the_inbox_costs_the_same_queries_for_5_or_50_notices(
    client, rw_kenari_001, notices, django_assert_max_num_queries
):
    tell(rw_kenari_001, notices)
    client.force_login(rw_kenari_001)
    # Session, user, the page's count and notices, the unread count of the navigation (once,
    # for the menu and the "mark all read" button), and the user's reach for the menu.
    _inbox_queries(client, django_assert_max_num_queries, 7)


@pytest.mark.parametrize("name", ["home", "proposals:list", "sessions:list", "notices:inbox"])
def test_the_unread_count_adds_exactly_one_query_to_a_signed_in_page(
    client, rw_kenari_001, name, monkeypatch
):
    tell(rw_kenari_001, 2)
    client.force_login(rw_kenari_001)
    with CaptureQueriesContext(connection) as counted:
        assert client.get(reverse(name)).status_code == 200
    monkeypatch.setattr(navigation, "unread_count", lambda user: 2)  # the count, without asking
    with CaptureQueriesContext(connection) as uncounted:
        assert client.get(reverse(name)).status_code == 200
    assert len(counted) == len(uncounted) + 1
    [count] = [q["sql"] for q in counted.captured_queries if UNREAD in q["sql"]]
    assert not any(UNREAD in q["sql"] for q in uncounted.captured_queries)
    assert "COUNT" in count.upper() and "notices_notice" in count and "read_at" in count


def test_visitors_pages_ask_no_count(client, dki, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("tracker")).status_code == 200
    assert not any("notices_notice" in q["sql"] for q in queries.captured_queries)
