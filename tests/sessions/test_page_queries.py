"""The benchmarked session pages — the ranking page and the berita acara — read the same few
queries whatever the size of the table and the attendance."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.session_fixtures import attend
from tests.sessions.test_ranking_queries import sidang_with


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def two_sizes(cycle, kenari, paseban, rw_kenari, rw_paseban, betonisasi, superuser):
    small = sidang_with(cycle, paseban, [rw_paseban], betonisasi, superuser, 3)
    attend(small, 2)
    large = sidang_with(cycle, kenari, rw_kenari, betonisasi, superuser, 30)
    attend(large, 60, delegates=6)
    return small, large


@pytest.mark.parametrize("page", ["sessions:ranking", "sessions:minutes_pdf"])
def test_session_page_queries_do_not_grow(client, superuser, two_sizes, page):
    client.force_login(superuser)
    small, large = (reverse(page, args=[sidang.pk]) for sidang in two_sizes)
    queries(client, small)  # a first request may fill caches (the criteria, the letterhead)
    assert queries(client, small) == queries(client, large) <= 10
